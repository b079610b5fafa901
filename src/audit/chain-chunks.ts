import type { ChainRecord } from './chain-format';
import { checkpointLine } from './checkpoints';
import { LineBuffer } from './line-buffer';

/** Larger buffers (from unusually big batches) are not kept between batches. */
export const MAX_SPARE_BYTES = 16 * 1024 * 1024;

/** Lines for one file: written with one write (and one fsync). */
export interface Chunk {
  /** Rotate to a new file before writing this chunk. */
  rotateFirst: boolean;
  /** The chunk's lines, UTF-8 encoded as they are built (see LineBuffer). */
  bytes: LineBuffer;
  checkpoints: string;
  lastSeq: number;
  lastHash: string;
}

export interface ChunkStart {
  seq: number;
  prevHash: string;
  fileSize: number;
}

export interface ChunkOptions {
  rotateBytes: number;
  checkpointKey?: string;
  checkpointEvery: number;
  stream: string;
  /** Timestamp of signed checkpoints. */
  ts: string;
}

/**
 * Chains a batch of records onto (seq, prevHash) and encodes the lines, splitting
 * where a file would pass AUDIT_ROTATE_BYTES. `spare` is the previous batch's
 * buffer, reused for the first chunk when it is large enough.
 */
export function buildChunks(
  records: readonly ChainRecord[],
  start: ChunkStart,
  opts: ChunkOptions,
  spare: LineBuffer | undefined,
): Chunk[] {
  const { rotateBytes, checkpointKey, checkpointEvery, stream, ts } = opts;
  const signing = checkpointKey !== undefined && checkpointEvery > 0;
  const chunks: Chunk[] = [];
  let seq = start.seq;
  let prev = start.prevHash;
  let size = start.fileSize;
  const initial = Math.min(records.length * 1024, 64 * 1024 * 1024);
  const first = spare !== undefined && spare.capacity >= initial ? spare : new LineBuffer(initial);
  first.reset();
  let chunk: Chunk = {
    rotateFirst: false,
    bytes: first,
    checkpoints: '',
    lastSeq: seq,
    lastHash: prev,
  };
  for (const r of records) {
    seq++;
    const bytes = chunk.bytes.push(r, seq, prev);
    const hash = chunk.bytes.lastHash;
    if (size > 0 && size + bytes > rotateBytes) {
      chunk.bytes.unpush(bytes);
      if (chunk.bytes.count > 0) chunks.push(chunk);
      chunk = {
        rotateFirst: true,
        bytes: new LineBuffer(initial),
        checkpoints: '',
        lastSeq: seq,
        lastHash: hash,
      };
      chunk.bytes.push(r, seq, prev);
      size = 0;
    }
    chunk.lastSeq = seq;
    chunk.lastHash = hash;
    size += bytes;
    if (signing && seq % checkpointEvery === 0) {
      chunk.checkpoints += checkpointLine(checkpointKey, stream, seq, hash, ts);
    }
    prev = hash;
  }
  if (chunk.bytes.count > 0) chunks.push(chunk);
  return chunks;
}
