import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/errors.ts
var SigcheckError = class extends Error {
  code;
  constructor(code, message, options) {
    super(message, options);
    this.name = "SigcheckError";
    this.code = code;
  }
};
function isSigcheckError(err, code) {
  return err instanceof SigcheckError && (code === void 0 || err.code === code);
}
function describeError(err) {
  if (err instanceof Error) return err.message;
  return String(err);
}

// src/report/model.ts
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
  __require,
  __commonJS,
  __export,
  __toESM,
  SigcheckError,
  isSigcheckError,
  describeError,
  CHECK_NAMES,
  ExitCode,
  nodeStatus,
  RunTally
};
