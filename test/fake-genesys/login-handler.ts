/**
 * The login host: POST /oauth/token with the client-credentials grant, exactly
 * as Genesys wants it (Basic header, form body). Anything else is refused.
 */
import { mediaType, type FakeResponse } from './http-io';
import type { FixedWindowRateLimiter } from './rate-limiter';
import type { TokenStore } from './token-store';

export interface LoginRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  rawBody: string;
}

export interface LoginDeps {
  clients: Map<string, string>;
  tokens: TokenStore;
  tokenLimiter: FixedWindowRateLimiter;
  tokenTtlSeconds: number;
}

const oauthError = (status: number, error: string, description: string): FakeResponse => ({
  status,
  body: { error, description, error_description: description },
});

export function handleLogin(req: LoginRequest, deps: LoginDeps): FakeResponse {
  if (req.path !== '/oauth/token') return oauthError(404, 'not_found', 'not found');
  if (req.method !== 'POST') {
    return { ...oauthError(405, 'method_not_allowed', 'use POST'), headers: { Allow: 'POST' } };
  }
  const clientId = authenticate(req.headers.authorization, deps.clients);
  if (clientId === undefined) {
    return oauthError(401, 'invalid_client', 'authentication failed');
  }
  const rate = deps.tokenLimiter.take(clientId);
  if (!rate.allowed) {
    const retryAfter = String(Math.max(1, Math.ceil(rate.resetMs / 1000)));
    return {
      status: 429,
      headers: { 'Retry-After': retryAfter },
      body: {
        error: 'too_many_requests',
        description: `token rate limit exceeded, retry in ${retryAfter} seconds`,
        error_description: `token rate limit exceeded, retry in ${retryAfter} seconds`,
      },
    };
  }
  if (mediaType(req.headers) !== 'application/x-www-form-urlencoded') {
    return oauthError(
      400,
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded',
    );
  }
  const grantType = new URLSearchParams(req.rawBody).get('grant_type');
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `unsupported grant type: ${grantType ?? ''}`);
  }
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store' },
    body: {
      access_token: deps.tokens.issue(clientId, deps.tokenTtlSeconds),
      token_type: 'bearer',
      expires_in: deps.tokenTtlSeconds,
    },
  };
}

/** Returns the client id when the Basic credentials match a known client. */
function authenticate(
  header: string | undefined,
  clients: Map<string, string>,
): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const id = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  return clients.get(id) === secret ? id : undefined;
}
