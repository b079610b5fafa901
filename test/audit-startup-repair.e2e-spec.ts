import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { logFiles, removeDir, tempDir, verify } from './fixtures/audit-kit';

const REPO = join(__dirname, '..');
const WRITER = join(__dirname, 'fixtures', 'audit-writer.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

describe('service start-up after a crash', () => {
  let root: string;
  beforeEach(() => (root = tempDir('audit-startup-')));
  afterEach(() => removeDir(root));

  it('repairs a torn audit tail at start, before any request, and the chain verifies', async () => {
    const dir = join(root, 'audit');
    const once = spawnSync(process.execPath, [WRITER, dir, 'once'], { encoding: 'utf8' });
    expect(once.status).toBe(0);
    const path = join(dir, logFiles(dir).pop() as string);
    appendFileSync(path, '{"code":"VALIDATION_PASSED","codes":[],"contactKey":{"emailHm');
    const torn = await verify(dir, 'crash-test-checkpoint-key');
    expect(torn.find((r) => r.stream === 'decisions')?.failure?.kind).toBe('torn');

    const port = await freePort();
    const child = spawn(process.execPath, [join(REPO, 'dist', 'main.js')], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        HOST: '127.0.0.1',
        AUDIT_DIR: dir,
        AUDIT_HMAC_KEY: 'crash-test-hmac-key-0123456789abcdef',
        AUDIT_CHECKPOINT_KEY: 'crash-test-checkpoint-key',
        AUDIT_CHECKPOINT_EVERY: '50',
        POLICY_WATCH: 'false',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      const deadline = Date.now() + 30000;
      for (;;) {
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`service did not start: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // No request was made: the repair happened at start.
      expect(stderr).toMatch(/repaired the tail left by an interrupted write/);
      expect(readFileSync(path, 'utf8').endsWith('\n')).toBe(true);
      const after = await verify(dir, 'crash-test-checkpoint-key');
      for (const r of after)
        expect({ stream: r.stream, failure: r.failure }).toEqual({
          stream: r.stream,
          failure: undefined,
        });
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
