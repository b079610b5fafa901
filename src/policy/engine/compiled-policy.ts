import type { Engine, RuleResult } from 'json-rules-engine';
import type { FactContext } from '../language/catalogue.types';
import type { NormalizedPolicy } from '../loader/policy-model';
import type {
  CompiledPolicy,
  Decision,
  ExplainCondition,
  ExplainRule,
  PolicyRef,
  RuleInfo,
} from '../policy.types';
import {
  buildDecision,
  SharedDecisions,
  isContactObject,
  isEffective,
  malformedDecision,
  suppressedBy,
  type RuleRuntime,
} from './decision-builder';
import { buildEngine, ContextAlmanac, engineRoot, engineRuleName } from './engine-builder';
import { FastPathCompiler, type FastState, type Predicate } from './fast-path';
import { SlotMemo } from './slot-memo';

export interface PolicySourceInfo {
  file: string;
  source: string;
  document: unknown;
  digest: string;
}

/**
 * One loaded policy version with its two evaluation paths: the
 * json-rules-engine Engine (engine of record, explain) and the compiled fast
 * path. Both share fact/operator functions, rule order, effective windows and
 * skipIfFailed handling (decision-builder.ts).
 */
export class CompiledPolicyImpl implements CompiledPolicy {
  readonly ref: PolicyRef;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  readonly effectiveFromMs: number;
  readonly effectiveToMs: number | null;
  readonly description: string;
  readonly file: string;
  readonly source: string;
  readonly document: unknown;
  readonly rules: readonly RuleInfo[];

  private readonly runtime: readonly RuleRuntime[];
  private readonly predicates: readonly Predicate[];
  private readonly wrapped: readonly boolean[];
  private readonly engine: Engine;
  private readonly state: FastState;
  private readonly failed: Uint8Array;
  private readonly decisions: SharedDecisions;
  /** json-rules-engine's run() keeps status on the Engine; concurrent runs would cut each other short. */
  private engineQueue: Promise<unknown> = Promise.resolve();

  constructor(policy: NormalizedPolicy, info: PolicySourceInfo) {
    this.ref = Object.freeze({ id: policy.id, version: policy.version, digest: info.digest });
    this.effectiveFrom = policy.effectiveFrom;
    this.effectiveTo = policy.effectiveTo;
    this.effectiveFromMs = policy.effectiveFromMs;
    this.effectiveToMs = policy.effectiveToMs;
    this.description = policy.description;
    this.file = info.file;
    this.source = info.source;
    this.document = info.document;

    const indexOf = new Map(policy.rules.map((r, i) => [r.code, i]));
    this.runtime = policy.rules.map((r, i) =>
      Object.freeze({
        index: i,
        code: r.code,
        name: r.name,
        severity: r.severity,
        message: r.message,
        effectiveFromMs: r.effectiveFromMs,
        effectiveToMs: r.effectiveToMs,
        skipIfFailed: r.skipIfFailed.map((c) => indexOf.get(c) as number),
        violation: Object.freeze({
          code: r.code,
          message: r.message,
          rule: r.name,
          severity: r.severity,
        }),
      }),
    );
    this.rules = Object.freeze(
      policy.rules.map((r) =>
        Object.freeze({
          code: r.code,
          name: r.name,
          severity: r.severity,
          message: r.message,
          order: r.order,
        }),
      ),
    );
    this.engine = buildEngine(policy);
    const compiler = new FastPathCompiler(this.engine);
    this.predicates = policy.rules.map((r) => compiler.compile(r.when));
    this.wrapped = policy.rules.map((r) => engineRoot(r.when).wrapped);
    this.state = {
      ctx: { contact: {}, evaluatedAt: new Date(0), memo: new SlotMemo() },
      values: new Array<unknown>(compiler.slotCount).fill(undefined),
      stamps: new Float64Array(compiler.slotCount),
      gen: 0,
    };
    this.failed = new Uint8Array(policy.rules.length);
    this.decisions = new SharedDecisions(this.runtime);
  }

  /** True when this version applies at `atMs` (effectiveFrom <= at < effectiveTo). */
  isInEffect(atMs: number): boolean {
    return (
      atMs >= this.effectiveFromMs && (this.effectiveToMs === null || atMs < this.effectiveToMs)
    );
  }

  evaluate(contact: unknown, evaluatedAt: Date): Decision {
    if (!isContactObject(contact)) return malformedDecision();
    const s = this.state;
    const ctx = s.ctx;
    ctx.contact = contact;
    ctx.evaluatedAt = evaluatedAt;
    if (ctx.memo.size > 0) ctx.memo.clear();
    s.gen += 1;
    const atMs = evaluatedAt.getTime();
    const failed = this.failed;
    const rules = this.runtime;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i] as RuleRuntime;
      failed[i] = 0;
      if (!isEffective(rule, atMs) || suppressedBy(rule, failed) >= 0) continue;
      if ((this.predicates[i] as Predicate)(s)) failed[i] = 1;
    }
    // The memo may hold references into the contact; drop them so it can be collected.
    ctx.contact = EMPTY_CONTACT;
    return this.decisions.get(failed);
  }

  evaluateWithEngine(
    contact: unknown,
    evaluatedAt: Date,
    options: { explain?: boolean } = {},
  ): Promise<Decision> {
    const run = this.engineQueue.then(() =>
      this.runEngine(contact, evaluatedAt, options.explain === true),
    );
    this.engineQueue = run.catch(() => undefined);
    return run;
  }

  private async runEngine(
    contact: unknown,
    evaluatedAt: Date,
    explain: boolean,
  ): Promise<Decision> {
    if (!isContactObject(contact)) {
      const d = malformedDecision();
      if (explain) d.explain = [];
      return d;
    }
    const ctx: FactContext = { contact, evaluatedAt, memo: new Map() };
    const { results, failureResults } = await this.engine.run(
      {},
      { almanac: new ContextAlmanac(ctx) },
    );
    const byName = new Map<string, RuleResult>();
    for (const r of results) byName.set(String(r.name), r);
    for (const r of failureResults) byName.set(String(r.name), r);

    const atMs = evaluatedAt.getTime();
    const failed = new Uint8Array(this.runtime.length);
    const explained: ExplainRule[] = [];
    for (const rule of this.runtime) {
      const result = byName.get(engineRuleName(rule.index));
      if (result === undefined)
        throw new Error(`json-rules-engine returned no result for ${rule.code}`);
      const effective = isEffective(rule, atMs);
      const by = effective ? suppressedBy(rule, failed) : -1;
      const fired = result.result === true;
      if (effective && by < 0 && fired) failed[rule.index] = 1;
      if (!explain) continue;
      const entry: ExplainRule = {
        rule: rule.name,
        code: rule.code,
        severity: rule.severity,
        evaluated: effective && by < 0,
        failed: failed[rule.index] === 1,
        conditions: toExplain(result.conditions, this.wrapped[rule.index] === true),
      };
      if (!effective)
        entry.skippedReason = 'not in effect at evaluatedAt (rule effectiveFrom/effectiveTo)';
      else if (by >= 0) {
        entry.skippedReason = `not reported because ${this.runtime[by]?.code ?? ''} failed (skipIfFailed)`;
      }
      explained.push(entry);
    }
    const decision = buildDecision(this.runtime, failed);
    if (explain) decision.explain = explained;
    return decision;
  }
}

const EMPTY_CONTACT: Readonly<Record<string, unknown>> = Object.freeze({});

interface EngineConditionResult {
  fact?: string;
  path?: string;
  operator?: string;
  value?: unknown;
  factResult?: unknown;
  result?: unknown;
  all?: EngineConditionResult[];
  any?: EngineConditionResult[];
  not?: EngineConditionResult;
}

/** json-rules-engine's evaluated condition tree -> ExplainCondition (unwrapping our single-leaf `all`). */
function toExplain(conditions: unknown, wrapped: boolean): ExplainCondition {
  const c = conditions as EngineConditionResult;
  if (wrapped && c.all?.length === 1 && c.all[0] !== undefined) return convert(c.all[0]);
  return convert(c);
}

function convert(c: EngineConditionResult): ExplainCondition {
  const out: ExplainCondition = {};
  if (c.all !== undefined) out.all = c.all.map(convert);
  else if (c.any !== undefined) out.any = c.any.map(convert);
  else if (c.not !== undefined) out.not = convert(c.not);
  else {
    out.fact = c.fact;
    if (c.path !== undefined) out.path = c.path;
    out.operator = c.operator;
    out.value = c.value;
    out.factResult = c.factResult;
  }
  // Conditions skipped by json-rules-engine's short-circuit carry no result.
  if (typeof c.result === 'boolean') out.result = c.result;
  return out;
}
