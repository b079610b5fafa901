/**
 * Builds UTF-8 bytes from many small strings. Concatenating thousands of strings
 * and then encoding (or joining) the result makes V8 flatten every concatenated
 * string, about 60 ns per piece; writing each piece into a growing buffer as it
 * comes costs less. The memory is never a slice of Node's shared pool, so the
 * result may be transferred to a worker thread.
 */
export class Utf8Builder {
  private buf: Buffer;
  length = 0;

  constructor(initial: number) {
    this.buf = Buffer.allocUnsafeSlow(Math.max(initial, 1024));
  }

  text(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (this.length + s.length * 3 > this.buf.length) this.grow(s.length * 3);
    this.length += this.buf.write(s, this.length, 'utf8');
  }

  /** Appends bytes already encoded (a cached fragment: a copy, no encoding). */
  raw(b: Uint8Array): void {
    if (this.length + b.length > this.buf.length) this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.length + need));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /** The bytes written (a view of this builder's memory; do not write to the builder after). */
  bytes(): Uint8Array<ArrayBuffer> {
    // allocUnsafeSlow memory is a plain ArrayBuffer, never a SharedArrayBuffer.
    return new Uint8Array(this.buf.buffer as ArrayBuffer, this.buf.byteOffset, this.length);
  }
}
