import { readdir } from 'node:fs/promises';

/**
 * File naming of a chain ("stream"): `<stream>-<YYYY-MM-DD>-<NNNNNN>.jsonl`, the
 * date being the Clock's UTC date when the file was opened and NNNNNN a counter
 * within that date. Sorting by (date, counter) gives the chain order; the writer
 * never opens a file dated earlier than the newest one, even if the clock goes back.
 * Signed checkpoints for a file live next to it in `<same name>.checkpoints.jsonl`.
 */
export interface ChainFile {
  stream: string;
  date: string;
  index: number;
  name: string;
}

const LOG_FILE = /^([a-z][a-z0-9]*)-(\d{4}-\d{2}-\d{2})-(\d{6})\.jsonl$/;

export function logFileName(stream: string, date: string, index: number): string {
  return `${stream}-${date}-${String(index).padStart(6, '0')}.jsonl`;
}

export function checkpointFileName(logName: string): string {
  return logName.replace(/\.jsonl$/, '.checkpoints.jsonl');
}

export function parseLogFileName(name: string): ChainFile | undefined {
  const m = LOG_FILE.exec(name);
  if (!m) return undefined;
  return { stream: m[1] as string, date: m[2] as string, index: Number(m[3]), name };
}

function compareChainFiles(a: ChainFile, b: ChainFile): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.index - b.index;
}

/** Every chain file in `dir`, grouped by stream, each group in chain order. */
export async function listChainFiles(dir: string): Promise<Map<string, ChainFile[]>> {
  const names = await readdir(dir);
  const byStream = new Map<string, ChainFile[]>();
  for (const name of names) {
    const f = parseLogFileName(name);
    if (!f) continue;
    const list = byStream.get(f.stream) ?? [];
    list.push(f);
    byStream.set(f.stream, list);
  }
  for (const list of byStream.values()) list.sort(compareChainFiles);
  return byStream;
}

/** UTC calendar date of an instant, YYYY-MM-DD. */
export function utcDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
