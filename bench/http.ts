import { connect, type Socket } from 'node:net';
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
 * encoded once, each of `concurrency` keep-alive connections speaks HTTP/1.1 on a raw socket
 * and reads into one reused buffer, and responses are counted, not kept (the first one is
 * parsed and checked, see checkFirstResponse). With node:http every 64 KB of the 12 MB
 * responses was a fresh Buffer: the client spent 1.5-3 us of CPU per contact in its own
 * collections, on the cores the service needs.
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
  const url = new URL(`${svc.baseUrl}/v1/validate`);
  const connections = await Promise.all(
    Array.from({ length: concurrency }, () => RawHttpConnection.open(url)),
  );
  let next = 0;
  let checked = false;
  const cpu0 = cpuSeconds(svc.pid);
  const main0 = mainThreadCpuSeconds(svc.pid);
  const client0 = process.cpuUsage();
  const start = nowMs();
  const worker = async (conn: RawHttpConnection): Promise<void> => {
    while (next < total) {
      const body = bodies[next++ % bodies.length] as Buffer;
      const t0 = nowMs();
      const keep = !checked;
      checked = true;
      const answer = await conn.post(url.pathname, body, keep);
      if (answer.status !== 200) {
        throw new Error(`validate answered ${answer.status}: ${answer.text ?? ''}`);
      }
      if (answer.text !== undefined) checkFirstResponse(answer.text, perRequest);
      latencies.push(nowMs() - t0);
    }
  };
  try {
    await Promise.all(connections.map(worker));
  } finally {
    for (const c of connections) c.close();
  }
  const elapsed = nowMs() - start;
  const client = process.cpuUsage(client0);
  const cpu1 = cpuSeconds(svc.pid);
  const main1 = mainThreadCpuSeconds(svc.pid);
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

/** A TCP connection to the service whose reads all land in one reused 256 KB buffer. */
function connectReading(url: URL, onData: (buf: Uint8Array, n: number) => void): Socket {
  return connect({
    host: url.hostname,
    port: Number(url.port),
    onread: {
      buffer: Buffer.allocUnsafe(256 * 1024),
      callback: (n: number, buf: Uint8Array): boolean => {
        onData(buf, n);
        return true;
      },
    },
  });
}

interface Answer {
  status: number;
  /** The body as text, only when asked for (or on an error status). */
  text?: string;
}

/**
 * One keep-alive HTTP/1.1 connection for JSON POSTs, one request at a time, read
 * into a reused buffer. Only what the bench needs: the status, a Content-Length
 * body (what the service sends for JSON and problem responses), the body's bytes
 * kept only on request or on an error status.
 */
class RawHttpConnection {
  private readonly head = new ResponseHead();
  private inBody = false;
  private status = 0;
  private remaining = 0;
  private keep = false;
  private kept: Buffer[] = [];
  private waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly host: string,
  ) {
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed by the service')));
  }

  static open(url: URL): Promise<RawHttpConnection> {
    return new Promise((resolve, reject) => {
      let conn: RawHttpConnection | undefined;
      const socket = connectReading(url, (buf, n) => conn?.feed(buf, n));
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        conn = new RawHttpConnection(socket, url.host);
        resolve(conn);
      });
    });
  }

  post(path: string, body: Buffer, keepText: boolean): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.head.reset();
      this.inBody = false;
      this.keep = keepText;
      this.kept = [];
      this.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${body.length}\r\n\r\n`,
      );
      this.socket.write(body);
    });
  }

  close(): void {
    this.waiting = undefined;
    this.socket.destroy();
  }

  private feed(buf: Uint8Array, n: number): void {
    let k = 0;
    if (!this.inBody) {
      k = this.head.read(buf, n);
      if (k < 0) return;
      const head = this.head.text;
      this.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length === null) {
        this.fail(new Error(`response without Content-Length (${this.head.statusLine()})`));
        return;
      }
      this.remaining = Number(length[1]);
      this.keep ||= this.status !== 200;
      this.inBody = true;
    }
    const take = Math.min(this.remaining, n - k);
    if (this.keep && take > 0) this.kept.push(Buffer.from(buf.subarray(k, k + take)));
    this.remaining -= take;
    if (this.remaining === 0) {
      const w = this.waiting;
      this.waiting = undefined;
      this.inBody = false;
      w?.resolve({
        status: this.status,
        text: this.keep ? Buffer.concat(this.kept).toString('utf8') : undefined,
      });
    }
  }

  private fail(e: Error): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  }
}

/**
 * Gathers a response's status line and headers across reads, up to the blank line.
 * Only reads before the body pass through it: the header is parsed once per response.
 */
class ResponseHead {
  /** The status line and headers, without the blank line (set once it has arrived). */
  text = '';
  private gathered = '';

  /** Adds a read; returns where the body starts in it once the head is complete, else -1. */
  read(buf: Uint8Array, n: number): number {
    const before = this.gathered.length;
    this.gathered += Buffer.from(buf.buffer, buf.byteOffset, n).toString('latin1');
    const end = this.gathered.indexOf('\r\n\r\n');
    if (end < 0) return -1;
    this.text = this.gathered.slice(0, end);
    this.gathered = '';
    return end + 4 - before;
  }

  reset(): void {
    this.text = '';
    this.gathered = '';
  }

  statusLine(): string {
    return this.text.split('\r\n')[0] ?? '';
  }
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

/** Bytes of one request-body chunk; WRITE_BUFFERS of them are reused in turn. */
const CHUNK_BYTES = 256 * 1024;
const WRITE_BUFFERS = 8;

/**
 * Streams `lines` NDJSON contacts (generated on the fly, with backpressure) to
 * /v1/validate/stream and counts the result lines as they arrive.
 *
 * The client speaks HTTP/1.1 over a raw socket, like a load generator: a fixed set
 * of write buffers is reused (the body is sent chunked) and responses are read into
 * one reused buffer (`onread`). With node:http and a fresh buffer per chunk, the
 * client's own garbage collection (1.2 GB of response passes through it) took half
 * a core of the two the machine has, and more after other scenarios had run.
 */
export async function benchStream(
  svc: RunningService,
  lines: number,
  template: Record<string, unknown>[],
  fsync: string,
): Promise<StreamResult> {
  const parts = template.map(lineTemplate);
  const url = new URL(`${svc.baseUrl}/v1/validate/stream`);
  const cpu0 = cpuSeconds(svc.pid);
  const main0 = mainThreadCpuSeconds(svc.pid);
  const client0 = process.cpuUsage();
  const start = nowMs();
  const resultLines = await new Promise<number>((resolve, reject) => {
    const reader = new ResponseLineCounter();
    const socket = connectReading(url, (buf, n) => {
      reader.feed(buf, n);
      if (reader.error !== undefined) socket.destroy(new Error(reader.error));
      else if (reader.done) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () =>
      reader.done ? resolve(reader.lines) : reject(new Error(reader.error ?? 'stream cut short')),
    );
    socket.on('connect', () => {
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n` +
          'Content-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      );
      const free: Buffer[] = Array.from({ length: WRITE_BUFFERS }, () =>
        Buffer.allocUnsafe(CHUNK_BYTES),
      );
      let i = 0;
      const pump = (): void => {
        while (i < lines) {
          const chunk = free.pop();
          if (chunk === undefined) return; // resumes when a write completes
          // Chunked framing: hex size line, data, CRLF. The size line is fixed-width.
          let off = 10;
          while (i < lines) {
            const p = parts[i % parts.length] as LineTemplate;
            if (off + p.bytes + 3 * 24 + 2 > CHUNK_BYTES) break;
            off = p.write(chunk, off, i);
            i++;
          }
          chunk.write((off - 10).toString(16).padStart(8, '0') + '\r\n', 0, 'latin1');
          chunk.write('\r\n', off, 'latin1');
          socket.write(chunk.subarray(0, off + 2), () => {
            free.push(chunk);
            pump();
          });
        }
        if (i === lines) {
          i++;
          socket.write('0\r\n\r\n');
        }
      };
      pump();
    });
  });
  const elapsed = nowMs() - start;
  const client = process.cpuUsage(client0);
  const cpu1 = cpuSeconds(svc.pid);
  const main1 = mainThreadCpuSeconds(svc.pid);
  // One result line per input line, then the summary line: the figures only count if so.
  if (resultLines !== lines + 1) {
    throw new Error(`stream answered ${resultLines} lines for ${lines} contacts`);
  }
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

interface LineTemplate {
  /** Bytes of the template's own segments. */
  bytes: number;
  /** Writes line `i` at `off`; returns the offset after it. */
  write(chunk: Buffer, off: number, i: number): number;
}

const MARK = /~~(ID|PHONE|EMAIL)~~/;

/**
 * One template contact pre-encoded around the places that differ per line, so that
 * every one of the million lines is a distinct contact, as in a real list: the id gets
 * a per-line prefix, the phone number's last seven digits and the email's local part
 * carry the line number. Distinct addresses matter: each one costs two fresh HMACs in
 * the service (docs/performance.md). A line costs a few byte copies and short writes.
 */
function lineTemplate(c: Record<string, unknown>): LineTemplate {
  const marked: Record<string, unknown> = { ...c, id: `~~ID~~${String(c.id)}` };
  if (typeof c.phone_number === 'string' && c.phone_number.length > 9) {
    marked.phone_number = `${c.phone_number.slice(0, -7)}~~PHONE~~`;
  }
  if (typeof c.email === 'string') marked.email = `~~EMAIL~~${c.email}`;
  const pieces = (JSON.stringify(marked) + '\n').split(MARK);
  const segments = pieces.filter((_, k) => k % 2 === 0).map((t) => Buffer.from(t, 'utf8'));
  const holes = pieces.filter((_, k) => k % 2 === 1);
  return {
    bytes: segments.reduce((n, b) => n + b.length, 0),
    write(chunk, off, i) {
      for (let k = 0; k < segments.length; k++) {
        const seg = segments[k] as Buffer;
        chunk.set(seg, off);
        off += seg.length;
        const hole = holes[k];
        // Digits are written as bytes: no string per line (the client shares the CPU).
        if (hole === 'ID') {
          chunk[off++] = 0x73; // s
          off = writeDigits(chunk, off, i, 1);
          chunk[off++] = 0x2d; // -
        } else if (hole === 'PHONE') {
          off = writeDigits(chunk, off, i % 1e7, 7);
        } else if (hole === 'EMAIL') {
          chunk[off++] = 0x75; // u
          off = writeDigits(chunk, off, i, 1);
          chunk[off++] = 0x2e; // .
        }
      }
      return off;
    },
  };
}

/** Writes n in decimal, zero-padded to `width` digits; returns the offset after it. */
function writeDigits(buf: Buffer, off: number, n: number, width: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  const len = Math.max(digits, width);
  let x = n;
  for (let k = off + len - 1; k >= off; k--) {
    buf[k] = 48 + (x % 10);
    x = Math.floor(x / 10);
  }
  return off + len;
}

/**
 * Counts NDJSON lines in a chunked HTTP/1.1 response without keeping it: result lines
 * end in a bare LF, while the status line, headers and chunk framing end in CRLF (the
 * JSON itself never holds a raw CR or LF). Done at the final zero-size chunk.
 */
class ResponseLineCounter {
  lines = 0;
  done = false;
  error: string | undefined;
  private readonly head = new ResponseHead();
  private inBody = false;
  private prev = 0;
  /** The start of a line a read ended in (enough to recognise the final "0"). */
  private pending = '';

  feed(buf: Uint8Array, n: number): void {
    let k = 0;
    if (!this.inBody) {
      k = this.head.read(buf, n);
      if (k < 0) return;
      if (!this.head.text.startsWith('HTTP/1.1 200')) {
        this.error = `stream answered ${this.head.statusLine()}`;
        return;
      }
      this.inBody = true;
    }
    // A native scan from LF to LF: a byte-by-byte loop here cost ~1 us per result line.
    const data = buf.subarray(0, n);
    let lineStart = k;
    for (let j = data.indexOf(10, k); j >= 0; j = data.indexOf(10, j + 1)) {
      const before = j > 0 ? (data[j - 1] as number) : this.prev;
      if (before !== 13) this.lines++;
      else if (this.isFinalChunk(data, lineStart, j)) this.done = true;
      this.pending = '';
      lineStart = j + 1;
    }
    // Keep the start of an unfinished line: the final "0\r\n" may be split across reads.
    if (lineStart < n && this.pending.length < 4) {
      this.pending += Buffer.from(data.subarray(lineStart, Math.min(n, lineStart + 4))).toString(
        'latin1',
      );
    }
    if (n > 0) this.prev = data[n - 1] as number;
  }

  /** True for the line "0\r" (the zero-size chunk that ends a chunked body). */
  private isFinalChunk(data: Uint8Array, lineStart: number, lf: number): boolean {
    const text =
      this.pending +
      Buffer.from(data.subarray(lineStart, Math.min(lf, lineStart + 4))).toString('latin1');
    return text === '0\r';
  }
}
