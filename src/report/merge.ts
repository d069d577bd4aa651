/**
 * Joins the JSON reports of the shards of one audit into the report an unsharded run would have
 * written: nodes and unpublished pairs in graph order, graph-data findings once, counts recomputed.
 */
import { SigcheckError } from '../model/errors.ts';
import { isArch, type Arch } from '../model/arch.ts';
import { compareReleaseNames, parseReleaseName } from '../model/version.ts';
import { CHANGE_KINDS, compareReports, exitCodeWithChanges, findingKey, type Changes, type FailOn, type PreviousIndex } from './changes.ts';
import { sortFindings, type JsonNode, type JsonReport } from './json.ts';
import { RunTally, noComponents, type ExitCode, type NodeResult } from '../model/results.ts';
import { untrusted } from './safe-text.ts';

function nameOrder(a: string, b: string): number {
  const pa = parseReleaseName(a);
  const pb = parseReleaseName(b);
  if (pa.ok && pb.ok) return compareReleaseNames(pa.release, pb.release);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function toNodeResult(n: JsonNode): NodeResult {
  if (!isArch(n.arch)) throw new SigcheckError('CONFIG', `report node ${untrusted(n.version)} has unknown arch ${untrusted(JSON.stringify(n.arch), 60)}`);
  const r: NodeResult = {
    version: n.version,
    arch: n.arch,
    digest: n.digest,
    places: n.places,
    openpgp: n.openpgp,
    sigstore: n.sigstore,
    // Reports written before payloads were read have neither.
    components: n.components ?? noComponents('skipped', 'not in this report (written by a release-sigcheck that did not check components)'),
    metadata: n.metadata ?? { outcome: 'skipped', reason: 'not in this report (written by a release-sigcheck that did not read payloads)' },
  };
  if (n.tag) r.tag = n.tag;
  if (n.edges) r.edges = n.edges;
  return r;
}

/**
 * Shard reports say which shard they are (K/N): a merge of a partial or doubled set is refused, since
 * it would read as an audit of everything while some releases were checked by no shard.
 */
function checkShards(reports: readonly JsonReport[], label: (i: number) => string): void {
  const sharded = reports.map((r, i) => ({ i, shard: r.shard })).filter((x) => x.shard !== undefined);
  if (sharded.length === 0) return;
  if (sharded.length !== reports.length) {
    const plain = reports.findIndex((r) => r.shard === undefined);
    throw new SigcheckError('CONFIG', `${label(plain)} is not a shard report but ${label(sharded[0]!.i)} is (shard ${sharded[0]!.shard!.index}/${sharded[0]!.shard!.count}): merge the reports of one sharded audit`);
  }
  const count = sharded[0]!.shard!.count;
  const byIndex = new Map<number, number>();
  for (const { i, shard } of sharded) {
    if (shard!.count !== count) throw new SigcheckError('CONFIG', `${label(i)} is shard ${shard!.index}/${shard!.count}, ${label(sharded[0]!.i)} is shard ${sharded[0]!.shard!.index}/${count}: they are not shards of one audit`);
    const before = byIndex.get(shard!.index);
    if (before !== undefined) throw new SigcheckError('CONFIG', `${label(before)} and ${label(i)} are both shard ${shard!.index}/${count}`);
    byIndex.set(shard!.index, i);
  }
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) {
    throw new SigcheckError('CONFIG', `shard${missing.length === 1 ? '' : 's'} ${missing.map((k) => `${k}/${count}`).join(', ')} missing: got ${[...byIndex.keys()].sort((a, b) => a - b).map((k) => `${k}/${count}`).join(', ')}; a partial merge would pass releases that no shard checked. Pass every shard's report (did a shard job fail?)`);
  }
}

export interface MergeOptions {
  /** Compare the merged report with this previous report (replaces the shards' own changes). */
  previous?: PreviousIndex;
  failOn?: FailOn;
}

export function mergeReports(reports: readonly JsonReport[], sources: readonly string[] = [], options: MergeOptions = {}): JsonReport {
  if (reports.length === 0) throw new SigcheckError('USAGE', 'merge-reports needs at least one report');
  const first = reports[0]!;
  const label = (i: number) => sources[i] ?? `report ${i + 1}`;
  reports.forEach((r, i) => {
    if (r.schemaVersion !== first.schemaVersion) throw new SigcheckError('CONFIG', `${label(i)} has schemaVersion ${r.schemaVersion}, ${label(0)} has ${first.schemaVersion}`);
    if (r.releaseRepo !== first.releaseRepo) throw new SigcheckError('CONFIG', `${label(i)} checked ${r.releaseRepo}, ${label(0)} checked ${first.releaseRepo}: they are not shards of one run`);
    if (r.arches.join(',') !== first.arches.join(',') || r.require.join(',') !== first.require.join(',')) {
      throw new SigcheckError('CONFIG', `${label(i)} was run with other --arch or --require options than ${label(0)}: they are not shards of one run`);
    }
  });
  checkShards(reports, label);
  const archOrder = (a: string) => first.arches.indexOf(a as Arch);
  const byNode = (a: { version: string; arch: string }, b: { version: string; arch: string }) => nameOrder(a.version, b.version) || archOrder(a.arch) - archOrder(b.arch);

  const seen = new Map<string, number>();
  const nodes: JsonNode[] = [];
  reports.forEach((r, i) => {
    for (const n of r.nodes) {
      const key = `${n.version}\0${n.arch}`;
      const before = seen.get(key);
      if (before !== undefined) throw new SigcheckError('CONFIG', `${untrusted(n.version)} ${untrusted(n.arch, 20)} is in both ${label(before)} and ${label(i)}: shards overlap`);
      seen.set(key, i);
      nodes.push(n);
    }
  });
  nodes.sort(byNode);
  const unpublished = reports.flatMap((r) => r.unpublished).sort(byNode);
  const findingKeys = new Set<string>();
  const findings = sortFindings(
    reports.flatMap((r) => r.findings).filter((f) => {
      const key = JSON.stringify([f.severity, f.code, f.file, f.line, f.message]);
      if (findingKeys.has(key)) return false;
      findingKeys.add(key);
      return true;
    }),
  );

  const tally = new RunTally();
  for (const n of nodes) tally.addNode(toNodeResult(n));
  for (let i = 0; i < unpublished.length; i++) tally.addUnpublished();
  for (const f of findings) tally.addFinding(f);
  const merged: JsonReport = {
    schemaVersion: first.schemaVersion,
    tool: first.tool,
    mode: first.mode,
    releaseRepo: first.releaseRepo,
    require: first.require,
    arches: first.arches,
    nodes,
    unpublished,
    findings,
    status: tally.status(),
    exitCode: tally.exitCode(),
    counts: tally.counts,
    durationMs: Math.max(...reports.map((r) => r.durationMs)),
  };
  if (first.graphData) merged.graphData = first.graphData;
  const retries = reports.reduce((n, r) => n + (r.retries ?? 0), 0);
  if (reports.some((r) => r.retries !== undefined)) merged.retries = retries;
  // Each shard reads the graphs of its own nodes' channels, so a graph is in one or several shard
  // reports: graphs join as a set (a read beats an error), and what was read is counted once per graph.
  // The comparisons are of each shard's own nodes, so those add up; what a graph serves that graph-data
  // does not promote is a graph-level finding, counted once like the findings are.
  const withGraphs = reports.filter((r) => r.cincinnati !== undefined).map((r) => r.cincinnati!);
  if (withGraphs.length > 0) {
    const sum = (k: 'compared' | 'drift' | 'notServed' | 'tagMissing') => withGraphs.reduce((n, c) => n + c[k], 0);
    const graphs = new Map<string, NonNullable<JsonReport['cincinnati']>['graphs'][number]>();
    for (const c of withGraphs) {
      for (const g of c.graphs) {
        const key = `${g.channel}\0${g.arch}`;
        const known = graphs.get(key);
        if (!known || (known.outcome === 'error' && g.outcome === 'read')) graphs.set(key, g);
      }
    }
    const archIndex = (a: string) => (first.arches as readonly string[]).indexOf(a);
    const list = [...graphs.values()].sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : archIndex(a.arch) - archIndex(b.arch)));
    const total = (k: 'nodes' | 'edges' | 'conditionalEdges') => list.reduce((n, g) => n + g[k], 0);
    merged.cincinnati = {
      url: withGraphs[0]!.url,
      graphs: list,
      nodes: total('nodes'),
      edges: total('edges'),
      conditionalEdges: total('conditionalEdges'),
      compared: sum('compared'),
      drift: sum('drift'),
      notServed: sum('notServed'),
      notPromoted: findings.filter((f) => f.code === 'CINCINNATI_NOT_PROMOTED').length,
      tagMissing: sum('tagMissing'),
    };
  }
  const withEdges = reports.filter((r) => r.edgeCheck !== undefined).map((r) => r.edgeCheck!);
  if (withEdges.length > 0) {
    const sum = (k: keyof NonNullable<JsonReport['edgeCheck']>) => withEdges.reduce((n, e) => n + e[k], 0);
    // Trust sets are counted per shard: the merged figure is the largest shard's, not their union.
    merged.edgeCheck = { nodes: sum('nodes'), edges: sum('edges'), sources: sum('sources'), payloadsRead: sum('payloadsRead'), trustSets: Math.max(...withEdges.map((e) => e.trustSets)), evaluations: sum('evaluations'), signatureFetches: sum('signatureFetches') };
  }
  // Shards that each compared with the previous report: their node changes are disjoint, so they
  // join like the nodes do (merge-reports --previous compares the merged report instead).
  const withChanges = reports.filter((r) => r.changes !== undefined).length;
  if (options.previous) {
    merged.changes = compareReports(options.previous, merged, options.failOn ?? 'any');
    merged.exitCode = exitCodeWithChanges(merged.exitCode as ExitCode, merged.changes);
  } else if (withChanges > 0) {
    if (withChanges !== reports.length) throw new SigcheckError('CONFIG', 'some of the reports were run with --previous and others without: run every shard the same way, or give merge-reports --previous to compare after merging');
    merged.changes = mergeChanges(reports.map((r) => r.changes!), byNode, reports.map((_, i) => label(i)));
    merged.exitCode = exitCodeWithChanges(merged.exitCode as ExitCode, merged.changes);
  }
  return merged;
}

/** Joins the changes of the shards of one run; each node is in one shard, graph-data findings in all. */
export function mergeChanges(list: readonly Changes[], order: (a: { version: string; arch: string }, b: { version: string; arch: string }) => number, labels: readonly string[] = []): Changes {
  const first = list[0]!;
  list.forEach((c, i) => {
    if (c.failOn !== first.failOn || c.previous.file !== first.previous.file) {
      throw new SigcheckError('CONFIG', `${labels[i] ?? `report ${i + 1}`} compared with ${c.previous.file} (--fail-on ${c.failOn}), ${labels[0] ?? 'report 1'} with ${first.previous.file} (--fail-on ${first.failOn}): they are not shards of one run`);
    }
  });
  const seen = new Set<string>();
  const merged: Changes = {
    previous: first.previous,
    failOn: first.failOn,
    compared: list.reduce((n, c) => n + c.compared, 0),
    added: list.reduce((n, c) => n + c.added, 0),
    newlyFailing: [],
    newlyPassing: [],
    newlyErrored: [],
    digestChanged: [],
    signaturesDisappeared: [],
    newFindings: sortFindings(
      list.flatMap((c) => c.newFindings).filter((f) => {
        const key = findingKey(f);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      }),
    ),
    knownFailures: list.reduce((n, c) => n + c.knownFailures, 0),
  };
  for (const kind of CHANGE_KINDS) merged[kind] = list.flatMap((c) => c[kind]).sort(order);
  return merged;
}
