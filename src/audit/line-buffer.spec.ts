import fc from 'fast-check';
import { buildChainLine, GENESIS_HASH, piecesFromObject } from './chain-format';
import { LineBuffer } from './line-buffer';

const record = fc.dictionary(
  fc
    .string({ unit: 'binary', maxLength: 12 })
    .filter((k) => !['hash', 'prevHash', 'seq'].includes(k)),
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  ),
  { maxKeys: 8 },
);

describe('LineBuffer.pushChainLine', () => {
  it('encodes exactly the bytes and hash of buildChainLine, for any record', () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 5 }), (records) => {
        // A tiny initial size also exercises growing the buffer.
        const out = new LineBuffer(16);
        let prev = GENESIS_HASH;
        let expected = '';
        records.forEach((rec, i) => {
          const pieces = piecesFromObject(rec);
          const { line, hash } = buildChainLine(pieces, i + 1, prev);
          const bytes = out.pushChainLine(pieces, i + 1, prev);
          expect(out.lastHash).toBe(hash);
          expect(bytes).toBe(Buffer.byteLength(line));
          expected += line;
          prev = hash;
        });
        expect(out.view().toString('utf8')).toBe(expected);
        expect(out.lines()).toHaveLength(records.length);
      }),
      { numRuns: 1500 },
    );
  });

  it('drops the last line on unpush (it moves to the next file)', () => {
    const out = new LineBuffer(64);
    const a = out.pushChainLine(piecesFromObject({ a: 1 }), 1, GENESIS_HASH);
    const b = out.pushChainLine(piecesFromObject({ b: 'ü' }), 2, out.lastHash);
    out.unpush(b);
    expect(out.view()).toHaveLength(a);
    expect(out.count).toBe(1);
  });
});
