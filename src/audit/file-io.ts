import { open, type FileHandle } from 'node:fs/promises';

/** Writes the whole text or buffer (a single write() may be partial). Returns the bytes written. */
export async function writeAll(fh: FileHandle, text: string | Uint8Array): Promise<number> {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let off = 0;
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    off += bytesWritten;
  }
  return buf.length;
}

/** fsync the directory so a newly created file's entry survives a crash. */
export async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

export function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (typeof err?.code === 'string') return err.code;
  return err instanceof Error ? err.message : 'unknown error';
}
