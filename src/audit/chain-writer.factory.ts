import type { Clock } from '../common/clock';
import type { AppLogger } from '../common/logging/app-logger';
import type { AppConfig, AuditConfig } from '../config/app-config';
import type { MetricsService } from '../metrics/metrics.service';
import { ChainWriter, type ChainWriterOptions } from './chain-writer';

/** Streams (file prefixes) written by the audit module. */
export const DECISIONS_STREAM = 'decisions';
export const REJECTIONS_STREAM = 'rejections';
export const COMPARISONS_STREAM = 'comparisons';

/** The plain-data part of a ChainWriter's options (also handed to the audit worker thread). */
export type ChainWriterSettings = Pick<
  ChainWriterOptions,
  'fsync' | 'rotateBytes' | 'retentionDays' | 'checkpointKey' | 'checkpointEvery'
>;

export function chainWriterSettings(a: AuditConfig): ChainWriterSettings {
  return {
    fsync: a.fsync,
    rotateBytes: a.rotateBytes,
    retentionDays: a.retentionDays,
    checkpointKey: a.checkpointKey,
    checkpointEvery: a.checkpointEvery,
  };
}

/** A ChainWriter configured from AppConfig.audit, reporting to the audit metrics. */
export function createChainWriter(
  stream: string,
  dir: string,
  config: AppConfig,
  clock: Clock,
  logger: AppLogger,
  metrics: MetricsService,
): ChainWriter {
  return new ChainWriter({
    ...chainWriterSettings(config.audit),
    dir,
    stream,
    clock,
    // Every ChainWriter log call carries its stream already.
    log: logger.child('AuditLog'),
    onWritten: (lines, seconds) => recordWritten(metrics, stream, lines, seconds),
    onFailed: () => metrics.auditWriteFailures.inc(),
  });
}

/** Metrics of one durable batch (shared with the worker thread's reports). */
export function recordWritten(
  metrics: MetricsService,
  stream: string,
  lines: number,
  seconds: number,
): void {
  metrics.auditWriteDuration.observe(seconds);
  metrics.auditLines.inc({ log: stream }, lines);
}
