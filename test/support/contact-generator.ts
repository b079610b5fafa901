/**
 * Deterministic generator of synthetic contacts for every shipped gdpr-consent
 * version (1.0.0 flat seed shape, 2.0.0/3.0.0 rich shape), used by the
 * differential tests, the compare tests and scripts/generate-sample.ts.
 *
 * One seeded generator (mulberry32) produces realistic contacts: its output
 * depends only on (seed, index, anchor), not on the fast-check version, so the
 * committed sample corpus is reproducible. The fast-check arbitraries reuse it
 * (a random seed per contact) and add hostile shapes for totality checks.
 *
 * Fake data only: phone numbers +4915550xxxxxx (fictional),
 * emails at example.com / example.org, no names.
 */

export type Contact = Record<string, unknown>;

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** mulberry32: tiny, fast, good enough for test data, identical on every platform. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const DAY = 86_400_000;
const MINUTE = 60_000;

class Pick {
  constructor(private readonly rng: Rng) {}
  chance(p: number): boolean {
    return this.rng.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.rng.next() * (max - min + 1));
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng.next() * items.length)] as T;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.rng.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }
}

const OFFSETS = [0, 0, 60, 120, -300, 330] as const;

/** RFC 3339 text of an instant, written in a random offset, sometimes with fractional seconds. */
function rfc3339(ms: number, p: Pick): string {
  const off = p.one(OFFSETS);
  const local = new Date(Math.floor(ms / 1000) * 1000 + off * MINUTE).toISOString().slice(0, 19);
  const frac = p.chance(0.1) ? `.${String(p.int(0, 999)).padStart(3, '0')}` : '';
  if (off === 0) return `${local}${frac}${p.chance(0.5) ? 'Z' : '+00:00'}`;
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${local}${frac}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Values that 1.0.0-3.0.0 must reject as timestamps (offset-less, date-only, impossible, padded...). */
export const BAD_TIMESTAMPS = [
  '2025-02-29T10:00:00Z',
  '2026-04-31T09:00:00+02:00',
  '2025-06-01T24:00:00Z',
  '2025-06-01T10:00:00',
  '2025-06-01',
  ' 2025-06-01T10:00:00Z',
  '01/06/2025 10:00',
  'yesterday',
] as const;

function daysAgo(anchorMs: number, p: Pick, min: number, max: number): number {
  return anchorMs - p.int(min, max) * DAY - p.int(0, DAY / 1000 - 1) * 1000;
}

function grantTimestamp(anchorMs: number, p: Pick): unknown {
  return p.weighted<() => unknown>([
    [() => rfc3339(daysAgo(anchorMs, p, 80, 520), p), 72],
    [() => rfc3339(daysAgo(anchorMs, p, 520, 1300), p), 16],
    [() => p.one(BAD_TIMESTAMPS), 5],
    [() => p.one([undefined, null, '']), 4],
    [() => rfc3339(anchorMs + p.int(1, 30) * DAY, p), 2],
    [() => 1718000000, 1],
  ])();
}

function phone(index: number): string {
  return `+4915550${String(index % 1_000_000).padStart(6, '0')}`;
}

function email(index: number, p: Pick): string {
  return `contact.${index}@${p.one(['example.com', 'example.org'])}`;
}

const COUNTRIES = [
  ['DE', 25],
  ['GB', 20],
  ['FR', 20],
  ['NL', 15],
  ['ES', 5],
  ['IT', 5],
  ['BE', 4],
  ['uk', 2],
  ['Germany', 1],
  [undefined, 3],
] as const;

const TIMEZONES: Readonly<Record<string, string>> = {
  DE: 'Europe/Berlin',
  GB: 'Europe/London',
  FR: 'Europe/Paris',
  NL: 'Europe/Amsterdam',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  BE: 'Europe/Brussels',
};

const METHODS = [
  ['web_form', 40],
  ['call_recording', 20],
  ['paper_form', 10],
  ['email_double_opt_in', 10],
  ['in_store', 5],
  ['mobile_app', 5],
  ['purchased_list', 4],
  ['pre_ticked_box', 3],
  [undefined, 3],
] as const;

/** The seed tutorial's flat shape, sometimes with the top-level record fields 2.0.0+ read. */
function flatContact(index: number, anchorMs: number, p: Pick): Contact {
  const scope = p.weighted<unknown>([
    ['cold_call', 58],
    ['marketing_email', 35],
    ['Cold_Call', 2],
    ['sms_blast', 2],
    [undefined, 3],
  ]);
  const c: Contact = { id: `c-${String(index).padStart(6, '0')}` };
  if (scope === 'marketing_email' ? p.chance(0.3) : p.chance(0.95)) c.phone_number = phone(index);
  if (scope === 'marketing_email' ? p.chance(0.95) : p.chance(0.3)) c.email = email(index, p);
  if (scope !== undefined) c.consent_scope = scope;
  const ts = grantTimestamp(anchorMs, p);
  if (ts !== undefined) c.consent_timestamp = ts;
  if (p.chance(0.6)) {
    c.country = p.weighted(COUNTRIES);
    c.birth_date = birthDate(anchorMs, p);
    if (p.chance(0.9)) c.proof_ref = `proof/${index}`;
    c.collection_method = p.weighted(METHODS);
    if (p.chance(0.6)) c.notice_version = p.one(['3', '4', 4, 'v4.1']);
    if (scope === 'marketing_email' && typeof ts === 'string' && p.chance(0.8)) {
      c.double_opt_in_at = ts;
    }
  }
  return c;
}

function birthDate(anchorMs: number, p: Pick): string {
  const years = p.weighted<[number, number]>([
    [[18, 85], 95],
    [[15, 17], 3],
    [[18, 18], 2],
  ]);
  const ms =
    anchorMs - (years[0] * 365.25 + p.int(0, Math.round((years[1] - years[0] + 1) * 365))) * DAY;
  return new Date(ms).toISOString().slice(0, 10);
}

function record(
  purpose: string,
  channel: string,
  basis: string,
  country: string | undefined,
  anchorMs: number,
  index: number,
  p: Pick,
): Contact {
  const r: Contact = { purpose, channel };
  if (basis !== 'consent' || p.chance(0.7)) r.legal_basis = basis;
  const granted = grantTimestamp(anchorMs, p);
  if (granted !== undefined) r.granted_at = granted;
  const grantedMs = typeof granted === 'string' ? Date.parse(granted) : NaN;
  const status = p.weighted([
    ['granted', 88],
    ['withdrawn', 6],
    ['regranted', 2],
    ['denied', 2],
    [undefined, 2],
  ] as const);
  if (status === 'withdrawn' || status === 'regranted') {
    const w = Number.isFinite(grantedMs) ? grantedMs + p.int(1, 60) * DAY : anchorMs - 30 * DAY;
    r.status = status === 'withdrawn' ? 'withdrawn' : 'granted';
    r.withdrawn_at = rfc3339(Math.min(w, anchorMs - DAY), p);
    if (status === 'regranted')
      r.events = [{ type: 'granted', at: rfc3339(anchorMs - p.int(2, 60) * DAY, p) }];
  } else if (status !== undefined) r.status = status;
  if (basis === 'consent') {
    r.collection_method = p.weighted(METHODS);
    if (p.chance(0.92)) r.proof_ref = `proof/${country ?? 'xx'}/${index}`;
    const nv = p.weighted<unknown>([
      ['2', 10],
      ['3', 35],
      ['4', 40],
      ['4.1', 10],
      [undefined, 5],
    ]);
    if (nv !== undefined) r.notice_version = nv;
    if (channel === 'email' && Number.isFinite(grantedMs)) {
      const doi = p.weighted([
        ['after', 85],
        ['before', 5],
        ['none', 10],
      ] as const);
      if (doi === 'after') r.double_opt_in_at = rfc3339(grantedMs + p.int(1, 120) * MINUTE, p);
      if (doi === 'before') r.double_opt_in_at = rfc3339(grantedMs - p.int(1, 5) * DAY, p);
    }
  } else {
    r.opt_out_offered = p.chance(0.85);
    if (p.chance(0.5)) r.collection_method = 'in_store';
  }
  if (p.chance(0.08)) r.source = 'third_party';
  else if (p.chance(0.5)) r.source = 'first_party';
  if (p.chance(0.6)) r.last_interaction_at = rfc3339(daysAgo(anchorMs, p, 10, 1200), p);
  if (p.chance(0.1)) r.expires_at = rfc3339(anchorMs + p.int(-200, 400) * DAY, p);
  return r;
}

function richContact(index: number, anchorMs: number, p: Pick): Contact {
  const country = p.weighted(COUNTRIES);
  const cc = typeof country === 'string' ? country.toUpperCase() : undefined;
  const channel = p.weighted([
    ['voice', 60],
    ['email', 30],
    ['sms', 10],
  ] as const);
  const c: Contact = { id: `c-${String(index).padStart(6, '0')}` };
  if (channel !== 'email' || p.chance(0.3)) c.phone_number = phone(index);
  if (channel === 'email' || p.chance(0.4)) c.email = email(index, p);
  if (p.chance(0.02)) c.email = '   ';
  if (p.chance(0.9)) c.channel = channel;
  if (p.chance(0.5)) c.purpose = 'marketing';
  if (country !== undefined) c.country = country;
  const tz = cc !== undefined ? TIMEZONES[cc] : undefined;
  if (tz !== undefined) c.timezone = tz;
  const age = p.weighted([
    ['birth', 85],
    ['verified', 8],
    ['unknown', 5],
    ['invalid', 2],
  ] as const);
  if (age === 'birth') c.birth_date = birthDate(anchorMs, p);
  if (age === 'verified') c.age_verified = true;
  if (age === 'invalid') c.birth_date = p.one(['2001-02-30', '31/12/1980', '1980-13-01']);

  const liCountry = cc === 'GB' || cc === 'FR' || cc === 'NL' || cc === 'UK';
  const liShare = channel === 'voice' ? (liCountry ? 0.35 : 0.05) : 0.25;
  const basis = p.chance(liShare) ? 'legitimate_interest' : p.chance(0.01) ? 'contract' : 'consent';
  const consents: Contact[] = [record('marketing', channel, basis, cc, anchorMs, index, p)];
  if (p.chance(0.3)) {
    const other = channel === 'voice' ? 'email' : 'voice';
    consents.push(record('marketing', other, 'consent', cc, anchorMs, index, p));
  }
  if (p.chance(0.04))
    consents.push(record('marketing', channel, 'consent', cc, anchorMs, index, p));
  if (p.chance(0.03)) consents.length = 0;
  c.consents = consents;

  if (p.chance(0.45)) {
    c.customer_since = new Date(daysAgo(anchorMs, p, 100, 3000)).toISOString().slice(0, 10);
    if (p.chance(0.3)) c.customer_relationship_end = rfc3339(daysAgo(anchorMs, p, -60, 1500), p);
  }
  if (channel === 'voice' && (cc === 'GB' || cc === 'UK' || cc === 'FR') && p.chance(0.9)) {
    const registry = cc === 'FR' ? 'BLOCTEL' : 'TPS';
    c.registry_checks = [
      { registry, listed: p.chance(0.08), checked_at: rfc3339(daysAgo(anchorMs, p, 0, 40), p) },
    ];
  }
  if (p.chance(0.02)) c.objection_at = rfc3339(daysAgo(anchorMs, p, 1, 400), p);
  if (p.chance(0.01)) c.erasure_requested_at = rfc3339(daysAgo(anchorMs, p, 0, 20), p);
  return c;
}

/** The committed corpus examples/contacts-sample.ndjson (scripts/generate-sample.ts). */
export const SAMPLE_CORPUS = {
  seed: 20260901,
  count: 3000,
  // After the NL (2026-07-01) and FR (2026-08-11) deadlines and the 3.0.0 notice rule (2026-09-01),
  // so comparing the shipped versions at this instant shows every change.
  anchor: '2026-09-01T09:00:00Z',
  out: 'examples/contacts-sample.ndjson',
} as const;

export interface GenerateOptions {
  seed: number;
  count: number;
  /** Timestamps are spread around this instant (the evaluation date the corpus is meant for). */
  anchor: Date;
  /** Share of seed flat-shape contacts (default 0.25). */
  flatShare?: number;
}

/** One realistic contact; deterministic in (seed, index, anchor). */
export function generateContact(
  seed: number,
  index: number,
  anchor: Date,
  flatShare = 0.25,
): Contact {
  const p = new Pick(mulberry32((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0));
  const anchorMs = anchor.getTime();
  return p.chance(flatShare) ? flatContact(index, anchorMs, p) : richContact(index, anchorMs, p);
}

/** `count` realistic contacts with ids c-000001... */
export function generateContacts(options: GenerateOptions): Contact[] {
  const out: Contact[] = [];
  for (let i = 1; i <= options.count; i++) {
    out.push(generateContact(options.seed, i, options.anchor, options.flatShare));
  }
  return out;
}
