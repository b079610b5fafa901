import type { Violation } from '../policy/policy.types';
import type { ContactResult } from './validation.types';

/**
 * JSON of validation results, byte-identical to JSON.stringify (result-json.spec.ts),
 * built from cached fragments. A rejected contact's result is mostly its violations,
 * and those are the compiled policy's own frozen objects, shared by every contact
 * that breaks the same rule: their JSON is computed once per object instead of once
 * per contact (about a kilobyte per contact for 3.0.0's worst cases).
 */

/** JSON of frozen violation objects (policy-owned, never mutated). Weak: dropped with the policy. */
const violationJson = new WeakMap<Violation, string>();
/** JSON literals of decision kinds, codes and warnings: a policy's own small vocabulary. */
const literalJson = new Map<string, string>();
const MAX_LITERALS = 10_000;

function literal(s: string): string {
  let j = literalJson.get(s);
  if (j === undefined) {
    j = JSON.stringify(s);
    if (literalJson.size < MAX_LITERALS) literalJson.set(s, j);
  }
  return j;
}

function literals(values: readonly string[]): string {
  if (values.length === 0) return '[]';
  let out = '[' + literal(values[0] as string);
  for (let i = 1; i < values.length; i++) out += ',' + literal(values[i] as string);
  return out + ']';
}

function violations(vs: readonly Violation[]): string {
  if (vs.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i] as Violation;
    let j = violationJson.get(v);
    if (j === undefined) {
      j = JSON.stringify(v);
      // Per-record violations (INPUT_MALFORMED, explain runs) are fresh objects: not cached.
      if (Object.isFrozen(v)) violationJson.set(v, j);
    }
    out += i === 0 ? j : ',' + j;
  }
  return out + ']';
}

/** JSON.stringify(result), members in ContactResult's order. */
export function resultJson(r: ContactResult): string {
  let out =
    '{"index":' +
    JSON.stringify(r.index) +
    ',"contactId":' +
    JSON.stringify(r.contactId) +
    ',"decision":' +
    literal(r.decision) +
    ',"code":' +
    literal(r.code) +
    ',"codes":' +
    literals(r.codes) +
    ',"warnings":' +
    literals(r.warnings) +
    ',"violations":' +
    violations(r.violations);
  if (r.explain !== undefined) out += ',"explain":' + JSON.stringify(r.explain);
  return out + '}';
}

/** JSON.stringify(results). */
export function resultsJson(results: readonly ContactResult[]): string {
  return '[' + results.map(resultJson).join(',') + ']';
}
