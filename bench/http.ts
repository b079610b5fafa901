import { Agent, request } from 'node:http';
import { Readable } from 'node:stream';
import { cpuSeconds, mainThreadCpuSeconds, nowMs, peakRssMb, percentile } from './lib/stats';
import type { RunningService } from './service';

export interface ValidateResult {
  fsync: string;
  requests: number;
  contactsPerRequest: number;
  contactsPerSec: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  peakRssMb?: number;
  /** Service CPU time (user + system) per contact, in microseconds: less sensitive to machine load. */
  serviceCpuUsPerContact?: number;
  /** The part of it spent on the service's main (HTTP) thread. */
  mainThreadCpuUsPerContact?: number;
  /** The bench client's own CPU time per contact (it shares the machine with the service). */
  clientCpuUsPerContact?: number;
}

/**
 * POST /v1/validate with `perRequest` contacts, `concurrency` requests in flight, `total` requests.
 * The client is kept lean so it leaves the machine's other core to the service: bodies are
 * encoded once, sockets are kept alive, and responses are drained without parsing (the first
 * one is parsed and checked, see checkFirstResponse).
 */
export async function benchValidate(
  svc: RunningService,
  bodies: readonly Buffer[],
  perRequest: number,
  total: number,
  concurrency: number,
  fsync: string,
): Promise<ValidateResult> {
  const latencies: number[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(`${svc.baseUrl}/v1/validate`);
  let next = 0;
  let checked = false;
  const cpu0 = cpuSeconds(svc.pid);
  const main0 = mainThreadCpuSeconds(svc.pid);
  const client0 = process.cpuUsage();
  const start = nowMs();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const body = bodies[next++ % bodies.length] as Buffer;
      const t0 = nowMs();
      const keep = !checked;
      checked = true;
      const answer = await post(agent, url, body, keep);
      if (answer.status !== 200) {
        throw new Error(`validate answered ${answer.status}: ${answer.text ?? ''}`);
      }
      if (answer.text !== undefined) checkFirstResponse(answer.text, perRequest);
      latencies.push(nowMs() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = nowMs() - start;
  const client = process.cpuUsage(client0);
  const cpu1 = cpuSeconds(svc.pid);
  const main1 = mainThreadCpuSeconds(svc.pid);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    fsync,
    requests: total,
    contactsPerRequest: perRequest,
    contactsPerSec: ((total * perRequest) / elapsed) * 1000,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    peakRssMb: peakRssMb(svc.pid),
    serviceCpuUsPerContact: cpuPerContact(cpu0, cpu1, total * perRequest),
    mainThreadCpuUsPerContact: cpuPerContact(main0, main1, total * perRequest),
    clientCpuUsPerContact: (client.user + client.system) / (total * perRequest),
  };
}

interface Answer {
  status: number;
  /** The body as text, only when asked for (or on an error status). */
  text?: string;
}

function post(agent: Agent, url: URL, body: Buffer, keepText: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        const keep = keepText || status !== 200;
        res.on('data', (b: Buffer) => {
          if (keep) chunks.push(b);
        });
        res.on('end', () =>
          resolve({ status, text: keep ? Buffer.concat(chunks).toString('utf8') : undefined }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The first response of a run is parsed: the figures only count if the service really answered. */
function checkFirstResponse(text: string, perRequest: number): void {
  const r = JSON.parse(text) as { summary?: { total?: number }; results?: unknown[] };
  if (r.summary?.total !== perRequest || r.results?.length !== perRequest) {
    throw new Error(`validate answered ${r.results?.length} results for ${perRequest} contacts`);
  }
}

function cpuPerContact(
  before: number | undefined,
  after: number | undefined,
  contacts: number,
): number | undefined {
  return before === undefined || after === undefined
    ? undefined
    : ((after - before) / contacts) * 1e6;
}

export interface StreamResult {
  fsync: string;
  lines: number;
  contactsPerSec: number;
  resultLines: number;
  peakRssMb?: number;
  seconds: number;
  serviceCpuUsPerContact?: number;
  mainThreadCpuUsPerContact?: number;
  clientCpuUsPerContact?: number;
}

/** Streams `lines` NDJSON contacts (generated on the fly, with backpressure) to /v1/validate/stream. */
export async function benchStream(
  svc: RunningService,
  lines: number,
  template: Record<string, unknown>[],
  fsync: string,
): Promise<StreamResult> {
  // Each template line is pre-encoded around the point where the per-line id prefix goes,
  // so a line costs two byte copies and one short write: the client stays lean.
  const parts = template.map((c) => {
    const json = JSON.stringify(c);
    const at = json.indexOf('"id":"') + '"id":"'.length;
    return { head: Buffer.from(json.slice(0, at)), tail: Buffer.from(json.slice(at) + '\n') };
  });
  let i = 0;
  const source = new Readable({
    read() {
      if (i >= lines) {
        this.push(null);
        return;
      }
      const chunk = Buffer.allocUnsafe(500 * 1024);
      let off = 0;
      for (let k = 0; k < 500 && i < lines; k++, i++) {
        const p = parts[i % parts.length] as { head: Buffer; tail: Buffer };
        off += p.head.copy(chunk, off);
        off += chunk.write(`s${i}-`, off, 'latin1');
        off += p.tail.copy(chunk, off);
      }
      this.push(chunk.subarray(0, off));
    },
  });
  const cpu0 = cpuSeconds(svc.pid);
  const main0 = mainThreadCpuSeconds(svc.pid);
  const client0 = process.cpuUsage();
  const start = nowMs();
  const resultLines = await new Promise<number>((resolve, reject) => {
    const url = new URL(`${svc.baseUrl}/v1/validate/stream`);
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream answered ${res.statusCode}`));
          res.resume();
          return;
        }
        let count = 0;
        res.on('data', (buf: Buffer) => {
          // indexOf is a native scan: the client must not eat the CPU the service needs.
          for (let j = buf.indexOf(10); j >= 0; j = buf.indexOf(10, j + 1)) count++;
        });
        res.on('end', () => resolve(count));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    source.pipe(req);
  });
  const elapsed = nowMs() - start;
  const client = process.cpuUsage(client0);
  const cpu1 = cpuSeconds(svc.pid);
  const main1 = mainThreadCpuSeconds(svc.pid);
  return {
    fsync,
    lines,
    clientCpuUsPerContact: (client.user + client.system) / lines,
    resultLines,
    contactsPerSec: (lines / elapsed) * 1000,
    peakRssMb: peakRssMb(svc.pid),
    seconds: elapsed / 1000,
    serviceCpuUsPerContact: cpuPerContact(cpu0, cpu1, lines),
    mainThreadCpuUsPerContact: cpuPerContact(main0, main1, lines),
  };
}
