import type { PreparedChunk } from './genesys-contact-data';
import type { AddChunkResult } from './genesys.types';

export type OnChunk = (r: AddChunkResult) => void | Promise<void>;

/**
 * Sends chunks with up to `concurrency` in flight and reports them to
 * `onChunk` strictly in chunk order, awaiting each call (a slow callback
 * holds back further sends). A throwing callback stops new sends and rejects
 * once the in-flight chunks have settled.
 */
export async function runChunks(
  chunks: Iterator<PreparedChunk>,
  send: (index: number, chunk: PreparedChunk) => Promise<AddChunkResult>,
  concurrency: number,
  onChunk: OnChunk | undefined,
): Promise<AddChunkResult[]> {
  const results: AddChunkResult[] = [];
  const done = new Map<number, AddChunkResult>();
  let next = 0;
  let stop = false;
  let flushChain: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    flushChain = flushChain.then(async () => {
      for (let r = done.get(results.length); r !== undefined; r = done.get(results.length)) {
        done.delete(results.length);
        results.push(r);
        if (onChunk) await onChunk(r);
      }
    });
    return flushChain;
  };
  const worker = async (): Promise<void> => {
    while (!stop) {
      const item = chunks.next();
      if (item.done) return;
      const index = next++;
      try {
        done.set(index, await send(index, item.value));
        await flush();
      } catch (e: unknown) {
        stop = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.max(1, concurrency) }, () => worker()),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  await flush();
  return results;
}
