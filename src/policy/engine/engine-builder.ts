import { Almanac, Engine, Operator, type RuleProperties } from 'json-rules-engine';
import { FACTS, OPERATORS } from '../language/catalogue';
import type { FactContext } from '../language/catalogue.types';
import { BUILTIN_OPERATOR_NAMES } from '../language/operators/core.operators';
import { isLeaf, type EngineCondition, type NormalizedPolicy } from '../loader/policy-model';
import { resolveSimplePath } from './simple-path';

/**
 * The almanac of one engine run, carrying the contact and evaluatedAt to the
 * catalogue facts. Facts read it synchronously instead of awaiting a runtime
 * fact, which saves a promise per fact lookup.
 */
export class ContextAlmanac extends Almanac {
  constructor(readonly ctx: FactContext) {
    super({ allowUndefinedFacts: false, pathResolver: resolveSimplePath });
  }
}

/**
 * Builds the json-rules-engine Engine of one policy version, once. Catalogue
 * facts are registered as dynamic facts reading the per-run context fact;
 * catalogue operators are registered as engine Operators (json-rules-engine's
 * built-ins stay the engine's own). Rule priority is uniform: reporting order
 * comes from `order`, applied after the run, identically to the fast path.
 */
export function buildEngine(policy: NormalizedPolicy): Engine {
  const engine = new Engine([], {
    allowUndefinedFacts: false,
    pathResolver: resolveSimplePath,
  });
  for (const def of OPERATORS.values()) {
    if (BUILTIN_OPERATOR_NAMES.includes(def.name)) continue;
    const evaluate = def.evaluate;
    engine.addOperator(new Operator(def.name, (a: unknown, b: unknown) => evaluate(a, b) === true));
  }
  for (const def of FACTS.values()) {
    const compute = def.compute;
    engine.addFact(
      def.name,
      (params: Record<string, unknown>, almanac: Almanac) =>
        compute((almanac as ContextAlmanac).ctx, params ?? EMPTY_PARAMS),
      // Facts are pure and share derived values through ctx.memo; json-rules-engine's
      // cache would only add a hash of the params per lookup.
      { cache: false },
    );
  }
  policy.rules.forEach((rule, i) => engine.addRule(toRuleProperties(engineRuleName(i), rule.when)));
  return engine;
}

export const EMPTY_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({});

/** json-rules-engine needs a boolean root; a single leaf is wrapped in `all` (and unwrapped in explain). */
export function engineRoot(when: EngineCondition): {
  root: EngineCondition;
  wrapped: boolean;
} {
  return isLeaf(when) ? { root: { all: [when] }, wrapped: true } : { root: when, wrapped: false };
}

/** Engine-side rule names are positional: codes may repeat across rules. */
export function engineRuleName(index: number): string {
  return `rule-${index}`;
}

function toRuleProperties(name: string, when: EngineCondition): RuleProperties {
  return {
    name,
    priority: 1,
    conditions: engineRoot(when).root as RuleProperties['conditions'],
    event: { type: name },
  };
}
