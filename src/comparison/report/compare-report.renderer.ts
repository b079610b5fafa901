import type { CompareSideInfo, CompareSummary, ContactChange } from '../comparison.types';
import { escapeHtml, formatCount, jsonForScript } from './html';
import { REPORT_CSS, REPORT_JS } from './report-assets';
import {
  changesTable,
  codesGainedLost,
  newlyRejectedBars,
  ruleChangesTable,
  sourceDiff,
  summaryCards,
  transitionMatrix,
} from './report-sections';

/** Rows kept for the report's table; the file stays a few MB at most. */
export const REPORT_ROW_CAP = 5000;

export interface CompareReportInput {
  baseline: CompareSideInfo;
  candidate: CompareSideInfo;
  inputDigest: string;
  summary: CompareSummary;
  /** Changed contacts only, in input order, at most `cap`. */
  changes: readonly ContactChange[];
  cap: number;
  baselineSource: string;
  candidateSource: string;
  /** Display names of the two sources (file names, never paths with user data). */
  baselineName: string;
  candidateName: string;
  /** RFC 3339 instant the report was produced (from the injected clock). */
  generatedAt: string;
  inputName?: string;
}

const sideLabel = (s: CompareSideInfo): string => `${s.id} ${s.version}`;

/**
 * One self-contained HTML file: inline CSS and JS, no fonts, images or
 * requests (a CSP forbids them), every dynamic value escaped. It shows contact
 * ids and codes only.
 */
export function renderCompareReport(input: CompareReportInput): string {
  const { baseline, candidate, summary } = input;
  const data = {
    baseline,
    candidate,
    inputDigest: input.inputDigest,
    generatedAt: input.generatedAt,
    summary,
    table: { rows: input.changes.length, cap: input.cap, totalChanged: summary.changed },
  };
  const sides = (label: string, s: CompareSideInfo, name: string): string =>
    `<tr><th>${label}</th><td class="nowrap"><strong>${escapeHtml(sideLabel(s))}</strong></td><td class="mono">${escapeHtml(s.digest)}</td><td class="nowrap">evaluated at <span class="mono">${escapeHtml(s.evaluatedAt)}</span></td><td class="note">${escapeHtml(name)}</td></tr>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Policy comparison: ${escapeHtml(sideLabel(baseline))} → ${escapeHtml(sideLabel(candidate))}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header>
<h1>Policy comparison: ${escapeHtml(sideLabel(baseline))} → ${escapeHtml(sideLabel(candidate))}</h1>
<table class="sides"><tbody>
${sides('Baseline', baseline, input.baselineName)}
${sides('Candidate', candidate, input.candidateName)}
<tr><th>Input</th><td colspan="4" class="mono">${escapeHtml(input.inputName ?? '')} ${escapeHtml(input.inputDigest)}</td></tr>
<tr><th>Generated</th><td colspan="4" class="mono">${escapeHtml(input.generatedAt)}</td></tr>
</tbody></table>
<p class="explain">The same ${formatCount(summary.total)} contacts were checked under the <em>baseline</em> (what applies today) and the <em>candidate</em> (the proposed policy, or the same policy at a later date). Nothing was sent anywhere and no decision in this report was acted on. Digests identify the exact policy files; keep them with any sign-off.</p>
</header>

<section id="summary">
<h2>Summary</h2>
<p class="explain"><strong>Newly rejected</strong>: contacts we may contact today that the candidate would stop. <strong>Newly approved</strong>: contacts blocked today that the candidate would allow — check each reason carefully. <strong>Reason changed</strong>: same decision, but a different set of reasons (codes), which changes what the rejection report tells a data steward.</p>
<div class="cards">${summaryCards(summary)}</div>
</section>

<section id="transitions">
<h2>How the main reason moves (transition matrix)</h2>
<p class="explain">Each row is a contact’s main reason under the baseline, each column its main reason under the candidate; the number is how many contacts moved that way. Outlined cells on the diagonal kept their main reason; red cells off the diagonal changed. <code>VALIDATION_PASSED</code> means approved.</p>
${transitionMatrix(summary)}
</section>

<section id="rules">
<h2>Newly rejected, per rule</h2>
<p class="explain">For contacts approved under the baseline and rejected under the candidate: how many each candidate rule rejects (dark bar). A contact rejected by two rules counts under both. The light bar counts contacts for which this rule is the only reason, i.e. those who would be approved again without it.</p>
${newlyRejectedBars(summary)}
<h2>Codes gained and lost</h2>
<p class="explain">Over every contact: how many gained a rejection code they did not have before, and how many lost one.</p>
${codesGainedLost(summary)}
<h2>Changed rules and dead changes</h2>
<p class="explain">Rules whose logic differs between the two files (wording changes are not listed). A <strong>dead change</strong> is a modified rule that changed the outcome of no contact in this input, or a new rule that fired for nobody: either the input does not exercise it, or the edit does not do what was intended.</p>
${ruleChangesTable(summary)}
</section>

<section id="diff">
<h2>What changed in the policy file</h2>
<p class="explain">Green lines were added in the candidate, red lines removed from the baseline.</p>
${sourceDiff(input.baselineName, input.candidateName, input.baselineSource, input.candidateSource)}
</section>

<section id="contacts">
<h2>Contacts whose outcome changed</h2>
<p class="explain">Only the contact id and the rejection codes are shown — no addresses or other personal data. Filter by kind of change, or type a code or an id.</p>
${changesTable(input.changes, summary.changed, input.cap)}
</section>
</main>
<script type="application/json" id="compare-data">${jsonForScript(data)}</script>
<script>${REPORT_JS}</script>
</body>
</html>
`;
}
