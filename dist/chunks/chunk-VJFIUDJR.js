import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  CHECK_NAMES,
  edgesOutcome,
  isFailure
} from "./chunk-GOJHGAW3.js";

// src/report/safe-text.ts
var CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
var SHORT = { "\n": "\\n", "\r": "\\r", "	": "\\t", "\x1B": "\\e" };
function escapeOne(ch) {
  return SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
function escapeControls(text) {
  return text.replace(CONTROLS, escapeOne);
}
function hasControls(text) {
  CONTROLS.lastIndex = 0;
  const found = CONTROLS.test(text);
  CONTROLS.lastIndex = 0;
  return found;
}
var MAX_UNTRUSTED_CHARS = 200;
var MAX_REASON_CHARS = 1e3;
function truncate(text, max = MAX_UNTRUSTED_CHARS) {
  if (text.length <= max) return text;
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 55296 && code <= 56319) cut--;
  return `${text.slice(0, cut)}\u2026(truncated, ${Buffer.byteLength(text, "utf8")} bytes)`;
}
function untrusted(text, max = MAX_UNTRUSTED_CHARS) {
  if (text === null || text === void 0) return "";
  return neutralizeLegacyCommand(escapeControls(truncate(String(text), max)));
}
function neutralizeLegacyCommand(text) {
  return text.replace(/##\[/g, "#\\u0023[");
}
function safeLogLine(line) {
  return neutralizeLegacyCommand(escapeControls(line)).replace(/^(\s*):/, "$1\\u003a");
}
function safeLogText(text) {
  return text.split("\n").map((l) => safeLogLine(l)).join("\n");
}
var HTML = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  // GitHub links `@user` (and notifies them) and `#123` / `owner/repo#123` (and cross-references the
  // issue) in the text of rendered HTML. Its filters match within one text node, so an element around
  // the sign keeps a hostile version string from pinging anyone.
  "@": "<span>@</span>",
  "#": "<span>#</span>"
};
function html(text) {
  return text.replace(/[&<>"'@#]/g, (ch) => HTML[ch]);
}
function attr(text) {
  return text.replace(/[&<>"']/g, (ch) => HTML[ch]);
}
function untrustedHtml(text, max = MAX_UNTRUSTED_CHARS) {
  return html(untrusted(text, max));
}
function byteLength(text) {
  return Buffer.byteLength(text, "utf8");
}
var JSON_INVISIBLE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
function safeJsonStringify(value, space) {
  return neutralizeLegacyCommand(JSON.stringify(value, null, space).replace(JSON_INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

// src/report/format.ts
var CHECK_LABEL = { openpgp: "OpenPGP", sigstore: "Sigstore", components: "Components" };
var METADATA_LABEL = "Release metadata";
function shortDigest(digest) {
  if (!digest) return "-";
  return digest.length > 19 ? digest.slice(0, 19) : digest;
}
function formatPlace(p, prefix = "") {
  return `${prefix}${p.file}:${p.line} (${p.channel})`;
}
function consequence(check) {
  if (check === "openpgp") return "the cluster-version operator will refuse to start an update to this release";
  if (check === "components") return "CRI-O will refuse to run the failing component images under the openshift ClusterImagePolicy (SignatureValidationFailed): the release breaks every cluster that runs it";
  return "CRI-O will refuse to run the release image under the openshift ClusterImagePolicy (SignatureValidationFailed)";
}
var EDGES_LABEL = "Update edges";
var EDGES_CONSEQUENCE = "clusters on the failing source releases cannot take this update: their cluster-version operator or CRI-O refuses it under the keys and policy they run with";
function unsettledEdges(node) {
  return (node.edges ?? []).filter((e) => isFailure(e.outcome) || e.outcome === "error");
}
function edgeLines(node, max = 20) {
  const bad = unsettledEdges(node);
  const lines = bad.slice(0, max).map((e) => `${e.from === null ? "edges" : `from ${untrusted(e.from)}`}: ${e.outcome}: ${untrusted(e.reason, 1e3)}`);
  if (bad.length > max) lines.push(`\u2026 and ${bad.length - max} more (the JSON report lists every edge)`);
  return lines;
}
function failingEdges(node) {
  return (node.edges ?? []).filter((e) => isFailure(e.outcome));
}
function erroredEdges(node) {
  return (node.edges ?? []).filter((e) => e.outcome === "error");
}
function edgeSubject(e) {
  return e.from === null ? EDGES_LABEL : `Update edge from ${untrusted(e.from)}`;
}
function describeEdges(node) {
  const edges = node.edges;
  if (!edges) return void 0;
  const outcome = edgesOutcome(edges);
  if (edges.length === 0) return "no update edge leads into this release in this run";
  const n = edges.filter((e) => e.outcome === outcome).length;
  return `${n} of ${edges.length} update edge${edges.length === 1 ? "" : "s"} ${outcome}`;
}
function failedChecks(node) {
  return CHECK_NAMES.filter((c) => node[c].outcome === "missing" || node[c].outcome === "invalid");
}
function erroredChecks(node) {
  return CHECK_NAMES.filter((c) => node[c].outcome === "error");
}
function metadataFailed(node) {
  return node.metadata.outcome === "invalid" || node.metadata.outcome === "missing";
}
function componentLines(node, max = 20) {
  const failures = node.components.failures;
  const lines = failures.slice(0, max).map((f) => `${f.name} ${componentDigest(f.reference)}: ${f.outcome}: ${f.reason}`);
  if (failures.length > max) lines.push(`\u2026 and ${failures.length - max} more (the JSON report lists every one)`);
  return lines;
}
function componentDigest(reference) {
  const at = reference.lastIndexOf("@");
  return at >= 0 ? reference.slice(at + 1) : reference;
}
var MARK = { verified: "\u2705", missing: "\u274C", invalid: "\u274C", error: "\u26A0\uFE0F", skipped: "\u2796" };
var CODE_WORDS = {
  DIGEST_MISMATCH: "the signature was filed under the wrong digest (it signs another image)",
  UNTRUSTED_KEY: "signed by a key clusters do not trust",
  BAD_SIGNATURE: "the signature does not verify (altered, or made with another key)",
  IDENTITY_MISMATCH: "signed for another image name",
  EXPIRED: "the signature has expired",
  KEY_EXPIRED: "the signing key had expired",
  REVOKED_KEY: "the signing key is revoked",
  WEAK_HASH: "the signature uses a refused hash algorithm",
  WEAK_KEY: "the signing key is too weak",
  PAYLOAD_INVALID: "the signed payload is malformed",
  WRONG_SIGNATURE_SCHEME: "the signature uses a scheme clusters do not accept",
  MISSING_ANNOTATION: "the .sig layer carries no signature",
  REKOR_SET_INVALID: "the Rekor entry does not verify",
  NOT_SIGNED_MESSAGE: "the file is not a signed message",
  NOT_A_SIGNATURE: "the file is not a signature",
  MANIFEST_INVALID: "the .sig manifest is malformed"
};
function codeWords(text) {
  for (const m of text.matchAll(/\b([A-Z][A-Z_]{3,})\b/g)) {
    const words = CODE_WORDS[m[1]];
    if (words) return words;
  }
  return void 0;
}
function hostOf(source) {
  if (!source) return void 0;
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/\s@]+)/i.exec(source);
  return m?.[1];
}
function networkFailureKind(reason) {
  const status = /answered (\d{3})/.exec(reason);
  if (status) return `answered ${status[1]}`;
  const code = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)\b/.exec(reason);
  if (code) return code[1];
  if (/timed? ?out|timeout/i.test(reason)) return "timed out";
  if (/reset/i.test(reason)) return "connection reset";
  if (/truncat/i.test(reason)) return "truncated response";
  return "network error";
}
function checkBrief(check, r) {
  const label = CHECK_LABEL[check];
  if (r.outcome === "error") {
    const host = hostOf(r.source);
    return `${label} could not be checked (${host ? `${untrusted(host, 100)} ` : ""}${networkFailureKind(r.reason)})`;
  }
  if (check === "sigstore" && r.instances && r.instances.length > 0) {
    const bad = r.instances.filter((i) => i.outcome !== "verified");
    if (bad.length > 0) {
      const which = untrusted(bad.map((i) => i.arch ?? shortDigest(i.digest)).join(", "), 100);
      const what = bad.every((i) => i.outcome === "missing") ? "has no .sig tag" : bad.every((i) => i.outcome === "error") ? "could not be checked" : `is not signed acceptably (${codeWords(bad.map((i) => i.reason).join(" ")) ?? bad[0].outcome})`;
      return `the ${which} instance${bad.length === 1 ? "" : "s"} of the manifest list ${what}`;
    }
  }
  const detail = [r.reason, ...(r.attempts ?? []).map((a) => a.reason)].join(" ");
  if (r.outcome === "missing") {
    if (check === "openpgp") return "no OpenPGP signature in the signature store";
    if (/bundle/i.test(r.reason)) return "only a Sigstore bundle, which CRI-O does not read; no .sig tag";
    return "no Sigstore signature (.sig tag)";
  }
  if (r.outcome === "invalid") return `${label}: ${codeWords(detail) ?? "no signature passes the checks"}`;
  return `${label} ${r.outcome}`;
}
function edgesBrief(node) {
  const outcome = edgesOutcome(node.edges);
  if (outcome === "verified" || outcome === "skipped") return void 0;
  const bad = (node.edges ?? []).filter((e) => e.outcome === outcome);
  const from = untrusted(bad.map((e) => e.from ?? "?").slice(0, 5).join(", "), 100);
  if (outcome === "error") return `the update edges from ${from} could not be judged`;
  return `clusters on ${from} cannot update to it (${codeWords(bad.map((e) => e.reason).join(" ")) ?? `signed by a key ${bad.length === 1 ? "that release does" : "those releases do"} not trust`})`;
}
function briefReason(node) {
  const parts = CHECK_NAMES.filter((c) => node[c].outcome !== "verified" && node[c].outcome !== "skipped").map((c) => checkBrief(c, node[c]));
  const edges = edgesBrief(node);
  if (edges) parts.push(edges);
  if (parts.length === 0) return "Every required check passed.";
  const sentence = parts.join("; ");
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}
function nodeTitle(node) {
  const bad = CHECK_NAMES.filter((c) => node[c].outcome !== "verified" && node[c].outcome !== "skipped").map((c) => `${CHECK_LABEL[c]} ${node[c].outcome}`);
  const metadata = node.metadata?.outcome;
  if (metadata === "invalid" || metadata === "missing" || metadata === "error") bad.push(`${METADATA_LABEL} ${metadata}`);
  const edges = edgesOutcome(node.edges);
  if (edges !== "verified" && edges !== "skipped") bad.push(`${EDGES_LABEL} ${edges}`);
  return `${untrusted(node.version)} ${node.arch}: ${bad.join(", ") || "passed"}`;
}

export {
  hasControls,
  MAX_REASON_CHARS,
  truncate,
  untrusted,
  safeLogLine,
  safeLogText,
  html,
  attr,
  untrustedHtml,
  byteLength,
  safeJsonStringify,
  CHECK_LABEL,
  METADATA_LABEL,
  shortDigest,
  formatPlace,
  consequence,
  EDGES_LABEL,
  EDGES_CONSEQUENCE,
  unsettledEdges,
  edgeLines,
  failingEdges,
  erroredEdges,
  edgeSubject,
  describeEdges,
  failedChecks,
  erroredChecks,
  metadataFailed,
  componentLines,
  componentDigest,
  MARK,
  hostOf,
  networkFailureKind,
  briefReason,
  nodeTitle
};
