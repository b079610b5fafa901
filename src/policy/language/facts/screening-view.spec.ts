import fc from 'fast-check';
import { isNonBlankString, readTimestamp } from './screening-view';

const reference = (v: unknown): boolean => typeof v === 'string' && v.trim().length > 0;

describe('screening-view helpers', () => {
  it('isNonBlankString agrees with the trim() definition for any value', () => {
    const whitespace = fc.constantFrom(
      ' ',
      '\t',
      '\n',
      '\u00a0',
      '\u2028',
      '\u3000',
      '\ufeff',
      'x',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.array(whitespace).map((a) => a.join('')),
          fc.anything(),
        ),
        (v) => {
          expect(isNonBlankString(v)).toBe(reference(v));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('readTimestamp classifies missing, invalid, future and valid instants', () => {
    const at = Date.parse('2026-06-15T12:00:00Z');
    expect(readTimestamp(undefined, at)).toEqual({ state: 'missing' });
    expect(readTimestamp('', at)).toEqual({ state: 'missing' });
    expect(readTimestamp('2025-02-29T10:00:00Z', at)).toEqual({ state: 'invalid' });
    expect(readTimestamp('2026-06-15T12:05:00.001Z', at).state).toBe('future');
    expect(readTimestamp('2026-06-15T12:05:00Z', at)).toEqual({
      state: 'valid',
      ms: at + 5 * 60_000,
    });
  });
});
