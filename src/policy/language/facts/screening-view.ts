import type { FactContext } from '../catalogue.types';
import { parseRfc3339Instant, TIME_UNITS } from '../time';
import { isMissingValue as isMissing, isNonBlankString, ownValue } from './fact-helpers';

/**
 * The per-contact view the 2.0.0+ consent facts read: which purpose/channel is
 * screened, and which consent record answers for it. Built once per contact
 * (facts run ~1M times/s) and kept in ctx.memo.
 *
 * Rules (documented in docs/contacts.md):
 * - Target: `purpose`/`channel` fields of the contact; else derived from the
 *   seed `consent_scope` (cold_call -> marketing/voice, marketing_email ->
 *   marketing/email); for the rich shape only, else from the address (only a
 *   phone -> voice, only an email -> email). Purpose defaults to `marketing`
 *   once a channel is known.
 * - Records: `consents[]` when the contact has that field (rich shape); else
 *   the seed flat fields form ONE record (granted_at = consent_timestamp,
 *   purpose/channel from consent_scope, other record fields read from the top
 *   level).
 * - Selection: among records whose purpose and channel equal the target's,
 *   the latest event wins (grant or withdrawal, across records); a matching
 *   record whose timestamps cannot be read is selected first so the problem
 *   surfaces instead of being outvoted by a valid one.
 */

/** Clock skew tolerated for "not in the future" checks, as in 1.0.0. */
export const FUTURE_SKEW_MS = 5 * TIME_UNITS.MS_PER_MINUTE;
export const MS_PER_DAY = TIME_UNITS.MS_PER_DAY;

// A Map, not an object literal: a scope such as "constructor" must not hit Object.prototype.
const SCOPE_TARGETS: ReadonlyMap<unknown, { purpose: string; channel: string }> = new Map([
  ['cold_call', { purpose: 'marketing', channel: 'voice' }],
  ['marketing_email', { purpose: 'marketing', channel: 'email' }],
]);

export type Raw = Readonly<Record<string, unknown>>;

export type TimestampState =
  | { state: 'missing' }
  | { state: 'invalid' }
  | { state: 'future'; ms: number }
  | { state: 'valid'; ms: number };

export type RecordStatus = 'none' | 'granted' | 'withdrawn' | 'not_granted';

export interface RecordView {
  raw: Raw;
  /** Latest grant instant (granted_at or a `granted` event). */
  grantedAt: TimestampState;
  status: Exclude<RecordStatus, 'none'>;
  /** True when any grant/withdrawal timestamp of the record is unreadable. */
  hasUnreadableEvent: boolean;
  /** Instant of the latest readable event; +Infinity for unreadable records (selected first). */
  rank: number;
  /** The latest event is a withdrawal (ties: withdrawal wins). */
  latestIsWithdrawal: boolean;
  /** Parsed timestamps of other record fields, filled on first use (several facts read each). */
  times: Map<string, TimestampState> | undefined;
}

/** A record field, own properties only (contacts are parsed JSON and may carry `__proto__` keys). */
export function field(r: RecordView, name: string): unknown {
  return ownValue(r.raw, name);
}

/** A record timestamp field parsed once per record and evaluation. */
export function recordTimestamp(r: RecordView, name: string, atMs: number): TimestampState {
  // Created on first use: most records never reach a fact that reads a second timestamp.
  r.times ??= new Map();
  let t = r.times.get(name);
  if (t === undefined) {
    t = readTimestamp(ownValue(r.raw, name), atMs);
    r.times.set(name, t);
  }
  return t;
}

export interface ScreeningView {
  purpose: string | undefined;
  channel: string | undefined;
  record: RecordView | undefined;
}

export { isMissingValue as isMissing, isNonBlankString, ownValue } from './fact-helpers';

export function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Shared and frozen: the states without an instant need no allocation per contact.
const MISSING: TimestampState = Object.freeze({ state: 'missing' });
const INVALID: TimestampState = Object.freeze({ state: 'invalid' });

/** Missing / invalid / future / valid, relative to the evaluation instant (strict RFC 3339). */
export function readTimestamp(value: unknown, atMs: number): TimestampState {
  if (isMissing(value)) return MISSING;
  const parsed = parseRfc3339Instant(value);
  if (parsed === undefined) return INVALID;
  const limit = atMs + FUTURE_SKEW_MS;
  // A value with sub-millisecond digits lies strictly after its floored epochMs.
  if (parsed.epochMs > limit || (parsed.epochMs === limit && parsed.subMillisecond)) {
    return { state: 'future', ms: parsed.epochMs };
  }
  return { state: 'valid', ms: parsed.epochMs };
}

const MEMO_KEY = 'policy-content:screening-view';

export function screeningView(ctx: FactContext): ScreeningView {
  const cached = ctx.memo.get(MEMO_KEY) as ScreeningView | undefined;
  if (cached !== undefined) return cached;
  const view = buildView(ctx.contact, ctx.evaluatedAt.getTime());
  ctx.memo.set(MEMO_KEY, view);
  return view;
}

function buildView(contact: Raw, atMs: number): ScreeningView {
  const rich = Object.hasOwn(contact, 'consents');
  const { purpose, channel } = resolveTarget(contact, rich);
  if (purpose === undefined || channel === undefined) {
    return { purpose, channel, record: undefined };
  }
  const candidates: Raw[] = rich
    ? richRecords(ownValue(contact, 'consents'))
    : [flatRecord(contact)];
  let best: RecordView | undefined;
  for (const raw of candidates) {
    if (ownValue(raw, 'purpose') !== purpose || ownValue(raw, 'channel') !== channel) continue;
    const view = recordView(raw, atMs);
    if (best === undefined || outranks(view, best)) best = view;
  }
  return { purpose, channel, record: best };
}

function outranks(a: RecordView, b: RecordView): boolean {
  if (a.rank !== b.rank) return a.rank > b.rank;
  // Same instant: a withdrawal beats a grant (fail closed).
  return a.latestIsWithdrawal && !b.latestIsWithdrawal;
}

function resolveTarget(
  contact: Raw,
  rich: boolean,
): { purpose: string | undefined; channel: string | undefined } {
  const c = ownValue(contact, 'channel');
  const p = ownValue(contact, 'purpose');
  const explicitChannel = isNonBlankString(c) ? c : undefined;
  const explicitPurpose = isNonBlankString(p) ? p : undefined;
  const fromScope = SCOPE_TARGETS.get(ownValue(contact, 'consent_scope'));
  let channel = explicitChannel ?? fromScope?.channel;
  if (channel === undefined && rich && isMissing(ownValue(contact, 'consent_scope'))) {
    const phone = isNonBlankString(ownValue(contact, 'phone_number'));
    const email = isNonBlankString(ownValue(contact, 'email'));
    // Both or neither: ambiguous, the caller must say which channel is screened.
    if (phone && !email) channel = 'voice';
    else if (email && !phone) channel = 'email';
  }
  const purpose =
    explicitPurpose ?? fromScope?.purpose ?? (channel !== undefined ? 'marketing' : undefined);
  return { purpose, channel };
}

function richRecords(consents: unknown): Raw[] {
  if (!Array.isArray(consents)) return [];
  return consents.filter(isObject);
}

/**
 * The seed shape's one record. Built as a literal with every field present (absent
 * ones undefined) so all flat records share one hidden class; facts read fields
 * with ownValue, for which an undefined member and a missing one are the same.
 * Measured: the null-prototype object filled key by key was a dictionary-mode
 * object and one of the larger costs of evaluating 2.0.0/3.0.0 on flat contacts.
 */
function flatRecord(contact: Raw): Raw {
  const scope = SCOPE_TARGETS.get(ownValue(contact, 'consent_scope'));
  return {
    purpose: scope?.purpose,
    channel: scope?.channel,
    granted_at: ownValue(contact, 'consent_timestamp'),
    legal_basis: ownValue(contact, 'legal_basis'),
    status: ownValue(contact, 'status'),
    expires_at: ownValue(contact, 'expires_at'),
    withdrawn_at: ownValue(contact, 'withdrawn_at'),
    last_interaction_at: ownValue(contact, 'last_interaction_at'),
    collection_method: ownValue(contact, 'collection_method'),
    source: ownValue(contact, 'source'),
    notice_version: ownValue(contact, 'notice_version'),
    proof_ref: ownValue(contact, 'proof_ref'),
    double_opt_in_at: ownValue(contact, 'double_opt_in_at'),
    opt_out_offered: ownValue(contact, 'opt_out_offered'),
    controller: ownValue(contact, 'controller'),
    jurisdiction: ownValue(contact, 'jurisdiction'),
    events: ownValue(contact, 'events'),
  };
}

function recordView(raw: Raw, atMs: number): RecordView {
  let grantedAt = readTimestamp(ownValue(raw, 'granted_at'), atMs);
  // A grant dated in the future is as unusable as an unreadable one.
  let unreadable = grantedAt.state === 'invalid' || grantedAt.state === 'future';
  let latestGrant = grantedAt.state === 'valid' ? grantedAt.ms : -Infinity;
  let latestWithdrawal = -Infinity;

  const withdrawnAt = readTimestamp(ownValue(raw, 'withdrawn_at'), atMs);
  if (withdrawnAt.state === 'invalid') {
    // An unreadable withdrawal still withdraws: never let bad data re-enable calling.
    unreadable = true;
    latestWithdrawal = Infinity;
  } else if (withdrawnAt.state === 'valid') {
    latestWithdrawal = withdrawnAt.ms;
  }

  const events = ownValue(raw, 'events');
  if (Array.isArray(events)) {
    for (const e of events as unknown[]) {
      if (!isObject(e)) continue;
      const at = readTimestamp(ownValue(e, 'at'), atMs);
      const type = ownValue(e, 'type');
      if (type === 'withdrawn') {
        if (at.state === 'valid') latestWithdrawal = Math.max(latestWithdrawal, at.ms);
        else if (at.state !== 'future') {
          unreadable = true;
          latestWithdrawal = Infinity;
        }
      } else if (type === 'granted') {
        if (at.state === 'valid') {
          if (at.ms > latestGrant) {
            latestGrant = at.ms;
            grantedAt = at;
          }
        } else {
          unreadable = true;
        }
      }
    }
  }

  const latestIsWithdrawal = latestWithdrawal >= latestGrant && latestWithdrawal > -Infinity;
  const statusField = ownValue(raw, 'status');
  let status: RecordView['status'];
  if (statusField === 'withdrawn' || latestIsWithdrawal) status = 'withdrawn';
  // Seed flat records carry no status: a timestamp alone means granted.
  else if (statusField === 'granted' || isMissing(statusField)) status = 'granted';
  else status = 'not_granted';

  const rank = unreadable ? Infinity : Math.max(latestGrant, latestWithdrawal);
  return {
    raw,
    grantedAt,
    status,
    hasUnreadableEvent: unreadable,
    rank,
    latestIsWithdrawal,
    times: undefined,
  };
}
