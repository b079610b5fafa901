import Ajv from 'ajv';
import { parseDateOrDateTime } from '../language/time';
import type { PolicyLoadError } from '../policy.types';
import { ConditionValidator } from './condition-validator';
import type { NormalizedPolicy, NormalizedRule } from './policy-model';
import { POLICY_SCHEMA } from './policy-schema';
import type { ParsedYaml, PathSegment } from './safe-yaml';
import { isObj, type Obj } from '../../common/is-object';
import {
  decodePointer,
  describeAjvError,
  formatParam,
  pathText,
  suggest,
} from './validation-messages';

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(POLICY_SCHEMA);

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
          : new ConditionValidator(
              (path, message, target) => this.error(path, message, target),
              () => this.errors.length,
              parameters,
            ).condition(r['when'], [...base, 'when'], 0);
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
          severity: r['severity'],
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
}
