import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import {
  MAX_ADD_BODY_BYTES,
  assertKnownColumns,
  packChunks,
  prepareContact,
  toGenesysData,
} from './genesys-contact-data';

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
}

describe('toGenesysData', () => {
  it('keeps strings, converts numbers and booleans, omits null and undefined', () => {
    expect(
      toGenesysData({ a: 'x', b: 42, c: true, d: false, e: null, f: undefined, g: '' }, 'c1'),
    ).toEqual({ a: 'x', b: '42', c: 'true', d: 'false', g: '' });
  });

  it('refuses objects, arrays and non-finite numbers, naming the column but not the value', () => {
    const bad = { nested: { secret: 'anna@example.com' } } as unknown as Record<string, string>;
    let err: unknown;
    try {
      toGenesysData(bad, 'c1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    const de = err as DomainError;
    expect(de.code).toBe(ErrorCode.GENESYS_INVALID_DATA);
    expect(de.message).toContain('"nested"');
    expect(JSON.stringify(de)).not.toContain('anna@example.com');
    expect(de.message).not.toContain('anna@example.com');
    expect(codeOf(() => toGenesysData({ list: ['a'] } as never, 'c1'))).toBe(
      ErrorCode.GENESYS_INVALID_DATA,
    );
    expect(codeOf(() => toGenesysData({ n: Number.NaN }, 'c1'))).toBe(
      ErrorCode.GENESYS_INVALID_DATA,
    );
  });

  it('refuses values longer than 512 characters', () => {
    expect(codeOf(() => toGenesysData({ a: 'x'.repeat(512) }, 'c1'))).toBeUndefined();
    expect(codeOf(() => toGenesysData({ a: 'x'.repeat(513) }, 'c1'))).toBe(
      ErrorCode.GENESYS_INVALID_DATA,
    );
  });
});

describe('assertKnownColumns', () => {
  it('lists every unknown column at once', () => {
    let err: DomainError | undefined;
    try {
      assertKnownColumns('L1', ['phone', 'email'], ['phone', 'zip', 'city', 'zip']);
    } catch (e) {
      err = e as DomainError;
    }
    expect(err?.code).toBe(ErrorCode.GENESYS_UNKNOWN_COLUMNS);
    expect(err?.details.extra?.unknownColumns).toEqual(['city', 'zip']);
    expect(err?.message).toContain('"city", "zip"');
  });
});

describe('packChunks', () => {
  const contact = (i: number, size: number): ReturnType<typeof prepareContact> =>
    prepareContact('L1', { id: `c${i}` }, { v: 'x'.repeat(size) });

  it('splits by count at 1000 contacts', () => {
    const chunks = [...packChunks(Array.from({ length: 2500 }, (_, i) => contact(i, 1)))];
    expect(chunks.map((c) => c.ids.length)).toEqual([1000, 1000, 500]);
  });

  it('splits by bytes so no body exceeds 512,000 bytes, keeping order and every contact once', () => {
    // ~600 bytes each: 1000 of them need two requests by size alone.
    const items = Array.from({ length: 1000 }, (_, i) => contact(i, 500 + (i % 90)));
    const chunks = [...packChunks(items)];
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.bytes).toBe(Buffer.byteLength(c.body));
      expect(c.bytes).toBeLessThanOrEqual(MAX_ADD_BODY_BYTES);
      expect((JSON.parse(c.body) as unknown[]).length).toBe(c.ids.length);
    }
    expect(chunks.flatMap((c) => c.ids)).toEqual(items.map((c) => c.id));
  });

  it('fills a body up to exactly the byte limit', () => {
    const one = contact(0, 100);
    const perItem = one.bytes + 1;
    const fit = Math.floor((MAX_ADD_BODY_BYTES - 2 + 1) / perItem);
    const chunks = [
      ...packChunks(
        Array.from({ length: fit + 1 }, () => one),
        10_000,
      ),
    ];
    expect(chunks.map((c) => c.ids.length)).toEqual([fit, 1]);
    expect(chunks[0]?.bytes).toBeLessThanOrEqual(MAX_ADD_BODY_BYTES);
    expect(chunks[0]!.bytes + perItem).toBeGreaterThan(MAX_ADD_BODY_BYTES);
  });

  it('counts multi-byte characters in bytes, not characters', () => {
    const items = Array.from({ length: 1000 }, (_, i) => contact(i, 0)).map((c, i) =>
      prepareContact('L1', { id: c.id }, { v: 'é'.repeat(300 + (i % 2)) }),
    );
    const chunks = [...packChunks(items)];
    for (const c of chunks)
      expect(Buffer.byteLength(c.body)).toBeLessThanOrEqual(MAX_ADD_BODY_BYTES);
    expect(chunks.length).toBe(2);
  });
});
