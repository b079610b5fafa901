import type { FactContext, FactDefinition } from '../catalogue.types';
import { parseRfc3339Instant, TIME_UNITS, type ParsedInstant } from '../time';
import { isMissingValue, isNonBlankString, ownValue } from './fact-helpers';

/**
 * Facts over the seed tutorial's flat contact shape:
 *   { consent_timestamp, consent_scope, phone_number, email }
 * Every time-dependent fact is relative to FactContext.evaluatedAt, never to
 * a cutoff computed when the process started.
 */

export type TimestampStatus = 'missing' | 'invalid' | 'future' | 'valid';

const SEED_INSTANT = 'seed.consent_timestamp';

/** The parsed seed consent timestamp: null when missing, undefined when unparsable. */
function seedInstant(ctx: FactContext): ParsedInstant | null | undefined {
  // Inline memo (no closure): this runs for several rules of every contact.
  const memo = ctx.memo;
  if (memo.has(SEED_INSTANT)) return memo.get(SEED_INSTANT) as ParsedInstant | null | undefined;
  const raw = ownValue(ctx.contact, 'consent_timestamp');
  const parsed = isMissingValue(raw) ? null : parseRfc3339Instant(raw);
  memo.set(SEED_INSTANT, parsed);
  return parsed;
}

/**
 * Classifies a timestamp at `evaluatedAt`: `future` when it lies strictly
 * later than evaluatedAt + tolerance (sub-millisecond digits count).
 */
export function timestampStatus(
  instant: ParsedInstant | null | undefined,
  evaluatedAtMs: number,
  futureToleranceMinutes: number,
): TimestampStatus {
  if (instant === null) return 'missing';
  if (instant === undefined) return 'invalid';
  const limit = evaluatedAtMs + futureToleranceMinutes * TIME_UNITS.MS_PER_MINUTE;
  const later = instant.subMillisecond ? instant.epochMs >= limit : instant.epochMs > limit;
  return later ? 'future' : 'valid';
}

/**
 * Age in milliseconds at evaluatedAt, truncated to the millisecond. For a
 * whole-millisecond limit L, `age > L` is exact even for timestamps with
 * sub-millisecond digits (floor(x) > L <=> x > L when L is an integer).
 */
function seedAgeMs(ctx: FactContext): number | null {
  const instant = seedInstant(ctx);
  if (instant === null || instant === undefined) return null;
  return ctx.evaluatedAt.getTime() - instant.epochMs;
}

function toleranceParam(params: Readonly<Record<string, unknown>>): number {
  const v = params['futureToleranceMinutes'];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export const SEED_FACTS: FactDefinition[] = [
  {
    name: 'contact',
    description:
      "One field of the contact, named by the condition's `path` (required, e.g. `$.country`). Only own fields are visible.",
    params: [],
    compute: (ctx) => ctx.contact,
  },
  {
    name: 'consent_timestamp_status',
    description:
      "State of the flat `consent_timestamp` at evaluatedAt: 'missing' (absent, null, \"\"), 'invalid' (not a string, not strict RFC 3339 with offset, impossible date), 'future' (later than evaluatedAt + futureToleranceMinutes) or 'valid'.",
    params: ['futureToleranceMinutes'],
    requiredParams: ['futureToleranceMinutes'],
    paramTypes: { futureToleranceMinutes: 'number' },
    compute: (ctx, params) =>
      timestampStatus(seedInstant(ctx), ctx.evaluatedAt.getTime(), toleranceParam(params)),
  },
  {
    name: 'consent_age_days',
    description:
      'Days (fractional, millisecond precision) from the flat `consent_timestamp` to evaluatedAt; null when the timestamp is missing or invalid. Negative for future timestamps.',
    params: [],
    compute: (ctx) => {
      const ms = seedAgeMs(ctx);
      return ms === null ? null : ms / TIME_UNITS.MS_PER_DAY;
    },
  },
  {
    name: 'consent_age_seconds',
    description:
      'Seconds (fractional) from the flat `consent_timestamp` to evaluatedAt; null when the timestamp is missing or invalid.',
    params: [],
    compute: (ctx) => {
      const ms = seedAgeMs(ctx);
      return ms === null ? null : ms / 1000;
    },
  },
  {
    name: 'consent_scope',
    description:
      'The flat `consent_scope` value exactly as sent (no trimming or case folding); undefined when absent.',
    params: [],
    compute: (ctx) => ownValue(ctx.contact, 'consent_scope'),
  },
  {
    name: 'has_phone_number',
    description: '`phone_number` is a string with at least one non-whitespace character.',
    params: [],
    compute: (ctx) => isNonBlankString(ownValue(ctx.contact, 'phone_number')),
  },
  {
    name: 'has_email',
    description: '`email` is a string with at least one non-whitespace character.',
    params: [],
    compute: (ctx) => isNonBlankString(ownValue(ctx.contact, 'email')),
  },
  {
    name: 'has_contact_address',
    description:
      '`phone_number` or `email` is a string with at least one non-whitespace character.',
    params: [],
    compute: (ctx) =>
      isNonBlankString(ownValue(ctx.contact, 'phone_number')) ||
      isNonBlankString(ownValue(ctx.contact, 'email')),
  },
];
