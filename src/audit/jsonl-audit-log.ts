import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppLogger } from '../common/logging/app-logger';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import type { AuditBatchHeader } from './audit.types';
import { createChainWriter } from './chain-writer.factory';
import { DecisionChains, decisionRecords } from './decision-log';
import type { AuditRow, ContactKeys } from './pseudonymiser';
import { Pseudonymiser } from './pseudonymiser';
import { PseudonymisingAuditLog } from './pseudonymising-audit-log';

/**
 * The decision log (see DecisionChains) on the calling thread. The service uses
 * WorkerAuditLog, which writes the same chains on a worker thread; this one is
 * used with AUDIT_WORKER=false and where no compiled worker script exists (tests
 * running from the TypeScript sources).
 */
@Injectable()
export class JsonlAuditLog extends PseudonymisingAuditLog implements OnApplicationShutdown {
  private readonly chains: DecisionChains;

  constructor(
    config: AppConfig,
    clock: Clock,
    logger: AppLogger,
    metrics: MetricsService,
    pseudonymiser: Pseudonymiser,
  ) {
    super(config.audit.dir, clock, pseudonymiser, metrics);
    const dir = config.audit.dir;
    this.chains = new DecisionChains((stream) =>
      createChainWriter(stream, dir, config, clock, logger, metrics),
    );
  }

  /** Not async: the rows are not held once their lines are built. */
  protected writeRows(
    header: AuditBatchHeader,
    rows: readonly AuditRow[],
    keys: ContactKeys,
  ): Promise<void> {
    return this.chains.append(decisionRecords(header, rows, keys));
  }

  override open(): Promise<void> {
    return this.chains.open();
  }

  onApplicationShutdown(): Promise<void> {
    return this.chains.close();
  }
}
