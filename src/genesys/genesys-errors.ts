import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { GenesysFailure } from './genesys.types';

/** The fields of a Genesys error body we keep (anything else is dropped). */
export interface GenesysErrorBody {
  message?: string;
  code?: string;
  messageWithParams?: string;
  messageParams?: Record<string, string>;
  contextId?: string;
  /** OAuth endpoint errors use these instead. */
  error?: string;
  errorDescription?: string;
}

export interface FailureContext {
  /** Operation name, e.g. `addContacts`. */
  operation: string;
  correlationId?: string;
  /** Requests sent for this operation, including the failed one. */
  attempts: number;
}

const MAX_TEXT = 500;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, MAX_TEXT) : undefined;
}

/** Parses an error response body defensively; never throws. */
export function parseErrorBody(text: string): GenesysErrorBody {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const o = raw as Record<string, unknown>;
  const body: GenesysErrorBody = {
    message: str(o.message),
    code: str(o.code),
    messageWithParams: str(o.messageWithParams),
    contextId: str(o.contextId),
    error: str(o.error),
    errorDescription: str(o.error_description) ?? str(o.description),
  };
  if (o.messageParams && typeof o.messageParams === 'object' && !Array.isArray(o.messageParams)) {
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.messageParams as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        params[k] = String(v).slice(0, MAX_TEXT);
    }
    body.messageParams = params;
  }
  return body;
}

function extraOf(
  ctx: FailureContext,
  status: number | undefined,
  body: GenesysErrorBody = {},
): Record<string, unknown> {
  const extra: Record<string, unknown> = { operation: ctx.operation, attempts: ctx.attempts };
  if (status !== undefined) extra.status = status;
  if (ctx.correlationId) extra.correlationId = ctx.correlationId;
  if (body.code) extra.genesysCode = body.code;
  if (body.messageWithParams) extra.messageWithParams = body.messageWithParams;
  if (body.messageParams) extra.messageParams = body.messageParams;
  if (body.contextId) extra.contextId = body.contextId;
  return extra;
}

function suffix(ctx: FailureContext): string {
  return ctx.correlationId ? ` (ININ-Correlation-Id ${ctx.correlationId})` : '';
}

function genesysText(status: number, body: GenesysErrorBody): string {
  const code = body.code ? ` ${body.code}` : '';
  const msg = body.message ?? body.messageWithParams;
  return `${status}${code}${msg ? `: ${msg}` : ''}`;
}

/** Codes whose 400 means "the payload is too big" rather than "the payload is wrong". */
const TOO_LARGE_CODES = /too\.large|payload\.size|request\.entity|body\.size|max\.size/i;

/** A non-retryable (or retries-exhausted) HTTP failure as a DomainError. */
export function errorForStatus(
  status: number,
  body: GenesysErrorBody,
  ctx: FailureContext,
): DomainError {
  const extra = extraOf(ctx, status, body);
  const what = `Genesys Cloud ${ctx.operation} failed: ${genesysText(status, body)}${suffix(ctx)}`;
  if (status === 401) {
    return new DomainError(
      ErrorCode.GENESYS_AUTH_FAILED,
      `Genesys Cloud rejected a freshly issued access token for ${ctx.operation}${suffix(ctx)}; ` +
        'check that the OAuth client is active and uses the Client Credentials grant.',
      { extra },
    );
  }
  if (status === 403) {
    return new DomainError(
      ErrorCode.GENESYS_FORBIDDEN,
      `${what}. The OAuth client's role is missing a permission for this call (e.g. ` +
        'outbound:contact:add/edit/view, outbound:contactList:view, outbound:dnc:add) or the ' +
        'object is in a division the role does not cover; see docs/genesys-setup.md.',
      { extra },
    );
  }
  // PUT of a missing contact answers 400 contact.does.not.exist: a not-found for callers.
  if (status === 404 || (status === 400 && body.code === 'contact.does.not.exist'))
    return new DomainError(ErrorCode.GENESYS_NOT_FOUND, what, { extra });
  if (status === 409) return new DomainError(ErrorCode.GENESYS_CONFLICT, what, { extra });
  if (status === 413 || (status === 400 && body.code && TOO_LARGE_CODES.test(body.code)))
    return new DomainError(ErrorCode.GENESYS_PAYLOAD_TOO_LARGE, what, { extra });
  if (status === 429) {
    return new DomainError(
      ErrorCode.GENESYS_RATE_LIMITED,
      `Genesys Cloud kept rate-limiting ${ctx.operation}; gave up after ${ctx.attempts} attempt(s)${suffix(ctx)}.`,
      { extra },
    );
  }
  if (status === 400 && body.code === 'invalid.contact.columns')
    return new DomainError(ErrorCode.GENESYS_UNKNOWN_COLUMNS, what, { extra });
  if (status === 400 || status === 422)
    return new DomainError(ErrorCode.GENESYS_BAD_REQUEST, what, { extra });
  if (status >= 500) {
    return new DomainError(
      ErrorCode.GENESYS_UNAVAILABLE,
      `Genesys Cloud is unavailable for ${ctx.operation}: ${genesysText(status, body)} after ${ctx.attempts} attempt(s)${suffix(ctx)}.`,
      { extra },
    );
  }
  return new DomainError(ErrorCode.GENESYS_ERROR, what, { extra });
}

/** A request that got no HTTP response (timeout, reset, refused) after retries. */
export function errorForTransport(
  reason: 'timeout' | 'network',
  code: string,
  ctx: FailureContext,
): DomainError {
  const extra = { ...extraOf(ctx, undefined), transportError: code };
  if (reason === 'timeout') {
    return new DomainError(
      ErrorCode.GENESYS_TIMEOUT,
      `Genesys Cloud did not answer ${ctx.operation} within GENESYS_TIMEOUT_MS; gave up after ${ctx.attempts} attempt(s).`,
      { extra },
    );
  }
  return new DomainError(
    ErrorCode.GENESYS_UNAVAILABLE,
    `Could not reach Genesys Cloud for ${ctx.operation} (${code}); gave up after ${ctx.attempts} attempt(s).`,
    { extra },
  );
}

/** Serialisable summary of a DomainError for per-chunk results. */
export function failureOf(e: DomainError): GenesysFailure {
  const extra = e.details.extra ?? {};
  const failure: GenesysFailure = { code: e.code, message: e.message };
  if (typeof extra.status === 'number') failure.status = extra.status;
  if (typeof extra.genesysCode === 'string') failure.genesysCode = extra.genesysCode;
  if (typeof extra.messageWithParams === 'string')
    failure.messageWithParams = extra.messageWithParams;
  if (typeof extra.correlationId === 'string') failure.correlationId = extra.correlationId;
  return failure;
}
