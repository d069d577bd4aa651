/**
 * The Cincinnati cross-check (graph-data.md 4.2 step 5): clusters are offered the payload digests the
 * graph of their channel and architecture lists, not what a tag points to now. For every node the
 * graph serves, its digest must be the one this run resolved and checked. Pure: it sees the run's
 * results as they are decided (RunObserver) and decides its findings once every node is in.
 *
 * Findings, per (channel, architecture) read:
 *  - CINCINNATI_DRIFT (error): the same version and architecture, another digest (a tag moved after
 *    Cincinnati scraped, or the scraper took another image): clusters get the graph's digest, which
 *    is not the one checked;
 *  - CINCINNATI_TAG_MISSING (error): the graph serves a node whose tag does not exist, so nothing
 *    clusters get was checked;
 *  - CINCINNATI_NOT_SERVED (warning, on the channel line): a node graph-data promotes and the run
 *    resolved, which the graph does not serve: Cincinnati lags graph-data, or its scraper skipped the
 *    image (it ignores tags it fails to read: release_scrape_dockerv2/registry/mod.rs);
 *  - CINCINNATI_NOT_PROMOTED (warning): a node the graph serves that graph-data does not promote in
 *    that channel (the graph is ahead of this checkout, or serves what graph-data removed);
 *  - CINCINNATI_UNUSABLE_NODE (error): a node whose payload is not a digest of the release repository;
 *  - CINCINNATI_UNAVAILABLE (warning): a graph that could not be read (its nodes' edges are then
 *    `error`, so the run is not passed as checked).
 *
 * Names map as Cincinnati maps them (graph-data README "Release Names"; the served graph strips the
 * architecture, arch_filter.rs): `4.2.14+amd64` in a channel is the amd64 graph's `4.2.14` and no
 * other architecture's; a plain `4.2.14` is every architecture's `4.2.14`.
 */
import type { Arch } from '../model/arch.ts';
import type { CincinnatiGraphStats, CincinnatiStats, RunObserver } from '../model/edges.ts';
import type { Finding, NodeResult, Place, UnpublishedNode } from '../model/results.ts';
import { parseReleaseName } from '../model/version.ts';
import type { ChannelFile } from '../graph/channels.ts';
import type { GraphRead } from './read.ts';
import { isPublicChannelFile } from '../graph/channels.ts';

/** One graph the run read, with the channel file it is the graph of. */
export interface ChannelGraph {
  channel: string;
  arch: Arch;
  /** The channel file (`channels/<channel>.yaml`). */
  file: string;
  read: GraphRead;
}

type Seen = { kind: 'found'; digest: string; tag: string; places: Place[] } | { kind: 'absent'; tag: string; places: Place[] };

export interface CrossCheckInput {
  url: string;
  graphs: readonly ChannelGraph[];
  /** graph-data's public channel files (every entry, whatever the run selected). */
  channels: readonly ChannelFile[];
}

export class CincinnatiCrossCheck implements RunObserver {
  private readonly input: CrossCheckInput;
  private readonly seen = new Map<string, Seen>();
  private counted?: Omit<CincinnatiStats, 'url' | 'graphs' | 'nodes' | 'edges' | 'conditionalEdges'>;

  constructor(input: CrossCheckInput) {
    this.input = input;
  }

  private key(version: string, arch: Arch): string {
    return `${version}\0${arch}`;
  }

  node(result: NodeResult): void {
    const parsed = parseReleaseName(result.version);
    if (!parsed.ok) return;
    const key = this.key(parsed.release.version, result.arch);
    const places = result.places.filter((p) => isPublicChannelFile(p.file));
    const before = this.seen.get(key);
    if (before) {
      before.places.push(...places);
      return;
    }
    // Only what was resolved is compared; a node that could not be resolved is `error` already.
    if (result.digest !== null && result.tag !== undefined) this.seen.set(key, { kind: 'found', digest: result.digest, tag: result.tag, places: [...places] });
  }

  unpublished(node: UnpublishedNode): void {
    const parsed = parseReleaseName(node.version);
    if (!parsed.ok) return;
    const key = this.key(parsed.release.version, node.arch);
    if (!this.seen.has(key)) this.seen.set(key, { kind: 'absent', tag: node.tag, places: [] });
  }

  findings(): Finding[] {
    const out: Finding[] = [];
    const counts = { compared: 0, drift: 0, notServed: 0, notPromoted: 0, tagMissing: 0 };
    const byChannel = new Map(this.input.channels.filter((c) => isPublicChannelFile(c.file)).map((c) => [c.channel, c]));
    for (const g of this.input.graphs) {
      const where = `the Cincinnati graph of ${g.channel} (${g.arch})`;
      if (g.read.kind === 'error') {
        out.push({ severity: 'warning', code: 'CINCINNATI_UNAVAILABLE', message: `${where} could not be read: ${g.read.reason}; its nodes were not compared, and the update edges it serves are unknown (error)`, file: g.file, subject: `${g.channel}/${g.arch}` });
        continue;
      }
      const graph = g.read.graph;
      for (const u of graph.unusable) {
        out.push({ severity: 'error', code: 'CINCINNATI_UNUSABLE_NODE', message: `${where} serves ${u.version} with payload ${u.payload}, but ${u.reason}: clusters in ${g.channel} are offered an image this tool cannot check`, file: g.file, subject: `${u.version}/${g.arch}` });
      }
      const promoted = new Set<string>();
      for (const e of byChannel.get(g.channel)?.entries ?? []) if (e.release.arch === undefined || e.release.arch === g.arch) promoted.add(e.release.version);
      const servedVersions = new Set<string>([...graph.nodes.keys(), ...graph.unusable.map((u) => u.version)]);
      for (const node of graph.nodes.values()) {
        if (!promoted.has(node.version)) {
          counts.notPromoted++;
          out.push({
            severity: 'warning',
            code: 'CINCINNATI_NOT_PROMOTED',
            message: `${where} serves ${node.version} (${node.digest}), which graph-data does not promote in ${g.channel} for ${g.arch}: the graph is ahead of this checkout, or still serves a release graph-data removed`,
            file: g.file,
            subject: `${node.version}/${g.arch}`,
          });
          continue;
        }
        const seen = this.seen.get(this.key(node.version, g.arch));
        if (!seen) continue; // not in this run (another shard, a channel filter), or not resolved
        const place = this.placeIn(seen.places, g.channel) ?? { file: g.file };
        if (seen.kind === 'absent') {
          counts.tagMissing++;
          out.push({
            severity: 'error',
            code: 'CINCINNATI_TAG_MISSING',
            message: `${where} serves ${node.version} ${g.arch} as ${node.digest}, but the tag ${seen.tag} does not exist in the repository read: clusters in ${g.channel} are offered ${node.digest}, which this tool did not check`,
            ...place,
            subject: `${node.version}/${g.arch}`,
          });
          continue;
        }
        counts.compared++;
        if (seen.digest !== node.digest) {
          counts.drift++;
          out.push({
            severity: 'error',
            code: 'CINCINNATI_DRIFT',
            message: `drift: ${where} serves ${node.version} ${g.arch} as ${node.digest}, but the tag ${seen.tag} resolves to ${seen.digest}, the digest this tool checked: clusters in ${g.channel} get ${node.digest} (Cincinnati's), not the checked one (the tag moved after Cincinnati scraped it, or Cincinnati took another image)`,
            ...place,
            subject: `${node.version}/${g.arch}`,
          });
        }
      }
      // What graph-data promotes and the run resolved, that the graph does not serve.
      for (const [key, seen] of this.seen) {
        if (seen.kind !== 'found') continue;
        const [version, arch] = key.split('\0') as [string, Arch];
        if (arch !== g.arch || servedVersions.has(version)) continue;
        const place = this.placeIn(seen.places, g.channel);
        if (!place) continue;
        counts.notServed++;
        out.push({
          severity: 'warning',
          code: 'CINCINNATI_NOT_SERVED',
          message: `${version} ${arch} (${seen.digest}) is promoted in ${g.channel}, but ${where} does not serve it: Cincinnati lags graph-data (it scrapes every few minutes), or its scraper skipped the image (it ignores tags it fails to read); clusters in ${g.channel} are not offered it yet`,
          ...place,
          subject: `${version}/${arch}`,
        });
      }
    }
    this.counted = counts;
    return out;
  }

  private placeIn(places: readonly Place[], channel: string): { file: string; line: number } | undefined {
    const p = places.find((x) => x.channel === channel);
    return p ? { file: p.file, line: p.line } : undefined;
  }

  stats(): CincinnatiStats {
    const graphs: CincinnatiGraphStats[] = this.input.graphs.map((g) =>
      g.read.kind === 'read'
        ? { channel: g.channel, arch: g.arch, outcome: 'read', nodes: g.read.graph.nodes.size + g.read.graph.unusable.length, edges: g.read.graph.edges, conditionalEdges: g.read.graph.conditionalEdges }
        : { channel: g.channel, arch: g.arch, outcome: 'error', nodes: 0, edges: 0, conditionalEdges: 0, reason: g.read.reason },
    );
    const sum = (k: 'nodes' | 'edges' | 'conditionalEdges') => graphs.reduce((n, g) => n + g[k], 0);
    return {
      url: this.input.url,
      graphs,
      nodes: sum('nodes'),
      edges: sum('edges'),
      conditionalEdges: sum('conditionalEdges'),
      ...(this.counted ?? { compared: 0, drift: 0, notServed: 0, notPromoted: 0, tagMissing: 0 }),
    };
  }
}
