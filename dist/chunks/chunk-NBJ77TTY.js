import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  TOOL
} from "./chunk-USX4FLY3.js";
import {
  SigcheckError,
  didYouMean
} from "./chunk-HRANA4LN.js";
import {
  CHECK_LABEL,
  consequence,
  formatPlace,
  shortDigest
} from "./chunk-ZGNFVBUH.js";
import {
  CHECK_NAMES,
  nodeStatus
} from "./chunk-TY63Q5XU.js";

// src/report/outputs.ts
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";

// src/report/json.ts
var JSON_SCHEMA_VERSION = 1;
function toJsonNode(r) {
  const node = {
    version: r.version,
    arch: r.arch,
    digest: r.digest,
    status: nodeStatus(r),
    places: r.places.map((p) => ({ file: p.file, line: p.line, channel: p.channel })),
    openpgp: r.openpgp,
    sigstore: r.sigstore
  };
  if (r.tag) node.tag = r.tag;
  return node;
}
function sortFindings(findings) {
  const key = (f) => [f.file ?? "", String(f.line ?? 0).padStart(8, "0"), f.code, f.message].join("\0");
  return [...findings].sort((a, b) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
var JsonReporter = class {
  out;
  closeAtEnd;
  first = true;
  unpublishedNodes = [];
  findings = [];
  constructor(out, options = {}) {
    this.out = out;
    this.closeAtEnd = options.close ?? false;
  }
  write(text) {
    if (!this.out.write(text)) return new Promise((resolve) => this.out.once("drain", resolve));
  }
  begin(info) {
    const head = {
      schemaVersion: JSON_SCHEMA_VERSION,
      tool: TOOL,
      mode: info.mode,
      releaseRepo: info.releaseRepo,
      ...info.mirror ? { mirror: info.mirror } : {},
      ...info.shard ? { shard: info.shard } : {},
      ...info.graphData ? { graphData: info.graphData } : {},
      require: info.require,
      arches: info.arches
    };
    const text = JSON.stringify(head, null, 2);
    return this.write(`${text.slice(0, -2)},
  "nodes": [`);
  }
  node(result) {
    const text = JSON.stringify(toJsonNode(result), null, 2).replace(/\n/g, "\n    ");
    const sep = this.first ? "\n    " : ",\n    ";
    this.first = false;
    return this.write(sep + text);
  }
  unpublished(node) {
    this.unpublishedNodes.push(node);
  }
  finding(finding) {
    this.findings.push(finding);
  }
  async end(summary) {
    const tail = {
      unpublished: this.unpublishedNodes,
      findings: sortFindings(this.findings),
      status: summary.status,
      exitCode: summary.exitCode,
      counts: summary.counts,
      ...summary.retries !== void 0 ? { retries: summary.retries } : {},
      ...summary.cache !== void 0 ? { cache: summary.cache } : {},
      durationMs: summary.durationMs
    };
    const body = JSON.stringify(tail, null, 2);
    await this.write(`${this.first ? "" : "\n  "}],
  ${body.slice(4, -2)}
}
`);
    if (this.closeAtEnd) await new Promise((resolve, reject) => this.out.end((err) => err ? reject(err) : resolve()));
  }
};

// src/report/junit.ts
function escapeXml(text) {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
var JunitReporter = class {
  out;
  close;
  info;
  suites = { openpgp: { cases: [], failures: 0, errors: 0, skipped: 0 }, sigstore: { cases: [], failures: 0, errors: 0, skipped: 0 } };
  findings = [];
  constructor(out, options = {}) {
    this.out = out;
    this.close = options.close ?? false;
  }
  begin(info) {
    this.info = info;
  }
  node(r) {
    for (const check of CHECK_NAMES) {
      const suite = this.suites[check];
      const c = r[check];
      const name = escapeXml(`${r.version} ${r.arch}`);
      const where = r.places.map((p) => formatPlace(p, this.info?.pathPrefix ?? "")).join(", ");
      const detail = escapeXml([`digest: ${r.digest ?? "-"}`, `source: ${c.source ?? "-"}`, ...where ? [`promoted at: ${where}`] : [], ...(c.attempts ?? []).map((a) => `${a.source}: ${a.outcome}: ${a.reason}`)].join("\n"));
      const open = `    <testcase classname="release-sigcheck.${check}" name="${name}"${r.places[0] ? ` file="${escapeXml((this.info?.pathPrefix ?? "") + r.places[0].file)}" line="${r.places[0].line}"` : ""}>`;
      let body = "";
      if (c.outcome === "missing" || c.outcome === "invalid") {
        suite.failures++;
        body = `
      <failure type="${c.outcome}" message="${escapeXml(`${CHECK_LABEL[check]} ${c.outcome}: ${c.reason}`)}">${detail}</failure>
    `;
      } else if (c.outcome === "error") {
        suite.errors++;
        body = `
      <error type="error" message="${escapeXml(`${CHECK_LABEL[check]} could not be checked: ${c.reason}`)}">${detail}</error>
    `;
      } else if (c.outcome === "skipped") {
        suite.skipped++;
        body = `
      <skipped message="${escapeXml(c.reason)}"/>
    `;
      }
      suite.cases.push(`${open}${body}</testcase>`);
    }
  }
  finding(f) {
    this.findings.push(f);
  }
  async end(summary) {
    const seconds = (summary.durationMs / 1e3).toFixed(3);
    const parts = ['<?xml version="1.0" encoding="UTF-8"?>'];
    const total = CHECK_NAMES.reduce((n, c) => n + this.suites[c].cases.length, 0) + this.findings.length;
    const failures = CHECK_NAMES.reduce((n, c) => n + this.suites[c].failures, 0) + this.findings.filter((f) => f.severity === "error").length;
    const errors = CHECK_NAMES.reduce((n, c) => n + this.suites[c].errors, 0);
    parts.push(`<testsuites name="release-sigcheck" tests="${total}" failures="${failures}" errors="${errors}" time="${seconds}">`);
    for (const check of CHECK_NAMES) {
      const s = this.suites[check];
      parts.push(`  <testsuite name="${check}" tests="${s.cases.length}" failures="${s.failures}" errors="${s.errors}" skipped="${s.skipped}" time="${seconds}">`);
      parts.push(...s.cases);
      parts.push("  </testsuite>");
    }
    const errorsInGraph = this.findings.filter((f) => f.severity === "error").length;
    parts.push(`  <testsuite name="graph-data" tests="${this.findings.length}" failures="${errorsInGraph}" errors="0" skipped="0" time="0">`);
    for (const f of this.findings) {
      const where = f.file ? `${this.info?.pathPrefix ?? ""}${f.file}${f.line ? `:${f.line}` : ""}` : "";
      const attrs = f.file ? ` file="${escapeXml((this.info?.pathPrefix ?? "") + f.file)}"${f.line ? ` line="${f.line}"` : ""}` : "";
      const body = f.severity === "error" ? `
      <failure type="${escapeXml(f.code)}" message="${escapeXml(f.message)}">${escapeXml(where)}</failure>
    ` : `
      <system-out>${escapeXml(`warning: ${f.message}`)}</system-out>
    `;
      parts.push(`    <testcase classname="release-sigcheck.graph-data" name="${escapeXml(`${f.code} ${where}`.trim())}"${attrs}>${body}</testcase>`);
    }
    parts.push("  </testsuite>", "</testsuites>", "");
    this.out.write(parts.join("\n"));
    if (this.close) await new Promise((resolve) => this.out.end(resolve));
  }
};

// src/report/sarif.ts
var RULES = {
  "openpgp-missing": "No OpenPGP signature: the cluster-version operator refuses the update",
  "openpgp-invalid": "No valid OpenPGP signature: the cluster-version operator refuses the update",
  "openpgp-error": "The OpenPGP signature could not be checked",
  "sigstore-missing": "No Sigstore signature: CRI-O refuses to run the release image",
  "sigstore-invalid": "No valid Sigstore signature: CRI-O refuses to run the release image",
  "sigstore-error": "The Sigstore signature could not be checked"
};
var SarifReporter = class {
  out;
  close;
  info;
  results = [];
  findingRules = /* @__PURE__ */ new Map();
  constructor(out, options = {}) {
    this.out = out;
    this.close = options.close ?? false;
  }
  begin(info) {
    this.info = info;
  }
  locations(file, line) {
    if (!file) return void 0;
    return [{ physicalLocation: { artifactLocation: { uri: `${this.info?.pathPrefix ?? ""}${file}` }, region: { startLine: line ?? 1 } } }];
  }
  node(r) {
    for (const check of CHECK_NAMES) {
      const c = r[check];
      if (c.outcome !== "missing" && c.outcome !== "invalid" && c.outcome !== "error") continue;
      const text = c.outcome === "error" ? `${r.version} ${r.arch}: the ${CHECK_LABEL[check]} signature could not be checked: ${c.reason}` : `${r.version} ${r.arch} (${r.digest ?? "unresolved"}): ${CHECK_LABEL[check]} ${c.outcome}: ${c.reason}. Consequence: ${consequence(check)}.`;
      const places = r.places.length > 0 ? r.places : [void 0];
      for (const p of places) {
        const result = {
          ruleId: `${check}-${c.outcome}`,
          level: c.outcome === "error" ? "warning" : "error",
          message: { text },
          partialFingerprints: { releaseNode: `${r.version}/${r.arch}/${check}` },
          properties: { version: r.version, arch: r.arch, digest: r.digest, source: c.source }
        };
        const loc = this.locations(p?.file, p?.line);
        if (loc) result.locations = loc;
        this.results.push(result);
      }
    }
  }
  finding(f) {
    const ruleId = `graph-data/${f.code}`;
    this.findingRules.set(ruleId, f.code);
    const result = { ruleId, level: f.severity === "error" ? "error" : "warning", message: { text: f.message } };
    const loc = this.locations(f.file, f.line);
    if (loc) result.locations = loc;
    this.results.push(result);
  }
  async end(summary) {
    const rules = [
      ...Object.entries(RULES).map(([id, text]) => ({ id, shortDescription: { text } })),
      ...[...this.findingRules].map(([id, code]) => ({ id, shortDescription: { text: `graph-data finding ${code}` } }))
    ];
    const doc = {
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: TOOL.name, version: TOOL.version, rules } },
          results: this.results,
          properties: { status: summary.status, exitCode: summary.exitCode, counts: summary.counts, releaseRepo: this.info?.releaseRepo }
        }
      ]
    };
    this.out.write(`${JSON.stringify(doc, null, 2)}
`);
    if (this.close) await new Promise((resolve) => this.out.end(resolve));
  }
};

// src/report/text.ts
var STATUS_LABEL = { passed: "ok  ", failed: "FAIL", error: "ERR " };
var TextReporter = class {
  out;
  tty;
  color;
  quiet;
  info;
  progressShown = false;
  lastProgress = 0;
  unpublishedCount = 0;
  constructor(out, options = {}) {
    this.out = out;
    this.tty = options.tty ?? out.isTTY === true;
    const noColor = "NO_COLOR" in process.env && process.env.NO_COLOR !== "";
    this.color = options.color ?? (process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== "0" : this.tty && !noColor);
    this.quiet = options.quiet ?? false;
  }
  paint(code, text) {
    return this.color ? `\x1B[${code}m${text}\x1B[0m` : text;
  }
  write(text) {
    if (this.progressShown) {
      this.out.write("\r\x1B[2K");
      this.progressShown = false;
    }
    this.out.write(text);
  }
  begin(info) {
    this.info = info;
    const what = info.mode === "pr" ? "added by the change" : info.mode === "audit" ? "promoted by graph-data" : "requested";
    const from = info.mirror ? `from the mirror ${info.mirror} (identities checked against ${info.releaseRepo})` : `from ${info.releaseRepo}`;
    const config = info.mode === "pr" && info.trustedFrom ? `; configuration of ${info.trustedFrom}` : "";
    this.write(`release-sigcheck: checking ${info.total} (version, architecture) pair(s) ${what}, ${from} (required: ${info.require.join(", ") || "none"}${config})
`);
  }
  checkText(check, r) {
    const label = `${CHECK_LABEL[check]} ${r.outcome}${r.cached ? r.revalidated ? " (cached, confirmed)" : " (cached)" : ""}`;
    if (r.outcome === "verified" && r.signer) return `${this.paint(32, label)}: signed by ${r.signer}${r.identity ? ` as ${r.identity}` : ""}`;
    const painted = r.outcome === "verified" ? this.paint(32, label) : r.outcome === "skipped" ? this.paint(90, label) : r.outcome === "error" ? this.paint(33, label) : this.paint(31, label);
    return `${painted}: ${r.reason}`;
  }
  node(result) {
    const status = nodeStatus(result);
    if (this.quiet && status === "passed") return;
    const label = status === "passed" ? this.paint(32, STATUS_LABEL.passed) : status === "failed" ? this.paint(31, STATUS_LABEL.failed) : this.paint(33, STATUS_LABEL.error);
    const lines = [
      `${label} ${result.version} ${result.arch} ${shortDigest(result.digest)}${result.tag ? ` (${result.tag})` : ""}`,
      `     ${this.checkText("openpgp", result.openpgp)}`,
      `     ${this.checkText("sigstore", result.sigstore)}`
    ];
    if (status !== "passed") {
      for (const p of result.places) lines.push(`     at ${formatPlace(p, this.info?.pathPrefix ?? "")}`);
    }
    this.write(`${lines.join("\n")}
`);
  }
  unpublished(_node) {
    this.unpublishedCount++;
  }
  finding(f) {
    const where = f.file ? `${this.info?.pathPrefix ?? ""}${f.file}${f.line ? `:${f.line}` : ""}: ` : "";
    const label = f.severity === "error" ? this.paint(31, "error") : this.paint(33, "warning");
    this.write(`${label} ${where}${f.message} [${f.code}]
`);
  }
  progress(done, total) {
    if (!this.tty) return;
    const now = Date.now();
    if (done !== total && now - this.lastProgress < 100) return;
    this.lastProgress = now;
    const width = 24;
    const filled = total === 0 ? width : Math.round(done / total * width);
    this.write(`[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
    this.progressShown = true;
  }
  end(summary) {
    const c = summary.counts;
    const parts = [`${c.nodes} node(s): ${c.passed} passed, ${c.failed} failed, ${c.errored} could not be checked`];
    if (c.unpublished > 0 || this.unpublishedCount > 0) parts.push(`${c.unpublished} (version, arch) pair(s) not published (tag not found; not a failure)`);
    if (c.findings > 0) parts.push(`${c.findings} finding(s)`);
    for (const check of ["openpgp", "sigstore"]) {
      const o = c[check];
      parts.push(`${CHECK_LABEL[check]}: ${o.verified} verified, ${o.missing} missing, ${o.invalid} invalid, ${o.error} error, ${o.skipped} skipped`);
    }
    if (summary.cache) {
      const k = summary.cache;
      parts.push(
        k.mode === "trust" ? `cache trusted as it is (--cache-mode trust): ${k.hits} cached verdict(s) reused without a request` : `cache: ${k.hits} cached verdict(s), ${k.confirmed} confirmed with ${k.requests} request(s), ${k.changed + k.unconfirmed} checked again (${k.changed} changed, ${k.unconfirmed} unconfirmed)`
      );
    }
    if (summary.retries !== void 0) parts.push(`${summary.retries} network retr${summary.retries === 1 ? "y" : "ies"} spent`);
    const verdict = summary.status === "passed" ? this.paint(32, "PASSED: every required signature is present and valid") : summary.status === "failed" ? this.paint(31, "FAILED: clusters would reject at least one release (see FAIL lines above)") : this.paint(33, "INCOMPLETE: nothing is known to be unsigned, but some checks could not be completed; re-run, or raise --retries/--timeout");
    this.write(`
${parts.join("\n")}
${verdict} (exit code ${summary.exitCode}, ${(summary.durationMs / 1e3).toFixed(1)} s)
`);
  }
};

// src/report/outputs.ts
var FORMATS = ["text", "json", "github", "junit", "sarif"];
function parseFormat(value, flag = "--format") {
  const v = (value ?? "text").trim();
  if (!FORMATS.includes(v)) {
    const guess = didYouMean(v.toLowerCase(), FORMATS);
    throw new SigcheckError("USAGE", `${flag} must be one of ${FORMATS.join(", ")} (got ${JSON.stringify(v.slice(0, 40))})${guess ? `; did you mean ${guess}?` : ""}`);
  }
  return v;
}
var BY_EXTENSION = [
  [".sarif.json", "sarif"],
  [".sarif", "sarif"],
  [".xml", "junit"],
  [".json", "json"],
  [".txt", "text"],
  [".log", "text"]
];
function parseOutputSpec(spec) {
  const m = /^([a-zA-Z][a-zA-Z0-9-]*):(.+)$/.exec(spec);
  if (m && FORMATS.includes(m[1])) return { format: m[1], path: m[2] };
  if (m) {
    const guess = didYouMean(m[1].toLowerCase(), FORMATS);
    throw new SigcheckError("USAGE", `--output ${spec}: ${JSON.stringify(m[1])} is not a report format${guess ? `; did you mean ${guess}?` : ""} (formats: ${FORMATS.join(", ")}; write FORMAT:FILE, e.g. json:report.json)`);
  }
  const byExt = BY_EXTENSION.find(([ext]) => spec.toLowerCase().endsWith(ext));
  if (!byExt) {
    throw new SigcheckError("USAGE", `--output ${spec}: cannot tell the format from the file name; write it as FORMAT:FILE with FORMAT one of ${FORMATS.join(", ")} (e.g. json:report.json)`);
  }
  return { format: byExt[1], path: spec };
}
async function createReporter(format, out, options = {}) {
  switch (format) {
    case "text":
      return new TextReporter(out, { quiet: options.quiet ?? false });
    case "json":
      return new JsonReporter(out, { close: options.closeAtEnd ?? false });
    case "github":
      return new (await import("./github-Q4FLTMG7.js")).GithubReporter();
    case "junit":
      return new JunitReporter(out, { close: options.closeAtEnd ?? false });
    case "sarif":
      return new SarifReporter(out, { close: options.closeAtEnd ?? false });
  }
}
async function openFileReporter(spec) {
  await mkdir(dirname(spec.path), { recursive: true });
  const stream = createWriteStream(spec.path);
  await new Promise((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (err) => reject(new SigcheckError("CONFIG", `cannot write ${spec.path}: ${err.message}`, { cause: err })));
  });
  if (spec.format === "text") {
    const text = new TextReporter(stream, { tty: false, color: false });
    return {
      begin: (info) => text.begin(info),
      node: (r) => text.node(r),
      unpublished: (u) => text.unpublished(u),
      finding: (f) => text.finding(f),
      end: async (summary) => {
        text.end(summary);
        await new Promise((resolve) => stream.end(resolve));
      }
    };
  }
  return createReporter(spec.format, stream, { closeAtEnd: true });
}

// src/model/reporter.ts
var MultiReporter = class {
  reporters;
  constructor(reporters) {
    this.reporters = reporters;
  }
  async begin(info) {
    for (const r of this.reporters) await r.begin?.(info);
  }
  async node(result) {
    for (const r of this.reporters) await r.node(result);
  }
  async unpublished(node) {
    for (const r of this.reporters) await r.unpublished?.(node);
  }
  async finding(finding) {
    for (const r of this.reporters) await r.finding(finding);
  }
  progress(done, total) {
    for (const r of this.reporters) r.progress?.(done, total);
  }
  async end(summary) {
    for (const r of this.reporters) await r.end(summary);
  }
};

export {
  sortFindings,
  TextReporter,
  parseFormat,
  parseOutputSpec,
  createReporter,
  openFileReporter,
  MultiReporter
};
