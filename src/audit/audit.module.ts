import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppLogger } from '../common/logging/app-logger';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { AuditVerifier } from './audit-verifier';
import { AuditLog } from './audit.types';
import { ComparisonLog } from './comparison-log';
import { JsonlAuditLog } from './jsonl-audit-log';
import { JsonlComparisonLog } from './jsonl-comparison-log';
import { Pseudonymiser } from './pseudonymiser';
import { WorkerAuditLog } from './worker-audit-log';

/** The compiled worker entry next to this file (absent when running from the TypeScript sources). */
const AUDIT_WORKER_SCRIPT = join(__dirname, 'audit-worker.js');

/**
 * The decision log on a worker thread when AUDIT_WORKER is on (the default) and
 * the compiled worker exists; otherwise on the calling thread. Same files either way.
 */
export function createAuditLog(
  config: AppConfig,
  clock: Clock,
  logger: AppLogger,
  metrics: MetricsService,
  pseudonymiser: Pseudonymiser,
  script = AUDIT_WORKER_SCRIPT,
): AuditLog {
  if (config.audit.worker && existsSync(script)) {
    return new WorkerAuditLog(config, clock, logger, metrics, pseudonymiser, script);
  }
  if (config.audit.worker) {
    logger
      .child('AuditLog')
      .debug('no compiled audit worker (running from sources): writing on the calling thread', {
        script,
      });
  }
  return new JsonlAuditLog(config, clock, logger, metrics, pseudonymiser);
}

/**
 * The decision log (AuditLog), the comparison log (ComparisonLog) and the chain
 * verifier (AuditVerifier, used by `consent-gate audit verify`). Writers are
 * lazy: nothing is opened or created on disk until the first append.
 */
@Module({
  providers: [
    Pseudonymiser,
    AuditVerifier,
    {
      provide: AuditLog,
      useFactory: createAuditLog,
      inject: [AppConfig, Clock, AppLogger, MetricsService, Pseudonymiser],
    },
    { provide: ComparisonLog, useClass: JsonlComparisonLog },
  ],
  exports: [AuditLog, ComparisonLog, AuditVerifier],
})
export class AuditModule {}
