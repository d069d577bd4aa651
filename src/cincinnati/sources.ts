/**
 * Which edges lead into a node: the source releases a cluster could update to it from. Pure.
 *
 *  - Audit: the Cincinnati graph of each public channel the node is promoted in, for its architecture
 *    (plain and conditional edges: a cluster that accepts a risk takes a conditional edge and verifies
 *    it like any other). What clusters are offered is exactly that.
 *  - PR scope: the graph is what the pull request will change, so the edges are built as Cincinnati
 *    builds them once it has merged: the node's release-metadata `previous` list (its `next` lists are
 *    not read: ART writes the edges into the newer release; openshift/cincinnati
 *    cincinnati/src/plugins/internal/graph_builder/release.rs), restricted to the versions listed, for
 *    the node's architecture, in the public channels the pull request adds the node to (a channel's
 *    graph holds only its own nodes: policy-engine channel_filter.rs).
 *
 * Only public channels (`channels/`) count: internal channels are never served (graph-data.md 1.1).
 */
import type { Arch } from '../model/arch.ts';
import type { Digest } from '../model/digest.ts';
import type { EdgeTarget } from '../model/edges.ts';
import type { ChannelFile } from '../graph/channels.ts';
import { isPublicChannelFile } from '../graph/channels.ts';
import type { GraphRead } from './read.ts';


export interface EdgeSource {
  /** The source release's version (no build metadata). */
  version: string;
  /** The channels whose graph (or listing) holds the edge; `release-metadata` first in PR scope. */
  via: string[];
}

export interface EdgeSourceList {
  sources: EdgeSource[];
  /** Why some edges could not be determined (a graph that could not be read, a payload without metadata). */
  unknown: string[];
  /** A source whose tag does not exist was not published for the architecture (PR scope), rather than unread (audit: the graph serves it). */
  absentIsUnpublished: boolean;
  /** The graph's payload digest of each source (audit), to name what clusters on it run. */
  served?: Map<string, Digest>;
}

/** The edges into a target, or undefined when nothing offers the target to a cluster in this run. */
export type EdgeSourcesOf = (target: EdgeTarget) => EdgeSourceList | undefined;

function publicChannels(target: EdgeTarget): string[] {
  return [...new Set(target.places.filter((p) => isPublicChannelFile(p.file)).map((p) => p.channel))];
}

/** Audit: the edges of the graphs read, by channel and architecture (`graphs.get(channel)?.get(arch)`). */
export function graphEdgeSources(graphs: ReadonlyMap<string, ReadonlyMap<Arch, GraphRead>>): EdgeSourcesOf {
  return (target) => {
    const channels = publicChannels(target);
    if (channels.length === 0) return undefined;
    const byVersion = new Map<string, EdgeSource>();
    const served = new Map<string, Digest>();
    const unknown: string[] = [];
    for (const channel of channels) {
      const read = graphs.get(channel)?.get(target.arch);
      if (!read) continue;
      if (read.kind === 'error') {
        unknown.push(`the Cincinnati graph of ${channel} (${target.arch}) could not be read (${read.reason}), so the edges it serves into ${target.version} are unknown`);
        continue;
      }
      for (const from of read.graph.into.get(target.version) ?? []) {
        const source = byVersion.get(from) ?? { version: from, via: [] };
        source.via.push(channel);
        byVersion.set(from, source);
        const digest = read.graph.nodes.get(from)?.digest;
        if (digest) served.set(from, digest);
      }
    }
    return { sources: [...byVersion.values()], unknown, absentIsUnpublished: false, served };
  };
}

/** PR scope: release-metadata `previous`, restricted to the versions of the public channels (head side) the node is added to. */
export function metadataEdgeSources(channels: readonly ChannelFile[]): EdgeSourcesOf {
  const byName = new Map<string, ChannelFile[]>();
  for (const c of channels) {
    if (!isPublicChannelFile(c.file)) continue;
    byName.set(c.channel, [...(byName.get(c.channel) ?? []), c]);
  }
  return (target) => {
    const added = publicChannels(target);
    if (added.length === 0) return undefined;
    if (!target.metadata) {
      return { sources: [], unknown: [`the release-metadata of ${target.version} could not be read, so its previous list (the update edges into it) is unknown`], absentIsUnpublished: true };
    }
    const previous = new Set(target.metadata.previous);
    const byVersion = new Map<string, EdgeSource>();
    for (const channel of added) {
      for (const file of byName.get(channel) ?? []) {
        for (const e of file.entries) {
          // `4.2.14+amd64` is listed for amd64 only; a plain name for every architecture.
          if (e.release.arch !== undefined && e.release.arch !== target.arch) continue;
          if (!previous.has(e.release.version)) continue;
          const source = byVersion.get(e.release.version) ?? { version: e.release.version, via: ['release-metadata'] };
          if (!source.via.includes(channel)) source.via.push(channel);
          byVersion.set(e.release.version, source);
        }
      }
    }
    return { sources: [...byVersion.values()], unknown: [], absentIsUnpublished: true };
  };
}
