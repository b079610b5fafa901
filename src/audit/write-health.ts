import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditHealth } from './audit.types';
import { errnoText } from './file-io';

const PROBE_FILE = '.write-probe';

/**
 * Whether the decision log can be written. Up until a write fails; then down until a
 * probe write (a small file created, fsynced and removed in AUDIT_DIR, never a chain
 * file) succeeds, so a disk that was full or read-only is seen recovering even when
 * no request comes (a balancer keeps traffic away from an instance that is not ready).
 */
export class WriteHealth {
  private failure: string | undefined;

  constructor(private readonly dir: string) {}

  /** Notes the outcome of an append. */
  track(done: Promise<void>): Promise<void> {
    return done.then(
      () => {
        this.failure = undefined;
      },
      (e: unknown) => {
        this.failure = e instanceof Error ? e.message : String(e);
        throw e;
      },
    );
  }

  async check(): Promise<AuditHealth> {
    if (this.failure === undefined) return { up: true };
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const path = join(this.dir, PROBE_FILE);
      const fh = await open(path, 'w', 0o600);
      try {
        await fh.writeFile('probe\n');
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await rm(path, { force: true });
      this.failure = undefined;
      return { up: true };
    } catch (e) {
      return { up: false, error: `${this.failure} (probe: ${errnoText(e)})` };
    }
  }
}
