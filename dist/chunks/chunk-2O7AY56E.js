import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

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
  safeJsonStringify
};
