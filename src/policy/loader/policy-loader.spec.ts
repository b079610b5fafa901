import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLoadError, loadPolicyDirectory } from './policy-loader';
import { POLICY_SCHEMA } from './policy-schema';
import { PolicySource } from './policy-source';

const source = new PolicySource();
const SHIPPED = join(__dirname, '..', '..', '..', 'policies');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-loader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = join(dir, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Errors as `line:col message` for the single file under test. */
function errorsOf(text: string, rel = 'demo/1.0.0.yaml'): string[] {
  const file = write(rel, text);
  const { errors, policies } = loadPolicyDirectory(source, dir);
  expect(policies).toEqual([]);
  return errors.map((e) => {
    expect(e.file).toBe(file);
    return `${e.line}:${e.column} ${e.message}`;
  });
}

const HEAD = `policy: demo
version: 1.0.0
effectiveFrom: 2025-01-01
description: test policy
parameters:
  maxAge: 10
  scopes: [a, b]
rules:
`;
// Line 9 is the first rule line.
const RULE = `  - code: TOO_OLD
    severity: reject
    order: 10
    message: Older than {maxAge} days.
    when:
      fact: consent_age_days
      operator: greaterThan
      value: { param: maxAge }
`;

describe('loadPolicyDirectory', () => {
  it('loads a valid file with digest = sha256 of its bytes', () => {
    const file = write('demo/1.0.0.yaml', HEAD + RULE);
    const { errors, policies } = loadPolicyDirectory(source, dir);
    expect(errors).toEqual([]);
    expect(policies).toHaveLength(1);
    const p = policies[0];
    expect(p?.ref).toEqual({
      id: 'demo',
      version: '1.0.0',
      digest: `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`,
    });
    expect(p?.rules).toEqual([
      {
        code: 'TOO_OLD',
        name: 'TOO_OLD',
        severity: 'reject',
        order: 10,
        message: 'Older than 10 days.',
      },
    ]);
  });

  it('ignores tests/ folders and JSON files', () => {
    write('demo/1.0.0.yaml', HEAD + RULE);
    write('demo/tests/1.0.0.test.yaml', 'cases: []\n');
    write('policy.schema.json', '{}');
    expect(loadPolicyDirectory(source, dir).errors).toEqual([]);
  });

  it('reports an unknown fact, operator and parameter at their nodes, with suggestions', () => {
    const text =
      HEAD +
      RULE.replace('consent_age_days', 'consent_age_dayz')
        .replace('greaterThan', 'greaterThen')
        .replace('param: maxAge', 'param: maxAgee');
    expect(errorsOf(text)).toEqual([
      '14:13 unknown fact "consent_age_dayz" (did you mean "consent_age_days"?)',
      '15:17 unknown operator "greaterThen" (did you mean "greaterThan"?)',
      '16:23 unknown parameter "maxAgee" (did you mean "maxAge"?)',
    ]);
  });

  it('reports a duplicate rule code and a duplicate order at the second rule', () => {
    expect(errorsOf(HEAD + RULE + RULE)).toEqual([
      '17:11 duplicate rule code TOO_OLD (first defined at line 9)',
      '19:12 duplicate order 10 (also used at line 11); orders decide the primary code and must be unique',
    ]);
  });

  it('rejects a duplicate code even when the rules have distinct names', () => {
    const second = RULE.replace('order: 10', 'order: 20').replace(
      '  - code: TOO_OLD\n',
      '  - code: TOO_OLD\n    name: too-old-again\n',
    );
    expect(errorsOf(HEAD + RULE + second)).toEqual([
      '17:11 duplicate rule code TOO_OLD (first defined at line 9)',
    ]);
  });

  it('reports a file name that does not match policy/version', () => {
    expect(errorsOf(HEAD + RULE, 'other/2.0.0.yaml')).toEqual([
      '1:9 policy "demo" does not match its folder name "other"',
      '2:10 version "1.0.0" does not match the file name "2.0.0.yaml"',
    ]);
  });

  it('reports two files claiming the same id and version', () => {
    write('demo/1.0.0.yaml', HEAD + RULE);
    const dup = write('demo/1.0.0.yml', HEAD + RULE);
    const { errors, policies } = loadPolicyDirectory(source, dir);
    expect(policies).toEqual([]);
    expect(errors.map(formatLoadError)).toEqual([
      `${dup}:2:10 policy demo version 1.0.0 is also defined in ${join(dir, 'demo/1.0.0.yaml')}`,
    ]);
  });

  it('reports schema errors: bad semver, unknown field, bad severity, missing field', () => {
    const text =
      HEAD.replace('version: 1.0.0', 'version: v1.0').replace(
        'description: test policy\n',
        'description: test policy\nowner: me\n',
      ) +
      RULE.replace('severity: reject', 'severity: fatal').replace(
        '    message: Older than {maxAge} days.\n',
        '',
      );
    expect(errorsOf(text, 'demo/v1.0.yaml')).toEqual([
      '2:10 version must be a semantic version such as 1.2.0',
      '5:1 unknown field "owner" in (document)',
      '10:5 rules[0] is missing required field "message"',
      '11:15 rules[0].severity must be one of: reject, warn',
    ]);
  });

  it('reports fact params: unknown, missing required, wrong type', () => {
    const rule = `  - code: TS_BAD
    severity: reject
    order: 10
    message: bad
    when:
      all:
        - fact: consent_timestamp_status
          operator: equal
          value: invalid
        - fact: consent_timestamp_status
          params: { futureToleranceMinutes: five, tolerance: 5 }
          operator: equal
          value: future
`;
    expect(errorsOf(HEAD + rule)).toEqual([
      '15:11 fact consent_timestamp_status requires param "futureToleranceMinutes"',
      '19:45 param "futureToleranceMinutes" of fact consent_timestamp_status must be number',
      '19:51 fact consent_timestamp_status has no param "tolerance" (accepts: futureToleranceMinutes)',
    ]);
  });

  it('reports skipIfFailed naming an unknown code or a later rule', () => {
    const a = RULE.replace('TOO_OLD', 'FIRST').replace(
      '    when:',
      '    skipIfFailed: [SECOND, NOPE]\n    when:',
    );
    const b = RULE.replace('TOO_OLD', 'SECOND').replace('order: 10', 'order: 20');
    expect(errorsOf(HEAD + a + b)).toEqual([
      '13:20 skipIfFailed code SECOND must belong to a rule with a lower order (it has 20, this rule 10)',
      '13:28 skipIfFailed names unknown rule code NOPE',
    ]);
  });

  it('reports impossible dates and rule windows outside the policy window', () => {
    const head = HEAD.replace(
      'effectiveFrom: 2025-01-01',
      'effectiveFrom: 2025-01-01\neffectiveTo: 2026-01-01',
    );
    const rule = RULE.replace(
      '    when:',
      '    effectiveFrom: 2026-02-30\n    effectiveTo: 2024-06-01\n    when:',
    );
    expect(errorsOf(head + rule)).toEqual([
      '14:20 effectiveFrom "2026-02-30" is not a real date (YYYY-MM-DD) or RFC 3339 date-time with offset',
      '15:18 rule effectiveTo is not after the policy effectiveFrom: the rule would never apply',
    ]);
  });

  it('reports message placeholders, list/number values, fact-reference values, paths and empty groups', () => {
    const rule = `  - code: MANY
    severity: warn
    order: 10
    message: Scope not in {scopez}.
    when:
      any:
        - { fact: consent_scope, operator: in, value: cold_call }
        - { fact: consent_age_days, operator: lessThan, value: "10" }
        - { fact: consent_scope, operator: equal, value: { fact: other } }
        - { fact: contact, path: "$..country", operator: equal, value: DE }
        - { all: [] }
        - { fact: consent_scope, operator: isMissing, all: [] }
        - { fact: contact, operator: isMissing }
`;
    expect(errorsOf(HEAD + rule)).toEqual([
      '12:14 message refers to unknown parameter {scopez}',
      '15:55 operator in needs a list value',
      '16:64 operator lessThan needs a number value',
      '17:58 a value cannot be an object with a "fact" key (fact references are not supported)',
      '18:34 path must be a simple JSONPath such as $.field, $.a.b or $.list[0]',
      '19:18 all must be a non-empty list of conditions',
      '20:11 a condition has exactly one of fact, all, any, not (found all, fact)',
      '21:11 fact contact reads one field: give a path such as $.country',
    ]);
  });

  it('names a wrongly typed field', () => {
    expect(
      errorsOf(HEAD.replace('version: 1.0.0', 'version: 1.0') + RULE, 'demo/1.0.yaml'),
    ).toEqual(['2:10 version must be a string']);
  });

  it('rejects custom YAML tags', () => {
    const text =
      HEAD.replace('description: test policy', 'description: !!js/function "function () {}"') +
      RULE;
    expect(errorsOf(text)).toEqual([
      '4:14 YAML tag tag:yaml.org,2002:js/function is not allowed in policy files',
    ]);
    expect(
      errorsOf(HEAD.replace('description: test policy', 'description: !custom x') + RULE)[0],
    ).toContain('YAML tag !custom is not allowed');
  });

  it('rejects a billion-laughs alias bomb without expanding it', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 30; i++) {
      bomb += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
    }
    const errors = errorsOf(bomb);
    expect(errors).toHaveLength(1);
    // Pointed at the first alias (line 2, after "a1: &a1 ["), where the expansion starts.
    expect(errors[0]).toMatch(/^2:10 YAML could not be expanded: Excessive alias count/);
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    expect(errorsOf('policy: demo\npolicy: again\n')[0]).toBe(
      '2:1 duplicate key "policy": a field may appear only once',
    );
    expect(errorsOf('policy: [demo\n')[0]).toMatch(/^\d+:\d+ /);
  });

  it('refuses a file with several YAML documents, saying how to fix it', () => {
    expect(errorsOf(HEAD + RULE + '---\npolicy: demo\n')).toEqual([
      '17:1 a policy file holds exactly one YAML document: remove the "---" separator',
    ]);
  });

  it('reports a missing directory, an empty one and misplaced files', () => {
    expect(loadPolicyDirectory(source, join(dir, 'nope')).errors[0]?.message).toBe(
      'policy directory does not exist',
    );
    expect(loadPolicyDirectory(source, dir).errors[0]?.message).toMatch(/no policy files found/);
    write('stray.yaml', HEAD + RULE);
    expect(loadPolicyDirectory(source, dir).errors[0]?.message).toMatch(
      /not loaded: policy files live in/,
    );
  });

  it('lists every error of every file, not just the first', () => {
    write('demo/1.0.0.yaml', HEAD + RULE.replace('consent_age_days', 'nope'));
    write('demo/2.0.0.yaml', HEAD.replace('1.0.0', '2.0.0') + RULE.replace('greaterThan', 'nope'));
    expect(loadPolicyDirectory(source, dir).errors).toHaveLength(2);
  });
});

describe('published schema', () => {
  it('policies/policy.schema.json is identical to the schema the loader uses', () => {
    const published = JSON.parse(
      readFileSync(join(SHIPPED, 'policy.schema.json'), 'utf8'),
    ) as unknown;
    expect(published).toEqual(POLICY_SCHEMA);
  });

  it('shipped policy files point editors at the schema', () => {
    for (const v of ['1.0.0', '2.0.0', '3.0.0']) {
      const text = readFileSync(join(SHIPPED, 'gdpr-consent', `${v}.yaml`), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../policy.schema.json');
    }
  });
});
