import { join } from 'node:path';
import { formatLoadError } from './loader/policy-loader';
import { loadPolicyTestSuite, runPolicyTestCase, runPolicyTests } from './policy-test-runner';

// Every case in policies/**/tests/*.test.yaml, through both evaluation paths.
const suite = loadPolicyTestSuite(join(__dirname, '..', '..', 'policies'));

describe('shipped policy test cases', () => {
  it('load without policy or test-file errors', () => {
    expect(suite.errors.map(formatLoadError)).toEqual([]);
  });

  it('include at least 25 cases for every shipped version', () => {
    const perVersion = new Map<string, number>();
    for (const c of suite.cases) {
      const key = `${c.policyId}@${c.version}`;
      perVersion.set(key, (perVersion.get(key) ?? 0) + 1);
    }
    expect(perVersion.get('gdpr-consent@1.0.0')).toBeGreaterThanOrEqual(25);
    for (const [, n] of perVersion) expect(n).toBeGreaterThanOrEqual(25);
  });

  it('make every rule of every shipped version fail in at least one case', async () => {
    const report = await runPolicyTests(join(__dirname, '..', '..', 'policies'));
    expect(report.coverage.map((c) => `${c.policy}@${c.version}`)).toEqual([
      'gdpr-consent@1.0.0',
      'gdpr-consent@2.0.0',
      'gdpr-consent@3.0.0',
    ]);
    for (const c of report.coverage)
      expect({ [c.version]: c.uncovered }).toEqual({ [c.version]: [] });
  });

  it.each(suite.cases.map((c) => [`${c.policyId}@${c.version} ${c.name}`, c] as const))(
    '%s',
    async (_title, c) => {
      const result = await runPolicyTestCase(c);
      expect(result.failures).toEqual([]);
    },
  );
});
