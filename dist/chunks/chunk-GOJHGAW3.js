import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/model/errors.ts
var joiner = (detail) => detail.startsWith(":") ? "" : " ";
var SigcheckError = class extends Error {
  code;
  option;
  hint;
  /** With `option`: the message without the option's name, for entry points that name it their way. */
  detail;
  file;
  jsonPath;
  constructor(code, message, options) {
    super(options?.option !== void 0 ? `--${options.option}${joiner(message)}${message}` : message, options?.cause !== void 0 ? { cause: options.cause } : void 0);
    this.name = "SigcheckError";
    this.code = code;
    this.hint = options?.hint;
    if (options?.option !== void 0) {
      this.option = options.option;
      this.detail = message;
    }
    if (options?.file !== void 0) this.file = options.file;
    if (options?.jsonPath !== void 0) this.jsonPath = options.jsonPath;
  }
};
var CLI_WORDING = (option) => `--${option}`;
var ACTION_WORDING = (option) => `input ${option}`;
function isSigcheckError(err, code) {
  return err instanceof SigcheckError && (code === void 0 || err.code === code);
}
var USAGE_CODES = /* @__PURE__ */ new Set(["USAGE", "CONFIG", "GIT", "INVALID_DIGEST", "INVALID_REFERENCE", "FILE_UNREADABLE", "FILE_NOT_REGULAR", "FILE_TOO_LARGE", "REPORT_INVALID", "POLICY_JSON", "REGISTRIES_D"]);
function isUsageError(err) {
  return err instanceof SigcheckError && USAGE_CODES.has(err.code);
}
function describeError(err, wording = CLI_WORDING) {
  if (err instanceof SigcheckError && err.option !== void 0 && err.detail !== void 0) return `${wording(err.option)}${joiner(err.detail)}${err.detail}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

// src/model/results.ts
var CHECK_NAMES = ["openpgp", "sigstore", "components"];
var OUTCOMES = ["verified", "missing", "invalid", "error", "skipped"];
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
  return {
    nodes: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    unpublished: 0,
    findings: 0,
    openpgp: emptyOutcomeCounts(),
    sigstore: emptyOutcomeCounts(),
    components: emptyOutcomeCounts(),
    metadata: emptyOutcomeCounts(),
    edges: emptyOutcomeCounts()
  };
}
function isFailure(outcome) {
  return outcome === "missing" || outcome === "invalid";
}
function noComponents(outcome, reason) {
  return { outcome, reason, total: 0, verified: 0, failures: [] };
}
function edgesOutcome(edges) {
  return (edges ?? []).reduce((w, e) => worseOutcome(w, e.outcome), "skipped");
}
var OUTCOME_SEVERITY = { invalid: 4, missing: 3, error: 2, verified: 1, skipped: 0 };
function worseOutcome(a, b) {
  return OUTCOME_SEVERITY[a] >= OUTCOME_SEVERITY[b] ? a : b;
}
function nodeStatus(node) {
  const outcomes = [node.openpgp.outcome, node.sigstore.outcome, node.components?.outcome ?? "skipped", node.metadata?.outcome ?? "skipped", edgesOutcome(node.edges)];
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
    this.counts.components[node.components.outcome]++;
    this.counts.metadata[node.metadata.outcome]++;
    for (const e of node.edges ?? []) this.counts.edges[e.outcome]++;
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
    return decideExitCode({ failed: this.counts.failed + (this.hasErrorFinding ? 1 : 0), errored: this.counts.errored });
  }
};
function decideExitCode(outcome) {
  if (outcome.failed > 0) return ExitCode.Failed;
  if (outcome.errored > 0) return ExitCode.Error;
  if (outcome.emptyIsFailure && outcome.checked === 0) return ExitCode.Failed;
  return ExitCode.Passed;
}
function exitCodeForError(err) {
  return isUsageError(err) ? ExitCode.Usage : ExitCode.Error;
}
function exitCodeForOutcome(outcome) {
  return decideExitCode({ failed: isFailure(outcome) ? 1 : 0, errored: outcome === "error" ? 1 : 0 });
}

export {
  SigcheckError,
  ACTION_WORDING,
  isSigcheckError,
  describeError,
  CHECK_NAMES,
  OUTCOMES,
  ExitCode,
  isFailure,
  noComponents,
  edgesOutcome,
  OUTCOME_SEVERITY,
  worseOutcome,
  nodeStatus,
  RunTally,
  decideExitCode,
  exitCodeForError,
  exitCodeForOutcome
};
