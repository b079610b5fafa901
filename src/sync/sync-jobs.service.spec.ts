import { FixedClock } from '../common/clock';
import { AppLogger } from '../common/logging/app-logger';
import { loadAppConfig } from '../config/config.module';
import { SyncJobsService } from './sync-jobs.service';
import type { PreparedJob, SyncPreparer } from './sync-preparer';
import type { SyncRunner } from './sync-runner';
import type { SyncStore } from './sync-store';
import type { SyncJobRecord, SyncSummary } from './sync.types';

describe('SyncJobsService', () => {
  it('reports a job it runs as "running" until the job has let go of its list', async () => {
    const record = {
      jobId: 'job-1',
      createdAt: '2026-12-04T20:15:00.000Z',
      updatedAt: '2026-12-04T20:15:00.000Z',
      status: 'interrupted',
      params: { contactListId: 'list-1', dryRun: false, onReject: 'skip' },
      runs: 1,
    } as unknown as SyncJobRecord;
    // What the disk says: the runner writes the final status before it releases the list.
    const store = {
      readJob: () => Promise.resolve(record),
      readSummary: () => Promise.resolve(undefined),
      isListLocked: () => Promise.resolve(true),
    } as unknown as SyncStore;
    const preparer = {
      resume: () => Promise.resolve({ record: { ...record, status: 'running' } } as PreparedJob),
    } as unknown as SyncPreparer;
    let finish: () => void = () => undefined;
    const runner = {
      run: () =>
        new Promise<SyncSummary>((resolve) => {
          finish = () => resolve({} as SyncSummary);
        }),
    } as unknown as SyncRunner;
    const config = loadAppConfig({ LOG_LEVEL: 'silent' });
    const jobs = new SyncJobsService(
      new FixedClock(new Date('2026-12-04T20:15:00Z')),
      store,
      preparer,
      runner,
      new AppLogger(config),
    );

    await jobs.resume('job-1');
    record.status = 'completed';
    // Final status on disk, run not yet settled: a caller must not see "completed" and
    // then get 409 SYNC_JOB_CONFLICT for the next job on the list.
    expect((await jobs.get('job-1')).status).toBe('running');
    await expect(jobs.resume('job-1')).rejects.toMatchObject({ code: 'SYNC_JOB_CONFLICT' });

    finish();
    await jobs.idle();
    expect((await jobs.get('job-1')).status).toBe('completed');
  });
});
