/**
 * Genesys Cloud's error body and the fake's way of raising one. Every API
 * error the fake answers has the full shape real clients parse:
 * {message, code, status, messageWithParams, messageParams, contextId, details, errors[, limit]}.
 */

export interface GenesysErrorBody {
  message: string;
  code: string;
  status: number;
  messageWithParams: string;
  messageParams: Record<string, string>;
  contextId: string;
  details: unknown[];
  errors: unknown[];
  limit?: { key: string; namespace: string; value: number };
}

/** Thrown inside handlers; turned into a response by the router. */
export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** Template with `{name}` placeholders, as Genesys sends in `messageWithParams`. */
    readonly messageWithParams: string,
    readonly messageParams: Record<string, string> = {},
    readonly extra: { limit?: GenesysErrorBody['limit']; headers?: Record<string, string> } = {},
  ) {
    super(fillParams(messageWithParams, messageParams));
  }
}

export function fillParams(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}

export function errorBody(error: FakeApiError, contextId: string): GenesysErrorBody {
  const body: GenesysErrorBody = {
    message: error.message,
    code: error.code,
    status: error.status,
    messageWithParams: error.messageWithParams,
    messageParams: error.messageParams,
    contextId,
    details: [],
    errors: [],
  };
  if (error.extra.limit) body.limit = error.extra.limit;
  return body;
}

/** Default body for an injected status fault, shaped like a gateway error from Genesys. */
export function faultError(status: number): FakeApiError {
  const codes: Record<number, [string, string]> = {
    500: ['internal.server.error', 'The server encountered an unexpected condition.'],
    502: ['bad.gateway', 'The server received an invalid response from an upstream server.'],
    503: ['service.unavailable', 'The service is currently unavailable.'],
    504: ['gateway.timeout', 'The upstream service did not respond in time.'],
    429: ['too.many.requests', 'Rate limit exceeded the maximum.'],
  };
  const [code, message] = codes[status] ?? ['error', `Injected fault with status ${status}.`];
  return new FakeApiError(status, code, message);
}

export const badRequest = (message: string, params: Record<string, string> = {}): FakeApiError =>
  new FakeApiError(400, 'bad.request', message, params);
