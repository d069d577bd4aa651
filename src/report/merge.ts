/**
 * Joins the JSON reports of the shards of one audit into the report an unsharded run would have
 * written: nodes and unpublished pairs in graph order, graph-data findings once, counts recomputed.
 */
import { SigcheckError } from '../model/errors.ts';
import { isArch, type Arch } from '../model/arch.ts';
import { compareReleaseNames, parseReleaseName } from '../model/version.ts';
import { sortFindings, type JsonNode, type JsonReport } from './json.ts';
import { RunTally, noComponents, type NodeResult } from '../model/results.ts';

function nameOrder(a: string, b: string): number {
  const pa = parseReleaseName(a);
  const pb = parseReleaseName(b);
  if (pa.ok && pb.ok) return compareReleaseNames(pa.release, pb.release);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function toNodeResult(n: JsonNode): NodeResult {
  if (!isArch(n.arch)) throw new SigcheckError('CONFIG', `report node ${n.version} has unknown arch ${JSON.stringify(n.arch)}`);
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
  return r;
}

export function mergeReports(reports: readonly JsonReport[], sources: readonly string[] = []): JsonReport {
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
  const archOrder = (a: string) => first.arches.indexOf(a as Arch);
  const byNode = (a: { version: string; arch: string }, b: { version: string; arch: string }) => nameOrder(a.version, b.version) || archOrder(a.arch) - archOrder(b.arch);

  const seen = new Map<string, number>();
  const nodes: JsonNode[] = [];
  reports.forEach((r, i) => {
    for (const n of r.nodes) {
      const key = `${n.version}\0${n.arch}`;
      const before = seen.get(key);
      if (before !== undefined) throw new SigcheckError('CONFIG', `${n.version} ${n.arch} is in both ${label(before)} and ${label(i)}: shards overlap`);
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
  return merged;
}
