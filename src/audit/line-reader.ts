import { createReadStream } from 'node:fs';

export interface FileLine {
  /** 1-based line number. */
  number: number;
  text: string;
  /** false for a last line without a trailing newline (a torn write). */
  terminated: boolean;
}

/** Streams a file's lines without loading it whole (audit files reach AUDIT_ROTATE_BYTES). */
export async function* readLines(path: string): AsyncGenerator<FileLine> {
  let rest = '';
  let number = 0;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    const s = rest + chunk;
    let start = 0;
    let nl = s.indexOf('\n', start);
    while (nl !== -1) {
      number++;
      yield { number, text: s.slice(start, nl), terminated: true };
      start = nl + 1;
      nl = s.indexOf('\n', start);
    }
    rest = s.slice(start);
  }
  if (rest.length > 0) yield { number: number + 1, text: rest, terminated: false };
}
