import { Utf8Builder } from '../common/text/utf8-builder';
import type { Violation } from '../policy/policy.types';
import type { ContactResult } from './validation.types';

/**
 * Validation results as UTF-8 JSON, byte-identical to JSON.stringify
 * (result-json.spec.ts), written straight into bytes. The fast path returns one
 * shared, frozen Decision per distinct set of failed rules (SharedDecisions), so
 * most of a result's JSON (decision, code, codes, warnings and the violations with
 * their messages, about a kilobyte for a contact 3.0.0 rejects) is computed once per
 * shared decision, keyed by its frozen `violations` array, instead of once per
 * contact. Results built from fresh arrays (explain runs, malformed input) are
 * serialised in full.
 */
const decisionJson = new WeakMap<readonly Violation[], string>();

/** `,"decision":…,"code":…,"codes":[…],"warnings":[…],"violations":[…]` of a result. */
function decisionPart(r: ContactResult): string {
  const cacheable = Object.isFrozen(r.violations);
  if (cacheable) {
    const cached = decisionJson.get(r.violations);
    if (cached !== undefined) return cached;
  }
  const json = JSON.stringify({
    decision: r.decision,
    code: r.code,
    codes: r.codes,
    warnings: r.warnings,
    violations: r.violations,
  });
  const part = ',' + json.slice(1, -1);
  if (cacheable) decisionJson.set(r.violations, part);
  return part;
}

/** Writes JSON.stringify(r) (members in ContactResult's order). */
export function writeResult(out: Utf8Builder, r: ContactResult): void {
  out.text(
    '{"index":' +
      JSON.stringify(r.index) +
      ',"contactId":' +
      (r.contactId === null ? 'null' : JSON.stringify(r.contactId)),
  );
  out.text(decisionPart(r));
  out.text(r.explain === undefined ? '}' : ',"explain":' + JSON.stringify(r.explain) + '}');
}

/** One JSON line per result (the NDJSON of the stream endpoint and the CLI). */
export function resultLines(results: readonly ContactResult[]): Uint8Array {
  const out = new Utf8Builder(results.length * 1536);
  for (const r of results) {
    writeResult(out, r);
    out.text('\n');
  }
  return out.bytes();
}

/** `head` (a JSON object) with a "results" member appended: the /v1/validate response body. */
export function withResults(head: object, results: readonly ContactResult[]): Uint8Array {
  const out = new Utf8Builder(results.length * 1536 + 1024);
  out.text(JSON.stringify(head).slice(0, -1) + ',"results":[');
  for (let i = 0; i < results.length; i++) {
    if (i > 0) out.text(',');
    writeResult(out, results[i] as ContactResult);
  }
  out.text(']}');
  return out.bytes();
}
