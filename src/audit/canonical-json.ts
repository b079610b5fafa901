import { hash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by UTF-16 code units (JavaScript's default
 * sort, as in RFC 8785), no whitespace, strings and numbers as JSON.stringify
 * writes them. `undefined` members are dropped like JSON.stringify does. This is
 * what every hash in the audit chain is computed over, so it must never change.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError('canonical JSON cannot encode non-finite numbers');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    case 'undefined':
    case 'bigint':
    case 'function':
    case 'symbol':
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : canonicalJson(item);
    }
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(key) + ':' + canonicalJson(v);
  }
  return out + '}';
}

/** Canonical JSON of an array of strings (the hot path for codes and warnings). */
export function canonicalStringArray(values: readonly string[]): string {
  if (values.length === 0) return '[]';
  let out = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += JSON.stringify(values[i]);
  }
  return out + ']';
}

/** SHA-256 hex; the one-shot crypto.hash is about twice as fast as createHash per line. */
export function sha256Hex(text: string | Buffer): string {
  return hash('sha256', text, 'hex');
}
