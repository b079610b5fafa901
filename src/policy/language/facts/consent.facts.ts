import type { FactContext, FactDefinition } from '../catalogue.types';
import {
  field,
  isMissing,
  isNonBlankString,
  MS_PER_DAY,
  recordTimestamp,
  type RecordView,
  screeningView,
} from './screening-view';

/**
 * Facts about the consent record selected for the screened purpose x channel
 * (see screening-view.ts for the selection rule). When no record is selected
 * every fact returns its "absent" value; rules on those facts list
 * CONSENT_MISSING / CONSENT_WITHDRAWN in skipIfFailed so they do not pile on.
 */

function record(ctx: FactContext): RecordView | undefined {
  return screeningView(ctx).record;
}

function optField(r: RecordView | undefined, name: string): unknown {
  return r === undefined ? undefined : field(r, name);
}

function lowerString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim().length > 0 ? v.trim().toLowerCase() : undefined;
}

const VERSION = /^v?(\d+(?:\.\d+)*)$/i;

/** "4", 4, "v4.1" -> "4" / "4.1"; anything else undefined. */
export function normaliseVersion(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? String(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const m = VERSION.exec(v.trim());
  return m?.[1];
}

type TimestampsStatus = 'missing' | 'invalid' | 'valid';

function timestampsStatus(ctx: FactContext): TimestampsStatus {
  const r = record(ctx);
  if (r === undefined) return 'missing';
  if (r.hasUnreadableEvent) return 'invalid';
  const g = r.grantedAt.state;
  if (g === 'missing') return 'missing';
  if (g !== 'valid') return 'invalid';
  const atMs = ctx.evaluatedAt.getTime();
  // expires_at may lie in the future; it only has to be readable.
  const expires = recordTimestamp(r, 'expires_at', atMs).state;
  if (expires === 'invalid') return 'invalid';
  const interaction = recordTimestamp(r, 'last_interaction_at', atMs).state;
  if (interaction === 'invalid' || interaction === 'future') return 'invalid';
  return 'valid';
}

function grantedMs(ctx: FactContext): number | undefined {
  const r = record(ctx);
  return r !== undefined && r.grantedAt.state === 'valid' ? r.grantedAt.ms : undefined;
}

export const CONSENT_FACTS: FactDefinition[] = [
  {
    name: 'consent_record_status',
    description:
      'Status of the consent record for the screened purpose x channel: "none" (no record), "granted", "withdrawn" (status withdrawn or the latest event is a withdrawal), "not_granted" (any other status, e.g. denied, pending).',
    params: [],
    compute: (ctx) => record(ctx)?.status ?? 'none',
  },
  {
    name: 'consent_record_timestamps_status',
    description:
      'Readability of the selected record\'s timestamps: "missing" (no record or no granted_at), "invalid" (granted_at, a grant/withdrawal event, expires_at or last_interaction_at is not strict RFC 3339, or granted_at / last_interaction_at lies more than 5 minutes after evaluatedAt), "valid".',
    params: [],
    compute: timestampsStatus,
  },
  {
    name: 'consent_record_age_days',
    description:
      'Days (fractional, 24 h each) from the latest grant of the selected record to evaluatedAt; undefined when not readable.',
    params: [],
    compute: (ctx) => {
      const g = grantedMs(ctx);
      return g === undefined ? undefined : (ctx.evaluatedAt.getTime() - g) / MS_PER_DAY;
    },
  },
  {
    name: 'consent_activity_age_days',
    description:
      'Days from the later of the grant and `last_interaction_at` (last ACTIVE interaction: a click or call, not an open) to evaluatedAt; undefined when the grant is not readable.',
    params: [],
    compute: (ctx) => {
      const g = grantedMs(ctx);
      const r = record(ctx);
      if (g === undefined || r === undefined) return undefined;
      const atMs = ctx.evaluatedAt.getTime();
      const i = recordTimestamp(r, 'last_interaction_at', atMs);
      const from = i.state === 'valid' ? Math.max(g, i.ms) : g;
      return (atMs - from) / MS_PER_DAY;
    },
  },
  {
    name: 'consent_expires_at_status',
    description:
      'Explicit `expires_at` of the selected record: "none" (absent), "active" (evaluatedAt before it), "passed" (evaluatedAt at or after it), "invalid".',
    params: [],
    compute: (ctx) => {
      const r = record(ctx);
      if (r === undefined || isMissing(field(r, 'expires_at'))) return 'none';
      const atMs = ctx.evaluatedAt.getTime();
      const e = recordTimestamp(r, 'expires_at', atMs);
      if (e.state === 'invalid' || e.state === 'missing') return 'invalid';
      return atMs >= e.ms ? 'passed' : 'active';
    },
  },
  {
    name: 'consent_legal_basis',
    description:
      'Lawful basis of the selected record, lower-cased (consent, legitimate_interest, ...); "consent" when the record does not say; undefined when no record.',
    params: [],
    compute: (ctx) => {
      const r = record(ctx);
      if (r === undefined) return undefined;
      return isMissing(field(r, 'legal_basis'))
        ? 'consent'
        : (lowerString(field(r, 'legal_basis')) ?? 'unreadable');
    },
  },
  {
    name: 'consent_collection_method',
    description:
      'How the consent was collected (web_form, call_recording, paper_form, purchased_list...), lower-cased; undefined when absent.',
    params: [],
    compute: (ctx) => lowerString(optField(record(ctx), 'collection_method')),
  },
  {
    name: 'consent_source',
    description: 'first_party or third_party (lower-cased); undefined when absent.',
    params: [],
    compute: (ctx) => lowerString(optField(record(ctx), 'source')),
  },
  {
    name: 'consent_proof_present',
    description:
      'true when the selected record has a non-blank `proof_ref` (a pointer to the proof, never its content).',
    params: [],
    compute: (ctx) => isNonBlankString(optField(record(ctx), 'proof_ref')),
  },
  {
    name: 'consent_doi_status',
    description:
      'Double opt-in of the selected record: "confirmed" (double_opt_in_at readable, at or after the grant, not in the future), "missing", "invalid", "before_consent", "future".',
    params: [],
    compute: (ctx) => {
      const r = record(ctx);
      if (r === undefined) return 'missing';
      const d = recordTimestamp(r, 'double_opt_in_at', ctx.evaluatedAt.getTime());
      if (d.state !== 'valid') return d.state;
      const g = grantedMs(ctx);
      if (g === undefined) return 'invalid';
      return d.ms >= g ? 'confirmed' : 'before_consent';
    },
  },
  {
    name: 'consent_notice_version',
    description:
      'Privacy-notice version the consent was given under, normalised ("v4" / 4 -> "4", "4.1"); undefined when absent or not a version. Compare with versionBelow.',
    params: [],
    compute: (ctx) => normaliseVersion(optField(record(ctx), 'notice_version')),
  },
  {
    name: 'consent_opt_out_offered',
    description:
      'true when the selected record says an opt-out was offered at collection (`opt_out_offered: true`), a soft opt-in condition.',
    params: [],
    compute: (ctx) => optField(record(ctx), 'opt_out_offered') === true,
  },
];
