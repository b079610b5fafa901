/**
 * The YAML policy file format (policies/<id>/<version>.yaml), as parsed data.
 * policy.schema.json at the repo root is the JSON Schema of the same shape.
 *
 *   # yaml-language-server: $schema=../policy.schema.json
 *   policy: gdpr-consent
 *   version: 1.0.0
 *   effectiveFrom: 2024-01-01          # date (UTC midnight) or RFC 3339 date-time
 *   effectiveTo: 2025-06-01            # optional, exclusive
 *   description: ...
 *   parameters:
 *     maxConsentAgeDays: 730
 *   rules:
 *     - code: CONSENT_EXPIRED
 *       severity: reject               # reject | warn
 *       order: 30                      # evaluation and reporting order (ascending)
 *       message: Consent is older than {maxConsentAgeDays} days.
 *       skipIfFailed: [CONSENT_MISSING, CONSENT_TIMESTAMP_INVALID]
 *       effectiveFrom: 2026-08-11      # optional rule-level window
 *       when:                          # the VIOLATION: the rule fails when this holds
 *         fact: consent_age_days
 *         operator: greaterThan
 *         value: { param: maxConsentAgeDays }
 */

export type ParamRef = { param: string };

export interface ConditionLeaf {
  fact: string;
  operator: string;
  /** A literal, or { param: name } resolved from `parameters` at compile time. */
  value?: unknown;
  /** Simple JSONPath into the fact value, `$.a.b` form. */
  path?: string;
  /** Arguments for a parameterised fact; values may be { param: name }. */
  params?: Record<string, unknown>;
}

export type Condition =
  ConditionLeaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export interface RuleDocument {
  code: string;
  /** Optional stable rule name (kebab-case); defaults to the code. */
  name?: string;
  description?: string;
  severity: 'reject' | 'warn';
  order: number;
  message: string;
  effectiveFrom?: string;
  effectiveTo?: string;
  /** Do not report this rule when any of these codes already failed for the contact. */
  skipIfFailed?: string[];
  when: Condition;
}

export interface PolicyDocument {
  policy: string;
  version: string;
  effectiveFrom: string;
  effectiveTo?: string | null;
  description: string;
  parameters?: Record<string, unknown>;
  rules: RuleDocument[];
}
