/**
 * Reads graph-data (from a directory, or from a commit in a git checkout) into channel files and
 * findings. Only `channels/` is required; `internal-channels/` and everything else are optional.
 *
 * In PR scope the head side is written by the pull request, so every name and byte read here is
 * hostile text: only regular files directly under the two channel folders are read, each within a
 * size cap and all of them within a total; a name with a control character, a symlink or a
 * submodule is reported (an error finding) and never read; a channel folder that is itself a
 * symlink is never followed; in a commit, files are read by object id, never by name.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { SigcheckError, isSigcheckError } from '../model/errors.ts';
import { readRegularFile } from '../fs/regular-file.ts';
import { hasControlCharacters } from '../model/text.ts';
import type { Finding } from '../model/results.ts';
import { CHANNEL_DIRS, parseChannelFile, type ChannelFile } from './channels.ts';
import { listTreeAt, readBlobs, type TreeEntry } from './git.ts';

/** Real channel files are under 4 KiB; a cap far above that still stops a hostile one early. */
export const CHANNEL_FILE_MAX_BYTES = 1024 * 1024;
/** graph-data has about 80 channel files. */
export const CHANNEL_FILES_MAX = 10_000;
/** All channel files together (real graph-data: about 400 KiB). */
export const GRAPH_DATA_MAX_BYTES = 64 * 1024 * 1024;

export interface GraphData {
  /** Where it was read from, for messages: a directory or `<dir>@<commit>`. */
  source: string;
  channels: ChannelFile[];
  findings: Finding[];
}

/** A channel file candidate: its path relative to the graph-data root, and how to read it. */
export interface ChannelFileRef {
  /** e.g. `channels/stable-4.18.yaml` */
  file: string;
  /** Size when known before reading (git listings), for the caps. */
  size?: number;
  /** Git object id (commit sources). */
  oid?: string;
}

export interface ChannelListing {
  files: ChannelFileRef[];
  /** Entries that are not read, and why. */
  findings: Finding[];
}

/** Where graph-data files come from: a directory on disk or a commit. */
export interface GraphSource {
  describe(): string;
  /** Regular channel files directly under the channel folders, sorted by path. */
  listChannelFiles(): Promise<ChannelListing>;
  readFiles(refs: readonly ChannelFileRef[]): Promise<Map<string, Buffer>>;
}


/** A name shown in a finding: JSON-quoted (controls escaped), and cut short. */
export function showName(name: string): string {
  const shown = JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}…` : name);
  return shown.replace(/[\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function refusedEntry(dir: string, name: string, why: string, code = 'CHANNEL_FILE_REFUSED'): Finding {
  return { severity: 'error', code, message: `${dir}/${showName(name)} ${why}; it is not read. Channel files are regular files with plain names (Cincinnati's graph-data layout)` };
}

/** Decides whether a listed name is a channel file candidate, a refused entry, or something to ignore. */
function classify(dir: string, name: string, kind: 'file' | 'symlink' | 'other', validUtf8: boolean): { ref: true } | { finding: Finding } | undefined {
  if (!validUtf8 || hasControlCharacters(name)) return { finding: refusedEntry(dir, name, 'has a name with a control character or bytes that are not UTF-8', 'CHANNEL_FILE_NAME') };
  const looksLikeChannel = name.endsWith('.yaml') || name.endsWith('.yml');
  if (kind === 'symlink') return looksLikeChannel ? { finding: refusedEntry(dir, name, 'is a symbolic link') } : undefined;
  if (kind === 'other') return looksLikeChannel ? { finding: refusedEntry(dir, name, 'is not a regular file') } : undefined;
  return { ref: true };
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function directorySource(root: string): GraphSource {
  return {
    describe: () => root,
    async listChannelFiles() {
      const st = await lstat(root).catch(() => undefined);
      if (!st?.isDirectory() && !st?.isSymbolicLink()) throw new SigcheckError('CONFIG', `graph-data directory ${root} does not exist; pass --graph-data DIR (a checkout of openshift/cincinnati-graph-data)`);
      const files: ChannelFileRef[] = [];
      const findings: Finding[] = [];
      let found = 0;
      for (const dir of CHANNEL_DIRS) {
        const dst = await lstat(join(root, dir)).catch(() => undefined);
        if (dst === undefined) continue;
        found++;
        if (!dst.isDirectory()) {
          findings.push({ severity: 'error', code: 'CHANNEL_FILE_REFUSED', message: `${dir}/ is ${dst.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}; it is not followed, so none of its channel files are read` });
          continue;
        }
        const entries = await readdir(join(root, dir), { withFileTypes: true, encoding: 'buffer' });
        for (const e of entries) {
          const raw = e.name as unknown as Buffer;
          const name = raw.toString('utf8');
          const kind = e.isFile() ? 'file' : e.isSymbolicLink() ? 'symlink' : e.isDirectory() ? undefined : 'other';
          if (kind === undefined) continue; // subfolders are not channel files
          const c = classify(dir, name, kind, isValidUtf8(raw));
          if (c === undefined) continue;
          if ('finding' in c) findings.push(c.finding);
          else files.push({ file: `${dir}/${name}` });
        }
      }
      if (found === 0) throw new SigcheckError('CONFIG', `${root} does not look like graph-data: it has neither channels/ nor internal-channels/; pass --graph-data DIR`);
      return { files: files.sort((a, b) => (a.file < b.file ? -1 : 1)), findings };
    },
    async readFiles(refs) {
      const out = new Map<string, Buffer>();
      for (const ref of refs) {
        // noFollow: the entry was a regular file when listed; a symlink put in its place is not followed.
        out.set(ref.file, await readRegularFile(join(root, ref.file), { what: 'channel file', maxBytes: CHANNEL_FILE_MAX_BYTES, noFollow: true }));
      }
      return out;
    },
  };
}

/** Graph-data at `commit` of the repository containing `repoDir`; `prefix` is graph-data's path in it. */
export function commitSource(repoDir: string, commit: string, prefix: string): GraphSource {
  const full = (rel: string) => posix.join(prefix, rel);
  return {
    describe: () => `${repoDir}@${commit.slice(0, 12)}`,
    async listChannelFiles() {
      const entries = await listTreeAt(repoDir, commit, CHANNEL_DIRS.map((d) => full(d)));
      const files: ChannelFileRef[] = [];
      const findings: Finding[] = [];
      let found = 0;
      for (const dir of CHANNEL_DIRS) {
        const dirPath = full(dir);
        const self = entries.find((e) => e.path === dirPath);
        if (self) {
          // The folder itself is listed only when it is not a tree: a symlink or a file.
          found++;
          findings.push({ severity: 'error', code: 'CHANNEL_FILE_REFUSED', message: `${dir}/ is a ${self.kind === 'symlink' ? 'symbolic link' : self.kind} in commit ${commit.slice(0, 12)}; it is not followed, so none of its channel files are read` });
          continue;
        }
        const under = entries.filter((e: TreeEntry) => e.rawPath.length > dirPath.length + 1 && e.rawPath.subarray(0, dirPath.length + 1).equals(Buffer.from(`${dirPath}/`)));
        if (under.length > 0) found++;
        for (const e of under) {
          const rel = e.rawPath.subarray(dirPath.length + 1);
          if (rel.includes(0x2f)) continue; // in a subfolder: not a channel file
          const name = rel.toString('utf8');
          const c = classify(dir, name, e.kind === 'file' ? 'file' : e.kind === 'symlink' ? 'symlink' : 'other', isValidUtf8(rel));
          if (c === undefined) continue;
          if ('finding' in c) findings.push(c.finding);
          else files.push({ file: `${dir}/${name}`, oid: e.oid, ...(e.size !== undefined ? { size: e.size } : {}) });
        }
      }
      if (found === 0) {
        throw new SigcheckError('CONFIG', `commit ${commit.slice(0, 12)} has no ${full('channels')}/ or ${full('internal-channels')}/ files; is --graph-data the graph-data root?`);
      }
      return { files: files.sort((a, b) => (a.file < b.file ? -1 : 1)), findings };
    },
    async readFiles(refs) {
      const blobs = await readBlobs(repoDir, refs.map((r) => r.oid as string), CHANNEL_FILE_MAX_BYTES);
      return new Map(refs.map((r) => [r.file, blobs.get(r.oid as string) as Buffer]));
    },
  };
}

function sizeCapFinding(file: string, size: number): Finding {
  return {
    severity: 'error',
    code: 'CHANNEL_FILE_TOO_LARGE',
    file,
    line: 1,
    message: `${file} has ${size} bytes, over the ${CHANNEL_FILE_MAX_BYTES}-byte cap for a channel file (real ones are a few KiB); it is not read`,
  };
}

export async function readGraphData(source: GraphSource): Promise<GraphData> {
  const channels: ChannelFile[] = [];
  const listing = await source.listChannelFiles();
  // Findings of each file, so that they come out in file order whichever step found them.
  const perFile = new Map<string, Finding[]>();
  const note = (file: string, f: Finding) => perFile.set(file, [...(perFile.get(file) ?? []), f]);
  const tooMuch = (file: string): Finding => ({ severity: 'error', code: 'GRAPH_DATA_TOO_LARGE', file, line: 1, message: `the channel files exceed ${GRAPH_DATA_MAX_BYTES} bytes together; ${file} and the rest are not read` });
  const wanted: ChannelFileRef[] = [];
  let budget = GRAPH_DATA_MAX_BYTES;
  let stopped = false;
  for (const ref of listing.files) {
    if (!ref.file.endsWith('.yaml')) {
      if (ref.file.endsWith('.yml')) {
        note(ref.file, { severity: 'warning', code: 'CHANNEL_EXTENSION', file: ref.file, line: 1, message: `${ref.file} is ignored: Cincinnati reads only *.yaml channel files; rename it to .yaml` });
      }
      continue;
    }
    if (wanted.length >= CHANNEL_FILES_MAX) {
      note(ref.file, { severity: 'error', code: 'GRAPH_DATA_TOO_LARGE', file: ref.file, line: 1, message: `more than ${CHANNEL_FILES_MAX} channel files; ${ref.file} and the rest are not read` });
      break;
    }
    if (ref.size !== undefined) {
      if (ref.size > CHANNEL_FILE_MAX_BYTES) {
        note(ref.file, sizeCapFinding(ref.file, ref.size));
        continue;
      }
      if (ref.size > budget) {
        note(ref.file, tooMuch(ref.file));
        break;
      }
      budget -= ref.size;
    }
    wanted.push(ref);
  }
  // Commit sources know every size before reading and read in one batch; directory sources learn
  // sizes as they read, one file at a time, so the caps apply there too.
  const contents = new Map<string, Buffer>();
  if (wanted.every((r) => r.size !== undefined)) {
    for (const [k, v] of await source.readFiles(wanted)) contents.set(k, v);
  } else {
    for (const ref of wanted) {
      if (stopped) break;
      try {
        const buf = (await source.readFiles([ref])).get(ref.file) as Buffer;
        if (buf.length > budget) {
          note(ref.file, tooMuch(ref.file));
          stopped = true;
          continue;
        }
        budget -= buf.length;
        contents.set(ref.file, buf);
      } catch (err) {
        if (!isSigcheckError(err) || !['FILE_TOO_LARGE', 'FILE_NOT_REGULAR', 'FILE_UNREADABLE'].includes(err.code)) throw err;
        note(ref.file, { severity: 'error', code: err.code === 'FILE_TOO_LARGE' ? 'CHANNEL_FILE_TOO_LARGE' : 'CHANNEL_FILE_REFUSED', file: ref.file, line: 1, message: `${err.message}; it is not read` });
      }
    }
  }
  const findings: Finding[] = [...listing.findings];
  for (const ref of listing.files) {
    findings.push(...(perFile.get(ref.file) ?? []));
    const bytes = contents.get(ref.file);
    if (bytes === undefined) continue;
    let text: string;
    try {
      text = utf8Strict.decode(bytes);
    } catch {
      findings.push({ severity: 'error', code: 'YAML_SYNTAX', file: ref.file, line: 1, message: `${ref.file} is not UTF-8 text` });
      continue;
    }
    const parsed = parseChannelFile(ref.file, text);
    findings.push(...parsed.findings);
    if (parsed.channel) channels.push(parsed.channel);
  }
  return { source: source.describe(), channels, findings };
}
