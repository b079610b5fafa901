import type { PolicyRef } from '../policy/policy.types';

/** One side of a comparison run: the policy version and the instant it was evaluated at. */
export interface ComparisonSide extends PolicyRef {
  /** RFC 3339 instant this side was evaluated at. */
  evaluatedAt: string;
}

/** Totals per change kind (issue 6). */
export interface ComparisonCounts {
  total: number;
  unchanged: number;
  newlyRejected: number;
  newlyApproved: number;
  reasonChanged: number;
}

/** One comparison run, as recorded in the comparison log. Contains no contact data. */
export interface ComparisonLogEntry {
  requestId: string;
  /** `http` for POST /v1/compare(/stream), `cli` for `consent-gate compare`. */
  source: 'http' | 'cli';
  baseline: ComparisonSide;
  candidate: ComparisonSide;
  /**
   * "sha256:<hex>" of the input: the raw bytes of the input file/body when available,
   * otherwise of the canonical JSON of the contacts array. Say which in docs/compare.md.
   */
  inputDigest: string;
  summary: ComparisonCounts;
  /** Optional: input file name (basename only, never a path with personal data) for CLI runs. */
  inputName?: string;
  /** Optional: the --candidate-file name when the candidate is an uncommitted file. */
  candidateFile?: string;
}

/**
 * The second port the audit module exports. `record` appends one hash-chained
 * line (same format and chain rules as the decision log) to COMPARE_LOG_DIR and
 * resolves once it is written and fsynced per AUDIT_FSYNC; it rejects with
 * DomainError(AUDIT_UNAVAILABLE) when the log cannot be written.
 */
export abstract class ComparisonLog {
  abstract record(entry: ComparisonLogEntry): Promise<void>;
}
