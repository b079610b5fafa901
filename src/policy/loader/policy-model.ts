import type { Severity } from '../policy.types';

/** A condition after validation: json-rules-engine's shape with every `{param}` substituted. */
export type EngineCondition =
  EngineLeaf | { all: EngineCondition[] } | { any: EngineCondition[] } | { not: EngineCondition };

export interface EngineLeaf {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
}

export interface NormalizedRule {
  code: string;
  name: string;
  severity: Severity;
  order: number;
  /** Message with parameters interpolated. */
  message: string;
  effectiveFromMs: number | null;
  effectiveToMs: number | null;
  /** Codes of earlier rules whose failure suppresses this one. */
  skipIfFailed: string[];
  when: EngineCondition;
}

/** A policy version that passed schema and semantic checks, rules sorted by order. */
export interface NormalizedPolicy {
  id: string;
  version: string;
  effectiveFrom: string;
  effectiveFromMs: number;
  effectiveTo: string | null;
  effectiveToMs: number | null;
  description: string;
  parameters: Record<string, unknown>;
  rules: NormalizedRule[];
}

export function isLeaf(c: EngineCondition): c is EngineLeaf {
  return Object.hasOwn(c, 'fact');
}
