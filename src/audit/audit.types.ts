import type { Decision, PolicyRef } from '../policy/policy.types';

export type AuditSource = 'http' | 'cli' | 'sync';

export interface AuditItem {
  /** The contact as received; the audit log derives the pseudonymous contactKey from it and stores nothing else of it. */
  contact: unknown;
  decision: Decision;
}

export interface AuditBatch {
  requestId: string;
  source: AuditSource;
  /** Sync job id, for source "sync". */
  jobId?: string;
  policy: PolicyRef;
  /** RFC 3339 instant the policy was evaluated at. */
  evaluatedAt: string;
  items: AuditItem[];
}

/** The audit log's health as /readyz reports it. */
export interface AuditHealth {
  up: boolean;
  /** Why the last write failed (an errno code or message; never contact data). */
  error?: string;
}

/** The batch-wide fields of a batch, and `ts`, the time it was handed to the log. */
export type AuditBatchHeader = Omit<AuditBatch, 'items'> & { ts: string };

/**
 * The port the audit module exports. `append` resolves only once every line of
 * the batch is written (and fsynced per AUDIT_FSYNC); it rejects with
 * DomainError(AUDIT_UNAVAILABLE) when the log cannot be written, so callers
 * never release an unaudited decision.
 */
export abstract class AuditLog {
  abstract append(batch: AuditBatch): Promise<void>;

  /**
   * Opens the log now instead of on the first append: restores the chain position
   * and repairs a tail torn by a crash. The HTTP service calls it at start-up; the
   * CLI does not (so `audit verify` never writes).
   */
  open(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * For /readyz: down after a failed write until the log's directory can be written
   * again (see WriteHealth). Implementations without files are always up.
   */
  health(): Promise<AuditHealth> {
    return Promise.resolve({ up: true });
  }
}
