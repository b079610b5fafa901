import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLI, runCompareCli, SAMPLE } from '../compare-cli.support';
import { REPO_ROOT, SHIPPED_POLICIES } from '../support/test-app';

/**
 * The HTML report in a real headless Chromium (Debian's package, installed by
 * the test command's pretest step): it renders offline, the counts shown match
 * the embedded JSON, and the filter narrows the table. Generated end to end by
 * the built CLI (dist/cli.js) on the shipped sample corpus.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');

interface Change {
  contactId: string | number | null;
  change: string;
  baseline: { code: string; codes: string[] };
  candidate: { code: string; codes: string[] };
}

describe('compare HTML report in headless Chromium', () => {
  let dir: string;
  let browser: Browser;
  let page: Page;
  const attempted: string[] = [];
  let json: {
    summary: { total: number; changed: number; byChange: Record<string, number> };
    changes: Change[];
  };
  let reportPath: string;

  beforeAll(async () => {
    expect(existsSync(CHROMIUM)).toBe(true);
    expect(existsSync(CLI)).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'consent-gate-report-'));
    reportPath = join(dir, 'report.html');
    const jsonPath = join(dir, 'out.json');
    const generated = await runCompareCli(dir, SHIPPED_POLICIES, [
      '--input',
      SAMPLE,
      '--baseline',
      '1.0.0',
      '--candidate',
      '2.0.0',
      '--evaluated-at',
      '2026-07-15T12:00:00Z',
      '--report',
      reportPath,
      '--json',
      jsonPath,
    ]);
    if (generated.code !== 0)
      throw new Error(`compare exited ${generated.code}: ${generated.stderr}`);
    json = JSON.parse(readFileSync(jsonPath, 'utf8'));

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Anything but the report file itself is a network attempt: record and block it.
    page.on('request', (r) => {
      if (r.url() !== pathToFileURL(reportPath).href) attempted.push(r.url());
    });
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url === pathToFileURL(reportPath).href) return route.continue();
      attempted.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders offline with both versions in the header and attempts no request', async () => {
    await expect(page.locator('h1').innerText()).resolves.toContain('gdpr-consent 1.0.0');
    await expect(page.locator('h1').innerText()).resolves.toContain('gdpr-consent 2.0.0');
    await expect(page.locator('#transitions table.matrix').count()).resolves.toBe(1);
    await expect(page.locator('#rules .bar').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#diff .add').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#diff .del').count()).resolves.toBeGreaterThan(0);
    expect(attempted).toEqual([]);
  });

  it('shows summary counts equal to the embedded JSON and to the CLI JSON output', async () => {
    const embedded = JSON.parse((await page.locator('#compare-data').textContent()) ?? 'null') as {
      summary: typeof json.summary;
    };
    expect(embedded.summary).toEqual(json.summary);
    const shown = async (key: string): Promise<number> =>
      Number((await page.locator(`[data-count="${key}"] .n`).innerText()).replace(/,/g, ''));
    expect(await shown('total')).toBe(json.summary.total);
    for (const kind of ['unchanged', 'newly-rejected', 'newly-approved', 'reason-changed']) {
      expect(await shown(kind)).toBe(json.summary.byChange[kind]);
    }
    // Every changed contact is listed (the sample is below the 5,000-row cap).
    expect(json.summary.changed).toBeLessThanOrEqual(5000);
    await expect(page.locator('#changes tbody tr').count()).resolves.toBe(json.summary.changed);
    await expect(page.locator('#visible-count').innerText()).resolves.toBe(
      String(json.summary.changed),
    );
  });

  it('narrows the changed-contacts table by change kind and by code or id', async () => {
    const changed = json.changes.filter((c) => c.change !== 'unchanged');
    const approvedNow = changed.filter((c) => c.change === 'newly-approved');
    expect(approvedNow.length).toBeGreaterThan(0);
    await page.selectOption('#filter-change', 'newly-approved');
    await expect(page.locator('#visible-count').innerText()).resolves.toBe(
      String(approvedNow.length),
    );
    await expect(page.locator('#changes tbody tr:visible').count()).resolves.toBe(
      approvedNow.length,
    );

    // Kind and text combine: newly rejected contacts carrying the most common new code.
    const embedded = JSON.parse((await page.locator('#compare-data').textContent()) ?? '{}') as {
      summary: { newlyRejectedByRule: { code: string; newlyRejected: number }[] };
    };
    const code = embedded.summary.newlyRejectedByRule[0]!;
    // Cross-check against the per-contact list rather than trusting the summary alone.
    expect(
      changed.filter((c) => c.change === 'newly-rejected' && c.candidate.codes.includes(code.code))
        .length,
    ).toBe(code.newlyRejected);
    await page.selectOption('#filter-change', 'newly-rejected');
    await page.fill('#filter-text', code.code.toLowerCase());
    await expect(page.locator('#visible-count').innerText()).resolves.toBe(
      String(code.newlyRejected),
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.evaluate(`document.getElementById('contacts').scrollIntoView()`);
    await page.screenshot({ path: join(ARTIFACTS, 'compare-report-filtered.png') });

    // One id narrows to exactly that contact.
    const one = changed[0]!;
    await page.selectOption('#filter-change', '');
    await page.fill('#filter-text', String(one.contactId));
    await expect(page.locator('#visible-count').innerText()).resolves.toBe('1');

    await page.fill('#filter-text', '');
    await expect(page.locator('#visible-count').innerText()).resolves.toBe(String(changed.length));
    await page.setViewportSize({ width: 1280, height: 1800 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'compare-report.png'), fullPage: false });
    expect(existsSync(join(ARTIFACTS, 'compare-report.png'))).toBe(true);
    expect(attempted).toEqual([]);
  });
});
