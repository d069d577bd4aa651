import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/model/results.ts
var CHECK_NAMES = ["openpgp", "sigstore"];
var ExitCode = {
  /** every required check verified or skipped */
  Passed: 0,
  /** at least one required check missing or invalid, or a graph-data finding */
  Failed: 1,
  /** usage or configuration error */
  Usage: 2,
  /** nothing missing or invalid, but at least one check could not be determined */
  Error: 3
};
function emptyOutcomeCounts() {
  return { verified: 0, missing: 0, invalid: 0, error: 0, skipped: 0 };
}
function emptyRunCounts() {
  return { nodes: 0, passed: 0, failed: 0, errored: 0, unpublished: 0, findings: 0, openpgp: emptyOutcomeCounts(), sigstore: emptyOutcomeCounts() };
}
function isFailure(outcome) {
  return outcome === "missing" || outcome === "invalid";
}
function nodeStatus(node) {
  const outcomes = [node.openpgp.outcome, node.sigstore.outcome];
  if (outcomes.some(isFailure)) return "failed";
  if (outcomes.includes("error")) return "error";
  return "passed";
}
var RunTally = class {
  counts = emptyRunCounts();
  hasErrorFinding = false;
  addNode(node) {
    const status = nodeStatus(node);
    this.counts.nodes++;
    if (status === "passed") this.counts.passed++;
    else if (status === "failed") this.counts.failed++;
    else this.counts.errored++;
    this.counts.openpgp[node.openpgp.outcome]++;
    this.counts.sigstore[node.sigstore.outcome]++;
    return status;
  }
  addUnpublished() {
    this.counts.unpublished++;
  }
  addFinding(f) {
    this.counts.findings++;
    if (f.severity === "error") this.hasErrorFinding = true;
  }
  status() {
    if (this.counts.failed > 0 || this.hasErrorFinding) return "failed";
    if (this.counts.errored > 0) return "error";
    return "passed";
  }
  exitCode() {
    const s = this.status();
    return s === "failed" ? ExitCode.Failed : s === "error" ? ExitCode.Error : ExitCode.Passed;
  }
};

export {
  CHECK_NAMES,
  ExitCode,
  nodeStatus,
  RunTally
};
