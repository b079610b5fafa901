import type { Decision } from '../policy/policy.types';
import type {
  ChangeKind,
  CompareSummary,
  ContactChange,
  DeadChange,
  RuleChange,
  RuleImpact,
  SideOutcome,
} from './comparison.types';
import type { RuleDefinitionChange } from './rule-diff';

/** The outcome fields a comparison looks at (decision, primary code, every reject code). */
export function sideOutcome(d: Decision): SideOutcome {
  return { decision: d.decision, code: d.code, codes: [...d.codes] };
}

/**
 * Decision moved -> newly-rejected / newly-approved; same decision but a
 * different `codes` list (order included, since order decides the primary
 * code) -> reason-changed; otherwise unchanged.
 */
export function classifyChange(baseline: SideOutcome, candidate: SideOutcome): ChangeKind {
  if (baseline.decision !== candidate.decision) {
    return candidate.decision === 'REJECTED' ? 'newly-rejected' : 'newly-approved';
  }
  if (baseline.code !== candidate.code || !sameList(baseline.codes, candidate.codes)) {
    return 'reason-changed';
  }
  return 'unchanged';
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function toRecord(map: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Accumulates the summary of a comparison one contact at a time, keeping only
 * counters (never the contacts), so a streamed comparison of any size runs in
 * flat memory.
 */
export class CompareSummaryAccumulator {
  private total = 0;
  private readonly byChange: Record<ChangeKind, number> = {
    unchanged: 0,
    'newly-rejected': 0,
    'newly-approved': 0,
    'reason-changed': 0,
  };
  private readonly transitions = new Map<string, Map<string, number>>();
  private readonly gained = new Map<string, number>();
  private readonly lost = new Map<string, number>();
  private readonly newlyRejected = new Map<string, number>();
  private readonly soleReason = new Map<string, number>();
  /** Per rule name: contacts it newly fires / no longer fires for (from violations), for dead-change detection. */
  private readonly firedGained = new Map<string, number>();
  private readonly firedLost = new Map<string, number>();

  constructor(private readonly ruleDefinitionChanges: readonly RuleDefinitionChange[] = []) {}

  /**
   * `baselineViolations` / `candidateViolations` are each side's decision
   * violations (reject and warn): which rules fired, read only when rule
   * definitions changed.
   */
  add(
    change: ContactChange,
    baselineViolations: readonly { rule: string }[] = [],
    candidateViolations: readonly { rule: string }[] = [],
  ): void {
    this.total += 1;
    this.byChange[change.change] += 1;
    const { baseline, candidate } = change;

    let row = this.transitions.get(baseline.code);
    if (!row) {
      row = new Map();
      this.transitions.set(baseline.code, row);
    }
    bump(row, candidate.code);

    const before = new Set(baseline.codes);
    const after = new Set(candidate.codes);
    for (const c of after) if (!before.has(c)) bump(this.gained, c);
    for (const c of before) if (!after.has(c)) bump(this.lost, c);

    if (change.change === 'newly-rejected') {
      for (const c of after) bump(this.newlyRejected, c);
      const only = candidate.codes.length === 1 ? candidate.codes[0] : undefined;
      if (only !== undefined) bump(this.soleReason, only);
    }

    if (this.ruleDefinitionChanges.length > 0) {
      const firedBefore = new Set(baselineViolations.map((v) => v.rule));
      const firedAfter = new Set(candidateViolations.map((v) => v.rule));
      for (const c of firedAfter) if (!firedBefore.has(c)) bump(this.firedGained, c);
      for (const c of firedBefore) if (!firedAfter.has(c)) bump(this.firedLost, c);
    }
  }

  summary(): CompareSummary {
    const transitions: Record<string, Record<string, number>> = {};
    for (const from of [...this.transitions.keys()].sort()) {
      transitions[from] = toRecord(this.transitions.get(from) ?? new Map<string, number>());
    }
    const newlyRejectedByRule: RuleImpact[] = [...this.newlyRejected.entries()]
      .map(([code, n]) => ({ code, newlyRejected: n, soleReason: this.soleReason.get(code) ?? 0 }))
      .sort((a, b) => b.newlyRejected - a.newlyRejected || a.code.localeCompare(b.code));

    const ruleChanges: RuleChange[] = this.ruleDefinitionChanges.map((r) => ({
      rule: r.rule,
      code: r.code,
      status: r.status,
      fields: [...r.fields],
      firedGained: this.firedGained.get(r.rule) ?? 0,
      firedLost: this.firedLost.get(r.rule) ?? 0,
    }));
    const deadChanges: DeadChange[] = [];
    for (const r of ruleChanges) {
      const moved = r.firedGained + r.firedLost > 0;
      // Reordering alone never changes which rules fire, only the primary code: not "dead".
      const logicChanged = r.fields.some((f) => f !== 'order');
      if (r.status === 'modified' && logicChanged && !moved) {
        deadChanges.push({
          rule: r.rule,
          code: r.code,
          reason: 'modified-without-effect',
          fields: r.fields,
        });
      } else if (r.status === 'added' && r.firedGained === 0) {
        deadChanges.push({ rule: r.rule, code: r.code, reason: 'added-never-fires', fields: [] });
      }
    }

    return {
      total: this.total,
      changed: this.total - this.byChange.unchanged,
      byChange: { ...this.byChange },
      transitions,
      codesGained: toRecord(this.gained),
      codesLost: toRecord(this.lost),
      newlyRejectedByRule,
      ruleChanges,
      deadChanges,
    };
  }
}
