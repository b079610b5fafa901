import { request } from 'node:http';
import { Readable } from 'node:stream';
import { cpuSeconds, nowMs, peakRssMb, percentile } from './lib/stats';
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
}

/** POST /v1/validate with `perRequest` contacts, `concurrency` requests in flight, `total` requests. */
export async function benchValidate(
  svc: RunningService,
  bodies: string[],
  perRequest: number,
  total: number,
  concurrency: number,
  fsync: string,
): Promise<ValidateResult> {
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = cpuSeconds(svc.pid);
  const start = nowMs();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const body = bodies[next++ % bodies.length] as string;
      const t0 = nowMs();
      const r = await fetch(`${svc.baseUrl}/v1/validate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (r.status !== 200) throw new Error(`validate answered ${r.status}: ${await r.text()}`);
      await r.arrayBuffer();
      latencies.push(nowMs() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = nowMs() - start;
  const cpu1 = cpuSeconds(svc.pid);
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
  };
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
}

/** Streams `lines` NDJSON contacts (generated on the fly, with backpressure) to /v1/validate/stream. */
export async function benchStream(
  svc: RunningService,
  lines: number,
  template: Record<string, unknown>[],
  fsync: string,
): Promise<StreamResult> {
  const encoded = template.map((c) => JSON.stringify(c));
  let i = 0;
  const source = new Readable({
    read() {
      let chunk = '';
      for (let k = 0; k < 500 && i < lines; k++, i++) {
        const t = encoded[i % encoded.length] as string;
        chunk += t.replace('"id":"', `"id":"s${i}-`) + '\n';
      }
      this.push(chunk.length > 0 ? chunk : null);
    },
  });
  const cpu0 = cpuSeconds(svc.pid);
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
          for (let j = 0; j < buf.length; j++) if (buf[j] === 10) count++;
        });
        res.on('end', () => resolve(count));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    source.pipe(req);
  });
  const elapsed = nowMs() - start;
  const cpu1 = cpuSeconds(svc.pid);
  return {
    fsync,
    lines,
    resultLines,
    contactsPerSec: (lines / elapsed) * 1000,
    peakRssMb: peakRssMb(svc.pid),
    seconds: elapsed / 1000,
    serviceCpuUsPerContact: cpuPerContact(cpu0, cpu1, lines),
  };
}
