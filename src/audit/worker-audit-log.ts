import { Worker } from 'node:worker_threads';
import type { OnApplicationShutdown } from '@nestjs/common';
import type { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { AppLogger, ContextLogger } from '../common/logging/app-logger';
import type { AppConfig } from '../config/app-config';
import type { MetricsService } from '../metrics/metrics.service';
import type {
  AuditWorkerData,
  AuditWorkerReply,
  AuditWorkerRequest,
} from './audit-worker.protocol';
import type { AuditBatchHeader } from './audit.types';
import { chainWriterSettings, recordWritten } from './chain-writer.factory';
import { encodeRecords } from './decision-records-wire';
import type { AuditRow, ContactKeys, Pseudonymiser } from './pseudonymiser';
import { PseudonymisingAuditLog } from './pseudonymising-audit-log';

/** Each member of a union without its id (a distributive conditional type). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = WithoutId<AuditWorkerRequest>;

interface Pending {
  resolve: () => void;
  reject: (e: DomainError) => void;
}

/**
 * The decision log on a worker thread (AUDIT_WORKER=true, the default): the
 * request thread pseudonymises each decision and builds its line's canonical
 * pieces, and posts the batch as UTF-8 bytes (decision-records-wire.ts); line
 * building, SHA-256 chaining, writes and fsync run in audit-worker.ts, on the
 * machine's other core. No contact data and no pseudonym key crosses over. The contract is
 * AuditLog's: append() resolves only after the worker reports the batch durable,
 * and rejects with AUDIT_UNAVAILABLE when it is not. Should the thread die, every
 * pending batch is refused and the next append starts a fresh thread, which
 * restores the chain from disk (repairing a torn tail) like a restarted service.
 */
export class WorkerAuditLog extends PseudonymisingAuditLog implements OnApplicationShutdown {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly log: ContextLogger;

  constructor(
    private readonly config: AppConfig,
    clock: Clock,
    logger: AppLogger,
    metrics: MetricsService,
    pseudonymiser: Pseudonymiser,
    private readonly script: string,
  ) {
    super(config.audit.dir, clock, pseudonymiser, metrics);
    this.log = logger.child('AuditLog');
  }

  /** Not async: the rows are dropped once encoded, not held until the batch is durable. */
  protected writeRows(
    header: AuditBatchHeader,
    rows: readonly AuditRow[],
    keys: ContactKeys,
  ): Promise<void> {
    return this.call({ type: 'append', records: encodeRecords(header, rows, keys), ts: header.ts });
  }

  override open(): Promise<void> {
    return this.call({ type: 'open', ts: this.clock.now().toISOString() });
  }

  async onApplicationShutdown(): Promise<void> {
    const w = this.worker;
    if (w === undefined) return;
    await this.call({ type: 'close' }).catch(() => undefined);
    this.worker = undefined;
    await w.terminate();
  }

  private call(request: Request): Promise<void> {
    const w = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // The thread keeps the process alive only while a batch is in flight (CLI runs end on their own).
      if (this.pending.size === 1) w.ref();
      const message: AuditWorkerRequest = { ...request, id };
      // The batch's bytes move to the worker instead of being copied.
      w.postMessage(message, message.type === 'append' ? [message.records.bytes.buffer] : []);
    });
  }

  private start(): Worker {
    const data: AuditWorkerData = {
      dir: this.config.audit.dir,
      settings: chainWriterSettings(this.config.audit),
    };
    const w = new Worker(this.script, { workerData: data });
    w.unref();
    w.on('message', (m: AuditWorkerReply) => this.onReply(m));
    w.on('error', (e) => this.stopped(w, e.message));
    w.on('exit', (code) => this.stopped(w, `exit code ${code}`));
    this.worker = w;
    return w;
  }

  private onReply(m: AuditWorkerReply): void {
    switch (m.type) {
      case 'done': {
        const p = this.pending.get(m.id);
        if (p === undefined) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) this.worker?.unref();
        if (m.error === undefined) p.resolve();
        else p.reject(new DomainError(ErrorCode.AUDIT_UNAVAILABLE, m.error));
        return;
      }
      case 'log':
        this.log[m.level](m.msg, m.fields);
        return;
      case 'written':
        recordWritten(this.metrics, m.stream, m.lines, m.seconds);
        return;
      case 'failed':
        this.metrics.auditWriteFailures.inc();
        return;
    }
  }

  private stopped(w: Worker, reason: string): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    this.log.error('audit worker thread stopped; the next batch starts a new one', {
      reason,
      refusedBatches: this.pending.size,
    });
    const err = new DomainError(
      ErrorCode.AUDIT_UNAVAILABLE,
      'The audit log writer stopped unexpectedly; no decision of the batch was released.',
    );
    for (const p of this.pending.values()) {
      this.metrics.auditWriteFailures.inc();
      p.reject(err);
    }
    this.pending.clear();
  }
}
