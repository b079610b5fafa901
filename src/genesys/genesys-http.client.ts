import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AppLogger, type ContextLogger } from '../common/logging/app-logger';
import { MetricsService } from '../metrics/metrics.service';
import { requireEndpoints, resolveEndpoints, type GenesysEndpoints } from './genesys-endpoints';
import { errorForStatus, errorForTransport, parseErrorBody } from './genesys-errors';
import { RatePacer } from './genesys-rate-pacer';
import {
  configuredRetryPolicy,
  RetryPolicy,
  parseRetryAfter,
  type AttemptOutcome,
} from './genesys-retry-policy';
import { GenesysTiming } from './genesys-timing';
import { GenesysTokenProvider } from './genesys-token.provider';
import { GenesysTransport, type HttpMethod, type TransportResult } from './genesys-transport';
import { Semaphore } from './semaphore';

export type QueryValue = string | number | boolean | (string | number)[] | undefined;

export interface GenesysRequest {
  /** Names the call in metrics, logs and errors (e.g. `addContacts`). */
  operation: string;
  method: HttpMethod;
  /** Path below the API base URL, already URI-encoded, e.g. `/api/v2/outbound/contactlists/x`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Serialised JSON body, sent byte for byte. */
  body?: string;
}

export interface GenesysResponse {
  status: number;
  /** Parsed JSON body, undefined when empty or not JSON. */
  data: unknown;
  correlationId?: string;
}

/**
 * Authenticated, resilient requests to the Genesys Cloud API: bounded
 * concurrency (GENESYS_CONCURRENCY), adaptive pacing, one token refresh on
 * 401, retries with Retry-After or full-jitter backoff under attempt and time
 * caps, and every failure mapped to a DomainError built only from status,
 * Genesys' error body and the correlation id.
 */
@Injectable()
export class GenesysHttpClient {
  private readonly semaphore: Semaphore;
  private readonly pacer: RatePacer;
  private readonly retry: RetryPolicy;
  private readonly log: ContextLogger;

  constructor(
    private readonly config: AppConfig,
    private readonly transport: GenesysTransport,
    private readonly tokens: GenesysTokenProvider,
    private readonly timing: GenesysTiming,
    private readonly metrics: MetricsService,
    logger: AppLogger,
  ) {
    const g = config.genesys;
    this.semaphore = new Semaphore(g.concurrency);
    this.pacer = new RatePacer(timing);
    this.retry = configuredRetryPolicy(g, timing);
    this.log = logger.child('Genesys');
  }

  isConfigured(): boolean {
    return resolveEndpoints(this.config.genesys).ok;
  }

  /** Throws GENESYS_NOT_CONFIGURED naming the missing variables. */
  endpoints(): GenesysEndpoints {
    return requireEndpoints(this.config.genesys);
  }

  async request(req: GenesysRequest): Promise<GenesysResponse> {
    const ep = this.endpoints();
    const url = ep.apiBaseUrl + req.path + queryString(req.query);
    const started = this.timing.now();
    let retries = 0;
    let refreshedToken = false;
    for (let attempt = 1; ; attempt++) {
      const { result, token } = await this.attempt(req, url);
      const correlationId =
        result.kind === 'response' ? result.headers['inin-correlation-id'] : undefined;
      this.metrics.genesysRequests.inc({
        operation: req.operation,
        status: result.kind === 'response' ? String(result.status) : result.reason,
      });
      if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
        return { status: result.status, data: parseJson(result.bodyText), correlationId };
      }
      if (result.kind === 'response' && result.status === 401 && !refreshedToken) {
        // Expired or revoked token: refresh once and retry once.
        refreshedToken = true;
        this.tokens.invalidate(token);
        this.metrics.genesysRetries.inc({ operation: req.operation, reason: 'unauthorized' });
        this.log.info('access token refused; refreshing it once', {
          operation: req.operation,
          correlationId,
        });
        continue;
      }
      const outcome: AttemptOutcome =
        result.kind === 'response'
          ? {
              kind: 'status',
              status: result.status,
              retryAfterS: parseRetryAfter(result.headers['retry-after']),
            }
          : { kind: result.reason };
      const decision = this.retry.decide(outcome, retries, this.timing.now() - started);
      if (!decision.retry) {
        const ctx = { operation: req.operation, correlationId, attempts: attempt };
        const error =
          result.kind === 'response'
            ? errorForStatus(result.status, parseErrorBody(result.bodyText), ctx)
            : errorForTransport(result.reason, result.code, ctx);
        if (decision.why !== 'not-retryable') {
          this.log.error('Genesys Cloud request gave up', {
            operation: req.operation,
            code: error.code,
            why: decision.why,
            attempts: attempt,
            correlationId,
          });
        }
        throw error;
      }
      retries++;
      if (outcome.kind === 'status' && outcome.status === 429) this.pacer.pause(decision.delayMs);
      this.metrics.genesysRetries.inc({ operation: req.operation, reason: decision.reason });
      this.log.warn('Genesys Cloud request failed; retrying', {
        operation: req.operation,
        reason: decision.reason,
        attempt,
        delayMs: decision.delayMs,
        correlationId,
      });
      await this.timing.sleep(decision.delayMs);
    }
  }

  /** One HTTP exchange under the concurrency bound and the pacer. */
  private async attempt(
    req: GenesysRequest,
    url: string,
  ): Promise<{ result: TransportResult; token: string }> {
    return this.semaphore.use(async () => {
      const token = await this.tokens.getToken();
      await this.pacer.acquire();
      let result: TransportResult | undefined;
      try {
        const headers: Record<string, string> = {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
        };
        if (req.body !== undefined) headers['Content-Type'] = 'application/json';
        result = await this.transport.send({
          method: req.method,
          url,
          headers,
          body: req.body,
          timeoutMs: this.config.genesys.timeoutMs,
        });
        return { result, token };
      } finally {
        this.pacer.settle(result?.kind === 'response' ? result.headers : {});
      }
    });
  }
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
