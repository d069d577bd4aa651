import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_LABEL
} from "./chunk-VJFIUDJR.js";
import {
  ExitCode,
  decideExitCode,
  isFailure,
  noComponents,
  nodeStatus
} from "./chunk-GOJHGAW3.js";

// src/model/changes.ts
var FAIL_ON = ["new", "any"];

// src/report/changes.ts
var CHANGE_KINDS = ["newlyFailing", "newlyPassing", "newlyErrored", "digestChanged", "signaturesDisappeared"];
var CHANGE_LABEL = {
  newlyFailing: "newly failing",
  newlyPassing: "newly passing",
  newlyErrored: "newly unchecked (errors)",
  digestChanged: "digest changed under the same tag",
  signaturesDisappeared: "signatures disappeared"
};
function nodeKey(version, arch) {
  return `${version}\0${arch}`;
}
function findingKey(f) {
  return JSON.stringify([f.code, f.file ?? "", f.subject ?? f.message]);
}
function nodeState(n) {
  const status = nodeStatus({
    openpgp: n.openpgp,
    sigstore: n.sigstore,
    ...n.components ? { components: noComponents(n.components.outcome, n.components.reason) } : {},
    ...n.metadata ? { metadata: { outcome: n.metadata.outcome, reason: n.metadata.reason } } : {},
    ...n.edges ? { edges: n.edges.map((e) => ({ from: e.from, outcome: e.outcome, reason: e.reason })) } : {}
  });
  return { status, digest: n.digest, openpgp: n.openpgp.outcome, sigstore: n.sigstore.outcome, components: n.components?.outcome ?? "skipped" };
}
function emptyPrevious(file) {
  return { file, found: false, nodes: /* @__PURE__ */ new Map(), errorFindings: /* @__PURE__ */ new Set() };
}
var REASON_MAX = 300;
function cut(text, max = REASON_MAX) {
  return text.length > max ? `${text.slice(0, max - 1)}\u2026` : text;
}
function currentReason(n, status) {
  if (status === "passed") return void 0;
  const wanted = (o) => status === "failed" ? isFailure(o) : o === "error";
  const check = ["openpgp", "sigstore"].find((c) => wanted(n[c].outcome));
  if (check) return cut(`${CHECK_LABEL[check]} ${n[check].outcome}: ${n[check].reason}`);
  const edge = n.edges?.find((e) => wanted(e.outcome));
  return edge ? cut(`update edge ${edge.outcome}: ${edge.reason}`) : void 0;
}
function failingChecks(s) {
  return ["openpgp", "sigstore"].filter((c) => isFailure(s[c]));
}
var ChangeTracker = class {
  previous;
  failOn;
  changes = {
    compared: 0,
    added: 0,
    newlyFailing: [],
    newlyPassing: [],
    newlyErrored: [],
    digestChanged: [],
    signaturesDisappeared: [],
    newFindings: [],
    knownFailures: 0
  };
  seenFindings = /* @__PURE__ */ new Set();
  constructor(previous, failOn) {
    this.previous = previous;
    this.failOn = failOn;
  }
  node(n) {
    const current = nodeState(n);
    const before = this.previous.nodes.get(nodeKey(n.version, n.arch)) ?? null;
    if (before) this.changes.compared++;
    else this.changes.added++;
    const entry = (extra = {}) => {
      const reason = currentReason(n, current.status);
      return { version: n.version, arch: n.arch, previous: before, current, ...extra, ...reason ? { reason } : {}, places: n.places.map((p) => ({ file: p.file, line: p.line, channel: p.channel })) };
    };
    const moved = before !== null && before.digest !== null && current.digest !== null && before.digest !== current.digest;
    if (current.status === "failed") {
      const sameFailure = before !== null && before.digest === current.digest && before.status === "failed" && failingChecks(current).every((c) => isFailure(before[c]));
      if (sameFailure) this.changes.knownFailures++;
      else this.changes.newlyFailing.push(entry());
    } else if (current.status === "passed") {
      if (before !== null && before.status !== "passed") this.changes.newlyPassing.push(entry());
    } else if (before === null || before.status !== "error") {
      this.changes.newlyErrored.push(entry());
    }
    if (moved) this.changes.digestChanged.push(entry());
    if (before) {
      const gone = ["openpgp", "sigstore"].filter((c) => before[c] === "verified" && current[c] === "missing");
      if (gone.length > 0) this.changes.signaturesDisappeared.push(entry({ checks: gone }));
    }
  }
  finding(f) {
    if (f.severity !== "error") return;
    const key = findingKey(f);
    if (this.previous.errorFindings.has(key) || this.seenFindings.has(key)) return;
    this.seenFindings.add(key);
    this.changes.newFindings.push(f);
  }
  result() {
    const p = this.previous;
    return {
      previous: { file: p.file, found: p.found, nodes: p.nodes.size, ...p.status ? { status: p.status } : {}, ...p.releaseRepo ? { releaseRepo: p.releaseRepo } : {} },
      failOn: this.failOn,
      ...this.changes
    };
  }
};
function indexReport(report, file) {
  const nodes = /* @__PURE__ */ new Map();
  for (const n of report.nodes) nodes.set(nodeKey(n.version, n.arch), nodeState(n));
  const errorFindings = new Set(report.findings.filter((f) => f.severity === "error").map(findingKey));
  return { file, found: true, nodes, errorFindings, ...report.status ? { status: report.status } : {}, ...report.releaseRepo ? { releaseRepo: report.releaseRepo } : {} };
}
function compareReports(previous, current, failOn = "any") {
  const tracker = new ChangeTracker(previous, failOn);
  for (const f of current.findings) tracker.finding(f);
  for (const n of current.nodes) tracker.node(n);
  return tracker.result();
}
function newFailureCount(changes) {
  return changes.newlyFailing.length + changes.newFindings.length;
}
function exitCodeWithChanges(exitCode, changes) {
  if (!changes || changes.failOn === "any" || exitCode === ExitCode.Usage) return exitCode;
  return decideExitCode({ failed: newFailureCount(changes), errored: changes.newlyErrored.length });
}
function hasChanges(changes) {
  return CHANGE_KINDS.some((k) => changes[k].length > 0) || changes.newFindings.length > 0;
}

export {
  FAIL_ON,
  CHANGE_KINDS,
  CHANGE_LABEL,
  findingKey,
  emptyPrevious,
  ChangeTracker,
  indexReport,
  compareReports,
  newFailureCount,
  exitCodeWithChanges,
  hasChanges
};
