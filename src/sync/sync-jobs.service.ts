import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { AppLogger } from '../common/logging/app-logger';
import { newJobId } from './sync-job-id';
import { SyncPreparer, type PreparedJob, type SyncRequest } from './sync-preparer';
import { SyncRunner } from './sync-runner';
import { SyncStore } from './sync-store';
import type { SyncJobStatus, SyncProgress, SyncSummary } from './sync.types';

export interface SyncJobView {
  jobId: string;
  status: SyncJobStatus;
  contactListId: string;
  dryRun: boolean;
  onReject: string;
  policy: { id: string; version: string; digest: string };
  evaluatedAt: string;
  createdAt: string;
  updatedAt: string;
  runs: number;
  progress: SyncProgress | null;
  summary: SyncSummary | null;
  error?: { code: string; message: string };
  links: { self: string };
}

export type UploadSource =
  | { kind: 'contacts'; contacts: readonly unknown[] }
  | { kind: 'stream'; stream: NodeJS.ReadableStream };

interface Running {
  listId: string;
  progress: SyncProgress | null;
  done: Promise<void>;
}

/**
 * Background sync jobs for the HTTP service: spools the upload into the job
 * directory (so `consent-gate sync --resume` can finish it after a restart),
 * prepares the job while the caller waits (column and policy problems are
 * answered immediately), then runs it in this process. One job per list.
 */
@Injectable()
export class SyncJobsService implements OnApplicationShutdown {
  private readonly running = new Map<string, Running>();

  constructor(
    private readonly clock: Clock,
    private readonly store: SyncStore,
    private readonly preparer: SyncPreparer,
    private readonly runner: SyncRunner,
    private readonly logger: AppLogger,
  ) {}

  async start(
    params: Omit<SyncRequest, 'input' | 'format' | 'jobId' | 'inputDigest'>,
    source: UploadSource,
  ): Promise<{ jobId: string; status: SyncJobStatus }> {
    this.assertListFree(params.contactListId);
    const jobId = newJobId(this.clock.now());
    await this.store.createJobDir(jobId);
    let prepared;
    try {
      const spooled =
        source.kind === 'contacts'
          ? await this.store.spoolContacts(jobId, source.contacts)
          : await this.store.spool(jobId, source.stream);
      // Checked again after the (possibly long) upload: another job may have started meanwhile.
      this.assertListFree(params.contactListId);
      prepared = await this.preparer.prepare({
        ...params,
        input: spooled.path,
        format: 'ndjson',
        inputDigest: spooled.digest,
        jobId,
      });
    } catch (e) {
      await this.store.removeJobDir(jobId).catch(() => undefined);
      throw e;
    }
    return this.launch(jobId, prepared);
  }

  /**
   * Continues an interrupted or stopped job (the HTTP twin of `consent-gate sync
   * --resume`): same spooled input (digest checked), same policy version and instant;
   * contacts the journal shows as finished are not sent again.
   */
  async resume(jobId: string): Promise<{ jobId: string; status: SyncJobStatus }> {
    if (this.running.has(jobId))
      throw new DomainError(ErrorCode.SYNC_JOB_CONFLICT, `Sync job ${jobId} is running.`, {
        extra: { runningJobId: jobId },
      });
    const record = await this.store.readJob(jobId);
    this.assertListFree(record.params.contactListId);
    return this.launch(jobId, await this.preparer.resume(jobId));
  }

  private launch(jobId: string, prepared: PreparedJob): { jobId: string; status: SyncJobStatus } {
    const entry: Running = {
      listId: prepared.record.params.contactListId,
      progress: null,
      done: Promise.resolve(),
    };
    entry.done = this.runner
      .run(prepared, { onProgress: (p) => (entry.progress = p) })
      .then(() => undefined)
      .catch((e: unknown) => {
        this.logger.child('SyncJobs').error('sync job crashed', { jobId, error: e });
      })
      .finally(() => this.running.delete(jobId));
    this.running.set(jobId, entry);
    return { jobId, status: prepared.record.status };
  }

  async get(jobId: string): Promise<SyncJobView> {
    const record = await this.store.readJob(jobId);
    const live = this.running.get(jobId);
    const summary = (await this.store.readSummary(jobId)) ?? null;
    // A job this process runs is "running" until it has let go of its list: the
    // runner writes the final status to disk just before it releases the list, and a
    // caller who reads that status may start the next job for the list at once.
    let status: SyncJobStatus = live ? 'running' : record.status;
    // "running" on disk but not in this process and its lock is gone: the process died.
    if (
      status === 'running' &&
      !live &&
      !(await this.store.isListLocked(record.params.contactListId, jobId))
    )
      status = 'interrupted';
    const view: SyncJobView = {
      jobId,
      status,
      contactListId: record.params.contactListId,
      dryRun: record.params.dryRun,
      onReject: record.params.onReject,
      policy: record.params.policy,
      evaluatedAt: record.params.evaluatedAt,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      runs: record.runs,
      progress: live?.progress ?? summary?.progress ?? null,
      summary: live ? null : summary,
      links: { self: `/v1/sync-jobs/${jobId}` },
    };
    if (record.error) view.error = record.error;
    return view;
  }

  /** Resolves once every job started by this process has settled (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  async onApplicationShutdown(): Promise<void> {
    // Jobs keep their journal; an unfinished one shows as "interrupted" and can be resumed.
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  private assertListFree(listId: string): void {
    for (const [jobId, r] of this.running) {
      if (r.listId === listId)
        throw new DomainError(
          ErrorCode.SYNC_JOB_CONFLICT,
          `Sync job ${jobId} is already running for contact list ${listId}; one job at a time per list.`,
          { extra: { runningJobId: jobId, contactListId: listId } },
        );
    }
  }
}
