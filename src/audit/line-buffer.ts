import { hash } from 'node:crypto';
import { EncodedPieces, type ChainPieces, type ChainRecord } from './chain-format';

/** Bytes of the hash member inserted into a line: `,"hash":"<64 hex>"` (or `"hash":"<64 hex>",`). */
const HASH_MEMBER_BYTES = 74;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const PREV_HASH_OPEN = Buffer.from(',"prevHash":"', 'latin1');
const SEQ_OPEN = Buffer.from(',"seq":', 'latin1');
const HASH_OPEN = Buffer.from('"hash":"', 'latin1');
/** prevHash member, seq member (at most 16 digits), closing brace. */
const FIXED_BYTES = PREV_HASH_OPEN.length + 64 + 1 + SEQ_OPEN.length + 16 + 1;

/**
 * A growable byte buffer the lines are encoded into as soon as they are hashed.
 * Keeping thousands of line strings alive until the write (and joining them into
 * one more string) made them survive young-generation GCs; measured, that copying
 * was the largest single cost of the audit log.
 */
export class LineBuffer {
  private buf: Buffer;
  length = 0;
  count = 0;

  constructor(initial: number) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  /** Empties the buffer for reuse by the next batch (the bytes must have been written). */
  reset(): void {
    this.length = 0;
    this.count = 0;
  }

  /** Allocated size in bytes. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Hash of the line last added by pushChainLine. */
  lastHash = '';

  private ensure(need: number): void {
    if (this.length + need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + need));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
  }

  /** Appends one chained line (see pushChainLine and pushEncodedLine); returns its size in bytes. */
  push(r: ChainRecord, seq: number, prevHash: string): number {
    return r instanceof EncodedPieces
      ? this.pushEncodedLine(r, seq, prevHash)
      : this.pushChainLine(r, seq, prevHash);
  }

  /**
   * Appends one chained line, byte-identical to buildChainLine(p, seq, prevHash).line
   * (line-buffer.spec.ts), and sets lastHash; returns its size in bytes. The body
   * is encoded once, hashed as bytes, and the hash member is inserted by moving the
   * bytes after it: no flattened copy of the line is ever made as a string.
   */
  pushChainLine(p: ChainPieces, seq: number, prevHash: string): number {
    const after =
      p.mid1 + ',"prevHash":"' + prevHash + '"' + p.mid2 + ',"seq":' + seq + p.tail + '}';
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    this.ensure((p.head.length + after.length) * 3 + HASH_MEMBER_BYTES + 1);
    const buf = this.buf;
    const start = this.length;
    let headBytes: number;
    let bodyBytes: number;
    if (p.head.length > 0) {
      // head starts with the comma of its first member: overwrite it with the opening brace.
      headBytes = buf.write(p.head, start, 'utf8');
      bodyBytes = headBytes + buf.write(after, start + headBytes, 'utf8');
    } else {
      headBytes = 1;
      bodyBytes = buf.write(after, start, 'utf8');
    }
    return this.sealLine(start, headBytes, bodyBytes, p.head.length > 0);
  }

  /**
   * The same line from pieces that are already UTF-8 (the audit worker's records):
   * byte copies only, no string is built. Byte-identical to pushChainLine of the
   * decoded pieces (line-buffer.spec.ts).
   */
  pushEncodedLine(p: EncodedPieces, seq: number, prevHash: string): number {
    const { src, mid1 } = p;
    const headLen = p.headEnd - p.headStart;
    const mid2Len = p.mid2End - p.mid2Start;
    const tailLen = p.tailEnd - p.tailStart;
    this.ensure(headLen + mid1.length + mid2Len + tailLen + FIXED_BYTES + HASH_MEMBER_BYTES + 1);
    const buf = this.buf;
    const start = this.length;
    let at = start;
    if (headLen > 0) {
      buf.set(src.subarray(p.headStart, p.headEnd), at);
      at += headLen;
    }
    buf.set(mid1, at);
    at += mid1.length;
    buf.set(PREV_HASH_OPEN, at);
    at += PREV_HASH_OPEN.length;
    at += buf.write(prevHash, at, 'latin1');
    buf[at++] = QUOTE;
    buf.set(src.subarray(p.mid2Start, p.mid2End), at);
    at += mid2Len;
    buf.set(SEQ_OPEN, at);
    at = writeDecimal(buf, at + SEQ_OPEN.length, seq);
    buf.set(src.subarray(p.tailStart, p.tailEnd), at);
    at += tailLen;
    buf[at++] = CLOSE_BRACE;
    // Without a head the body opens with the leading comma of mid1 (or of prevHash).
    return this.sealLine(start, headLen > 0 ? headLen : 1, at - start, headLen > 0);
  }

  /**
   * Completes the line whose body (`,…}` with the head first) was just written at
   * `start`: opens it with a brace, hashes it, inserts the hash member after the
   * head and ends the line.
   */
  private sealLine(start: number, headBytes: number, bodyBytes: number, hasHead: boolean): number {
    const buf = this.buf;
    buf[start] = OPEN_BRACE;
    const h = hash('sha256', new Uint8Array(buf.buffer, buf.byteOffset + start, bodyBytes), 'hex');
    // Make room for the hash member right after the head ("hash" sorts after every head key).
    const at = start + headBytes;
    buf.copyWithin(at + HASH_MEMBER_BYTES, at, start + bodyBytes);
    if (hasHead) {
      buf[at] = COMMA;
      buf.set(HASH_OPEN, at + 1);
      buf.write(h, at + 9, 'latin1');
      buf[at + 73] = QUOTE;
    } else {
      // No head: the member opens the object and the comma moves after it.
      buf.set(HASH_OPEN, at);
      buf.write(h, at + 8, 'latin1');
      buf[at + 72] = QUOTE;
      buf[at + 73] = COMMA;
    }
    this.length = start + bodyBytes + HASH_MEMBER_BYTES;
    buf[this.length++] = 10;
    this.count++;
    this.lastHash = h;
    return this.length - start;
  }

  /** Removes the line just pushed (it belongs in the next file). */
  unpush(bytes: number): void {
    this.length -= bytes;
    this.count--;
  }

  /** The written bytes (a view, valid until the next push). */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** Byte ranges of the individual lines are not kept: AUDIT_FSYNC=always re-splits at newlines. */
  lines(): Buffer[] {
    const out: Buffer[] = [];
    const all = this.view();
    let start = 0;
    for (let i = 0; i < all.length; i++) {
      if (all[i] === 10) {
        out.push(all.subarray(start, i + 1));
        start = i + 1;
      }
    }
    return out;
  }
}

/** Writes a non-negative integer's decimal digits at `at`; returns the offset after them. */
function writeDecimal(buf: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  let x = n;
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = 48 + (x % 10);
    x = Math.floor(x / 10);
  }
  return at + digits;
}
