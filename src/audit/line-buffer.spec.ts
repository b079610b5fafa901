import fc from 'fast-check';
import {
  buildChainLine,
  EncodedPieces,
  GENESIS_HASH,
  piecesFromObject,
  type ChainPieces,
} from './chain-format';
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

/** The same pieces as UTF-8 byte ranges, with bytes around them as on the wire. */
function encoded(p: ChainPieces): EncodedPieces {
  const [h, m, t] = [p.head, p.mid2, p.tail].map((x) => Buffer.byteLength(x)) as [
    number,
    number,
    number,
  ];
  const src = new Uint8Array(Buffer.from('x' + p.head + '\t' + p.mid2 + '\t' + p.tail + '\ty'));
  const mid1 = new Uint8Array(Buffer.from(p.mid1));
  return new EncodedPieces(src, mid1, 1, 1 + h, 2 + h, 2 + h + m, 3 + h + m, 3 + h + m + t);
}

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

  it('writes the same bytes from pieces already encoded (the audit worker path)', () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER - 10 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        (records, firstSeq, mid1Text) => {
          const strings = new LineBuffer(16);
          const bytes = new LineBuffer(16);
          let prev = GENESIS_HASH;
          records.forEach((rec, i) => {
            const pieces = piecesFromObject(rec);
            // mid1 is set by the batch, and may be empty or not ASCII.
            if (i % 2 === 1)
              pieces.mid1 = mid1Text.length > 0 ? ',' + JSON.stringify(mid1Text) : '';
            const a = strings.pushChainLine(pieces, firstSeq + i, prev);
            const b = bytes.push(encoded(pieces), firstSeq + i, prev);
            expect(b).toBe(a);
            expect(bytes.lastHash).toBe(strings.lastHash);
            prev = strings.lastHash;
          });
          expect(bytes.view().equals(strings.view())).toBe(true);
        },
      ),
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
