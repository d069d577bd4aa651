import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/report/format.ts
var CHECK_LABEL = { openpgp: "OpenPGP", sigstore: "Sigstore" };
function shortDigest(digest) {
  if (!digest) return "-";
  return digest.length > 19 ? digest.slice(0, 19) : digest;
}
function formatPlace(p, prefix = "") {
  return `${prefix}${p.file}:${p.line} (${p.channel})`;
}
function consequence(check) {
  return check === "openpgp" ? "the cluster-version operator will refuse to start an update to this release" : "CRI-O will refuse to run the release image under the openshift ClusterImagePolicy (SignatureValidationFailed)";
}
function failedChecks(node) {
  return ["openpgp", "sigstore"].filter((c) => node[c].outcome === "missing" || node[c].outcome === "invalid");
}
function erroredChecks(node) {
  return ["openpgp", "sigstore"].filter((c) => node[c].outcome === "error");
}
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export {
  CHECK_LABEL,
  shortDigest,
  formatPlace,
  consequence,
  failedChecks,
  erroredChecks,
  escapeHtml
};
