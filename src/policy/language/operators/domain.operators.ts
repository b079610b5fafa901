import type { OperatorDefinition } from '../catalogue.types';
import { parseDateOrDateTime } from '../time';

const VERSION_TEXT = /^v?\d+(\.\d+)*$/i;

/** Parsed version strings: a policy's `value` and the few notice versions in use recur on every contact. */
const parsedVersions = new Map<string, readonly number[] | undefined>();
const MAX_PARSED_VERSIONS = 1000;

/** Dotted numeric version ("4", "4.1", 4) as numbers; undefined when not a version. */
export function versionParts(v: unknown): readonly number[] | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? [v] : undefined;
  if (typeof v !== 'string') return undefined;
  if (parsedVersions.has(v)) return parsedVersions.get(v);
  const t = v.trim();
  const parts = VERSION_TEXT.test(t) ? t.replace(/^v/i, '').split('.').map(Number) : undefined;
  // Shared between calls, so frozen: compareVersions only reads it.
  if (parsedVersions.size < MAX_PARSED_VERSIONS)
    parsedVersions.set(v, parts === undefined ? undefined : Object.freeze(parts));
  return parts;
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

/** Both sides as instants (YYYY-MM-DD = UTC midnight, or RFC 3339 date-time); undefined when either is unreadable. */
function instants(factValue: unknown, value: unknown): [number, number] | undefined {
  const a = parseDateOrDateTime(factValue);
  const b = parseDateOrDateTime(value);
  return a === undefined || b === undefined ? undefined : [a, b];
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
  {
    name: 'dateOnOrAfter',
    description:
      "Fact value is an instant at or after `value` (both YYYY-MM-DD = UTC midnight, or RFC 3339 date-time with offset). False when either side is unreadable. Typical use: `evaluated_at` against a law's start date.",
    evaluate: (factValue, value) => {
      const i = instants(factValue, value);
      return i !== undefined && i[0] >= i[1];
    },
  },
  {
    name: 'dateBefore',
    description:
      'Fact value is an instant strictly before `value` (same formats as dateOnOrAfter). False when either side is unreadable.',
    evaluate: (factValue, value) => {
      const i = instants(factValue, value);
      return i !== undefined && i[0] < i[1];
    },
  },
];
