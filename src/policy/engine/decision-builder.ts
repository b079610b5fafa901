import {
  INPUT_MALFORMED,
  VALIDATION_PASSED,
  type Decision,
  type Severity,
  type Violation,
} from '../policy.types';

/** A compiled rule's reporting data, shared by both evaluation paths. */
export interface RuleRuntime {
  readonly index: number;
  readonly code: string;
  readonly name: string;
  readonly severity: Severity;
  readonly message: string;
  readonly effectiveFromMs: number | null;
  readonly effectiveToMs: number | null;
  /** Indexes (into the ordered rule list) of the rules whose failure suppresses this one. */
  readonly skipIfFailed: readonly number[];
  /** Frozen and shared between decisions: violations never carry contact data. */
  readonly violation: Violation;
}

export function isEffective(rule: RuleRuntime, atMs: number): boolean {
  return (
    (rule.effectiveFromMs === null || atMs >= rule.effectiveFromMs) &&
    (rule.effectiveToMs === null || atMs < rule.effectiveToMs)
  );
}

/** Index of the first skipIfFailed rule that failed, or -1. */
export function suppressedBy(rule: RuleRuntime, failed: ArrayLike<number>): number {
  const s = rule.skipIfFailed;
  for (let k = 0; k < s.length; k++) {
    const j = s[k] as number;
    if (failed[j] === 1) return j;
  }
  return -1;
}

/**
 * Builds the decision from the per-rule "reported failure" flags (1 = the
 * rule was effective, not suppressed, and its violation condition held).
 * One function for both paths so their output shapes cannot drift.
 */
export function buildDecision(rules: readonly RuleRuntime[], failed: ArrayLike<number>): Decision {
  const codes: string[] = [];
  const warnings: string[] = [];
  const violations: Violation[] = [];
  for (let i = 0; i < rules.length; i++) {
    if (failed[i] !== 1) continue;
    const rule = rules[i] as RuleRuntime;
    if (rule.severity === 'reject') codes.push(rule.code);
    else warnings.push(rule.code);
    violations.push(rule.violation);
  }
  return {
    decision: codes.length > 0 ? 'REJECTED' : 'APPROVED',
    code: codes[0] ?? VALIDATION_PASSED,
    codes,
    warnings,
    violations,
  };
}

const MALFORMED_VIOLATION: Violation = Object.freeze({
  code: INPUT_MALFORMED,
  message: 'The contact is not a JSON object.',
  rule: 'input',
  severity: 'reject',
});

/** The decision for an input that is not a JSON object (null, array, string, number...). */
export function malformedDecision(): Decision {
  return {
    decision: 'REJECTED',
    code: INPUT_MALFORMED,
    codes: [INPUT_MALFORMED],
    warnings: [],
    violations: [MALFORMED_VIOLATION],
  };
}

export function isContactObject(contact: unknown): contact is Readonly<Record<string, unknown>> {
  return contact !== null && typeof contact === 'object' && !Array.isArray(contact);
}
