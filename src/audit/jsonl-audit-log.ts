import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppLogger } from '../common/logging/app-logger';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { AuditLog, type AuditBatch } from './audit.types';
import { createChainWriter } from './chain-writer.factory';
import { DecisionLog } from './decision-log';
import { auditRow, type AuditRow, Pseudonymiser } from './pseudonymiser';

/**
 * The decision log (see DecisionLog) on the calling thread. The service uses
 * WorkerAuditLog, which runs the same DecisionLog on a worker thread; this one is
 * used with AUDIT_WORKER=false and where no compiled worker script exists (tests
 * running from the TypeScript sources).
 */
@Injectable()
export class JsonlAuditLog extends AuditLog implements OnApplicationShutdown {
  private readonly log: DecisionLog;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    logger: AppLogger,
    metrics: MetricsService,
    pseudonymiser: Pseudonymiser,
  ) {
    super();
    const dir = config.audit.dir;
    this.log = new DecisionLog(
      () => pseudonymiser.contactKeys(),
      (stream) => createChainWriter(stream, dir, config, clock, logger, metrics),
      () => metrics.auditWriteFailures.inc(),
    );
  }

  async append(batch: AuditBatch): Promise<void> {
    const { items, ...header } = batch;
    if (items.length === 0) return;
    const rows = new Array<AuditRow>(items.length);
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as AuditBatch['items'][number];
      rows[i] = auditRow(item.contact, item.decision);
    }
    await this.log.append({ ...header, ts: this.clock.now().toISOString() }, rows);
  }

  override open(): Promise<void> {
    return this.log.open();
  }

  onApplicationShutdown(): Promise<void> {
    return this.log.close();
  }
}
