import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './support/test-app';

const run = promisify(execFile);

/** The built CLI (run `npm run build` first) and the shipped sample corpus. */
export const CLI = join(REPO_ROOT, 'dist', 'cli.js');
export const SAMPLE = join(REPO_ROOT, 'examples', 'contacts-sample.ndjson');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `consent-gate compare <args>` through dist/cli.js with `dir` as the
 * working directory and every state directory (audit, comparison log, sync)
 * under it. Resolves with the exit code and output; never rejects.
 */
export async function runCompareCli(
  dir: string,
  policiesDir: string,
  args: readonly string[],
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'compare', ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        POLICIES_DIR: policiesDir,
        AUDIT_DIR: join(dir, 'audit'),
        COMPARE_LOG_DIR: join(dir, 'compare'),
        SYNC_DIR: join(dir, 'sync'),
        LOG_LEVEL: 'warn',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
