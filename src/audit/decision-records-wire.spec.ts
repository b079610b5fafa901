import fc from 'fast-check';
import type { AuditBatchHeader } from './audit.types';
import { GENESIS_HASH, type ChainRecord } from './chain-format';
import { decisionRecords } from './decision-log';
import { decodeRecords, encodeRecords } from './decision-records-wire';
import { LineBuffer } from './line-buffer';
import { type AuditRow, ContactKeys } from './pseudonymiser';

/** The chained lines a writer would produce from these records. */
function chained(records: readonly ChainRecord[]): string {
  const out = new LineBuffer(64);
  let prev = GENESIS_HASH;
  records.forEach((r, i) => {
    out.push(r, i + 1, prev);
    prev = out.lastHash;
  });
  return out.view().toString('utf8');
}

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
// Shared frozen arrays, as the fast path's decisions carry: the encoder caches their bytes.
const sharedCodes = [['A'], ['B', 'Ü'], []].map((a) => Object.freeze(a));
const sharedWarnings = [['W'], [], ['X\t', 'Y']].map((a) => Object.freeze(a));
const row: fc.Arbitrary<AuditRow> = fc.tuple(
  value,
  value,
  value,
  fc.option(text, { nil: null }),
  fc.constantFrom('APPROVED', 'REJECTED', 'ERROR\t'),
  text,
  fc.oneof(fc.array(text, { maxLength: 3 }), fc.constantFrom(...sharedCodes)),
  fc.oneof(fc.array(text, { maxLength: 2 }), fc.constantFrom(...sharedWarnings)),
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
        expect(got.all).toHaveLength(expected.all.length);
        expect(got.rejected).toHaveLength(expected.rejected.length);
        expect(chained(got.all)).toBe(chained(expected.all));
        expect(chained(got.rejected)).toBe(chained(expected.rejected));
        // The rejected lines are the same objects as in `all`, as the chains expect.
        for (const r of got.rejected) expect(got.all).toContain(r);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuse a malformed record instead of writing it', () => {
    for (const bad of [
      'only\ttwo\n',
      'a\tb\tc\tX\n',
      'a\tb\tc\tRR\n',
      'a\tb\tc\td\t\n',
      'a\tb\n\tc\t\n',
    ]) {
      expect(() => decodeRecords({ mid1: '', bytes: new Uint8Array(Buffer.from(bad)) })).toThrow(
        /malformed audit record/,
      );
    }
    const ok = decodeRecords({
      mid1: '',
      bytes: new Uint8Array(Buffer.from(',"a":1\t\t\tR\n,"b":2\t\t\t')),
    });
    expect(ok.all).toHaveLength(2);
    expect(ok.rejected).toEqual([ok.all[0]]);
  });
});
