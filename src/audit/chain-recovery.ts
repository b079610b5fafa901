import { open, readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { checkLine, GENESIS_HASH } from './chain-format';
import type { ChainFile } from './chain-files';
import { sha256Hex } from './canonical-json';

/** One repair done while reopening a chain; logged without any line content. */
export interface TailRepair {
  file: string;
  removedBytes: number;
  /** sha256 of the removed bytes, so the repair itself can be evidenced later. */
  removedSha256: string;
  reason: string;
}

export interface TailState {
  seq: number;
  hash: string;
  repairs: TailRepair[];
}

class CorruptTailError extends Error {}

/**
 * Finds where a chain left off, repairing what a crash can leave behind: a last
 * line without its newline (torn write), or a last line that does not parse or
 * whose hash does not match. Only the very last line of the newest non-empty
 * file is ever removed; anything worse is left for `audit verify` to report.
 */
export async function recoverTail(dir: string, files: readonly ChainFile[]): Promise<TailState> {
  const repairs: TailRepair[] = [];
  for (let i = files.length - 1; i >= 0; i--) {
    const file = files[i] as ChainFile;
    const last = await repairFileTail(join(dir, file.name), file.name, repairs);
    if (last) return { ...last, repairs };
  }
  return { seq: 0, hash: GENESIS_HASH, repairs };
}

async function repairFileTail(
  path: string,
  name: string,
  repairs: TailRepair[],
): Promise<{ seq: number; hash: string } | undefined> {
  const fh = await open(path, 'r+');
  try {
    let size = (await fh.stat()).size;
    let window = 64 * 1024;
    let removedBadLine = false;
    while (size > 0) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      await fh.read(buf, 0, buf.length, start);
      const lastNl = buf.lastIndexOf(0x0a);
      if (buf[buf.length - 1] !== 0x0a) {
        if (lastNl === -1 && start > 0) {
          window *= 2;
          continue;
        }
        const cut = lastNl === -1 ? 0 : start + lastNl + 1;
        repairs.push({
          file: name,
          removedBytes: size - cut,
          removedSha256: sha256Hex(buf.subarray(cut - start)),
          reason: 'torn last line (no trailing newline)',
        });
        await fh.truncate(cut);
        await fh.sync();
        size = cut;
        continue;
      }
      const prevNl = buf.lastIndexOf(0x0a, buf.length - 2);
      if (prevNl === -1 && start > 0) {
        window *= 2;
        continue;
      }
      const lineStart = prevNl === -1 ? start : start + prevNl + 1;
      const text = buf.subarray(lineStart - start, buf.length - 1).toString('utf8');
      const check = checkLine(text);
      if (check.ok) return { seq: check.record.seq, hash: check.record.hash };
      if (removedBadLine) {
        throw new CorruptTailError(
          `the last two lines of ${name} are damaged (${check.reason}); run "consent-gate audit verify"`,
        );
      }
      removedBadLine = true;
      repairs.push({
        file: name,
        removedBytes: size - lineStart,
        removedSha256: sha256Hex(buf.subarray(lineStart - start)),
        reason: `damaged last line (${check.reason})`,
      });
      await fh.truncate(lineStart);
      await fh.sync();
      size = lineStart;
    }
    return undefined;
  } finally {
    await fh.close();
  }
}

/** Cuts a torn last line off a checkpoint sidecar (they are small; read whole). */
export async function repairSidecarTail(
  path: string,
  name: string,
): Promise<TailRepair | undefined> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return undefined;
  }
  if (size === 0) return undefined;
  const buf = await readFile(path);
  if (buf[buf.length - 1] === 0x0a) return undefined;
  const cut = buf.lastIndexOf(0x0a) + 1;
  await truncate(path, cut);
  return {
    file: name,
    removedBytes: size - cut,
    removedSha256: sha256Hex(buf.subarray(cut)),
    reason: 'torn last checkpoint (no trailing newline)',
  };
}
