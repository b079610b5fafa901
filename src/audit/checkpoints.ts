import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * A signed checkpoint: every AUDIT_CHECKPOINT_EVERY lines the writer records
 * {stream, seq, hash, ts} and an HMAC over them with AUDIT_CHECKPOINT_KEY in the
 * log file's `.checkpoints.jsonl` sidecar. Someone who cuts lines off the end of
 * the log cannot forge a checkpoint that matches, so verify notices the cut.
 */
export interface Checkpoint {
  stream: string;
  seq: number;
  hash: string;
  ts: string;
  mac: string;
}

function checkpointMac(key: string, stream: string, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`${stream}:${seq}:${hash}`).digest('hex');
}

export function checkpointLine(
  key: string,
  stream: string,
  seq: number,
  hash: string,
  ts: string,
): string {
  const cp: Checkpoint = { stream, seq, hash, ts, mac: checkpointMac(key, stream, seq, hash) };
  return canonicalJson(cp) + '\n';
}

export function parseCheckpoint(text: string): Checkpoint | undefined {
  try {
    const v = JSON.parse(text) as Partial<Checkpoint> | null;
    if (
      v !== null &&
      typeof v === 'object' &&
      typeof v.stream === 'string' &&
      typeof v.seq === 'number' &&
      typeof v.hash === 'string' &&
      typeof v.ts === 'string' &&
      typeof v.mac === 'string'
    ) {
      return { stream: v.stream, seq: v.seq, hash: v.hash, ts: v.ts, mac: v.mac };
    }
  } catch {
    // falls through: reported by the caller with its location
  }
  return undefined;
}

export function checkpointMacValid(key: string, cp: Checkpoint): boolean {
  const expected = Buffer.from(checkpointMac(key, cp.stream, cp.seq, cp.hash), 'hex');
  const actual = Buffer.from(cp.mac, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
