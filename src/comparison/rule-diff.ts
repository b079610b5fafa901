import { isDeepStrictEqual } from 'node:util';
import type { RuleChangeStatus } from './comparison.types';

/** Rule fields that decide whether and when a rule fires; wording (message, description) does not. */
const LOGIC_FIELDS: readonly string[] = [
  'when',
  'severity',
  'order',
  'effectiveFrom',
  'effectiveTo',
  'skipIfFailed',
];

export interface RuleDefinitionChange {
  /** The rule's name (its `name`, or its code when unnamed): several rules may share a code. */
  rule: string;
  code: string;
  status: RuleChangeStatus;
  /** Logic fields that differ (empty for added/removed). */
  fields: string[];
}

interface NormalisedRule {
  rule: string;
  code: string;
  fields: Record<string, unknown>;
}

/**
 * Compares the rules of two parsed policy documents by rule name (the code
 * when a rule has no name). Parameter
 * references are resolved first, so raising `maxConsentAgeDays` shows as a
 * change of every rule that uses it, while renaming a parameter does not.
 */
export function diffRuleDefinitions(
  baselineDocument: unknown,
  candidateDocument: unknown,
): RuleDefinitionChange[] {
  const before = normaliseRules(baselineDocument);
  const after = normaliseRules(candidateDocument);
  const changes: RuleDefinitionChange[] = [];
  for (const [name, rule] of after) {
    const old = before.get(name);
    if (!old) {
      changes.push({ rule: name, code: rule.code, status: 'added', fields: [] });
      continue;
    }
    const fields = LOGIC_FIELDS.filter((f) => !isDeepStrictEqual(old.fields[f], rule.fields[f]));
    if (old.code !== rule.code) fields.unshift('code');
    if (fields.length > 0) {
      changes.push({ rule: name, code: rule.code, status: 'modified', fields: [...fields] });
    }
  }
  for (const [name, rule] of before) {
    if (!after.has(name))
      changes.push({ rule: name, code: rule.code, status: 'removed', fields: [] });
  }
  return changes;
}

function normaliseRules(document: unknown): Map<string, NormalisedRule> {
  const rules = new Map<string, NormalisedRule>();
  if (!isRecord(document) || !Array.isArray(document.rules)) return rules;
  const parameters = isRecord(document.parameters) ? document.parameters : {};
  for (const raw of document.rules as unknown[]) {
    if (!isRecord(raw) || typeof raw.code !== 'string') continue;
    const fields: Record<string, unknown> = {};
    for (const f of LOGIC_FIELDS) fields[f] = resolveParams(raw[f], parameters);
    const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : raw.code;
    rules.set(name, { rule: name, code: raw.code, fields });
  }
  return rules;
}

/** Replaces `{ param: name }` with the parameter's value, recursively. */
function resolveParams(value: unknown, parameters: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveParams(v, parameters));
  if (!isRecord(value)) return value instanceof Date ? value.toISOString() : value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'param' && typeof value.param === 'string') {
    return Object.prototype.hasOwnProperty.call(parameters, value.param)
      ? resolveParams(parameters[value.param], parameters)
      : value;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = resolveParams(value[k], parameters);
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
