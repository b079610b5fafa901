import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadPolicyDirectory } from '../src/policy/loader/policy-loader';
import { PolicySource } from '../src/policy/loader/policy-source';
import type { CompiledPolicy } from '../src/policy/policy.types';
import { contactArbitrary, hostileContactArbitrary } from './support/contact-arbitrary';
import { generateContacts, SAMPLE_CORPUS, type Contact } from './support/contact-generator';
import { REPO_ROOT, SHIPPED_POLICIES } from './support/test-app';

const ANCHOR = new Date(SAMPLE_CORPUS.anchor);
const loaded = loadPolicyDirectory(new PolicySource(), SHIPPED_POLICIES);
const policies = new Map<string, CompiledPolicy>(loaded.policies.map((p) => [p.ref.version, p]));
const committed = readFileSync(join(REPO_ROOT, SAMPLE_CORPUS.out), 'utf8');
const corpus = committed
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Contact);

function version(v: string): CompiledPolicy {
  const p = policies.get(v);
  if (p === undefined)
    throw new Error(`gdpr-consent ${v} not loaded: ${JSON.stringify(loaded.errors)}`);
  return p;
}

describe('examples/contacts-sample.ndjson', () => {
  it('is exactly what scripts/generate-sample.ts produces from its fixed seed', () => {
    const regenerated = generateContacts({ ...SAMPLE_CORPUS, anchor: ANCHOR });
    expect(regenerated.map((c) => JSON.stringify(c)).join('\n') + '\n').toBe(committed);
    expect(corpus).toHaveLength(SAMPLE_CORPUS.count);
  });

  it('holds fake contact data only', () => {
    for (const c of corpus) {
      if (typeof c.phone_number === 'string') expect(c.phone_number).toMatch(/^\+4915550\d{6}$/);
      if (typeof c.email === 'string' && c.email.trim() !== '') {
        expect(c.email).toMatch(/^[a-z0-9.]+@example\.(com|org)$/);
      }
      expect(Object.keys(c)).not.toEqual(
        expect.arrayContaining(['name', 'first_name', 'last_name']),
      );
    }
  });

  it('spans countries, channels, both contact shapes and consent states', () => {
    const countries = new Set(corpus.map((c) => c.country));
    for (const cc of ['DE', 'GB', 'FR', 'NL', 'ES', 'IT', 'BE']) expect(countries).toContain(cc);
    const channels = new Set(corpus.map((c) => c.channel ?? c.consent_scope));
    for (const ch of ['voice', 'email', 'sms', 'cold_call', 'marketing_email'])
      expect(channels).toContain(ch);
    const flat = corpus.filter((c) => !('consents' in c)).length;
    expect(flat / corpus.length).toBeGreaterThan(0.15);
    expect(flat / corpus.length).toBeLessThan(0.35);
  });

  it.each(['2.0.0', '3.0.0'])(
    'under %s at the anchor, approves some contacts and fires every reject rule at least once',
    (v) => {
      const policy = version(v);
      const seen = new Set<string>();
      let approved = 0;
      for (const c of corpus) {
        const d = policy.evaluate(c, ANCHOR);
        if (d.decision === 'APPROVED') approved++;
        d.codes.forEach((code) => seen.add(code));
      }
      expect(approved).toBeGreaterThan(corpus.length * 0.1);
      const rejectCodes = policy.rules.filter((r) => r.severity === 'reject').map((r) => r.code);
      expect(rejectCodes.filter((code) => !seen.has(code))).toEqual([]);
    },
  );

  it('changes outcomes between consecutive versions (the compare demo has something to show)', () => {
    const v1 = version('1.0.0');
    const v2 = version('2.0.0');
    const v3 = version('3.0.0');
    const differs = (a: CompiledPolicy, b: CompiledPolicy): number =>
      corpus.filter((c) => a.evaluate(c, ANCHOR).decision !== b.evaluate(c, ANCHOR).decision)
        .length;
    expect(differs(v1, v2)).toBeGreaterThan(100);
    expect(differs(v2, v3)).toBeGreaterThan(100);
    // One version at two instants: the NL/FR deadlines and the notice rule switch outcomes.
    const before = new Date('2026-06-15T09:00:00Z');
    const switched = corpus.filter(
      (c) => v3.evaluate(c, before).codes.join() !== v3.evaluate(c, ANCHOR).codes.join(),
    );
    expect(switched.length).toBeGreaterThan(50);
  });
});

describe('generated contacts under every shipped version', () => {
  it('the fast path and json-rules-engine agree, and hostile shapes still get a decision', async () => {
    const all = [...policies.values()];
    expect(all.map((p) => p.ref.version)).toEqual(['1.0.0', '2.0.0', '3.0.0']);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(contactArbitrary(ANCHOR), hostileContactArbitrary()),
        fc.integer({ min: -400, max: 400 }),
        async (contact, dayShift) => {
          const at = new Date(ANCHOR.getTime() + dayShift * 86_400_000);
          for (const p of all) {
            const fast = p.evaluate(contact, at);
            const engine = await p.evaluateWithEngine(contact, at);
            expect(fast.decision).toMatch(/^(APPROVED|REJECTED)$/);
            expect({ ...fast, violations: undefined }).toEqual({
              ...engine,
              violations: undefined,
            });
            expect(fast.violations).toEqual(engine.violations);
          }
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
  });
});
