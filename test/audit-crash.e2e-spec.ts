import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileLines, logFiles, removeDir, tempDir, verify } from './fixtures/audit-kit';

const WRITER = join(__dirname, 'fixtures', 'audit-writer.js');

/** Starts the writer child, waits until it has written for a moment, then SIGKILLs it. */
async function killMidWrite(dir: string, afterMs: number, worker: boolean): Promise<void> {
  const child = spawn(process.execPath, [WRITER, dir, 'loop'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: writerEnv(worker),
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  await new Promise((r) => setTimeout(r, afterMs));
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** AUDIT_WORKER for the writer child: the decision log on its worker thread, or inline. */
function writerEnv(worker: boolean): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', AUDIT_WORKER: String(worker) };
}

function runOnce(dir: string, worker: boolean): { stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [WRITER, dir, 'once'], {
    encoding: 'utf8',
    env: writerEnv(worker),
  });
  if (r.status !== 0) throw new Error(`writer failed: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

describe('audit log after kill -9', () => {
  let root: string;
  beforeEach(() => (root = tempDir('audit-crash-')));
  afterEach(() => removeDir(root));

  it.each([
    [150, true],
    [400, true],
    [150, false],
    [400, false],
  ])(
    'repairs the torn tail on restart and the chains verify (killed after %i ms, worker thread: %s)',
    async (ms, worker) => {
      const dir = join(root, 'audit');
      await killMidWrite(dir, ms, worker);

      const newest = logFiles(dir).pop() as string;
      const path = join(dir, newest);
      const text = readFileSync(path, 'utf8');
      // If the kill landed between writes (or right after a rotation created an empty
      // file), simulate the torn write it could have caused.
      if (text === '' || text.endsWith('\n'))
        appendFileSync(path, '{"code":"VALIDATION_PASSED","codes":[],"contactKey":{"emailHm');
      const before = await verify(dir, 'crash-test-checkpoint-key');
      expect(before.find((r) => r.stream === 'decisions')?.failure?.kind).toBe('torn');
      const linesBefore = fileLines(path).length - 1;

      const { stdout, stderr } = runOnce(dir, worker);
      expect(stdout).toContain('done');
      expect(stderr).toMatch(/repaired the tail left by an interrupted write/);

      const after = await verify(dir, 'crash-test-checkpoint-key');
      for (const r of after) {
        expect({ stream: r.stream, failure: r.failure }).toEqual({
          stream: r.stream,
          failure: undefined,
        });
      }
      const decisions = after.find((r) => r.stream === 'decisions');
      expect(decisions?.lines).toBeGreaterThanOrEqual(linesBefore + 10);
      expect(after.find((r) => r.stream === 'rejections')?.lines).toBeGreaterThan(0);

      // No raw address in any audit file or in the writer's log output.
      const all = readdirSync(dir)
        .filter((n) => n.endsWith('.jsonl'))
        .map((n) => readFileSync(join(dir, n), 'utf8'))
        .join('\n');
      expect(all).not.toMatch(/@example\.org|\+49 151|person\d/);
      expect(stderr).not.toMatch(/@example\.org|\+49 151|crash-test-hmac-key/);
    },
  );
});
