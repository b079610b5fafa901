import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointFileName, type ChainFile, utcDate } from './chain-files';

const DAY_MS = 86_400_000;

/**
 * Deletes a stream's files dated before (today - retentionDays), with their
 * checkpoint sidecars; never the file being written. Only ever the oldest files
 * go, so the remaining ones still form one unbroken chain: `audit verify` anchors
 * on the first prevHash of the oldest remaining file. retentionDays 0 keeps all.
 */
export async function applyRetention(
  dir: string,
  files: readonly ChainFile[],
  now: Date,
  retentionDays: number,
  currentName: string | undefined,
): Promise<string[]> {
  if (retentionDays <= 0) return [];
  const cutoff = utcDate(new Date(now.getTime() - retentionDays * DAY_MS));
  const deleted: string[] = [];
  for (const f of files) {
    if (f.date >= cutoff || f.name === currentName) continue;
    await unlinkIfPresent(join(dir, f.name));
    await unlinkIfPresent(join(dir, checkpointFileName(f.name)));
    deleted.push(f.name);
  }
  return deleted;
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
