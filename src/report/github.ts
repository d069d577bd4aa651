/**
 * GitHub Actions output: error annotations on the channel-file lines of failed nodes, a job summary
 * a reviewer can scan (summary.ts), and step outputs.
 *
 * GitHub keeps at most 10 error annotations per step and drops the rest silently, and the Action's own
 * failure message takes one. So the 9 left go first to distinct failing versions (one each, at the first
 * line that promotes it, with every failing architecture in it), then to graph-data errors, and only
 * then to the other lines of the same versions; one notice says how many more there are and where the
 * full list is.
 *
 * @actions/core escapes the annotation's data and properties for the runner; what this file adds is
 * that no PR- or server-controlled text is unbounded or carries controls (safe-text.ts).
 */
import * as core from '@actions/core';
import { CHECK_LABEL, componentDigest, edgeSubject, erroredEdges, failedChecks, failingEdges, erroredChecks, nodeTitle, shortDigest } from './format.ts';
import { changesSummaryHtml } from './github-changes.ts';

/** The failing components of a node, for an annotation: tag name and full digest on each line. */
function failingComponentLines(node: NodeResult, max = 12): string[] {
  const failures = node.components.failures;
  const lines = failures.slice(0, max).map((f) => `  - component ${untrusted(f.name)} ${untrusted(componentDigest(f.reference), 80)}: ${f.outcome}`);
  if (failures.length > max) lines.push(`  - … and ${failures.length - max} more component(s) (job summary, JSON report)`);
  return lines;
}
import { nodeStatus, type Finding, type NodeResult, type Place, type RunSummary, type UnpublishedNode } from '../model/results.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';
import { hasControls, MAX_REASON_CHARS, truncate, untrusted } from './safe-text.ts';
import { COMMENT_BUDGET_BYTES, SummaryBuilder, SUMMARY_BUDGET_BYTES, type LineLinks } from './summary.ts';

export const MAX_ERROR_ANNOTATIONS = 9;
export const MAX_WARNING_ANNOTATIONS = 10;
/** Lines of one version an annotation message lists (its architectures and checks). */
const MAX_LINES_PER_ANNOTATION = 12;
const MAX_TITLE_CHARS = 250;
/** Update edges that could not be judged, named on the one line of an errored node. */
const MAX_EDGES_PER_LINE = 3;

interface Annotation {
  file?: string;
  line?: number;
  title?: string;
  message: string;
}

/** One version that did not pass: its first place, its other places, and one line per failing check. */
interface VersionGroup {
  version: string;
  places: Place[];
  titles: string[];
  lines: string[];
}

export interface GithubReporterOptions {
  /** Write the job summary (needs GITHUB_STEP_SUMMARY). Default: when the variable is set. */
  summary?: boolean;
  /** Set step outputs (needs GITHUB_OUTPUT). Default: when the variable is set. */
  outputs?: boolean;
  /** Link each promoting line in the summary to the commit that was checked. */
  links?: LineLinks;
}

export class GithubReporter implements Reporter {
  private info?: RunInfo;
  private builder: SummaryBuilder;
  private readonly links: LineLinks | undefined;
  /** The first versions that failed (as many as can be annotated); later ones are only counted. */
  private readonly failedGroups = new Map<string, VersionGroup>();
  private readonly erroredGroups = new Map<string, VersionGroup>();
  private failedVersionsSeen = 0;
  private erroredVersionsSeen = 0;
  private lastFailedVersion: string | undefined;
  private lastErroredVersion: string | undefined;
  private readonly errorFindings: Annotation[] = [];
  private readonly warningFindings: Annotation[] = [];
  private errorFindingCount = 0;
  private warningFindingCount = 0;
  private readonly writeSummary: boolean;
  private readonly writeOutputs: boolean;
  /** Annotations emitted, for tests and for the Action's own accounting. */
  readonly emitted = { errors: 0, warnings: 0, notices: 0 };

  constructor(options: GithubReporterOptions = {}) {
    this.writeSummary = options.summary ?? Boolean(process.env.GITHUB_STEP_SUMMARY);
    this.writeOutputs = options.outputs ?? Boolean(process.env.GITHUB_OUTPUT);
    this.links = options.links;
    this.builder = new SummaryBuilder(options.links ? { links: options.links } : {});
  }

  begin(info: RunInfo): void {
    this.info = info;
    this.builder = new SummaryBuilder({ pathPrefix: info.pathPrefix, ...(this.links ? { links: this.links } : {}) });
  }

  /** The annotation `file` property: the repository path, or a visibly escaped one if the name is hostile. */
  private path(file: string): string {
    const p = `${this.info?.pathPrefix ?? ''}${file}`;
    return hasControls(p) ? untrusted(p, 500) : truncate(p, 500);
  }

  private group(groups: Map<string, VersionGroup>, node: NodeResult, kind: 'failed' | 'errored'): VersionGroup | undefined {
    // Results arrive in graph order, so one version's architectures arrive together.
    const key = node.version;
    let g = groups.get(key);
    if (g) return g;
    if (kind === 'failed') {
      if (this.lastFailedVersion !== key) this.failedVersionsSeen++;
      this.lastFailedVersion = key;
    } else {
      if (this.lastErroredVersion !== key) this.erroredVersionsSeen++;
      this.lastErroredVersion = key;
    }
    const limit = kind === 'failed' ? MAX_ERROR_ANNOTATIONS : MAX_WARNING_ANNOTATIONS;
    if (groups.size >= limit) return undefined;
    g = { version: untrusted(node.version), places: node.places.slice(0, MAX_ERROR_ANNOTATIONS + 1), titles: [], lines: [] };
    groups.set(key, g);
    return g;
  }

  node(result: NodeResult): void {
    const status = nodeStatus(result);
    if (status === 'passed') return;
    this.builder.addNode(result);
    const failed = failedChecks(result);
    if (status === 'failed') {
      const g = this.group(this.failedGroups, result, 'failed');
      if (!g) return;
      g.titles.push(nodeTitle(result).slice(g.version.length + 1));
      for (const check of failed) {
        if (g.lines.length < MAX_LINES_PER_ANNOTATION) {
          g.lines.push(`- ${result.arch} (${shortDigest(result.digest)}): ${CHECK_LABEL[check]} ${result[check].outcome}: ${untrusted(result[check].reason, MAX_REASON_CHARS)}`);
          if (check === 'components') g.lines.push(...failingComponentLines(result));
        }
      }
      // A payload that names another release fails the node without failing a signature check.
      if (result.metadata.outcome === 'invalid' && g.lines.length < MAX_LINES_PER_ANNOTATION) {
        g.lines.push(`- ${result.arch} (${shortDigest(result.digest)}): release metadata: ${untrusted(result.metadata.reason, MAX_REASON_CHARS)}`);
      }
      // An update edge that fails fails the node too: name each source release and why, within the cap.
      const edges = failingEdges(result);
      const room = MAX_LINES_PER_ANNOTATION - g.lines.length;
      if (edges.length > 0 && room > 0) {
        const shown = edges.length > room ? edges.slice(0, room - 1) : edges;
        for (const e of shown) g.lines.push(`- ${result.arch} (${shortDigest(result.digest)}): ${edgeSubject(e)} ${e.outcome}: ${untrusted(e.reason, MAX_REASON_CHARS)}`);
        if (shown.length < edges.length) g.lines.push(`- ${result.arch}: … and ${edges.length - shown.length} more failing update edge(s) (job summary, JSON report)`);
      }
    } else {
      const g = this.group(this.erroredGroups, result, 'errored');
      if (!g) return;
      g.titles.push(nodeTitle(result).slice(g.version.length + 1));
      const checks = erroredChecks(result);
      const edges = erroredEdges(result);
      if (g.lines.length < MAX_LINES_PER_ANNOTATION) {
        const parts = checks.map((c) => `${CHECK_LABEL[c]}: ${untrusted(result[c].reason, MAX_REASON_CHARS)}`);
        for (const e of edges.slice(0, MAX_EDGES_PER_LINE)) parts.push(`${edgeSubject(e)}: ${untrusted(e.reason, MAX_REASON_CHARS)}`);
        if (edges.length > MAX_EDGES_PER_LINE) parts.push(`… and ${edges.length - MAX_EDGES_PER_LINE} more update edge(s) that could not be judged`);
        g.lines.push(`- ${result.arch}: ${parts.join('; ')}`);
      }
    }
  }

  unpublished(node: UnpublishedNode): void {
    this.builder.addUnpublished(node);
  }

  finding(finding: Finding): void {
    this.builder.addFinding(finding);
    const a: Annotation = { title: `graph-data ${finding.severity}: ${untrusted(finding.code, 60)}`, message: `${untrusted(finding.message, MAX_REASON_CHARS)} [${untrusted(finding.code, 60)}]` };
    if (finding.file) a.file = this.path(finding.file);
    if (finding.line) a.line = finding.line;
    if (finding.severity === 'error') {
      this.errorFindingCount++;
      if (this.errorFindings.length < MAX_ERROR_ANNOTATIONS) this.errorFindings.push(a);
    } else {
      this.warningFindingCount++;
      if (this.warningFindings.length < MAX_WARNING_ANNOTATIONS) this.warningFindings.push(a);
    }
  }

  private groupAnnotation(g: VersionGroup, place: Place | undefined, heading: string): Annotation {
    // `4.99.4 amd64, arm64: Sigstore missing` rather than one title part per architecture.
    const byChecks = new Map<string, string[]>();
    for (const t of g.titles) {
      const [arch, checks] = [t.slice(0, t.indexOf(': ')), t.slice(t.indexOf(': ') + 2)];
      byChecks.set(checks, [...(byChecks.get(checks) ?? []), arch]);
    }
    const title = `${g.version} ${[...byChecks].map(([checks, arches]) => `${arches.join(', ')}: ${checks}`).join('; ')}`;
    const a: Annotation = { title: truncate(title, MAX_TITLE_CHARS), message: [heading, ...g.lines].join('\n') };
    if (place) {
      a.file = this.path(place.file);
      a.line = place.line;
    }
    return a;
  }

  private annotate(kind: 'error' | 'warning' | 'notice', a: Annotation): void {
    const props: core.AnnotationProperties = {};
    if (a.title) props.title = a.title;
    if (a.file) props.file = a.file;
    if (a.line) props.startLine = a.line;
    core[kind](a.message, props);
    if (kind === 'error') this.emitted.errors++;
    else if (kind === 'warning') this.emitted.warnings++;
    else this.emitted.notices++;
  }

  /** Distinct versions first, then graph-data findings, then the versions' other lines. */
  private plan(groups: Map<string, VersionGroup>, findings: Annotation[], heading: (g: VersionGroup) => string, budget: number): { annotations: Annotation[]; distinct: number } {
    const out: Annotation[] = [];
    for (const g of groups.values()) if (out.length < budget) out.push(this.groupAnnotation(g, g.places[0], heading(g)));
    for (const f of findings) if (out.length < budget) out.push(f);
    // Each distinct version and each finding is one problem; another line of a shown version is not.
    const distinct = out.length;
    for (const g of groups.values()) {
      for (const p of g.places.slice(1)) if (out.length < budget) out.push(this.groupAnnotation(g, p, heading(g)));
    }
    return { annotations: out, distinct };
  }

  async end(summary: RunSummary): Promise<void> {
    const errors = this.plan(this.failedGroups, this.errorFindings, (g) => `${g.version} is not signed the way clusters require:`, MAX_ERROR_ANNOTATIONS);
    const warnings = this.plan(this.erroredGroups, this.warningFindings, (g) => `${g.version} could not be checked; re-run the job:`, MAX_WARNING_ANNOTATIONS);
    for (const a of errors.annotations) this.annotate('error', a);
    for (const a of warnings.annotations) this.annotate('warning', a);

    const moreErrors = this.failedVersionsSeen + this.errorFindingCount - errors.distinct;
    const moreWarnings = this.erroredVersionsSeen + this.warningFindingCount - warnings.distinct;
    if (moreErrors > 0 || moreWarnings > 0) {
      const where = ['the job summary', ...(this.info?.reportPath ? [`the JSON report (${untrusted(this.info.reportPath, 300)})`] : [])].join(' and ');
      const what = [moreErrors > 0 ? `${moreErrors} more failing version(s) or error(s)` : '', moreWarnings > 0 ? `${moreWarnings} more version(s) or warning(s)` : ''].filter(Boolean).join(' and ');
      this.annotate('notice', { title: 'release-sigcheck: more problems than annotations', message: `${what} not annotated: GitHub shows at most 10 annotations of each kind per step. The full list is in ${where}.` });
    }

    if (this.writeOutputs) this.setOutputs(summary);
    if (this.writeSummary) await core.summary.emptyBuffer().addRaw(this.summaryMarkdown(summary), true).write();
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

  /** The job summary (Markdown with HTML), within GitHub's 1 MiB; with --previous it leads with what changed. */
  summaryMarkdown(summary: RunSummary, budgetBytes = SUMMARY_BUDGET_BYTES): string {
    const lead = summary.changes ? changesSummaryHtml(summary.changes, this.info?.pathPrefix ?? '') : '';
    return this.builder.render(summary, this.info, budgetBytes, lead);
  }

  /** The same summary sized for a PR comment. */
  commentMarkdown(summary: RunSummary): string {
    return this.builder.render(summary, this.info, COMMENT_BUDGET_BYTES);
  }
}
