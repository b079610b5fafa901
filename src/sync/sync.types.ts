import type { InputFormat } from '../contacts/contact-reader';
import type { PolicyRef } from '../policy/policy.types';

/** What happens to contacts the policy rejects. */
export type OnReject = 'skip' | 'mark-uncallable';
export const ON_REJECT_VALUES: readonly OnReject[] = ['skip', 'mark-uncallable'];

/** The five buckets; every contact read ends in exactly one of them. */
export type Bucket = 'imported' | 'updated-uncallable' | 'rejected' | 'skipped' | 'failed';
export const BUCKETS: readonly Bucket[] = [
  'imported',
  'updated-uncallable',
  'rejected',
  'skipped',
  'failed',
];

export type BucketCounts = Record<Bucket, number>;

export function emptyCounts(): BucketCounts {
  return { imported: 0, 'updated-uncallable': 0, rejected: 0, skipped: 0, failed: 0 };
}

/** Field-to-column renames (`--mapping`); see docs/sync.md#the-mapping-file. */
export interface ColumnMapping {
  columns: Record<string, string>;
  ignore: string[];
}

export type SyncJobStatus =
  'running' | 'completed' | 'completed-with-failures' | 'dry-run' | 'aborted' | 'interrupted';

/** Everything needed to (re)start a job; stored in job.json. */
export interface SyncJobParams {
  contactListId: string;
  input: string;
  format: InputFormat;
  /** sha256 of the input bytes, so a resume cannot silently run on another file. */
  inputDigest: string;
  onReject: OnReject;
  dryRun: boolean;
  mapping: ColumnMapping | null;
  /** Where the mapping came from (file path), for the record. */
  mappingSource: string | null;
  policy: PolicyRef;
  /** RFC 3339; fixed at job creation so a resumed run decides exactly as the first one. */
  evaluatedAt: string;
  concurrency: number;
  /** Records per window: read, validated, audited and sent together. */
  batchSize: number;
}

export interface SyncJobRecord {
  jobId: string;
  createdAt: string;
  updatedAt: string;
  status: SyncJobStatus;
  params: SyncJobParams;
  /** Number of runs (1 + resumes). */
  runs: number;
  /** Set when a run stopped on an error (e.g. AUDIT_UNAVAILABLE). */
  error?: { code: string; message: string };
}

export interface SyncProgress {
  read: number;
  validated: number;
  approved: number;
  rejected: number;
  sent: number;
  imported: number;
  failed: number;
  skipped: number;
  updatedUncallable: number;
}

export interface RejectionEntry {
  index: number;
  id: string | null;
  codes: string[];
  /** True when the contact was found in the list and set not callable. */
  markedUncallable: boolean;
}

export interface SyncSummary {
  jobId: string;
  status: SyncJobStatus;
  dryRun: boolean;
  contactListId: string;
  policy: PolicyRef;
  evaluatedAt: string;
  run: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  read: number;
  /** This run's buckets; they add up to `read`. */
  buckets: BucketCounts;
  /** Whole job (all runs): final buckets of every input record; `skipped` is always 0 here. */
  jobBuckets: BucketCounts;
  /** "N read = a imported + b updated-uncallable + ..." */
  reconciliation: string;
  balanced: boolean;
  /** The last progress counts of the run. */
  progress: SyncProgress;
  rejectedByCode: Record<string, number>;
  failedByCode: Record<string, number>;
  /** Input fields that no list column takes; reported by name only, never sent. */
  unmappedFields: string[];
  /** Dry run: one payload that would be sent, addresses masked. */
  samplePayload?: unknown;
  /** Dry run: rejected contacts that would be set not callable if they exist in the list. */
  wouldMarkUncallable?: number;
  /** Why the run stopped early (status "aborted"); the job can be resumed. */
  error?: { code: string; message: string };
  files: { dir: string; journal: string; failed: string; rejected: string; summary: string };
}
