/**
 * Reads graph-data (from a directory, or from a commit in a git checkout) into channel files and
 * findings. Only `channels/` is required; `internal-channels/` and everything else are optional.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { SigcheckError } from '../errors.ts';
import type { Finding } from '../report/model.ts';
import { parseChannelFile, type ChannelFile } from './channels.ts';
import { listFilesAt, readFilesAt } from './git.ts';

export const CHANNEL_DIRS = ['channels', 'internal-channels'] as const;

export interface GraphData {
  /** Where it was read from, for messages: a directory or `<dir>@<commit>`. */
  source: string;
  channels: ChannelFile[];
  findings: Finding[];
}

/** Where graph-data files come from: a directory on disk or a commit. */
export interface GraphSource {
  describe(): string;
  /** Channel file candidates, relative to the graph-data root, e.g. `channels/stable-4.18.yaml`. */
  listChannelFiles(): Promise<string[]>;
  readFile(rel: string): Promise<Buffer>;
}

export function directorySource(root: string): GraphSource {
  return {
    describe: () => root,
    async listChannelFiles() {
      const st = await stat(root).catch(() => undefined);
      if (!st?.isDirectory()) throw new SigcheckError('CONFIG', `graph-data directory ${root} does not exist; pass --graph-data DIR (a checkout of openshift/cincinnati-graph-data)`);
      const files: string[] = [];
      let found = 0;
      for (const dir of CHANNEL_DIRS) {
        const entries = await readdir(join(root, dir), { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return undefined;
          throw err;
        });
        if (entries === undefined) continue;
        found++;
        for (const e of entries) if (e.isFile()) files.push(`${dir}/${e.name}`);
      }
      if (found === 0) throw new SigcheckError('CONFIG', `${root} does not look like graph-data: it has neither channels/ nor internal-channels/; pass --graph-data DIR`);
      return files.sort();
    },
    readFile: (rel) => readFile(join(root, rel)),
  };
}

/** Graph-data at `commit` of the repository containing `repoDir`; `prefix` is graph-data's path in it. */
export function commitSource(repoDir: string, commit: string, prefix: string): GraphSource {
  let cache: Map<string, Buffer | undefined> | undefined;
  const full = (rel: string) => posix.join(prefix, rel);
  return {
    describe: () => `${repoDir}@${commit.slice(0, 12)}`,
    async listChannelFiles() {
      const paths = await listFilesAt(repoDir, commit, CHANNEL_DIRS.map((d) => full(d)));
      const files = paths
        .map((p) => (prefix ? p.slice(prefix.length) : p))
        .filter((p) => CHANNEL_DIRS.some((d) => p.startsWith(`${d}/`) && !p.slice(d.length + 1).includes('/')));
      if (files.length === 0) {
        throw new SigcheckError('CONFIG', `commit ${commit.slice(0, 12)} has no ${full('channels')}/ or ${full('internal-channels')}/ files; is --graph-data the graph-data root?`);
      }
      cache = await readFilesAt(repoDir, commit, files.map(full));
      return files.sort();
    },
    async readFile(rel) {
      const buf = cache?.get(full(rel));
      if (!buf) throw new SigcheckError('GIT', `${full(rel)} is not in commit ${commit.slice(0, 12)}`);
      return buf;
    },
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readGraphData(source: GraphSource): Promise<GraphData> {
  const channels: ChannelFile[] = [];
  const findings: Finding[] = [];
  for (const file of await source.listChannelFiles()) {
    if (!file.endsWith('.yaml')) {
      if (file.endsWith('.yml')) {
        findings.push({ severity: 'warning', code: 'CHANNEL_EXTENSION', file, line: 1, message: `${file} is ignored: Cincinnati reads only *.yaml channel files; rename it to .yaml` });
      }
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(await source.readFile(file));
    } catch (err) {
      if (err instanceof SigcheckError) throw err;
      findings.push({ severity: 'error', code: 'YAML_SYNTAX', file, line: 1, message: `${file} is not UTF-8 text` });
      continue;
    }
    const parsed = parseChannelFile(file, text);
    findings.push(...parsed.findings);
    if (parsed.channel) channels.push(parsed.channel);
  }
  return { source: source.describe(), channels, findings };
}
