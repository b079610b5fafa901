import fc from 'fast-check';
import type { Violation } from '../policy/policy.types';
import { resultJson, resultsJson } from './result-json';
import type { ContactResult } from './validation.types';

const shared: Violation = Object.freeze({
  code: 'CONSENT_EXPIRED',
  message: 'The consent is older than 730 days ("quoted", \u00e9, \u2028).',
  rule: 'CONSENT_EXPIRED',
  severity: 'reject',
});

const violation = fc.oneof(
  fc.constant(shared),
  fc.record({
    code: fc.string(),
    message: fc.string({ unit: 'binary' }),
    rule: fc.string(),
    severity: fc.constantFrom('reject' as const, 'warn' as const),
  }),
);

const result: fc.Arbitrary<ContactResult> = fc.record(
  {
    index: fc.nat(),
    contactId: fc.option(fc.string({ unit: 'binary' }), { nil: null }),
    decision: fc.constantFrom('APPROVED' as const, 'REJECTED' as const),
    code: fc.string(),
    codes: fc.array(fc.string()),
    warnings: fc.array(fc.string()),
    violations: fc.array(violation, { maxLength: 4 }),
    explain: fc.array(fc.record({ rule: fc.string(), failed: fc.boolean() })),
  },
  { requiredKeys: ['index', 'contactId', 'decision', 'code', 'codes', 'warnings', 'violations'] },
) as fc.Arbitrary<ContactResult>;

describe('resultJson', () => {
  it('writes exactly what JSON.stringify writes, for any result', () => {
    fc.assert(
      fc.property(result, (r) => {
        expect(resultJson(r)).toBe(JSON.stringify(r));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes arrays of results as JSON.stringify does, reusing shared violations', () => {
    fc.assert(
      fc.property(fc.array(result, { maxLength: 20 }), (rs) => {
        expect(resultsJson(rs)).toBe(JSON.stringify(rs));
        expect(JSON.parse(resultsJson(rs))).toEqual(JSON.parse(JSON.stringify(rs)));
      }),
      { numRuns: 300 },
    );
  });
});
