import Ajv, { type ErrorObject } from 'ajv';
import { FACTS, OPERATORS } from '../language/catalogue';
import type { FactParamType } from '../language/catalogue.types';
import {
  LIST_VALUE_OPERATORS,
  NUMBER_VALUE_OPERATORS,
  UNARY_OPERATORS,
} from '../language/operators/core.operators';
import { parseDateOrDateTime } from '../language/time';
import type { PolicyLoadError, Severity } from '../policy.types';
import type { EngineCondition, NormalizedPolicy, NormalizedRule } from './policy-model';
import { POLICY_SCHEMA } from './policy-schema';
import type { ParsedYaml, PathSegment } from './safe-yaml';

/** json-rules-engine's operator decorators (`someFact:in`, `not:equal`, ...). */
export const OPERATOR_DECORATORS: readonly string[] = [
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
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const SIMPLE_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(POLICY_SCHEMA);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function pathText(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(document)';
}

/** What the file name says the document must declare. */
export interface ExpectedIdentity {
  id: string;
  version: string;
}

export interface ValidationOutcome {
  policy?: NormalizedPolicy;
  errors: PolicyLoadError[];
}

/**
 * Schema and semantic checks of one parsed policy file. Collects every
 * problem (not just the first), each pointing at the offending node.
 */
export function validatePolicy(
  file: string,
  parsed: ParsedYaml,
  expected?: ExpectedIdentity,
): ValidationOutcome {
  return new PolicyValidator(file, parsed, expected).run();
}

class PolicyValidator {
  private readonly errors: PolicyLoadError[] = [];

  constructor(
    private readonly file: string,
    private readonly parsed: ParsedYaml,
    private readonly expected?: ExpectedIdentity,
  ) {}

  private error(path: readonly PathSegment[], message: string, target?: 'value' | 'key'): void {
    const { line, column } = this.parsed.locate(path, target);
    this.errors.push({ file: this.file, line, column, message });
  }

  run(): ValidationOutcome {
    const doc = this.parsed.value;
    if (!isObj(doc)) {
      this.error([], 'a policy file must be a YAML mapping with policy, version, rules, ...');
      return { errors: this.errors };
    }
    this.schemaErrors(doc);

    const id = typeof doc['policy'] === 'string' ? doc['policy'] : undefined;
    const version = typeof doc['version'] === 'string' ? doc['version'] : undefined;
    if (this.expected && id !== undefined && id !== this.expected.id) {
      this.error(['policy'], `policy "${id}" does not match its folder name "${this.expected.id}"`);
    }
    if (this.expected && version !== undefined && version !== this.expected.version) {
      this.error(
        ['version'],
        `version "${version}" does not match the file name "${this.expected.version}.yaml"`,
      );
    }
    const from = this.instant(doc, ['effectiveFrom']);
    const to = doc['effectiveTo'] === null ? undefined : this.instant(doc, ['effectiveTo']);
    if (from !== undefined && to !== undefined && to <= from) {
      this.error(['effectiveTo'], 'effectiveTo must be later than effectiveFrom');
    }
    const parameters = isObj(doc['parameters']) ? doc['parameters'] : {};
    const rules = Array.isArray(doc['rules']) ? doc['rules'] : [];
    const normalized = this.rules(rules, parameters, from, to);

    if (this.errors.length > 0 || id === undefined || version === undefined || from === undefined) {
      return { errors: this.errors };
    }
    const policy: NormalizedPolicy = {
      id,
      version,
      effectiveFrom: String(doc['effectiveFrom']),
      effectiveFromMs: from,
      effectiveTo: typeof doc['effectiveTo'] === 'string' ? doc['effectiveTo'] : null,
      effectiveToMs: to ?? null,
      description: typeof doc['description'] === 'string' ? doc['description'] : '',
      parameters,
      rules: normalized.sort((a, b) => a.order - b.order),
    };
    return { policy, errors: this.errors };
  }

  private schemaErrors(doc: Obj): void {
    if (validateSchema(doc)) return;
    const seen = new Set<string>();
    for (const e of validateSchema.errors ?? []) {
      const path = decodePointer(e.instancePath);
      // Conditions get precise messages from checkCondition; the schema's anyOf noise is dropped.
      if (path[0] === 'rules' && path[2] === 'when') continue;
      const { at, message, target } = describeAjvError(e, path);
      const key = `${pathText(at)}|${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.error(at, message, target);
    }
  }

  private instant(container: Obj, path: PathSegment[]): number | undefined {
    const key = path[path.length - 1] as string;
    const raw = container[key];
    if (raw === undefined) return undefined;
    const ms = parseDateOrDateTime(raw);
    if (ms === undefined && typeof raw === 'string') {
      this.error(
        path,
        `${key} "${raw}" is not a real date (YYYY-MM-DD) or RFC 3339 date-time with offset`,
      );
    }
    return ms;
  }

  private rules(
    rules: unknown[],
    parameters: Obj,
    policyFrom: number | undefined,
    policyTo: number | undefined,
  ): NormalizedRule[] {
    // Codes are the stable identity of a rule in decisions, audits and comparisons: one rule per code.
    const byCode = new Map<string, { index: number; order: number }>();
    const byOrder = new Map<number, number>();
    const byName = new Map<string, number>();
    rules.forEach((r, i) => {
      if (!isObj(r)) return;
      const code = r['code'];
      if (typeof code === 'string') {
        const first = byCode.get(code);
        if (first !== undefined) {
          this.error(
            ['rules', i, 'code'],
            `duplicate rule code ${code} (first defined at line ${this.parsed.locate(['rules', first.index, 'code']).line})`,
          );
        } else {
          byCode.set(code, { index: i, order: typeof r['order'] === 'number' ? r['order'] : 0 });
        }
      }
      const order = r['order'];
      if (typeof order === 'number') {
        const first = byOrder.get(order);
        if (first !== undefined) {
          this.error(
            ['rules', i, 'order'],
            `duplicate order ${order} (also used at line ${this.parsed.locate(['rules', first, 'order']).line}); orders decide the primary code and must be unique`,
          );
        } else byOrder.set(order, i);
      }
      const name = r['name'];
      if (typeof name === 'string') {
        const first = byName.get(name);
        if (first !== undefined) {
          this.error(
            ['rules', i, 'name'],
            `duplicate rule name ${name} (first used at line ${this.parsed.locate(['rules', first]).line})`,
          );
        } else byName.set(name, i);
      }
    });

    const out: NormalizedRule[] = [];
    rules.forEach((r, i) => {
      if (!isObj(r)) return;
      const base: PathSegment[] = ['rules', i];
      const message = this.message(r['message'], parameters, [...base, 'message']);
      const from = this.instant(r, [...base, 'effectiveFrom']);
      const to = this.instant(r, [...base, 'effectiveTo']);
      if (from !== undefined && to !== undefined && to <= from) {
        this.error(
          [...base, 'effectiveTo'],
          'rule effectiveTo must be later than its effectiveFrom',
        );
      }
      if (to !== undefined && policyFrom !== undefined && to <= policyFrom) {
        this.error(
          [...base, 'effectiveTo'],
          'rule effectiveTo is not after the policy effectiveFrom: the rule would never apply',
        );
      }
      if (from !== undefined && policyTo !== undefined && from >= policyTo) {
        this.error(
          [...base, 'effectiveFrom'],
          'rule effectiveFrom is not before the policy effectiveTo: the rule would never apply',
        );
      }
      const skip = Array.isArray(r['skipIfFailed']) ? r['skipIfFailed'] : [];
      const order = typeof r['order'] === 'number' ? r['order'] : 0;
      skip.forEach((c, k) => {
        if (typeof c !== 'string') return;
        const target = byCode.get(c);
        if (target === undefined) {
          this.error(
            [...base, 'skipIfFailed', k],
            `skipIfFailed names unknown rule code ${c}${suggest(c, [...byCode.keys()])}`,
          );
        } else if (c === r['code']) {
          this.error([...base, 'skipIfFailed', k], `a rule cannot skip on its own failure`);
        } else if (target.order >= order) {
          this.error(
            [...base, 'skipIfFailed', k],
            `skipIfFailed code ${c} must belong to a rule with a lower order (it has ${target.order}, this rule ${order})`,
          );
        }
      });
      const when =
        r['when'] === undefined
          ? undefined
          : this.condition(r['when'], [...base, 'when'], parameters, 0);
      if (
        typeof r['code'] === 'string' &&
        (r['severity'] === 'reject' || r['severity'] === 'warn') &&
        typeof r['order'] === 'number' &&
        message !== undefined &&
        when !== undefined
      ) {
        out.push({
          code: r['code'],
          name: typeof r['name'] === 'string' ? r['name'] : r['code'],
          severity: r['severity'] as Severity,
          order: r['order'],
          message,
          effectiveFromMs: from ?? null,
          effectiveToMs: to ?? null,
          skipIfFailed: skip.filter((c): c is string => typeof c === 'string'),
          when,
        });
      }
    });
    return out;
  }

  private message(raw: unknown, parameters: Obj, path: PathSegment[]): string | undefined {
    if (typeof raw !== 'string') return undefined;
    let ok = true;
    const text = raw.replace(PLACEHOLDER, (whole, name: string) => {
      if (!Object.hasOwn(parameters, name)) {
        this.error(path, `message refers to unknown parameter {${name}}`);
        ok = false;
        return whole;
      }
      return formatParam(parameters[name]);
    });
    return ok ? text : undefined;
  }

  /** Resolves `{ param: name }`; returns undefined (after reporting) when the name is unknown. */
  private resolveParam(
    v: unknown,
    parameters: Obj,
    path: PathSegment[],
  ): { ok: boolean; value: unknown } {
    if (isObj(v) && Object.hasOwn(v, 'param')) {
      const name = v['param'];
      if (Object.keys(v).length !== 1 || typeof name !== 'string' || !PARAM_NAME.test(name)) {
        this.error(path, 'a parameter reference is written { param: name } and nothing else');
        return { ok: false, value: undefined };
      }
      if (!Object.hasOwn(parameters, name)) {
        this.error(
          [...path, 'param'],
          `unknown parameter "${name}"${suggest(name, Object.keys(parameters))}`,
        );
        return { ok: false, value: undefined };
      }
      return { ok: true, value: parameters[name] };
    }
    return { ok: true, value: v };
  }

  private condition(
    c: unknown,
    path: PathSegment[],
    parameters: Obj,
    depth: number,
  ): EngineCondition | undefined {
    if (depth > MAX_CONDITION_DEPTH) {
      this.error(path, `conditions nest deeper than ${MAX_CONDITION_DEPTH} levels`);
      return undefined;
    }
    if (!isObj(c)) {
      this.error(path, 'a condition must be a mapping with fact/operator, or all, any or not');
      return undefined;
    }
    const kinds = ['all', 'any', 'not', 'fact'].filter((k) => Object.hasOwn(c, k));
    if (kinds.length !== 1) {
      this.error(
        path,
        kinds.length === 0
          ? 'a condition needs either fact + operator, or one of all, any, not'
          : `a condition has exactly one of fact, all, any, not (found ${kinds.join(', ')})`,
      );
      return undefined;
    }
    const kind = kinds[0] as 'all' | 'any' | 'not' | 'fact';
    if (kind === 'fact') return this.leaf(c, path, parameters);
    for (const k of Object.keys(c)) {
      if (k !== kind) this.error([...path, k], `unexpected field "${k}" beside ${kind}`, 'key');
    }
    if (kind === 'not') {
      const inner = this.condition(c['not'], [...path, 'not'], parameters, depth + 1);
      return inner === undefined ? undefined : { not: inner };
    }
    const list = c[kind];
    if (!Array.isArray(list) || list.length === 0) {
      this.error([...path, kind], `${kind} must be a non-empty list of conditions`);
      return undefined;
    }
    const items = list.map((item, i) =>
      this.condition(item, [...path, kind, i], parameters, depth + 1),
    );
    if (items.some((x) => x === undefined)) return undefined;
    return kind === 'all'
      ? { all: items as EngineCondition[] }
      : { any: items as EngineCondition[] };
  }

  private leaf(c: Obj, path: PathSegment[], parameters: Obj): EngineCondition | undefined {
    const before = this.errors.length;
    for (const k of Object.keys(c)) {
      if (!['fact', 'operator', 'value', 'path', 'params'].includes(k)) {
        this.error([...path, k], `unexpected field "${k}" in a condition`, 'key');
      }
    }
    const factName = c['fact'];
    const fact = typeof factName === 'string' ? FACTS.get(factName) : undefined;
    if (typeof factName !== 'string') this.error([...path, 'fact'], 'fact must be a name');
    else if (fact === undefined) {
      this.error(
        [...path, 'fact'],
        `unknown fact "${factName}"${suggest(factName, [...FACTS.keys()])}`,
      );
    }

    const operator = c['operator'];
    let baseOp: string | undefined;
    let decorators: string[] = [];
    if (typeof operator !== 'string') {
      this.error(
        Object.hasOwn(c, 'operator') ? [...path, 'operator'] : path,
        'condition needs an operator',
      );
    } else {
      const parts = operator.split(':');
      baseOp = parts.pop() as string;
      decorators = parts;
      const badDecorator = decorators.find((d) => !OPERATOR_DECORATORS.includes(d));
      if (!OPERATORS.has(baseOp)) {
        this.error(
          [...path, 'operator'],
          `unknown operator "${baseOp}"${suggest(baseOp, [...OPERATORS.keys()])}`,
        );
        baseOp = undefined;
      } else if (badDecorator !== undefined) {
        this.error(
          [...path, 'operator'],
          `unknown operator decorator "${badDecorator}" (known: ${OPERATOR_DECORATORS.join(', ')})`,
        );
        baseOp = undefined;
      }
    }

    let params: Record<string, unknown> | undefined;
    if (Object.hasOwn(c, 'params')) {
      if (!isObj(c['params'])) this.error([...path, 'params'], 'params must be a mapping');
      else {
        params = {};
        for (const [k, v] of Object.entries(c['params'])) {
          const r = this.resolveParam(v, parameters, [...path, 'params', k]);
          if (fact !== undefined && !fact.params.includes(k)) {
            this.error(
              [...path, 'params', k],
              `fact ${fact.name} has no param "${k}"${fact.params.length ? ` (accepts: ${fact.params.join(', ')})` : ' (it takes none)'}`,
              'key',
            );
          } else if (
            r.ok &&
            fact?.paramTypes?.[k] !== undefined &&
            !hasType(r.value, fact.paramTypes[k])
          ) {
            this.error(
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
        this.error(path, `fact ${fact?.name ?? ''} requires param "${req}"`);
      }
    }

    let value: unknown = null;
    if (Object.hasOwn(c, 'value')) {
      const r = this.resolveParam(c['value'], parameters, [...path, 'value']);
      value = r.value;
      if (r.ok) this.checkValue(value, baseOp, decorators, [...path, 'value']);
    } else if (
      baseOp !== undefined &&
      (!UNARY_OPERATORS.includes(baseOp) || decorators.length > 0)
    ) {
      this.error(path, `operator ${String(operator)} needs a value`);
    }

    const p = c['path'];
    if (p !== undefined && (typeof p !== 'string' || !SIMPLE_PATH.test(p))) {
      this.error(
        [...path, 'path'],
        'path must be a simple JSONPath such as $.field, $.a.b or $.list[0]',
      );
    }
    if (
      this.errors.length > before ||
      typeof factName !== 'string' ||
      typeof operator !== 'string'
    ) {
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
      this.error(
        path,
        'a value cannot be an object with a "fact" key (fact references are not supported)',
      );
      return;
    }
    if (baseOp === undefined) return;
    if (decorators.some((d) => LIST_VALUE_DECORATORS.includes(d))) {
      if (!Array.isArray(value))
        this.error(path, `operator ${decorators.join(':')}:${baseOp} needs a list value`);
      return;
    }
    if (decorators.length > 0) return;
    if (LIST_VALUE_OPERATORS.includes(baseOp) && !Array.isArray(value)) {
      this.error(path, `operator ${baseOp} needs a list value`);
    }
    if (
      NUMBER_VALUE_OPERATORS.includes(baseOp) &&
      (typeof value !== 'number' || !Number.isFinite(value))
    ) {
      this.error(path, `operator ${baseOp} needs a number value`);
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

export function formatParam(v: unknown): string {
  if (Array.isArray(v)) return v.map(formatParam).join(', ');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v);
}

const FORMATS: Record<string, string> = {
  version: 'a semantic version such as 1.2.0',
  policy: 'lowercase letters, digits and dashes (e.g. gdpr-consent)',
  code: 'UPPER_SNAKE_CASE (e.g. CONSENT_MISSING)',
  name: 'kebab-case (e.g. fr-opt-in)',
  effectiveFrom: 'a date YYYY-MM-DD or an RFC 3339 date-time with offset',
  effectiveTo: 'a date YYYY-MM-DD or an RFC 3339 date-time with offset',
  param: 'a parameter name (letters, digits, underscores)',
};

function article(type: string): string {
  const t = type.replace(/,/g, ' or ');
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function decodePointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describeAjvError(
  e: ErrorObject,
  path: PathSegment[],
): { at: PathSegment[]; message: string; target?: 'key' } {
  const where = pathText(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(params['additionalProperty']);
      return { at: [...path, prop], message: `unknown field "${prop}" in ${where}`, target: 'key' };
    }
    case 'required':
      return {
        at: path,
        message: `${where} is missing required field "${String(params['missingProperty'])}"`,
      };
    case 'enum':
      return {
        at: path,
        message: `${where} must be one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`,
      };
    case 'pattern':
      return {
        at: path,
        message: `${where} must be ${FORMATS[String(path[path.length - 1])] ?? `of the form ${String(params['pattern'])}`}`,
      };
    case 'type':
      return { at: path, message: `${where} must be ${article(String(params['type']))}` };
    case 'propertyNames':
      return { at: path, message: `${where} has an invalid key: ${e.message ?? ''}` };
    default:
      return { at: path, message: `${where} ${e.message ?? 'is invalid'}` };
  }
}

/** A "did you mean" hint for a mistyped name (edit distance <= 2 or case-only difference). */
export function suggest(name: string, known: string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = k.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}
