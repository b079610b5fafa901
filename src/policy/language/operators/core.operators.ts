import { Engine } from 'json-rules-engine';
import {
  engineOperator,
  engineOperatorNames,
  type EngineOperator,
} from '../../engine/engine-internals';
import type { OperatorDefinition } from '../catalogue.types';
import { isMissingValue, isNonBlankString } from '../facts/fact-helpers';
import { parseIsoDate, parseRfc3339 } from '../time';

/**
 * json-rules-engine's own operators, taken from a fresh Engine's operator map
 * so the engine of record and the compiled fast path call the very same
 * functions (Operator.evaluate = fact-value validator && callback).
 */
function engineDefaultOperators(): Map<string, EngineOperator> {
  const engine = new Engine();
  const map = new Map<string, EngineOperator>();
  for (const name of engineOperatorNames(engine)) {
    const op = engineOperator(engine, name);
    if (op !== null) map.set(name, op);
  }
  return map;
}

const DEFAULTS = engineDefaultOperators();

const BUILTIN_DESCRIPTIONS: Record<string, string> = {
  equal: 'Fact value is strictly equal (===) to `value`.',
  notEqual: 'Fact value is not strictly equal (!==) to `value`.',
  in: 'Fact value is one of the items of the `value` list (strict equality, case-sensitive).',
  notIn: 'Fact value is none of the items of the `value` list (strict equality, case-sensitive).',
  contains: 'Fact value is a list that contains `value`.',
  doesNotContain: 'Fact value is a list that does not contain `value`.',
  lessThan: 'Fact value is a number less than `value`.',
  lessThanInclusive: 'Fact value is a number less than or equal to `value`.',
  greaterThan: 'Fact value is a number greater than `value`.',
  greaterThanInclusive: 'Fact value is a number greater than or equal to `value`.',
};

function builtin(name: string): OperatorDefinition {
  const op = DEFAULTS.get(name);
  if (op === undefined) throw new Error(`json-rules-engine has no default operator ${name}`);
  return {
    name,
    description: BUILTIN_DESCRIPTIONS[name] ?? name,
    // Bound once: the same Operator object the engine registers by default.
    evaluate: (factValue, value) => op.evaluate(factValue, value) === true,
  };
}

const isMissing = isMissingValue;

/** Names of the operators json-rules-engine ships; their `value` shapes are checked at load time. */
export const BUILTIN_OPERATOR_NAMES: readonly string[] = [...DEFAULTS.keys()];

/** Operators whose `value` must be a list. */
export const LIST_VALUE_OPERATORS: readonly string[] = ['in', 'notIn'];
/** Operators whose `value` must be a number. */
export const NUMBER_VALUE_OPERATORS: readonly string[] = [
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
];
/** Operators that ignore `value` (it may be omitted in a policy file). */
export const UNARY_OPERATORS: readonly string[] = [
  'isMissing',
  'isPresent',
  'isBlank',
  'isNotBlank',
  'isInvalidTimestamp',
  'isValidTimestamp',
  'isInvalidDate',
  'isValidDate',
  'isTrue',
  'isNotTrue',
];

export const CORE_OPERATORS: OperatorDefinition[] = [
  ...BUILTIN_OPERATOR_NAMES.map(builtin),
  {
    name: 'isMissing',
    description: 'Fact value is absent, null or the empty string. `value` is ignored.',
    evaluate: (f) => isMissing(f),
  },
  {
    name: 'isPresent',
    description: 'Fact value is neither absent, null nor the empty string. `value` is ignored.',
    evaluate: (f) => !isMissing(f),
  },
  {
    name: 'isBlank',
    description:
      'Fact value is not a string with at least one non-whitespace character (absent, null, numbers and "   " are blank). `value` is ignored.',
    evaluate: (f) => !isNonBlankString(f),
  },
  {
    name: 'isNotBlank',
    description:
      'Fact value is a string with at least one non-whitespace character. `value` is ignored.',
    evaluate: (f) => isNonBlankString(f),
  },
  {
    name: 'isInvalidTimestamp',
    description:
      'Fact value is not a strict RFC 3339 date-time with explicit offset (Z or ±hh:mm). `value` is ignored.',
    evaluate: (f) => parseRfc3339(f) === undefined,
  },
  {
    name: 'isValidTimestamp',
    description:
      'Fact value is a strict RFC 3339 date-time with explicit offset. `value` is ignored.',
    evaluate: (f) => parseRfc3339(f) !== undefined,
  },
  {
    name: 'isInvalidDate',
    description: 'Fact value is not a real calendar date written YYYY-MM-DD. `value` is ignored.',
    evaluate: (f) => parseIsoDate(f) === undefined,
  },
  {
    name: 'isValidDate',
    description: 'Fact value is a real calendar date written YYYY-MM-DD. `value` is ignored.',
    evaluate: (f) => parseIsoDate(f) !== undefined,
  },
  {
    name: 'isTrue',
    description: 'Fact value is the boolean true. `value` is ignored.',
    evaluate: (f) => f === true,
  },
  {
    name: 'isNotTrue',
    description:
      'Fact value is anything but the boolean true (false, absent, null, "true"...). `value` is ignored.',
    evaluate: (f) => f !== true,
  },
];
