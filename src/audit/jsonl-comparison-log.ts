import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppLogger } from '../common/logging/app-logger';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { LINE_FORMAT_VERSION, piecesFromObject } from './chain-format';
import type { ChainWriter } from './chain-writer';
import { COMPARISONS_STREAM, createChainWriter } from './chain-writer.factory';
import { ComparisonLog, type ComparisonLogEntry } from './comparison-log';

/** The comparison log: one hash-chained line per compare run in COMPARE_LOG_DIR (`comparisons-*.jsonl`). */
@Injectable()
export class JsonlComparisonLog extends ComparisonLog implements OnApplicationShutdown {
  private readonly writer: ChainWriter;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    logger: AppLogger,
    metrics: MetricsService,
  ) {
    super();
    this.writer = createChainWriter(
      COMPARISONS_STREAM,
      config.audit.compareLogDir,
      config,
      clock,
      logger,
      metrics,
    );
  }

  record(entry: ComparisonLogEntry): Promise<void> {
    const record: Record<string, unknown> = {
      requestId: entry.requestId,
      source: entry.source,
      baseline: entry.baseline,
      candidate: entry.candidate,
      inputDigest: entry.inputDigest,
      summary: entry.summary,
      inputName: entry.inputName,
      candidateFile: entry.candidateFile,
      ts: this.clock.now().toISOString(),
      v: LINE_FORMAT_VERSION,
    };
    return this.writer.append([piecesFromObject(record)]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.writer.close();
  }
}
