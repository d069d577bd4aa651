/**
 * `--output report.html`: one self-contained page (inline CSS and script, nothing fetched at view
 * time) with a grid of channels by versions, one cell per architecture coloured by outcome, filters,
 * each node's details, and the changes since the previous run at the top.
 *
 * The grid needs every node, so this reporter keeps a compact record per node: strings interned in
 * one table (reasons, files, channels and signers repeat across thousands of nodes), numbers for
 * the rest. The report's text comes from pull requests and servers, so it is data, never markup: it
 * is embedded as JSON in a `<script type="application/json">` element with `<` written `\u003c`, and
 * the page builds its DOM with textContent only. A Content-Security-Policy allows only this page's
 * own style and script (by hash) and no request at all.
 */
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { compareReleaseNames, parseReleaseName } from '../model/version.ts';
import { TOOL } from './json.ts';
import { nodeStatus, OUTCOMES, type CheckResult, type Finding, type NodeResult, type Place, type RunSummary, type UnpublishedNode } from '../model/results.ts';
import { PAGE_CSS, PAGE_SCRIPT } from './html-page.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';

/** Longer strings are cut with a marker: a hostile server's reason must not make the page huge. */
const STRING_MAX = 2000;
const STATUSES = ['passed', 'failed', 'error'] as const;

/** [outcome, reason, signer, identity]: indexes into `strings`, -1 for none. */
export type PageCheck = [number, number, number, number];
/** [from, outcome, reason, digest]: an update edge into a node (from -1 when the edges could not be determined). */
export type PageEdge = [number, number, number, number];
/**
 * [version, arch, digest, tag, status, openpgp, sigstore, places, edges?]: strings by index, -1 for
 * none; `edges` only when the update-edge check ran for the node.
 */
export type PageNode = [number, number, number, number, number, PageCheck, PageCheck, number, PageEdge[]?];

/** The data the page reads (the `report-data` element). Documented in the reporter, read by html-page.ts. */
export interface PageData {
  format: 1;
  meta: Record<string, unknown>;
  strings: string[];
  /** Lists of places, each place [file, line, channel] (file and channel by string index). */
  places: [number, number, number][][];
  nodes: PageNode[];
  /** [version, arch, tag] by string index. */
  unpublished: [number, number, number][];
  /** [severity, code, message, file, line]. */
  findings: [number, number, number, number, number][];
  changes: RunSummary['changes'] | null;
}

/** JSON that is safe inside a script element: no `<` (so no `</script>` or `<!--`), no line separators. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The whole page for the given data. */
export function renderHtmlPage(data: PageData): string {
  const csp = [`default-src 'none'`, `style-src ${cspHash(PAGE_CSS)}`, `script-src ${cspHash(PAGE_SCRIPT)}`, `img-src 'none'`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<title>release-sigcheck report</title>',
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<noscript>This report is drawn by its inline script; the same data is in the JSON report.</noscript>',
    `<script type="application/json" id="report-data">${embedJson(data)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function cut(text: string): string {
  return text.length > STRING_MAX ? `${text.slice(0, STRING_MAX)}… (cut: ${text.length} characters)` : text;
}

export class HtmlReporter implements Reporter {
  private readonly out: Writable;
  private readonly closeAtEnd: boolean;
  private info?: RunInfo;
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly placeLists: [number, number, number][][] = [];
  private readonly placeIndex = new Map<string, number>();
  private readonly nodes: PageNode[] = [];
  private readonly unpublishedNodes: [number, number, number][] = [];
  private readonly findings: [number, number, number, number, number][] = [];

  constructor(out: Writable, options: { close?: boolean } = {}) {
    this.out = out;
    this.closeAtEnd = options.close ?? false;
  }

  private s(text: string | undefined | null): number {
    if (text === undefined || text === null) return -1;
    const value = cut(text);
    let i = this.stringIndex.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.stringIndex.set(value, i);
    }
    return i;
  }

  /** The arches of a name share one list of places; keyed by content so equal lists are stored once. */
  private places(places: readonly Place[]): number {
    const list = places.map((p): [number, number, number] => [this.s(p.file), p.line, this.s(p.channel)]);
    const key = list.map((p) => p.join(',')).join(';');
    let i = this.placeIndex.get(key);
    if (i === undefined) {
      i = this.placeLists.length;
      this.placeLists.push(list);
      this.placeIndex.set(key, i);
    }
    return i;
  }

  private check(r: CheckResult): PageCheck {
    return [OUTCOMES.indexOf(r.outcome), this.s(r.reason), this.s(r.signer), this.s(r.identity)];
  }

  begin(info: RunInfo): void {
    this.info = info;
  }

  node(r: NodeResult): void {
    const node: PageNode = [this.s(r.version), this.s(r.arch), this.s(r.digest), this.s(r.tag), STATUSES.indexOf(nodeStatus(r)), this.check(r.openpgp), this.check(r.sigstore), this.places(r.places)];
    if (r.edges) node.push(r.edges.map((e): PageEdge => [this.s(e.from), OUTCOMES.indexOf(e.outcome), this.s(e.reason), this.s(e.digest)]));
    this.nodes.push(node);
  }

  unpublished(u: UnpublishedNode): void {
    this.unpublishedNodes.push([this.s(u.version), this.s(u.arch), this.s(u.tag)]);
  }

  finding(f: Finding): void {
    this.findings.push([this.s(f.severity), this.s(f.code), this.s(f.message), this.s(f.file), f.line ?? 0]);
  }

  /** Graph order (SemVer, then the run's architecture order) whatever order results arrived in. */
  private sortByNode<T extends [number, number, ...unknown[]]>(list: T[]): void {
    const arches = (this.info?.arches ?? []) as readonly string[];
    const parsed = new Map<number, ReturnType<typeof parseReleaseName>>();
    const release = (i: number) => {
      let p = parsed.get(i);
      if (!p) parsed.set(i, (p = parseReleaseName(this.strings[i]!)));
      return p;
    };
    list.sort((a, b) => {
      const pa = release(a[0]);
      const pb = release(b[0]);
      const byName = pa.ok && pb.ok ? compareReleaseNames(pa.release, pb.release) : this.strings[a[0]]! < this.strings[b[0]]! ? -1 : this.strings[a[0]]! > this.strings[b[0]]! ? 1 : 0;
      return byName || arches.indexOf(this.strings[a[1]]!) - arches.indexOf(this.strings[b[1]]!);
    });
  }

  /** The page's data; exported for tests and the size measurement. */
  pageData(summary: RunSummary): PageData {
    this.sortByNode(this.nodes);
    this.sortByNode(this.unpublishedNodes);
    const info = this.info;
    return {
      format: 1,
      meta: {
        tool: `${TOOL.name} ${TOOL.version}`,
        mode: info?.mode ?? '',
        releaseRepo: info?.releaseRepo ?? '',
        ...(info?.mirror ? { mirror: info.mirror } : {}),
        ...(info?.graphData ? { graphData: info.graphData } : {}),
        pathPrefix: info?.pathPrefix ?? '',
        require: info?.require ?? [],
        arches: info?.arches ?? [],
        status: summary.status,
        exitCode: summary.exitCode,
        counts: summary.counts,
        durationMs: summary.durationMs,
        ...(summary.retries !== undefined ? { retries: summary.retries } : {}),
      },
      strings: this.strings,
      places: this.placeLists,
      nodes: this.nodes,
      unpublished: this.unpublishedNodes,
      findings: this.findings,
      changes: summary.changes ?? null,
    };
  }

  async end(summary: RunSummary): Promise<void> {
    const page = renderHtmlPage(this.pageData(summary));
    await new Promise<void>((resolve, reject) => this.out.write(page, (err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.closeAtEnd) await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
