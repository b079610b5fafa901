import type { Clock } from '../common/clock';
import type { AppLogger } from '../common/logging/app-logger';
import type { AppConfig } from '../config/app-config';
import type { MetricsService } from '../metrics/metrics.service';
import { ChainWriter } from './chain-writer';

/** Streams (file prefixes) written by the audit module. */
export const DECISIONS_STREAM = 'decisions';
export const REJECTIONS_STREAM = 'rejections';
export const COMPARISONS_STREAM = 'comparisons';

/** A ChainWriter configured from AppConfig.audit, reporting to the audit metrics. */
export function createChainWriter(
  stream: string,
  dir: string,
  config: AppConfig,
  clock: Clock,
  logger: AppLogger,
  metrics: MetricsService,
): ChainWriter {
  const a = config.audit;
  return new ChainWriter({
    dir,
    stream,
    fsync: a.fsync,
    rotateBytes: a.rotateBytes,
    retentionDays: a.retentionDays,
    checkpointKey: a.checkpointKey,
    checkpointEvery: a.checkpointEvery,
    clock,
    log: logger.child('AuditLog', { stream }),
    onWritten: (lines, seconds) => {
      metrics.auditWriteDuration.observe(seconds);
      metrics.auditLines.inc({ log: stream }, lines);
    },
    onFailed: () => metrics.auditWriteFailures.inc(),
  });
}
