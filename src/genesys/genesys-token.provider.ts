import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger, type ContextLogger } from '../common/logging/app-logger';
import { MetricsService } from '../metrics/metrics.service';
import { requireEndpoints, type GenesysEndpoints } from './genesys-endpoints';
import { errorForStatus, errorForTransport, parseErrorBody } from './genesys-errors';
import {
  configuredRetryPolicy,
  RetryPolicy,
  parseRetryAfter,
  type AttemptOutcome,
} from './genesys-retry-policy';
import { GenesysTiming } from './genesys-timing';
import { GenesysTransport } from './genesys-transport';

interface CachedToken {
  value: string;
  /** Monotonic ms after which the token is not used any more (expiry minus margin). */
  refreshAt: number;
}

const OPERATION = 'oauthToken';

/**
 * OAuth client-credentials tokens for the API host: POST {login}/oauth/token
 * with Basic base64(id:secret) and a form body. One token is shared by every
 * caller until `expires_in` minus GENESYS_TOKEN_MARGIN_S; concurrent callers
 * during a refresh share one request (single flight), because token requests
 * are rate-limited per client.
 */
@Injectable()
export class GenesysTokenProvider {
  private cached?: CachedToken;
  private inflight?: Promise<string>;
  private readonly log: ContextLogger;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly config: AppConfig,
    private readonly transport: GenesysTransport,
    private readonly timing: GenesysTiming,
    private readonly metrics: MetricsService,
    logger: AppLogger,
  ) {
    this.log = logger.child('Genesys');
    this.retry = configuredRetryPolicy(config.genesys, timing);
  }

  /** A valid bearer token, from cache or from one shared refresh. */
  getToken(): Promise<string> {
    if (this.cached && this.timing.now() < this.cached.refreshAt) {
      return Promise.resolve(this.cached.value);
    }
    if (!this.inflight) {
      this.inflight = this.fetchToken().finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  /**
   * The API answered 401 with `token`: drop it so the next getToken refreshes.
   * A token already replaced by a concurrent refresh is left alone, so a burst
   * of 401s still causes a single token request.
   */
  invalidate(token: string): void {
    if (this.cached?.value === token) this.cached = undefined;
  }

  private async fetchToken(): Promise<string> {
    const ep = requireEndpoints(this.config.genesys);
    const basic = Buffer.from(`${ep.clientId}:${ep.clientSecret}`, 'utf8').toString('base64');
    const started = this.timing.now();
    for (let attempt = 1; ; attempt++) {
      const res = await this.transport.send({
        method: 'POST',
        url: `${ep.loginBaseUrl}/oauth/token`,
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        timeoutMs: this.config.genesys.timeoutMs,
      });
      const status = res.kind === 'response' ? String(res.status) : res.reason;
      this.metrics.genesysRequests.inc({ operation: OPERATION, status });
      let outcome: AttemptOutcome;
      if (res.kind === 'response') {
        const correlationId = res.headers['inin-correlation-id'];
        if (res.status >= 200 && res.status < 300) {
          return this.accept(res.bodyText, ep, correlationId, attempt);
        }
        const body = parseErrorBody(res.bodyText);
        if (res.status === 400 || res.status === 401 || res.status === 403) {
          throw this.rejected(ep, res.status, body.error ?? body.code, correlationId, attempt);
        }
        outcome = {
          kind: 'status',
          status: res.status,
          retryAfterS: parseRetryAfter(res.headers['retry-after']),
        };
        const decision = this.retry.decide(outcome, attempt - 1, this.timing.now() - started);
        if (!decision.retry) {
          throw this.gaveUp(
            errorForStatus(res.status, body, {
              operation: OPERATION,
              correlationId,
              attempts: attempt,
            }),
            ep,
          );
        }
        await this.backoff(decision.delayMs, decision.reason, attempt);
      } else {
        outcome = { kind: res.reason };
        const decision = this.retry.decide(outcome, attempt - 1, this.timing.now() - started);
        if (!decision.retry) {
          throw this.gaveUp(
            errorForTransport(res.reason, res.code, { operation: OPERATION, attempts: attempt }),
            ep,
          );
        }
        await this.backoff(decision.delayMs, decision.reason, attempt);
      }
    }
  }

  private gaveUp(error: DomainError, ep: GenesysEndpoints): DomainError {
    this.log.error('could not obtain a Genesys Cloud access token', {
      target: ep.target,
      code: error.code,
      attempts: error.details.extra?.attempts,
      correlationId: error.details.extra?.correlationId,
    });
    return error;
  }

  private async backoff(delayMs: number, reason: string, attempt: number): Promise<void> {
    this.metrics.genesysRetries.inc({ operation: OPERATION, reason });
    this.log.warn('token request failed; retrying', { reason, attempt, delayMs });
    await this.timing.sleep(delayMs);
  }

  private accept(
    text: string,
    ep: GenesysEndpoints,
    correlationId: string | undefined,
    attempts: number,
  ): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const o = (parsed ?? {}) as { access_token?: unknown; expires_in?: unknown };
    if (typeof o.access_token !== 'string' || o.access_token.length === 0) {
      throw new DomainError(
        ErrorCode.GENESYS_ERROR,
        `Genesys Cloud login (${ep.target}) answered without an access token.`,
        { extra: { operation: OPERATION, correlationId, attempts } },
      );
    }
    const expiresInS =
      typeof o.expires_in === 'number' && Number.isFinite(o.expires_in) && o.expires_in > 0
        ? o.expires_in
        : 300;
    // Never let the margin eat more than half of a short-lived token, or every
    // call would fetch a new one.
    const marginS = Math.min(this.config.genesys.tokenMarginS, expiresInS / 2);
    this.cached = {
      value: o.access_token,
      refreshAt: this.timing.now() + (expiresInS - marginS) * 1000,
    };
    this.log.info('obtained Genesys Cloud access token', {
      target: ep.target,
      expiresInS,
      refreshInS: Math.round(expiresInS - marginS),
    });
    return o.access_token;
  }

  private rejected(
    ep: GenesysEndpoints,
    status: number,
    oauthError: string | undefined,
    correlationId: string | undefined,
    attempts: number,
  ): DomainError {
    const err = new DomainError(
      ErrorCode.GENESYS_AUTH_FAILED,
      `Genesys Cloud rejected the OAuth client credentials for ${ep.target} ` +
        `(${status}${oauthError ? ` ${oauthError}` : ''}). Check GENESYS_CLIENT_ID and ` +
        'GENESYS_CLIENT_SECRET, that the OAuth client uses the Client Credentials grant, and ' +
        'that it belongs to an org in this region.',
      {
        extra: {
          operation: OPERATION,
          status,
          oauthError,
          correlationId,
          attempts,
          region: this.config.genesys.region,
        },
      },
    );
    this.log.error('Genesys Cloud rejected the OAuth client credentials', {
      target: ep.target,
      status,
      oauthError,
      correlationId,
    });
    return err;
  }
}
