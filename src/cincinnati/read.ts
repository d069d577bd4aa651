/**
 * Reads Cincinnati graphs from the graph API, one per (channel, architecture), as clusters ask for
 * them: `GET <url>?channel=<channel>&arch=<arch>` with `Accept: application/json` (openshift/cincinnati
 * docs/design/policy-engine-openapi.yaml, paths `/graph`; commons/src/lib.rs; the cluster-version
 * operator's own request in pkg/cincinnati/cincinnati.go). Through the one HTTP client (retries,
 * budgets, proxies, TLS); the body capped; each graph read once per run.
 *
 * Architecture names are the graph's own, which are graph-data's (`amd64`, `arm64`, `s390x`,
 * `ppc64le`, `multi`: GOARCH names plus `multi`; policy-engine arch_filter.rs), so the tool's
 * architecture is sent as it is, never the tag suffix (`x86_64`).
 */
import type { Arch } from '../model/arch.ts';
import { SigcheckError, describeError, isSigcheckError } from '../model/errors.ts';
import { displayUrl, type HttpClient } from '../http/client.ts';
import { GRAPH_MAX_BYTES, parseCincinnatiGraph, type CincinnatiGraph } from './graph.ts';

/** `read`: a graph; `error`: it could not be read (network, a status other than 200, a body that is not a graph). */
export type GraphRead = { kind: 'read'; graph: CincinnatiGraph; url: string } | { kind: 'error'; reason: string; url: string };

/** The graph URL of one channel and architecture. */
export function graphUrl(base: string, channel: string, arch: Arch): string {
  const url = new URL(base);
  url.searchParams.set('channel', channel);
  url.searchParams.set('arch', arch);
  return url.toString();
}

/**
 * Edges a run keeps over all its graphs (each graph is within its own caps, graph.ts): a full audit of
 * today's graph-data reads some 380 graphs of a few thousand edges each; past this, a graph is not kept.
 */
export const RUN_MAX_EDGES = 8_000_000;

export class CincinnatiReader {
  readonly base: string;
  private readonly http: HttpClient;
  private readonly releaseRepo: string;
  private readonly graphs = new Map<string, Promise<GraphRead>>();
  private edgesKept = 0;
  private readonly maxEdges: number;

  /** `releaseRepo`: the repository node payloads must name (`host/path`). */
  constructor(http: HttpClient, base: string, releaseRepo: string, options: { maxEdges?: number } = {}) {
    this.http = http;
    this.base = base;
    this.releaseRepo = releaseRepo;
    this.maxEdges = options.maxEdges ?? RUN_MAX_EDGES;
  }

  /** The graph of one channel and architecture, read once per run. */
  read(channel: string, arch: Arch): Promise<GraphRead> {
    const key = `${channel}\0${arch}`;
    let p = this.graphs.get(key);
    if (!p) this.graphs.set(key, (p = this.fetch(channel, arch)));
    return p;
  }

  private async fetch(channel: string, arch: Arch): Promise<GraphRead> {
    const url = graphUrl(this.base, channel, arch);
    // The query names only the channel and the architecture; it is shown whole.
    const shown = `${displayUrl(url)}?channel=${channel}&arch=${arch}`;
    let res;
    try {
      res = await this.http.request({ url, headers: { accept: 'application/json' }, maxBytes: GRAPH_MAX_BYTES, what: 'Cincinnati graph', redirects: 'any-origin' });
    } catch (err) {
      return { kind: 'error', url: shown, reason: describeError(err) };
    }
    if (res.status !== 200) return { kind: 'error', url: shown, reason: `GET ${shown}: the graph API answered ${res.status}; only 200 (a graph) is an answer` };
    try {
      const graph = parseCincinnatiGraph(res.body, `the graph of ${channel} (${arch}) from ${displayUrl(url)}`, this.releaseRepo);
      const edges = graph.edges + graph.conditionalEdges;
      if (this.edgesKept + edges > this.maxEdges) {
        return { kind: 'error', url: shown, reason: `the graph of ${channel} (${arch}) would take the edges read in this run past ${this.maxEdges}, more than any real set of graphs holds; it is not kept` };
      }
      this.edgesKept += edges;
      return { kind: 'read', url: shown, graph };
    } catch (err) {
      if (isSigcheckError(err, 'CINCINNATI_GRAPH')) return { kind: 'error', url: shown, reason: err.message };
      throw err instanceof SigcheckError ? err : new SigcheckError('INTERNAL', describeError(err), { cause: err });
    }
  }
}
