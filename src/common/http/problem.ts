import { ErrorCode } from '../error-codes';
import type { FieldError } from '../domain-error';

/** RFC 9457 problem details, with our machine `code` and the request id. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.INVALID_REQUEST]: 400,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ErrorCode.UNAUTHORIZED]: 401,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.INTERNAL]: 500,
  [ErrorCode.POLICY_NOT_FOUND]: 404,
  [ErrorCode.POLICY_VERSION_NOT_FOUND]: 404,
  [ErrorCode.NO_VERSION_IN_EFFECT]: 422,
  [ErrorCode.POLICY_LOAD_FAILED]: 422,
  [ErrorCode.POLICIES_NOT_READY]: 503,
  [ErrorCode.AUDIT_UNAVAILABLE]: 503,
  [ErrorCode.AUDIT_CHAIN_BROKEN]: 500,
  [ErrorCode.GENESYS_NOT_CONFIGURED]: 503,
  [ErrorCode.GENESYS_AUTH_FAILED]: 502,
  [ErrorCode.GENESYS_FORBIDDEN]: 502,
  [ErrorCode.GENESYS_RATE_LIMITED]: 503,
  [ErrorCode.GENESYS_UNAVAILABLE]: 503,
  [ErrorCode.GENESYS_TIMEOUT]: 504,
  [ErrorCode.GENESYS_BAD_REQUEST]: 502,
  [ErrorCode.GENESYS_NOT_FOUND]: 404,
  [ErrorCode.GENESYS_CONFLICT]: 409,
  [ErrorCode.GENESYS_PAYLOAD_TOO_LARGE]: 502,
  [ErrorCode.GENESYS_UNKNOWN_COLUMNS]: 422,
  [ErrorCode.GENESYS_INVALID_DATA]: 422,
  [ErrorCode.GENESYS_ERROR]: 502,
  [ErrorCode.SYNC_JOB_NOT_FOUND]: 404,
  [ErrorCode.SYNC_JOB_CONFLICT]: 409,
  [ErrorCode.SYNC_COLUMNS_MISSING]: 422,
  [ErrorCode.SYNC_INPUT_INVALID]: 400,
  [ErrorCode.SYNC_RESUME_MISMATCH]: 409,
  [ErrorCode.COMPARE_INVALID]: 400,
  [ErrorCode.INPUT_UNREADABLE]: 400,
};

export function statusForCode(code: ErrorCode): number {
  return STATUS[code];
}

export function titleForCode(code: ErrorCode): string {
  return code
    .toLowerCase()
    .split('_')
    .map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/** A stable `type` URI per code, documented in docs/api.md#errors. */
export function typeForCode(code: ErrorCode): string {
  return `https://consent-gate.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}
