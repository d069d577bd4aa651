/**
 * GitHub Actions output: error annotations on the channel-file lines of failed nodes, a job summary
 * with every result that needs attention, and step outputs.
 *
 * GitHub keeps at most 10 error annotations per step and drops the rest silently. The Action's own
 * failure message takes one, so at most 9 problems are annotated, followed by one notice that says
 * how many more there are and where the full list is.
 */
import * as core from '@actions/core';
import { CHECK_LABEL, componentDigest, erroredChecks, escapeHtml, failedChecks, shortDigest } from './format.ts';

/** The failing components of a node, for an annotation: tag name and full digest on each line. */
function failingComponentLines(node: NodeResult, max = 12): string[] {
  const failures = node.components.failures;
  const lines = failures.slice(0, max).map((f) => `  - component ${f.name} ${componentDigest(f.reference)}: ${f.outcome}`);
  if (failures.length > max) lines.push(`  - … and ${failures.length - max} more component(s) (job summary, JSON report)`);
  return lines;
}
import { nodeStatus, type Finding, type NodeResult, type Place, type RunSummary, type UnpublishedNode } from '../model/results.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';

export const MAX_ERROR_ANNOTATIONS = 9;
export const MAX_WARNING_ANNOTATIONS = 10;
/** GitHub aborts a step summary over 1 MiB; stay well below. */
const MAX_SUMMARY_ROWS = 500;

interface Annotation {
  file?: string;
  line?: number;
  message: string;
}

export interface GithubReporterOptions {
  /** Write the job summary (needs GITHUB_STEP_SUMMARY). Default: when the variable is set. */
  summary?: boolean;
  /** Set step outputs (needs GITHUB_OUTPUT). Default: when the variable is set. */
  outputs?: boolean;
}

export class GithubReporter implements Reporter {
  private info?: RunInfo;
  private readonly problems: NodeResult[] = [];
  private readonly findings: Finding[] = [];
  private readonly unpublishedNodes: UnpublishedNode[] = [];
  private readonly writeSummary: boolean;
  private readonly writeOutputs: boolean;
  /** Annotations emitted, for tests and for the Action's own accounting. */
  readonly emitted = { errors: 0, warnings: 0, notices: 0 };

  constructor(options: GithubReporterOptions = {}) {
    this.writeSummary = options.summary ?? Boolean(process.env.GITHUB_STEP_SUMMARY);
    this.writeOutputs = options.outputs ?? Boolean(process.env.GITHUB_OUTPUT);
  }

  begin(info: RunInfo): void {
    this.info = info;
  }

  node(result: NodeResult): void {
    if (nodeStatus(result) !== 'passed') this.problems.push(result);
  }

  unpublished(node: UnpublishedNode): void {
    this.unpublishedNodes.push(node);
  }

  finding(finding: Finding): void {
    this.findings.push(finding);
  }

  private path(file: string): string {
    return `${this.info?.pathPrefix ?? ''}${file}`;
  }

  /** One annotation per (release name, place): all failing architectures and checks of that name at that line. */
  private failureAnnotations(): Annotation[] {
    const groups = new Map<string, { name: string; place: Place | undefined; nodes: NodeResult[] }>();
    for (const node of this.problems) {
      if (failedChecks(node).length === 0) continue;
      const places: (Place | undefined)[] = node.places.length > 0 ? node.places : [undefined];
      for (const place of places) {
        const key = `${place?.file ?? ''}:${place?.line ?? 0}:${node.version}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { name: node.version, place, nodes: [] }));
        g.nodes.push(node);
      }
    }
    const out: Annotation[] = [];
    for (const g of groups.values()) {
      const lines = [`${g.name} is not signed the way clusters require:`];
      for (const node of g.nodes) {
        for (const check of failedChecks(node)) {
          lines.push(`- ${node.arch} (${shortDigest(node.digest)}): ${CHECK_LABEL[check]} ${node[check].outcome}: ${node[check].reason}`);
          if (check === 'components') lines.push(...failingComponentLines(node));
        }
      }
      const a: Annotation = { message: lines.join('\n') };
      if (g.place) {
        a.file = this.path(g.place.file);
        a.line = g.place.line;
      }
      out.push(a);
    }
    return out;
  }

  private errorWarnings(): Annotation[] {
    const out: Annotation[] = [];
    for (const node of this.problems) {
      const checks = erroredChecks(node);
      if (checks.length === 0 || failedChecks(node).length > 0) continue;
      const place = node.places[0];
      const message = `${node.version} ${node.arch}: could not be checked (${checks.map((c) => `${CHECK_LABEL[c]}: ${node[c].reason}`).join('; ')}); re-run the job`;
      out.push(place ? { file: this.path(place.file), line: place.line, message } : { message });
    }
    return out;
  }

  private annotate(kind: 'error' | 'warning' | 'notice', a: Annotation): void {
    const props: core.AnnotationProperties = {};
    if (a.file) props.file = a.file;
    if (a.line) props.startLine = a.line;
    core[kind](a.message, props);
    if (kind === 'error') this.emitted.errors++;
    else if (kind === 'warning') this.emitted.warnings++;
    else this.emitted.notices++;
  }

  async end(summary: RunSummary): Promise<void> {
    const toAnnotation = (f: Finding): Annotation => {
      const a: Annotation = { message: `${f.message} [${f.code}]` };
      if (f.file) a.file = this.path(f.file);
      if (f.line) a.line = f.line;
      return a;
    };
    const errors = [...this.findings.filter((f) => f.severity === 'error').map(toAnnotation), ...this.failureAnnotations()];
    const warnings = [...this.findings.filter((f) => f.severity === 'warning').map(toAnnotation), ...this.errorWarnings()];

    for (const a of errors.slice(0, MAX_ERROR_ANNOTATIONS)) this.annotate('error', a);
    for (const a of warnings.slice(0, MAX_WARNING_ANNOTATIONS)) this.annotate('warning', a);
    const moreErrors = errors.length - Math.min(errors.length, MAX_ERROR_ANNOTATIONS);
    const moreWarnings = warnings.length - Math.min(warnings.length, MAX_WARNING_ANNOTATIONS);
    if (moreErrors > 0 || moreWarnings > 0) {
      const where = ['the job summary', ...(this.info?.reportPath ? [`the JSON report (${this.info.reportPath})`] : [])].join(' and ');
      const what = [moreErrors > 0 ? `${moreErrors} more error(s)` : '', moreWarnings > 0 ? `${moreWarnings} more warning(s)` : ''].filter(Boolean).join(' and ');
      this.annotate('notice', { message: `${what} not annotated: GitHub shows at most 10 annotations of each kind per step. The full list is in ${where}.` });
    }

    if (this.writeOutputs) this.setOutputs(summary);
    if (this.writeSummary) await this.summaryMarkdown(summary).write();
  }

  private setOutputs(summary: RunSummary): void {
    const c = summary.counts;
    core.setOutput('status', summary.status);
    core.setOutput('exit-code', summary.exitCode);
    core.setOutput('checked', c.nodes);
    core.setOutput('passed', c.passed);
    core.setOutput('failed', c.failed);
    core.setOutput('errors', c.errored);
    core.setOutput('unpublished', c.unpublished);
    core.setOutput('findings', c.findings);
    core.setOutput('report-path', this.info?.reportPath ?? '');
  }

  /** Builds the job summary; exported through `summaryHtml()` for tests and the PR comment. */
  private summaryMarkdown(summary: RunSummary, maxRows = MAX_SUMMARY_ROWS): typeof core.summary {
    const c = summary.counts;
    const s = core.summary.emptyBuffer();
    const verdict = summary.status === 'passed' ? 'passed' : summary.status === 'failed' ? 'FAILED' : 'incomplete (errors)';
    s.addHeading(`release-sigcheck: ${verdict}`, 2);
    s.addRaw(
      `<p>${c.nodes} node(s) checked in <code>${escapeHtml(this.info?.releaseRepo ?? '')}</code>: ${c.passed} passed, ${c.failed} failed, ${c.errored} could not be checked; ${c.unpublished} not published; ${c.findings} finding(s).</p>`,
      true,
    );
    const head = ['Version', 'Arch', 'Digest', 'OpenPGP', 'Sigstore', 'Where'].map((h) => ({ data: h, header: true }));
    if (this.problems.length > 0) {
      const rows = this.problems.slice(0, maxRows).map((n) => [
        escapeHtml(n.version),
        escapeHtml(n.arch),
        `<code>${escapeHtml(shortDigest(n.digest))}</code>`,
        `<b>${escapeHtml(n.openpgp.outcome)}</b>: ${escapeHtml(n.openpgp.reason)}`,
        `<b>${escapeHtml(n.sigstore.outcome)}</b>: ${escapeHtml(n.sigstore.reason)}`,
        n.places.map((p) => escapeHtml(`${this.path(p.file)}:${p.line}`)).join('<br>'),
      ]);
      s.addHeading('Nodes that need attention', 3);
      s.addTable([head, ...rows]);
      if (this.problems.length > maxRows) {
        s.addRaw(`<p>… and ${this.problems.length - maxRows} more; see the JSON report${this.info?.reportPath ? ` (${escapeHtml(this.info.reportPath)})` : ''}.</p>`, true);
      }
    }
    this.addComponentsTable(s, maxRows);
    if (this.findings.length > 0) {
      s.addHeading('Findings', 3);
      s.addTable([
        ['Severity', 'Where', 'Finding'].map((h) => ({ data: h, header: true })),
        ...this.findings.slice(0, maxRows).map((f) => [
          escapeHtml(f.severity),
          escapeHtml(f.file ? `${this.path(f.file)}${f.line ? `:${f.line}` : ''}` : '-'),
          `${escapeHtml(f.message)} <code>${escapeHtml(f.code)}</code>`,
        ]),
      ]);
    }
    if (this.unpublishedNodes.length > 0) {
      const list = this.unpublishedNodes.slice(0, maxRows).map((u) => `${escapeHtml(u.version)} ${escapeHtml(u.arch)} (<code>${escapeHtml(u.tag)}</code>)`);
      s.addDetails(`${this.unpublishedNodes.length} (version, architecture) pair(s) not published (not a failure)`, list.join('<br>'));
    }
    return s;
  }

  /** Every failing component image, by node: its image-references tag name, digest and why. */
  private addComponentsTable(s: typeof core.summary, maxRows: number): void {
    const rows: string[][] = [];
    for (const n of this.problems) {
      for (const f of n.components.failures) {
        rows.push([escapeHtml(`${n.version} ${n.arch}`), `<code>${escapeHtml(f.name)}</code>`, `<code>${escapeHtml(componentDigest(f.reference))}</code>`, `<b>${escapeHtml(f.outcome)}</b>: ${escapeHtml(f.reason)}`]);
      }
    }
    if (rows.length === 0) return;
    s.addHeading('Component images that clusters would refuse', 3);
    s.addTable([['Release', 'Component', 'Digest', 'Why'].map((h) => ({ data: h, header: true })), ...rows.slice(0, maxRows)]);
    if (rows.length > maxRows) s.addRaw(`<p>… and ${rows.length - maxRows} more; see the JSON report.</p>`, true);
  }

  /** The job summary as HTML, without writing it (for tests and for the PR comment). */
  summaryHtml(summary: RunSummary, maxRows = MAX_SUMMARY_ROWS): string {
    return this.summaryMarkdown(summary, maxRows).stringify();
  }
}
