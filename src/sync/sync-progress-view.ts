import { SingleBar } from 'cli-progress';
import type { SyncProgress } from './sync.types';

/**
 * A cli-progress bar on a terminal; JSON lines on stderr otherwise (at most
 * one per second, plus the last), so logs of unattended runs stay readable.
 */
export class ProgressView {
  private readonly tty = process.stderr.isTTY === true;
  private bar?: SingleBar;
  private lastLine = 0;
  private last?: SyncProgress;
  private readonly started = performance.now();

  constructor(private readonly total: number | undefined) {}

  update(p: SyncProgress): void {
    this.last = p;
    const rate = this.rate(p);
    if (this.tty) {
      if (!this.bar) {
        this.bar = new SingleBar({
          stream: process.stderr,
          format:
            '{bar} {percentage}% | read {value}/{total} | validated {validated} | sent {sent} | failed {failed} | {rate}/s | ETA {eta_formatted}',
          hideCursor: true,
        });
        this.bar.start(this.total ?? 0, 0, { validated: 0, sent: 0, failed: 0, rate: 0 });
      }
      if (this.total === undefined || p.read > this.total) this.bar.setTotal(p.read);
      this.bar.update(p.read, { validated: p.validated, sent: p.sent, failed: p.failed, rate });
      return;
    }
    const now = performance.now();
    if (now - this.lastLine < 1000) return;
    this.lastLine = now;
    this.line(p, rate);
  }

  stop(): void {
    if (this.bar) this.bar.stop();
    else if (this.last) this.line(this.last, this.rate(this.last));
  }

  /** Records read per second since the view was created. */
  private rate(p: SyncProgress): number {
    return Math.round(p.read / Math.max(0.001, (performance.now() - this.started) / 1000));
  }

  private line(p: SyncProgress, rate: number): void {
    const eta =
      this.total !== undefined && rate > 0
        ? Math.max(0, Math.round((this.total - p.read) / rate))
        : null;
    process.stderr.write(
      `${JSON.stringify({ type: 'progress', ...p, total: this.total ?? null, ratePerSecond: rate, etaSeconds: eta })}\n`,
    );
  }
}
