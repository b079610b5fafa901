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

/** Distinct decisions kept per policy version (a policy has a few dozen in practice). */
const MAX_SHARED_DECISIONS = 4096;

/**
 * The fast path's decisions, one shared deep-frozen object per distinct set of
 * reported failures. Contacts failing the same rules get the same Decision, so the
 * request thread allocates nothing per contact for it, and serialisers can cache
 * per object (result JSON, audit line fragments). Frozen, so no consumer can alter
 * what another contact's result shares. Past MAX_SHARED_DECISIONS distinct sets,
 * decisions are built fresh (still equal, just not shared).
 */
export class SharedDecisions {
  private readonly byMask = new Map<number, Decision>();
  private readonly byKey = new Map<string, Decision>();

  constructor(private readonly rules: readonly RuleRuntime[]) {}

  get(failed: ArrayLike<number>): Decision {
    const n = this.rules.length;
    if (n <= 31) {
      let mask = 0;
      for (let i = 0; i < n; i++) if (failed[i] === 1) mask |= 1 << i;
      let d = this.byMask.get(mask);
      if (d === undefined) {
        d = buildDecision(this.rules, failed);
        if (this.byMask.size < MAX_SHARED_DECISIONS) this.byMask.set(mask, deepFreeze(d));
      }
      return d;
    }
    let key = '';
    for (let i = 0; i < n; i++) if (failed[i] === 1) key += i + ',';
    let d = this.byKey.get(key);
    if (d === undefined) {
      d = buildDecision(this.rules, failed);
      if (this.byKey.size < MAX_SHARED_DECISIONS) this.byKey.set(key, deepFreeze(d));
    }
    return d;
  }
}

function deepFreeze(d: Decision): Decision {
  Object.freeze(d.codes);
  Object.freeze(d.warnings);
  Object.freeze(d.violations);
  return Object.freeze(d);
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
