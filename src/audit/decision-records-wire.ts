import type { AuditBatchHeader } from './audit.types';
import type { ChainPieces } from './chain-format';
import { batchContext, decisionParts } from './decision-line';
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

/** A growable UTF-8 buffer; its memory is its own (transferable). */
class ByteSink {
  private buf: Buffer;
  length = 0;

  constructor(initial: number) {
    // allocUnsafeSlow: never a slice of Node's shared pool, which must not be transferred.
    this.buf = Buffer.allocUnsafeSlow(Math.max(initial, 1024));
  }

  text(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (this.length + s.length * 3 > this.buf.length) {
      const next = Buffer.allocUnsafeSlow(
        Math.max(this.buf.length * 2, this.length + s.length * 3),
      );
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    this.length += this.buf.write(s, this.length, 'utf8');
  }

  bytes(): Uint8Array<ArrayBuffer> {
    // allocUnsafeSlow memory is a plain ArrayBuffer, never a SharedArrayBuffer.
    return new Uint8Array(this.buf.buffer as ArrayBuffer, this.buf.byteOffset, this.length);
  }
}

export function encodeRecords(
  header: AuditBatchHeader,
  rows: readonly AuditRow[],
  keys: ContactKeys,
): WireRecords {
  const ctx = batchContext(header, ENGINE_VERSION);
  const sink = new ByteSink(rows.length * 512);
  for (const row of rows) {
    const p = decisionParts(ctx, row);
    sink.text(
      p.beforeKey +
        ',"contactKey":' +
        keys.contactKeyJson(row[0], row[1], row[2]) +
        p.afterKey +
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
