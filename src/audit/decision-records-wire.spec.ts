import fc from 'fast-check';
import type { AuditBatchHeader } from './audit.types';
import { decisionRecords } from './decision-log';
import { decodeRecords, encodeRecords } from './decision-records-wire';
import { type AuditRow, ContactKeys } from './pseudonymiser';

const keys = new ContactKeys('wire-test-hmac-key-0123456789abcdef');
const text = fc.string({ unit: 'binary', maxLength: 24 });
const value = fc.oneof(
  text,
  fc.constantFrom('\t', '\n', '\t\n', '+49 151 2345\t678', 'a@b.c\n', ''),
  fc.double(),
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.dictionary(text, text, { maxKeys: 2 }),
);
const row: fc.Arbitrary<AuditRow> = fc.tuple(
  value,
  value,
  value,
  fc.option(text, { nil: null }),
  fc.constantFrom('APPROVED', 'REJECTED', 'ERROR\t'),
  text,
  fc.array(text, { maxLength: 3 }),
  fc.array(text, { maxLength: 2 }),
);
const header: fc.Arbitrary<AuditBatchHeader> = fc.record({
  requestId: text,
  source: fc.constantFrom('http' as const, 'cli' as const, 'sync' as const),
  jobId: fc.option(text, { nil: undefined }),
  policy: fc.record({ id: text, version: text, digest: text }),
  evaluatedAt: text,
  ts: text,
});

describe('decision records on the wire to the audit worker', () => {
  it('decode to exactly the records the calling thread would build, whatever the values hold', () => {
    fc.assert(
      fc.property(header, fc.array(row, { maxLength: 12 }), (h, rows) => {
        const expected = decisionRecords(h, rows, keys);
        const got = decodeRecords(encodeRecords(h, rows, keys));
        expect(got.all).toEqual(expected.all);
        expect(got.rejected).toEqual(expected.rejected);
        // The rejected lines are the same objects as in `all`, as the chains expect.
        for (const r of got.rejected) expect(got.all).toContain(r);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuse a malformed record instead of writing it', () => {
    expect(() => decodeRecords({ mid1: '', bytes: Buffer.from('only\ttwo\n') })).toThrow(
      /malformed audit record/,
    );
  });
});
