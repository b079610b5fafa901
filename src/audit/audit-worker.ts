import { parentPort, workerData } from 'node:worker_threads';
import { Clock } from '../common/clock';
import type {
  AuditWorkerData,
  AuditWorkerReply,
  AuditWorkerRequest,
} from './audit-worker.protocol';
import { ChainWriter, type ChainWriterLog } from './chain-writer';
import { DecisionLog } from './decision-log';
import { ContactKeys, type AuditRow } from './pseudonymiser';

/**
 * Entry point of the audit worker thread (started by WorkerAuditLog): runs the
 * DecisionLog off the request thread. Requests are handled in arrival order, so
 * the lines of the chain follow the order of the append() calls, as in-process.
 */

/** "Now" is the time the main thread stamped on the request being handled. */
class StampedClock extends Clock {
  private at = new Date();
  set(ts: string): void {
    this.at = new Date(ts);
  }
  now(): Date {
    return new Date(this.at.getTime());
  }
}

const port = parentPort;
if (port === null) throw new Error('audit-worker.js runs only as a worker thread');
const data = workerData as AuditWorkerData;
const post = (m: AuditWorkerReply): void => port.postMessage(m);
const clock = new StampedClock();
const keys = new ContactKeys(data.hmacKey);

function relayLog(stream: string): ChainWriterLog {
  const at =
    (level: 'info' | 'warn' | 'error') =>
    (msg: string, fields?: Record<string, unknown>): void =>
      post({ type: 'log', level, stream, msg, fields });
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

const log = new DecisionLog(
  () => keys,
  (stream) =>
    new ChainWriter({
      ...data.settings,
      dir: data.dir,
      stream,
      clock,
      log: relayLog(stream),
      onWritten: (lines, seconds) => post({ type: 'written', stream, lines, seconds }),
      onFailed: () => post({ type: 'failed' }),
    }),
  () => post({ type: 'failed' }),
);

function handle(m: AuditWorkerRequest): Promise<void> {
  switch (m.type) {
    case 'append':
      clock.set(m.header.ts);
      return log.append(m.header, JSON.parse(m.rows) as AuditRow[]);
    case 'open':
      clock.set(m.ts);
      return log.open();
    case 'close':
      return log.close();
  }
}

port.on('message', (m: AuditWorkerRequest) => {
  handle(m).then(
    () => post({ type: 'done', id: m.id }),
    (e: unknown) =>
      post({
        type: 'done',
        id: m.id,
        error: e instanceof Error ? e.message : String(e),
      }),
  );
});
