import type { Response } from 'express';
import type { ResultSink } from './validation.types';

export class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGoneError';
  }
}

/**
 * Writes NDJSON to an HTTP response with backpressure: `write` resolves once the
 * socket buffer has drained, so the producer (and through it the request reader)
 * pauses while a slow client catches up. Headers are sent with the first chunk, so
 * a failure before any result (e.g. the audit log is down) can still be answered
 * with a proper problem response.
 */
export class HttpNdjsonSink implements ResultSink {
  private started = false;

  constructor(private readonly res: Response) {}

  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.closed) throw new ClientGoneError();
    if (!this.started) {
      this.started = true;
      this.res.status(200);
      this.res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      this.res.setHeader('Cache-Control', 'no-store');
    }
    if (this.res.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        cleanup();
        resolve();
      };
      const onClose = (): void => {
        cleanup();
        reject(new ClientGoneError());
      };
      const cleanup = (): void => {
        this.res.off('drain', onDrain);
        this.res.off('close', onClose);
      };
      this.res.on('drain', onDrain);
      this.res.on('close', onClose);
    });
  }
}
