import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger } from '../common/logging/app-logger';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { AuditLog, type AuditBatch, type AuditBatchHeader, type AuditHealth } from './audit.types';
import { createChainWriter } from './chain-writer.factory';
import { DecisionChains, decisionRecords } from './decision-log';
import { auditRow, type AuditRow, type ContactKeys, Pseudonymiser } from './pseudonymiser';
import { WriteHealth } from './write-health';

/** A batch as the decision log needs it: the batch-wide fields, stamped with `ts`, and one AuditRow per decision. */
export function batchRows(
  batch: AuditBatch,
  ts: string,
): { header: AuditBatchHeader; rows: AuditRow[] } {
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
export function contactKeysFor(pseudonymiser: Pseudonymiser, metrics: MetricsService): ContactKeys {
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

/**
 * The decision log (see DecisionChains) on the calling thread. The service uses
 * WorkerAuditLog, which writes the same chains on a worker thread; this one is
 * used with AUDIT_WORKER=false and where no compiled worker script exists (tests
 * running from the TypeScript sources).
 */
@Injectable()
export class JsonlAuditLog extends AuditLog implements OnApplicationShutdown {
  private readonly chains: DecisionChains;
  private readonly writeHealth: WriteHealth;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    logger: AppLogger,
    private readonly metrics: MetricsService,
    private readonly pseudonymiser: Pseudonymiser,
  ) {
    super();
    const dir = config.audit.dir;
    this.writeHealth = new WriteHealth(dir);
    this.chains = new DecisionChains((stream) =>
      createChainWriter(stream, dir, config, clock, logger, metrics),
    );
  }

  append(batch: AuditBatch): Promise<void> {
    return this.writeHealth.track(this.write(batch));
  }

  override health(): Promise<AuditHealth> {
    return this.writeHealth.check();
  }

  private async write(batch: AuditBatch): Promise<void> {
    if (batch.items.length === 0) return;
    const { header, rows } = batchRows(batch, this.clock.now().toISOString());
    const keys = contactKeysFor(this.pseudonymiser, this.metrics);
    await this.chains.append(decisionRecords(header, rows, keys));
  }

  override open(): Promise<void> {
    return this.chains.open();
  }

  onApplicationShutdown(): Promise<void> {
    return this.chains.close();
  }
}
