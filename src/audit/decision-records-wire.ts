import { Utf8Builder } from '../common/text/utf8-builder';
import type { AuditBatchHeader } from './audit.types';
import { EncodedPieces } from './chain-format';
import { batchContext, decisionParts, type DecisionParts } from './decision-line';
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
  const frames = new RecordFrames();
  const sink = new Utf8Builder(rows.length * 512);
  for (const row of rows) {
    const p = decisionParts(ctx, row);
    sink.raw(frames.before(p, row));
    sink.text(keys.contactKeyJson(row[0], row[1], row[2]));
    const after = frames.after(p, row);
    if (typeof after === 'string') sink.text(after);
    else sink.raw(after);
  }
  return { mid1: ctx.mid1, bytes: sink.bytes() };
}

const NO_WARNINGS: readonly string[] = Object.freeze([]);

/**
 * The bytes of a record before and after its contactKey, encoded once per batch
 * for each shared decision rather than once per record: within a batch they only
 * differ by decision, codes and warnings (and a proofRef, when there is one). The
 * contactKey is the only part encoded per record.
 */
class RecordFrames {
  /** By beforeKey (one string per shared codes array). */
  private readonly befores = new Map<string, Uint8Array>();
  /** By decision, then by the shared warnings array. */
  private readonly afters = new Map<string, Map<readonly string[], Uint8Array>>();

  /** `head` up to the contactKey's value: `,"code":…,"codes":[…],"contactKey":`. */
  before(p: DecisionParts, row: AuditRow): Uint8Array {
    const shared = Object.isFrozen(row[6]);
    let bytes = shared ? this.befores.get(p.beforeKey) : undefined;
    if (bytes === undefined) {
      bytes = Buffer.from(p.beforeKey + ',"contactKey":', 'utf8');
      if (shared) this.befores.set(p.beforeKey, bytes);
    }
    return bytes;
  }

  /** The rest of the record after the contactKey; a string when it cannot be shared. */
  after(p: DecisionParts, row: AuditRow): Uint8Array | string {
    const [, , , proofRef, decision, , , warnings] = row;
    const text = (): string =>
      p.afterKey + TAB + p.mid2 + TAB + p.tail + (decision === 'REJECTED' ? '\tR\n' : '\t\n');
    const key = warnings.length === 0 ? NO_WARNINGS : warnings;
    if (proofRef !== null || !Object.isFrozen(key)) return text();
    let byWarnings = this.afters.get(decision);
    if (byWarnings === undefined) {
      byWarnings = new Map();
      this.afters.set(decision, byWarnings);
    }
    let bytes = byWarnings.get(key);
    if (bytes === undefined) {
      bytes = Buffer.from(text(), 'utf8');
      byWarnings.set(key, bytes);
    }
    return bytes;
  }
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
