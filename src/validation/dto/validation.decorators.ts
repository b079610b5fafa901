import { applyDecorators } from '@nestjs/common';
import {
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { parseRfc3339 } from '../../policy/language/time';

/** RFC 3339 date-time with an explicit offset (the policy language's strict parser). */
export function IsRfc3339DateTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isRfc3339DateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          '$property must be an RFC 3339 date-time with an offset, e.g. 2026-03-01T09:00:00Z',
        ...options,
      },
      validator: { validate: (value: unknown) => parseRfc3339(value) !== undefined },
    });
  };
}

/** Optional policy id: lower-case letters, digits and dashes, like the folder names. */
export const OptionalPolicyId = (): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    IsString(),
    MaxLength(64),
    Matches(/^[a-z0-9][a-z0-9-]*$/, {
      message: '$property must be a policy id (lower-case letters, digits, dashes)',
    }),
  );

/** Optional policy version: a semantic version such as 1.0.0. */
export const OptionalPolicyVersion = (): PropertyDecorator =>
  applyDecorators(
    IsOptional(),
    IsString(),
    MaxLength(64),
    Matches(/^[0-9A-Za-z][0-9A-Za-z.+-]*$/, {
      message: '$property must be a version such as 1.0.0',
    }),
  );

export const OptionalEvaluatedAt = (): PropertyDecorator =>
  applyDecorators(IsOptional(), IsString(), IsRfc3339DateTime());
