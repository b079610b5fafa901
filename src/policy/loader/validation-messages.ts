import type { ErrorObject } from 'ajv';
import type { PathSegment } from './safe-yaml';

/** Message helpers for policy load errors. */

export function pathText(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(document)';
}

export function formatParam(v: unknown): string {
  if (Array.isArray(v)) return v.map(formatParam).join(', ');
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return JSON.stringify(v);
}

const FORMATS: Record<string, string> = {
  version: 'a semantic version such as 1.2.0',
  policy: 'lowercase letters, digits and dashes (e.g. gdpr-consent)',
  code: 'UPPER_SNAKE_CASE (e.g. CONSENT_MISSING)',
  name: 'kebab-case (e.g. fr-opt-in)',
  effectiveFrom: 'a date YYYY-MM-DD or an RFC 3339 date-time with offset',
  effectiveTo: 'a date YYYY-MM-DD or an RFC 3339 date-time with offset',
  param: 'a parameter name (letters, digits, underscores)',
};

function article(type: string): string {
  const t = type.replace(/,/g, ' or ');
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

export function decodePointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function describeAjvError(
  e: ErrorObject,
  path: PathSegment[],
): { at: PathSegment[]; message: string; target?: 'key' } {
  const where = pathText(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(params['additionalProperty']);
      return { at: [...path, prop], message: `unknown field "${prop}" in ${where}`, target: 'key' };
    }
    case 'required':
      return {
        at: path,
        message: `${where} is missing required field "${String(params['missingProperty'])}"`,
      };
    case 'enum':
      return {
        at: path,
        message: `${where} must be one of: ${(params['allowedValues'] as unknown[]).map(String).join(', ')}`,
      };
    case 'pattern':
      return {
        at: path,
        message: `${where} must be ${FORMATS[String(path[path.length - 1])] ?? `of the form ${String(params['pattern'])}`}`,
      };
    case 'type':
      return { at: path, message: `${where} must be ${article(String(params['type']))}` };
    case 'propertyNames':
      return { at: path, message: `${where} has an invalid key: ${e.message ?? ''}` };
    default:
      return { at: path, message: `${where} ${e.message ?? 'is invalid'}` };
  }
}

/** A "did you mean" hint for a mistyped name (edit distance <= 2 or case-only difference). */
export function suggest(name: string, known: string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = k.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}
