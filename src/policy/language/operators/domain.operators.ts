import type { OperatorDefinition } from '../catalogue.types';

/** Dotted numeric version ("4", "4.1", 4) as numbers; undefined when not a version. */
export function versionParts(v: unknown): number[] | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? [v] : undefined;
  if (typeof v !== 'string' || !/^v?\d+(\.\d+)*$/i.test(v.trim())) return undefined;
  return v.trim().replace(/^v/i, '').split('.').map(Number);
}

/** Numeric, segment-wise comparison: "4.10" > "4.9"; missing segments count as 0 ("4" == "4.0"). */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export const DOMAIN_OPERATORS: OperatorDefinition[] = [
  {
    name: 'versionBelow',
    description:
      'Fact value is a version lower than `value` (numeric per dotted segment: "4.10" > "4.9"), OR is missing / not a version at all, so an unknown notice version never passes a minimum. A non-version `value` never holds.',
    evaluate: (factValue, value) => {
      const min = versionParts(value);
      if (min === undefined) return false;
      const actual = versionParts(factValue);
      return actual === undefined || compareVersions(actual, min) < 0;
    },
  },
];
