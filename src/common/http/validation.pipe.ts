import {
  Injectable,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { DomainError, type FieldError } from '../domain-error';
import { ErrorCode } from '../error-codes';

const RAW_FIELDS = Symbol('rawJsonFields');

/**
 * Marks a DTO property whose value is passed through untouched (free-form JSON such as
 * contact records). class-transformer would otherwise deep-copy every record of a
 * 10,000-contact request on each call, costing time and re-shaping data the policy
 * must see exactly as sent. The property's own validators still run on a shallow
 * stand-in (an empty array for an array, the value itself otherwise).
 */
export function RawJson(): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    const ctor = target.constructor as { [RAW_FIELDS]?: (string | symbol)[] };
    const own = Object.prototype.hasOwnProperty.call(ctor, RAW_FIELDS) ? ctor[RAW_FIELDS] : [];
    ctor[RAW_FIELDS] = [...(own ?? []), key];
  };
}

function rawFieldsOf(metatype: unknown): (string | symbol)[] {
  if (typeof metatype !== 'function') return [];
  return (metatype as { [RAW_FIELDS]?: (string | symbol)[] })[RAW_FIELDS] ?? [];
}

/** class-validator errors -> flat `{path, message}` list (nested paths joined with dots). */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ path, message });
    if (e.children && e.children.length > 0) out.push(...toFieldErrors(e.children, path));
  }
  return out;
}

/**
 * The global pipe (APP_PIPE): whitelist + forbidNonWhitelisted + transform, and every
 * failure becomes DomainError(INVALID_REQUEST) with `errors: [{path, message}]`.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      stopAtFirstError: false,
      validationError: { target: false, value: false },
      exceptionFactory: (errors: ValidationError[]) =>
        new DomainError(ErrorCode.INVALID_REQUEST, 'The request is invalid; see errors.', {
          errors: toFieldErrors(errors),
        }),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const raw = rawFieldsOf(metadata.metatype);
    if (raw.length === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) {
      return super.transform(value, metadata);
    }
    // Shallow copy (spread defines own properties, so a "__proto__" key stays inert).
    const shallow: Record<string | symbol, unknown> = { ...(value as Record<string, unknown>) };
    const kept = new Map<string | symbol, unknown>();
    for (const key of raw) {
      if (!Object.prototype.hasOwnProperty.call(shallow, key)) continue;
      const v = shallow[key];
      kept.set(key, v);
      if (Array.isArray(v)) shallow[key] = [];
    }
    const out = (await super.transform(shallow, metadata)) as Record<string | symbol, unknown>;
    for (const [key, v] of kept) out[key] = v;
    return out;
  }
}
