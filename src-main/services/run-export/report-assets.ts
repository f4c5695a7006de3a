import { hash } from 'node:crypto';

/**
 * The report's only style sheet and script, inlined. The page's Content-Security-Policy allows exactly
 * these two by hash and nothing else (no network, no other script): even text that escaped escaping
 * could not run or fetch anything.
 */

export const REPORT_CSS = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #667085; --bg: #ffffff; --panel: #f5f7fa; --rule: #d9dee7;
  --accent: #3559e0; --ok: #1f8a4c; --error: #c0392b; --warn: #b7791f; font: 14px/1.45 system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ef; --muted: #98a2b3; --bg: #14171c; --panel: #1d2129;
  --rule: #2f3542; --accent: #7c9bff; --ok: #4cc38a; --error: #ff7a6b; --warn: #f0b95a; } }
body { margin: 0 auto; max-width: 1040px; padding: 24px; color: var(--fg); background: var(--bg); }
h1 { margin: 0 0 4px; font-size: 22px; } h2 { margin: 32px 0 8px; font-size: 17px; border-bottom: 1px solid var(--rule); }
.muted { color: var(--muted); } .num { text-align: right; font-variant-numeric: tabular-nums; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 12px 0; } dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; } caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { color: var(--muted); font-weight: 500; }
pre { background: var(--panel); padding: 10px; border-radius: 6px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere;
  font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; margin: 6px 0; }
.status { display: inline-block; padding: 0 8px; border-radius: 10px; background: var(--panel); font-size: 12px; }
.status-completed { color: var(--ok); } .status-failed, .status-cancelled { color: var(--error); }
.status-paused, .status-waiting { color: var(--warn); }
.error { color: var(--error); }
details { margin: 6px 0; } summary { cursor: pointer; font-weight: 600; }
.toolbar { display: flex; gap: 8px; align-items: center; margin: 6px 0; }
button, input { font: inherit; padding: 2px 8px; }
svg text { fill: var(--fg); font-size: 11px; } svg .axis { fill: var(--muted); }
svg .tick, svg .lane-rule { stroke: var(--rule); stroke-width: 1; }
.span-node { fill: var(--accent); opacity: 0.18; } .span-model { fill: var(--accent); } .span-tool { fill: var(--ok); }
.span-sandbox { fill: #8e44ad; } .span-approval, .span-budget { fill: var(--warn); } .span-error { fill: var(--error); }
.span-node.span-error { fill: var(--error); opacity: 0.25; }
.bar rect { fill: var(--accent); } .cost-line { fill: none; stroke: var(--accent); stroke-width: 2; }
.budget-line { stroke: var(--warn); stroke-dasharray: 4 3; }
ol.events { padding-left: 0; list-style: none; } ol.events li { border-bottom: 1px solid var(--rule); padding: 2px 0; }
ol.events pre { margin: 2px 0 4px; }
.timeline-wrap { overflow-x: auto; }
@media print { details { display: block; } .toolbar { display: none; } }
`;

export const REPORT_SCRIPT = `
(function () {
  var filter = document.getElementById('event-filter');
  var count = document.getElementById('event-count');
  var items = Array.prototype.slice.call(document.querySelectorAll('#events > li'));
  if (filter) filter.addEventListener('input', function () {
    var query = filter.value.trim().toLowerCase();
    var shown = 0;
    items.forEach(function (item) {
      var match = query === '' || item.textContent.toLowerCase().indexOf(query) !== -1;
      item.hidden = !match;
      if (match) shown++;
    });
    if (count) count.textContent = shown + ' of ' + items.length + ' events';
  });
  function openAll(open) {
    document.querySelectorAll('details.transcript').forEach(function (details) { details.open = open; });
  }
  var expand = document.getElementById('expand-all');
  var collapse = document.getElementById('collapse-all');
  if (expand) expand.addEventListener('click', function () { openAll(true); });
  if (collapse) collapse.addEventListener('click', function () { openAll(false); });
  document.documentElement.setAttribute('data-script', 'on');
})();
`;

const sha256 = (text: string) => `'sha256-${hash('sha256', text, 'base64')}'`;

/** Nothing loads from anywhere; only the inline style sheet and script above apply. */
export const REPORT_CSP = [
  "default-src 'none'",
  `style-src ${sha256(REPORT_CSS)}`,
  `script-src ${sha256(REPORT_SCRIPT)}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
