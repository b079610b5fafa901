import type { FactContext, FactDefinition } from '../catalogue.types';
import { ageInYears, parseDateOrDateTime } from '../time';
import {
  FUTURE_SKEW_MS,
  isMissing,
  isNonBlankString,
  isObject,
  field,
  MS_PER_DAY,
  ownValue,
  readTimestamp,
  screeningView,
} from './screening-view';
import { memoized } from './fact-helpers';

/**
 * Facts about the data subject and the screening target (2.0.0+). Values are
 * small enums, numbers or booleans so rules read with the core operators;
 * missing or unreadable data always yields a distinct value ("unknown",
 * "invalid", undefined age) that a rule can name, never a silent pass.
 */

const ISO_COUNTRY = /^[A-Z]{2}$/;
/** ISO 3166-1 alpha-2 for the United Kingdom is GB; UK is what CRMs often store. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = { UK: 'GB' };

/** True for two upper-case ASCII letters (the common, already normalised case). */
function isUpperPair(v: string): boolean {
  if (v.length !== 2) return false;
  const a = v.charCodeAt(0);
  const b = v.charCodeAt(1);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90;
}

export function normaliseCountry(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Fast path without trim/upper-case copies; "UK" still goes through the alias table.
  if (isUpperPair(value) && value !== 'UK') return value;
  const upper = value.trim().toUpperCase();
  const code = COUNTRY_ALIASES[upper] ?? upper;
  return ISO_COUNTRY.test(code) ? code : undefined;
}

function registryName(params: Readonly<Record<string, unknown>>): string {
  return typeof params.registry === 'string' ? params.registry.trim().toUpperCase() : '';
}

interface RegistryView {
  status: 'listed' | 'not_listed' | 'unchecked' | 'invalid';
  ageDays: number | undefined;
}

/** Latest readable check of one registry (by checked_at); memoised per registry. */
function registryView(ctx: FactContext, registry: string): RegistryView {
  const key = `policy-content:registry:${registry}`;
  const cached = ctx.memo.get(key) as RegistryView | undefined;
  if (cached !== undefined) return cached;
  const atMs = ctx.evaluatedAt.getTime();
  const raw = ownValue(ctx.contact, 'registry_checks');
  const checks: unknown[] = Array.isArray(raw) ? raw : [];
  let seen = false;
  let latest: { ms: number; listed: unknown } | undefined;
  for (const c of checks) {
    if (!isObject(c)) continue;
    const name = ownValue(c, 'registry');
    if (typeof name !== 'string' || name.trim().toUpperCase() !== registry) continue;
    seen = true;
    const at = readTimestamp(ownValue(c, 'checked_at'), atMs);
    if (at.state !== 'valid') continue;
    if (latest === undefined || at.ms >= latest.ms)
      latest = { ms: at.ms, listed: ownValue(c, 'listed') };
  }
  let view: RegistryView;
  if (latest === undefined) view = { status: seen ? 'invalid' : 'unchecked', ageDays: undefined };
  else if (typeof latest.listed !== 'boolean') view = { status: 'invalid', ageDays: undefined };
  else {
    view = {
      status: latest.listed ? 'listed' : 'not_listed',
      ageDays: (atMs - latest.ms) / MS_PER_DAY,
    };
  }
  ctx.memo.set(key, view);
  return view;
}

function jurisdictionOf(ctx: FactContext): unknown {
  const r = screeningView(ctx).record;
  return r === undefined ? undefined : field(r, 'jurisdiction');
}

/** Whole years at evaluatedAt; parsed once per contact (two facts read it). */
function subjectAge(ctx: FactContext): number | undefined {
  return memoized(ctx.memo, 'policy-content:age', () =>
    ageInYears(ownValue(ctx.contact, 'birth_date'), ctx.evaluatedAt.getTime()),
  );
}

/** A field that records a request by holding any value (even an unreadable date); false means none. */
function isRecorded(v: unknown): boolean {
  return !isMissing(v) && v !== false;
}

export const CONTACT_FACTS: FactDefinition[] = [
  {
    name: 'evaluated_at',
    description:
      'The evaluation instant as RFC 3339 UTC text; compare with dateOnOrAfter / dateBefore to switch a condition on a legal deadline inside one rule.',
    params: [],
    compute: (ctx) => ctx.evaluatedAt.toISOString(),
  },
  {
    name: 'screened_purpose',
    description:
      "Purpose being screened: the contact's `purpose`, else from `consent_scope` (cold_call/marketing_email -> marketing), else `marketing` once a channel is known; undefined when unresolved.",
    params: [],
    compute: (ctx) => screeningView(ctx).purpose,
  },
  {
    name: 'screened_channel',
    description:
      "Channel being screened (voice, sms, email): the contact's `channel`, else from `consent_scope` (cold_call -> voice, marketing_email -> email), else (rich shape) voice when only a phone, email when only an email; undefined when unresolved.",
    params: [],
    compute: (ctx) => screeningView(ctx).channel,
  },
  {
    name: 'channel_address_present',
    description:
      'true when the address for the screened channel is a non-blank string (voice/sms: phone_number, email: email; unresolved channel: either).',
    params: [],
    compute: (ctx) => {
      const { channel } = screeningView(ctx);
      const phone = isNonBlankString(ownValue(ctx.contact, 'phone_number'));
      const email = isNonBlankString(ownValue(ctx.contact, 'email'));
      if (channel === 'voice' || channel === 'sms') return phone;
      if (channel === 'email') return email;
      return phone || email;
    },
  },
  {
    name: 'subject_country',
    description:
      "ISO 3166-1 alpha-2 country of the subject, upper-cased (UK -> GB): `country`, else the selected consent record's `jurisdiction`; undefined when neither is a 2-letter code.",
    params: [],
    compute: (ctx) =>
      normaliseCountry(ownValue(ctx.contact, 'country')) ?? normaliseCountry(jurisdictionOf(ctx)),
  },
  {
    name: 'subject_age_years',
    description:
      'Whole years between `birth_date` (YYYY-MM-DD) and evaluatedAt (UTC); undefined when the birth date is missing, impossible or in the future.',
    params: [],
    compute: subjectAge,
  },
  {
    name: 'subject_age_status',
    description:
      '"known" (usable birth_date), "invalid" (birth_date present but not a real past date), "verified" (no birth_date, `age_verified: true`), "unknown" (neither).',
    params: [],
    compute: (ctx) => {
      const birthDate = ownValue(ctx.contact, 'birth_date');
      const verified = ownValue(ctx.contact, 'age_verified');
      if (!isMissing(birthDate)) {
        return subjectAge(ctx) === undefined ? 'invalid' : 'known';
      }
      return verified === true ? 'verified' : 'unknown';
    },
  },
  {
    name: 'objection_recorded',
    description:
      'true when `objection_at` holds any value (Art. 21 objection is absolute: even an unreadable date counts).',
    params: [],
    compute: (ctx) => isRecorded(ownValue(ctx.contact, 'objection_at')),
  },
  {
    name: 'erasure_pending',
    description:
      'true when `erasure_requested_at` holds any value (an erasure request is pending).',
    params: [],
    compute: (ctx) => isRecorded(ownValue(ctx.contact, 'erasure_requested_at')),
  },
  {
    name: 'existing_customer_status',
    description:
      'From `customer_since` / `customer_relationship_end` (YYYY-MM-DD or RFC 3339): "active", "recent" (ended at most `withinDays` days before evaluatedAt), "lapsed", "none", or "invalid" (unreadable dates).',
    params: ['withinDays'],
    requiredParams: ['withinDays'],
    paramTypes: { withinDays: 'number' },
    compute: (ctx, params) => {
      const atMs = ctx.evaluatedAt.getTime();
      const since = ownValue(ctx.contact, 'customer_since');
      const end = ownValue(ctx.contact, 'customer_relationship_end');
      const sinceMs = parseDateOrDateTime(since);
      const endMs = parseDateOrDateTime(end);
      if (
        (!isMissing(since) && sinceMs === undefined) ||
        (!isMissing(end) && endMs === undefined)
      ) {
        return 'invalid';
      }
      if (sinceMs === undefined && endMs === undefined) return 'none';
      if (sinceMs !== undefined && sinceMs > atMs + FUTURE_SKEW_MS) return 'none';
      if (endMs === undefined || endMs > atMs) return 'active';
      const withinDays = typeof params.withinDays === 'number' ? params.withinDays : 0;
      return atMs - endMs <= withinDays * MS_PER_DAY ? 'recent' : 'lapsed';
    },
  },
  {
    name: 'registry_status',
    description:
      'Latest screening of the subject against `registry` (e.g. TPS, BLOCTEL) in `registry_checks`: "listed", "not_listed", "unchecked" (no check), "invalid" (unreadable check).',
    params: ['registry'],
    requiredParams: ['registry'],
    paramTypes: { registry: 'string' },
    compute: (ctx, params) => registryView(ctx, registryName(params)).status,
  },
  {
    name: 'registry_check_age_days',
    description:
      'Days (fractional) since the latest readable check against `registry`; undefined when there is none.',
    params: ['registry'],
    requiredParams: ['registry'],
    paramTypes: { registry: 'string' },
    compute: (ctx, params) => registryView(ctx, registryName(params)).ageDays,
  },
];
