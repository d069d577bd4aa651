/**
 * Turns the scope flags (--graph-data, --base/--head, --version, --channel) into the graph nodes to
 * check, with the findings of the graph-data that was read.
 */
import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { SigcheckError } from '../errors.ts';
import { deepen, isGitCheckout, isShallow, mergeBase, repoPrefix, resolveCommit } from '../graph/git.ts';
import { toGraphNodes, type GraphNode } from '../graph/nodes.ts';
import { selectEntries } from '../graph/scope.ts';
import { parseReleaseName } from '../graph/version.ts';
import { commitSource, directorySource, readGraphData, type GraphData } from '../graph/walk.ts';
import type { Finding } from '../report/model.ts';
import type { RunMode } from '../report/reporter.ts';

export interface SelectOptions {
  graphData: string;
  base?: string;
  head?: string;
  versions?: string[];
  channels?: string[];
  /** Fetch more history when a shallow clone lacks the merge-base (the Action does this). */
  deepen?: boolean;
  remote?: string;
  log?: (message: string) => void;
}

export interface Selected {
  mode: RunMode;
  graph: GraphData;
  nodes: GraphNode[];
  findings: Finding[];
  /** graph-data's path relative to the repository top (or the working directory), ending in `/` unless empty. */
  pathPrefix: string;
  /** What base and head resolved to, for messages. */
  baseLabel?: string;
  headLabel?: string;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** A path prefix for places: relative to the working directory when inside it, else absolute. */
function prefixFor(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return toPrefix(rel.startsWith('..') ? dir : rel);
}

function toPrefix(p: string): string {
  const posixPath = p.split(sep).join('/');
  return posixPath === '' || posixPath === '.' ? '' : posixPath.endsWith('/') ? posixPath : `${posixPath}/`;
}

const SHALLOW_HINT =
  'The checkout is shallow and does not contain the merge-base of the pull request. Set `fetch-depth: 0` on actions/checkout (or run `git fetch --unshallow`).';

async function resolveRefs(dir: string, base: string, head: string, options: SelectOptions): Promise<{ mergeBase: string; head: string }> {
  let baseCommit = await resolveCommit(dir, base);
  let headCommit = await resolveCommit(dir, head);
  let mb = baseCommit && headCommit ? await mergeBase(dir, baseCommit, headCommit) : undefined;
  if (!mb && (await isShallow(dir))) {
    if (!options.deepen) throw new SigcheckError('CONFIG', `cannot find the merge-base of ${base} and ${head}. ${SHALLOW_HINT}`);
    options.log?.(`shallow checkout: fetching history from ${options.remote ?? 'origin'} to find the merge-base of ${base} and ${head}`);
    const ok = await deepen(dir, options.remote ?? 'origin', [base, head].filter((r) => /^[0-9a-f]{7,40}$/.test(r)));
    if (!ok) throw new SigcheckError('CONFIG', `could not fetch more history to find the merge-base of ${base} and ${head}. ${SHALLOW_HINT}`);
    baseCommit = await resolveCommit(dir, base);
    headCommit = await resolveCommit(dir, head);
    mb = baseCommit && headCommit ? await mergeBase(dir, baseCommit, headCommit) : undefined;
  }
  if (!baseCommit) throw new SigcheckError('CONFIG', `--base ${base} is neither a directory nor a commit in ${dir}; fetch it first (git fetch origin ${base})`);
  if (!headCommit) throw new SigcheckError('CONFIG', `--head ${head} is neither a directory nor a commit in ${dir}`);
  if (!mb) throw new SigcheckError('CONFIG', `${base} and ${head} have no common history in ${dir}. ${SHALLOW_HINT}`);
  return { mergeBase: mb, head: headCommit };
}

export async function selectNodes(options: SelectOptions): Promise<Selected> {
  const graphDir = resolve(options.graphData);
  if (options.head !== undefined && options.base === undefined) {
    throw new SigcheckError('USAGE', '--head needs --base: PR scope compares a base with a head (git refs or two directories)');
  }
  let graph: GraphData;
  let base: GraphData | undefined;
  let mode: RunMode = 'audit';
  let pathPrefix = prefixFor(graphDir);
  let baseLabel: string | undefined;
  let headLabel: string | undefined;
  const inGit = await isGitCheckout(graphDir).catch(() => false);
  if (inGit) pathPrefix = toPrefix(await repoPrefix(graphDir));

  if (options.base !== undefined) {
    mode = 'pr';
    const headArg = options.head ?? (await isDirectory(options.base) ? graphDir : 'HEAD');
    if (await isDirectory(options.base)) {
      // Two directories: the head directory is the graph-data that is walked.
      if (!(await isDirectory(headArg))) throw new SigcheckError('USAGE', `--base ${options.base} is a directory, so --head must be one too (got ${headArg})`);
      base = await readGraphData(directorySource(resolve(options.base)));
      graph = await readGraphData(directorySource(resolve(headArg)));
      if (options.head !== undefined) pathPrefix = prefixFor(resolve(headArg));
      baseLabel = options.base;
      headLabel = headArg;
    } else {
      if (!inGit) throw new SigcheckError('CONFIG', `--base ${options.base} is not a directory, and ${graphDir} is not a git checkout in which it could be a ref`);
      const prefix = await repoPrefix(graphDir);
      const refs = await resolveRefs(graphDir, options.base, headArg, options);
      base = await readGraphData(commitSource(graphDir, refs.mergeBase, prefix));
      graph = await readGraphData(commitSource(graphDir, refs.head, prefix));
      baseLabel = `${options.base} (merge-base ${refs.mergeBase.slice(0, 12)})`;
      headLabel = `${headArg} (${refs.head.slice(0, 12)})`;
    }
  } else {
    graph = await readGraphData(directorySource(graphDir));
    if (options.versions && options.versions.length > 0) mode = 'versions';
  }

  const selection = selectEntries(graph, {
    ...(base ? { base } : {}),
    ...(options.versions ? { versions: options.versions } : {}),
    ...(options.channels ? { channels: options.channels } : {}),
  });
  const nodes = toGraphNodes(selection.entries);
  const findings: Finding[] = [...selection.findings];
  for (const v of selection.unlisted) {
    const parsed = parseReleaseName(v);
    if (!parsed.ok) throw new SigcheckError('USAGE', `--version: ${parsed.reason}`);
    if (mode !== 'pr') {
      findings.push({ severity: 'warning', code: 'VERSION_NOT_IN_GRAPH', message: `${v} is not listed in any channel of ${graph.source}; checking it anyway` });
      nodes.push({ name: v, release: parsed.release, places: [] });
    }
  }

  // Findings: in PR scope only those in files the change touched, so a PR is not blamed for old problems.
  let graphFindings = graph.findings;
  if (base) {
    const baseFindings = new Set(base.findings.map((f) => `${f.file}\0${f.code}\0${f.message.replace(/:\d+|line \d+/g, '')}`));
    graphFindings = graph.findings.filter((f) => !baseFindings.has(`${f.file}\0${f.code}\0${f.message.replace(/:\d+|line \d+/g, '')}`));
  }
  findings.unshift(...graphFindings);
  return { mode, graph, nodes, findings, pathPrefix, ...(baseLabel ? { baseLabel } : {}), ...(headLabel ? { headLabel } : {}) };
}
