import { parentPort, workerData } from 'node:worker_threads';
import { FixedClock } from '../common/clock';
import type {
  AuditWorkerData,
  AuditWorkerLogLevel,
  AuditWorkerReply,
  AuditWorkerRequest,
} from './audit-worker.protocol';
import { ChainWriter, type ChainWriterLog } from './chain-writer';
import { DecisionChains } from './decision-log';
import { decodeRecords } from './decision-records-wire';

/**
 * Entry point of the audit worker thread (started by WorkerAuditLog): chains,
 * encodes, hashes, writes and fsyncs the decision lines off the request thread.
 * It receives the lines' pieces already pseudonymised: no contact data, no key. Requests are handled in arrival order, so the chain follows the
 * order of the append() calls, as in-process.
 */

const port = parentPort;
if (port === null) throw new Error('audit-worker.js runs only as a worker thread');
const data = workerData as AuditWorkerData;
const post = (m: AuditWorkerReply): void => port.postMessage(m);
/** "Now" is the time the main thread stamped on the request being handled. */
const clock = new FixedClock(new Date());

/** ChainWriter's log, relayed to the service log (every call's fields name its stream). */
const at =
  (level: AuditWorkerLogLevel) =>
  (msg: string, fields?: Record<string, unknown>): void =>
    post({ type: 'log', level, msg, fields });
const relayLog: ChainWriterLog = { info: at('info'), warn: at('warn'), error: at('error') };

const chains = new DecisionChains(
  (stream) =>
    new ChainWriter({
      ...data.settings,
      dir: data.dir,
      stream,
      clock,
      log: relayLog,
      onWritten: (lines, seconds) => post({ type: 'written', stream, lines, seconds }),
      onFailed: () => post({ type: 'failed' }),
    }),
);

/** Async, so a malformed request is a refused batch rather than a crashed thread. */
async function handle(m: AuditWorkerRequest): Promise<void> {
  switch (m.type) {
    case 'append':
      clock.set(new Date(m.ts));
      return chains.append(decodeRecords(m.records));
    case 'open':
      clock.set(new Date(m.ts));
      return chains.open();
    case 'close':
      return chains.close();
  }
}

port.on('message', (m: AuditWorkerRequest) => {
  handle(m).then(
    () => post({ type: 'done', id: m.id }),
    (e: unknown) =>
      post({ type: 'done', id: m.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
