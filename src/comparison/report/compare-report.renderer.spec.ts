import { CompareSummaryAccumulator, classifyChange } from '../compare-summary';
import type { ContactChange, SideOutcome } from '../comparison.types';
import { renderCompareReport, type CompareReportInput } from './compare-report.renderer';

const approved: SideOutcome = { decision: 'APPROVED', code: 'VALIDATION_PASSED', codes: [] };
const rejected = (...codes: string[]): SideOutcome => ({
  decision: 'REJECTED',
  code: codes[0] ?? 'X',
  codes,
});

function input(changes: ContactChange[], overrides: Partial<CompareReportInput> = {}) {
  const acc = new CompareSummaryAccumulator();
  for (const c of changes) acc.add(c);
  const side = (version: string) => ({
    id: 'gdpr-consent',
    version,
    digest: `sha256:${version.replace(/\./g, '').padEnd(64, 'a')}`,
    evaluatedAt: '2026-07-15T12:00:00.000Z',
  });
  return {
    baseline: side('1.0.0'),
    candidate: side('2.0.0'),
    inputDigest: 'sha256:' + 'b'.repeat(64),
    summary: acc.summary(),
    changes: changes.filter((c) => c.change !== 'unchanged'),
    cap: 5000,
    baselineSource: 'version: 1.0.0\nmaxConsentAgeDays: 730\n',
    candidateSource: 'version: 2.0.0\nmaxConsentAgeDays: 540\n',
    baselineName: '1.0.0.yaml',
    candidateName: '2.0.0.yaml',
    generatedAt: '2026-07-15T12:00:01.000Z',
    ...overrides,
  };
}

const change = (
  index: number,
  id: string | null,
  b: SideOutcome,
  c: SideOutcome,
): ContactChange => ({
  index,
  contactId: id,
  baseline: b,
  candidate: c,
  change: classifyChange(b, c),
});

describe('renderCompareReport', () => {
  it('escapes contact ids and codes and cannot be broken out of', () => {
    const hostile = '<img src=x onerror=alert(1)>"\'</script>';
    const html = renderCompareReport(
      input([change(0, hostile, approved, rejected('EVIL_<b>CODE</b>'))]),
    );
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>CODE</b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The embedded JSON cannot close its script tag.
    const data = /<script type="application\/json" id="compare-data">([\s\S]*?)<\/script>/.exec(
      html,
    );
    expect(data).not.toBeNull();
    expect(JSON.parse(data![1]!).summary.codesGained).toEqual({ 'EVIL_<b>CODE</b>': 1 });
  });

  it('is self-contained: no external resource, a CSP that forbids fetching', () => {
    const html = renderCompareReport(input([change(0, 'c-1', approved, rejected('A'))]));
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('shows the source diff, and says so when the sources are the same', () => {
    const html = renderCompareReport(input([]));
    expect(html).toContain('<div class="del">-maxConsentAgeDays: 730</div>');
    expect(html).toContain('<div class="add">+maxConsentAgeDays: 540</div>');
    const same = renderCompareReport(
      input([], { candidateSource: 'version: 1.0.0\nmaxConsentAgeDays: 730\n' }),
    );
    expect(same).toContain('same policy source');
  });

  it('says when the changed-contacts table is capped', () => {
    const changes = [0, 1, 2].map((i) => change(i, `c-${i}`, approved, rejected('A')));
    const base = input(changes);
    const html = renderCompareReport({ ...base, changes: base.changes.slice(0, 2), cap: 2 });
    expect(html).toContain('first 2 of 3 changed contacts');
    expect((html.match(/<tr data-change=/g) ?? []).length).toBe(2);
  });
});
