import { Injectable } from '@nestjs/common';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';

/** Incremental writer for a JSON output that can be larger than memory. */
export interface JsonSink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * File side effects of `consent-gate compare`: reading the input and writing
 * the report and JSON outputs. Behind a class so the command stays testable.
 */
@Injectable()
export class CompareFiles {
  /**
   * Opens the input file for streaming, gunzipping a `.gz` file, so the bytes
   * handed on (and digested) are the contacts as written. Fails with
   * COMPARE_INVALID when the file cannot be opened.
   */
  async openInput(path: string): Promise<NodeJS.ReadableStream> {
    const stream = createReadStream(path);
    try {
      await once(stream, 'open');
    } catch (err) {
      throw new DomainError(
        ErrorCode.COMPARE_INVALID,
        `Cannot read input file ${path}: ${reason(err)}`,
      );
    }
    if (!path.toLowerCase().endsWith('.gz')) return stream;
    const gunzip = createGunzip();
    // pipeline forwards a read or gzip error to the consumer instead of hanging it.
    pipeline(stream, gunzip, () => undefined);
    return gunzip;
  }

  /** Writes a whole file atomically (temp file + rename), so a crash never leaves half a report. */
  async writeAtomic(path: string, content: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  }

  async openJson(path: string): Promise<JsonSink> {
    await mkdir(dirname(path), { recursive: true });
    const out: WriteStream = createWriteStream(path, { encoding: 'utf8' });
    await once(out, 'open');
    return {
      write: async (text: string): Promise<void> => {
        if (!out.write(text)) await once(out, 'drain');
      },
      close: async (): Promise<void> => {
        out.end();
        await once(out, 'finish');
      },
    };
  }
}

function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}
