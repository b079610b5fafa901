import { runChunks } from './genesys-chunk-runner';
import type { PreparedChunk } from './genesys-contact-data';
import type { AddChunkResult } from './genesys.types';

const chunk = (i: number): PreparedChunk => ({ ids: [`c${i}`], body: '[]', bytes: 2 });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('runChunks', () => {
  it('reports chunks to onChunk in order even when later chunks finish first', async () => {
    const seen: number[] = [];
    const finished: number[] = [];
    const results = await runChunks(
      Array.from({ length: 5 }, (_, i) => chunk(i))[Symbol.iterator](),
      async (index): Promise<AddChunkResult> => {
        await wait(index === 0 ? 40 : 5);
        finished.push(index);
        return { chunk: index, ids: chunk(index).ids, ok: true };
      },
      3,
      async (r) => {
        await wait(2);
        seen.push(r.chunk);
      },
    );
    expect(finished[0]).not.toBe(0);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.chunk)).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops sending and rejects when onChunk throws', async () => {
    let sent = 0;
    const items = Array.from({ length: 20 }, (_, i) => chunk(i))[Symbol.iterator]();
    await expect(
      runChunks(
        items,
        (index) => {
          sent++;
          return Promise.resolve({ chunk: index, ids: [], ok: true });
        },
        2,
        (r) => {
          if (r.chunk === 1) throw new Error('journal full');
        },
      ),
    ).rejects.toThrow('journal full');
    expect(sent).toBeLessThan(20);
  });
});
