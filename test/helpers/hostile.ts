/**
 * Text a fork pull request (or a hostile server) can put in front of the reporters: channel file names
 * and `name:` values with workflow commands after a newline, ANSI escapes, Unicode separators and bidi
 * overrides, and a 3 MB version.
 */
import type { NodeResult } from '../../src/model/results.ts';
import { fakeDigest } from './fakes.ts';
import { PAYLOAD_OK } from './fakes.ts';

export const HOSTILE_STRINGS = {
  newlineWarning: '4.99.3\n::warning file=x::pwned',
  stopCommands: '4.99.3\n::stop-commands::token',
  carriageReturn: '4.99.3\r::error::cr-pwned',
  percentEncoded: '4.99.3%0A::warning::pct-pwned',
  ansi: '4.99.3\u001b[2J\u001b[31mred',
  lineSeparator: '4.99.3\u2028::warning::ls-pwned',
  paragraphSeparator: '4.99.3\u2029::warning::ps-pwned',
  bidi: '4.99.3\u202e4.99.4',
  nel: '4.99.3\u0085::warning::nel-pwned',
  legacyCommand: '4.99.3 ##[error]legacy-pwned',
  mention: '4.99.3 @octocat #1',
} as const;

/** 3 MiB of version string. */
export const HUGE = `4.${'9'.repeat(3 * 1024 * 1024)}`;

/** A failing node whose every PR- and server-controlled field carries `text`. */
export function hostileNode(text: string, i = 0): NodeResult {
  return {
    version: text,
    arch: 'amd64',
    digest: fakeDigest(`hostile-${i}`),
    tag: `${text}-x86_64`,
    places: [{ file: `channels/${text}.yaml`, line: 3 + i, channel: text }],
    openpgp: { outcome: 'missing', reason: `no signature (server said: ${text})`, source: `https://store.example/${text}` },
    sigstore: { outcome: 'invalid', reason: `UNTRUSTED_KEY: signed by ${text}`, signer: text, identity: text },
    ...PAYLOAD_OK,
  };
}

/** Lines of stdout that the runner would read as a workflow command (after leading white space). */
export function commandLines(stdout: string): string[] {
  return stdout.split(/\r?\n|\r/).filter((l) => /^\s*::/.test(l) || l.includes('##['));
}

/**
 * The commands the tool itself writes: annotations with a title (or its own failure message), and its
 * own log groups. A hostile string that became a line of its own matches none of these.
 */
export const OWN_COMMAND = /^::(?:(?:error|warning|notice) title=|error::release-sigcheck: |group::release-sigcheck|endgroup::$)/;
