import { open, readFile, unlink } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A cross-process lock held for the duration of one batch, so the service, the
 * CLI (`validate`, `sync`) and a second replica can share AUDIT_DIR without
 * forking a chain: whoever holds it re-reads the chain head from disk before
 * writing. The lock is a file created with O_EXCL holding the owner's pid; a
 * lock whose owner is gone (kill -9) is broken. Assumes writers share a pid
 * namespace (one host); a shared network volume across hosts is not supported.
 */
export class ChainLock {
  private garbageSince: number | undefined;

  constructor(
    private readonly path: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async acquire(): Promise<void> {
    const deadline = performance.now() + this.timeoutMs;
    let delay = 1;
    for (;;) {
      try {
        const fh = await open(this.path, 'wx', 0o600);
        try {
          await fh.writeFile(String(process.pid));
        } finally {
          await fh.close();
        }
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (await this.isStale()) {
        await unlink(this.path).catch(() => undefined);
        continue;
      }
      if (performance.now() > deadline) {
        throw new Error(
          `audit log lock ${this.path} held by another process for over ${this.timeoutMs} ms`,
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 50);
    }
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }

  private async isStale(): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return false; // released meanwhile: just retry
    }
    const pid = Number(text.trim());
    if (!Number.isSafeInteger(pid) || pid <= 0) {
      // Created but pid not yet written, or garbage: stale only if it stays that way.
      this.garbageSince ??= performance.now();
      return performance.now() - this.garbageSince > 2_000;
    }
    this.garbageSince = undefined;
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
}
