import { rmSync } from 'node:fs';
import fc from 'fast-check';
import request from 'supertest';
import type { App } from 'supertest/types';
import { hostileContactArbitrary } from './support/contact-arbitrary';
import { generateContacts } from './support/contact-generator';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * A compare result must equal, for every contact and each side, what
 * POST /v1/validate returns for that contact under that side's version and
 * instant: 10k generated contacts (realistic, hostile and non-objects) per
 * pair of shipped versions, and 3.0.0 at two dates.
 */
const N = 10_000;
const CHUNK = 10_000;
const T = '2026-07-15T12:00:00Z';

interface Outcome {
  decision: string;
  code: string;
  codes: string[];
}
interface Change {
  index: number;
  contactId: unknown;
  baseline: Outcome;
  candidate: Outcome;
  change: string;
}

function corpus(seed: number): unknown[] {
  const realistic = generateContacts({ seed, count: N - 300, anchor: new Date(T) });
  const hostile = fc.sample(hostileContactArbitrary(), { numRuns: 290, seed });
  const odd: unknown[] = [null, 42, 'text', [], [{ id: 'x' }], true, 0, '', {}, { id: 7 }];
  return [...realistic, ...hostile, ...odd];
}

describe('compare equals validate, contact by contact', () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({ AUDIT_FSYNC: 'off', LOG_LEVEL: 'error' });
    http = t.app.getHttpServer() as App;
  });
  afterAll(async () => {
    await t.close();
    rmSync(t.dir, { recursive: true, force: true });
  });

  // One corpus serves the three version pairs; each version's validate results are fetched once.
  const shared = corpus(1001);
  const cache = new Map<string, Promise<Outcome[]>>();
  function validateShared(version: string, at: string): Promise<Outcome[]> {
    const key = `${version}@${at}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = validate(shared, version, at);
      cache.set(key, hit);
    }
    return hit;
  }

  async function validate(contacts: unknown[], version: string, at: string): Promise<Outcome[]> {
    const out: Outcome[] = [];
    for (let i = 0; i < contacts.length; i += CHUNK) {
      const res = await request(http)
        .post('/v1/validate')
        .send({ contacts: contacts.slice(i, i + CHUNK), version, evaluatedAt: at })
        .expect(200);
      for (const r of res.body.results as (Outcome & { contactId: unknown })[]) {
        out.push({ decision: r.decision, code: r.code, codes: r.codes });
      }
    }
    return out;
  }

  async function compare(
    contacts: unknown[],
    baseline: { version: string; evaluatedAt: string },
    candidate: { version: string; evaluatedAt: string },
  ): Promise<{ changes: Change[]; summary: Record<string, unknown> }> {
    const res = await request(http)
      .post('/v1/compare')
      .send({ contacts, baseline, candidate, include: 'all' })
      .expect(200);
    return res.body;
  }

  function expectSidesEqual(changes: Change[], base: Outcome[], cand: Outcome[]): void {
    expect(changes).toHaveLength(base.length);
    const mismatches: string[] = [];
    changes.forEach((c, i) => {
      if (c.index !== i) mismatches.push(`#${i}: index ${c.index}`);
      const b = base[i]!;
      const k = cand[i]!;
      if (JSON.stringify(c.baseline) !== JSON.stringify(b))
        mismatches.push(`#${i} baseline ${JSON.stringify(c.baseline)} != ${JSON.stringify(b)}`);
      if (JSON.stringify(c.candidate) !== JSON.stringify(k))
        mismatches.push(`#${i} candidate ${JSON.stringify(c.candidate)} != ${JSON.stringify(k)}`);
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
  }

  it.each([
    ['1.0.0', '2.0.0'],
    ['2.0.0', '3.0.0'],
    ['1.0.0', '3.0.0'],
  ])(
    '%s -> %s over 10k contacts',
    async (from, to) => {
      const contacts = shared;
      expect(contacts).toHaveLength(N);
      const result = await compare(
        contacts,
        { version: from, evaluatedAt: T },
        { version: to, evaluatedAt: T },
      );
      const [base, cand] = [await validateShared(from, T), await validateShared(to, T)];
      expectSidesEqual(result.changes, base, cand);
      // The change kinds follow from the two sides and the summary adds up.
      const byChange = result.summary.byChange as Record<string, number>;
      for (const kind of ['unchanged', 'newly-rejected', 'newly-approved', 'reason-changed']) {
        expect(result.changes.filter((c) => c.change === kind)).toHaveLength(byChange[kind]!);
      }
      expect(byChange['newly-rejected']! + byChange['newly-approved']!).toBeGreaterThan(0);
    },
    60_000,
  );

  it('3.0.0 at 2026-07-15 vs 2026-08-15: the FR opt-in date shows', async () => {
    const contacts = corpus(3003);
    const before = '2026-07-15T12:00:00Z';
    const after = '2026-08-15T12:00:00Z';
    const result = await compare(
      contacts,
      { version: '3.0.0', evaluatedAt: before },
      { version: '3.0.0', evaluatedAt: after },
    );
    const [base, cand] = [
      await validate(contacts, '3.0.0', before),
      await validate(contacts, '3.0.0', after),
    ];
    expectSidesEqual(result.changes, base, cand);

    const gainedBasis = result.changes.filter(
      (c) =>
        c.candidate.codes.includes('LAWFUL_BASIS_NOT_ALLOWED') &&
        !c.baseline.codes.includes('LAWFUL_BASIS_NOT_ALLOWED'),
    );
    expect((result.summary.codesGained as Record<string, number>).LAWFUL_BASIS_NOT_ALLOWED).toBe(
      gainedBasis.length,
    );
    // Contacts that gain the lawful-basis rejection and lose nothing else: the date itself did it,
    // and only France's rule starts between these dates (NL's applied from 2026-07-01). Others can
    // gain it when an earlier reason clears (e.g. a re-grant dated between the two instants).
    const dateOnly = gainedBasis.filter((c) =>
      c.baseline.codes.every((code) => c.candidate.codes.includes(code)),
    );
    expect(dateOnly.length).toBeGreaterThan(0);
    for (const c of dateOnly) {
      expect((contacts[c.index] as { country?: unknown }).country).toBe('FR');
    }
    const frNewlyRejected = dateOnly.filter((c) => c.change === 'newly-rejected');
    expect(frNewlyRejected.length).toBeGreaterThan(0);
    expect(result.summary.ruleChanges).toEqual([]);
  }, 60_000);
});
