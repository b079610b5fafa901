import { Utf8Builder } from '../common/text/utf8-builder';
import type { AuditBatchHeader } from './audit.types';
import { EncodedPieces } from './chain-format';
import { batchContext, decisionHead, decisionParts } from './decision-line';
import type { DecisionRecords } from './decision-log';
import { ENGINE_VERSION } from './engine-version';
import type { AuditRow, ContactKeys } from './pseudonymiser';

/**
 * A batch of decision lines as UTF-8 bytes, to cross to the audit worker thread:
 * the buffer is transferred, not copied, where 10,000 objects would be cloned one
 * by one. The request thread writes every canonical piece of each line, contactKey
 * included (the pseudonyms are computed here: measured, doing it on the worker cost
 * more in all); the worker only chains, hashes and writes the lines. It never
 * decodes the bytes: each line is built by copying the byte ranges of its pieces
 * (EncodedPieces, LineBuffer.pushEncodedLine), which took the worker's CPU per
 * contact from 3.9 to 2.7 us in the 1M-line stream (docs/performance.md).
 *
 * Each record is written into the bytes as soon as it is built: joining 10,000
 * concatenated strings into one (which flattens each of them) cost about 1 us per
 * record more (docs/performance.md).
 *
 * Format per record: head TAB mid2 TAB tail TAB ("R" | "") LF. The pieces are
 * canonical JSON fragments, in which JSON.stringify has escaped every control
 * character, so a raw TAB or LF never occurs inside one (decision-records-wire.spec.ts).
 */

const TAB = '\t';

export interface WireRecords {
  /** Shared by every line of the batch. */
  mid1: string;
  /** The records, UTF-8; its buffer is transferred to the worker. */
  bytes: Uint8Array<ArrayBuffer>;
}

export function encodeRecords(
  header: AuditBatchHeader,
  rows: readonly AuditRow[],
  keys: ContactKeys,
): WireRecords {
  const ctx = batchContext(header, ENGINE_VERSION);
  const sink = new Utf8Builder(rows.length * 512);
  for (const row of rows) {
    const p = decisionParts(ctx, row);
    sink.text(
      decisionHead(p, keys.contactKeyJson(row[0], row[1], row[2])) +
        TAB +
        p.mid2 +
        TAB +
        p.tail +
        (row[4] === 'REJECTED' ? '\tR\n' : '\t\n'),
    );
  }
  return { mid1: ctx.mid1, bytes: sink.bytes() };
}

const TAB_BYTE = 9;
const LF_BYTE = 10;
const R_BYTE = 0x52;

function malformed(): Error {
  return new Error('malformed audit record from the request thread');
}

/**
 * The batch's lines, ready for the chains, as byte ranges of the wire buffer
 * (EncodedPieces): nothing is decoded, the chain writer copies the bytes.
 */
export function decodeRecords(wire: WireRecords): DecisionRecords {
  const all: EncodedPieces[] = [];
  const rejected: EncodedPieces[] = [];
  const bytes = wire.bytes;
  // Buffer's indexOf is a memchr (Uint8Array's was measured 8 times slower); the pieces
  // keep the plain Uint8Array, whose subarray() is cheaper than Buffer's.
  const src = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mid1 = Buffer.from(wire.mid1, 'utf8');
  const end = src.length;
  let start = 0;
  while (start < end) {
    let lf = src.indexOf(LF_BYTE, start);
    if (lf < 0) lf = end;
    const t1 = src.indexOf(TAB_BYTE, start);
    const t2 = t1 < 0 ? -1 : src.indexOf(TAB_BYTE, t1 + 1);
    const t3 = t2 < 0 ? -1 : src.indexOf(TAB_BYTE, t2 + 1);
    // Exactly three TABs before the LF, then "R" or nothing.
    if (t3 < 0 || t3 >= lf) throw malformed();
    const flag = lf - t3 - 1;
    if (flag > 1 || (flag === 1 && src[t3 + 1] !== R_BYTE)) throw malformed();
    const pieces = new EncodedPieces(bytes, mid1, start, t1, t1 + 1, t2, t2 + 1, t3);
    all.push(pieces);
    if (flag === 1) rejected.push(pieces);
    start = lf + 1;
  }
  return { all, rejected };
}
