/** Responses the API host builds outside the routes: auth, rate limit and fault answers. */
import { errorBody, FakeApiError, faultError } from './genesys-errors';
import type { FakeResponse } from './http-io';
import type { RateDecision } from './rate-limiter';
import type { Fault } from './fake-genesys.types';

/** `inin-ratelimit-allowed` when no limit is configured (the header is always present). */
export const UNLIMITED_ALLOWED = 1_000_000;

export function unauthorizedMessage(state: 'missing' | 'unknown' | 'expired' | 'valid'): string {
  switch (state) {
    case 'missing':
      return 'No authentication bearer token specified in authorization header.';
    case 'expired':
      return 'Authentication token has expired.';
    case 'unknown':
    case 'valid':
      return 'Invalid login credentials.';
  }
}

export function rateLimited(rate: RateDecision): FakeApiError {
  const retryAfter = Math.max(1, Math.ceil(rate.resetMs / 1000));
  return new FakeApiError(
    429,
    'too.many.requests.retry.after',
    'Rate limit exceeded the maximum. Retry the request in [{retryAfter}] seconds',
    { retryAfter: String(retryAfter) },
    {
      limit: { key: 'token.rate.per.minute', namespace: 'platform.api', value: rate.limit ?? 0 },
      headers: { 'Retry-After': String(retryAfter) },
    },
  );
}

export function withRate(response: FakeResponse, rate: RateDecision): FakeResponse {
  return {
    ...response,
    headers: {
      ...response.headers,
      'inin-ratelimit-count': String(rate.count),
      'inin-ratelimit-allowed': String(rate.limit ?? UNLIMITED_ALLOWED),
      'inin-ratelimit-reset': String(Math.max(0, Math.ceil(rate.resetMs / 1000))),
    },
  };
}

export function faultResponse(
  fault: Extract<Fault, { kind: 'status' }>,
  correlationId: string,
): FakeResponse {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) {
    headers['Retry-After'] = String(fault.retryAfterSeconds);
  }
  return {
    status: fault.status,
    headers,
    body: fault.body ?? errorBody(faultError(fault.status), correlationId),
  };
}
