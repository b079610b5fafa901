import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { AuditFsyncMode } from '../config/env.schema';
import { buildChunks, MAX_SPARE_BYTES, type Chunk } from './chain-chunks';
import { GENESIS_HASH, type ChainRecord } from './chain-format';
import { checkpointFileName, listChainFiles, logFileName, utcDate } from './chain-files';
import { ChainLock } from './chain-lock';
import { recoverTail, repairSidecarTail } from './chain-recovery';
import { errnoText, syncDir, writeAll } from './file-io';
import type { LineBuffer } from './line-buffer';
import { applyRetention } from './retention';

export interface ChainWriterLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface ChainWriterOptions {
  dir: string;
  /** File name prefix and chain name: decisions, rejections, comparisons. */
  stream: string;
  fsync: AuditFsyncMode;
  rotateBytes: number;
  retentionDays: number;
  /** Signed checkpoints are written only when a key is set and checkpointEvery > 0. */
  checkpointKey?: string;
  checkpointEvery: number;
  clock: Clock;
  log: ChainWriterLog;
  /** Called after each durable batch (lines, seconds incl. fsync) and on each failed one. */
  onWritten?: (lines: number, seconds: number) => void;
  onFailed?: () => void;
}

interface OpenFile {
  fh: FileHandle;
  name: string;
  date: string;
  index: number;
  size: number;
  checkpoints?: FileHandle;
}

interface Pending {
  records: readonly ChainRecord[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Appends hash-chained JSONL lines to one stream of files. Group commit: append()
 * calls that arrive while a write is in flight are written together, as one
 * write and one fsync, and all their promises settle after it. Nothing touches
 * the disk before the first append (so `audit verify` never opens for writing);
 * the first append restores seq/prevHash from the newest file, repairing a torn
 * tail left by a crash. After any I/O failure the writer forgets its state and
 * restores it from disk on the next append, so a half-written batch is repaired
 * rather than chained onto.
 */
export class ChainWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private file: OpenFile | undefined;
  private ready = false;
  private seq = 0;
  private prevHash = GENESIS_HASH;
  private readonly lock: ChainLock;
  /**
   * The first chunk's buffer, reused batch after batch (batches are written one at a
   * time): a 1000-line chunk per stream chunk would otherwise allocate a fresh
   * megabyte each time, which showed up as peak RSS of the 1M-line stream.
   */
  private spare: LineBuffer | undefined;

  constructor(private readonly opts: ChainWriterOptions) {
    this.lock = new ChainLock(join(opts.dir, `${opts.stream}.lock`));
  }

  append(records: readonly ChainRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.flushing ??= this.flushLoop();
    });
  }

  /** Restores seq/prevHash and repairs a torn tail now (service start-up) rather than on the first append. */
  async prepare(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.ready) return;
    await mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    await this.lock.acquire();
    try {
      const now = this.opts.clock.now();
      if (!this.ready) await this.restore(now, utcDate(now));
    } finally {
      await this.lock.release();
    }
  }

  /** Waits for pending writes, then closes the files. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.closeFile();
    this.ready = false;
  }

  private async flushLoop(): Promise<void> {
    // Let appends issued in the same tick join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const records: ChainRecord[] = [];
      for (const p of batch) for (const r of p.records) records.push(r);
      try {
        await this.writeBatch(records);
        for (const p of batch) p.resolve();
      } catch (e) {
        const err = await this.fail(e);
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = undefined;
  }

  private async writeBatch(records: readonly ChainRecord[]): Promise<void> {
    const started = performance.now();
    const now = this.opts.clock.now();
    const today = utcDate(now);
    if (!this.ready) await mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    await this.lock.acquire();
    try {
      if (this.ready && (await this.changedByOthers())) {
        await this.closeFile();
        this.ready = false;
      }
      if (!this.ready) await this.restore(now, today);
      let file = this.file as OpenFile;
      if (today > file.date) file = await this.rotate(now, today);

      const { rotateBytes, checkpointKey, checkpointEvery, stream } = this.opts;
      const spare = this.spare;
      this.spare = undefined;
      const chunks = buildChunks(
        records,
        { seq: this.seq, prevHash: this.prevHash, fileSize: file.size },
        { rotateBytes, checkpointKey, checkpointEvery, stream, ts: now.toISOString() },
        spare,
      );
      for (const chunk of chunks) {
        if (chunk.rotateFirst) file = await this.rotate(now, file.date);
        await this.writeChunk(file, chunk);
        this.seq = chunk.lastSeq;
        this.prevHash = chunk.lastHash;
      }
      const written = chunks[0]?.bytes;
      if (written !== undefined && written.capacity <= MAX_SPARE_BYTES) this.spare = written;
    } finally {
      await this.lock.release();
    }
    this.opts.onWritten?.(records.length, (performance.now() - started) / 1000);
  }

  private async writeChunk(file: OpenFile, chunk: Chunk): Promise<void> {
    if (this.opts.fsync === 'always') {
      for (const line of chunk.bytes.lines()) {
        file.size += await writeAll(file.fh, line);
        await file.fh.datasync();
      }
    } else {
      file.size += await writeAll(file.fh, chunk.bytes.view());
      if (this.opts.fsync === 'batch') await file.fh.datasync();
    }
    if (chunk.checkpoints.length > 0) {
      file.checkpoints ??= await open(
        join(this.opts.dir, checkpointFileName(file.name)),
        'a',
        0o600,
      );
      await writeAll(file.checkpoints, chunk.checkpoints);
      if (this.opts.fsync !== 'off') await file.checkpoints.datasync();
    }
  }

  /**
   * True when another process wrote to this stream since our last batch: our
   * file grew, or a newer file exists. Then the head is re-read from disk.
   */
  private async changedByOthers(): Promise<boolean> {
    const f = this.file as OpenFile;
    if ((await f.fh.stat()).size !== f.size) return true;
    const files = (await listChainFiles(this.opts.dir)).get(this.opts.stream) ?? [];
    return files[files.length - 1]?.name !== f.name;
  }

  private async restore(now: Date, today: string): Promise<void> {
    const { dir, stream, log } = this.opts;
    const files = (await listChainFiles(dir)).get(stream) ?? [];
    const tail = await recoverTail(dir, files);
    const newest = files[files.length - 1];
    if (newest) {
      const cp = await repairSidecarTail(join(dir, checkpointFileName(newest.name)), newest.name);
      if (cp) tail.repairs.push(cp);
    }
    for (const r of tail.repairs) {
      log.warn('audit log: repaired the tail left by an interrupted write', { stream, ...r });
    }
    this.seq = tail.seq;
    this.prevHash = tail.hash;
    this.file = newest
      ? await this.openFile(newest.date, newest.index)
      : await this.openFile(today, 1);
    this.ready = true;
    if (tail.seq > 0)
      log.info('audit log: continuing chain', { stream, seq: tail.seq, file: this.file.name });
    await this.retain(now);
  }

  private async rotate(now: Date, date: string): Promise<OpenFile> {
    const current = this.file as OpenFile;
    const index = date === current.date ? current.index + 1 : 1;
    await this.closeFile();
    this.file = await this.openFile(date, index);
    if (date !== current.date) await this.retain(now);
    return this.file;
  }

  private async openFile(date: string, index: number): Promise<OpenFile> {
    const name = logFileName(this.opts.stream, date, index);
    const fh = await open(join(this.opts.dir, name), 'a', 0o600);
    const size = (await fh.stat()).size;
    if (size === 0 && this.opts.fsync !== 'off') await syncDir(this.opts.dir);
    return { fh, name, date, index, size };
  }

  private async retain(now: Date): Promise<void> {
    const { dir, stream, retentionDays, log } = this.opts;
    if (retentionDays <= 0) return;
    try {
      const files = (await listChainFiles(dir)).get(stream) ?? [];
      const deleted = await applyRetention(dir, files, now, retentionDays, this.file?.name);
      if (deleted.length > 0) {
        log.info('audit log: deleted files past retention', { stream, retentionDays, deleted });
      }
    } catch (e) {
      // Retention must never stop decisions from being audited.
      log.warn('audit log: retention clean-up failed', { stream, error: errnoText(e) });
    }
  }

  private async closeFile(): Promise<void> {
    const f = this.file;
    this.file = undefined;
    if (!f) return;
    await f.fh.close().catch(() => undefined);
    await f.checkpoints?.close().catch(() => undefined);
  }

  private async fail(e: unknown): Promise<DomainError> {
    this.ready = false;
    await this.closeFile();
    this.opts.onFailed?.();
    const reason = errnoText(e);
    this.opts.log.error('audit log: write failed; decisions are refused until it recovers', {
      stream: this.opts.stream,
      dir: this.opts.dir,
      error: reason,
    });
    return new DomainError(
      ErrorCode.AUDIT_UNAVAILABLE,
      `The audit log cannot be written (${reason}).`,
      {
        cause: e,
      },
    );
  }
}
