// stream-json 3 is ESM-only and exposes sub-paths through package "exports", which
// TypeScript's CommonJS resolution does not read; this declares the one entry we use.
declare module 'stream-json/streamers/stream-array.js' {
  import type { Duplex } from 'node:stream';
  interface StreamArrayFactory {
    /** parser() + streamArray() as one Duplex emitting `{ key, value }` per array element. */
    withParserAsStream(options?: Record<string, unknown>): Duplex;
  }
  const streamArray: StreamArrayFactory;
  export default streamArray;
}
