import { appendFileSync, chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { FixedClock } from '../common/clock';
import { checkLine } from './chain-format';
import {
  fileLines,
  logFiles,
  makeWriter,
  records,
  removeDir,
  tempDir,
  verify,
} from '../../test/fixtures/audit-kit';

describe('ChainWriter', () => {
  let dir: string;
  beforeEach(() => (dir = join(tempDir(), 'audit')));
  afterEach(() => removeDir(join(dir, '..')));

  it('touches nothing on disk until the first append', async () => {
    const { writer } = makeWriter(dir);
    await writer.close();
    expect(() => statSync(dir)).toThrow();
  });

  it('writes one chained line per record, files 0600 in a 0700 directory', async () => {
    const { writer } = makeWriter(dir);
    await writer.append(records(1, 5));
    await writer.close();
    const files = logFiles(dir);
    expect(files).toEqual(['decisions-2026-03-01-000001.jsonl']);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, files[0] as string)).mode & 0o777).toBe(0o600);
    const lines = fileLines(join(dir, files[0] as string)).map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < lines.length; i++) expect(lines[i].prevHash).toBe(lines[i - 1].hash);
    const [report] = await verify(dir);
    expect(report).toMatchObject({ lines: 5, fromGenesis: true, failure: undefined });
  });

  it('groups concurrent appends into one write and settles every promise', async () => {
    const batches: number[] = [];
    const { writer } = makeWriter(dir, { onWritten: (n) => batches.push(n) });
    await Promise.all(Array.from({ length: 20 }, (_, i) => writer.append(records(i * 10, 10))));
    await writer.close();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(200);
    expect(batches.length).toBeLessThan(20);
    expect((await verify(dir))[0]).toMatchObject({ lines: 200, failure: undefined });
  });

  it.each(['always', 'off'] as const)(
    'produces the same verifiable chain with AUDIT_FSYNC=%s',
    async (fsync) => {
      const { writer } = makeWriter(dir, { fsync });
      await Promise.all([writer.append(records(1, 3)), writer.append(records(4, 3))]);
      await writer.close();
      expect((await verify(dir))[0]).toMatchObject({ lines: 6, failure: undefined });
    },
  );

  it('rotates by size and keeps the chain across files', async () => {
    const { writer } = makeWriter(dir, { rotateBytes: 2048 });
    for (let i = 0; i < 10; i++) await writer.append(records(i * 10, 10));
    await writer.append(records(1000, 40)); // one batch spanning several files
    await writer.close();
    const files = logFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const lines = fileLines(join(dir, f));
      // A file only passes the limit when one line alone does.
      expect(
        statSync(join(dir, f)).size - Buffer.byteLength(lines[lines.length - 1] as string) - 1,
      ).toBeLessThan(2048);
    }
    expect((await verify(dir))[0]).toMatchObject({
      lines: 140,
      files: files.length,
      failure: undefined,
    });
  });

  it('rotates daily by the Clock date and never back to an earlier date', async () => {
    const clock = new FixedClock(new Date('2026-03-01T23:59:59Z'));
    const { writer } = makeWriter(dir, { clock });
    await writer.append(records(1, 2));
    clock.set(new Date('2026-03-02T00:00:01Z'));
    await writer.append(records(3, 2));
    clock.set(new Date('2026-03-01T12:00:00Z')); // clock stepped back
    await writer.append(records(5, 2));
    await writer.close();
    expect(logFiles(dir)).toEqual([
      'decisions-2026-03-01-000001.jsonl',
      'decisions-2026-03-02-000001.jsonl',
    ]);
    expect(fileLines(join(dir, 'decisions-2026-03-02-000001.jsonl'))).toHaveLength(4);
    expect((await verify(dir))[0]).toMatchObject({ lines: 6, failure: undefined });
  });

  it('continues seq and prevHash after a restart', async () => {
    const first = makeWriter(dir);
    await first.writer.append(records(1, 3));
    await first.writer.close();
    const second = makeWriter(dir);
    await second.writer.append(records(4, 2));
    await second.writer.close();
    const lines = fileLines(join(dir, 'decisions-2026-03-01-000001.jsonl')).map((l) =>
      JSON.parse(l),
    );
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await verify(dir))[0]).toMatchObject({ lines: 5, failure: undefined });
    expect(
      second.log.entries.some((e) => e.msg.includes('continuing chain') && e.fields?.seq === 3),
    ).toBe(true);
  });

  it('repairs a torn last line on the next start, logs it without its content, and the chain verifies', async () => {
    const first = makeWriter(dir);
    await first.writer.append(records(1, 3));
    await first.writer.close();
    const file = join(dir, 'decisions-2026-03-01-000001.jsonl');
    const partial = '{"code":"CONSENT_MISSING","contactKey":{"phoneHm';
    appendFileSync(file, partial);
    expect((await verify(dir))[0]?.failure).toMatchObject({ kind: 'torn', line: 4 });
    const second = makeWriter(dir);
    await second.writer.append(records(4, 1));
    await second.writer.close();
    expect((await verify(dir))[0]).toMatchObject({ lines: 4, failure: undefined });
    const warn = second.log.entries.find((e) => e.level === 'warn');
    expect(warn?.fields).toMatchObject({
      reason: expect.stringMatching(/torn/),
      removedBytes: partial.length,
    });
    expect(JSON.stringify(second.log.entries)).not.toContain('phoneHm');
  });

  it('repairs a complete last line whose hash is wrong', async () => {
    const first = makeWriter(dir);
    await first.writer.append(records(1, 3));
    await first.writer.close();
    const file = join(dir, 'decisions-2026-03-01-000001.jsonl');
    const lines = fileLines(file);
    writeFileSync(
      file,
      [...lines.slice(0, 2), (lines[2] as string).replace('req-3', 'req-X')].join('\n') + '\n',
    );
    const second = makeWriter(dir);
    await second.writer.append(records(10, 1));
    await second.writer.close();
    const after = fileLines(file);
    expect(after).toHaveLength(3);
    expect(after.every((l) => checkLine(l).ok)).toBe(true);
    expect((await verify(dir))[0]).toMatchObject({ lines: 3, failure: undefined });
  });

  it('rejects with AUDIT_UNAVAILABLE when the directory cannot be written, and recovers afterwards', async () => {
    const { writer } = makeWriter(dir);
    await writer.append(records(1, 2));
    const failures: number[] = [];
    const blocked = makeWriter(join(dir, 'decisions-2026-03-01-000001.jsonl', 'sub'), {
      onFailed: () => failures.push(1),
    });
    // Root ignores permission bits, so a path below a regular file stands in for "cannot write" there.
    const err = await blocked.writer.append(records(1, 1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.AUDIT_UNAVAILABLE);
    expect(failures).toHaveLength(1);
    await writer.close();

    if (process.getuid?.() !== 0) {
      chmodSync(dir, 0o500);
      const denied = makeWriter(dir, { clock: new FixedClock(new Date('2026-03-02T00:00:00Z')) });
      const e2 = await denied.writer.append(records(3, 1)).catch((e: unknown) => e);
      expect((e2 as DomainError).code).toBe(ErrorCode.AUDIT_UNAVAILABLE);
      expect((e2 as DomainError).message).toMatch(/EACCES/);
      chmodSync(dir, 0o700);
      await denied.writer.append(records(3, 1));
      await denied.writer.close();
      expect((await verify(dir))[0]).toMatchObject({ lines: 3, failure: undefined });
    }
  });

  it('writes signed checkpoints every N lines into a sidecar', async () => {
    const { writer } = makeWriter(dir, { checkpointKey: 'cp-key', checkpointEvery: 4 });
    await writer.append(records(1, 10));
    await writer.close();
    const sidecar = readFileSync(
      join(dir, 'decisions-2026-03-01-000001.checkpoints.jsonl'),
      'utf8',
    );
    const cps = sidecar
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(cps.map((c) => c.seq)).toEqual([4, 8]);
    expect((await verify(dir, 'cp-key'))[0]).toMatchObject({
      lines: 10,
      checkpoints: 2,
      failure: undefined,
    });
  });

  it('deletes files past retention; the remaining chain still verifies from its anchor', async () => {
    const clock = new FixedClock(new Date('2026-03-01T10:00:00Z'));
    const { writer } = makeWriter(dir, { clock, retentionDays: 2 });
    for (let day = 1; day <= 5; day++) {
      clock.set(new Date(`2026-03-0${day}T10:00:00Z`));
      await writer.append(records(day * 10, 3));
    }
    await writer.close();
    expect(logFiles(dir)).toEqual([
      'decisions-2026-03-03-000001.jsonl',
      'decisions-2026-03-04-000001.jsonl',
      'decisions-2026-03-05-000001.jsonl',
    ]);
    const [report] = await verify(dir);
    expect(report).toMatchObject({ lines: 9, firstSeq: 7, fromGenesis: false, failure: undefined });
  });

  it('lets two writers (service and CLI) share a directory without forking the chain', async () => {
    const a = makeWriter(dir, { rotateBytes: 4096 });
    const b = makeWriter(dir, { rotateBytes: 4096 });
    for (let i = 0; i < 10; i++) {
      await Promise.all([
        a.writer.append(records(i * 100, 7)),
        b.writer.append(records(i * 100 + 50, 3)),
      ]);
    }
    await Promise.all([a.writer.close(), b.writer.close()]);
    const [report] = await verify(dir);
    expect(report?.failure).toBeUndefined();
    expect(report?.lines).toBe(100);
    expect(logFiles(dir).length).toBeGreaterThan(1);
  });

  it('breaks a lock left behind by a killed process', async () => {
    const first = makeWriter(dir);
    await first.writer.append(records(1, 1));
    await first.writer.close();
    writeFileSync(join(dir, 'decisions.lock'), '2147483646'); // no such pid
    const second = makeWriter(dir);
    await second.writer.append(records(2, 1));
    await second.writer.close();
    expect((await verify(dir))[0]).toMatchObject({ lines: 2, failure: undefined });
  });
});
