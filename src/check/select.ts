/**
 * Turns the scope flags (--graph-data, --base/--head, --version, --channel) into the graph nodes to
 * check, with the findings of the graph-data that was read.
 */
import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { SigcheckError } from '../model/errors.ts';
import { deepen, isGitCheckout, isShallow, mergeBase, repoPrefix, repoTop, resolveCommit } from '../graph/git.ts';
import { toGraphNodes, type GraphNode } from '../graph/nodes.ts';
import { selectEntries } from '../graph/scope.ts';
import { parseReleaseName } from '../model/version.ts';
import { commitSource, directorySource, readGraphData, type GraphData } from '../graph/walk.ts';
import type { Finding } from '../model/results.ts';
import type { RunMode } from '../model/reporter.ts';

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
  sides: Sides;
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

export async function resolveRefs(dir: string, base: string, head: string, options: Pick<SelectOptions, 'deepen' | 'remote' | 'log'>): Promise<{ mergeBase: string; head: string }> {
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

/**
 * The two sides of a run, resolved once: the checkout as it is (audit, versions), two directories,
 * or two commits (the merge-base and the head) of the repository that holds graph-data.
 */
export type Sides =
  | { kind: 'checkout'; graphDir: string; inGit: boolean; pathPrefix: string }
  | { kind: 'directories'; baseDir: string; headDir: string; pathPrefix: string; baseLabel: string; headLabel: string }
  | { kind: 'commits'; repoDir: string; repoTop: string; prefix: string; mergeBase: string; head: string; pathPrefix: string; baseLabel: string; headLabel: string };

export async function resolveSides(options: Pick<SelectOptions, 'graphData' | 'base' | 'head' | 'deepen' | 'remote' | 'log'>): Promise<Sides> {
  const graphDir = resolve(options.graphData);
  if (options.head !== undefined && options.base === undefined) {
    throw new SigcheckError('USAGE', '--head needs --base: PR scope compares a base with a head (git refs or two directories)');
  }
  const inGit = await isGitCheckout(graphDir).catch(() => false);
  const gitPrefix = inGit ? toPrefix(await repoPrefix(graphDir)) : prefixFor(graphDir);
  if (options.base === undefined) return { kind: 'checkout', graphDir, inGit, pathPrefix: gitPrefix };
  const baseIsDir = await isDirectory(options.base);
  const headArg = options.head ?? (baseIsDir ? graphDir : 'HEAD');
  if (baseIsDir) {
    // Two directories: the head directory is the graph-data that is walked.
    if (!(await isDirectory(headArg))) throw new SigcheckError('USAGE', `--base ${options.base} is a directory, so --head must be one too (got ${headArg})`);
    return {
      kind: 'directories',
      baseDir: resolve(options.base),
      headDir: resolve(headArg),
      pathPrefix: options.head !== undefined ? prefixFor(resolve(headArg)) : gitPrefix,
      baseLabel: options.base,
      headLabel: headArg,
    };
  }
  if (!inGit) throw new SigcheckError('CONFIG', `--base ${options.base} is not a directory, and ${graphDir} is not a git checkout in which it could be a ref`);
  const prefix = await repoPrefix(graphDir);
  const refs = await resolveRefs(graphDir, options.base, headArg, options);
  return {
    kind: 'commits',
    repoDir: graphDir,
    repoTop: await repoTop(graphDir),
    prefix,
    mergeBase: refs.mergeBase,
    head: refs.head,
    pathPrefix: gitPrefix,
    baseLabel: `${options.base} (merge-base ${refs.mergeBase.slice(0, 12)})`,
    headLabel: `${headArg} (${refs.head.slice(0, 12)})`,
  };
}

export async function selectNodes(options: SelectOptions, resolved?: Sides): Promise<Selected> {
  const sides = resolved ?? (await resolveSides(options));
  let graph: GraphData;
  let base: GraphData | undefined;
  let mode: RunMode = 'audit';
  if (sides.kind === 'directories') {
    mode = 'pr';
    base = await readGraphData(directorySource(sides.baseDir));
    graph = await readGraphData(directorySource(sides.headDir));
  } else if (sides.kind === 'commits') {
    mode = 'pr';
    base = await readGraphData(commitSource(sides.repoDir, sides.mergeBase, sides.prefix));
    graph = await readGraphData(commitSource(sides.repoDir, sides.head, sides.prefix));
  } else {
    graph = await readGraphData(directorySource(sides.graphDir));
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

  // Findings: in PR scope only those the change brings, so a PR is not blamed for old problems. A
  // finding is the same when its file, code and subject are, wherever its line moved to.
  let graphFindings = graph.findings;
  if (base) {
    const key = (f: Finding) => `${f.file ?? ''}\0${f.code}\0${f.subject ?? ''}`;
    const baseFindings = new Set(base.findings.map(key));
    graphFindings = graph.findings.filter((f) => !baseFindings.has(key(f)));
  }
  findings.unshift(...graphFindings);
  return {
    mode,
    graph,
    nodes,
    findings,
    sides,
    pathPrefix: sides.pathPrefix,
    ...(sides.kind !== 'checkout' ? { baseLabel: sides.baseLabel, headLabel: sides.headLabel } : {}),
  };
}
