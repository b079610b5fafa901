import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLoadError, loadPolicyFile } from '../loader/policy-loader';
import { PolicySource } from '../loader/policy-source';
import type { CompiledPolicy, Decision } from '../policy.types';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'compiled-policy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function compile(yaml: string): CompiledPolicy {
  const file = join(dir, 'demo', `${Math.random().toString(36).slice(2)}.yaml`);
  mkdirSync(join(dir, 'demo'), { recursive: true });
  writeFileSync(file, yaml);
  const out = loadPolicyFile(new PolicySource(), file);
  if (!out.policy) throw new Error(out.errors.map(formatLoadError).join('\n'));
  return out.policy;
}

const HEAD = `policy: demo
version: 1.0.0
effectiveFrom: 2025-01-01
description: demo
parameters:
  tolerance: 5
  maxAge: 30
  scopes: [cold_call, marketing_email]
rules:
`;

const TS_RULES = `  - code: CONSENT_MISSING
    severity: reject
    order: 10
    message: missing
    when: { fact: consent_timestamp_status, params: { futureToleranceMinutes: { param: tolerance } }, operator: equal, value: missing }
  - code: CONSENT_EXPIRED
    severity: reject
    order: 20
    message: older than {maxAge} days
    skipIfFailed: [CONSENT_MISSING]
    when: { fact: consent_age_days, operator: greaterThan, value: { param: maxAge } }
`;

/** Evaluates through both paths and checks they agree on everything but explain. */
async function both(p: CompiledPolicy, contact: unknown, at: string): Promise<Decision> {
  const fast = p.evaluate(contact, new Date(at));
  const engine = await p.evaluateWithEngine(contact, new Date(at));
  expect(engine).toEqual(fast);
  return fast;
}

describe('CompiledPolicy', () => {
  it('rejects non-object contacts as INPUT_MALFORMED in both paths', async () => {
    const p = compile(HEAD + TS_RULES);
    for (const c of [null, undefined, [], [{}], 'x', 42, true]) {
      const d = await both(p, c, '2025-06-01T00:00:00Z');
      expect(d.decision).toBe('REJECTED');
      expect(d.code).toBe('INPUT_MALFORMED');
      expect(d.codes).toEqual(['INPUT_MALFORMED']);
    }
  });

  it('applies skipIfFailed: a rule whose inputs are unusable is not reported', async () => {
    const p = compile(HEAD + TS_RULES);
    const d = await both(p, {}, '2025-06-01T00:00:00Z');
    expect(d.codes).toEqual(['CONSENT_MISSING']);
    expect(d.violations).toEqual([
      { code: 'CONSENT_MISSING', message: 'missing', rule: 'CONSENT_MISSING', severity: 'reject' },
    ]);
    const old = await both(
      p,
      { consent_timestamp: '2025-01-01T00:00:00Z' },
      '2025-06-01T00:00:00Z',
    );
    expect(old.violations[0]?.message).toBe('older than 30 days');
  });

  it('applies rule-level effective dates at evaluatedAt, and explains skipped rules', async () => {
    const rule = `  - code: FR_OPT_IN
    severity: reject
    order: 10
    effectiveFrom: 2026-08-11T00:00:00+02:00
    message: opt-in required
    when: { fact: contact, path: $.country, operator: equal, value: FR }
`;
    const p = compile(HEAD + rule);
    const contact = { country: 'FR' };
    expect((await both(p, contact, '2026-08-10T21:59:59Z')).decision).toBe('APPROVED');
    expect((await both(p, contact, '2026-08-10T22:00:00Z')).codes).toEqual(['FR_OPT_IN']);
    const explained = await p.evaluateWithEngine(contact, new Date('2026-08-01T00:00:00Z'), {
      explain: true,
    });
    expect(explained.explain?.[0]).toMatchObject({
      code: 'FR_OPT_IN',
      evaluated: false,
      failed: false,
    });
    expect(explained.explain?.[0]?.skippedReason).toMatch(/not in effect/);
  });

  it('reports warn rules in warnings without rejecting', async () => {
    const rule = `  - code: NO_EMAIL
    severity: warn
    order: 10
    message: no email
    when: { fact: has_email, operator: equal, value: false }
`;
    const d = await both(compile(HEAD + rule), {}, '2025-06-01T00:00:00Z');
    expect(d).toMatchObject({
      decision: 'APPROVED',
      code: 'VALIDATION_PASSED',
      codes: [],
      warnings: ['NO_EMAIL'],
    });
    expect(d.violations).toHaveLength(1);
  });

  it('supports json-rules-engine operator decorators and paths identically in both paths', async () => {
    const rules = `  - code: TAGGED
    severity: reject
    order: 10
    message: tagged
    when:
      any:
        - { fact: contact, path: $.tags, operator: "someFact:in", value: [blocked, banned] }
        - { fact: contact, path: "$.nested.list[1]", operator: equal, value: x }
        - { not: { fact: contact, path: $.flag, operator: "not:equal", value: false } }
`;
    const p = compile(HEAD + rules);
    const at = '2025-06-01T00:00:00Z';
    expect((await both(p, { tags: ['ok', 'banned'], flag: true }, at)).codes).toEqual(['TAGGED']);
    expect((await both(p, { tags: ['ok'], flag: true }, at)).codes).toEqual([]);
    expect((await both(p, { tags: 'banned', flag: true }, at)).codes).toEqual([]);
    expect((await both(p, { nested: { list: ['a', 'x'] }, flag: true }, at)).codes).toEqual([
      'TAGGED',
    ]);
    expect((await both(p, { flag: false }, at)).codes).toEqual(['TAGGED']);
  });

  it('never follows inherited members and is not polluted by __proto__ keys', async () => {
    const rules = `  - code: HAS_CTOR
    severity: reject
    order: 10
    message: ctor
    when:
      any:
        - { fact: contact, path: $.constructor, operator: isPresent }
        - { fact: contact, path: $.toString, operator: isPresent }
        - { fact: consent_scope, operator: in, value: { param: scopes } }
`;
    const p = compile(HEAD + rules);
    const at = '2025-06-01T00:00:00Z';
    expect((await both(p, {}, at)).codes).toEqual([]);
    const hostile = JSON.parse(
      '{"__proto__": {"consent_scope": "cold_call", "polluted": 1}}',
    ) as unknown;
    expect((await both(p, hostile, at)).codes).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((await both(p, { constructor: 'x' }, at)).codes).toEqual(['HAS_CTOR']);
  });

  it('explain carries each evaluated condition with its fact value and result', async () => {
    const p = compile(HEAD + TS_RULES);
    const d = await p.evaluateWithEngine(
      { consent_timestamp: '2025-01-01T00:00:00Z' },
      new Date('2025-01-11T00:00:00Z'),
      {
        explain: true,
      },
    );
    expect(d.explain).toEqual([
      {
        rule: 'CONSENT_MISSING',
        code: 'CONSENT_MISSING',
        severity: 'reject',
        evaluated: true,
        failed: false,
        conditions: {
          fact: 'consent_timestamp_status',
          operator: 'equal',
          value: 'missing',
          factResult: 'valid',
          result: false,
        },
      },
      {
        rule: 'CONSENT_EXPIRED',
        code: 'CONSENT_EXPIRED',
        severity: 'reject',
        evaluated: true,
        failed: false,
        conditions: {
          fact: 'consent_age_days',
          operator: 'greaterThan',
          value: 30,
          factResult: 10,
          result: false,
        },
      },
    ]);
    expect(p.evaluate({}, new Date()).explain).toBeUndefined();
  });

  it('keeps concurrent engine evaluations independent (one Engine per version)', async () => {
    const p = compile(HEAD + TS_RULES);
    const at = new Date('2025-06-01T00:00:00Z');
    const contacts = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0
        ? {}
        : { consent_timestamp: i % 3 === 1 ? '2025-05-30T00:00:00Z' : '2024-01-01T00:00:00Z' },
    );
    const engine = await Promise.all(contacts.map((c) => p.evaluateWithEngine(c, at)));
    expect(engine).toEqual(contacts.map((c) => p.evaluate(c, at)));
    expect(new Set(engine.map((d) => d.code))).toEqual(
      new Set(['CONSENT_MISSING', 'VALIDATION_PASSED', 'CONSENT_EXPIRED']),
    );
  });

  it('does not leak memoised facts from one contact to the next', () => {
    const p = compile(HEAD + TS_RULES);
    const at = new Date('2025-06-01T00:00:00Z');
    expect(p.evaluate({ consent_timestamp: '2024-01-01T00:00:00Z' }, at).codes).toEqual([
      'CONSENT_EXPIRED',
    ]);
    expect(p.evaluate({ consent_timestamp: '2025-05-31T00:00:00Z' }, at).codes).toEqual([]);
    expect(
      p.evaluate({ consent_timestamp: '2025-05-31T00:00:00Z' }, new Date('2026-01-01T00:00:00Z'))
        .codes,
    ).toEqual(['CONSENT_EXPIRED']);
  });
});
