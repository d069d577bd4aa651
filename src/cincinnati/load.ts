/**
 * Sets up the two checks of this folder for one run, reading what they need before any node is
 * checked: in audit mode the Cincinnati graph of every public channel the run checks, for every
 * architecture it checks (the cross-check and the edges into each node), in PR scope nothing (the
 * edges come from each node's release-metadata and the head's channels). The version scope
 * (`--release`) judges no edges: nothing says which channels its releases will be offered in.
 */
import pLimit from 'p-limit';
import type { Arch } from '../model/arch.ts';
import type { EdgeChecker } from '../model/edges.ts';
import type { RunMode } from '../model/reporter.ts';
import type { FetchStoreSignature, SigstoreSource } from '../model/sources.ts';
import type { ChannelFile } from '../graph/channels.ts';
import type { GraphNode } from '../graph/nodes.ts';
import { CincinnatiCrossCheck, type ChannelGraph } from './cross-check.ts';
import { createEdgeChecker } from './edges.ts';
import type { CincinnatiReader, GraphRead } from './read.ts';
import { isPublicChannelFile } from '../graph/channels.ts';
import { graphEdgeSources, metadataEdgeSources, type EdgeSourcesOf } from './sources.ts';

/** Graphs read at once (one request each; the HTTP client limits each host too). */
const GRAPHS_IN_FLIGHT = 8;

export interface EdgeNetwork {
  /** B's signatures through the memo its own check filled (memo.ts), counted as the edge check's. */
  fetchStoreSignature: FetchStoreSignature;
  sigstoreSource: SigstoreSource;
  signatureFetches(): number;
  /** The graph API, when `--cincinnati` names one. */
  cincinnati?: CincinnatiReader;
}

export interface EdgeRunInput {
  mode: RunMode;
  /** The selected nodes (their places say which channels they are promoted in). */
  nodes: readonly GraphNode[];
  /** graph-data's channel files as read (the head's in PR scope). */
  channels: readonly ChannelFile[];
  arches: readonly Arch[];
  stores: string[];
  identityRepo: string;
  concurrency: number;
  network: EdgeNetwork;
}

export interface EdgeRun {
  crossCheck?: CincinnatiCrossCheck;
  edges?: EdgeChecker;
}

/** The graphs of the public channels the selected nodes are promoted in, for each architecture. */
export async function readChannelGraphs(reader: CincinnatiReader, nodes: readonly GraphNode[], arches: readonly Arch[]): Promise<ChannelGraph[]> {
  const channels = new Map<string, string>();
  for (const n of nodes) for (const p of n.places) if (isPublicChannelFile(p.file) && !channels.has(p.channel)) channels.set(p.channel, p.file);
  const limit = pLimit(GRAPHS_IN_FLIGHT);
  const wanted = [...channels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).flatMap(([channel, file]) => arches.map((arch) => ({ channel, file, arch })));
  return Promise.all(wanted.map(async (w) => ({ ...w, read: await limit(() => reader.read(w.channel, w.arch)) })));
}

export async function loadEdgeRun(input: EdgeRunInput): Promise<EdgeRun> {
  let sourcesOf: EdgeSourcesOf | undefined;
  let crossCheck: CincinnatiCrossCheck | undefined;
  if (input.mode === 'audit' && input.network.cincinnati) {
    const graphs = await readChannelGraphs(input.network.cincinnati, input.nodes, input.arches);
    crossCheck = new CincinnatiCrossCheck({ url: input.network.cincinnati.base, graphs, channels: input.channels });
    const byChannel = new Map<string, Map<Arch, GraphRead>>();
    for (const g of graphs) {
      let m = byChannel.get(g.channel);
      if (!m) byChannel.set(g.channel, (m = new Map()));
      m.set(g.arch, g.read);
    }
    sourcesOf = graphEdgeSources(byChannel);
  } else if (input.mode === 'pr') {
    sourcesOf = metadataEdgeSources(input.channels);
  }
  if (!sourcesOf) return {};
  const edges = createEdgeChecker({
    sourcesOf,
    stores: input.stores,
    fetch: input.network.fetchStoreSignature,
    sigstoreSource: input.network.sigstoreSource,
    identityRepo: input.identityRepo,
    concurrency: input.concurrency,
    signatureFetches: () => input.network.signatureFetches(),
  });
  return { ...(crossCheck ? { crossCheck } : {}), edges };
}
