import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningService {
  child: ChildProcess;
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Starts dist/main.js as a separate process (so its RSS is measured alone) and waits for /readyz. */
export async function startService(
  repoRoot: string,
  env: Record<string, string>,
): Promise<RunningService> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'consent-gate-bench-'));
  // BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the service itself.
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f.length > 0);
  const child = spawn(process.execPath, [...nodeFlags, join(repoRoot, 'dist', 'main.js')], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      POLICY_WATCH: 'false',
      POLICIES_DIR: join(repoRoot, 'policies'),
      AUDIT_DIR: join(dir, 'audit'),
      COMPARE_LOG_DIR: join(dir, 'compare'),
      SYNC_DIR: join(dir, 'sync'),
      RATE_LIMIT_PER_MINUTE: '1000000',
      // A fixed key keeps the service from generating (and warning about) one per run.
      AUDIT_HMAC_KEY: 'bench-only-pseudonym-key-0123456789abcdef',
      ...env,
    },
    // BENCH_SERVICE_STDOUT=<file> keeps the service's stdout (e.g. with --trace-gc).
    stdio: [
      'ignore',
      process.env.BENCH_SERVICE_STDOUT ? openSync(process.env.BENCH_SERVICE_STDOUT, 'w') : 'ignore',
      'inherit',
    ],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${baseUrl}/readyz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('service did not become ready in 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    baseUrl,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
