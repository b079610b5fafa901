/** Small node:http helpers: listen/close, read a body, describe a request, write a JSON response. */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised; undefined sends an empty body. A string is sent as is. */
  body?: unknown;
}

/** Beyond this the fake stops keeping bytes (the request is answered 413 anyway). */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<{ raw: Buffer; bytes: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_BUFFERED_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve({ raw: Buffer.concat(chunks), bytes }));
    // An aborted upload is recorded with what arrived; the socket is gone anyway.
    req.on('error', () => resolve({ raw: Buffer.concat(chunks), bytes }));
  });
}

export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export function parseQuery(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const prior = query[key];
    if (prior === undefined) query[key] = value;
    else query[key] = Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return query;
}

export function mediaType(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The body as a test wants to assert on it: JSON or form fields when parseable. */
export function describeBody(headers: Record<string, string>, raw: string): unknown {
  const type = mediaType(headers);
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export function writeResponse(res: ServerResponse, response: FakeResponse): void {
  if (res.destroyed || res.headersSent) return;
  const payload =
    response.body === undefined
      ? ''
      : typeof response.body === 'string'
        ? response.body
        : JSON.stringify(response.body);
  const headers: Record<string, string> = { ...response.headers };
  if (payload.length > 0 && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json; charset=UTF-8';
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

export function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${hostPart}:${address.port}`);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    // Keep-alive sockets would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}
