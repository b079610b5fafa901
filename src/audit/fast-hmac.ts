import { hash } from 'node:crypto';

const BLOCK = 64;
const DIGEST = 32;
/** Longer messages fall back to a fresh buffer; addresses and ids are far shorter. */
const SCRATCH = 1024;

/**
 * HMAC-SHA256 (RFC 2104) built on the one-shot crypto.hash: the key's inner and
 * outer pads are computed once, so each MAC is two hash calls over preallocated
 * buffers. createHmac allocates a native Hmac object per call, which at two
 * pseudonyms per audited decision was a large share of the audit log's CPU and
 * garbage-collection time. Output is byte-identical to
 * createHmac('sha256', key).update(message, 'utf8').digest('hex') (see the spec).
 */
export class HmacSha256 {
  private readonly inner = Buffer.alloc(BLOCK + SCRATCH);
  private readonly outer = Buffer.alloc(BLOCK + DIGEST);

  constructor(key: Buffer) {
    const k = key.length > BLOCK ? hash('sha256', key, 'buffer') : key;
    for (let i = 0; i < BLOCK; i++) {
      const b = i < k.length ? (k[i] as number) : 0;
      this.inner[i] = b ^ 0x36;
      this.outer[i] = b ^ 0x5c;
    }
  }

  /** Lower-case hex MAC of the UTF-8 bytes of `message`. */
  hex(message: string): string {
    let innerDigest: Buffer;
    if (Buffer.byteLength(message, 'utf8') <= SCRATCH) {
      const n = this.inner.write(message, BLOCK, 'utf8');
      innerDigest = hash('sha256', this.inner.subarray(0, BLOCK + n), 'buffer');
    } else {
      const buf = Buffer.concat([this.inner.subarray(0, BLOCK), Buffer.from(message, 'utf8')]);
      innerDigest = hash('sha256', buf, 'buffer');
    }
    innerDigest.copy(this.outer, BLOCK);
    return hash('sha256', this.outer, 'hex');
  }
}

/**
 * A bounded memo of address -> pseudonym. Contact lists are validated again and
 * again (every sync, every re-check), so the same addresses recur; each hit saves
 * two SHA-256 compressions and the string work around them. Two generations give
 * LRU-like behaviour without per-hit bookkeeping: entries used while the current
 * generation fills survive the next swap, the rest are dropped. Memory stays below
 * 2 x capacity entries. The cache lives in process memory only and is never written
 * anywhere; it is discarded with the key.
 */
export class PseudonymCache {
  private current = new Map<string, string>();
  private previous = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  get(address: string, compute: (address: string) => string): string {
    let v = this.current.get(address);
    if (v !== undefined) return v;
    v = this.previous.get(address);
    if (v === undefined) v = compute(address);
    if (this.capacity <= 0) return v;
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(address, v);
    return v;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
