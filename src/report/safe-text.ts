/**
 * The one place where text that a pull request or a server controls is made safe to show.
 *
 * A fork PR chooses its channel file names and `name:` values, and a registry or signature store chooses
 * its error bodies and signature payloads. None of that may change the structure of what the tool
 * writes: a newline in a version must not start a line that the Actions runner reads as a workflow
 * command (`::warning ...`, `::stop-commands::...`), an ANSI escape must not repaint a terminal, a bidi
 * override must not make a reviewer read a different version than the one checked, and a 3 MB string
 * must not make a 3 MB job summary. Every reporter passes such text through `untrusted()` (or
 * `escapeControls()` when the length is already bounded), and the Action passes every log line through
 * `safeLogLine()`.
 */

/**
 * C0 controls (tab and newline included), DEL, C1 controls, the line and paragraph separators, the
 * bidi embeddings, overrides and isolates, the invisible direction marks, zero-width characters and the
 * byte order mark, and lone surrogates (which no UTF-8 output can carry).
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

function escapeOne(ch: string): string {
  return SHORT[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Shows every control character as an escape (`\n`, `\e`, `\u2028`, `\u202e`), leaving the rest as it is. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, escapeOne);
}

export function hasControls(text: string): boolean {
  CONTROLS.lastIndex = 0;
  const found = CONTROLS.test(text);
  CONTROLS.lastIndex = 0;
  return found;
}

/** Default cap for one PR- or server-controlled string in a message: long enough for any real version, URL or reason. */
export const MAX_UNTRUSTED_CHARS = 200;
/** Cap for server-written reasons, which are longer by nature (they name URLs and digests). */
export const MAX_REASON_CHARS = 1000;

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair, with a marker giving the full size. */
export function truncate(text: string, max = MAX_UNTRUSTED_CHARS): string {
  if (text.length <= max) return text;
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…(truncated, ${Buffer.byteLength(text, 'utf8')} bytes)`;
}

/** A PR- or server-controlled string, ready to be placed in any message: bounded, and with every control shown escaped. */
export function untrusted(text: string | null | undefined, max = MAX_UNTRUSTED_CHARS): string {
  if (text === null || text === undefined) return '';
  return neutralizeLegacyCommand(escapeControls(truncate(String(text), max)));
}

/**
 * The runner also reads the older `##[command]` form, anywhere in a line. Text that reaches stdout (the
 * CLI's text or JSON run in a workflow step, the Action's log) must not contain it.
 */
function neutralizeLegacyCommand(text: string): string {
  return text.replace(/##\[/g, '#\\u0023[');
}

/**
 * One line of the Action's log, made unable to act as a workflow command. The runner reads a line as a
 * command when, after leading white space, it starts with `::` (or contains `##[`, the older form). The
 * tool's own commands are written by @actions/core, never through this function, so any such line here
 * carries text the tool did not author: the colon or hash that would start a command is shown escaped.
 * Also escapes controls, so one call can never write more than one line.
 */
export function safeLogLine(line: string): string {
  return neutralizeLegacyCommand(escapeControls(line)).replace(/^(\s*):/, '$1\\u003a');
}

/** Text for a log that may span lines (our own line breaks): each line made safe on its own. */
export function safeLogText(text: string): string {
  return text
    .split('\n')
    .map((l) => safeLogLine(l))
    .join('\n');
}

const HTML: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // GitHub links `@user` (and notifies them) and `#123` / `owner/repo#123` (and cross-references the
  // issue) in the text of rendered HTML. Its filters match within one text node, so an element around
  // the sign keeps a hostile version string from pinging anyone.
  '@': '<span>@</span>',
  '#': '<span>#</span>',
};

/** HTML text (summary, PR comment): HTML-escaped, and unable to mention a user or reference an issue. */
export function html(text: string): string {
  return text.replace(/[&<>"'@#]/g, (ch) => HTML[ch]!);
}

/** A value for an HTML attribute (a URL the tool built): only HTML escaping, so `#L4` stays a fragment. */
export function attr(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML[ch]!);
}

/** An untrusted string for HTML: bounded, controls escaped, HTML escaped. */
export function untrustedHtml(text: string | null | undefined, max = MAX_UNTRUSTED_CHARS): string {
  return html(untrusted(text, max));
}

/** UTF-8 size, which is what GitHub's summary limit counts. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

const JSON_INVISIBLE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * JSON.stringify, with the controls it leaves as they are (DEL, C1, line and paragraph separators, bidi
 * and zero-width characters) written as `\uXXXX` escapes, and `##[` as `#\u0023[`. The parsed value is
 * unchanged: a report keeps the exact strings, and its text shows no invisible or reordering character
 * and no workflow command.
 */
export function safeJsonStringify(value: unknown, space?: number): string {
  return neutralizeLegacyCommand(JSON.stringify(value, null, space).replace(JSON_INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
