import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger } from '../common/logging/app-logger';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { AuditLog, type AuditBatch } from './audit.types';
import type { ChainPieces } from './chain-format';
import type { ChainWriter } from './chain-writer';
import { createChainWriter, DECISIONS_STREAM, REJECTIONS_STREAM } from './chain-writer.factory';
import { batchContext, decisionPieces } from './decision-line';
import { ENGINE_VERSION } from './engine-version';
import { Pseudonymiser } from './pseudonymiser';

/**
 * The decision log: one hash-chained JSONL line per decision in AUDIT_DIR
 * (`decisions-*.jsonl`), and the same line again for each rejection in the
 * rejection manifest (`rejections-*.jsonl`, its own chain) for data stewards.
 * append() resolves once both are durable.
 */
@Injectable()
export class JsonlAuditLog extends AuditLog implements OnApplicationShutdown {
  private readonly decisions: ChainWriter;
  private readonly rejections: ChainWriter;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
    logger: AppLogger,
    private readonly metrics: MetricsService,
    private readonly pseudonymiser: Pseudonymiser,
  ) {
    super();
    const dir = config.audit.dir;
    this.decisions = createChainWriter(DECISIONS_STREAM, dir, config, clock, logger, metrics);
    this.rejections = createChainWriter(REJECTIONS_STREAM, dir, config, clock, logger, metrics);
  }

  async append(batch: AuditBatch): Promise<void> {
    if (batch.items.length === 0) return;
    const all: ChainPieces[] = new Array<ChainPieces>(batch.items.length);
    const rejected: ChainPieces[] = [];
    try {
      const ctx = batchContext(batch, this.clock.now().toISOString(), ENGINE_VERSION);
      for (let i = 0; i < batch.items.length; i++) {
        const item = batch.items[i] as AuditBatch['items'][number];
        const pieces = decisionPieces(
          ctx,
          item.decision,
          this.pseudonymiser.contactKeyJson(item.contact),
          this.pseudonymiser.proofRef(item.contact),
        );
        all[i] = pieces;
        if (item.decision.decision === 'REJECTED') rejected.push(pieces);
      }
    } catch (e) {
      // Only the pseudonym key file can fail here (AUDIT_DIR not writable).
      this.metrics.auditWriteFailures.inc();
      throw new DomainError(
        ErrorCode.AUDIT_UNAVAILABLE,
        'The audit log cannot be written (pseudonym key unavailable).',
        {
          cause: e,
        },
      );
    }
    await Promise.all([this.decisions.append(all), this.rejections.append(rejected)]);
  }

  override async open(): Promise<void> {
    await Promise.all([this.decisions.prepare(), this.rejections.prepare()]);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.decisions.close(), this.rejections.close()]);
  }
}
