import type { Engine } from 'json-rules-engine';

/**
 * The parts of json-rules-engine 7 the published typings leave out. The fast
 * path needs the engine's own Operator objects (with decorators applied) so
 * it evaluates conditions with exactly the functions the engine uses.
 */
export interface EngineOperator {
  readonly name: string;
  evaluate(factValue: unknown, jsonValue: unknown): unknown;
}

interface OperatorMapInternals {
  operators: Map<string, EngineOperator>;
  /** Resolves `decorator:...:operator` names, caching the decorated operator. */
  get(name: string): EngineOperator | null;
}

function operatorMap(engine: Engine): OperatorMapInternals {
  return (engine as unknown as { operators: OperatorMapInternals }).operators;
}

/** The operator the engine would use for `name` (decorators applied), or null when unknown. */
export function engineOperator(engine: Engine, name: string): EngineOperator | null {
  return operatorMap(engine).get(name);
}

/** Names of the plain operators an engine knows. */
export function engineOperatorNames(engine: Engine): string[] {
  return [...operatorMap(engine).operators.keys()].filter((n) => !n.includes(':'));
}
