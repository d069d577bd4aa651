/**
 * The "what changed" block that leads the GitHub job summary of a run with --previous. HTML, since
 * the job summary renders it; every string from the report is escaped.
 */
import { CHANGE_KINDS, CHANGE_LABEL, hasChanges, newFailureCount, type ChangeKind, type Changes, type NodeChange } from './changes.ts';
import { CHECK_LABEL, shortDigest } from './format.ts';
import { untrustedHtml } from './safe-text.ts';

/** Rows per kind of change; the JSON report and the HTML page have them all. */
const ROWS_PER_KIND = 50;

function row(kind: ChangeKind, c: NodeChange, pathPrefix: string): string {
  const what =
    kind === 'digestChanged'
      ? `<code>${untrustedHtml(shortDigest(c.previous?.digest))}</code> → <code>${untrustedHtml(shortDigest(c.current.digest))}</code>`
      : kind === 'signaturesDisappeared'
        ? `${untrustedHtml((c.checks ?? []).map((k) => CHECK_LABEL[k]).join(' and '))} verified before, missing now`
        : `${c.previous ? `was ${untrustedHtml(c.previous.status)}` : 'not in the previous report'}${c.reason ? `: ${untrustedHtml(c.reason)}` : ''}`;
  const where = c.places.slice(0, 3).map((p) => untrustedHtml(`${pathPrefix}${p.file}:${p.line}`)).join('<br>');
  return `<tr><td>${untrustedHtml(c.version)}</td><td>${untrustedHtml(c.arch)}</td><td>${what}</td><td>${where}</td></tr>`;
}

export function changesSummaryHtml(changes: Changes, pathPrefix = ''): string {
  const p = changes.previous;
  const out: string[] = ['<h3>What changed since the previous run</h3>'];
  if (!p.found) out.push(`<p>No previous report at <code>${untrustedHtml(p.file)}</code> (a first run, or it was not restored): every failure counts as new.</p>`);
  else if (!hasChanges(changes)) out.push(`<p>Nothing changed since <code>${untrustedHtml(p.file)}</code> (${changes.compared} node(s) compared).</p>`);
  if (changes.failOn === 'new') {
    const fresh = newFailureCount(changes);
    out.push(
      `<p><b>--fail-on new</b>: ${fresh > 0 ? `<b>${fresh} new failure(s)</b> fail this run` : 'no new failure'}; ${changes.knownFailures} failure(s) known from the previous report do not fail this run.</p>`,
    );
  }
  for (const kind of CHANGE_KINDS) {
    const list = changes[kind];
    if (list.length === 0) continue;
    const rows = list.slice(0, ROWS_PER_KIND).map((c) => row(kind, c, pathPrefix));
    const more = list.length > ROWS_PER_KIND ? `<p>… and ${list.length - ROWS_PER_KIND} more in the JSON report's <code>changes</code>.</p>` : '';
    out.push(`<h4>${untrustedHtml(CHANGE_LABEL[kind])} (${list.length})</h4><table><tr><th>Version</th><th>Arch</th><th>Change</th><th>Where</th></tr>${rows.join('')}</table>${more}`);
  }
  if (changes.newFindings.length > 0) {
    const rows = changes.newFindings
      .slice(0, ROWS_PER_KIND)
      .map((f) => `<tr><td>${untrustedHtml(f.file ? `${pathPrefix}${f.file}${f.line ? `:${f.line}` : ''}` : '-')}</td><td>${untrustedHtml(f.message)} <code>${untrustedHtml(f.code)}</code></td></tr>`);
    out.push(`<h4>new error findings (${changes.newFindings.length})</h4><table><tr><th>Where</th><th>Finding</th></tr>${rows.join('')}</table>`);
  }
  return out.join('\n');
}
