import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import { detectFormat, readContactBatches, readContacts, type InputRecord } from './contact-reader';

async function collect(it: AsyncIterable<InputRecord>): Promise<InputRecord[]> {
  const out: InputRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

function chunks(...parts: string[]): Readable {
  return Readable.from(parts.map((p) => Buffer.from(p)));
}

describe('detectFormat', () => {
  it('uses the extension, ignoring .gz and case', () => {
    expect(detectFormat('a.json')).toBe('json');
    expect(detectFormat('a.NDJSON')).toBe('ndjson');
    expect(detectFormat('a.jsonl.gz')).toBe('ndjson');
    expect(detectFormat('a.csv')).toBe('csv');
  });
  it('prefers an explicit format and rejects unknown ones', () => {
    expect(detectFormat('a.txt', 'csv')).toBe('csv');
    expect(() => detectFormat('a.txt', 'xml')).toThrow(DomainError);
    expect(() => detectFormat('a.txt')).toThrow(/--format/);
  });
});

describe('readContacts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'contact-reader-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a JSON array element by element', async () => {
    const recs = await collect(
      readContacts(chunks('[{"id":1},', ' 42, {"id":"b", "__proto__": {"x":1}}', ']'), 'json'),
    );
    expect(recs.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(recs[0]?.contact).toEqual({ id: 1 });
    expect(recs[1]?.contact).toBe(42);
    const third = recs[2]?.contact as Record<string, unknown>;
    expect(Object.getPrototypeOf(third)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(third, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('fails a JSON file that is not an array or is truncated instead of yielding a partial list', async () => {
    await expect(collect(readContacts(chunks('{"id":1}'), 'json'))).rejects.toMatchObject({
      code: ErrorCode.INPUT_UNREADABLE,
    });
    await expect(collect(readContacts(chunks('[{"id":1},{"id"'), 'json'))).rejects.toMatchObject({
      code: ErrorCode.INPUT_UNREADABLE,
    });
  });

  it('reads NDJSON across chunk boundaries, skips blank lines and marks bad lines with their line number', async () => {
    const recs = await collect(
      readContacts(chunks('\ufeff{"id":1}\r\n\n  \n{"id":', '2}\nnot json\n{"id":3}'), 'ndjson'),
    );
    expect(recs).toEqual([
      { index: 0, line: 1, contact: { id: 1 } },
      { index: 1, line: 4, contact: { id: 2 } },
      { index: 2, line: 5, contact: undefined, malformed: 'line 5 is not valid JSON' },
      { index: 3, line: 6, contact: { id: 3 } },
    ]);
  });

  it('turns an over-long NDJSON line into one malformed record and carries on', async () => {
    const long = `{"x":"${'a'.repeat(200)}"}`;
    const recs = await collect(
      readContacts(
        chunks('{"id":1}\n', long.slice(0, 100), long.slice(100), '\n{"id":2}\n'),
        'ndjson',
        {
          maxLineLength: 50,
        },
      ),
    );
    expect(recs.map((r) => [r.line, r.malformed !== undefined])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
  });

  it('does not split multi-byte characters at chunk boundaries', async () => {
    const bytes = Buffer.from('{"n":"Zoë"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const recs = await collect(
      readContacts(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]), 'ndjson'),
    );
    expect(recs[0]?.contact).toEqual({ n: 'Zoë' });
  });

  it('reads CSV with a header: strings only, empty cells absent, ragged rows malformed', async () => {
    const file = join(dir, 'c.csv');
    writeFileSync(file, 'id,phone,consent_scope\n1,+441234567890,cold_call\n2,,"a,b"\n3,x\n\n');
    const recs = await collect(readContacts(file, 'csv'));
    expect(recs).toEqual([
      {
        index: 0,
        line: 2,
        contact: { id: '1', phone: '+441234567890', consent_scope: 'cold_call' },
      },
      { index: 1, line: 3, contact: { id: '2', consent_scope: 'a,b' } },
      expect.objectContaining({ index: 2, line: 4, contact: undefined }),
    ]);
    expect(recs[2]?.malformed).toMatch(/2 columns/);
  });

  it('keeps a __proto__ CSV column as an own field', async () => {
    const recs = await collect(readContacts(chunks('__proto__,id\npolluted,1\n'), 'csv'));
    const c = recs[0]?.contact as Record<string, unknown>;
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(c, '__proto__')?.value).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects a CSV header with duplicate columns', async () => {
    await expect(collect(readContacts(chunks('id,id\n1,2\n'), 'csv'))).rejects.toThrow(
      /repeats column/,
    );
  });

  it('gunzips .gz files', async () => {
    const file = join(dir, 'c.ndjson.gz');
    writeFileSync(file, gzipSync('{"id":1}\n{"id":2}\n'));
    const recs = await collect(readContacts(file, 'ndjson'));
    expect(recs.map((r) => r.contact)).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('reports a missing file as INPUT_UNREADABLE', async () => {
    await expect(collect(readContacts(join(dir, 'nope.json'), 'json'))).rejects.toMatchObject({
      code: ErrorCode.INPUT_UNREADABLE,
    });
  });

  it('batches records', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: i })).join('\n');
    const sizes: number[] = [];
    for await (const b of readContactBatches(chunks(lines), 'ndjson', { batchSize: 2 })) {
      sizes.push(b.length);
    }
    expect(sizes).toEqual([2, 2, 1]);
  });
});
