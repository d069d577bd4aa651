import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_LABEL,
  EDGES_LABEL,
  MARK,
  MAX_REASON_CHARS,
  attr,
  briefReason,
  byteLength,
  componentDigest,
  describeEdges,
  edgeLines,
  html,
  nodeTitle,
  untrustedHtml
} from "./chunk-VJFIUDJR.js";
import {
  CHECK_NAMES,
  edgesOutcome,
  nodeStatus
} from "./chunk-GOJHGAW3.js";

// src/report/summary.ts
import { basename } from "node:path";
var SUMMARY_BUDGET_BYTES = 1e6;
var COMMENT_BUDGET_BYTES = 6e4;
var MAX_PLACES = 12;
var MAX_UNPUBLISHED = 1e3;
var MAX_EDGE_LINES = 20;
function linksFromEnv(env, sha) {
  const repository = env.GITHUB_REPOSITORY;
  const commit = [sha, env.GITHUB_SHA].find((s) => s !== void 0 && /^[0-9a-f]{40}$/.test(s));
  if (!repository || !commit) return void 0;
  return { serverUrl: env.GITHUB_SERVER_URL || "https://github.com", repository, sha: commit };
}
function lineUrl(links, path, line) {
  if (!links || !/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(links.sha) || !/^[\w.-]+\/[\w.-]+$/.test(links.repository)) return void 0;
  if (path.length > 1e3 || path.startsWith("/") || path.split("/").includes("..")) return void 0;
  const server = links.serverUrl.replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s"'<>]+$/.test(server)) return void 0;
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return `${server}/${links.repository}/blob/${links.sha}/${encoded}#L${line}`;
}
var SummaryBuilder = class {
  pathPrefix;
  links;
  keepBytes;
  rows = [];
  rowBytes = 0;
  omittedRows = 0;
  findings = [];
  findingBytes = 0;
  omittedFindings = 0;
  unpublishedItems = [];
  unpublishedCount = 0;
  /** Failing component images, a row each (release, tag name, digest, why), within a share of the budget. */
  componentRows = [];
  componentBytes = 0;
  omittedComponents = 0;
  constructor(options = {}) {
    this.pathPrefix = options.pathPrefix ?? "";
    this.links = options.links;
    this.keepBytes = options.keepBytes ?? SUMMARY_BUDGET_BYTES;
  }
  placeLink(p, text) {
    const url = lineUrl(this.links, `${this.pathPrefix}${p.file}`, p.line);
    const label = untrustedHtml(text, 120);
    return url ? `<a href="${attr(url)}">${label}</a>` : `<code>${label}</code>`;
  }
  /** Keeps a node that did not pass, as long as one summary can still show it. */
  addNode(node) {
    if (nodeStatus(node) === "passed") return;
    const first = node.places[0];
    const where = first ? `${this.placeLink(first, `${basename(first.file).replace(/\.ya?ml$/, "")}:${first.line}`)}${node.places.length > 1 ? ` +${node.places.length - 1}` : ""}` : "-";
    const marks = CHECK_NAMES.map((c) => `<td align="center" title="${CHECK_LABEL[c]} ${node[c].outcome}">${MARK[node[c].outcome]}</td>`).join("");
    const tableRow = `<tr><td><code>${untrustedHtml(node.version)}</code> ${node.arch}</td>${marks}<td>${html(briefReason(node))}</td><td>${where}</td></tr>`;
    const checks = CHECK_NAMES.map((c) => {
      const r = node[c];
      const source = r.source ? ` <sub>(${untrustedHtml(r.source, 300)})</sub>` : "";
      const text = r.outcome === "verified" && r.signer ? `signed by ${untrustedHtml(r.signer)}` : untrustedHtml(r.reason, r.outcome === "verified" ? 200 : MAX_REASON_CHARS);
      return `<li>${MARK[r.outcome]} <b>${CHECK_LABEL[c]} ${r.outcome}</b>${r.cached ? " (cached)" : ""}: ${text}${r.outcome === "verified" ? "" : source}</li>`;
    });
    if (node.edges) {
      const outcome = edgesOutcome(node.edges);
      const bad = edgeLines(node, MAX_EDGE_LINES).map((l) => `<li>${html(l)}</li>`);
      checks.push(`<li>${MARK[outcome]} <b>${EDGES_LABEL} ${outcome}</b>: ${html(describeEdges(node) ?? "")}${bad.length > 0 ? `<ul>${bad.join("")}</ul>` : ""}</li>`);
    }
    const places = node.places.slice(0, MAX_PLACES).map((p) => this.placeLink(p, `${this.pathPrefix}${p.file}:${p.line}`) + ` (${untrustedHtml(p.channel, 100)})`);
    if (node.places.length > MAX_PLACES) places.push(`and ${node.places.length - MAX_PLACES} more`);
    const detail = [
      `<p><b>${html(nodeTitle(node))}</b>: digest <code>${untrustedHtml(node.digest ?? "not resolved", 80)}</code>${node.tag ? `, tag <code>${untrustedHtml(node.tag)}</code>` : ""}</p>`,
      `<ul>${checks.join("")}${places.length > 0 ? `<li>Promoted at ${places.join(", ")}</li>` : ""}</ul>`
    ].join("\n");
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
  addFinding(f) {
    const where = f.file ? f.line ? this.placeLink({ file: f.file, line: f.line }, `${this.pathPrefix}${f.file}:${f.line}`) : `<code>${untrustedHtml(this.pathPrefix + f.file, 200)}</code>` : "-";
    const row = `<tr><td>${f.severity === "error" ? "\u274C error" : "\u26A0\uFE0F warning"}</td><td>${where}</td><td>${untrustedHtml(f.message, MAX_REASON_CHARS)} <code>${untrustedHtml(f.code, 60)}</code></td></tr>`;
    const bytes = byteLength(row) + 1;
    if (this.findingBytes + bytes > this.keepBytes * 0.1) {
      this.omittedFindings++;
      return;
    }
    this.findings.push(row);
    this.findingBytes += bytes;
  }
  addUnpublished(u) {
    this.unpublishedCount++;
    if (this.unpublishedItems.length < MAX_UNPUBLISHED) this.unpublishedItems.push(`<code>${untrustedHtml(u.version)}</code> ${u.arch} (tag <code>${untrustedHtml(u.tag)}</code>)`);
  }
  /** The summary in at most `budget` bytes: what does not fit is counted and pointed to the JSON report. */
  render(summary, info, budget = SUMMARY_BUDGET_BYTES, lead = "") {
    const c = summary.counts;
    const forgiven = summary.changes?.failOn === "new" && summary.exitCode === 0 && summary.status !== "passed";
    const heading = forgiven ? `## \u2705 release-sigcheck: nothing new fails since the previous run (${summary.changes.knownFailures} known failure${summary.changes.knownFailures === 1 ? "" : "s"} remain)` : summary.status === "passed" ? "## \u2705 release-sigcheck: every release is signed the way clusters require" : summary.status === "failed" ? c.failed > 0 ? `## \u274C release-sigcheck: clusters would reject ${c.failed} (version, arch) node${c.failed === 1 ? "" : "s"}` : `## \u274C release-sigcheck: graph-data has ${c.findings} finding${c.findings === 1 ? "" : "s"} to fix` : `## \u26A0\uFE0F release-sigcheck: ${c.errored} node${c.errored === 1 ? "" : "s"} could not be checked; re-run the job`;
    const counts = `<p>${c.nodes} (version, arch) node${c.nodes === 1 ? "" : "s"} checked in <code>${untrustedHtml(info?.releaseRepo ?? "", 200)}</code>${info?.mirror ? ` (read from the mirror <code>${untrustedHtml(info.mirror, 200)}</code>)` : ""}: \u2705 ${c.passed} passed \xB7 \u274C ${c.failed} failed \xB7 \u26A0\uFE0F ${c.errored} could not be checked \xB7 ${c.unpublished} not published \xB7 ${c.findings} finding${c.findings === 1 ? "" : "s"} \xB7 ${(summary.durationMs / 1e3).toFixed(1)} s</p>`;
    const report = info?.reportPath ? ` (<code>${untrustedHtml(info.reportPath, 300)}</code>)` : "";
    const parts = lead ? [heading, "", lead, "", counts, ""] : [heading, "", counts, ""];
    let used = parts.reduce((n, p) => n + byteLength(p) + 1, 0);
    const reserve = 800;
    if (this.findings.length > 0 || this.omittedFindings > 0) {
      const shown = [];
      let bytes = 0;
      for (const row of this.findings) {
        if (used + bytes + byteLength(row) > budget * 0.25) break;
        shown.push(row);
        bytes += byteLength(row) + 1;
      }
      const more = this.findings.length - shown.length + this.omittedFindings;
      parts.push("### Findings", "", "<table><thead><tr><th>Severity</th><th>Where</th><th>Finding</th></tr></thead><tbody>", ...shown, "</tbody></table>", "");
      if (more > 0) parts.push(`<p>\u2026 and ${more} more finding${more === 1 ? "" : "s"}, in the JSON report${report}.</p>`, "");
      used += bytes + 120;
    }
    const totalRows = this.rows.length + this.omittedRows;
    if (totalRows > 0) {
      const tableRows = [];
      const details = [];
      const unpublishedBytes = Math.min(this.unpublishedItems.length * 80, budget * 0.05);
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
        "### Nodes that need attention",
        "",
        `<table><thead><tr><th>Release</th>${CHECK_NAMES.map((c2) => `<th>${CHECK_LABEL[c2]}</th>`).join("")}<th>Why</th><th>Line</th></tr></thead><tbody>`,
        ...tableRows,
        "</tbody></table>",
        ""
      );
      if (more > 0) parts.push(`<p>\u2026 and ${more} more node${more === 1 ? "" : "s"} that need attention, not shown here (GitHub limits the size of this text); every node is in the JSON report${report}.</p>`, "");
      if (details.length > 0) {
        const which = details.length === tableRows.length ? `the ${details.length} node${details.length === 1 ? "" : "s"} above` : `the first ${details.length} of the nodes above`;
        parts.push(`<details><summary>Digests, sources and full reasons of ${which}</summary>`, "", ...details, "", "</details>", "");
      }
    }
    if (this.componentRows.length > 0 || this.omittedComponents > 0) {
      const shown = [];
      for (const row of this.componentRows) {
        if (used + byteLength(row) + 1 + reserve > budget) break;
        shown.push(row);
        used += byteLength(row) + 1;
      }
      const more = this.componentRows.length - shown.length + this.omittedComponents;
      parts.push(
        "### Component images that clusters would refuse",
        "",
        "<table><thead><tr><th>Release</th><th>Component</th><th>Digest</th><th>Why</th></tr></thead><tbody>",
        ...shown,
        "</tbody></table>",
        ""
      );
      if (more > 0) parts.push(`<p>\u2026 and ${more} more failing component image${more === 1 ? "" : "s"}; every one is in the JSON report${report}.</p>`, "");
    }
    if (this.unpublishedCount > 0) {
      const items = [];
      for (const item of this.unpublishedItems) {
        if (used + byteLength(item) + reserve > budget) break;
        items.push(item);
        used += byteLength(item) + 6;
      }
      const more = this.unpublishedCount - items.length;
      parts.push(
        `<details><summary>${this.unpublishedCount} (version, arch) pair${this.unpublishedCount === 1 ? "" : "s"} not published (no such tag; not a failure)</summary>`,
        "",
        `<p>${items.join("<br>")}${more > 0 ? `<br>\u2026 and ${more} more` : ""}</p>`,
        "",
        "</details>",
        ""
      );
    }
    if (totalRows > 0) parts.push(`<sub>\u2705 verified \xB7 \u274C missing or invalid \xB7 \u26A0\uFE0F could not be checked \xB7 \u2796 skipped.${report ? ` Every result is in the JSON report${report}.` : ""}</sub>`, "");
    return parts.join("\n");
  }
};

export {
  SUMMARY_BUDGET_BYTES,
  COMMENT_BUDGET_BYTES,
  linksFromEnv,
  lineUrl,
  SummaryBuilder
};
