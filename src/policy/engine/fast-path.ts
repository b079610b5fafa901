import type { Engine } from 'json-rules-engine';
import { FACTS } from '../language/catalogue';
import type { FactDefinition } from '../language/catalogue.types';
import type { EngineCondition, EngineLeaf } from '../loader/policy-model';
import { isLeaf } from '../loader/policy-model';
import { EMPTY_PARAMS } from './engine-builder';
import { engineOperator } from './engine-internals';
import { parseSimplePath, walkPath } from './simple-path';
import type { SlotMemo } from './slot-memo';

/**
 * The compiled fast path: each rule's condition tree becomes nested closures
 * over the engine's own Operator objects and the catalogue's fact functions
 * (no eval, no new Function). Fact values are memoised per contact in slots
 * keyed by (fact, params), like json-rules-engine's almanac cache, but
 * without hashing, promises or cloning.
 */

/** Mutable per-policy evaluation state, reused across (synchronous) evaluations. */
export interface FastState {
  readonly ctx: {
    contact: Readonly<Record<string, unknown>>;
    evaluatedAt: Date;
    memo: SlotMemo;
  };
  readonly values: unknown[];
  readonly stamps: Float64Array;
  gen: number;
}

export type Predicate = (s: FastState) => boolean;

export class FastPathCompiler {
  private readonly slotKeys = new Map<string, number>();

  constructor(private readonly engine: Engine) {}

  get slotCount(): number {
    return this.slotKeys.size;
  }

  compile(c: EngineCondition): Predicate {
    if (isLeaf(c)) return this.leaf(c);
    if ('all' in c) {
      const parts = c.all.map((x) => this.compile(x));
      if (parts.length === 1) return parts[0] as Predicate;
      return (s) => {
        for (let i = 0; i < parts.length; i++) if (!(parts[i] as Predicate)(s)) return false;
        return true;
      };
    }
    if ('any' in c) {
      const parts = c.any.map((x) => this.compile(x));
      if (parts.length === 1) return parts[0] as Predicate;
      return (s) => {
        for (let i = 0; i < parts.length; i++) if ((parts[i] as Predicate)(s)) return true;
        return false;
      };
    }
    const inner = this.compile(c.not);
    return (s) => !inner(s);
  }

  private leaf(c: EngineLeaf): Predicate {
    const def = FACTS.get(c.fact) as FactDefinition;
    const op = engineOperator(this.engine, c.operator);
    if (op === null) throw new Error(`operator ${c.operator} is not registered on the engine`);
    const params = c.params ?? EMPTY_PARAMS;
    const key = `${c.fact}\u0000${JSON.stringify(params)}`;
    let slot = this.slotKeys.get(key);
    if (slot === undefined) {
      slot = this.slotKeys.size;
      this.slotKeys.set(key, slot);
    }
    const s0 = slot;
    const compute = def.compute;
    const value = c.value;
    const steps = c.path === undefined ? null : parseSimplePath(c.path);
    // The slot memo is inlined in each closure: one call less per condition on the hot path.
    if (steps === null) {
      return (s) => {
        let fv: unknown;
        if (s.stamps[s0] === s.gen) fv = s.values[s0];
        else {
          fv = compute(s.ctx, params);
          s.values[s0] = fv;
          s.stamps[s0] = s.gen;
        }
        return op.evaluate(fv, value) === true;
      };
    }
    // As in json-rules-engine's almanac: a path applies only to object fact values.
    return (s) => {
      let fv: unknown;
      if (s.stamps[s0] === s.gen) fv = s.values[s0];
      else {
        fv = compute(s.ctx, params);
        s.values[s0] = fv;
        s.stamps[s0] = s.gen;
      }
      const v = fv !== null && typeof fv === 'object' ? walkPath(fv, steps) : fv;
      return op.evaluate(v, value) === true;
    };
  }
}
