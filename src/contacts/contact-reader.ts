import { createReadStream } from 'node:fs';
import { Readable, pipeline, type Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import streamArray from 'stream-json/streamers/stream-array.js';
import { DomainError, isDomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { scrubText } from '../common/logging/redact';

/**
 * Streaming reader for contact files and request bodies: a JSON array, NDJSON
 * or CSV (header row). Memory stays flat: records are yielded one at a time.
 * A record that cannot be parsed is yielded with `malformed` set (and
 * `contact` undefined) instead of failing the stream.
 *
 * Input that cannot be read at all (missing file, JSON that is not an array,
 * broken CSV quoting, bad gzip) throws DomainError(INPUT_UNREADABLE): a
 * truncated file must never look like a shorter, successful one.
 */
export type InputFormat = 'json' | 'ndjson' | 'csv';

export const INPUT_FORMATS: readonly InputFormat[] = ['json', 'ndjson', 'csv'];

export interface InputRecord {
  /** 0-based position in the input. */
  index: number;
  /** 1-based line number where the record starts, when known. */
  line?: number;
  contact: unknown;
  /** Why the record could not be read; set for malformed records only. */
  malformed?: string;
}

export interface ReadContactsOptions {
  /** Gunzip the input first. Default: true when the path ends in `.gz`. */
  gzip?: boolean;
  /** NDJSON lines longer than this (in characters) become malformed records. Default 1 MiB. */
  maxLineLength?: number;
}

const DEFAULT_MAX_LINE = 1024 * 1024;

/** From --format when given, else from the file extension (.json, .ndjson/.jsonl, .csv, optionally + .gz). */
export function detectFormat(path: string, explicit?: string): InputFormat {
  if (explicit !== undefined && explicit !== '') {
    const f = explicit.trim().toLowerCase();
    if (f === 'jsonl') return 'ndjson';
    if ((INPUT_FORMATS as readonly string[]).includes(f)) return f as InputFormat;
    throw new DomainError(ErrorCode.INVALID_REQUEST, `unknown input format "${explicit}"`, {
      errors: [{ path: 'format', message: 'must be one of json, ndjson, csv' }],
    });
  }
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  if (name.endsWith('.csv')) return 'csv';
  throw new DomainError(
    ErrorCode.INVALID_REQUEST,
    'cannot tell the input format from the file name; pass --format json|ndjson|csv',
    { errors: [{ path: 'format', message: 'required for this file name' }] },
  );
}

export function readContacts(
  source: string | NodeJS.ReadableStream,
  format: InputFormat,
  options: ReadContactsOptions = {},
): AsyncIterable<InputRecord> {
  return flatten(readContactBatches(source, format, options));
}

/**
 * The same records in arrays of at most `batchSize` (default 1000), for callers that
 * evaluate and audit in chunks: one await per batch instead of one per record keeps
 * the per-record overhead of a million-line stream low.
 */
export function readContactBatches(
  source: string | NodeJS.ReadableStream,
  format: InputFormat,
  options: ReadContactsOptions & { batchSize?: number } = {},
): AsyncIterable<InputRecord[]> {
  const gzip = options.gzip ?? (typeof source === 'string' && source.toLowerCase().endsWith('.gz'));
  const size = Math.max(1, options.batchSize ?? 1000);
  return guarded(() => {
    const input = openInput(source, gzip);
    switch (format) {
      case 'json':
        return readJsonArray(input, size);
      case 'ndjson':
        return batchRecords(readNdjson(input, options.maxLineLength ?? DEFAULT_MAX_LINE), size);
      case 'csv':
        return readCsv(input, size);
    }
  });
}

/**
 * Re-cuts arrays of records (of any size) into arrays of exactly `size` (the last
 * one shorter), so callers can evaluate and audit in chunks.
 */
async function* batchRecords(
  parts: AsyncIterable<readonly InputRecord[]>,
  size: number,
): AsyncIterable<InputRecord[]> {
  let batch: InputRecord[] = [];
  for await (const part of parts) {
    for (const r of part) {
      batch.push(r);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

async function* flatten(batches: AsyncIterable<InputRecord[]>): AsyncIterable<InputRecord> {
  for await (const b of batches) for (const r of b) yield r;
}

function openInput(source: string | NodeJS.ReadableStream, gzip: boolean): Readable {
  const raw: Readable =
    typeof source === 'string'
      ? createReadStream(source)
      : source instanceof Readable
        ? source
        : Readable.from(source as AsyncIterable<Buffer | string>);
  return gzip ? through(raw, createGunzip()) : raw;
}

/** Pipes with error propagation: a failure anywhere destroys the returned stream with that error. */
function through(src: Readable, next: Duplex): Duplex {
  return pipeline(src, next, () => undefined);
}

/** Turns low-level read errors into INPUT_UNREADABLE, keeping DomainErrors as they are. */
async function* guarded(open: () => AsyncIterable<InputRecord[]>): AsyncIterable<InputRecord[]> {
  let count = 0;
  try {
    for await (const batch of open()) {
      count += batch.length;
      yield batch;
    }
  } catch (e) {
    if (isDomainError(e)) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new DomainError(
      ErrorCode.INPUT_UNREADABLE,
      `input could not be read after ${count} record(s): ${scrubText(message)}`,
      { cause: e },
    );
  }
}

async function* readJsonArray(input: Readable, size: number): AsyncIterable<InputRecord[]> {
  const items = through(input, streamArray.withParserAsStream());
  let index = 0;
  let batch: InputRecord[] = [];
  for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
    batch.push({ index: index++, contact: item.value });
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Yields the records completed by each input chunk as one array. */
async function* readNdjson(input: Readable, maxLine: number): AsyncIterable<InputRecord[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNo = 0;
  let index = 0;
  // While skipping the rest of an over-long line we keep no text, only its start line.
  let overlongFrom: number | undefined;

  function lines(text: string, final: boolean): InputRecord[] {
    const out: InputRecord[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      lineNo++;
      const piece = text.slice(start, nl);
      start = nl + 1;
      if (overlongFrom !== undefined) {
        out.push(tooLong(index++, overlongFrom, maxLine));
        overlongFrom = undefined;
        continue;
      }
      const rec = parseLine(piece, lineNo, index, maxLine);
      if (rec) {
        index++;
        out.push(rec);
      }
    }
    carry = text.slice(start);
    if (!final && overlongFrom === undefined && carry.length > maxLine) {
      overlongFrom = lineNo + 1;
      carry = '';
    } else if (overlongFrom !== undefined) {
      carry = '';
    }
    if (final) {
      if (overlongFrom !== undefined) {
        out.push(tooLong(index++, overlongFrom, maxLine));
      } else if (carry.length > 0) {
        const rec = parseLine(carry, lineNo + 1, index, maxLine);
        if (rec) {
          index++;
          out.push(rec);
        }
      }
      carry = '';
    }
    return out;
  }

  let first = true;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const recs = lines(carry + text, false);
    if (recs.length > 0) yield recs;
  }
  const rest = lines(carry + decoder.end(), true);
  if (rest.length > 0) yield rest;
}

function parseLine(
  raw: string,
  line: number,
  index: number,
  maxLine: number,
): InputRecord | undefined {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  // A line starting with a printable ASCII character is not blank: skip the trim() copy.
  const first = text.charCodeAt(0);
  if (!(first > 32 && first < 127) && text.trim() === '') return undefined;
  if (text.length > maxLine) return tooLong(index, line, maxLine);
  try {
    return { index, line, contact: JSON.parse(text) as unknown };
  } catch {
    // The parser's message quotes the input, which may hold personal data: keep it generic.
    return { index, line, contact: undefined, malformed: `line ${line} is not valid JSON` };
  }
}

function tooLong(index: number, line: number, maxLine: number): InputRecord {
  return {
    index,
    line,
    contact: undefined,
    malformed: `line ${line} is longer than ${maxLine} characters`,
  };
}

async function* readCsv(input: Readable, size: number): AsyncIterable<InputRecord[]> {
  const parser = through(
    input,
    parseCsv({
      bom: true,
      columns: false,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  let header: string[] | undefined;
  let index = 0;
  let batch: InputRecord[] = [];
  for await (const row of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const cells = row.record;
    const line = row.info.lines;
    if (!header) {
      header = checkHeader(cells);
      continue;
    }
    if (cells.length !== header.length) {
      batch.push({
        index: index++,
        line,
        contact: undefined,
        malformed: `line ${line} has ${cells.length} columns, the header has ${header.length}`,
      });
    } else {
      batch.push({ index: index++, line, contact: csvRecord(header, cells) });
    }
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function csvRecord(header: string[], cells: string[]): Record<string, string> {
  const contact: Record<string, string> = {};
  header.forEach((name, i) => {
    const value = cells[i];
    // An empty cell means "absent", so policies see a missing field, not "".
    if (value === undefined || value === '') return;
    // defineProperty: a "__proto__" column becomes an own field, never the prototype.
    Object.defineProperty(contact, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return contact;
}

function checkHeader(cells: string[]): string[] {
  const names = cells.map((c) => c.trim());
  const seen = new Set<string>();
  for (const [i, n] of names.entries()) {
    if (n === '') {
      throw new DomainError(ErrorCode.INPUT_UNREADABLE, `CSV header column ${i + 1} is empty`);
    }
    if (seen.has(n)) {
      throw new DomainError(ErrorCode.INPUT_UNREADABLE, `CSV header repeats column "${n}"`);
    }
    seen.add(n);
  }
  return names;
}
