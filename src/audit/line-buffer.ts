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

  /** Appends the line `open + close + "\n"`; returns its size in bytes. */
  push(open: string, close: string): number {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const need = (open.length + close.length) * 3 + 1;
    if (this.length + need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + need));
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    const start = this.length;
    this.length += this.buf.write(open, this.length, 'utf8');
    this.length += this.buf.write(close, this.length, 'utf8');
    this.buf[this.length++] = 10;
    this.count++;
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
