import { Utf8Builder } from '../common/text/utf8-builder';
import type { AuditBatchHeader } from './audit.types';
import type { ChainPieces } from './chain-format';
import { batchContext, decisionHead, decisionParts } from './decision-line';
import type { DecisionRecords } from './decision-log';
import { ENGINE_VERSION } from './engine-version';
import type { AuditRow, ContactKeys } from './pseudonymiser';

/**
 * A batch of decision lines as UTF-8 bytes, to cross to the audit worker thread:
 * the buffer is transferred, not copied, where 10,000 objects would be cloned one
 * by one. The request thread writes every canonical piece of each line, contactKey
 * included (the pseudonyms are computed here: measured, doing it on the worker cost
 * more in all); the worker only chains, encodes, hashes and writes the lines.
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
const LF = '\n';

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

/** The batch's lines, ready for the chains. */
export function decodeRecords(wire: WireRecords): DecisionRecords {
  const all: ChainPieces[] = [];
  const rejected: ChainPieces[] = [];
  const text = Buffer.from(
    wire.bytes.buffer,
    wire.bytes.byteOffset,
    wire.bytes.byteLength,
  ).toString('utf8');
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf(LF, start);
    if (end < 0) end = text.length;
    const parts = text.slice(start, end).split(TAB);
    if (parts.length !== 4) throw new Error('malformed audit record from the request thread');
    const pieces: ChainPieces = {
      head: parts[0] as string,
      mid1: wire.mid1,
      mid2: parts[1] as string,
      tail: parts[2] as string,
    };
    all.push(pieces);
    if (parts[3] === 'R') rejected.push(pieces);
    start = end + 1;
  }
  return { all, rejected };
}
