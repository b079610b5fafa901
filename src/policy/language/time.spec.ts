import fc from 'fast-check';
import {
  ageInYears,
  civilFromEpochMs,
  daysFromCivil,
  daysInMonth,
  parseDateOrDateTime,
  parseIsoDate,
  parseRfc3339,
  parseRfc3339Instant,
} from './time';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A valid RFC 3339 date-time with its expected epoch value (computed independently via Date.UTC). */
const validDateTime = fc
  .record({
    year: fc.integer({ min: 1000, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    dayRaw: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }),
    offset: fc.option(
      fc.record({
        sign: fc.constantFrom('+', '-'),
        h: fc.integer({ min: 0, max: 23 }),
        m: fc.integer({ min: 0, max: 59 }),
      }),
      { nil: undefined },
    ),
    lowerCase: fc.boolean(),
  })
  .map((r) => {
    const day = Math.min(r.dayRaw, daysInMonth(r.year, r.month));
    const frac = r.fraction === undefined ? '' : `.${r.fraction}`;
    const off =
      r.offset === undefined ? 'Z' : `${r.offset.sign}${pad(r.offset.h)}:${pad(r.offset.m)}`;
    let text = `${pad(r.year, 4)}-${pad(r.month)}-${pad(day)}T${pad(r.hour)}:${pad(r.minute)}:${pad(r.second)}${frac}${off}`;
    if (r.lowerCase) text = text.replace('T', 't').replace('Z', 'z');
    const offsetMin =
      r.offset === undefined
        ? 0
        : (r.offset.h * 60 + r.offset.m) * (r.offset.sign === '-' ? -1 : 1);
    const millis = r.fraction === undefined ? 0 : Number((r.fraction + '00').slice(0, 3));
    const expected =
      Date.UTC(r.year, r.month - 1, day, r.hour, r.minute, r.second, millis) - offsetMin * 60_000;
    return { text, expected, r, day };
  });

describe('parseRfc3339 (strict RFC 3339 date-time with offset)', () => {
  it('parses every valid date-time to the instant it denotes', () => {
    fc.assert(
      fc.property(validDateTime, ({ text, expected }) => {
        expect(parseRfc3339(text)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips Date.prototype.toISOString for any instant in years 0001-9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62135596800000, max: 253402300799999 }), (ms) => {
        expect(parseRfc3339(new Date(ms).toISOString())).toBe(ms);
      }),
      { numRuns: 5000 },
    );
  });

  it('rejects any surrounding whitespace', () => {
    fc.assert(
      fc.property(
        validDateTime,
        fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0'),
        fc.boolean(),
        ({ text }, ws, before) => {
          expect(parseRfc3339(before ? ws + text : text + ws)).toBeUndefined();
        },
      ),
    );
  });

  it('rejects offset-less and date-only values', () => {
    fc.assert(
      fc.property(validDateTime, ({ text }) => {
        const withoutOffset = text.replace(/([Zz]|[+-]\d{2}:\d{2})$/, '');
        expect(parseRfc3339(withoutOffset)).toBeUndefined();
        expect(parseRfc3339(text.slice(0, 10))).toBeUndefined();
      }),
    );
  });

  it('rejects impossible calendar days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (year, month, extra) => {
          const day = daysInMonth(year, month) + extra;
          if (day > 99) return;
          expect(parseRfc3339(`${year}-${pad(month)}-${pad(day)}T00:00:00Z`)).toBeUndefined();
        },
      ),
    );
  });

  it('never throws and only accepts the RFC 3339 shape, whatever the input', () => {
    const shape = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (v) => {
        const r = parseRfc3339(v);
        if (r !== undefined) expect(typeof v === 'string' && shape.test(v)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['2025-02-29T10:00:00Z', 'not a leap year'],
    ['2026-04-31T10:00:00Z', 'April has 30 days'],
    ['2025-06-01T24:00:00Z', 'hour 24'],
    ['2025-06-01T12:60:00Z', 'minute 60'],
    ['2016-12-31T23:59:60Z', 'leap second'],
    ['2025-06-01T12:00:00+24:00', 'offset hour 24'],
    ['2025-06-01T12:00:00+02:60', 'offset minute 60'],
    ['2025-06-01T12:00:00+0200', 'offset without colon'],
    ['2025-06-01T12:00:00+02', 'offset without minutes'],
    ['2025-06-01 12:00:00Z', 'space separator'],
    ['2025-06-01T12:00Z', 'no seconds'],
    ['2025-06-01T12:00:00.Z', 'empty fraction'],
    ['2025-6-1T12:00:00Z', 'unpadded fields'],
    ['+2025-06-01T12:00:00Z', 'expanded year'],
    ['2025-06-01T12:00:00Z ', 'trailing space'],
    ['２０２５-06-01T12:00:00Z', 'non-ASCII digits'],
    ['', 'empty'],
  ])('rejects %s (%s)', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });

  it('accepts leap days, negative offsets and long fractions', () => {
    expect(parseRfc3339('2024-02-29T12:00:00Z')).toBe(Date.UTC(2024, 1, 29, 12));
    expect(parseRfc3339('2024-01-01T16:00:00-08:00')).toBe(Date.UTC(2024, 0, 2));
    expect(parseRfc3339('2024-01-02T05:30:00+05:30')).toBe(Date.UTC(2024, 0, 2));
    expect(parseRfc3339Instant('2025-06-01T12:00:00.123456789Z')).toEqual({
      epochMs: Date.UTC(2025, 5, 1, 12, 0, 0, 123),
      subMillisecond: true,
    });
    expect(parseRfc3339Instant('2025-06-01T12:00:00.123000Z')?.subMillisecond).toBe(false);
    expect(parseRfc3339('0001-01-01T00:00:00Z')).toBe(-62135596800000);
  });

  it('rejects non-strings (numbers, Dates, objects)', () => {
    expect(parseRfc3339(1735689600)).toBeUndefined();
    expect(parseRfc3339(new Date())).toBeUndefined();
    expect(parseRfc3339({ toString: () => '2025-06-01T12:00:00Z' })).toBeUndefined();
    expect(parseRfc3339(null)).toBeUndefined();
  });
});

describe('parseIsoDate / parseDateOrDateTime', () => {
  it('parses real YYYY-MM-DD dates to UTC midnight and rejects impossible ones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const text = `${y}-${pad(m)}-${pad(d)}`;
          if (d <= daysInMonth(y, m)) expect(parseIsoDate(text)).toBe(Date.UTC(y, m - 1, d));
          else expect(parseIsoDate(text)).toBeUndefined();
        },
      ),
    );
    expect(parseIsoDate('2024-01-01T00:00:00Z')).toBeUndefined();
    expect(parseIsoDate(' 2024-01-01')).toBeUndefined();
    expect(parseDateOrDateTime('2024-01-01')).toBe(Date.UTC(2024, 0, 1));
    expect(parseDateOrDateTime('2024-01-01T00:00:00+01:00')).toBe(Date.UTC(2023, 11, 31, 23));
  });

  it('daysFromCivil and civilFromEpochMs are inverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: -700000, max: 2900000 }), (days) => {
        const c = civilFromEpochMs(days * 86_400_000);
        expect(daysFromCivil(c.year, c.month, c.day)).toBe(days);
      }),
    );
  });
});

describe('ageInYears', () => {
  const at = (s: string): number => parseRfc3339(s) as number;
  it('turns a year older on the birthday (UTC) and not a millisecond before', () => {
    expect(ageInYears('2008-06-01', at('2026-06-01T00:00:00Z'))).toBe(18);
    expect(ageInYears('2008-06-01', at('2026-05-31T23:59:59.999Z'))).toBe(17);
  });
  it('handles 29 February birthdays in non-leap years (1 March)', () => {
    expect(ageInYears('2008-02-29', at('2026-02-28T12:00:00Z'))).toBe(17);
    expect(ageInYears('2008-02-29', at('2026-03-01T00:00:00Z'))).toBe(18);
  });
  it('rejects impossible, malformed and future birth dates', () => {
    expect(ageInYears('2007-02-29', at('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(ageInYears('01/02/2000', at('2026-01-01T00:00:00Z'))).toBeUndefined();
    expect(ageInYears('2030-01-01', at('2026-01-01T00:00:00Z'))).toBeUndefined();
  });
});
