import { DomainError } from '../../src/common/domain-error';
import { ErrorCode } from '../../src/common/error-codes';
import { PolicyRegistry, type ReloadResult } from '../../src/policy/policy-registry';
import {
  INPUT_MALFORMED,
  VALIDATION_PASSED,
  type CompiledPolicy,
  type Decision,
  type PolicySummary,
} from '../../src/policy/policy.types';

/**
 * A stand-in policy for unit tests of the validation layer: a contact is approved
 * when it has `consent: true`, otherwise rejected with CONSENT_MISSING.
 */
export function fakePolicy(
  version = '1.0.0',
  effectiveFrom = '2020-01-01T00:00:00Z',
): CompiledPolicy {
  const evaluate = (contact: unknown): Decision => {
    if (contact === null || typeof contact !== 'object' || Array.isArray(contact)) {
      return {
        decision: 'REJECTED',
        code: INPUT_MALFORMED,
        codes: [INPUT_MALFORMED],
        warnings: [],
        violations: [
          {
            code: INPUT_MALFORMED,
            message: 'not an object',
            rule: INPUT_MALFORMED,
            severity: 'reject',
          },
        ],
      };
    }
    const ok =
      Object.prototype.hasOwnProperty.call(contact, 'consent') &&
      (contact as { consent?: unknown }).consent === true;
    return ok
      ? { decision: 'APPROVED', code: VALIDATION_PASSED, codes: [], warnings: [], violations: [] }
      : {
          decision: 'REJECTED',
          code: 'CONSENT_MISSING',
          codes: ['CONSENT_MISSING'],
          warnings: [],
          violations: [
            { code: 'CONSENT_MISSING', message: 'no consent', rule: 'consent', severity: 'reject' },
          ],
        };
  };
  return {
    ref: { id: 'gdpr-consent', version, digest: `sha256:${'0'.repeat(63)}${version.charAt(0)}` },
    effectiveFrom,
    effectiveTo: null,
    description: 'fake',
    file: `/fake/${version}.yaml`,
    source: `id: gdpr-consent\nversion: ${version}\n`,
    document: { id: 'gdpr-consent', version },
    rules: [
      {
        code: 'CONSENT_MISSING',
        name: 'consent',
        severity: 'reject',
        message: 'no consent',
        order: 0,
      },
    ],
    evaluate: (c) => evaluate(c),
    evaluateWithEngine: (c) =>
      Promise.resolve({
        ...evaluate(c),
        explain: [
          {
            rule: 'consent',
            code: 'CONSENT_MISSING',
            severity: 'reject',
            evaluated: true,
            failed: false,
          },
        ],
      }),
  };
}

export class FakePolicyRegistry extends PolicyRegistry {
  reloadResult: ReloadResult | undefined;
  constructor(readonly versions: CompiledPolicy[] = [fakePolicy()]) {
    super();
  }
  isReady(): boolean {
    return true;
  }
  list(): PolicySummary[] {
    return [
      {
        id: 'gdpr-consent',
        versions: this.versions.map((v) => ({
          version: v.ref.version,
          effectiveFrom: v.effectiveFrom,
          effectiveTo: v.effectiveTo,
          digest: v.ref.digest,
          description: v.description,
        })),
        active: this.versions.at(-1)?.ref.version ?? null,
      },
    ];
  }
  get(id: string, version: string): CompiledPolicy {
    if (id !== 'gdpr-consent')
      throw new DomainError(ErrorCode.POLICY_NOT_FOUND, `No policy "${id}".`);
    const v = this.versions.find((p) => p.ref.version === version);
    if (!v) throw new DomainError(ErrorCode.POLICY_VERSION_NOT_FOUND, `No version ${version}.`);
    return v;
  }
  resolve(id: string | undefined, version: string | undefined, at: Date): CompiledPolicy {
    const pid = id ?? 'gdpr-consent';
    if (version !== undefined) return this.get(pid, version);
    if (pid !== 'gdpr-consent')
      throw new DomainError(ErrorCode.POLICY_NOT_FOUND, `No policy "${pid}".`);
    const inEffect = this.versions
      .filter((p) => Date.parse(p.effectiveFrom) <= at.getTime())
      .at(-1);
    if (!inEffect) throw new DomainError(ErrorCode.NO_VERSION_IN_EFFECT, 'No version in effect.');
    return inEffect;
  }
  reload(): Promise<ReloadResult> {
    return Promise.resolve(
      this.reloadResult ?? { ok: true, errors: [], loaded: this.versions.map((v) => v.ref) },
    );
  }
  compileFile(): Promise<CompiledPolicy> {
    return Promise.reject(new Error('not supported'));
  }
}
