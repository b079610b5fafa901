import type { AuditBatchHeader } from './audit.types';
import type { ChainWriterSettings } from './chain-writer.factory';

/** workerData of the audit worker thread. Secrets stay in memory: never logged, never written. */
export interface AuditWorkerData {
  dir: string;
  settings: ChainWriterSettings;
  /** The pseudonym key (AUDIT_HMAC_KEY or the generated one), resolved by the main thread. */
  hmacKey: string;
}

/** Main thread -> worker. `ts` is the main thread's clock: the worker never reads its own. */
export type AuditWorkerRequest =
  | {
      type: 'append';
      id: number;
      header: AuditBatchHeader;
      /** JSON array of AuditRow: one string crosses the thread boundary faster than 10,000 objects. */
      rows: string;
    }
  | { type: 'open'; id: number; ts: string }
  | { type: 'close'; id: number };

export type AuditWorkerLogLevel = 'info' | 'warn' | 'error';

/** Worker -> main thread. */
export type AuditWorkerReply =
  | { type: 'done'; id: number; error?: string }
  | {
      type: 'log';
      level: AuditWorkerLogLevel;
      stream: string;
      msg: string;
      fields?: Record<string, unknown>;
    }
  | { type: 'written'; stream: string; lines: number; seconds: number }
  | { type: 'failed' };
