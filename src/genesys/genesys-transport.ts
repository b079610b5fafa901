import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TransportRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  /** Exact body bytes to send (already serialised), if any. */
  body?: string;
  timeoutMs: number;
}

export type TransportResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; bodyText: string }
  /** No HTTP response: `code` is the socket/axios error code only (e.g. ECONNRESET). */
  | { kind: 'failure'; reason: 'timeout' | 'network'; code: string };

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * The only place that touches axios. It never throws and never returns an
 * axios error: those carry config.headers (bearer token, Basic credentials)
 * and the request body (contact data), so everything above works from the
 * status, headers and body text, or from a bare error code.
 */
@Injectable()
export class GenesysTransport {
  constructor(private readonly http: HttpService) {}

  async send(req: TransportRequest): Promise<TransportResult> {
    try {
      const res = await this.http.axiosRef.request<string>({
        method: req.method,
        url: req.url,
        headers: req.headers,
        data: req.body,
        timeout: req.timeoutMs,
        responseType: 'text',
        // Keep the body as text: we parse it ourselves and never let axios throw on it.
        transformResponse: [(d: unknown) => d],
        validateStatus: () => true,
        // A redirect would replay the Authorization header to another host.
        maxRedirects: 0,
        // Base URLs are explicit (GENESYS_*_BASE_URL); ambient HTTP_PROXY must not reroute them.
        proxy: false,
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers as Record<string, unknown>)) {
        if (typeof v === 'string') headers[k.toLowerCase()] = v;
        else if (typeof v === 'number') headers[k.toLowerCase()] = String(v);
        else if (Array.isArray(v)) headers[k.toLowerCase()] = v.map(String).join(', ');
      }
      return {
        kind: 'response',
        status: res.status,
        headers,
        bodyText: typeof res.data === 'string' ? res.data : '',
      };
    } catch (e: unknown) {
      // Deliberately read nothing but the code: the error object holds secrets.
      const raw = (e as { code?: unknown } | null)?.code;
      const code = typeof raw === 'string' && /^[A-Z_]{2,40}$/.test(raw) ? raw : 'UNKNOWN';
      return { kind: 'failure', reason: TIMEOUT_CODES.has(code) ? 'timeout' : 'network', code };
    }
  }
}
