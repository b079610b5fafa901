import { canonicalJson, sha256Hex } from './canonical-json';

/** prevHash of the very first line of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Version of the line format, written as `v` in every line. */
export const LINE_FORMAT_VERSION = 1;

/**
 * A record split around the three members the chain writer fills in. Each part is
 * a run of canonical `,"key":value` fragments (leading comma, keys sorted):
 * `head` holds keys sorting before "hash", `mid1` keys between "hash" and
 * "prevHash", `mid2` keys between "prevHash" and "seq", `tail` keys after "seq".
 * Splitting lets the writer build a canonical line by plain concatenation,
 * without re-serialising or sorting per line.
 */
export interface ChainPieces {
  head: string;
  mid1: string;
  mid2: string;
  tail: string;
}

/**
 * ChainPieces already UTF-8 encoded: byte ranges of one buffer, plus the batch's
 * shared mid1. The audit worker receives a batch's pieces as bytes
 * (decision-records-wire.ts) and builds the lines by copying them, instead of
 * decoding them to strings and encoding those again, twice per rejection.
 */
export class EncodedPieces {
  constructor(
    readonly src: Uint8Array,
    readonly mid1: Uint8Array,
    readonly headStart: number,
    readonly headEnd: number,
    readonly mid2Start: number,
    readonly mid2End: number,
    readonly tailStart: number,
    readonly tailEnd: number,
  ) {}
}

/** A record to chain: as strings, or as bytes (the same line either way). */
export type ChainRecord = ChainPieces | EncodedPieces;

export interface BuiltLine {
  /** The full line including the trailing newline. */
  line: string;
  hash: string;
}

/**
 * Builds one chained line. hash = sha256 hex of the canonical JSON of the line
 * without `hash` (and including `prevHash` and `seq`); the written line is the
 * canonical JSON including `hash`, so verification can demand byte equality.
 */
export function buildChainLine(p: ChainPieces, seq: number, prevHash: string): BuiltLine {
  const { open, hash, close } = chainLineParts(p, seq, prevHash);
  return { line: open + close + '\n', hash };
}

/**
 * The hot-path form of buildChainLine: the line is `open + close + "\n"`, returned
 * in two parts so a writer can encode them straight into its buffer. The body is
 * concatenated and flattened once (for hashing); both parts are slices of it plus
 * the hash member, so no second copy of the line is built as a string.
 */
function chainLineParts(
  p: ChainPieces,
  seq: number,
  prevHash: string,
): { open: string; hash: string; close: string } {
  const afterHash = p.mid1 + ',"prevHash":"' + prevHash + '"' + p.mid2 + ',"seq":' + seq + p.tail;
  if (p.head.length === 0) {
    // afterHash always holds prevHash and seq, so it is never empty.
    const body = '{' + afterHash.slice(1) + '}';
    const hash = sha256Hex(body);
    return { open: '{"hash":"' + hash + '",', hash, close: body.slice(1) };
  }
  const body = '{' + p.head.slice(1) + afterHash + '}';
  const hash = sha256Hex(body);
  // body is flat after hashing, so these slices share its characters.
  const split = p.head.length;
  return {
    open: body.slice(0, split) + ',"hash":"' + hash + '"',
    hash,
    close: body.slice(split),
  };
}

const RESERVED = new Set(['hash', 'prevHash', 'seq']);

/** Splits any JSON object into ChainPieces (for low-volume records such as comparison runs). */
export function piecesFromObject(record: Record<string, unknown>): ChainPieces {
  const pieces: ChainPieces = { head: '', mid1: '', mid2: '', tail: '' };
  for (const key of Object.keys(record).sort()) {
    if (RESERVED.has(key)) throw new TypeError(`"${key}" is set by the chain writer`);
    const value = record[key];
    if (value === undefined) continue;
    const fragment = ',' + JSON.stringify(key) + ':' + canonicalJson(value);
    if (key < 'hash') pieces.head += fragment;
    else if (key < 'prevHash') pieces.mid1 += fragment;
    else if (key < 'seq') pieces.mid2 += fragment;
    else pieces.tail += fragment;
  }
  return pieces;
}

export interface ChainedRecord {
  seq: number;
  prevHash: string;
  hash: string;
  [key: string]: unknown;
}

export type LineCheck = { ok: true; record: ChainedRecord } | { ok: false; reason: string };

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks one line on its own: valid JSON, the chain members present, written in
 * canonical form (so any changed byte is caught, whitespace included), and the
 * hash matching the content. Chain order is the caller's business.
 */
export function checkLine(text: string): LineCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const rec = parsed as Record<string, unknown>;
  const { hash, prevHash, seq } = rec;
  if (typeof hash !== 'string' || !HEX64.test(hash))
    return { ok: false, reason: 'missing or malformed hash' };
  if (typeof prevHash !== 'string' || !HEX64.test(prevHash)) {
    return { ok: false, reason: 'missing or malformed prevHash' };
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
    return { ok: false, reason: 'missing or malformed seq' };
  }
  let canonical: string;
  try {
    canonical = canonicalJson(rec);
  } catch {
    return { ok: false, reason: 'not encodable as canonical JSON' };
  }
  if (canonical !== text)
    return { ok: false, reason: 'bytes changed (line is not in canonical form)' };
  const { hash: _omit, ...body } = rec;
  if (sha256Hex(canonicalJson(body)) !== hash) {
    return { ok: false, reason: 'content does not match its hash' };
  }
  return { ok: true, record: rec as ChainedRecord };
}
