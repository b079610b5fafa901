/** Inline stylesheet of the report: system fonts only, nothing fetched. */
export const REPORT_CSS = `
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dde5; --bg:#f6f7f9; --card:#fff;
  --rej:#b3261e; --app:#1e7b34; --reason:#8a5a00; --same:#5b6475; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
  color:var(--fg); background:var(--bg); }
main { max-width:1200px; margin:0 auto; padding:24px; }
h1 { font-size:22px; margin:0 0 4px; } h2 { font-size:17px; margin:32px 0 8px; }
p.explain { color:var(--muted); margin:4px 0 12px; max-width:900px; }
section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin-top:16px; }
table { border-collapse:collapse; }
th, td { border:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
th { background:#eef0f4; font-weight:600; }
code, .mono { font-family: ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; }
.sides td, .sides th { border:none; padding:2px 12px 2px 0; background:none; }
.nowrap { white-space:nowrap; }
.scroll { overflow-x:auto; max-width:100%; }
.cards { display:flex; flex-wrap:wrap; gap:12px; }
.card { flex:1 1 150px; border:1px solid var(--line); border-radius:8px; padding:12px 16px; background:#fff; }
.card .n { font-size:28px; font-weight:700; } .card .l { color:var(--muted); }
.card.newly-rejected .n { color:var(--rej); } .card.newly-approved .n { color:var(--app); }
.card.reason-changed .n { color:var(--reason); }
.matrix td.cell { text-align:right; min-width:40px; font-variant-numeric:tabular-nums; }
.matrix th { font-size:12px; }
.matrix td.diag { outline:2px solid #9aa3b5; outline-offset:-2px; }
.matrix th.rot { writing-mode:vertical-rl; transform:rotate(180deg); white-space:nowrap; }
.bars { width:100%; } .bars td { border:none; padding:3px 6px; }
.bar { height:16px; background:var(--rej); border-radius:3px; min-width:2px; }
.bar.sole { background:#e8837c; }
.diff { border:1px solid var(--line); border-radius:6px; overflow:auto; max-height:560px; }
.diff div { white-space:pre; padding:0 8px; }
.diff .add { background:#e6f4ea; } .diff .del { background:#fce8e6; } .diff .hunk { background:#eef0f4; color:var(--muted); }
.filters { display:flex; gap:12px; align-items:center; margin-bottom:8px; flex-wrap:wrap; }
.filters input { padding:4px 8px; min-width:260px; }
.chg { font-weight:600; white-space:nowrap; } .chg.newly-rejected { color:var(--rej); } .chg.newly-approved { color:var(--app); }
.chg.reason-changed { color:var(--reason); }
.note { color:var(--muted); font-style:italic; }
tr[hidden] { display:none; }
`;

/**
 * Inline script: filters the changed-contacts table by change kind and by a
 * code or id fragment, and shows how many rows are visible. Reads nothing
 * from the network.
 */
export const REPORT_JS = `
(function () {
  var kind = document.getElementById('filter-change');
  var text = document.getElementById('filter-text');
  var count = document.getElementById('visible-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#changes tbody tr'));
  function apply() {
    var k = kind.value;
    var t = text.value.trim().toLowerCase();
    var visible = 0;
    rows.forEach(function (row) {
      var show = (k === '' || row.getAttribute('data-change') === k) &&
        (t === '' || row.getAttribute('data-search').indexOf(t) !== -1);
      row.hidden = !show;
      if (show) visible++;
    });
    count.textContent = String(visible);
  }
  kind.addEventListener('change', apply);
  text.addEventListener('input', apply);
  apply();
})();
`;
