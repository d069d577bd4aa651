/**
 * Which version entries a run checks: everything (audit), what a change adds (PR), an explicit
 * version list, or the channels matching globs. Filters combine (intersection).
 */
import { posix } from 'node:path';
import { SigcheckError } from '../model/errors.ts';
import type { Finding } from '../model/results.ts';
import type { VersionEntry } from './channels.ts';
import type { GraphData } from './walk.ts';

export interface ScopeOptions {
  /** Base graph-data of a change: only (channel, version) pairs absent from it are selected. */
  base?: GraphData;
  /** Release names or versions: `4.18.3` selects `4.18.3` and `4.18.3+<arch>`; `4.2.14+amd64` only itself. */
  versions?: string[];
  /** Channel name globs (`*`, `?`, `[...]`), e.g. `stable-4.*`. */
  channels?: string[];
}

export interface Selection {
  entries: VersionEntry[];
  /** Requested versions that graph-data does not list (checked anyway, without places). */
  unlisted: string[];
  findings: Finding[];
}

/** Turns a shell-style glob into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        let cls = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The key of a (channel, version) pair: a channel is identified by its directory and name. */
function pairKey(e: VersionEntry): string {
  return `${posix.dirname(e.file)}/${e.channel}\0${e.release.name}`;
}

/** The version entries in `head` whose (channel, version) pair is not in `base`. */
export function addedEntries(base: GraphData, head: GraphData): VersionEntry[] {
  const inBase = new Set<string>();
  for (const ch of base.channels) for (const e of ch.entries) inBase.add(pairKey(e));
  const out: VersionEntry[] = [];
  const seen = new Set<string>();
  for (const ch of head.channels) {
    for (const e of ch.entries) {
      const key = pairKey(e);
      if (inBase.has(key) || seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}

export function selectEntries(head: GraphData, options: ScopeOptions = {}): Selection {
  let entries: VersionEntry[] = options.base ? addedEntries(options.base, head) : head.channels.flatMap((c) => c.entries);
  const findings: Finding[] = [];
  if (options.channels && options.channels.length > 0) {
    const res = options.channels.map(globToRegExp);
    entries = entries.filter((e) => res.some((re) => re.test(e.channel)));
    const known = new Set(head.channels.map((c) => c.channel));
    for (const [i, glob] of options.channels.entries()) {
      // A glob that matches nothing would check nothing and pass: a usage error, never a quiet pass.
      if (![...known].some((c) => res[i]!.test(c))) {
        throw new SigcheckError('USAGE', `--channel ${JSON.stringify(glob.slice(0, 100))} matches no channel in ${head.source}; channels are named like stable-4.18 or candidate-4.*`);
      }
    }
  }
  const unlisted: string[] = [];
  if (options.versions && options.versions.length > 0) {
    const wanted = new Set(options.versions);
    const matches = (e: VersionEntry) => wanted.has(e.release.name) || wanted.has(e.release.version);
    const all = head.channels.flatMap((c) => c.entries);
    for (const v of wanted) {
      if (!all.some((e) => e.release.name === v || e.release.version === v)) unlisted.push(v);
    }
    entries = entries.filter(matches);
  }
  return { entries, unlisted, findings };
}
