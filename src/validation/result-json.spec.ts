import fc from 'fast-check';
import type { Violation } from '../policy/policy.types';
import { resultJson, resultsJson } from './result-json';
import type { ContactResult } from './validation.types';

const text = fc.string({ unit: 'binary', maxLength: 30 });
const frozenViolations: Violation[] = (
  [
    {
      code: 'CONSENT_EXPIRED',
      message: 'Consent is older than 24 months.',
      rule: 'expiry',
      severity: 'reject',
    },
    {
      code: 'X"\\\u2028',
      message: 'quotes " and \\ and \u0000 and ✓',
      rule: 'r',
      severity: 'warn',
    },
  ] satisfies Violation[]
).map((v) => Object.freeze(v));
const violation: fc.Arbitrary<Violation> = fc.oneof(
  fc.constantFrom(...frozenViolations),
  fc.record({
    code: text,
    message: text,
    rule: text,
    severity: fc.constantFrom('reject' as const, 'warn' as const),
  }),
);
const result: fc.Arbitrary<ContactResult> = fc
  .record({
    index: fc.nat(),
    contactId: fc.option(text, { nil: null }),
    decision: fc.constantFrom('APPROVED' as const, 'REJECTED' as const),
    code: text,
    codes: fc.array(text, { maxLength: 6 }),
    warnings: fc.array(text, { maxLength: 3 }),
    violations: fc.array(violation, { maxLength: 6 }),
    explain: fc.option(
      fc.array(fc.record({ rule: text, passed: fc.boolean() }), { maxLength: 2 }),
      {
        nil: undefined,
      },
    ),
  })
  .map(({ explain, ...r }) =>
    explain === undefined ? r : ({ ...r, explain } as unknown as ContactResult),
  );

describe('result JSON', () => {
  it('is byte-identical to JSON.stringify, whatever the strings contain', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 20 }), (results) => {
        for (const r of results) expect(resultJson(r)).toBe(JSON.stringify(r));
        expect(resultsJson(results)).toBe(JSON.stringify(results));
      }),
      { numRuns: 2000 },
    );
  });

  it('reuses the JSON of a shared violation object, and never caches a mutable one', () => {
    const fresh: Violation = {
      code: 'INPUT_MALFORMED',
      message: 'line 1',
      rule: 'r',
      severity: 'reject',
    };
    const r: ContactResult = {
      index: 0,
      contactId: null,
      decision: 'REJECTED',
      code: 'INPUT_MALFORMED',
      codes: ['INPUT_MALFORMED'],
      warnings: [],
      violations: [fresh, frozenViolations[0] as Violation],
    };
    expect(resultJson(r)).toBe(JSON.stringify(r));
    fresh.message = 'line 2';
    expect(resultJson(r)).toBe(JSON.stringify(r));
  });
});
