import type { AuditBatchHeader } from './audit.types';
import type { ChainPieces } from './chain-format';
import { batchContext, decisionParts } from './decision-line';
import type { DecisionRecords } from './decision-log';
import { ENGINE_VERSION } from './engine-version';
import type { AuditRow, ContactKeys } from './pseudonymiser';

/**
 * A batch of decision lines as one string, to cross to the audit worker thread:
 * a string is copied in one piece, where 10,000 objects would be cloned one by
 * one. The request thread builds every canonical piece of each line, contactKey
 * included; the worker only chains, encodes, hashes and writes them. (Measured:
 * computing the pseudonyms on the worker instead cost about 5 us more CPU per
 * contact in all, see docs/performance.md.) The pieces are canonical JSON
 * fragments, in which JSON.stringify has escaped every control character, so a
 * raw TAB separates the parts of a record and a raw LF the records
 * (decision-records-wire.spec.ts).
 */
const PART = '\t';
const RECORD = '\n';

export interface WireRecords {
  /** Shared by every line of the batch. */
  mid1: string;
  /** Per record: head TAB mid2 TAB tail TAB ("R" | ""); records joined by LF. */
  text: string;
}

export function encodeRecords(
  header: AuditBatchHeader,
  rows: readonly AuditRow[],
  keys: ContactKeys,
): WireRecords {
  const ctx = batchContext(header, ENGINE_VERSION);
  const out = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as AuditRow;
    const p = decisionParts(ctx, row);
    out[i] =
      p.beforeKey +
      ',"contactKey":' +
      keys.contactKeyJson(row[0], row[1], row[2]) +
      p.afterKey +
      PART +
      p.mid2 +
      PART +
      p.tail +
      PART +
      (row[4] === 'REJECTED' ? 'R' : '');
  }
  return { mid1: ctx.mid1, text: out.join(RECORD) };
}

/** The batch's lines, ready for the chains. */
export function decodeRecords(wire: WireRecords): DecisionRecords {
  const all: ChainPieces[] = [];
  const rejected: ChainPieces[] = [];
  if (wire.text.length === 0) return { all, rejected };
  for (const record of wire.text.split(RECORD)) {
    const parts = record.split(PART);
    if (parts.length !== 4) throw new Error('malformed audit record from the request thread');
    const pieces: ChainPieces = {
      head: parts[0] as string,
      mid1: wire.mid1,
      mid2: parts[1] as string,
      tail: parts[2] as string,
    };
    all.push(pieces);
    if (parts[3] === 'R') rejected.push(pieces);
  }
  return { all, rejected };
}
