import { contactIdOf } from '../contacts/contact-id';
import { INPUT_MALFORMED, type CompiledPolicy, type Decision } from '../policy/policy.types';
import { CompareSummaryAccumulator, classifyChange, sideOutcome } from './compare-summary';
import type { CompareSideInfo, ContactChange, IncludeMode } from './comparison.types';
import type { RuleDefinitionChange } from './rule-diff';

/** One side of a comparison, resolved to a compiled policy and an instant. */
export interface ResolvedSide {
  policy: CompiledPolicy;
  at: Date;
  info: CompareSideInfo;
}

/** Both sides of a comparison, ready to evaluate contacts. */
export interface PreparedComparison {
  baseline: ResolvedSide;
  candidate: ResolvedSide;
  ruleDefinitionChanges: RuleDefinitionChange[];
  /** Set when the candidate came from `--candidate-file`. */
  candidateFile?: string;
  /** True when the baseline is the candidate file's last committed text (git HEAD). */
  baselineFromCommit?: boolean;
}

/** Outcome for a record that could not be read at all (unparsable line): the same as /v1/validate gives. */
const MALFORMED: Decision = {
  decision: 'REJECTED',
  code: INPUT_MALFORMED,
  codes: [INPUT_MALFORMED],
  warnings: [],
  violations: [],
};

/**
 * Evaluates contacts under both sides and accumulates the summary. Holds only
 * counters, so it can run over an unbounded stream.
 */
export class ComparisonSession {
  private readonly accumulator: CompareSummaryAccumulator;

  constructor(readonly prepared: PreparedComparison) {
    this.accumulator = new CompareSummaryAccumulator(prepared.ruleDefinitionChanges);
  }

  /** Compares one contact; `malformed` marks a record the reader could not parse. */
  compare(index: number, contact: unknown, malformed = false): ContactChange {
    const { baseline, candidate } = this.prepared;
    const b = malformed ? MALFORMED : baseline.policy.evaluate(contact, baseline.at);
    const c = malformed ? MALFORMED : candidate.policy.evaluate(contact, candidate.at);
    const bo = sideOutcome(b);
    const co = sideOutcome(c);
    const change: ContactChange = {
      index,
      contactId: malformed ? null : contactIdOf(contact),
      baseline: bo,
      candidate: co,
      change: classifyChange(bo, co),
    };
    this.accumulator.add(change, b.violations, c.violations);
    return change;
  }

  summary(): ReturnType<CompareSummaryAccumulator['summary']> {
    return this.accumulator.summary();
  }
}

/** Whether a change belongs in the output for the requested `include` mode. */
export function isIncluded(change: ContactChange, include: IncludeMode): boolean {
  return include === 'all' || change.change !== 'unchanged';
}
