/**
 * The API host's request pipeline: path -> bearer token -> rate limit -> body
 * size -> route, every answer carrying the ratelimit headers. Also the
 * read-only /__fake/ view for people trying the fake by hand.
 */
import { rateLimited, unauthorizedMessage, withRate } from './api-responses';
import { routeApi, splitApiPath, type Stores } from './api-router';
import type { ContactStore } from './contact-store';
import { LIMITS } from './contact-validation';
import type { DncStore } from './dnc-store';
import { errorBody, FakeApiError } from './genesys-errors';
import type { FakeResponse } from './http-io';
import type { FixedWindowRateLimiter } from './rate-limiter';
import type { TokenStore } from './token-store';
import type { RecordedRequest } from './fake-genesys.types';

/** What the handlers read: the recorded fields plus the body, which the record may omit. */
export type ReceivedRequest = Pick<
  RecordedRequest,
  'method' | 'path' | 'query' | 'headers' | 'rawBody' | 'bodyBytes'
>;

export const INSPECT_PREFIX = '/__fake/';

export interface ApiDeps {
  tokens: TokenStore;
  limiter: FixedWindowRateLimiter;
  stores: Stores;
}

export function handleApiRequest(
  record: ReceivedRequest,
  bearer: string | undefined,
  correlationId: string,
  deps: ApiDeps,
): FakeResponse {
  let rate = deps.limiter.peek(bearer ?? '');
  try {
    // Paths outside the API (e.g. /oauth/token, which lives on the login host) do not exist here.
    const segments = splitApiPath(record.path);
    if (segments === undefined) {
      throw new FakeApiError(404, 'not.found', 'The requested resource was not found.');
    }
    const tokenState = bearer === undefined ? 'missing' : deps.tokens.check(bearer);
    if (bearer === undefined || tokenState !== 'valid') {
      throw new FakeApiError(401, 'bad.credentials', unauthorizedMessage(tokenState));
    }
    rate = deps.limiter.take(bearer);
    if (!rate.allowed) throw rateLimited(rate);
    if (record.bodyBytes > LIMITS.bytesPerRequest) {
      throw new FakeApiError(
        413,
        'request.entity.too.large',
        'The request body of {bytes} bytes is over the limit of {limit} bytes',
        { bytes: String(record.bodyBytes), limit: String(LIMITS.bytesPerRequest) },
      );
    }
    const response = routeApi(
      {
        method: record.method,
        segments,
        query: record.query,
        headers: record.headers,
        rawBody: record.rawBody,
      },
      deps.stores,
    );
    return withRate(response, rate);
  } catch (error) {
    if (!(error instanceof FakeApiError)) throw error;
    return withRate(
      {
        status: error.status,
        headers: error.extra.headers,
        body: errorBody(error, correlationId),
      },
      rate,
    );
  }
}

/**
 * Read-only view for people trying the fake by hand (`/__fake/...` on the API
 * host): no auth, not recorded, never part of the Genesys API.
 */
export function inspect(
  method: string,
  target: string,
  contacts: ContactStore,
  dnc: DncStore,
): FakeResponse {
  const path = target.split('?')[0] ?? '';
  const parts = path.slice(INSPECT_PREFIX.length).split('/').map(decodeURIComponent);
  try {
    if (method === 'GET' && parts[0] === 'contactlists' && parts[2] === 'contacts' && parts[1]) {
      return { status: 200, body: contacts.contacts(parts[1]) };
    }
    if (method === 'GET' && parts[0] === 'dnclists' && parts[1] && parts.length === 2) {
      return { status: 200, body: dnc.entries(parts[1]) };
    }
  } catch (error) {
    if (error instanceof FakeApiError) return { status: error.status, body: errorBody(error, '') };
    if (error instanceof URIError)
      return { status: 400, body: { message: 'bad percent-encoding' } };
    throw error;
  }
  return {
    status: 404,
    body: { message: 'try GET /__fake/contactlists/{id}/contacts or /__fake/dnclists/{id}' },
  };
}
