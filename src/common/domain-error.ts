import { ErrorCode } from './error-codes';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one exception type services throw. It carries a string code, a human
 * message and optional structured details; it never carries an HTTP status
 * (problem.filter.ts decides that) and must never carry secrets or raw
 * personal data in its message or details.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: {
      errors?: FieldError[];
      /** Extra machine-readable members copied onto the problem document. */
      extra?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
