import { Engine } from 'json-rules-engine';
import { engineOperator } from '../../engine/engine-internals';
import { CORE_OPERATORS } from './core.operators';

const op = (name: string) => {
  const o = CORE_OPERATORS.find((x) => x.name === name);
  if (!o) throw new Error(name);
  return o;
};

describe('core operators', () => {
  it("re-expose json-rules-engine's built-ins with the engine's own semantics", () => {
    const engine = new Engine();
    const samples: [unknown, unknown][] = [
      ['a', 'a'],
      ['a', ['a', 'b']],
      ['x', ['a']],
      [5, 3],
      ['5', 3],
      [null, 3],
      [['a'], 'a'],
      [3, 3],
    ];
    for (const name of [
      'equal',
      'notEqual',
      'in',
      'notIn',
      'lessThan',
      'greaterThanInclusive',
      'contains',
    ]) {
      const native = engineOperator(engine, name);
      for (const [f, v] of samples) {
        let expected: unknown;
        try {
          expected = native?.evaluate(f, v) === true;
        } catch {
          continue; // e.g. `in` with a non-list value: rejected at load time
        }
        expect(op(name).evaluate(f, v)).toBe(expected);
      }
    }
  });

  it('numeric comparisons are false for non-numbers (missing data never passes silently)', () => {
    expect(op('greaterThan').evaluate(null, 730)).toBe(false);
    expect(op('greaterThan').evaluate(undefined, 730)).toBe(false);
    expect(op('greaterThan').evaluate('abc', 730)).toBe(false);
    expect(op('greaterThan').evaluate(730.0000001, 730)).toBe(true);
  });

  it('presence and blankness', () => {
    for (const v of [undefined, null, '']) expect(op('isMissing').evaluate(v, null)).toBe(true);
    for (const v of [' ', 0, false, 'x']) expect(op('isMissing').evaluate(v, null)).toBe(false);
    for (const v of [undefined, null, '', ' \t', 12])
      expect(op('isBlank').evaluate(v, null)).toBe(true);
    expect(op('isNotBlank').evaluate(' x ', null)).toBe(true);
    expect(op('isPresent').evaluate(0, null)).toBe(true);
  });

  it('timestamp and date validity', () => {
    expect(op('isValidTimestamp').evaluate('2025-06-01T12:00:00+02:00', null)).toBe(true);
    expect(op('isInvalidTimestamp').evaluate('2025-06-01T12:00:00', null)).toBe(true);
    expect(op('isValidDate').evaluate('2024-02-29', null)).toBe(true);
    expect(op('isInvalidDate').evaluate('2025-02-29', null)).toBe(true);
  });

  it('isTrue / isNotTrue accept only the boolean true as true', () => {
    expect(op('isTrue').evaluate(true, null)).toBe(true);
    expect(op('isTrue').evaluate('true', null)).toBe(false);
    expect(op('isNotTrue').evaluate(undefined, null)).toBe(true);
  });
});
