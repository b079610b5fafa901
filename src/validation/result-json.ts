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
const decisionBytes = new WeakMap<readonly Violation[], Uint8Array>();

/** `,"decision":…,"code":…,"codes":[…],"warnings":[…],"violations":[…]` of a result. */
function decisionPart(r: ContactResult): string {
  const json = JSON.stringify({
    decision: r.decision,
    code: r.code,
    codes: r.codes,
    warnings: r.warnings,
    violations: r.violations,
  });
  return ',' + json.slice(1, -1);
}

/** Writes decisionPart(r), from bytes encoded once per shared decision when it is one. */
function writeDecisionPart(out: Utf8Builder, r: ContactResult): void {
  if (!Object.isFrozen(r.violations)) {
    out.text(decisionPart(r));
    return;
  }
  let bytes = decisionBytes.get(r.violations);
  if (bytes === undefined) {
    bytes = Buffer.from(decisionPart(r), 'utf8');
    decisionBytes.set(r.violations, bytes);
  }
  out.raw(bytes);
}

const CLOSE = Buffer.from('}');
const CLOSE_LINE = Buffer.from('}\n');

/** Writes JSON.stringify(r) (members in ContactResult's order), then a newline if `line`. */
export function writeResult(out: Utf8Builder, r: ContactResult, line = false): void {
  out.text(
    '{"index":' +
      JSON.stringify(r.index) +
      ',"contactId":' +
      (r.contactId === null ? 'null' : JSON.stringify(r.contactId)),
  );
  writeDecisionPart(out, r);
  if (r.explain === undefined) out.raw(line ? CLOSE_LINE : CLOSE);
  else out.text(',"explain":' + JSON.stringify(r.explain) + (line ? '}\n' : '}'));
}

/** One JSON line per result (the NDJSON of the stream endpoint and the CLI). */
export function resultLines(results: readonly ContactResult[]): Uint8Array {
  const out = new Utf8Builder(results.length * 1536);
  for (const r of results) writeResult(out, r, true);
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
