import { hash } from 'node:crypto';
import type { ChainPieces } from './chain-format';

/** Bytes of the hash member inserted into a line: `,"hash":"<64 hex>"` (or `"hash":"<64 hex>",`). */
const HASH_MEMBER_BYTES = 74;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;

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
    buf[start] = OPEN_BRACE;
    const h = hash('sha256', buf.subarray(start, start + bodyBytes), 'hex');
    // Make room for the hash member right after the head ("hash" sorts after every head key).
    const at = start + headBytes;
    buf.copyWithin(at + HASH_MEMBER_BYTES, at, start + bodyBytes);
    if (p.head.length > 0) {
      buf[at] = COMMA;
      buf.write('"hash":"', at + 1, 'latin1');
      buf.write(h, at + 9, 'latin1');
      buf[at + 73] = 0x22;
    } else {
      // No head: the member opens the object and the comma moves after it.
      buf.write('"hash":"', at, 'latin1');
      buf.write(h, at + 8, 'latin1');
      buf[at + 72] = 0x22;
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
