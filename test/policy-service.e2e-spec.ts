import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SHIPPED_POLICIES } from './support/test-app';

/**
 * The built service (dist/main.js) as an operator runs it: refuses to start on
 * a broken policy folder, hot-reloads edits, keeps the last good set after a
 * broken edit, and reloads on demand over HTTP and through `policy reload`.
 */
const MAIN = join(REPO_ROOT, 'dist', 'main.js');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-service-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function serviceEnv(port: number, policies: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    POLICIES_DIR: policies,
    AUDIT_DIR: join(dir, 'audit'),
    COMPARE_LOG_DIR: join(dir, 'compare'),
    SYNC_DIR: join(dir, 'sync'),
    AUDIT_FSYNC: 'off',
    LOG_LEVEL: 'error',
    POLICY_WATCH: 'true',
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Decision {
  policy: { version: string; digest: string };
  results: { code: string; codes: string[] }[];
}

describe('dist/main.js and its policy folder', () => {
  it('refuses to start on a broken POLICIES_DIR, listing every error as file:line:col', async () => {
    const policies = join(dir, 'policies');
    cpSync(SHIPPED_POLICIES, policies, { recursive: true });
    const v1 = join(policies, 'gdpr-consent', '1.0.0.yaml');
    const v2 = join(policies, 'gdpr-consent', '2.0.0.yaml');
    writeFileSync(
      v1,
      readFileSync(v1, 'utf8').replace('fact: has_contact_address', 'fact: has_contact_adress'),
    );
    writeFileSync(v2, readFileSync(v2, 'utf8').replace('operator: isTrue', 'operator: isTru'));
    const port = await freePort();
    const run = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [MAIN],
        { cwd: dir, env: serviceEnv(port, policies), timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({ code, output: stdout + stderr });
        },
      );
    });
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(
      /gdpr-consent\/1\.0\.0\.yaml:\d+:\d+ unknown fact "has_contact_adress"/,
    );
    expect(run.output).toMatch(/gdpr-consent\/2\.0\.0\.yaml:\d+:\d+ unknown operator "isTru"/);
  }, 40_000);

  describe('running with POLICY_WATCH=true', () => {
    let child: ChildProcess | undefined;
    afterEach(async () => {
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child?.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      child = undefined;
    });

    it('picks up a good edit, keeps serving after a broken one, and reloads on demand', async () => {
      const policies = join(dir, 'policies');
      cpSync(SHIPPED_POLICIES, policies, { recursive: true });
      const v1 = join(policies, 'gdpr-consent', '1.0.0.yaml');
      const original = readFileSync(v1, 'utf8');
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      child = spawn(process.execPath, [MAIN], {
        cwd: dir,
        env: serviceEnv(port, policies),
        stdio: 'ignore',
      });
      await waitFor('readiness', async () =>
        (await fetch(`${base}/readyz`)).ok ? true : undefined,
      );

      // Consent 400 days old: fine under 730 days, expired once the limit is 365.
      const validate = async (): Promise<Decision> => {
        const res = await fetch(`${base}/v1/validate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            version: '1.0.0',
            evaluatedAt: '2026-02-05T00:00:00Z',
            contacts: [
              {
                id: 'c1',
                phone_number: '+4915550000001',
                consent_timestamp: '2025-01-01T00:00:00Z',
                consent_scope: 'cold_call',
              },
            ],
          }),
        });
        expect(res.status).toBe(200);
        return (await res.json()) as Decision;
      };
      const before = await validate();
      expect(before.results[0]?.code).toBe('VALIDATION_PASSED');

      writeFileSync(v1, original.replace('maxConsentAgeDays: 730', 'maxConsentAgeDays: 365'));
      const edited = await waitFor('the edit to be served', async () => {
        const d = await validate();
        return d.policy.digest !== before.policy.digest ? d : undefined;
      });
      expect(edited.results[0]?.codes).toEqual(['CONSENT_EXPIRED']);

      // A broken edit: the service logs it and keeps the last good set.
      writeFileSync(v1, original.replace('maxConsentAgeDays: 730', 'maxConsentAgeDays: [365'));
      const reload = await waitFor('the broken edit to be refused', async () => {
        const res = await fetch(`${base}/v1/policies/reload`, { method: 'POST' });
        return res.status === 422 ? res : undefined;
      });
      const problem = (await reload.json()) as {
        code: string;
        errors: { path: string; message: string }[];
      };
      expect(problem.code).toBe('POLICY_LOAD_FAILED');
      expect(problem.errors[0]?.path).toMatch(/gdpr-consent\/1\.0\.0\.yaml:\d+:\d+$/);
      const still = await validate();
      expect(still.policy.digest).toBe(edited.policy.digest);
      expect(still.results[0]?.codes).toEqual(['CONSENT_EXPIRED']);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      // `consent-gate policy reload` reports the same failure with exit 1 ...
      const cli = (): Promise<{ code: number; stdout: string; stderr: string }> =>
        new Promise((resolve) => {
          execFile(
            process.execPath,
            [CLI, 'policy', 'reload', '--url', base],
            { cwd: dir, env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 30_000 },
            (error, stdout, stderr) => {
              const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
              resolve({ code, stdout, stderr });
            },
          );
        });
      const failed = await cli();
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/1\.0\.0\.yaml:\d+:\d+ /);

      // ... and, once the file is fixed, the reload it triggers serves it.
      writeFileSync(v1, original);
      const ok = await cli();
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(`gdpr-consent@1.0.0 ${before.policy.digest}`);
      expect((await validate()).results[0]?.code).toBe('VALIDATION_PASSED');
    }, 60_000);
  });
});
