/**
 * Helpers for fact implementations. Contacts arrive as parsed JSON and may
 * carry keys such as `__proto__` or `constructor`: facts only ever read own
 * properties, so inherited members are never mistaken for data and nothing
 * is written back.
 */

import type { FactMemo } from '../catalogue.types';

/** The own property `key` of a plain object, or undefined (also for non-objects and arrays). */
export function ownValue(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const v = (obj as Record<string, unknown>)[key];
  // Most lookups miss; the own-property check only runs for found values (inherited ones are dropped).
  return v !== undefined && Object.hasOwn(obj, key) ? v : undefined;
}

/** Absent, null or the empty string: the policy language's notion of "missing". */
export function isMissingValue(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** A string with at least one non-whitespace character. */
const NON_WHITESPACE = /\S/;

export function isNonBlankString(v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0) return false;
  // Common case: a printable ASCII first character other than space. Else a regex
  // test, which allocates nothing, unlike trim(). Facts and operators call this
  // several times per contact (phone, email, channel, purpose).
  const c = v.charCodeAt(0);
  return (c > 32 && c < 127) || NON_WHITESPACE.test(v);
}

/** Memoised per contact: compute once, share between facts of the same evaluation. */
export function memoized<T>(memo: FactMemo, key: string, compute: () => T): T {
  if (memo.has(key)) return memo.get(key) as T;
  const v = compute();
  memo.set(key, v);
  return v;
}
