import { FixedClock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ErrorCode } from '../common/error-codes';
import type { AppConfig } from '../config/app-config';
import type { ComparisonLog, ComparisonLogEntry } from '../audit/comparison-log';
import type { PolicyRegistry } from '../policy/policy-registry';
import type { CompiledPolicy } from '../policy/policy.types';
import type { CommittedPolicyReader } from './committed-policy.reader';
import { ComparisonService } from './comparison.service';
import { fakePolicy, type FakeRule } from './testing/fake-policy';

const T = new Date('2026-07-15T12:00:00Z');
const LATER = new Date('2026-08-15T12:00:00Z');

const missing: FakeRule = { code: 'CONSENT_MISSING', fires: (c) => !c.consent };
const scope: FakeRule = {
  code: 'SCOPE_MISMATCH',
  fires: (c) => c.scope !== 'cold_call' && c.scope !== 'marketing_email',
};
const frOptIn: FakeRule = {
  code: 'FR_OPT_IN_REQUIRED',
  when: { effectiveFrom: '2026-08-11' },
  fires: (c, at) => c.country === 'FR' && at >= new Date('2026-08-11T00:00:00Z') && !c.optIn,
};
const narrowScope: FakeRule = {
  code: 'SCOPE_MISMATCH',
  when: 'cold_call only',
  fires: (c) => c.scope !== 'cold_call',
};
const neverFires: FakeRule = { code: 'MINOR', when: 'age < 18', fires: () => false };
const deadEdit: FakeRule = {
  code: 'CONSENT_MISSING',
  when: 'edited but equivalent',
  fires: (c) => !c.consent,
};

/** A file with no git history (untracked, or git unavailable). */
const noCommits = { readHead: () => Promise.resolve(undefined) } as CommittedPolicyReader;

function setup(policies: CompiledPolicy[], committed: CommittedPolicyReader = noCommits) {
  const byKey = new Map(policies.map((p) => [`${p.ref.id}@${p.ref.version}`, p]));
  const registry = {
    resolve: (id: string | undefined, version: string | undefined) => {
      const pid = id ?? 'gdpr-consent';
      if (![...byKey.keys()].some((k) => k.startsWith(`${pid}@`))) {
        throw new DomainError(ErrorCode.POLICY_NOT_FOUND, `no policy ${pid}`);
      }
      const p = byKey.get(`${pid}@${version ?? '1.0.0'}`);
      if (!p) throw new DomainError(ErrorCode.POLICY_VERSION_NOT_FOUND, `no ${pid} ${version}`);
      return p;
    },
    compileFile: (path: string) => {
      const p = byKey.get(path) ?? policies.find((x) => x.file === path);
      return p ? Promise.resolve(p) : Promise.reject(new Error('no file'));
    },
  } as unknown as PolicyRegistry;
  const logged: ComparisonLogEntry[] = [];
  const log: ComparisonLog = {
    record: (e: ComparisonLogEntry) => {
      logged.push(e);
      return Promise.resolve();
    },
  };
  const config = { server: { maxContactsPerRequest: 5 } } as AppConfig;
  const service = new ComparisonService(registry, new FixedClock(T), log, config, committed);
  return { service, logged };
}

const v1 = fakePolicy('gdpr-consent', '1.0.0', [missing, scope]);
const v2 = fakePolicy('gdpr-consent', '2.0.0', [missing, narrowScope, frOptIn, neverFires]);
const contacts = [
  { id: 'a', consent: true, scope: 'cold_call' }, // approved -> approved
  { id: 'b', consent: true, scope: 'marketing_email' }, // approved -> rejected (scope narrowed)
  { id: 'c', consent: false, scope: 'other' }, // rejected, same codes
  { id: 'd', consent: true, scope: 'cold_call', country: 'FR' }, // FR rule not yet in effect at T
  'not an object',
];

describe('ComparisonService', () => {
  it('classifies each contact and summarises the changes between two versions', async () => {
    const { service, logged } = setup([v1, v2]);
    const result = await service.compareContacts(
      { baseline: { version: '1.0.0' }, candidate: { version: '2.0.0' } },
      contacts,
      'all',
      { requestId: 'r1', source: 'http' },
    );
    expect(result.changes.map((c) => [c.contactId, c.change])).toEqual([
      ['a', 'unchanged'],
      ['b', 'newly-rejected'],
      ['c', 'unchanged'],
      ['d', 'unchanged'],
      [null, 'unchanged'],
    ]);
    expect(result.changes[1]?.candidate).toEqual({
      decision: 'REJECTED',
      code: 'SCOPE_MISMATCH',
      codes: ['SCOPE_MISMATCH'],
    });
    expect(result.changes[4]?.baseline.code).toBe('INPUT_MALFORMED');
    const s = result.summary;
    expect(s.total).toBe(5);
    expect(s.changed).toBe(1);
    expect(s.byChange).toEqual({
      unchanged: 4,
      'newly-rejected': 1,
      'newly-approved': 0,
      'reason-changed': 0,
    });
    expect(s.transitions.VALIDATION_PASSED).toEqual({ SCOPE_MISMATCH: 1, VALIDATION_PASSED: 2 });
    expect(s.codesGained).toEqual({ SCOPE_MISMATCH: 1 });
    expect(s.codesLost).toEqual({});
    expect(s.newlyRejectedByRule).toEqual([
      { code: 'SCOPE_MISMATCH', newlyRejected: 1, soleReason: 1 },
    ]);
    // Both new rules fire for nobody in this input, at this instant.
    expect(s.deadChanges.map((d) => [d.code, d.reason])).toEqual([
      ['FR_OPT_IN_REQUIRED', 'added-never-fires'],
      ['MINOR', 'added-never-fires'],
    ]);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      requestId: 'r1',
      source: 'http',
      baseline: { version: '1.0.0', digest: v1.ref.digest, evaluatedAt: T.toISOString() },
      candidate: { version: '2.0.0', digest: v2.ref.digest },
      summary: { total: 5, unchanged: 4, newlyRejected: 1, newlyApproved: 0, reasonChanged: 0 },
    });
    expect(logged[0]?.inputDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(logged)).not.toContain('marketing_email');
  });

  it('lists only changed contacts by default', async () => {
    const { service } = setup([v1, v2]);
    const result = await service.compareContacts(
      { baseline: { version: '1.0.0' }, candidate: { version: '2.0.0' } },
      contacts,
      'changed',
      { requestId: 'r', source: 'http' },
    );
    expect(result.changes.map((c) => c.contactId)).toEqual(['b']);
  });

  it('compares one version at two instants: a rule whose effective date arrives', async () => {
    const { service } = setup([v2]);
    const result = await service.compareContacts(
      {
        baseline: { version: '2.0.0', evaluatedAt: T },
        candidate: { version: '2.0.0', evaluatedAt: LATER },
      },
      contacts,
      'changed',
      { requestId: 'r', source: 'http' },
    );
    expect(result.baseline.evaluatedAt).toBe(T.toISOString());
    expect(result.candidate.evaluatedAt).toBe(LATER.toISOString());
    expect(result.changes.map((c) => [c.contactId, c.change, c.candidate.code])).toEqual([
      ['d', 'newly-rejected', 'FR_OPT_IN_REQUIRED'],
    ]);
    // Same source on both sides: no rule changes, so nothing is "dead".
    expect(result.summary.ruleChanges).toEqual([]);
    expect(result.summary.deadChanges).toEqual([]);
  });

  it('reports reason-changed, newly-approved, codes lost and a modified rule that moved nobody', async () => {
    const base = fakePolicy('gdpr-consent', '1.0.0', [missing, scope]);
    const cand = fakePolicy('gdpr-consent', '2.0.0', [deadEdit]);
    const { service } = setup([base, cand]);
    const result = await service.compareContacts(
      { baseline: { version: '1.0.0' }, candidate: { version: '2.0.0' } },
      [
        { id: 'x', consent: false, scope: 'nope' }, // [MISSING, SCOPE] -> [MISSING]
        { id: 'y', consent: true, scope: 'nope' }, // [SCOPE] -> approved
      ],
      'changed',
      { requestId: 'r', source: 'http' },
    );
    expect(result.changes.map((c) => c.change)).toEqual(['reason-changed', 'newly-approved']);
    expect(result.summary.codesLost).toEqual({ SCOPE_MISMATCH: 2 });
    expect(result.summary.ruleChanges).toEqual([
      {
        rule: 'CONSENT_MISSING',
        code: 'CONSENT_MISSING',
        status: 'modified',
        fields: ['when'],
        firedGained: 0,
        firedLost: 0,
      },
      {
        rule: 'SCOPE_MISMATCH',
        code: 'SCOPE_MISMATCH',
        status: 'removed',
        fields: [],
        firedGained: 0,
        firedLost: 2,
      },
    ]);
    expect(result.summary.deadChanges).toEqual([
      {
        rule: 'CONSENT_MISSING',
        code: 'CONSENT_MISSING',
        reason: 'modified-without-effect',
        fields: ['when'],
      },
    ]);
  });

  it('refuses more contacts than MAX_CONTACTS_PER_REQUEST and points at the stream endpoint', async () => {
    const { service, logged } = setup([v1, v2]);
    const err = await service
      .compareContacts(
        { baseline: { version: '1.0.0' }, candidate: { version: '2.0.0' } },
        new Array(6).fill({}),
        'changed',
        { requestId: 'r', source: 'http' },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    expect((err as DomainError).message).toContain('/v1/compare/stream');
    expect(logged).toHaveLength(0);
  });

  it('tracks rules sharing a code separately: a new rule firing where an old one already did is not dead', async () => {
    const basis: FakeRule = { code: 'LAWFUL_BASIS', fires: (c) => c.basis === 'li' };
    const frBasis: FakeRule = {
      code: 'LAWFUL_BASIS',
      name: 'fr-opt-in',
      fires: (c) => c.basis === 'li' && c.country === 'FR',
    };
    const nlBasis: FakeRule = {
      code: 'LAWFUL_BASIS',
      name: 'nl-opt-in',
      fires: (c) => c.basis === 'li' && c.country === 'NL',
    };
    const base = fakePolicy('gdpr-consent', '1.0.0', [basis]);
    const cand = fakePolicy('gdpr-consent', '2.0.0', [basis, frBasis, nlBasis]);
    const { service } = setup([base, cand]);
    const result = await service.compareContacts(
      { baseline: { version: '1.0.0' }, candidate: { version: '2.0.0' } },
      [{ id: 'f', basis: 'li', country: 'FR' }],
      'all',
      { requestId: 'r', source: 'http' },
    );
    expect(result.summary.codesGained).toEqual({});
    expect(result.summary.ruleChanges.map((r) => [r.rule, r.status, r.firedGained])).toEqual([
      ['fr-opt-in', 'added', 1],
      ['nl-opt-in', 'added', 0],
    ]);
    expect(result.summary.deadChanges.map((d) => d.rule)).toEqual(['nl-opt-in']);
  });

  it('propagates unknown versions as POLICY_VERSION_NOT_FOUND', async () => {
    const { service } = setup([v1]);
    await expect(
      service.prepare({ baseline: { version: '1.0.0' }, candidate: { version: '9.9.9' } }),
    ).rejects.toMatchObject({ code: ErrorCode.POLICY_VERSION_NOT_FOUND });
  });

  it('takes a candidate file against a baseline of the same policy, and refuses another policy', async () => {
    const other = fakePolicy('other-policy', '1.0.0', [missing]);
    const { service } = setup([v1, v2, other]);
    const prepared = await service.prepare({
      baseline: { version: '1.0.0' },
      candidate: {},
      candidateFile: 'gdpr-consent@2.0.0',
    });
    expect(prepared.candidate.info.version).toBe('2.0.0');
    expect(prepared.candidateFile).toBe('gdpr-consent@2.0.0');
    await expect(
      service.prepare({
        policy: 'gdpr-consent',
        baseline: { version: '1.0.0' },
        candidate: {},
        candidateFile: 'other-policy@1.0.0',
      }),
    ).rejects.toMatchObject({ code: ErrorCode.COMPARE_INVALID });
  });

  it('compares a candidate file without --baseline against its committed text (git HEAD)', async () => {
    // The fake registry compiles "files" by id@version: HEAD holds 1.0.0's text.
    const disposed: string[] = [];
    const committed = {
      readHead: (file: string) =>
        Promise.resolve({
          path: 'gdpr-consent@1.0.0',
          dispose: () => {
            disposed.push(file);
            return Promise.resolve();
          },
        }),
    } as CommittedPolicyReader;
    const { service } = setup([v1, v2], committed);
    const prepared = await service.prepare({
      baseline: {},
      candidate: {},
      candidateFile: 'gdpr-consent@2.0.0',
    });
    expect(prepared.baseline.info.version).toBe('1.0.0');
    expect(prepared.baselineFromCommit).toBe(true);
    expect(disposed).toEqual(['gdpr-consent@2.0.0']);
    // An explicit --baseline wins over the committed text.
    const explicit = await service.prepare({
      baseline: { version: '2.0.0' },
      candidate: {},
      candidateFile: 'gdpr-consent@2.0.0',
    });
    expect(explicit.baselineFromCommit).toBeUndefined();
  });

  it('refuses a candidate file that is the very file the baseline is loaded from', async () => {
    const { service } = setup([v1, v2]);
    // v2 is served from /policies/gdpr-consent/2.0.0.yaml and has no commit: comparing the file
    // with itself would report "no change" whatever the edit.
    await expect(
      service.prepare({ baseline: { version: '2.0.0' }, candidate: {}, candidateFile: v2.file }),
    ).rejects.toMatchObject({ code: ErrorCode.COMPARE_INVALID });
    // Another version as the baseline is fine.
    const ok = await service.prepare({
      baseline: { version: '1.0.0' },
      candidate: {},
      candidateFile: v2.file,
    });
    expect(ok.candidate.info.version).toBe('2.0.0');
  });

  it('gives the same input digest whatever the key order of the contacts', async () => {
    const { service } = setup([v1, v2]);
    const run = (cs: unknown[]) =>
      service.compareContacts(
        { baseline: { version: '1.0.0' }, candidate: { version: '2.0.0' } },
        cs,
        'changed',
        { requestId: 'r', source: 'http' },
      );
    const a = await run([{ id: 'a', scope: 'x', consent: true }]);
    const b = await run([{ consent: true, scope: 'x', id: 'a' }]);
    const c = await run([{ consent: true, scope: 'y', id: 'a' }]);
    expect(a.inputDigest).toBe(b.inputDigest);
    expect(a.inputDigest).not.toBe(c.inputDigest);
  });
});
