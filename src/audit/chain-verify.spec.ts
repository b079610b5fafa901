import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChainLine } from './chain-format';
import { checkpointLine } from './checkpoints';
import {
  fileLines,
  logFiles,
  makeWriter,
  record,
  records,
  removeDir,
  tempDir,
  verify,
} from '../../test/fixtures/audit-kit';

const FILE1 = 'decisions-2026-03-01-000001.jsonl';

/** A log of 30 lines over 3 files (rotation by size) with a checkpoint every 5 lines. */
async function writeLog(dir: string, checkpointKey?: string): Promise<string[]> {
  const { writer } = makeWriter(dir, { rotateBytes: 1500, checkpointKey, checkpointEvery: 5 });
  for (let i = 0; i < 6; i++) await writer.append(records(i * 5 + 1, 5));
  await writer.close();
  return logFiles(dir);
}

function rewrite(path: string, edit: (lines: string[]) => string[]): void {
  writeFileSync(path, edit(fileLines(path)).join('\n') + '\n');
}

describe('audit chain verification', () => {
  let dir: string;
  let files: string[];
  beforeEach(async () => {
    dir = tempDir();
    files = await writeLog(dir);
  });
  afterEach(() => removeDir(dir));

  const failure = async (key?: string) => (await verify(dir, key))[0]?.failure;

  it('passes an untouched log across rotated files', async () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    const [r] = await verify(dir);
    expect(r).toMatchObject({
      lines: 30,
      files: files.length,
      firstSeq: 1,
      lastSeq: 30,
      fromGenesis: true,
    });
    expect(r?.failure).toBeUndefined();
  });

  it('finds one changed byte, with its file and line', async () => {
    const path = join(dir, files[1] as string);
    const buf = readFileSync(path);
    const lineStarts = [0, ...[...buf.entries()].filter(([, b]) => b === 0x0a).map(([i]) => i + 1)];
    const at = (lineStarts[2] as number) + 20; // inside line 3
    buf[at] = buf[at] === 0x31 ? 0x32 : 0x31;
    writeFileSync(path, buf);
    expect(await failure()).toMatchObject({ file: files[1], line: 3, kind: 'altered' });
  });

  it('finds one deleted line', async () => {
    rewrite(join(dir, FILE1), (l) => [...l.slice(0, 3), ...l.slice(4)]);
    expect(await failure()).toMatchObject({ file: FILE1, line: 4, kind: 'deleted' });
    expect((await failure())?.message).toMatch(/1 line missing before this line \(seq 4\)/);
  });

  it('finds two swapped lines', async () => {
    rewrite(join(dir, FILE1), (l) => [l[0], l[1], l[3], l[2], ...l.slice(4)] as string[]);
    expect(await failure()).toMatchObject({ file: FILE1, line: 3, kind: 'reordered' });
  });

  it('finds an inserted copy of another line', async () => {
    rewrite(join(dir, FILE1), (l) => [...l.slice(0, 4), l[1] as string, ...l.slice(4)]);
    expect(await failure()).toMatchObject({ file: FILE1, line: 5, kind: 'inserted' });
  });

  it('finds an inserted line forged with a correct hash and chain link', async () => {
    rewrite(join(dir, FILE1), (l) => {
      const prev = JSON.parse(l[1] as string);
      const forged = buildChainLine(record(999), prev.seq + 1, prev.hash).line.slice(0, -1);
      return [l[0], l[1], forged, ...l.slice(2)] as string[];
    });
    expect(await failure()).toMatchObject({ file: FILE1, line: 3, kind: 'inserted' });
  });

  it('finds a line altered and re-hashed', async () => {
    rewrite(join(dir, FILE1), (l) => {
      const rec = JSON.parse(l[2] as string);
      const forged = buildChainLine(record(777), rec.seq, rec.prevHash).line.slice(0, -1);
      return [l[0], l[1], forged, ...l.slice(3)] as string[];
    });
    expect(await failure()).toMatchObject({ file: FILE1, line: 3, kind: 'altered' });
  });

  it('finds a deleted file in the middle of the chain', async () => {
    rmSync(join(dir, files[1] as string));
    expect(await failure()).toMatchObject({ file: files[2], line: 1, kind: 'deleted' });
  });

  it('accepts deleting the oldest files (retention) and anchors on the first remaining line', async () => {
    rmSync(join(dir, files[0] as string));
    rmSync(join(dir, (files[0] as string).replace('.jsonl', '.checkpoints.jsonl')), {
      force: true,
    });
    const [r] = await verify(dir);
    expect(r?.failure).toBeUndefined();
    expect(r?.fromGenesis).toBe(false);
    expect(r?.anchor).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports an unfinished last line as torn', async () => {
    const last = join(dir, files[files.length - 1] as string);
    writeFileSync(last, readFileSync(last, 'utf8') + '{"code":"CONS');
    const lines = fileLines(last).length;
    expect(await failure()).toMatchObject({
      file: files[files.length - 1],
      line: lines,
      kind: 'torn',
    });
  });
});

describe('signed checkpoints', () => {
  let dir: string;
  let files: string[];
  beforeEach(async () => {
    dir = tempDir();
    files = await writeLog(dir, 'cp-secret');
  });
  afterEach(() => removeDir(dir));

  it('pass on an untouched log and are counted', async () => {
    const [r] = await verify(dir, 'cp-secret');
    expect(r?.failure).toBeUndefined();
    expect(r).toMatchObject({ checkpoints: 6, checkpointsSigned: true });
  });

  it('detect lines cut off the end', async () => {
    const last = join(dir, files[files.length - 1] as string);
    const lines = fileLines(last);
    writeFileSync(last, lines.slice(0, -2).join('\n') + '\n');
    const f = await failure(dir, 'cp-secret');
    expect(f).toMatchObject({
      file: files[files.length - 1],
      line: lines.length - 2,
      kind: 'truncated',
    });
    expect(f?.message).toMatch(/ends at seq 28 .* checkpoint for seq 30/);
  });

  it('detect a forged checkpoint signature', async () => {
    const sidecar = join(dir, (files[0] as string).replace('.jsonl', '.checkpoints.jsonl'));
    const cp = JSON.parse(fileLines(sidecar)[0] as string);
    writeFileSync(sidecar, checkpointLine('wrong-key', 'decisions', cp.seq, cp.hash, cp.ts));
    expect(await failure(dir, 'cp-secret')).toMatchObject({ kind: 'checkpoint' });
    expect((await verify(dir))[0]?.checkpointsSigned).toBe(false);
  });
});

async function failure(dir: string, key?: string) {
  return (await verify(dir, key))[0]?.failure;
}
