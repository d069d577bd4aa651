/**
 * The job summary and the PR comment: a table a reviewer can scan at PR-comment width (one row per
 * (version, arch) that needs attention, a mark per check, one sentence, a link to the promoting line),
 * the digests, sources and full reasons folded below it, and passing nodes as a count.
 *
 * GitHub drops a step summary over 1 MiB and refuses a comment over 65,536 characters, so every part is
 * measured in bytes as it is added. Rows are rendered to HTML when they arrive and kept only while they
 * fit, so a 7,000-node audit keeps at most one summary's worth of text, never its results.
 *
 * Everything a pull request or a server controls goes through safe-text.ts: bounded, controls shown
 * escaped, HTML-escaped, and unable to mention anyone.
 */
import { basename } from 'node:path';
import { briefReason, CHECK_LABEL, componentDigest, describeEdges, edgeLines, EDGES_LABEL, MARK, nodeTitle } from './format.ts';
import { CHECK_NAMES, edgesOutcome, nodeStatus, type Finding, type NodeResult, type Place, type RunSummary, type UnpublishedNode } from '../model/results.ts';
import type { RunInfo } from '../model/reporter.ts';
import { attr, byteLength, html, MAX_REASON_CHARS, untrustedHtml } from './safe-text.ts';

/** Where the promoting lines can be linked: the repository and the commit the check read. */
export interface LineLinks {
  /** `https://github.com` (GITHUB_SERVER_URL). */
  serverUrl: string;
  /** `owner/name` (GITHUB_REPOSITORY). */
  repository: string;
  /** The commit whose lines are linked: the PR head, or the audited commit. */
  sha: string;
}

/** GitHub keeps a step summary up to 1 MiB (1,048,576 bytes); leave room for the other steps' summaries. */
export const SUMMARY_BUDGET_BYTES = 1_000_000;
/** GitHub refuses comments over 65,536 characters; a UTF-8 byte count is never smaller than that count. */
export const COMMENT_BUDGET_BYTES = 60_000;
/** How many places of one node are linked (a version is rarely in more than a dozen channels). */
const MAX_PLACES = 12;
const MAX_UNPUBLISHED = 1000;
/** Failing update edges listed per node in the details; the JSON report has them all. */
const MAX_EDGE_LINES = 20;

/**
 * The links of a run inside GitHub Actions: GITHUB_SERVER_URL, GITHUB_REPOSITORY, and the commit that
 * was read (`sha`, else GITHUB_SHA). Nothing outside Actions, or without a full commit id.
 */
export function linksFromEnv(env: NodeJS.ProcessEnv, sha?: string): LineLinks | undefined {
  const repository = env.GITHUB_REPOSITORY;
  const commit = [sha, env.GITHUB_SHA].find((s) => s !== undefined && /^[0-9a-f]{40}$/.test(s));
  if (!repository || !commit) return undefined;
  return { serverUrl: env.GITHUB_SERVER_URL || 'https://github.com', repository, sha: commit };
}

/** `https://github.com/o/r/blob/<sha>/channels/a.yaml#L4`, or nothing when the path is not inside the repository. */
export function lineUrl(links: LineLinks | undefined, path: string, line: number): string | undefined {
  if (!links || !/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(links.sha) || !/^[\w.-]+\/[\w.-]+$/.test(links.repository)) return undefined;
  // No real repository path is this long; a hostile one gets no link rather than a megabyte of URL.
  if (path.length > 1000 || path.startsWith('/') || path.split('/').includes('..')) return undefined;
  const server = links.serverUrl.replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s"'<>]+$/.test(server)) return undefined;
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `${server}/${links.repository}/blob/${links.sha}/${encoded}#L${line}`;
}

interface Row {
  tableRow: string;
  detail: string;
  bytes: number;
}

export interface SummaryOptions {
  pathPrefix?: string;
  links?: LineLinks;
  /** Bytes the kept rows, findings and unpublished pairs may take in all (default: one job summary). */
  keepBytes?: number;
}

export class SummaryBuilder {
  private readonly pathPrefix: string;
  private readonly links: LineLinks | undefined;
  private readonly keepBytes: number;
  private readonly rows: Row[] = [];
  private rowBytes = 0;
  private omittedRows = 0;
  private readonly findings: string[] = [];
  private findingBytes = 0;
  private omittedFindings = 0;
  private readonly unpublishedItems: string[] = [];
  private unpublishedCount = 0;
  /** Failing component images, a row each (release, tag name, digest, why), within a share of the budget. */
  private readonly componentRows: string[] = [];
  private componentBytes = 0;
  private omittedComponents = 0;

  constructor(options: SummaryOptions = {}) {
    this.pathPrefix = options.pathPrefix ?? '';
    this.links = options.links;
    this.keepBytes = options.keepBytes ?? SUMMARY_BUDGET_BYTES;
  }

  private placeLink(p: Pick<Place, 'file' | 'line'>, text: string): string {
    const url = lineUrl(this.links, `${this.pathPrefix}${p.file}`, p.line);
    const label = untrustedHtml(text, 120);
    return url ? `<a href="${attr(url)}">${label}</a>` : `<code>${label}</code>`;
  }

  /** Keeps a node that did not pass, as long as one summary can still show it. */
  addNode(node: NodeResult): void {
    if (nodeStatus(node) === 'passed') return;
    const first = node.places[0];
    const where = first
      ? `${this.placeLink(first, `${basename(first.file).replace(/\.ya?ml$/, '')}:${first.line}`)}${node.places.length > 1 ? ` +${node.places.length - 1}` : ''}`
      : '-';
    const marks = CHECK_NAMES.map((c) => `<td align="center" title="${CHECK_LABEL[c]} ${node[c].outcome}">${MARK[node[c].outcome]}</td>`).join('');
    // Release and architecture share a cell, so that at 780 px the sentence and the line keep their room.
    const tableRow = `<tr><td><code>${untrustedHtml(node.version)}</code> ${node.arch}</td>${marks}<td>${html(briefReason(node))}</td><td>${where}</td></tr>`;

    const checks = CHECK_NAMES.map((c) => {
      const r = node[c];
      const source = r.source ? ` <sub>(${untrustedHtml(r.source, 300)})</sub>` : '';
      // A check that passed needs one line; the room goes to the ones that did not.
      const text = r.outcome === 'verified' && r.signer ? `signed by ${untrustedHtml(r.signer)}` : untrustedHtml(r.reason, r.outcome === 'verified' ? 200 : MAX_REASON_CHARS);
      return `<li>${MARK[r.outcome]} <b>${CHECK_LABEL[c]} ${r.outcome}</b>${r.cached ? ' (cached)' : ''}: ${text}${r.outcome === 'verified' ? '' : source}</li>`;
    });
    // The update edges: their outcome in a few words, then each source release that fails or could not judge it, and why.
    if (node.edges) {
      const outcome = edgesOutcome(node.edges);
      const bad = edgeLines(node, MAX_EDGE_LINES).map((l) => `<li>${html(l)}</li>`);
      checks.push(`<li>${MARK[outcome]} <b>${EDGES_LABEL} ${outcome}</b>: ${html(describeEdges(node) ?? '')}${bad.length > 0 ? `<ul>${bad.join('')}</ul>` : ''}</li>`);
    }
    const places = node.places.slice(0, MAX_PLACES).map((p) => this.placeLink(p, `${this.pathPrefix}${p.file}:${p.line}`) + ` (${untrustedHtml(p.channel, 100)})`);
    if (node.places.length > MAX_PLACES) places.push(`and ${node.places.length - MAX_PLACES} more`);
    const detail = [
      `<p><b>${html(nodeTitle(node))}</b>: digest <code>${untrustedHtml(node.digest ?? 'not resolved', 80)}</code>${node.tag ? `, tag <code>${untrustedHtml(node.tag)}</code>` : ''}</p>`,
      `<ul>${checks.join('')}${places.length > 0 ? `<li>Promoted at ${places.join(', ')}</li>` : ''}</ul>`,
    ].join('\n');
    const bytes = byteLength(tableRow) + byteLength(detail) + 2;
    if (this.rowBytes + bytes > this.keepBytes * 0.8) {
      this.omittedRows++;
      return;
    }
    this.rows.push({ tableRow, detail, bytes });
    this.rowBytes += bytes;
    for (const f of node.components.failures) {
      const row = `<tr><td><code>${untrustedHtml(node.version)}</code> ${node.arch}</td><td><code>${untrustedHtml(f.name)}</code></td><td><code>${untrustedHtml(componentDigest(f.reference), 80)}</code></td><td>${MARK[f.outcome]} <b>${f.outcome}</b>: ${untrustedHtml(f.reason, MAX_REASON_CHARS)}</td></tr>`;
      const rowBytes = byteLength(row) + 1;
      if (this.componentBytes + rowBytes > this.keepBytes * 0.1) {
        this.omittedComponents++;
        continue;
      }
      this.componentRows.push(row);
      this.componentBytes += rowBytes;
    }
  }

  addFinding(f: Finding): void {
    const where = f.file ? (f.line ? this.placeLink({ file: f.file, line: f.line }, `${this.pathPrefix}${f.file}:${f.line}`) : `<code>${untrustedHtml(this.pathPrefix + f.file, 200)}</code>`) : '-';
    const row = `<tr><td>${f.severity === 'error' ? '❌ error' : '⚠️ warning'}</td><td>${where}</td><td>${untrustedHtml(f.message, MAX_REASON_CHARS)} <code>${untrustedHtml(f.code, 60)}</code></td></tr>`;
    const bytes = byteLength(row) + 1;
    if (this.findingBytes + bytes > this.keepBytes * 0.1) {
      this.omittedFindings++;
      return;
    }
    this.findings.push(row);
    this.findingBytes += bytes;
  }

  addUnpublished(u: UnpublishedNode): void {
    this.unpublishedCount++;
    if (this.unpublishedItems.length < MAX_UNPUBLISHED) this.unpublishedItems.push(`<code>${untrustedHtml(u.version)}</code> ${u.arch} (tag <code>${untrustedHtml(u.tag)}</code>)`);
  }

  /** The summary in at most `budget` bytes: what does not fit is counted and pointed to the JSON report. */
  render(summary: RunSummary, info: Pick<RunInfo, 'releaseRepo' | 'reportPath' | 'mirror'> | undefined, budget = SUMMARY_BUDGET_BYTES, lead = ''): string {
    const c = summary.counts;
    // With --fail-on new the verdict is about what is new, and the heading says so.
    const forgiven = summary.changes?.failOn === 'new' && summary.exitCode === 0 && summary.status !== 'passed';
    const heading = forgiven
      ? `## ✅ release-sigcheck: nothing new fails since the previous run (${summary.changes!.knownFailures} known failure${summary.changes!.knownFailures === 1 ? '' : 's'} remain)`
      : summary.status === 'passed'
        ? '## ✅ release-sigcheck: every release is signed the way clusters require'
        : summary.status === 'failed'
          ? c.failed > 0
            ? `## ❌ release-sigcheck: clusters would reject ${c.failed} (version, arch) node${c.failed === 1 ? '' : 's'}`
            : `## ❌ release-sigcheck: graph-data has ${c.findings} finding${c.findings === 1 ? '' : 's'} to fix`
          : `## ⚠️ release-sigcheck: ${c.errored} node${c.errored === 1 ? '' : 's'} could not be checked; re-run the job`;
    const counts = `<p>${c.nodes} (version, arch) node${c.nodes === 1 ? '' : 's'} checked in <code>${untrustedHtml(info?.releaseRepo ?? '', 200)}</code>${info?.mirror ? ` (read from the mirror <code>${untrustedHtml(info.mirror, 200)}</code>)` : ''}: ✅ ${c.passed} passed · ❌ ${c.failed} failed · ⚠️ ${c.errored} could not be checked · ${c.unpublished} not published · ${c.findings} finding${c.findings === 1 ? '' : 's'} · ${(summary.durationMs / 1000).toFixed(1)} s</p>`;
    const report = info?.reportPath ? ` (<code>${untrustedHtml(info.reportPath, 300)}</code>)` : '';
    const parts = lead ? [heading, '', lead, '', counts, ''] : [heading, '', counts, ''];
    let used = parts.reduce((n, p) => n + byteLength(p) + 1, 0);
    // Room kept for the closing notes, so that they always fit.
    const reserve = 800;

    if (this.findings.length > 0 || this.omittedFindings > 0) {
      const shown: string[] = [];
      let bytes = 0;
      for (const row of this.findings) {
        if (used + bytes + byteLength(row) > budget * 0.25) break;
        shown.push(row);
        bytes += byteLength(row) + 1;
      }
      const more = this.findings.length - shown.length + this.omittedFindings;
      parts.push('### Findings', '', '<table><thead><tr><th>Severity</th><th>Where</th><th>Finding</th></tr></thead><tbody>', ...shown, '</tbody></table>', '');
      if (more > 0) parts.push(`<p>… and ${more} more finding${more === 1 ? '' : 's'}, in the JSON report${report}.</p>`, '');
      used += bytes + 120;
    }

    const totalRows = this.rows.length + this.omittedRows;
    if (totalRows > 0) {
      const tableRows: string[] = [];
      const details: string[] = [];
      const unpublishedBytes = Math.min(this.unpublishedItems.length * 80, budget * 0.05);
      // The table first (what a reviewer scans), then as many folded details as still fit.
      for (const row of this.rows) {
        const bytes = byteLength(row.tableRow) + 1;
        if (used + bytes + unpublishedBytes + reserve > budget) break;
        tableRows.push(row.tableRow);
        used += bytes;
      }
      for (const row of this.rows.slice(0, tableRows.length)) {
        const bytes = byteLength(row.detail) + 1;
        if (used + bytes + unpublishedBytes + reserve > budget) break;
        details.push(row.detail);
        used += bytes;
      }
      const more = totalRows - tableRows.length;
      parts.push(
        '### Nodes that need attention',
        '',
        `<table><thead><tr><th>Release</th>${CHECK_NAMES.map((c) => `<th>${CHECK_LABEL[c]}</th>`).join('')}<th>Why</th><th>Line</th></tr></thead><tbody>`,
        ...tableRows,
        '</tbody></table>',
        '',
      );
      if (more > 0) parts.push(`<p>… and ${more} more node${more === 1 ? '' : 's'} that need attention, not shown here (GitHub limits the size of this text); every node is in the JSON report${report}.</p>`, '');
      if (details.length > 0) {
        const which = details.length === tableRows.length ? `the ${details.length} node${details.length === 1 ? '' : 's'} above` : `the first ${details.length} of the nodes above`;
        parts.push(`<details><summary>Digests, sources and full reasons of ${which}</summary>`, '', ...details, '', '</details>', '');
      }
    }

    if (this.componentRows.length > 0 || this.omittedComponents > 0) {
      const shown: string[] = [];
      for (const row of this.componentRows) {
        if (used + byteLength(row) + 1 + reserve > budget) break;
        shown.push(row);
        used += byteLength(row) + 1;
      }
      const more = this.componentRows.length - shown.length + this.omittedComponents;
      parts.push(
        '### Component images that clusters would refuse',
        '',
        '<table><thead><tr><th>Release</th><th>Component</th><th>Digest</th><th>Why</th></tr></thead><tbody>',
        ...shown,
        '</tbody></table>',
        '',
      );
      if (more > 0) parts.push(`<p>… and ${more} more failing component image${more === 1 ? '' : 's'}; every one is in the JSON report${report}.</p>`, '');
    }

    if (this.unpublishedCount > 0) {
      const items: string[] = [];
      for (const item of this.unpublishedItems) {
        if (used + byteLength(item) + reserve > budget) break;
        items.push(item);
        used += byteLength(item) + 6;
      }
      const more = this.unpublishedCount - items.length;
      parts.push(
        `<details><summary>${this.unpublishedCount} (version, arch) pair${this.unpublishedCount === 1 ? '' : 's'} not published (no such tag; not a failure)</summary>`,
        '',
        `<p>${items.join('<br>')}${more > 0 ? `<br>… and ${more} more` : ''}</p>`,
        '',
        '</details>',
        '',
      );
    }
    if (totalRows > 0) parts.push(`<sub>✅ verified · ❌ missing or invalid · ⚠️ could not be checked · ➖ skipped.${report ? ` Every result is in the JSON report${report}.` : ''}</sub>`, '');
    return parts.join('\n');
  }
}
