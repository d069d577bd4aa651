/**
 * JUnit XML for CI systems that show test reports: one test suite per check (openpgp, sigstore,
 * components) and one for the release-metadata confirmation, one test case per node; missing/invalid
 * are failures, error is an error, skipped is skipped. When the update-edge check ran, an `edges` suite
 * has one test case per node too, decided by its worst edge (each failing edge named in the detail),
 * skipped for a node the edge check did not judge. Graph-data findings form a suite of their own.
 * PR- and server-controlled strings are bounded and show their controls escaped (safe-text.ts) before
 * XML escaping, so a test name stays one line.
 */
import type { Writable } from 'node:stream';
import { CHECK_LABEL, EDGES_LABEL, METADATA_LABEL, componentLines, describeEdges, edgeLines, unsettledEdges } from './format.ts';
import { CHECK_NAMES, edgesOutcome, type CheckName, type Finding, type NodeResult, type RunSummary } from '../model/results.ts';

/** One suite per check, and one for the release-metadata confirmation. */
const SUITES: readonly (CheckName | 'metadata')[] = [...CHECK_NAMES, 'metadata'];
import type { Reporter, RunInfo } from '../model/reporter.ts';
import { MAX_REASON_CHARS, untrusted } from './safe-text.ts';

export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are replaced, the rest escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Suite {
  cases: string[];
  failures: number;
  errors: number;
  skipped: number;
}

export class JunitReporter implements Reporter {
  private readonly out: Writable;
  private readonly close: boolean;
  private info?: RunInfo;
  private readonly suites: Record<CheckName | 'metadata', Suite> = {
    openpgp: { cases: [], failures: 0, errors: 0, skipped: 0 },
    sigstore: { cases: [], failures: 0, errors: 0, skipped: 0 },
    components: { cases: [], failures: 0, errors: 0, skipped: 0 },
    metadata: { cases: [], failures: 0, errors: 0, skipped: 0 },
  };
  /** Written only when at least one node carried update edges (the edge check ran). */
  private readonly edges: Suite = { cases: [], failures: 0, errors: 0, skipped: 0 };
  private edgesRan = false;
  private readonly findings: Finding[] = [];

  constructor(out: Writable, options: { close?: boolean } = {}) {
    this.out = out;
    this.close = options.close ?? false;
  }

  begin(info: RunInfo): void {
    this.info = info;
  }

  node(r: NodeResult): void {
    for (const check of SUITES) {
      const suite = this.suites[check];
      const c = r[check];
      const prefix = this.info?.pathPrefix ?? '';
      const name = escapeXml(`${untrusted(r.version)} ${r.arch}`);
      const where = r.places.map((p) => `${untrusted(prefix + p.file, 300)}:${p.line} (${untrusted(p.channel)})`).join(', ');
      const attempts = 'attempts' in c ? (c.attempts ?? []) : [];
      const failingComponents = check === 'components' ? componentLines(r, 200).map((l) => untrusted(l, MAX_REASON_CHARS)) : [];
      const detail = escapeXml(
        [
          `digest: ${untrusted(r.digest ?? '-', 80)}`,
          `source: ${untrusted(('source' in c ? c.source : undefined) ?? '-', 300)}`,
          ...(where ? [`promoted at: ${where}`] : []),
          ...failingComponents,
          ...attempts.slice(0, 20).map((a) => `${untrusted(a.source, 300)}: ${a.outcome}: ${untrusted(a.reason, MAX_REASON_CHARS)}`),
        ].join('\n'),
      );
      const reason = untrusted(c.reason, MAX_REASON_CHARS);
      const label = check === 'metadata' ? METADATA_LABEL : CHECK_LABEL[check];
      const open = `    <testcase classname="release-sigcheck.${check}" name="${name}"${r.places[0] ? ` file="${escapeXml(untrusted(prefix + r.places[0].file, 300))}" line="${r.places[0].line}"` : ''}>`;
      let body = '';
      if (c.outcome === 'missing' || c.outcome === 'invalid') {
        suite.failures++;
        body = `\n      <failure type="${c.outcome}" message="${escapeXml(`${label} ${c.outcome}: ${reason}`)}">${detail}</failure>\n    `;
      } else if (c.outcome === 'error') {
        suite.errors++;
        body = `\n      <error type="error" message="${escapeXml(`${label} could not be checked: ${reason}`)}">${detail}</error>\n    `;
      } else if (c.outcome === 'skipped') {
        suite.skipped++;
        body = `\n      <skipped message="${escapeXml(reason)}"/>\n    `;
      }
      suite.cases.push(`${open}${body}</testcase>`);
    }
    this.edgeCase(r);
  }

  /** The node's update edges as one test case: failure or error by the worst edge, each failing edge in the detail. */
  private edgeCase(r: NodeResult): void {
    const suite = this.edges;
    const prefix = this.info?.pathPrefix ?? '';
    const name = escapeXml(`${untrusted(r.version)} ${r.arch}`);
    const open = `    <testcase classname="release-sigcheck.edges" name="${name}"${r.places[0] ? ` file="${escapeXml(untrusted(prefix + r.places[0].file, 300))}" line="${r.places[0].line}"` : ''}>`;
    if (!r.edges) {
      suite.skipped++;
      suite.cases.push(`${open}\n      <skipped message="no update-edge check ran for this release"/>\n    </testcase>`);
      return;
    }
    this.edgesRan = true;
    const outcome = edgesOutcome(r.edges);
    let body = '';
    if (outcome === 'missing' || outcome === 'invalid' || outcome === 'error') {
      // edgeLines shows the source release and the reason through untrusted() already.
      const lines = edgeLines(r, 200);
      const where = r.places.map((p) => `${untrusted(prefix + p.file, 300)}:${p.line} (${untrusted(p.channel)})`).join(', ');
      const detail = escapeXml([`digest: ${untrusted(r.digest ?? '-', 80)}`, ...(where ? [`promoted at: ${where}`] : []), ...lines].join('\n'));
      const first = lines[0] ?? '';
      const more = unsettledEdges(r).length - 1;
      const message = escapeXml(`${EDGES_LABEL} ${outcome}: ${first}${more > 0 ? ` (and ${more} more)` : ''}`);
      if (outcome === 'error') {
        suite.errors++;
        body = `\n      <error type="error" message="${message}">${detail}</error>\n    `;
      } else {
        suite.failures++;
        body = `\n      <failure type="${outcome}" message="${message}">${detail}</failure>\n    `;
      }
    } else if (outcome === 'skipped') {
      suite.skipped++;
      const reason = r.edges.length === 0 ? (describeEdges(r) ?? '') : untrusted(r.edges[0]!.reason, MAX_REASON_CHARS);
      body = `\n      <skipped message="${escapeXml(reason)}"/>\n    `;
    }
    suite.cases.push(`${open}${body}</testcase>`);
  }

  finding(f: Finding): void {
    this.findings.push(f);
  }

  async end(summary: RunSummary): Promise<void> {
    const seconds = (summary.durationMs / 1000).toFixed(3);
    const parts = ['<?xml version="1.0" encoding="UTF-8"?>'];
    const suites: [string, Suite][] = SUITES.map((c) => [c, this.suites[c]]);
    if (this.edgesRan) suites.push(['edges', this.edges]);
    const total = suites.reduce((n, [, s]) => n + s.cases.length, 0) + this.findings.length;
    const failures = suites.reduce((n, [, s]) => n + s.failures, 0) + this.findings.filter((f) => f.severity === 'error').length;
    const errors = suites.reduce((n, [, s]) => n + s.errors, 0);
    parts.push(`<testsuites name="release-sigcheck" tests="${total}" failures="${failures}" errors="${errors}" time="${seconds}">`);
    for (const [check, s] of suites) {
      parts.push(`  <testsuite name="${check}" tests="${s.cases.length}" failures="${s.failures}" errors="${s.errors}" skipped="${s.skipped}" time="${seconds}">`);
      parts.push(...s.cases);
      parts.push('  </testsuite>');
    }
    const errorsInGraph = this.findings.filter((f) => f.severity === 'error').length;
    parts.push(`  <testsuite name="graph-data" tests="${this.findings.length}" failures="${errorsInGraph}" errors="0" skipped="0" time="0">`);
    for (const f of this.findings) {
      const file = f.file ? untrusted((this.info?.pathPrefix ?? '') + f.file, 300) : '';
      const where = f.file ? `${file}${f.line ? `:${f.line}` : ''}` : '';
      const attrs = f.file ? ` file="${escapeXml(file)}"${f.line ? ` line="${f.line}"` : ''}` : '';
      const code = untrusted(f.code, 60);
      const message = untrusted(f.message, MAX_REASON_CHARS);
      const body = f.severity === 'error' ? `\n      <failure type="${escapeXml(code)}" message="${escapeXml(message)}">${escapeXml(where)}</failure>\n    ` : `\n      <system-out>${escapeXml(`warning: ${message}`)}</system-out>\n    `;
      parts.push(`    <testcase classname="release-sigcheck.graph-data" name="${escapeXml(`${code} ${where}`.trim())}"${attrs}>${body}</testcase>`);
    }
    parts.push('  </testsuite>', '</testsuites>', '');
    this.out.write(parts.join('\n'));
    if (this.close) await new Promise<void>((resolve) => this.out.end(resolve));
  }
}
