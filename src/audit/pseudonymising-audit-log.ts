import type { MetricsService } from '../metrics/metrics.service';
import type { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { promiseFrom } from '../common/promise-from';
import { ErrorCode } from '../common/error-codes';
import { AuditLog, type AuditBatch, type AuditBatchHeader, type AuditHealth } from './audit.types';
import { auditRow, type AuditRow, type ContactKeys, type Pseudonymiser } from './pseudonymiser';
import { WriteHealth } from './write-health';

/**
 * What both decision log implementations share: a batch becomes one AuditRow per
 * decision, stamped with the clock and pseudonymised with the configured key, and
 * every write's outcome feeds /readyz (WriteHealth). Subclasses write the rows.
 */
export abstract class PseudonymisingAuditLog extends AuditLog {
  private readonly writeHealth: WriteHealth;

  constructor(
    dir: string,
    protected readonly clock: Clock,
    protected readonly pseudonymiser: Pseudonymiser,
    protected readonly metrics: MetricsService,
  ) {
    super();
    this.writeHealth = new WriteHealth(dir);
  }

  append(batch: AuditBatch): Promise<void> {
    return this.writeHealth.track(this.write(batch));
  }

  override health(): Promise<AuditHealth> {
    return this.writeHealth.check();
  }

  /** Writes one non-empty batch; resolves once it is durable. */
  protected abstract writeRows(
    header: AuditBatchHeader,
    rows: readonly AuditRow[],
    keys: ContactKeys,
  ): Promise<void>;

  /**
   * Not async on purpose: nothing here is kept while the write is pending, so a
   * batch's contacts can be collected as soon as its rows are built (a suspended
   * async frame would hold them until the batch is durable, long enough for the
   * GC to promote them).
   */
  private write(batch: AuditBatch): Promise<void> {
    return promiseFrom(() => {
      if (batch.items.length === 0) return Promise.resolve();
      const { header, rows } = batchRows(batch, this.clock.now().toISOString());
      return this.writeRows(header, rows, contactKeysFor(this.pseudonymiser, this.metrics));
    });
  }
}

/** A batch as the decision log needs it: the batch-wide fields, stamped with `ts`, and one AuditRow per decision. */
function batchRows(batch: AuditBatch, ts: string): { header: AuditBatchHeader; rows: AuditRow[] } {
  const { items, ...rest } = batch;
  const rows = new Array<AuditRow>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as AuditBatch['items'][number];
    rows[i] = auditRow(item.contact, item.decision);
  }
  return { header: { ...rest, ts }, rows };
}

/**
 * The pseudonym keys, loaded on first use; a batch is refused (AUDIT_UNAVAILABLE,
 * counted as a write failure) when the key can be neither read nor generated.
 */
function contactKeysFor(pseudonymiser: Pseudonymiser, metrics: MetricsService): ContactKeys {
  try {
    return pseudonymiser.contactKeys();
  } catch (e) {
    // Only the pseudonym key file can fail here (AUDIT_DIR not writable).
    metrics.auditWriteFailures.inc();
    throw new DomainError(
      ErrorCode.AUDIT_UNAVAILABLE,
      'The audit log cannot be written (pseudonym key unavailable).',
      { cause: e },
    );
  }
}
