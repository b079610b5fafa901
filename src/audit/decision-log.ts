import type { AuditBatchHeader } from './audit.types';
import type { ChainPieces, ChainRecord } from './chain-format';
import type { ChainWriter } from './chain-writer';
import { DECISIONS_STREAM, REJECTIONS_STREAM } from './chain-writer.factory';
import { batchContext, decisionPieces } from './decision-line';
import { ENGINE_VERSION } from './engine-version';
import type { AuditRow, ContactKeys } from './pseudonymiser';

/** A batch's lines before chaining: every decision, and the rejections again (same objects). */
export interface DecisionRecords {
  all: ChainRecord[];
  rejected: ChainRecord[];
}

/**
 * The lines of a batch as ChainPieces: the pseudonymous contactKey and every other
 * member, in canonical order; only seq, prevHash and hash are left to the writer.
 */
export function decisionRecords(
  header: AuditBatchHeader,
  rows: readonly AuditRow[],
  keys: ContactKeys,
): DecisionRecords {
  const ctx = batchContext(header, ENGINE_VERSION);
  const all = new Array<ChainPieces>(rows.length);
  const rejected: ChainPieces[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as AuditRow;
    const pieces = decisionPieces(ctx, row, keys.contactKeyJson(row[0], row[1], row[2]));
    all[i] = pieces;
    if (row[4] === 'REJECTED') rejected.push(pieces);
  }
  return { all, rejected };
}

/**
 * The decision log's two chains: one hash-chained JSONL line per decision
 * (`decisions-*.jsonl`), and the same line again for each rejection in the
 * rejection manifest (`rejections-*.jsonl`, its own chain). append() resolves once
 * both are durable. JsonlAuditLog runs it on the calling thread; the audit worker
 * thread (audit-worker.ts) runs the very same class.
 */
export class DecisionChains {
  private readonly decisions: ChainWriter;
  private readonly rejections: ChainWriter;

  constructor(writer: (stream: string) => ChainWriter) {
    this.decisions = writer(DECISIONS_STREAM);
    this.rejections = writer(REJECTIONS_STREAM);
  }

  async append(records: DecisionRecords): Promise<void> {
    await Promise.all([
      this.decisions.append(records.all),
      this.rejections.append(records.rejected),
    ]);
  }

  /** Restores the chain heads and repairs torn tails now rather than on the first append. */
  async open(): Promise<void> {
    await Promise.all([this.decisions.prepare(), this.rejections.prepare()]);
  }

  /** Waits for pending writes, then closes the files. */
  async close(): Promise<void> {
    await Promise.all([this.decisions.close(), this.rejections.close()]);
  }
}
