/**
 * Streaming reader for contact files and request bodies: a JSON array, NDJSON
 * or CSV (header row). Memory stays flat: records are yielded one at a time.
 * A record that cannot be parsed is yielded with `malformed` set (and
 * `contact` undefined) instead of failing the stream.
 */
export type InputFormat = 'json' | 'ndjson' | 'csv';

export interface InputRecord {
  /** 0-based position in the input. */
  index: number;
  /** 1-based line number where the record starts, when known. */
  line?: number;
  contact: unknown;
  /** Why the record could not be read; set for malformed records only. */
  malformed?: string;
}

/** From --format when given, else from the file extension (.json, .ndjson/.jsonl, .csv). */
export function detectFormat(_path: string, _explicit?: string): InputFormat {
  throw new Error('not implemented yet');
}

export function readContacts(
  _source: string | NodeJS.ReadableStream,
  _format: InputFormat,
): AsyncIterable<InputRecord> {
  throw new Error('not implemented yet');
}
