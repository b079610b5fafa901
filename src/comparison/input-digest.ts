import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Canonical JSON: object keys sorted, no whitespace. Two requests carrying the
 * same contacts digest the same whatever their key order or formatting.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value);
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === undefined || typeof v === 'function') continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** "sha256:<hex>" of the canonical JSON of a contacts array (JSON request bodies). */
export function digestOfContacts(contacts: readonly unknown[]): string {
  const hash = createHash('sha256');
  hash.update('[');
  contacts.forEach((c, i) => {
    if (i > 0) hash.update(',');
    hash.update(canonicalJson(c));
  });
  hash.update(']');
  return `sha256:${hash.digest('hex')}`;
}

/**
 * A pass-through stream that hashes the raw bytes flowing through it, so a
 * streamed body or file is digested exactly as received without buffering it.
 */
export class DigestingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private finalDigest?: string;

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    cb(null, chunk);
  }

  /** Valid once the stream has ended. */
  digest(): string {
    this.finalDigest ??= `sha256:${this.hash.digest('hex')}`;
    return this.finalDigest;
  }
}
