import { createHash } from 'node:crypto';
import type {
  CompiledPolicy,
  Decision,
  RuleInfo,
  Severity,
  Violation,
} from '../../policy/policy.types';
import { INPUT_MALFORMED, VALIDATION_PASSED } from '../../policy/policy.types';

/** A rule for fake policies: fires when `fires(contact, at)` holds. */
export interface FakeRule {
  code: string;
  /** Rule name when several rules share a code. */
  name?: string;
  severity?: Severity;
  fires: (contact: Record<string, unknown>, at: Date) => boolean;
  /** Stands in for the YAML `when`; changing it marks the rule modified. */
  when?: unknown;
}

/**
 * A CompiledPolicy test double for unit tests of the comparison (the real
 * registry is exercised by the e2e specs). Evaluates rules in order like the
 * real engine: `code` is the first failing reject rule, `codes` all of them.
 */
export function fakePolicy(id: string, version: string, rules: FakeRule[]): CompiledPolicy {
  const source = `policy: ${id}\nversion: ${version}\nrules:\n${rules
    .map((r) => `  - code: ${r.code}\n    when: ${JSON.stringify(r.when ?? r.code)}\n`)
    .join('')}`;
  const infos: RuleInfo[] = rules.map((r, i) => ({
    code: r.code,
    name: r.code,
    severity: r.severity ?? 'reject',
    message: r.code,
    order: (i + 1) * 10,
  }));
  const evaluate = (contact: unknown, at: Date): Decision => {
    if (typeof contact !== 'object' || contact === null || Array.isArray(contact)) {
      return {
        decision: 'REJECTED',
        code: INPUT_MALFORMED,
        codes: [INPUT_MALFORMED],
        warnings: [],
        violations: [],
      };
    }
    const c = contact as Record<string, unknown>;
    const codes: string[] = [];
    const warnings: string[] = [];
    const violations: Violation[] = [];
    for (const r of rules) {
      if (!r.fires(c, at)) continue;
      const severity = r.severity ?? 'reject';
      if (severity === 'reject') codes.push(r.code);
      else warnings.push(r.code);
      violations.push({ code: r.code, message: r.code, rule: r.name ?? r.code, severity });
    }
    return {
      decision: codes.length > 0 ? 'REJECTED' : 'APPROVED',
      code: codes[0] ?? VALIDATION_PASSED,
      codes,
      warnings,
      violations,
    };
  };
  return {
    ref: { id, version, digest: `sha256:${createHash('sha256').update(source).digest('hex')}` },
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
    description: `${id} ${version}`,
    file: `/policies/${id}/${version}.yaml`,
    source,
    document: {
      policy: id,
      version,
      rules: rules.map((r, i) => ({
        code: r.code,
        ...(r.name ? { name: r.name } : {}),
        severity: r.severity ?? 'reject',
        order: (i + 1) * 10,
        message: r.code,
        when: r.when ?? r.code,
      })),
    },
    rules: infos,
    evaluate,
    evaluateWithEngine: (contact, at) => Promise.resolve(evaluate(contact, at)),
  };
}
