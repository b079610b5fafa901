import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EnvSchema } from './env.schema';

export class ConfigValidationError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

/**
 * Every EnvSchema field, optional ones included: class fields are own properties under the
 * ES2022 target (define semantics), so a bare `API_KEY_HASHES?: string` is listed too.
 */
const KNOWN = new Set(Object.keys(new EnvSchema()));

/** Validates raw environment values; unknown variables are ignored, empty strings mean unset. */
export function validateEnv(raw: Record<string, string | undefined>): EnvSchema {
  const input: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined && v !== '' && KNOWN.has(k)) input[k] = v;
  }
  const env = plainToInstance(EnvSchema, input, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    throw new ConfigValidationError(errors.map(describe));
  }
  return env;
}

function describe(e: ValidationError): { variable: string; message: string } {
  const messages = Object.values(e.constraints ?? {});
  const shown =
    typeof e.value === 'string' && /SECRET|KEY/.test(e.property)
      ? '<redacted>'
      : JSON.stringify(e.value);
  return { variable: e.property, message: `${messages.join('; ')} (got ${shown})` };
}
