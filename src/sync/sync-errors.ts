import { DomainError, isDomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { failureOf } from '../genesys/genesys-errors';
import type { GenesysFailure } from '../genesys/genesys.types';
import { scrubText } from '../common/logging/redact';

/** Genesys codes that mean "this request's contacts", not "this list or org": worth narrowing down. */
const LIST_WIDE_GENESYS_CODES = new Set([
  'contact.list.clear.in.progress',
  'contacts.per.org.limit.exceeded',
  'contact.list.not.found',
]);

/**
 * Errors that will fail every later batch too (credentials, permissions, the
 * list gone or being cleared, org full). Dumping the rest of the file into
 * the retry file would be useless, so the job stops and can be resumed.
 */
const ABORT_CODES = new Set<string>([
  ErrorCode.GENESYS_NOT_CONFIGURED,
  ErrorCode.GENESYS_AUTH_FAILED,
  ErrorCode.GENESYS_FORBIDDEN,
  ErrorCode.GENESYS_NOT_FOUND,
]);

export function toFailure(e: unknown): GenesysFailure {
  // Genesys messages can quote a rejected value; journals and reports never hold addresses.
  if (isDomainError(e)) return scrubFailure(failureOf(e));
  return {
    code: ErrorCode.GENESYS_ERROR,
    message: scrubText(e instanceof Error ? e.message : String(e)),
  };
}

function scrub(text: string | undefined): string | undefined {
  return text === undefined ? undefined : scrubText(text);
}

const CONTACT_LEVEL_CODES = new Set<string>([
  ErrorCode.GENESYS_BAD_REQUEST,
  ErrorCode.GENESYS_INVALID_DATA,
  ErrorCode.GENESYS_PAYLOAD_TOO_LARGE,
  ErrorCode.GENESYS_UNKNOWN_COLUMNS,
]);

/** A 400/413 about the contacts in the request: split the batch to find the bad ones. */
export function isBisectable(f: GenesysFailure): boolean {
  if (f.genesysCode !== undefined && LIST_WIDE_GENESYS_CODES.has(f.genesysCode)) return false;
  return f.status === 400 || f.status === 413 || CONTACT_LEVEL_CODES.has(f.code);
}

export function isAbortWorthy(f: GenesysFailure): boolean {
  return (
    ABORT_CODES.has(f.code) ||
    (f.genesysCode !== undefined && LIST_WIDE_GENESYS_CODES.has(f.genesysCode))
  );
}

/** Thrown inside a job to stop it; the job is left resumable. */
export class SyncAbort extends DomainError {
  constructor(readonly failure: GenesysFailure) {
    super(
      (Object.values(ErrorCode) as string[]).includes(failure.code)
        ? (failure.code as ErrorCode)
        : ErrorCode.GENESYS_ERROR,
      `Sync stopped: ${failure.message}${failure.genesysCode ? ` (${failure.genesysCode})` : ''}`,
      { extra: { genesysCode: failure.genesysCode, correlationId: failure.correlationId } },
    );
  }
}

/** A failure reported by the client, with free text scrubbed of addresses. */
export function scrubFailure(f: GenesysFailure): GenesysFailure {
  return { ...f, message: scrubText(f.message), messageWithParams: scrub(f.messageWithParams) };
}
