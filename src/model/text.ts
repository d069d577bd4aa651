/**
 * Text that a pull request or a server wrote: how to tell it holds characters that could break out
 * of its place in a report (a newline that starts a workflow command, an escape sequence, a bidi
 * override that reorders what a reviewer reads).
 */

/** C0 and C1 controls, DEL, the Unicode line and paragraph separators, and bidi controls. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTER_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTER_RE.test(text);
}
