import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  core_exports,
  setOutput,
  summary
} from "./chunk-L2KXD62K.js";
import {
  CHECK_LABEL,
  erroredChecks,
  escapeHtml,
  failedChecks,
  shortDigest
} from "./chunk-ZGNFVBUH.js";
import {
  nodeStatus
} from "./chunk-TY63Q5XU.js";

// src/report/github.ts
var MAX_ERROR_ANNOTATIONS = 9;
var MAX_WARNING_ANNOTATIONS = 10;
var MAX_SUMMARY_ROWS = 500;
var GithubReporter = class {
  info;
  problems = [];
  findings = [];
  unpublishedNodes = [];
  writeSummary;
  writeOutputs;
  /** Annotations emitted, for tests and for the Action's own accounting. */
  emitted = { errors: 0, warnings: 0, notices: 0 };
  constructor(options = {}) {
    this.writeSummary = options.summary ?? Boolean(process.env.GITHUB_STEP_SUMMARY);
    this.writeOutputs = options.outputs ?? Boolean(process.env.GITHUB_OUTPUT);
  }
  begin(info) {
    this.info = info;
  }
  node(result) {
    if (nodeStatus(result) !== "passed") this.problems.push(result);
  }
  unpublished(node) {
    this.unpublishedNodes.push(node);
  }
  finding(finding) {
    this.findings.push(finding);
  }
  path(file) {
    return `${this.info?.pathPrefix ?? ""}${file}`;
  }
  /** One annotation per (release name, place): all failing architectures and checks of that name at that line. */
  failureAnnotations() {
    const groups = /* @__PURE__ */ new Map();
    for (const node of this.problems) {
      if (failedChecks(node).length === 0) continue;
      const places = node.places.length > 0 ? node.places : [void 0];
      for (const place of places) {
        const key = `${place?.file ?? ""}:${place?.line ?? 0}:${node.version}`;
        let g = groups.get(key);
        if (!g) groups.set(key, g = { name: node.version, place, nodes: [] });
        g.nodes.push(node);
      }
    }
    const out = [];
    for (const g of groups.values()) {
      const lines = [`${g.name} is not signed the way clusters require:`];
      for (const node of g.nodes) {
        for (const check of failedChecks(node)) {
          lines.push(`- ${node.arch} (${shortDigest(node.digest)}): ${CHECK_LABEL[check]} ${node[check].outcome}: ${node[check].reason}`);
        }
      }
      const a = { message: lines.join("\n") };
      if (g.place) {
        a.file = this.path(g.place.file);
        a.line = g.place.line;
      }
      out.push(a);
    }
    return out;
  }
  errorWarnings() {
    const out = [];
    for (const node of this.problems) {
      const checks = erroredChecks(node);
      if (checks.length === 0 || failedChecks(node).length > 0) continue;
      const place = node.places[0];
      const message = `${node.version} ${node.arch}: could not be checked (${checks.map((c) => `${CHECK_LABEL[c]}: ${node[c].reason}`).join("; ")}); re-run the job`;
      out.push(place ? { file: this.path(place.file), line: place.line, message } : { message });
    }
    return out;
  }
  annotate(kind, a) {
    const props = {};
    if (a.file) props.file = a.file;
    if (a.line) props.startLine = a.line;
    core_exports[kind](a.message, props);
    if (kind === "error") this.emitted.errors++;
    else if (kind === "warning") this.emitted.warnings++;
    else this.emitted.notices++;
  }
  async end(summary2) {
    const toAnnotation = (f) => {
      const a = { message: `${f.message} [${f.code}]` };
      if (f.file) a.file = this.path(f.file);
      if (f.line) a.line = f.line;
      return a;
    };
    const errors = [...this.findings.filter((f) => f.severity === "error").map(toAnnotation), ...this.failureAnnotations()];
    const warnings = [...this.findings.filter((f) => f.severity === "warning").map(toAnnotation), ...this.errorWarnings()];
    for (const a of errors.slice(0, MAX_ERROR_ANNOTATIONS)) this.annotate("error", a);
    for (const a of warnings.slice(0, MAX_WARNING_ANNOTATIONS)) this.annotate("warning", a);
    const moreErrors = errors.length - Math.min(errors.length, MAX_ERROR_ANNOTATIONS);
    const moreWarnings = warnings.length - Math.min(warnings.length, MAX_WARNING_ANNOTATIONS);
    if (moreErrors > 0 || moreWarnings > 0) {
      const where = ["the job summary", ...this.info?.reportPath ? [`the JSON report (${this.info.reportPath})`] : []].join(" and ");
      const what = [moreErrors > 0 ? `${moreErrors} more error(s)` : "", moreWarnings > 0 ? `${moreWarnings} more warning(s)` : ""].filter(Boolean).join(" and ");
      this.annotate("notice", { message: `${what} not annotated: GitHub shows at most 10 annotations of each kind per step. The full list is in ${where}.` });
    }
    if (this.writeOutputs) this.setOutputs(summary2);
    if (this.writeSummary) await this.summaryMarkdown(summary2).write();
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
  /** Builds the job summary; exported through `summaryHtml()` for tests and the PR comment. */
  summaryMarkdown(summary2, maxRows = MAX_SUMMARY_ROWS) {
    const c = summary2.counts;
    const s = summary.emptyBuffer();
    const verdict = summary2.status === "passed" ? "passed" : summary2.status === "failed" ? "FAILED" : "incomplete (errors)";
    s.addHeading(`release-sigcheck: ${verdict}`, 2);
    s.addRaw(
      `<p>${c.nodes} node(s) checked in <code>${escapeHtml(this.info?.releaseRepo ?? "")}</code>: ${c.passed} passed, ${c.failed} failed, ${c.errored} could not be checked; ${c.unpublished} not published; ${c.findings} finding(s).</p>`,
      true
    );
    const head = ["Version", "Arch", "Digest", "OpenPGP", "Sigstore", "Where"].map((h) => ({ data: h, header: true }));
    if (this.problems.length > 0) {
      const rows = this.problems.slice(0, maxRows).map((n) => [
        escapeHtml(n.version),
        escapeHtml(n.arch),
        `<code>${escapeHtml(shortDigest(n.digest))}</code>`,
        `<b>${escapeHtml(n.openpgp.outcome)}</b>: ${escapeHtml(n.openpgp.reason)}`,
        `<b>${escapeHtml(n.sigstore.outcome)}</b>: ${escapeHtml(n.sigstore.reason)}`,
        n.places.map((p) => escapeHtml(`${this.path(p.file)}:${p.line}`)).join("<br>")
      ]);
      s.addHeading("Nodes that need attention", 3);
      s.addTable([head, ...rows]);
      if (this.problems.length > maxRows) {
        s.addRaw(`<p>\u2026 and ${this.problems.length - maxRows} more; see the JSON report${this.info?.reportPath ? ` (${escapeHtml(this.info.reportPath)})` : ""}.</p>`, true);
      }
    }
    if (this.findings.length > 0) {
      s.addHeading("Findings", 3);
      s.addTable([
        ["Severity", "Where", "Finding"].map((h) => ({ data: h, header: true })),
        ...this.findings.slice(0, maxRows).map((f) => [
          escapeHtml(f.severity),
          escapeHtml(f.file ? `${this.path(f.file)}${f.line ? `:${f.line}` : ""}` : "-"),
          `${escapeHtml(f.message)} <code>${escapeHtml(f.code)}</code>`
        ])
      ]);
    }
    if (this.unpublishedNodes.length > 0) {
      const list = this.unpublishedNodes.slice(0, maxRows).map((u) => `${escapeHtml(u.version)} ${escapeHtml(u.arch)} (<code>${escapeHtml(u.tag)}</code>)`);
      s.addDetails(`${this.unpublishedNodes.length} (version, architecture) pair(s) not published (not a failure)`, list.join("<br>"));
    }
    return s;
  }
  /** The job summary as HTML, without writing it (for tests and for the PR comment). */
  summaryHtml(summary2, maxRows = MAX_SUMMARY_ROWS) {
    return this.summaryMarkdown(summary2, maxRows).stringify();
  }
};

export {
  MAX_ERROR_ANNOTATIONS,
  MAX_WARNING_ANNOTATIONS,
  GithubReporter
};
