import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { AuditBatchHeader } from './audit.types';
import type { ChainPieces } from './chain-format';
import type { ChainWriter } from './chain-writer';
import { DECISIONS_STREAM, REJECTIONS_STREAM } from './chain-writer.factory';
import { batchContext, decisionPieces } from './decision-line';
import { ENGINE_VERSION } from './engine-version';
import type { AuditRow, ContactKeys } from './pseudonymiser';

/**
 * The decision log itself, free of Nest and of threads: one hash-chained JSONL
 * line per decision (`decisions-*.jsonl`), and the same line again for each
 * rejection in the rejection manifest (`rejections-*.jsonl`, its own chain).
 * append() resolves once both are durable. JsonlAuditLog runs it on the calling
 * thread; the audit worker thread (audit-worker.ts) runs the very same class.
 */
export class DecisionLog {
  private readonly decisions: ChainWriter;
  private readonly rejections: ChainWriter;

  /**
   * @param keys the pseudonym keys, on first use (the key may have to be read or generated)
   * @param writer a ChainWriter for a stream name
   * @param onKeyFailure counts a batch refused because the key was unavailable
   */
  constructor(
    private readonly keys: () => ContactKeys,
    writer: (stream: string) => ChainWriter,
    private readonly onKeyFailure: () => void,
  ) {
    this.decisions = writer(DECISIONS_STREAM);
    this.rejections = writer(REJECTIONS_STREAM);
  }

  async append(header: AuditBatchHeader, rows: readonly AuditRow[]): Promise<void> {
    if (rows.length === 0) return;
    const all: ChainPieces[] = new Array<ChainPieces>(rows.length);
    const rejected: ChainPieces[] = [];
    try {
      const keys = this.keys();
      const ctx = batchContext(header, ENGINE_VERSION);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] as AuditRow;
        const pieces = decisionPieces(ctx, row, keys.contactKeyJson(row[0], row[1], row[2]));
        all[i] = pieces;
        if (row[4] === 'REJECTED') rejected.push(pieces);
      }
    } catch (e) {
      // Only the pseudonym key file can fail here (AUDIT_DIR not writable).
      this.onKeyFailure();
      throw new DomainError(
        ErrorCode.AUDIT_UNAVAILABLE,
        'The audit log cannot be written (pseudonym key unavailable).',
        { cause: e },
      );
    }
    await Promise.all([this.decisions.append(all), this.rejections.append(rejected)]);
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
