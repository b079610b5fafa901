import fc from 'fast-check';
import { compareVersions, DOMAIN_OPERATORS, versionParts } from './domain.operators';

const versionBelow = DOMAIN_OPERATORS.find((o) => o.name === 'versionBelow')!;

describe('versionBelow', () => {
  it.each([
    ['3', 4, true],
    ['4', 4, false],
    ['4.0', '4', false],
    ['3.9', 4, true],
    ['10', 4, false],
    ['4.10', '4.9', false],
    ['4.9', '4.10', true],
    ['v5', 4, false],
  ])('%p below %p -> %p', (fact, min, expected) => {
    expect(versionBelow.evaluate(fact, min)).toBe(expected);
  });

  it('fails closed: a missing or unreadable version is below any minimum', () => {
    for (const v of [undefined, null, '', 'latest', '4.x', 4.5, true]) {
      expect(versionBelow.evaluate(v, 4)).toBe(true);
    }
  });

  it('never holds for a non-version minimum (a policy typo cannot reject everyone silently)', () => {
    expect(versionBelow.evaluate('1', 'four')).toBe(false);
  });

  it('agrees with numeric comparison of single-segment versions', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), (a, b) => {
        expect(versionBelow.evaluate(String(a), b)).toBe(a < b);
      }),
    );
  });

  it('is a strict order on dotted versions', () => {
    const version = fc.array(fc.nat(50), { minLength: 1, maxLength: 4 }).map((p) => p.join('.'));
    fc.assert(
      fc.property(version, version, (a, b) => {
        const ab = versionBelow.evaluate(a, b);
        const ba = versionBelow.evaluate(b, a);
        expect(ab && ba).toBe(false);
        const pa = versionParts(a)!;
        const pb = versionParts(b)!;
        expect(ab || ba).toBe(compareVersions(pa, pb) !== 0);
      }),
    );
  });
});

describe('dateOnOrAfter / dateBefore', () => {
  const onOrAfter = DOMAIN_OPERATORS.find((o) => o.name === 'dateOnOrAfter')!;
  const before = DOMAIN_OPERATORS.find((o) => o.name === 'dateBefore')!;
  const deadline = '2026-08-11T00:00:00+02:00';

  it('switches exactly at a local-time deadline', () => {
    expect(onOrAfter.evaluate('2026-08-10T21:59:59.999Z', deadline)).toBe(false);
    expect(onOrAfter.evaluate('2026-08-10T22:00:00.000Z', deadline)).toBe(true);
    expect(before.evaluate('2026-08-10T21:59:59.999Z', deadline)).toBe(true);
    expect(before.evaluate('2026-08-10T22:00:00.000Z', deadline)).toBe(false);
  });

  it('reads a plain date as UTC midnight', () => {
    expect(onOrAfter.evaluate('2026-07-01T00:00:00Z', '2026-07-01')).toBe(true);
    expect(onOrAfter.evaluate('2026-06-30T23:59:59Z', '2026-07-01')).toBe(false);
  });

  it('holds for neither operator when a side is unreadable', () => {
    for (const [f, v] of [
      ['2026-13-01T00:00:00Z', deadline],
      ['2026-08-12T00:00:00Z', 'soon'],
      [undefined, deadline],
      ['2026-08-12T00:00:00', deadline],
    ] as const) {
      expect(onOrAfter.evaluate(f, v)).toBe(false);
      expect(before.evaluate(f, v)).toBe(false);
    }
  });

  it('are complementary on readable instants', () => {
    const instant = fc
      .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) })
      .map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        expect(onOrAfter.evaluate(a, b)).toBe(!before.evaluate(a, b));
      }),
    );
  });
});
