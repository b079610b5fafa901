import type { AuditSource } from '../audit/audit.types';
import type {
  CompiledPolicy,
  DecisionKind,
  ExplainRule,
  PolicyRef,
  Violation,
} from '../policy/policy.types';

/** One contact's outcome, as returned by POST /v1/validate and written per line by the stream. */
export interface ContactResult {
  /** 0-based position in the request / input. */
  index: number;
  /** The contact's own `id` (numbers as decimal strings), or null when it has none. */
  contactId: string | null;
  decision: DecisionKind;
  code: string;
  codes: string[];
  warnings: string[];
  violations: Violation[];
  explain?: ExplainRule[];
}

export interface ValidationSummary {
  total: number;
  approved: number;
  rejected: number;
  /** Count of results per primary `code` (VALIDATION_PASSED included), so the counts add up to total. */
  byCode: Record<string, number>;
}

/** The final line of an NDJSON result stream (HTTP stream endpoint and CLI alike). */
export interface SummaryLine {
  summary: ValidationSummary;
  policy: PolicyRef;
  evaluatedAt: string;
  requestId: string;
}

/** Who asked, for the audit log. */
export interface ValidationContext {
  source: AuditSource;
  requestId: string;
  /** Sync job id, for source "sync". */
  jobId?: string;
  /** Evaluate with json-rules-engine and return its condition tree (slower). */
  explain?: boolean;
}

/** A policy version and the instant to evaluate at, resolved from a request's parameters. */
export interface ResolvedEvaluation {
  policy: CompiledPolicy;
  evaluatedAt: Date;
  /** evaluatedAt as RFC 3339 UTC with milliseconds (what responses and the audit log show). */
  evaluatedAtText: string;
}

/** Where a result stream goes; `write` resolves when the consumer can take more (backpressure). */
export interface ResultSink {
  /** NDJSON text or its UTF-8 bytes; resolves when the sink can take more. */
  write(chunk: string | Uint8Array): Promise<void>;
}
