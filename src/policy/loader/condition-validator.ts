import { parseSimplePath } from '../engine/simple-path';
import { FACTS, OPERATORS } from '../language/catalogue';
import type { FactParamType } from '../language/catalogue.types';
import {
  LIST_VALUE_OPERATORS,
  NUMBER_VALUE_OPERATORS,
  UNARY_OPERATORS,
} from '../language/operators/core.operators';
import type { EngineCondition } from './policy-model';
import type { PathSegment } from './safe-yaml';
import { isObj, type Obj } from '../../common/is-object';
import { suggest } from './validation-messages';

/** json-rules-engine's operator decorators (`someFact:in`, `not:equal`, ...). */
const OPERATOR_DECORATORS: readonly string[] = [
  'someFact',
  'someValue',
  'everyFact',
  'everyValue',
  'swap',
  'not',
];
const LIST_VALUE_DECORATORS = ['someValue', 'everyValue'];
const MAX_CONDITION_DEPTH = 16;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export type Report = (
  path: readonly PathSegment[],
  message: string,
  target?: 'value' | 'key',
) => void;

/**
 * Checks one rule's `when` tree against the fact/operator catalogue and the
 * policy's parameters, and returns it in json-rules-engine's shape with every
 * `{ param }` substituted. Reports every problem at its node.
 */
export class ConditionValidator {
  constructor(
    private readonly report: Report,
    private readonly count: () => number,
    private readonly parameters: Obj,
  ) {}

  /** Resolves `{ param: name }`; returns undefined (after reporting) when the name is unknown. */
  private resolveParam(v: unknown, path: PathSegment[]): { ok: boolean; value: unknown } {
    if (isObj(v) && Object.hasOwn(v, 'param')) {
      const name = v['param'];
      if (Object.keys(v).length !== 1 || typeof name !== 'string' || !PARAM_NAME.test(name)) {
        this.report(path, 'a parameter reference is written { param: name } and nothing else');
        return { ok: false, value: undefined };
      }
      if (!Object.hasOwn(this.parameters, name)) {
        this.report(
          [...path, 'param'],
          `unknown parameter "${name}"${suggest(name, Object.keys(this.parameters))}`,
        );
        return { ok: false, value: undefined };
      }
      return { ok: true, value: this.parameters[name] };
    }
    return { ok: true, value: v };
  }

  condition(c: unknown, path: PathSegment[], depth: number): EngineCondition | undefined {
    if (depth > MAX_CONDITION_DEPTH) {
      this.report(path, `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`);
      return undefined;
    }
    if (!isObj(c)) {
      this.report(path, 'a condition must be a mapping with fact/operator, or all, any or not');
      return undefined;
    }
    const kinds = ['all', 'any', 'not', 'fact'].filter((k) => Object.hasOwn(c, k));
    if (kinds.length !== 1) {
      this.report(
        path,
        kinds.length === 0
          ? 'a condition needs either fact + operator, or one of all, any, not'
          : `a condition has exactly one of fact, all, any, not (found ${kinds.join(', ')})`,
      );
      return undefined;
    }
    const kind = kinds[0] as 'all' | 'any' | 'not' | 'fact';
    if (kind === 'fact') return this.leaf(c, path);
    for (const k of Object.keys(c)) {
      if (k !== kind) this.report([...path, k], `unexpected field "${k}" beside ${kind}`, 'key');
    }
    if (kind === 'not') {
      const inner = this.condition(c['not'], [...path, 'not'], depth + 1);
      return inner === undefined ? undefined : { not: inner };
    }
    const list = c[kind];
    if (!Array.isArray(list) || list.length === 0) {
      this.report([...path, kind], `${kind} must be a non-empty list of conditions`);
      return undefined;
    }
    const items = list.map((item, i) => this.condition(item, [...path, kind, i], depth + 1));
    if (items.some((x) => x === undefined)) return undefined;
    return kind === 'all'
      ? { all: items as EngineCondition[] }
      : { any: items as EngineCondition[] };
  }

  private leaf(c: Obj, path: PathSegment[]): EngineCondition | undefined {
    const before = this.count();
    for (const k of Object.keys(c)) {
      if (!['fact', 'operator', 'value', 'path', 'params'].includes(k)) {
        this.report([...path, k], `unexpected field "${k}" in a condition`, 'key');
      }
    }
    const factName = c['fact'];
    const fact = typeof factName === 'string' ? FACTS.get(factName) : undefined;
    if (typeof factName !== 'string') this.report([...path, 'fact'], 'fact must be a name');
    else if (fact === undefined) {
      this.report(
        [...path, 'fact'],
        `unknown fact "${factName}"${suggest(factName, [...FACTS.keys()])}`,
      );
    }

    const operator = c['operator'];
    let baseOp: string | undefined;
    let decorators: string[] = [];
    if (typeof operator !== 'string') {
      this.report(
        Object.hasOwn(c, 'operator') ? [...path, 'operator'] : path,
        'condition needs an operator',
      );
    } else {
      const parts = operator.split(':');
      baseOp = parts.pop() ?? '';
      decorators = parts;
      const badDecorator = decorators.find((d) => !OPERATOR_DECORATORS.includes(d));
      if (!OPERATORS.has(baseOp)) {
        this.report(
          [...path, 'operator'],
          `unknown operator "${baseOp}"${suggest(baseOp, [...OPERATORS.keys()])}`,
        );
        baseOp = undefined;
      } else if (badDecorator !== undefined) {
        this.report(
          [...path, 'operator'],
          `unknown operator decorator "${badDecorator}" (known: ${OPERATOR_DECORATORS.join(', ')})`,
        );
        baseOp = undefined;
      }
    }

    let params: Record<string, unknown> | undefined;
    if (Object.hasOwn(c, 'params')) {
      if (!isObj(c['params'])) this.report([...path, 'params'], 'params must be a mapping');
      else {
        params = {};
        for (const [k, v] of Object.entries(c['params'])) {
          const r = this.resolveParam(v, [...path, 'params', k]);
          if (fact !== undefined && !fact.params.includes(k)) {
            this.report(
              [...path, 'params', k],
              `fact ${fact.name} has no param "${k}"${fact.params.length ? ` (accepts: ${fact.params.join(', ')})` : ' (it takes none)'}`,
              'key',
            );
          } else if (
            r.ok &&
            fact?.paramTypes?.[k] !== undefined &&
            !hasType(r.value, fact.paramTypes[k])
          ) {
            this.report(
              [...path, 'params', k],
              `param "${k}" of fact ${fact.name} must be ${fact.paramTypes[k]}`,
            );
          }
          params[k] = r.value;
        }
      }
    }
    for (const req of fact?.requiredParams ?? []) {
      if (params === undefined || !Object.hasOwn(params, req)) {
        this.report(path, `fact ${fact?.name ?? ''} requires param "${req}"`);
      }
    }

    let value: unknown = null;
    if (Object.hasOwn(c, 'value')) {
      const r = this.resolveParam(c['value'], [...path, 'value']);
      value = r.value;
      if (r.ok) this.checkValue(value, baseOp, decorators, [...path, 'value']);
    } else if (
      baseOp !== undefined &&
      (!UNARY_OPERATORS.includes(baseOp) || decorators.length > 0)
    ) {
      this.report(path, `operator ${String(operator)} needs a value`);
    }

    const p = c['path'];
    if (p !== undefined && (typeof p !== 'string' || parseSimplePath(p) === null)) {
      this.report(
        [...path, 'path'],
        'path must be a simple JSONPath such as $.field, $.a.b or $.list[0]',
      );
    }
    // The whole record would land in explain output (personal data) and compares to nothing useful.
    if (factName === 'contact' && (p === undefined || p === '$')) {
      this.report(path, 'fact contact reads one field: give a path such as $.country');
    }
    if (this.count() > before || typeof factName !== 'string' || typeof operator !== 'string') {
      return undefined;
    }
    const leaf: EngineCondition = { fact: factName, operator, value };
    if (typeof p === 'string') leaf.path = p;
    if (params !== undefined) leaf.params = params;
    return leaf;
  }

  private checkValue(
    value: unknown,
    baseOp: string | undefined,
    decorators: string[],
    path: PathSegment[],
  ): void {
    // json-rules-engine reads an object value with a `fact` key as a fact reference.
    if (isObj(value) && Object.hasOwn(value, 'fact')) {
      this.report(
        path,
        'a value cannot be an object with a "fact" key (fact references are not supported)',
      );
      return;
    }
    if (baseOp === undefined) return;
    if (decorators.some((d) => LIST_VALUE_DECORATORS.includes(d))) {
      if (!Array.isArray(value))
        this.report(path, `operator ${decorators.join(':')}:${baseOp} needs a list value`);
      return;
    }
    if (decorators.length > 0) return;
    if (LIST_VALUE_OPERATORS.includes(baseOp) && !Array.isArray(value)) {
      this.report(path, `operator ${baseOp} needs a list value`);
    }
    if (
      NUMBER_VALUE_OPERATORS.includes(baseOp) &&
      (typeof value !== 'number' || !Number.isFinite(value))
    ) {
      this.report(path, `operator ${baseOp} needs a number value`);
    }
  }
}

function hasType(v: unknown, t: FactParamType): boolean {
  switch (t) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'number[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  }
}
