import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  nodeStatus
} from "./chunk-P2HCLQWR.js";

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
var TOOL = { name: "release-sigcheck", version: "0.1.0" };
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

export {
  TOOL,
  sortFindings,
  JsonReporter
};
