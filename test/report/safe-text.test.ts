import { describe, expect, it } from 'vitest';
import { escapeControls, html, safeJsonStringify, safeLogLine, safeLogText, truncate, untrusted } from '../../src/report/safe-text.ts';

describe('escapeControls', () => {
  it('shows C0, DEL, C1, separators, bidi and zero-width characters as escapes, and leaves the rest', () => {
    expect(escapeControls('a\nb\rc\td\u001be')).toBe('a\\nb\\rc\\td\\ee');
    expect(escapeControls('\u0000\u007f\u0085\u009b')).toBe('\\u0000\\u007f\\u0085\\u009b');
    expect(escapeControls('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
    expect(escapeControls('\u202a\u202e\u2066\u2069\u200e\u200f\u061c\u200b\ufeff')).toBe('\\u202a\\u202e\\u2066\\u2069\\u200e\\u200f\\u061c\\u200b\\ufeff');
    expect(escapeControls('4.18.3+amd64 ✅ ünïcödé 😀')).toBe('4.18.3+amd64 ✅ ünïcödé 😀');
    expect(escapeControls('a\ud800b')).toBe('a\\ud800b');
  });
});

describe('truncate and untrusted', () => {
  it('cut with a marker giving the full size in bytes, never inside a surrogate pair', () => {
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('abcdefgh', 4)).toBe('abcd…(truncated, 8 bytes)');
    expect(truncate('aaa😀', 4)).toBe('aaa…(truncated, 7 bytes)');
    const big = `4.${'9'.repeat(3 * 1024 * 1024)}`;
    const shown = untrusted(big);
    expect(shown.length).toBeLessThan(250);
    expect(shown).toMatch(/^4\.9+…\(truncated, 3145730 bytes\)$/);
  });

  it('neutralize the legacy ##[command] form anywhere in the text', () => {
    expect(untrusted('x ##[error]y')).toBe('x #\\u0023[error]y');
  });
});

describe('safeLogLine', () => {
  it('never lets a line start a workflow command', () => {
    expect(safeLogLine('::warning file=x::pwned')).toBe('\\u003a:warning file=x::pwned');
    expect(safeLogLine('   ::stop-commands::t')).toBe('   \\u003a:stop-commands::t');
    expect(safeLogLine('release-sigcheck: 4.99.3\n::warning::x')).toBe('release-sigcheck: 4.99.3\\n::warning::x');
    expect(safeLogLine('ok: checked')).toBe('ok: checked');
    expect(safeLogText('line one\n::error::two').split('\n')).toEqual(['line one', '\\u003a:error::two']);
  });
});

describe('html', () => {
  it('escapes markup and keeps @mentions and #references from linking', () => {
    expect(html('<b a="1">&\'')).toBe('&lt;b a=&quot;1&quot;&gt;&amp;&#39;');
    expect(html('@octocat #12')).toBe('<span>@</span>octocat <span>#</span>12');
  });
});

describe('safeJsonStringify', () => {
  it('escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
    const value = { v: 'a\u2028b\u202ec\u0085d##[e', n: 1 };
    const text = safeJsonStringify(value);
    expect(text).toBe('{"v":"a\\u2028b\\u202ec\\u0085d#\\u0023[e","n":1}');
    expect(JSON.parse(text)).toEqual(value);
  });
});
