import { join, resolve } from 'node:path';
import type { CompiledPolicyImpl } from './engine/compiled-policy';
import { parseRfc3339 } from './language/time';
import { displayPath, loadPolicyDirectory } from './loader/policy-loader';
import { PolicySource } from './loader/policy-source';
import { parseYamlSafe, type PathSegment } from './loader/safe-yaml';
import { isObj } from '../common/is-object';
import type { Decision, PolicyLoadError } from './policy.types';

/**
 * Policy test cases (policies/<id>/tests/*.test.yaml), in the spirit of
 * `opa test`: a contact, an instant, the expected outcome. Every case runs
 * through both the compiled fast path and json-rules-engine; they must
 * agree with each other and with the expectation. Shared by jest and
 * `consent-gate policy test`.
 */

export interface PolicyTestExpectation {
  decision?: string;
  code?: string;
  codes?: string[];
  warnings?: string[];
  /** Rule names (or codes, for unnamed rules) of every violation, in order. */
  violations?: string[];
}

export interface PreparedCase {
  file: string;
  line: number;
  name: string;
  policyId: string;
  version: string;
  evaluatedAt: Date;
  contact: unknown;
  expect: PolicyTestExpectation;
  policy: CompiledPolicyImpl;
}

export interface PolicyTestSuite {
  /** Policy load errors and test-file format errors; any makes the run fail. */
  errors: PolicyLoadError[];
  files: string[];
  cases: PreparedCase[];
  /** Every version loaded from the directory (for coverage). */
  policies: CompiledPolicyImpl[];
}

export interface PolicyTestCaseResult {
  file: string;
  line: number;
  name: string;
  policy: string;
  version: string;
  passed: boolean;
  /** One line per mismatch: `codes: expected [...], got [...]`. */
  failures: string[];
  /** Rule names that failed for this case's contact (fast path), for coverage. */
  fired: string[];
}

/** Which rules of a loaded version no test case makes fail: untested rules, in `order`. */
export interface PolicyTestCoverage {
  policy: string;
  version: string;
  cases: number;
  /** Codes of the rules never reported by any case (not exercised by the tests). */
  uncovered: string[];
}

export interface PolicyTestReport {
  errors: PolicyLoadError[];
  files: string[];
  results: PolicyTestCaseResult[];
  passed: number;
  failed: number;
  coverage: PolicyTestCoverage[];
}

const CASE_KEYS = ['name', 'evaluatedAt', 'contact', 'expect', 'description'];
const EXPECT_KEYS = ['decision', 'code', 'codes', 'warnings', 'violations'];

/** Loads the policies and every test file under `dir` (synchronously, so jest can list cases). */
export function loadPolicyTestSuite(dir: string, source = new PolicySource()): PolicyTestSuite {
  const absDir = resolve(dir);
  const loaded = loadPolicyDirectory(source, absDir);
  const errors: PolicyLoadError[] = [...loaded.errors];
  const files = listTestFiles(source, absDir);
  const cases: PreparedCase[] = [];
  const policies = new Map(loaded.policies.map((p) => [`${p.ref.id}@${p.ref.version}`, p]));
  for (const abs of files) {
    const file = displayPath(abs);
    const parsed = parseYamlSafe(file, source.read(abs).toString('utf8'));
    if (parsed.errors.length > 0) {
      errors.push(...parsed.errors);
      continue;
    }
    const err = (path: PathSegment[], message: string): void => {
      errors.push({ file, ...parsed.locate(path), message });
    };
    const doc = parsed.value;
    if (!isObj(doc)) {
      err([], 'a test file is a mapping with policy, version and cases');
      continue;
    }
    for (const k of Object.keys(doc)) {
      if (!['policy', 'version', 'cases', 'description'].includes(k))
        err([k], `unknown field "${k}"`);
    }
    const id = doc['policy'];
    const version = doc['version'];
    if (typeof id !== 'string') err(['policy'], 'policy (the policy id) is required');
    if (typeof version !== 'string') err(['version'], 'version is required');
    const policy =
      typeof id === 'string' && typeof version === 'string'
        ? policies.get(`${id}@${version}`)
        : undefined;
    if (
      policy === undefined &&
      loaded.errors.length === 0 &&
      typeof id === 'string' &&
      typeof version === 'string'
    ) {
      err(['version'], `no policy ${id} version ${version} is loaded from ${displayPath(absDir)}`);
    }
    const list = doc['cases'];
    if (!Array.isArray(list) || list.length === 0) {
      err(['cases'], 'cases must be a non-empty list');
      continue;
    }
    const names = new Set<string>();
    list.forEach((c, i) => {
      const at: PathSegment[] = ['cases', i];
      if (!isObj(c))
        return err(at, 'a case is a mapping with name, evaluatedAt, contact and expect');
      for (const k of Object.keys(c))
        if (!CASE_KEYS.includes(k)) err([...at, k], `unknown field "${k}" in a case`);
      const name = c['name'];
      if (typeof name !== 'string' || name.length === 0) err([...at, 'name'], 'name is required');
      else if (names.has(name)) err([...at, 'name'], `duplicate case name "${name}"`);
      else names.add(name);
      const t = parseRfc3339(c['evaluatedAt']);
      if (t === undefined)
        err([...at, 'evaluatedAt'], 'evaluatedAt must be an RFC 3339 date-time with offset');
      if (!Object.hasOwn(c, 'contact'))
        err(at, 'contact is required (use null to test malformed input)');
      const expect = c['expect'];
      if (!isObj(expect)) return err([...at, 'expect'], 'expect is required');
      for (const k of Object.keys(expect)) {
        if (!EXPECT_KEYS.includes(k))
          err([...at, 'expect', k], `unknown expectation "${k}" (use ${EXPECT_KEYS.join(', ')})`);
      }
      for (const k of ['decision', 'code'] as const) {
        if (expect[k] !== undefined && typeof expect[k] !== 'string')
          err([...at, 'expect', k], `${k} must be a string`);
      }
      for (const k of ['codes', 'warnings', 'violations'] as const) {
        const v = expect[k];
        if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) {
          err([...at, 'expect', k], `${k} must be a list of codes`);
        }
      }
      if (policy !== undefined && typeof name === 'string' && t !== undefined) {
        cases.push({
          file,
          line: parsed.locate(at).line,
          name,
          policyId: policy.ref.id,
          version: policy.ref.version,
          evaluatedAt: new Date(t),
          contact: c['contact'],
          expect: expect,
          policy,
        });
      }
    });
  }
  return { errors, files: files.map(displayPath), cases, policies: loaded.policies };
}

/** Runs one case through both paths; failures list every mismatch. */
export async function runPolicyTestCase(c: PreparedCase): Promise<PolicyTestCaseResult> {
  const failures: string[] = [];
  const fast = c.policy.evaluate(c.contact, c.evaluatedAt);
  let engine: Decision | undefined;
  try {
    engine = await c.policy.evaluateWithEngine(c.contact, c.evaluatedAt);
  } catch (e) {
    failures.push(`json-rules-engine failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  compareExpectation(c.expect, fast, failures);
  if (engine !== undefined) {
    const disagreement = diffDecisions(fast, engine);
    if (disagreement.length > 0) {
      failures.push(...disagreement.map((d) => `fast path and json-rules-engine disagree: ${d}`));
    }
  }
  return {
    file: c.file,
    line: c.line,
    name: c.name,
    policy: c.policyId,
    version: c.version,
    passed: failures.length === 0,
    failures,
    fired: fast.violations.map((v) => v.rule),
  };
}

export async function runPolicyTests(
  dir: string,
  source = new PolicySource(),
): Promise<PolicyTestReport> {
  const suite = loadPolicyTestSuite(dir, source);
  const results: PolicyTestCaseResult[] = [];
  for (const c of suite.cases) results.push(await runPolicyTestCase(c));
  const passed = results.filter((r) => r.passed).length;
  return {
    errors: suite.errors,
    files: suite.files,
    results,
    passed,
    failed: results.length - passed,
    coverage: coverageOf(suite.policies, results),
  };
}

/** Per loaded version: its case count and the rules no case makes fail (in the spirit of `opa test --coverage`). */
function coverageOf(
  policies: readonly CompiledPolicyImpl[],
  results: readonly PolicyTestCaseResult[],
): PolicyTestCoverage[] {
  return policies.map((p) => {
    const mine = results.filter((r) => r.policy === p.ref.id && r.version === p.ref.version);
    const fired = new Set(mine.flatMap((r) => r.fired));
    return {
      policy: p.ref.id,
      version: p.ref.version,
      cases: mine.length,
      uncovered: p.rules.filter((r) => !fired.has(r.name)).map((r) => r.code),
    };
  });
}

function compareExpectation(e: PolicyTestExpectation, d: Decision, failures: string[]): void {
  if (e.decision !== undefined && e.decision !== d.decision) {
    failures.push(`decision: expected ${e.decision}, got ${d.decision}`);
  }
  if (e.code !== undefined && e.code !== d.code)
    failures.push(`code: expected ${e.code}, got ${d.code}`);
  const lists: [keyof PolicyTestExpectation & ('codes' | 'warnings' | 'violations'), string[]][] = [
    ['codes', d.codes],
    ['warnings', d.warnings],
    ['violations', d.violations.map((v) => v.rule)],
  ];
  for (const [k, actual] of lists) {
    const expected = e[k];
    if (expected !== undefined && !sameList(expected, actual)) {
      failures.push(`${k}: expected [${expected.join(', ')}], got [${actual.join(', ')}]`);
    }
  }
}

/** Differences between two decisions in decision, code, codes, warnings and violations. */
export function diffDecisions(a: Decision, b: Decision): string[] {
  const out: string[] = [];
  if (a.decision !== b.decision) out.push(`decision ${a.decision} vs ${b.decision}`);
  if (a.code !== b.code) out.push(`code ${a.code} vs ${b.code}`);
  if (!sameList(a.codes, b.codes))
    out.push(`codes [${a.codes.join(', ')}] vs [${b.codes.join(', ')}]`);
  if (!sameList(a.warnings, b.warnings))
    out.push(`warnings [${a.warnings.join(', ')}] vs [${b.warnings.join(', ')}]`);
  const va = a.violations.map((v) => `${v.rule}:${v.message}`);
  const vb = b.violations.map((v) => `${v.rule}:${v.message}`);
  if (!sameList(va, vb)) out.push(`violations [${va.join(', ')}] vs [${vb.join(', ')}]`);
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function listTestFiles(source: PolicySource, dir: string): string[] {
  const out: string[] = [];
  for (const id of source.listDirs(dir)) {
    for (const f of source.listFiles(join(dir, id, 'tests'))) {
      if (/\.test\.ya?ml$/.test(f)) out.push(join(dir, id, 'tests', f));
    }
  }
  return out;
}
