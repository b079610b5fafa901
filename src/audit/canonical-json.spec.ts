import fc from 'fast-check';
import { canonicalJson, canonicalStringArray } from './canonical-json';
import { buildChainLine, checkLine, GENESIS_HASH, piecesFromObject } from './chain-format';

describe('canonicalJson', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true } })).toBe(
      '{"a":{"c":true,"d":[1,"x",null]},"b":1}',
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });

  it('is stable through a parse round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const once = canonicalJson(v);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
      }),
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('writes string arrays like the generic serialiser', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (a) =>
        expect(canonicalStringArray(a)).toBe(canonicalJson(a)),
      ),
    );
  });
});

describe('hash chain lines', () => {
  it('hashes the canonical line without its hash and writes the line canonically', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((k) => !['hash', 'prevHash', 'seq', '__proto__'].includes(k)),
          fc.jsonValue(),
        ),
        fc.integer({ min: 1, max: 1e9 }),
        (obj, seq) => {
          const { line, hash } = buildChainLine(piecesFromObject(obj), seq, GENESIS_HASH);
          expect(line.endsWith('\n')).toBe(true);
          const text = line.slice(0, -1);
          const parsed = JSON.parse(text);
          expect(canonicalJson(parsed)).toBe(text);
          const { hash: h, ...body } = parsed;
          expect(h).toBe(hash);
          expect(checkLine(text)).toEqual({ ok: true, record: parsed });
          expect(body.prevHash).toBe(GENESIS_HASH);
          expect(body.seq).toBe(seq);
        },
      ),
    );
  });

  it('detects any single changed character', () => {
    const { line } = buildChainLine(
      piecesFromObject({ code: 'CONSENT_MISSING', requestId: 'r1' }),
      7,
      GENESIS_HASH,
    );
    const text = line.slice(0, -1);
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] === 'a' ? 'b' : 'a';
      const altered = text.slice(0, i) + ch + text.slice(i + 1);
      expect(checkLine(altered).ok).toBe(false);
    }
    expect(checkLine(text.replace(',"prevHash"', ', "prevHash"')).ok).toBe(false);
  });

  it('reserves the chain members for the writer', () => {
    expect(() => piecesFromObject({ seq: 1 })).toThrow(/set by the chain writer/);
  });
});
