/**
 * A Cincinnati graph API answer, parsed as its consumers read it: pure, bytes in, a typed graph or a
 * SigcheckError('CINCINNATI_GRAPH') out. Untrusted network input: capped before it is parsed (the
 * reader caps the body), strict JSON, every payload digest validated before it is used.
 *
 * The schema is openshift/cincinnati's (cincinnati/src/lib.rs `Graph` serialisation;
 * docs/design/policy-engine-openapi.yaml components `Graph`, `Node`, `ConditionalEdges`; research
 * graph-data.md 3.3):
 *
 *   { "version": 1,
 *     "nodes": [ { "version": "4.7.0", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:<hex>",
 *                  "metadata": { "io.openshift.upgrades.graph.release.manifestref": "sha256:<hex>", ... } } ],
 *     "edges": [ [fromIndex, toIndex], ... ],
 *     "conditionalEdges": [ { "edges": [ { "from": "4.7.2", "to": "4.7.4" } ], "risks": [ ... ] } ] }
 *
 * The served graph of one channel and architecture has the architecture stripped from its versions
 * (`arch_filter.rs`): node versions are plain versions (`4.2.14`, or the legacy `4.2.10-s390x`), never
 * `4.2.14+amd64`. A conditional edge is an edge too: a cluster that accepts the risk takes it, and
 * verifies the update with its own trust like any other.
 */
import { isDigest, type Digest } from '../model/digest.ts';
import { SigcheckError, describeError } from '../model/errors.ts';
import { parseReleaseName } from '../model/version.ts';
import { JsonNumber, isJsonObject, parseStrictJson, type JsonValue } from '../json/strict.ts';

/** The largest channel served today has some 270 nodes and ~10,000 edges (~1 MiB); 8 MiB is far past any real one. */
export const GRAPH_MAX_BYTES = 8 * 1024 * 1024;
/**
 * JSON values an answer may hold (the strict parser stops there): parsed, each costs some 300 bytes
 * of heap, so an answer of nothing but `[0,1],` pairs would take 600 MB at 8 MiB. A real 102-node
 * graph of 3,244 edges holds about 11,000; the cap keeps the worst answer near 110 MB.
 */
export const GRAPH_MAX_VALUES = 500_000;
/** More nodes and edges than any graph has; a longer list is refused before it is walked. */
export const GRAPH_MAX_NODES = 20_000;
export const GRAPH_MAX_EDGES = 250_000;
/** The key Cincinnati's scraper stores the payload's manifest digest under (release_scrape_dockerv2). */
export const MANIFESTREF_KEY = 'io.openshift.upgrades.graph.release.manifestref';

export interface GraphNode {
  /** The version as served (architecture stripped). */
  version: string;
  /** The payload digest the graph offers clusters, validated. */
  digest: Digest;
  /** Index in the answer's `nodes`. */
  index: number;
}

/** A node served with a payload this tool will not use: another repository, a malformed digest. */
export interface UnusableNode {
  version: string;
  payload: string;
  reason: string;
}

export interface CincinnatiGraph {
  /** By version; the first of two nodes with one version (Cincinnati refuses to build such a graph). */
  nodes: Map<string, GraphNode>;
  /** Edges by target version: the source versions, each once (plain and conditional edges together). */
  into: Map<string, Set<string>>;
  edges: number;
  conditionalEdges: number;
  unusable: UnusableNode[];
}

function invalid(where: string, message: string): never {
  throw new SigcheckError('CINCINNATI_GRAPH', `${where}: ${message}`);
}

function index(v: JsonValue | undefined, where: string, count: number): number {
  if (!(v instanceof JsonNumber) || !v.isIntegerLiteral()) invalid(where, 'is not a node index');
  const n = v.value;
  if (n < 0 || n >= count) invalid(where, `${n} is not the index of one of the ${count} nodes`);
  return n;
}

/**
 * Parses one graph answer. `releaseRepo` is the repository payloads must name (`host/path`, as the
 * release repository's signature identities name it): a node whose payload is anything else than
 * `<releaseRepo>@sha256:<64 hex>` is kept aside in `unusable`, never compared or followed.
 */
export function parseCincinnatiGraph(bytes: Uint8Array, where: string, releaseRepo: string): CincinnatiGraph {
  let doc: JsonValue;
  try {
    doc = parseStrictJson(bytes, { maxBytes: GRAPH_MAX_BYTES, maxDepth: 16, maxValues: GRAPH_MAX_VALUES });
  } catch (err) {
    return invalid(where, `is not valid JSON (${describeError(err)})`);
  }
  if (!isJsonObject(doc)) invalid(where, 'is not a JSON object');
  const nodesJson = doc['nodes'];
  if (!Array.isArray(nodesJson)) invalid(where, 'has no "nodes" list: it is not a Cincinnati graph');
  if (nodesJson.length > GRAPH_MAX_NODES) invalid(where, `has ${nodesJson.length} nodes, more than the ${GRAPH_MAX_NODES} this tool reads`);
  const edgesJson = doc['edges'] ?? [];
  if (!Array.isArray(edgesJson)) invalid(`${where} edges`, 'is not a list');
  if (edgesJson.length > GRAPH_MAX_EDGES) invalid(where, `has ${edgesJson.length} edges, more than the ${GRAPH_MAX_EDGES} this tool reads`);

  const graph: CincinnatiGraph = { nodes: new Map(), into: new Map(), edges: 0, conditionalEdges: 0, unusable: [] };
  const byIndex: (string | undefined)[] = [];
  const prefix = `${releaseRepo}@`;
  nodesJson.forEach((n, i) => {
    const at = `${where} nodes[${i}]`;
    if (!isJsonObject(n)) invalid(at, 'is not an object');
    const version = n['version'];
    if (typeof version !== 'string') invalid(`${at}.version`, 'is not a string');
    const parsed = parseReleaseName(version);
    if (!parsed.ok) invalid(`${at}.version`, parsed.reason);
    byIndex.push(version);
    const payload = n['payload'];
    const unusable = (reason: string) => graph.unusable.push({ version, payload: typeof payload === 'string' ? payload.slice(0, 300) : String(typeof payload), reason });
    if (typeof payload !== 'string') return void unusable('its payload is not a string');
    if (payload.startsWith(`${releaseRepo}:`)) return void unusable('its payload is pulled by tag, not by a sha256 digest (sha256:<64 lowercase hex>)');
    if (!payload.startsWith(prefix)) return void unusable(`its payload is not in ${releaseRepo}, the release repository checked`);
    const digest = payload.slice(prefix.length);
    if (!isDigest(digest)) return void unusable('its payload is not pulled by a sha256 digest (sha256:<64 lowercase hex>)');
    const metadata = n['metadata'];
    const manifestref = isJsonObject(metadata) ? metadata[MANIFESTREF_KEY] : undefined;
    if (manifestref !== undefined && manifestref !== digest) return void unusable(`its ${MANIFESTREF_KEY} ${JSON.stringify(String(manifestref).slice(0, 80))} is not its payload's digest`);
    if (graph.nodes.has(version)) return void unusable(`a second node has version ${version} (Cincinnati refuses such a graph: "mismatched manifest ref")`);
    graph.nodes.set(version, { version, digest, index: i });
  });

  const add = (from: string, to: string) => {
    let set = graph.into.get(to);
    if (!set) graph.into.set(to, (set = new Set()));
    set.add(from);
  };
  edgesJson.forEach((e, i) => {
    const at = `${where} edges[${i}]`;
    if (!Array.isArray(e) || e.length !== 2) invalid(at, 'is not a [from, to] pair of node indexes');
    const from = byIndex[index(e[0], `${at}[0]`, byIndex.length)]!;
    const to = byIndex[index(e[1], `${at}[1]`, byIndex.length)]!;
    graph.edges++;
    add(from, to);
  });

  const conditional = doc['conditionalEdges'] ?? [];
  if (!Array.isArray(conditional)) invalid(`${where} conditionalEdges`, 'is not a list');
  const known = new Set(byIndex);
  conditional.forEach((c, i) => {
    const at = `${where} conditionalEdges[${i}]`;
    if (!isJsonObject(c) || !Array.isArray(c['edges'])) invalid(at, 'has no "edges" list');
    c['edges'].forEach((e, j) => {
      const eat = `${at}.edges[${j}]`;
      if (!isJsonObject(e) || typeof e['from'] !== 'string' || typeof e['to'] !== 'string') invalid(eat, 'is not a {from, to} pair of versions');
      const from = e['from'];
      const to = e['to'];
      if (!known.has(from) || !known.has(to)) invalid(eat, `names a version that is not a node of the graph (${JSON.stringify(from.slice(0, 40))} -> ${JSON.stringify(to.slice(0, 40))})`);
      graph.conditionalEdges++;
      if (graph.edges + graph.conditionalEdges > GRAPH_MAX_EDGES) invalid(where, `has more than the ${GRAPH_MAX_EDGES} edges this tool reads`);
      add(from, to);
    });
  });
  return graph;
}
