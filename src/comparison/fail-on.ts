import type { CompareSummary } from './comparison.types';

const FAIL_ON_METRICS = ['newly-rejected', 'newly-approved', 'reason-changed', 'changed'] as const;
export type FailOnMetric = (typeof FAIL_ON_METRICS)[number];

/** A CI gate: fail when `metric` exceeds `threshold` contacts. */
export interface FailOnRule {
  metric: FailOnMetric;
  threshold: number;
  /** The option as written, for messages. */
  text: string;
}

export interface FailOnBreach extends FailOnRule {
  actual: number;
}

const PATTERN = new RegExp(`^\\s*(${FAIL_ON_METRICS.join('|')})\\s*(?:>\\s*(\\d+)\\s*)?$`);

/** Parses `newly-rejected>N` (or `newly-rejected` alone, meaning >0); undefined when malformed. */
export function parseFailOn(text: string): FailOnRule | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const threshold = m[2] === undefined ? 0 : Number(m[2]);
  if (!Number.isSafeInteger(threshold)) return undefined;
  return { metric: m[1] as FailOnMetric, threshold, text: text.trim() };
}

function metricValue(summary: CompareSummary, metric: FailOnMetric): number {
  switch (metric) {
    case 'changed':
      return summary.changed;
    case 'newly-rejected':
    case 'newly-approved':
    case 'reason-changed':
      return summary.byChange[metric];
  }
}

/** Every rule whose threshold the summary exceeds. */
export function breaches(summary: CompareSummary, rules: readonly FailOnRule[]): FailOnBreach[] {
  return rules
    .map((r) => ({ ...r, actual: metricValue(summary, r.metric) }))
    .filter((r) => r.actual > r.threshold);
}
