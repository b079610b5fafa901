import { Injectable } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/** The committed text of a policy file, copied to a temp file the loader can read. */
export interface CommittedCopy {
  /** Temp file holding the committed bytes; same base name as the original. */
  path: string;
  /** Removes the temp copy. */
  dispose(): Promise<void>;
}

const GIT_TIMEOUT_MS = 10_000;
const MAX_POLICY_BYTES = 16 * 1024 * 1024;

/**
 * Reads the last committed version (git HEAD) of a policy file, so
 * `compare --candidate-file` can check an edit against what was committed,
 * even when the edit was made in place inside POLICIES_DIR (where the
 * registry already serves the edited text). Git and the file system are side
 * effects, hence this class.
 */
@Injectable()
export class CommittedPolicyReader {
  /**
   * Undefined when git is not installed, the file is not in a repository, or
   * it has no committed version (a new, untracked file).
   */
  async readHead(file: string): Promise<CommittedCopy | undefined> {
    const abs = resolve(file);
    const bytes = await gitShowHead(abs);
    if (bytes === undefined) return undefined;
    const dir = await mkdtemp(join(tmpdir(), 'consent-gate-head-'));
    const path = join(dir, basename(abs));
    await writeFile(path, bytes);
    return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
  }
}

function gitShowHead(abs: string): Promise<Buffer | undefined> {
  return new Promise((done) => {
    execFile(
      'git',
      // "HEAD:./name" is resolved relative to -C, so no repository root lookup is needed.
      ['-C', dirname(abs), 'show', `HEAD:./${basename(abs)}`],
      {
        encoding: 'buffer',
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: MAX_POLICY_BYTES,
        windowsHide: true,
      },
      (error, stdout) => done(error ? undefined : stdout),
    );
  });
}
