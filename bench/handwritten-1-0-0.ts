/**
 * A hand-written TypeScript function of policy gdpr-consent 1.0.0's five rules:
 * the speed reference of issue 7 ("within 2x of a hand-written function").
 * Deliberately independent of src/policy so it measures plain code, not the engine.
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MAX_AGE_MS = 730 * 24 * 3600 * 1000;
const FUTURE_MS = 5 * 60 * 1000;

function parseStrict(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (m === null) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const se = Number(m[6]);
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 31);
  if (d > dim) return undefined;
  let offsetMin = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const frac = m[7] ? Math.floor(Number('0' + m[7]) * 1000) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, se, frac) - offsetMin * 60000;
}

export interface HandwrittenDecision {
  decision: 'APPROVED' | 'REJECTED';
  code: string;
  codes: string[];
}

export function handwritten100(
  contact: Record<string, unknown>,
  evaluatedAtMs: number,
): HandwrittenDecision {
  const codes: string[] = [];
  const ts = contact.consent_timestamp;
  if (ts === undefined || ts === null || ts === '') {
    codes.push('CONSENT_MISSING');
  } else {
    const t = typeof ts === 'string' ? parseStrict(ts) : undefined;
    if (t === undefined || t > evaluatedAtMs + FUTURE_MS) codes.push('CONSENT_TIMESTAMP_INVALID');
    else if (evaluatedAtMs - t > MAX_AGE_MS) codes.push('CONSENT_EXPIRED');
  }
  const scope = contact.consent_scope;
  if (scope !== 'cold_call' && scope !== 'marketing_email') codes.push('SCOPE_MISMATCH');
  const phone = contact.phone_number;
  const email = contact.email;
  const hasPhone = typeof phone === 'string' && phone.trim() !== '';
  const hasEmail = typeof email === 'string' && email.trim() !== '';
  if (!hasPhone && !hasEmail) codes.push('CONTACT_ADDRESS_MISSING');
  return codes.length === 0
    ? { decision: 'APPROVED', code: 'VALIDATION_PASSED', codes }
    : { decision: 'REJECTED', code: codes[0] as string, codes };
}
