import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import {
  chmod,
  mkdir,
  open,
  readFile,
  rename,
  rm,
  stat,
  truncate,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { SyncJobRecord, SyncSummary } from './sync.types';

const JOB_ID = /^\d{4}-\d{2}-\d{2}T\d{6}Z-[0-9a-f]{6}$/;

export interface JobPaths {
  dir: string;
  job: string;
  journal: string;
  summary: string;
  failed: string;
  rejected: string;
  spool: string;
}

/**
 * Every file the sync job touches, behind one injectable class: the job
 * directory (0700), job.json, the journal, the retry file and rejection
 * report (0600), NDJSON spools of HTTP uploads, and per-list locks.
 */
@Injectable()
export class SyncStore {
  constructor(private readonly config: AppConfig) {}

  get root(): string {
    return this.config.sync.dir;
  }

  paths(jobId: string): JobPaths {
    if (!JOB_ID.test(jobId))
      throw new DomainError(ErrorCode.SYNC_JOB_NOT_FOUND, `No sync job ${JSON.stringify(jobId)}.`);
    const dir = join(this.root, jobId);
    return {
      dir,
      job: join(dir, 'job.json'),
      journal: join(dir, 'journal.jsonl'),
      summary: join(dir, 'summary.json'),
      failed: join(dir, 'failed.ndjson'),
      rejected: join(dir, 'rejected.ndjson'),
      spool: join(dir, 'input.ndjson'),
    };
  }

  async createJobDir(jobId: string): Promise<JobPaths> {
    const p = this.paths(jobId);
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await mkdir(p.dir, { mode: 0o700 });
    return p;
  }

  async removeJobDir(jobId: string): Promise<void> {
    await rm(this.paths(jobId).dir, { recursive: true, force: true });
  }

  async writeJob(record: SyncJobRecord): Promise<void> {
    await this.writeJsonAtomic(this.paths(record.jobId).job, record);
  }

  async readJob(jobId: string): Promise<SyncJobRecord> {
    try {
      return JSON.parse(await readFile(this.paths(jobId).job, 'utf8')) as SyncJobRecord;
    } catch (e) {
      if (e instanceof DomainError) throw e;
      throw new DomainError(ErrorCode.SYNC_JOB_NOT_FOUND, `No sync job ${jobId} in ${this.root}.`);
    }
  }

  async writeSummary(summary: SyncSummary): Promise<void> {
    await this.writeJsonAtomic(this.paths(summary.jobId).summary, summary);
  }

  async readSummary(jobId: string): Promise<SyncSummary | undefined> {
    try {
      return JSON.parse(await readFile(this.paths(jobId).summary, 'utf8')) as SyncSummary;
    } catch {
      return undefined;
    }
  }

  /** sha256 of a file's bytes and its line count (for the progress ETA), streamed. */
  async digestFile(path: string): Promise<{ digest: string; lines: number }> {
    const hash = createHash('sha256');
    let lines = 0;
    try {
      for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      }
    } catch (e) {
      throw new DomainError(
        ErrorCode.SYNC_INPUT_INVALID,
        `Cannot read input ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
    return { digest: `sha256:${hash.digest('hex')}`, lines };
  }

  /** Spools an upload to the job directory (0600) so the job survives a restart; returns its digest. */
  async spool(
    jobId: string,
    source: NodeJS.ReadableStream,
  ): Promise<{ path: string; digest: string }> {
    const path = this.paths(jobId).spool;
    const hash = createHash('sha256');
    const out = createWriteStream(path, { mode: 0o600, flags: 'wx' });
    await pipeline(
      source,
      async function* (chunks: AsyncIterable<Buffer | string>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          yield chunk;
        }
      },
      out,
    );
    return { path, digest: `sha256:${hash.digest('hex')}` };
  }

  /** Writes already-parsed contacts as NDJSON (JSON request bodies). */
  async spoolContacts(
    jobId: string,
    contacts: readonly unknown[],
  ): Promise<{ path: string; digest: string }> {
    const text =
      contacts.map((c) => JSON.stringify(c ?? null)).join('\n') + (contacts.length ? '\n' : '');
    const path = this.paths(jobId).spool;
    await writeFile(path, text, { mode: 0o600, flag: 'wx' });
    return { path, digest: `sha256:${createHash('sha256').update(text).digest('hex')}` };
  }

  /** Opens an append-only 0600 file, first cutting it to `size` (drops lines a crash left uncommitted). */
  async openAppend(path: string, size: number): Promise<AppendFile> {
    const fh = await open(path, 'a', 0o600);
    await chmod(path, 0o600);
    const { size: current } = await fh.stat();
    if (current > size) await truncate(path, size);
    return new AppendFile(fh, Math.min(current, size));
  }

  /** Lines of a JSONL file; a torn (unparsable) last line is reported, not thrown. */
  async *readJsonLines(
    path: string,
  ): AsyncGenerator<{ value: unknown; endOffset: number } | { torn: true }> {
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      return;
    }
    if (size === 0) return;
    const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    let offset = 0;
    for await (const line of rl) {
      offset += Buffer.byteLength(line) + 1;
      if (line.trim() === '') continue;
      // A last line without its newline was cut by a crash mid-write: treat it as torn.
      if (offset > size) {
        yield { torn: true };
        return;
      }
      try {
        yield { value: JSON.parse(line) as unknown, endOffset: offset };
      } catch {
        yield { torn: true };
        return;
      }
    }
  }

  /**
   * One running job per contact list across processes (CLI and service). The
   * lock file names the holder's pid; a lock whose process is gone (kill -9)
   * is stale and taken over.
   */
  async acquireListLock(contactListId: string, jobId: string): Promise<() => Promise<void>> {
    const dir = join(this.root, 'locks');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = this.lockPath(contactListId);
    const body = JSON.stringify({ pid: process.pid, jobId, contactListId });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(path, body, { flag: 'wx', mode: 0o600 });
        return async () => {
          await rm(path, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = await readFile(path, 'utf8')
          .then((t) => JSON.parse(t) as { pid?: number; jobId?: string })
          .catch((): { pid?: number; jobId?: string } => ({}));
        if (holder.pid !== undefined && processAlive(holder.pid)) {
          throw new DomainError(
            ErrorCode.SYNC_JOB_CONFLICT,
            `Sync job ${holder.jobId ?? '?'} is already running for contact list ${contactListId}; one job at a time per list.`,
            { extra: { runningJobId: holder.jobId ?? null, contactListId } },
          );
        }
        await rm(path, { force: true });
      }
    }
    throw new DomainError(
      ErrorCode.SYNC_JOB_CONFLICT,
      `Could not lock contact list ${contactListId}.`,
    );
  }

  /** True when a live process holds the list's lock for this job. */
  async isListLocked(contactListId: string, jobId: string): Promise<boolean> {
    try {
      const holder = JSON.parse(await readFile(this.lockPath(contactListId), 'utf8')) as {
        pid?: number;
        jobId?: string;
      };
      return holder.jobId === jobId && holder.pid !== undefined && processAlive(holder.pid);
    } catch {
      return false;
    }
  }

  private lockPath(contactListId: string): string {
    const name = createHash('sha256').update(contactListId).digest('hex').slice(0, 32);
    return join(this.root, 'locks', `${name}.lock`);
  }

  private async writeJsonAtomic(path: string, value: unknown): Promise<void> {
    const tmp = `${path}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(value, null, 2) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An append-only file with its committed size and an explicit fsync. */
export class AppendFile {
  private dirty = false;
  constructor(
    private readonly fh: FileHandle,
    private bytes: number,
  ) {}

  get size(): number {
    return this.bytes;
  }

  async append(text: string): Promise<void> {
    if (text.length === 0) return;
    const buf = Buffer.from(text, 'utf8');
    await this.fh.write(buf, 0, buf.length, null);
    this.bytes += buf.length;
    this.dirty = true;
  }

  async sync(): Promise<void> {
    if (!this.dirty) return;
    await this.fh.sync();
    this.dirty = false;
  }

  async close(): Promise<void> {
    await this.sync();
    await this.fh.close();
  }
}
