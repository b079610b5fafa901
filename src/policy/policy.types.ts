/**
 * The policy module's public contract. Other modules (validation, audit,
 * comparison, sync) depend only on these types and on PolicyRegistry.
 */

/** Identity of one loaded policy version. digest = "sha256:" + hex of the file bytes. */
export interface PolicyRef {
  id: string;
  version: string;
  digest: string;
}

export type DecisionKind = 'APPROVED' | 'REJECTED';
export type Severity = 'reject' | 'warn';

export interface Violation {
  code: string;
  /** Human message with parameters interpolated; never contains contact data. */
  message: string;
  /** The rule's name (its `code` unless the policy names it). */
  rule: string;
  severity: Severity;
}

/** One evaluated condition in json-rules-engine's result tree. */
export interface ExplainCondition {
  fact?: string;
  path?: string;
  operator?: string;
  value?: unknown;
  factResult?: unknown;
  result?: boolean;
  all?: ExplainCondition[];
  any?: ExplainCondition[];
  not?: ExplainCondition;
}

export interface ExplainRule {
  rule: string;
  code: string;
  severity: Severity;
  /** false when the rule was skipped (not effective at evaluatedAt, or suppressed by `unless`). */
  evaluated: boolean;
  /** true when the rule's failure condition held, i.e. the rule fired. */
  failed: boolean;
  skippedReason?: string;
  conditions?: ExplainCondition;
}

export interface Decision {
  decision: DecisionKind;
  /** First failing reject rule in order, or VALIDATION_PASSED. */
  code: string;
  /** Every failing reject rule, in order. */
  codes: string[];
  /** Codes of failing warn rules, in order. */
  warnings: string[];
  violations: Violation[];
  explain?: ExplainRule[];
}

export const VALIDATION_PASSED = 'VALIDATION_PASSED';
/** Decision code for an input that is not a JSON object (or an unparsable NDJSON line). */
export const INPUT_MALFORMED = 'INPUT_MALFORMED';

export interface PolicyVersionSummary {
  version: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  digest: string;
  description: string;
}

export interface PolicySummary {
  id: string;
  versions: PolicyVersionSummary[];
  /** Version in effect now, or null when none is. */
  active: string | null;
}

/** A rule as exposed to other modules (for compare's per-rule statistics and reports). */
export interface RuleInfo {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  order: number;
}

/** One loaded, compiled policy version. Immutable once built. */
export interface CompiledPolicy {
  readonly ref: PolicyRef;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  readonly description: string;
  /** Absolute path of the source file. */
  readonly file: string;
  /** The YAML source text exactly as loaded. */
  readonly source: string;
  /** The parsed document (plain JSON-compatible data). */
  readonly document: unknown;
  readonly rules: readonly RuleInfo[];

  /**
   * Fast path: synchronous evaluation compiled from the same rule objects the
   * json-rules-engine uses. A non-object contact yields INPUT_MALFORMED.
   */
  evaluate(contact: unknown, evaluatedAt: Date): Decision;

  /** Engine of record: json-rules-engine, with the result tree when `explain` is set. */
  evaluateWithEngine(
    contact: unknown,
    evaluatedAt: Date,
    options?: { explain?: boolean },
  ): Promise<Decision>;
}

/** A problem found while loading policies; always names the file, line and column. */
export interface PolicyLoadError {
  file: string;
  line: number;
  column: number;
  message: string;
}
