import { rmSync } from 'node:fs';
import request from 'supertest';
import type { App } from 'supertest/types';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The seed tutorial computed its 730-day cutoff once, when the process
 * started, so a long-running service approved consents that had expired
 * since. Here the service keeps running while the injected clock moves: every
 * request without `evaluatedAt` must be judged at the clock's current instant,
 * on the fast path and on the json-rules-engine (explain) path alike.
 */
const START = new Date('2026-01-01T00:00:00Z');
const MS_PER_DAY = 86_400_000;

describe('evaluatedAt defaults to the clock at each request, never the start-up time', () => {
  let t: TestApp;
  let http: App;

  beforeAll(async () => {
    t = await createTestApp({ AUDIT_FSYNC: 'off' }, { now: START });
    http = t.app.getHttpServer() as App;
  });
  afterAll(async () => {
    await t.close();
    rmSync(t.dir, { recursive: true, force: true });
  });

  const contact = {
    id: 'c1',
    phone_number: '+4915550000001',
    // Exactly 730 days before START.
    consent_timestamp: new Date(START.getTime() - 730 * MS_PER_DAY).toISOString(),
    consent_scope: 'cold_call',
  };

  async function decide(explain: boolean): Promise<{ evaluatedAt: string; codes: string[] }> {
    const res = await request(http)
      .post('/v1/validate')
      .send({ contacts: [contact], version: '1.0.0', explain })
      .expect(200);
    const body = res.body as { evaluatedAt: string; results: { codes: string[] }[] };
    return { evaluatedAt: body.evaluatedAt, codes: body.results[0]?.codes ?? [] };
  }

  it('approves at exactly 730 days and expires one millisecond later, on both paths', async () => {
    t.clock?.set(START);
    for (const explain of [false, true]) {
      const at = await decide(explain);
      expect(at).toEqual({ evaluatedAt: START.toISOString(), codes: [] });
    }
    t.clock?.advance(1);
    for (const explain of [false, true]) {
      const later = await decide(explain);
      expect(later.evaluatedAt).toBe(new Date(START.getTime() + 1).toISOString());
      expect(later.codes).toEqual(['CONSENT_EXPIRED']);
    }
  });

  it('moves the "more than 5 minutes in the future" limit with the clock', async () => {
    t.clock?.set(START);
    const future = {
      ...contact,
      consent_timestamp: new Date(START.getTime() + 6 * 60_000).toISOString(),
    };
    const at = async (): Promise<string[]> => {
      const res = await request(http)
        .post('/v1/validate')
        .send({ contacts: [future], version: '1.0.0' })
        .expect(200);
      return (res.body as { results: { codes: string[] }[] }).results[0]?.codes ?? [];
    };
    expect(await at()).toEqual(['CONSENT_TIMESTAMP_INVALID']);
    t.clock?.advance(60_000);
    expect(await at()).toEqual([]);
  });
});
