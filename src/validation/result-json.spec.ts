import fc from 'fast-check';
import type { Decision, Violation } from '../policy/policy.types';
import { Utf8Builder } from '../common/text/utf8-builder';
import { resultLines, withResults, writeResult } from './result-json';
import type { ContactResult } from './validation.types';

const text = fc.string({ unit: 'binary', maxLength: 24 });
const violation: fc.Arbitrary<Violation> = fc.record({
  code: text,
  message: text,
  rule: text,
  severity: fc.constantFrom('reject' as const, 'warn' as const),
});
const decision: fc.Arbitrary<Decision> = fc.record({
  decision: fc.constantFrom('APPROVED' as const, 'REJECTED' as const),
  code: text,
  codes: fc.array(text, { maxLength: 4 }),
  warnings: fc.array(text, { maxLength: 2 }),
  violations: fc.array(violation, { maxLength: 5 }),
});
/** Frozen like SharedDecisions' objects, so their JSON is cached by the serialiser. */
function frozen(d: Decision): Decision {
  Object.freeze(d.codes);
  Object.freeze(d.warnings);
  Object.freeze(d.violations);
  return Object.freeze(d);
}

function asResult(
  index: number,
  contactId: string | null,
  d: Decision,
  explain?: unknown,
): ContactResult {
  const r: ContactResult = {
    index,
    contactId,
    decision: d.decision,
    code: d.code,
    codes: d.codes,
    warnings: d.warnings,
    violations: d.violations,
  };
  if (explain !== undefined) r.explain = explain as ContactResult['explain'];
  return r;
}

const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

describe('result JSON', () => {
  it('is byte-identical to JSON.stringify, shared (frozen) decisions and fresh ones alike', () => {
    fc.assert(
      fc.property(
        fc.array(decision, { minLength: 1, maxLength: 4 }),
        fc.array(
          fc.record({
            pick: fc.nat(),
            shared: fc.boolean(),
            contactId: fc.option(text, { nil: null }),
            explain: fc.option(fc.array(fc.record({ rule: text, failed: fc.boolean() })), {
              nil: undefined,
            }),
            fresh: decision,
          }),
          { maxLength: 25 },
        ),
        (decisions, picks) => {
          const shared = decisions.map(frozen);
          const results = picks.map((p, i) =>
            asResult(
              i,
              p.contactId,
              p.shared ? (shared[p.pick % shared.length] as Decision) : p.fresh,
              p.explain,
            ),
          );
          // Twice: the second pass reads the cached parts.
          for (let k = 0; k < 2; k++) {
            for (const r of results) {
              const out = new Utf8Builder(64);
              writeResult(out, r);
              expect(utf8(out.bytes())).toBe(JSON.stringify(r));
            }
            expect(utf8(resultLines(results))).toBe(
              results.map((r) => JSON.stringify(r) + '\n').join(''),
            );
            const head = { requestId: 'r', summary: { total: results.length } };
            expect(utf8(withResults(head, results))).toBe(JSON.stringify({ ...head, results }));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never caches the JSON of a mutable (fresh) decision', () => {
    const v: Violation = {
      code: 'INPUT_MALFORMED',
      message: 'line 1',
      rule: 'r',
      severity: 'reject',
    };
    const r = asResult(0, null, {
      decision: 'REJECTED',
      code: 'INPUT_MALFORMED',
      codes: ['INPUT_MALFORMED'],
      warnings: [],
      violations: [v],
    });
    expect(utf8(resultLines([r]))).toBe(JSON.stringify(r) + '\n');
    v.message = 'line 2';
    expect(utf8(resultLines([r]))).toBe(JSON.stringify(r) + '\n');
  });
});
