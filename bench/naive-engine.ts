import { readFileSync } from 'node:fs';
import { Almanac, Engine, Operator, type RuleProperties } from 'json-rules-engine';
import { FACTS, OPERATORS } from '../src/policy/language/catalogue';
import type { FactContext } from '../src/policy/language/catalogue.types';
import { BUILTIN_OPERATOR_NAMES } from '../src/policy/language/operators/core.operators';
import type { EngineCondition, NormalizedPolicy } from '../src/policy/loader/policy-model';
import { validatePolicy } from '../src/policy/loader/policy-validator';
import { parseYamlSafe } from '../src/policy/loader/safe-yaml';
import type { CompiledPolicy } from '../src/policy/policy.types';

/**
 * The baseline issue 7 names: json-rules-engine "driven the obvious way" — one
 * Engine per policy built from the policy's rule objects, the catalogue facts
 * registered as ordinary dynamic facts that read a per-run context fact through
 * the almanac (json-rules-engine's default fact cache on), `engine.run()` per
 * contact. It is deliberately independent of the product's engine path
 * (CompiledPolicy.evaluateWithEngine), which is tuned for explain and would
 * otherwise move the baseline whenever it gets faster. Only codes are computed
 * (rule order, effective windows and skipIfFailed applied as the policy says).
 */
export interface NaiveEvaluator {
  evaluate(contact: unknown, evaluatedAt: Date): Promise<string[]>;
}

const CONTEXT = 'bench_context';

interface RuleInfo {
  code: string;
  severity: string;
  from: number | null;
  to: number | null;
  skip: number[];
}

export function naiveEvaluator(policy: CompiledPolicy): NaiveEvaluator {
  const normalized = normalize(policy);
  const engine = new Engine([], { allowUndefinedFacts: false });
  for (const def of OPERATORS.values()) {
    if (BUILTIN_OPERATOR_NAMES.includes(def.name)) continue;
    engine.addOperator(new Operator(def.name, (a: unknown, b: unknown) => def.evaluate(a, b)));
  }
  for (const def of FACTS.values()) {
    engine.addFact(def.name, async (params: Record<string, unknown>, almanac: Almanac) => {
      const ctx = await almanac.factValue<FactContext>(CONTEXT);
      return def.compute(ctx, params ?? {});
    });
  }
  const codeIndex = new Map(normalized.rules.map((r, i) => [r.code, i]));
  const rules: RuleInfo[] = normalized.rules.map((r, i) => {
    engine.addRule({
      name: String(i),
      conditions: root(r.when) as RuleProperties['conditions'],
      event: { type: r.code },
    });
    return {
      code: r.code,
      severity: r.severity,
      from: r.effectiveFromMs,
      to: r.effectiveToMs,
      skip: r.skipIfFailed.map((c) => codeIndex.get(c) as number),
    };
  });
  return {
    async evaluate(contact, evaluatedAt) {
      if (contact === null || typeof contact !== 'object' || Array.isArray(contact)) {
        return ['INPUT_MALFORMED'];
      }
      const ctx: FactContext = {
        contact: contact as Record<string, unknown>,
        evaluatedAt,
        memo: new Map(),
      };
      const { results } = await engine.run({ [CONTEXT]: ctx });
      const fired = new Set(results.map((r) => Number(r.name)));
      const at = evaluatedAt.getTime();
      const failed: boolean[] = [];
      const codes: string[] = [];
      rules.forEach((r, i) => {
        const effective = (r.from === null || at >= r.from) && (r.to === null || at < r.to);
        failed[i] = effective && fired.has(i) && !r.skip.some((j) => failed[j] === true);
        if (failed[i] && r.severity === 'reject') codes.push(r.code);
      });
      return codes;
    },
  };
}

function root(when: EngineCondition): EngineCondition {
  return Object.hasOwn(when, 'fact') ? { all: [when] } : when;
}

/** The policy's validated rule objects, re-read from its file (the same loader the service uses). */
function normalize(policy: CompiledPolicy): NormalizedPolicy {
  const parsed = parseYamlSafe(policy.file, readFileSync(policy.file, 'utf8'));
  const { policy: normalized, errors } = validatePolicy(policy.file, parsed);
  if (normalized === undefined || errors.length > 0) {
    throw new Error(`cannot re-read ${policy.file} for the naive baseline`);
  }
  return normalized;
}
