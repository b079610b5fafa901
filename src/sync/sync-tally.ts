import {
  BUCKETS,
  emptyCounts,
  type Bucket,
  type BucketCounts,
  type SyncProgress,
  type SyncSummary,
} from './sync.types';

type SummaryFields = Omit<
  SyncSummary,
  | 'read'
  | 'buckets'
  | 'jobBuckets'
  | 'reconciliation'
  | 'balanced'
  | 'rejectedByCode'
  | 'failedByCode'
  | 'progress'
>;

/** Counts of one run and of the whole job; the source of progress lines and the summary. */
export class SyncTally {
  readonly run: BucketCounts = emptyCounts();
  readonly job: BucketCounts;
  readonly progressCounts: SyncProgress = {
    read: 0,
    validated: 0,
    approved: 0,
    rejected: 0,
    sent: 0,
    imported: 0,
    failed: 0,
    skipped: 0,
    updatedUncallable: 0,
  };
  private readonly rejectedByCode: Record<string, number> = {};
  private readonly failedByCode: Record<string, number> = {};

  constructor(prior?: BucketCounts) {
    this.job = { ...(prior ?? emptyCounts()), skipped: 0 };
  }

  skip(): void {
    this.run.skipped += 1;
    this.progressCounts.skipped += 1;
  }

  record(bucket: Exclude<Bucket, 'skipped'>, code?: string): void {
    this.run[bucket] += 1;
    this.job[bucket] += 1;
    switch (bucket) {
      case 'imported':
        this.progressCounts.imported += 1;
        break;
      case 'updated-uncallable':
        this.progressCounts.updatedUncallable += 1;
        if (code) bump(this.rejectedByCode, code);
        break;
      case 'rejected':
        if (code) bump(this.rejectedByCode, code);
        break;
      case 'failed':
        this.progressCounts.failed += 1;
        if (code) bump(this.failedByCode, code);
        break;
    }
  }

  progress(): SyncProgress {
    return { ...this.progressCounts };
  }

  summary(fields: SummaryFields): SyncSummary {
    const read = this.progressCounts.read;
    const total = BUCKETS.reduce((n, b) => n + this.run[b], 0);
    const parts = BUCKETS.map((b) => `${this.run[b]} ${b}`).join(' + ');
    const balanced = total === read;
    const reconciliation = balanced
      ? `${read} read = ${parts}`
      : `${read} read = ${parts} + ${read - total} unfinished (resume the job to finish them)`;
    return {
      ...fields,
      read,
      buckets: { ...this.run },
      jobBuckets: { ...this.job },
      reconciliation,
      balanced,
      progress: this.progress(),
      rejectedByCode: { ...this.rejectedByCode },
      failedByCode: { ...this.failedByCode },
    };
  }
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}
