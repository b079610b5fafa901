/**
 * Scrubs personal data and secrets out of free text before it is logged.
 * Structured fields are redacted by key (see REDACT_KEYS); this catches what
 * slips into messages (error texts, URLs).
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// E.164 and common national formats: 7+ digits with optional separators.
const PHONE = /(?<![\w-])\+?\d[\d ().-]{5,}\d(?![\w-])/g;
// Dates and dotted IPv4 addresses look like digit runs but are not phone numbers.
const DATE_OR_IPV4 = /^(\d{4}-\d{2}-\d{2}|\d{1,3}(\.\d{1,3}){3}$)/;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const KEYVAL =
  /\b(access_token|client_secret|api[_-]?key|password|token)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi;

export function scrubText(text: string): string {
  return text
    .replace(BEARER, '$1 [REDACTED]')
    .replace(KEYVAL, '$1$2[REDACTED]')
    .replace(EMAIL, '[EMAIL]')
    .replace(PHONE, (m) => (DATE_OR_IPV4.test(m) ? m : '[PHONE]'));
}

/** Object keys whose values never reach a log. */
export const REDACT_KEYS = [
  'authorization',
  'Authorization',
  'x-api-key',
  'X-API-Key',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'access_token',
  'token',
  'apiKey',
  'phone',
  'phone_number',
  'phoneNumber',
  'email',
  'name',
  'first_name',
  'last_name',
  'birth_date',
];

/** Deep copy of a value with sensitive keys replaced and strings scrubbed. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[DEPTH]';
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    if (value instanceof Error) {
      return {
        name: value.name,
        message: scrubText(value.message),
        stack: value.stack ? scrubText(value.stack) : undefined,
      };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = REDACT_KEYS.includes(k) ? '[REDACTED]' : redactValue(v, depth + 1);
    }
    return out;
  }
  return value;
}
