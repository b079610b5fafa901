/**
 * Facts and operators the policy language offers. Policy files can only name
 * these; they cannot run code. Each definition is used twice, by the
 * json-rules-engine (engine of record) and by the compiled fast path, so the
 * two cannot drift.
 */

/** What a fact is computed from: one contact at one evaluation instant. */
export interface FactContext {
  /** The contact as received (a plain object; never mutated). */
  readonly contact: Readonly<Record<string, unknown>>;
  readonly evaluatedAt: Date;
  /** Memo for derived values shared between facts of the same contact (e.g. the selected consent record). */
  readonly memo: FactMemo;
}

/**
 * The part of Map<string, unknown> facts use for their per-contact memo. The
 * engine path passes a Map; the fast path a SlotMemo, which is cleared without
 * allocating (Map.clear allocates a new table, once per contact).
 */
export interface FactMemo {
  readonly size: number;
  has(key: string): boolean;
  get(key: string): unknown;
  set(key: string, value: unknown): unknown;
  clear(): void;
}

export type FactParamType = 'number' | 'string' | 'boolean' | 'string[]' | 'number[]';

export interface FactDefinition {
  name: string;
  /** One line for docs/policy-language.md and error messages. */
  description: string;
  /** Names of the `params` this fact accepts (empty when none). */
  params: readonly string[];
  /** Params that must be given. */
  requiredParams?: readonly string[];
  /**
   * Expected type of each param, checked when a policy loads (after `{param}`
   * substitution). Params not listed here are not type-checked.
   */
  paramTypes?: Readonly<Record<string, FactParamType>>;
  /** Pure and total; declared as a property so engine and fast path can hold it unbound. */
  compute: (ctx: FactContext, params: Readonly<Record<string, unknown>>) => unknown;
}

export interface OperatorDefinition {
  name: string;
  description: string;
  /** true when the rule condition holds. Must be pure and total (never throw). */
  evaluate: (factValue: unknown, value: unknown) => boolean;
}
