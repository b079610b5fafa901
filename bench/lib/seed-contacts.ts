import { mulberry32 } from '../../test/support/contact-generator';

const SCOPES = ['cold_call', 'marketing_email', 'Cold_Call', 'sms', ''];

/**
 * Seed-shaped contacts (the tutorial's flat fields) with a realistic mix of
 * valid, expired, missing, invalid and future consents, relative to `at`.
 */
export function seedContacts(n: number, at: Date, seed = 42): Record<string, unknown>[] {
  const prng = mulberry32(seed);
  const r = (): number => prng.next();
  const out: Record<string, unknown>[] = [];
  const base = at.getTime();
  for (let i = 0; i < n; i++) {
    const kind = r();
    let ts: unknown;
    if (kind < 0.6) ts = new Date(base - Math.floor(r() * 700) * 86400000).toISOString();
    else if (kind < 0.75)
      ts = new Date(base - (731 + Math.floor(r() * 400)) * 86400000).toISOString();
    else if (kind < 0.82) ts = undefined;
    else if (kind < 0.88) ts = '2025-02-29T10:00:00Z';
    else if (kind < 0.93)
      ts = new Date(base - Math.floor(r() * 300) * 86400000).toISOString().replace('Z', '+02:00');
    else ts = new Date(base + 3600000).toISOString();
    const scope =
      r() < 0.85
        ? r() < 0.5
          ? 'cold_call'
          : 'marketing_email'
        : SCOPES[Math.floor(r() * SCOPES.length)];
    const c: Record<string, unknown> = {
      id: `c-${seed}-${i}`,
      first_name: 'Test',
      consent_scope: scope,
    };
    if (ts !== undefined) c.consent_timestamp = ts;
    if (r() < 0.9) c.phone_number = `+4915550${String(100000 + i).slice(-6)}`;
    if (r() < 0.5) c.email = `user${i}@example.com`;
    out.push(c);
  }
  return out;
}
