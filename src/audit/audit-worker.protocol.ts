import type { ChainWriterSettings } from './chain-writer.factory';
import type { WireRecords } from './decision-records-wire';

/** workerData of the audit worker thread (the checkpoint key, if set, stays in memory, never logged). */
export interface AuditWorkerData {
  dir: string;
  settings: ChainWriterSettings;
}

/** Main thread -> worker. `ts` is the main thread's clock: the worker never reads its own. */
export type AuditWorkerRequest =
  | {
      type: 'append';
      id: number;
      /** The batch's lines (see decision-records-wire.ts) and the time it was handed over. */
      records: WireRecords;
      ts: string;
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
      msg: string;
      fields?: Record<string, unknown>;
    }
  | { type: 'written'; stream: string; lines: number; seconds: number }
  | { type: 'failed' };
