import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { canonicalJson } from '../audit/canonical-json';

/**
 * "sha256:<hex>" of the canonical JSON (keys sorted, no whitespace) of a
 * contacts array (JSON request bodies): the same contacts digest the same
 * whatever their key order or formatting.
 */
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
