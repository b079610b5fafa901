import type { JournalOutcome, JournalWriter } from './sync-journal';
import type {
  SendItem,
  SendOutcome,
  SyncSender,
  UncallableItem,
  UncallableOutcome,
} from './sync-sender';
import type { SyncTally } from './sync-tally';
import type { RejectionEntry } from './sync.types';

export interface RejectedItem {
  index: number;
  id: string | null;
  codes: string[];
  /** Waiting for mark-uncallable to say whether the contact existed in the list. */
  pendingUncallable?: boolean;
}

/**
 * Sends one window and commits its outcomes: every contact of the window gets
 * exactly one bucket, written to the journal (with the retry-file and
 * rejection-report lines) before it is counted.
 */
export class WindowCommitter {
  constructor(
    private readonly writer: JournalWriter,
    private readonly tally: SyncTally,
    private readonly sender: SyncSender,
    private readonly run: number,
    private readonly dryRun: boolean,
  ) {}

  async sendAndCommit(
    batch: number,
    first: number,
    toSend: SendItem[],
    rejected: RejectedItem[],
    uncallable: UncallableItem[],
  ): Promise<void> {
    const sends = !this.dryRun && toSend.length + uncallable.length > 0;
    if (sends)
      await this.writer.mark({
        t: 'send',
        run: this.run,
        batch,
        first,
        count: toSend.length + uncallable.length,
      });
    const sent = this.dryRun ? new Map<number, SendOutcome>() : await this.sender.send(toSend);
    this.tally.progressCounts.sent += this.dryRun ? 0 : toSend.length;
    const marked = this.dryRun
      ? new Map<number, UncallableOutcome>()
      : await this.sender.markUncallable(uncallable);
    const contactOf = new Map(uncallable.map((u) => [u.index, u.contact]));

    const outcomes: JournalOutcome[] = [];
    let failedLines = '';
    let rejectedLines = '';
    const reject = (r: RejectedItem, markedUncallable: boolean): void => {
      const entry: RejectionEntry = { index: r.index, id: r.id, codes: r.codes, markedUncallable };
      rejectedLines += JSON.stringify(entry) + '\n';
    };
    for (const item of toSend) {
      const result: SendOutcome | undefined =
        sent.get(item.index) ?? (this.dryRun ? { ok: true } : undefined);
      if (result?.ok) {
        outcomes.push({ i: item.index, b: 'imported', id: item.id });
      } else {
        const error = result?.error ?? { code: 'GENESYS_ERROR', message: 'no result' };
        outcomes.push({ i: item.index, b: 'failed', id: item.id, error });
        failedLines += JSON.stringify(item.contact) + '\n';
      }
    }
    for (const r of rejected) {
      const m = r.pendingUncallable ? marked.get(r.index) : undefined;
      if (m?.kind === 'updated') {
        outcomes.push({ i: r.index, b: 'updated-uncallable', id: r.id, codes: r.codes });
        reject(r, true);
      } else if (m?.kind === 'failed') {
        outcomes.push({ i: r.index, b: 'failed', id: r.id, codes: r.codes, error: m.error });
        failedLines += JSON.stringify(contactOf.get(r.index) ?? null) + '\n';
        reject(r, false);
      } else {
        outcomes.push({ i: r.index, b: 'rejected', id: r.id, codes: r.codes });
        reject(r, false);
      }
    }
    await this.writer.commit(this.run, batch, outcomes, failedLines, rejectedLines);
    for (const o of outcomes) {
      const code = o.b === 'failed' ? (o.error?.genesysCode ?? o.error?.code) : o.codes?.[0];
      this.tally.record(o.b, code);
    }
  }
}
