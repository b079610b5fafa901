import type { Severity } from '../policy.types';
import { buildDecision, type RuleRuntime, SharedDecisions } from './decision-builder';

function rules(n: number): RuleRuntime[] {
  return Array.from({ length: n }, (_, i) => {
    const severity: Severity = i % 5 === 4 ? 'warn' : 'reject';
    return {
      index: i,
      code: `R${i}`,
      name: `r${i}`,
      severity,
      message: `rule ${i}`,
      effectiveFromMs: null,
      effectiveToMs: null,
      skipIfFailed: [],
      violation: Object.freeze({ code: `R${i}`, message: `rule ${i}`, rule: `r${i}`, severity }),
    };
  });
}

describe('SharedDecisions', () => {
  it.each([5, 31, 40])(
    'gives one frozen decision per failure set, equal to buildDecision (%i rules)',
    (n) => {
      const rs = rules(n);
      const shared = new SharedDecisions(rs);
      const failed = (idx: number[]): Uint8Array => {
        const f = new Uint8Array(n);
        for (const i of idx) f[i] = 1;
        return f;
      };
      const a = shared.get(failed([0, n - 1]));
      expect(a).toEqual(buildDecision(rs, failed([0, n - 1])));
      expect(shared.get(failed([0, n - 1]))).toBe(a);
      expect(shared.get(failed([1]))).not.toBe(a);
      expect(shared.get(failed([]))).toMatchObject({ decision: 'APPROVED', codes: [] });
      expect(Object.isFrozen(a) && Object.isFrozen(a.codes) && Object.isFrozen(a.violations)).toBe(
        true,
      );
      expect(() => a.codes.push('X')).toThrow(TypeError);
    },
  );
});
