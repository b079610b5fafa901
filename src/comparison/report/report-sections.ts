import { structuredPatch } from 'diff';
import type { ChangeKind, CompareSummary, ContactChange, SideOutcome } from '../comparison.types';
import { CHANGE_KINDS } from '../comparison.types';
import { escapeHtml, formatCount } from './html';

const CHANGE_LABELS: Record<ChangeKind, string> = {
  unchanged: 'Unchanged',
  'newly-rejected': 'Newly rejected',
  'newly-approved': 'Newly approved',
  'reason-changed': 'Reason changed',
};

export function summaryCards(summary: CompareSummary): string {
  const card = (key: string, label: string, n: number): string =>
    `<div class="card ${key}" data-count="${key}"><div class="n">${formatCount(n)}</div><div class="l">${label}</div></div>`;
  return [
    card('total', 'Contacts compared', summary.total),
    ...CHANGE_KINDS.map((k) => card(k, CHANGE_LABELS[k], summary.byChange[k])),
  ].join('\n');
}

/** Heat-map of primary code transitions; colour intensity on a log scale so small cells stay visible. */
export function transitionMatrix(summary: CompareSummary): string {
  const from = Object.keys(summary.transitions).sort();
  const toSet = new Set<string>();
  let max = 0;
  for (const row of Object.values(summary.transitions)) {
    for (const [code, n] of Object.entries(row)) {
      toSet.add(code);
      max = Math.max(max, n);
    }
  }
  const to = [...toSet].sort();
  if (from.length === 0) return '<p class="note">No contacts were compared.</p>';
  const head = to.map((c) => `<th class="rot"><code>${escapeHtml(c)}</code></th>`).join('');
  const body = from
    .map((f) => {
      const row = summary.transitions[f] ?? {};
      const cells = to
        .map((t) => {
          const n = row[t] ?? 0;
          const diag = f === t ? ' diag' : '';
          if (n === 0) return `<td class="cell${diag}"></td>`;
          const alpha = max > 0 ? 0.12 + 0.78 * (Math.log(n + 1) / Math.log(max + 1)) : 0;
          // Off-diagonal cells are changes (red); the diagonal is "same primary code" (grey-blue).
          const rgb = f === t ? '70,100,160' : '200,50,40';
          const fg = alpha > 0.55 ? '#fff' : 'inherit';
          return `<td class="cell${diag}" data-from="${escapeHtml(f)}" data-to="${escapeHtml(t)}" style="background:rgba(${rgb},${alpha.toFixed(2)});color:${fg}">${formatCount(n)}</td>`;
        })
        .join('');
      return `<tr><th><code>${escapeHtml(f)}</code></th>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="scroll"><table class="matrix"><thead><tr><th>baseline ↓ / candidate →</th>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** CSS bar chart: contacts each rule newly rejects, with the share where it is the only reason. */
export function newlyRejectedBars(summary: CompareSummary): string {
  const rules = summary.newlyRejectedByRule;
  if (rules.length === 0) return '<p class="note">The candidate newly rejects no contact.</p>';
  const max = Math.max(...rules.map((r) => r.newlyRejected));
  const rows = rules
    .map((r) => {
      const w = (n: number): string => ((100 * n) / max).toFixed(1);
      return `<tr data-rule="${escapeHtml(r.code)}"><td><code>${escapeHtml(r.code)}</code></td>
<td style="width:60%"><div class="bar" style="width:${w(r.newlyRejected)}%" title="${r.newlyRejected} newly rejected"></div>
<div class="bar sole" style="width:${w(r.soleReason)}%;margin-top:2px" title="${r.soleReason} with this as the only reason"></div></td>
<td class="mono">${formatCount(r.newlyRejected)} <span class="note">(${formatCount(r.soleReason)} only reason)</span></td></tr>`;
    })
    .join('\n');
  return `<table class="bars"><tbody>${rows}</tbody></table>`;
}

export function codesGainedLost(summary: CompareSummary): string {
  const codes = [
    ...new Set([...Object.keys(summary.codesGained), ...Object.keys(summary.codesLost)]),
  ].sort();
  if (codes.length === 0) return '<p class="note">No contact gained or lost any code.</p>';
  const rows = codes
    .map(
      (c) =>
        `<tr><td><code>${escapeHtml(c)}</code></td><td class="mono">${formatCount(summary.codesGained[c] ?? 0)}</td><td class="mono">${formatCount(summary.codesLost[c] ?? 0)}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th>Code</th><th>Gained (contacts)</th><th>Lost (contacts)</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function ruleChangesTable(summary: CompareSummary): string {
  if (summary.ruleChanges.length === 0) {
    return '<p class="note">No rule definition differs between the two sides (same source, or wording changes only).</p>';
  }
  const dead = new Set(summary.deadChanges.map((d) => d.rule));
  const rows = summary.ruleChanges
    .map(
      (r) =>
        `<tr${dead.has(r.rule) ? ' class="dead"' : ''}><td><code>${escapeHtml(r.code)}</code>${r.rule !== r.code ? ` <span class="note">${escapeHtml(r.rule)}</span>` : ''}</td><td>${escapeHtml(r.status)}</td><td>${escapeHtml(r.fields.join(', '))}</td><td class="mono">${formatCount(r.firedGained)}</td><td class="mono">${formatCount(r.firedLost)}</td><td>${dead.has(r.rule) ? '<strong>dead change</strong>' : ''}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th>Rule</th><th>Status</th><th>Fields changed</th><th>Now fires for</th><th>No longer fires for</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Line diff of the two YAML sources, three lines of context. */
export function sourceDiff(
  baselineName: string,
  candidateName: string,
  baselineSource: string,
  candidateSource: string,
): string {
  if (baselineSource === candidateSource) {
    return '<p class="note">Both sides use the same policy source; only the evaluation instants differ.</p>';
  }
  const patch = structuredPatch(
    baselineName,
    candidateName,
    baselineSource,
    candidateSource,
    '',
    '',
    {
      context: 3,
    },
  );
  let added = 0;
  let removed = 0;
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(
      `<div class="hunk">@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@</div>`,
    );
    for (const line of hunk.lines) {
      const sign = line.charAt(0);
      const cls = sign === '+' ? 'add' : sign === '-' ? 'del' : 'ctx';
      if (sign === '+') added++;
      if (sign === '-') removed++;
      if (sign === '\\') continue; // "\ No newline at end of file"
      lines.push(`<div class="${cls}">${escapeHtml(line)}</div>`);
    }
  }
  return `<p><span id="diff-added">${added}</span> lines added, <span id="diff-removed">${removed}</span> lines removed.</p>
<div class="diff mono">${lines.join('\n')}</div>`;
}

function outcomeCell(o: SideOutcome): string {
  const others = o.codes.filter((c) => c !== o.code);
  return `${escapeHtml(o.decision)} <code>${escapeHtml(o.code)}</code>${
    others.length > 0 ? `<br><span class="note">+ ${others.map(escapeHtml).join(', ')}</span>` : ''
  }`;
}

/** The filterable table of changed contacts: ids and codes only, never addresses or other fields. */
export function changesTable(
  changes: readonly ContactChange[],
  totalChanged: number,
  cap: number,
): string {
  const rows = changes
    .map((c) => {
      const id = c.contactId ?? '';
      const search = [
        id,
        ...c.baseline.codes,
        c.baseline.code,
        ...c.candidate.codes,
        c.candidate.code,
      ]
        .join(' ')
        .toLowerCase();
      return `<tr data-change="${c.change}" data-search="${escapeHtml(search)}"><td class="mono">${c.index}</td><td class="mono">${id === '' ? '<span class="note">(no id)</span>' : escapeHtml(id)}</td><td class="chg ${c.change}">${CHANGE_LABELS[c.change]}</td><td>${outcomeCell(c.baseline)}</td><td>${outcomeCell(c.candidate)}</td></tr>`;
    })
    .join('\n');
  const capped =
    totalChanged > changes.length
      ? `<p class="note" id="cap-note">The table lists the first ${formatCount(changes.length)} of ${formatCount(totalChanged)} changed contacts (cap ${formatCount(cap)}); the JSON output (<code>--json</code>) has all of them.</p>`
      : '';
  const options = CHANGE_KINDS.filter((k) => k !== 'unchanged')
    .map((k) => `<option value="${k}">${CHANGE_LABELS[k]}</option>`)
    .join('');
  return `${capped}<div class="filters">
<label>Change <select id="filter-change"><option value="">All changes</option>${options}</select></label>
<label>Code or contact id <input id="filter-text" type="search" placeholder="e.g. CONSENT_EXPIRED or c-1042"></label>
<span>Showing <strong id="visible-count">${changes.length}</strong> of <span id="row-count">${changes.length}</span> rows</span>
</div>
<table id="changes"><thead><tr><th title="0-based position in the input">Index</th><th>Contact id</th><th>Change</th><th>Baseline</th><th>Candidate</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}
