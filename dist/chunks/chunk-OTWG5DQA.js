import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  core_exports,
  setOutput,
  summary
} from "./chunk-SV7PWP26.js";
import {
  COMMENT_BUDGET_BYTES,
  SUMMARY_BUDGET_BYTES,
  SummaryBuilder
} from "./chunk-X27JOBY2.js";
import {
  CHANGE_KINDS,
  CHANGE_LABEL,
  hasChanges,
  newFailureCount
} from "./chunk-ZYBZPEKE.js";
import {
  CHECK_LABEL,
  MAX_REASON_CHARS,
  componentDigest,
  edgeSubject,
  erroredChecks,
  erroredEdges,
  failedChecks,
  failingEdges,
  hasControls,
  nodeTitle,
  shortDigest,
  truncate,
  untrusted,
  untrustedHtml
} from "./chunk-VJFIUDJR.js";
import {
  nodeStatus
} from "./chunk-GOJHGAW3.js";

// src/report/github-changes.ts
var ROWS_PER_KIND = 50;
function row(kind, c, pathPrefix) {
  const what = kind === "digestChanged" ? `<code>${untrustedHtml(shortDigest(c.previous?.digest))}</code> \u2192 <code>${untrustedHtml(shortDigest(c.current.digest))}</code>` : kind === "signaturesDisappeared" ? `${untrustedHtml((c.checks ?? []).map((k) => CHECK_LABEL[k]).join(" and "))} verified before, missing now` : `${c.previous ? `was ${untrustedHtml(c.previous.status)}` : "not in the previous report"}${c.reason ? `: ${untrustedHtml(c.reason)}` : ""}`;
  const where = c.places.slice(0, 3).map((p) => untrustedHtml(`${pathPrefix}${p.file}:${p.line}`)).join("<br>");
  return `<tr><td>${untrustedHtml(c.version)}</td><td>${untrustedHtml(c.arch)}</td><td>${what}</td><td>${where}</td></tr>`;
}
function changesSummaryHtml(changes, pathPrefix = "") {
  const p = changes.previous;
  const out = ["<h3>What changed since the previous run</h3>"];
  if (!p.found) out.push(`<p>No previous report at <code>${untrustedHtml(p.file)}</code> (a first run, or it was not restored): every failure counts as new.</p>`);
  else if (!hasChanges(changes)) out.push(`<p>Nothing changed since <code>${untrustedHtml(p.file)}</code> (${changes.compared} node(s) compared).</p>`);
  if (changes.failOn === "new") {
    const fresh = newFailureCount(changes);
    out.push(
      `<p><b>--fail-on new</b>: ${fresh > 0 ? `<b>${fresh} new failure(s)</b> fail this run` : "no new failure"}; ${changes.knownFailures} failure(s) known from the previous report do not fail this run.</p>`
    );
  }
  for (const kind of CHANGE_KINDS) {
    const list = changes[kind];
    if (list.length === 0) continue;
    const rows = list.slice(0, ROWS_PER_KIND).map((c) => row(kind, c, pathPrefix));
    const more = list.length > ROWS_PER_KIND ? `<p>\u2026 and ${list.length - ROWS_PER_KIND} more in the JSON report's <code>changes</code>.</p>` : "";
    out.push(`<h4>${untrustedHtml(CHANGE_LABEL[kind])} (${list.length})</h4><table><tr><th>Version</th><th>Arch</th><th>Change</th><th>Where</th></tr>${rows.join("")}</table>${more}`);
  }
  if (changes.newFindings.length > 0) {
    const rows = changes.newFindings.slice(0, ROWS_PER_KIND).map((f) => `<tr><td>${untrustedHtml(f.file ? `${pathPrefix}${f.file}${f.line ? `:${f.line}` : ""}` : "-")}</td><td>${untrustedHtml(f.message)} <code>${untrustedHtml(f.code)}</code></td></tr>`);
    out.push(`<h4>new error findings (${changes.newFindings.length})</h4><table><tr><th>Where</th><th>Finding</th></tr>${rows.join("")}</table>`);
  }
  return out.join("\n");
}

// src/report/github.ts
function failingComponentLines(node, max = 12) {
  const failures = node.components.failures;
  const lines = failures.slice(0, max).map((f) => `  - component ${untrusted(f.name)} ${untrusted(componentDigest(f.reference), 80)}: ${f.outcome}`);
  if (failures.length > max) lines.push(`  - \u2026 and ${failures.length - max} more component(s) (job summary, JSON report)`);
  return lines;
}
var MAX_ERROR_ANNOTATIONS = 9;
var MAX_WARNING_ANNOTATIONS = 10;
var MAX_LINES_PER_ANNOTATION = 12;
var MAX_TITLE_CHARS = 250;
var MAX_EDGES_PER_LINE = 3;
var GithubReporter = class {
  info;
  builder;
  links;
  /** The first versions that failed (as many as can be annotated); later ones are only counted. */
  failedGroups = /* @__PURE__ */ new Map();
  erroredGroups = /* @__PURE__ */ new Map();
  failedVersionsSeen = 0;
  erroredVersionsSeen = 0;
  lastFailedVersion;
  lastErroredVersion;
  errorFindings = [];
  warningFindings = [];
  errorFindingCount = 0;
  warningFindingCount = 0;
  writeSummary;
  writeOutputs;
  /** Annotations emitted, for tests and for the Action's own accounting. */
  emitted = { errors: 0, warnings: 0, notices: 0 };
  constructor(options = {}) {
    this.writeSummary = options.summary ?? Boolean(process.env.GITHUB_STEP_SUMMARY);
    this.writeOutputs = options.outputs ?? Boolean(process.env.GITHUB_OUTPUT);
    this.links = options.links;
    this.builder = new SummaryBuilder(options.links ? { links: options.links } : {});
  }
  begin(info) {
    this.info = info;
    this.builder = new SummaryBuilder({ pathPrefix: info.pathPrefix, ...this.links ? { links: this.links } : {} });
  }
  /** The annotation `file` property: the repository path, or a visibly escaped one if the name is hostile. */
  path(file) {
    const p = `${this.info?.pathPrefix ?? ""}${file}`;
    return hasControls(p) ? untrusted(p, 500) : truncate(p, 500);
  }
  group(groups, node, kind) {
    const key = node.version;
    let g = groups.get(key);
    if (g) return g;
    if (kind === "failed") {
      if (this.lastFailedVersion !== key) this.failedVersionsSeen++;
      this.lastFailedVersion = key;
    } else {
      if (this.lastErroredVersion !== key) this.erroredVersionsSeen++;
      this.lastErroredVersion = key;
    }
    const limit = kind === "failed" ? MAX_ERROR_ANNOTATIONS : MAX_WARNING_ANNOTATIONS;
    if (groups.size >= limit) return void 0;
    g = { version: untrusted(node.version), places: node.places.slice(0, MAX_ERROR_ANNOTATIONS + 1), titles: [], lines: [] };
    groups.set(key, g);
    return g;
  }
  node(result) {
    const status = nodeStatus(result);
    if (status === "passed") return;
    this.builder.addNode(result);
    const failed = failedChecks(result);
    if (status === "failed") {
      const g = this.group(this.failedGroups, result, "failed");
      if (!g) return;
      g.titles.push(nodeTitle(result).slice(g.version.length + 1));
      for (const check of failed) {
        if (g.lines.length < MAX_LINES_PER_ANNOTATION) {
          g.lines.push(`- ${result.arch} (${shortDigest(result.digest)}): ${CHECK_LABEL[check]} ${result[check].outcome}: ${untrusted(result[check].reason, MAX_REASON_CHARS)}`);
          if (check === "components") g.lines.push(...failingComponentLines(result));
        }
      }
      if (result.metadata.outcome === "invalid" && g.lines.length < MAX_LINES_PER_ANNOTATION) {
        g.lines.push(`- ${result.arch} (${shortDigest(result.digest)}): release metadata: ${untrusted(result.metadata.reason, MAX_REASON_CHARS)}`);
      }
      const edges = failingEdges(result);
      const room = MAX_LINES_PER_ANNOTATION - g.lines.length;
      if (edges.length > 0 && room > 0) {
        const shown = edges.length > room ? edges.slice(0, room - 1) : edges;
        for (const e of shown) g.lines.push(`- ${result.arch} (${shortDigest(result.digest)}): ${edgeSubject(e)} ${e.outcome}: ${untrusted(e.reason, MAX_REASON_CHARS)}`);
        if (shown.length < edges.length) g.lines.push(`- ${result.arch}: \u2026 and ${edges.length - shown.length} more failing update edge(s) (job summary, JSON report)`);
      }
    } else {
      const g = this.group(this.erroredGroups, result, "errored");
      if (!g) return;
      g.titles.push(nodeTitle(result).slice(g.version.length + 1));
      const checks = erroredChecks(result);
      const edges = erroredEdges(result);
      if (g.lines.length < MAX_LINES_PER_ANNOTATION) {
        const parts = checks.map((c) => `${CHECK_LABEL[c]}: ${untrusted(result[c].reason, MAX_REASON_CHARS)}`);
        for (const e of edges.slice(0, MAX_EDGES_PER_LINE)) parts.push(`${edgeSubject(e)}: ${untrusted(e.reason, MAX_REASON_CHARS)}`);
        if (edges.length > MAX_EDGES_PER_LINE) parts.push(`\u2026 and ${edges.length - MAX_EDGES_PER_LINE} more update edge(s) that could not be judged`);
        g.lines.push(`- ${result.arch}: ${parts.join("; ")}`);
      }
    }
  }
  unpublished(node) {
    this.builder.addUnpublished(node);
  }
  finding(finding) {
    this.builder.addFinding(finding);
    const a = { title: `graph-data ${finding.severity}: ${untrusted(finding.code, 60)}`, message: `${untrusted(finding.message, MAX_REASON_CHARS)} [${untrusted(finding.code, 60)}]` };
    if (finding.file) a.file = this.path(finding.file);
    if (finding.line) a.line = finding.line;
    if (finding.severity === "error") {
      this.errorFindingCount++;
      if (this.errorFindings.length < MAX_ERROR_ANNOTATIONS) this.errorFindings.push(a);
    } else {
      this.warningFindingCount++;
      if (this.warningFindings.length < MAX_WARNING_ANNOTATIONS) this.warningFindings.push(a);
    }
  }
  groupAnnotation(g, place, heading) {
    const byChecks = /* @__PURE__ */ new Map();
    for (const t of g.titles) {
      const [arch, checks] = [t.slice(0, t.indexOf(": ")), t.slice(t.indexOf(": ") + 2)];
      byChecks.set(checks, [...byChecks.get(checks) ?? [], arch]);
    }
    const title = `${g.version} ${[...byChecks].map(([checks, arches]) => `${arches.join(", ")}: ${checks}`).join("; ")}`;
    const a = { title: truncate(title, MAX_TITLE_CHARS), message: [heading, ...g.lines].join("\n") };
    if (place) {
      a.file = this.path(place.file);
      a.line = place.line;
    }
    return a;
  }
  annotate(kind, a) {
    const props = {};
    if (a.title) props.title = a.title;
    if (a.file) props.file = a.file;
    if (a.line) props.startLine = a.line;
    core_exports[kind](a.message, props);
    if (kind === "error") this.emitted.errors++;
    else if (kind === "warning") this.emitted.warnings++;
    else this.emitted.notices++;
  }
  /** Distinct versions first, then graph-data findings, then the versions' other lines. */
  plan(groups, findings, heading, budget) {
    const out = [];
    for (const g of groups.values()) if (out.length < budget) out.push(this.groupAnnotation(g, g.places[0], heading(g)));
    for (const f of findings) if (out.length < budget) out.push(f);
    const distinct = out.length;
    for (const g of groups.values()) {
      for (const p of g.places.slice(1)) if (out.length < budget) out.push(this.groupAnnotation(g, p, heading(g)));
    }
    return { annotations: out, distinct };
  }
  async end(summary2) {
    const errors = this.plan(this.failedGroups, this.errorFindings, (g) => `${g.version} is not signed the way clusters require:`, MAX_ERROR_ANNOTATIONS);
    const warnings = this.plan(this.erroredGroups, this.warningFindings, (g) => `${g.version} could not be checked; re-run the job:`, MAX_WARNING_ANNOTATIONS);
    for (const a of errors.annotations) this.annotate("error", a);
    for (const a of warnings.annotations) this.annotate("warning", a);
    const moreErrors = this.failedVersionsSeen + this.errorFindingCount - errors.distinct;
    const moreWarnings = this.erroredVersionsSeen + this.warningFindingCount - warnings.distinct;
    if (moreErrors > 0 || moreWarnings > 0) {
      const where = ["the job summary", ...this.info?.reportPath ? [`the JSON report (${untrusted(this.info.reportPath, 300)})`] : []].join(" and ");
      const what = [moreErrors > 0 ? `${moreErrors} more failing version(s) or error(s)` : "", moreWarnings > 0 ? `${moreWarnings} more version(s) or warning(s)` : ""].filter(Boolean).join(" and ");
      this.annotate("notice", { title: "release-sigcheck: more problems than annotations", message: `${what} not annotated: GitHub shows at most 10 annotations of each kind per step. The full list is in ${where}.` });
    }
    if (this.writeOutputs) this.setOutputs(summary2);
    if (this.writeSummary) await summary.emptyBuffer().addRaw(this.summaryMarkdown(summary2), true).write();
  }
  setOutputs(summary2) {
    const c = summary2.counts;
    setOutput("status", summary2.status);
    setOutput("exit-code", summary2.exitCode);
    setOutput("checked", c.nodes);
    setOutput("passed", c.passed);
    setOutput("failed", c.failed);
    setOutput("errors", c.errored);
    setOutput("unpublished", c.unpublished);
    setOutput("findings", c.findings);
    setOutput("report-path", this.info?.reportPath ?? "");
  }
  /** The job summary (Markdown with HTML), within GitHub's 1 MiB; with --previous it leads with what changed. */
  summaryMarkdown(summary2, budgetBytes = SUMMARY_BUDGET_BYTES) {
    const lead = summary2.changes ? changesSummaryHtml(summary2.changes, this.info?.pathPrefix ?? "") : "";
    return this.builder.render(summary2, this.info, budgetBytes, lead);
  }
  /** The same summary sized for a PR comment. */
  commentMarkdown(summary2) {
    return this.builder.render(summary2, this.info, COMMENT_BUDGET_BYTES);
  }
};

export {
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS,
  GithubReporter
};
