import type { GenesysFailure } from '../genesys/genesys.types';
import { AppendFile, SyncStore } from './sync-store';
import { emptyCounts, type Bucket, type BucketCounts } from './sync.types';

/** One contact's final outcome, as journaled. No personal data: index, id, codes, error. */
export interface JournalOutcome {
  i: number;
  b: Exclude<Bucket, 'skipped'>;
  id: string | null;
  codes?: string[];
  error?: GenesysFailure;
}

/**
 * Journal lines (journal.jsonl, append-only):
 *  - run:    a run started (first run or a resume)
 *  - send:   a window is about to be sent ("in flight"); not fsynced, for forensics
 *  - commit: a window's final outcomes, plus the committed sizes of the retry
 *            file and rejection report; fsynced before the next window may
 *            rely on it
 *  - end:    the run finished, with its counts
 */
export type JournalEntry =
  | { t: 'run'; run: number; at: string }
  | { t: 'send'; run: number; batch: number; first: number; count: number }
  | {
      t: 'commit';
      run: number;
      batch: number;
      outcomes: JournalOutcome[];
      failedBytes: number;
      rejectedBytes: number;
    }
  | { t: 'end'; run: number; at: string; status: string; buckets: BucketCounts };

const BUCKET_CODE: Record<Exclude<Bucket, 'skipped'>, number> = {
  imported: 1,
  'updated-uncallable': 2,
  rejected: 3,
  failed: 4,
};

/** Final bucket per input index, one byte each (1M contacts = 1 MB). */
export class OutcomeMap {
  private bytes = new Uint8Array(1024);
  readonly counts: BucketCounts = emptyCounts();

  has(index: number): boolean {
    return index < this.bytes.length && (this.bytes[index] ?? 0) !== 0;
  }

  set(index: number, bucket: Exclude<Bucket, 'skipped'>): void {
    if (index >= this.bytes.length) {
      let size = this.bytes.length;
      while (size <= index) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.bytes);
      this.bytes = next;
    }
    // A contact committed twice would break "exactly one bucket": keep the first.
    if ((this.bytes[index] ?? 0) !== 0) return;
    this.bytes[index] = BUCKET_CODE[bucket];
    this.counts[bucket] += 1;
  }
}

export interface JournalState {
  outcomes: OutcomeMap;
  runs: number;
  /** Byte length of the journal up to its last complete line. */
  journalBytes: number;
  failedBytes: number;
  rejectedBytes: number;
  /** Windows that were sent but never committed (in flight at the crash). */
  inFlight: number;
  torn: boolean;
}

/** Replays a journal: what is final, and how far the side files are committed. */
export async function replayJournal(store: SyncStore, path: string): Promise<JournalState> {
  const state: JournalState = {
    outcomes: new OutcomeMap(),
    runs: 0,
    journalBytes: 0,
    failedBytes: 0,
    rejectedBytes: 0,
    inFlight: 0,
    torn: false,
  };
  const pending = new Set<string>();
  for await (const line of store.readJsonLines(path)) {
    if ('torn' in line) {
      state.torn = true;
      break;
    }
    state.journalBytes = line.endOffset;
    const entry = line.value as JournalEntry;
    switch (entry.t) {
      case 'run':
        state.runs = Math.max(state.runs, entry.run);
        break;
      case 'send':
        pending.add(`${entry.run}:${entry.batch}`);
        break;
      case 'commit':
        pending.delete(`${entry.run}:${entry.batch}`);
        for (const o of entry.outcomes) state.outcomes.set(o.i, o.b);
        state.failedBytes = Math.max(state.failedBytes, entry.failedBytes);
        state.rejectedBytes = Math.max(state.rejectedBytes, entry.rejectedBytes);
        break;
      case 'end':
        break;
    }
  }
  state.inFlight = pending.size;
  return state;
}

/**
 * Serialises commits of windows that finish out of order (concurrency > 1):
 * retry-file and rejection-report lines first, then the journal line naming
 * their committed sizes, each fsynced. A crash between the steps leaves side
 * file bytes beyond the journaled size, which a resume cuts off.
 */
export class JournalWriter {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly journal: AppendFile,
    private readonly failed: AppendFile,
    private readonly rejected: AppendFile,
  ) {}

  /** Not fsynced: losing it only loses a forensic hint. */
  mark(entry: JournalEntry): Promise<void> {
    return this.enqueue(() => this.journal.append(JSON.stringify(entry) + '\n'));
  }

  /** Durable: resolves after fsync. */
  write(entry: JournalEntry): Promise<void> {
    return this.enqueue(async () => {
      await this.journal.append(JSON.stringify(entry) + '\n');
      await this.journal.sync();
    });
  }

  commit(
    run: number,
    batch: number,
    outcomes: JournalOutcome[],
    failedLines: string,
    rejectedLines: string,
  ): Promise<void> {
    return this.enqueue(async () => {
      await this.failed.append(failedLines);
      await this.rejected.append(rejectedLines);
      await Promise.all([this.failed.sync(), this.rejected.sync()]);
      const entry: JournalEntry = {
        t: 'commit',
        run,
        batch,
        outcomes,
        failedBytes: this.failed.size,
        rejectedBytes: this.rejected.size,
      };
      await this.journal.append(JSON.stringify(entry) + '\n');
      await this.journal.sync();
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await Promise.all([this.journal.close(), this.failed.close(), this.rejected.close()]);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task);
    // Keep the chain alive after a failure; the caller still sees the rejection.
    this.queue = next.catch(() => undefined);
    return next;
  }
}
