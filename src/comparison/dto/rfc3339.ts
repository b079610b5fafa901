import { parseRfc3339 as parseRfc3339Ms } from '../../policy/language/time';
import { IsRfc3339DateTime } from '../../validation/dto/validation.decorators';

/**
 * RFC 3339 date-time with an explicit offset, checked strictly by the policy
 * language's parser (Date.parse accepts date-only, offset-less and impossible
 * dates; an evaluation instant must be unambiguous).
 */
export function parseRfc3339(value: unknown): Date | undefined {
  const ms = parseRfc3339Ms(value);
  return ms === undefined ? undefined : new Date(ms);
}

export const IsRfc3339 = (): PropertyDecorator =>
  IsRfc3339DateTime({
    message: '$property must be an RFC 3339 date-time with an offset, e.g. 2026-07-15T12:00:00Z',
  });
