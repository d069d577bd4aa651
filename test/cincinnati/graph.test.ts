/**
 * parseCincinnatiGraph over the real Cincinnati answers of the e2e fixtures (every node, edge and
 * conditional edge counted independently from the raw JSON), and over hostile answers: not JSON, not a
 * graph, indexes out of range, payloads by tag, in another repository, with a disagreeing manifestref,
 * duplicate versions, conditional edges naming unknown versions, and answers over the caps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSigcheckError } from '../../src/model/errors.ts';
import { GRAPH_MAX_BYTES, GRAPH_MAX_NODES, GRAPH_MAX_VALUES, MANIFESTREF_KEY, parseCincinnatiGraph, type CincinnatiGraph } from '../../src/cincinnati/graph.ts';
import { fakeDigest } from '../helpers/fakes.ts';
import { CINCINNATI_GRAPH } from '../helpers/paths.ts';
import { GRAPH_FILES, RELEASE_REPO, channelFile, graphBytes, rawGraph, rawInto } from './fixtures.ts';

const enc = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v)));
const parse = (v: unknown, repo = RELEASE_REPO) => parseCincinnatiGraph(enc(v), 'the test graph', repo);

/** The message of the CINCINNATI_GRAPH error parsing `v` throws (fails the test when it does not). */
function refusal(v: unknown): string {
  try {
    parse(v);
  } catch (err) {
    if (isSigcheckError(err, 'CINCINNATI_GRAPH')) return err.message;
    throw err;
  }
  throw new Error('expected the graph to be refused');
}

const node = (version: string, digest = fakeDigest(version), extra: Record<string, unknown> = {}) => ({ version, payload: `${RELEASE_REPO}@${digest}`, metadata: { [MANIFESTREF_KEY]: digest }, ...extra });

describe('the real Cincinnati answers (openshift/cincinnati e2e testdata)', () => {
  const totals = { graphs: 0, nodes: 0, edges: 0, conditionalEdgeGroups: 0, conditionalEdges: 0 };
  const parsed = new Map<string, CincinnatiGraph>();

  afterAll(() => {
    console.log(
      `cincinnati fixtures: ${totals.graphs} graphs, ${totals.nodes} nodes, ${totals.edges} edges, ${totals.conditionalEdges} conditional edges (in ${totals.conditionalEdgeGroups} conditionalEdges entries) read`,
    );
  });

  it('there are the four recorded graphs', () => {
    expect(GRAPH_FILES.map((g) => `${g.channel}/${g.arch}`)).toEqual(['candidate-4.12/multi', 'stable-4.7/amd64', 'stable-4.7/s390x', 'stable-4.9/amd64']);
  });

  it.each(GRAPH_FILES)('$channel $arch: every node, edge and conditional edge, as the raw JSON has them', ({ channel, arch }) => {
    const raw = rawGraph(channel, arch);
    const g = parseCincinnatiGraph(graphBytes(channel, arch), `${channel} ${arch}`, RELEASE_REPO);
    parsed.set(`${channel}/${arch}`, g);

    const conditional = (raw.conditionalEdges ?? []).reduce((n, c) => n + c.edges.length, 0);
    expect(g.unusable).toEqual([]);
    expect(g.nodes.size).toBe(raw.nodes.length);
    expect(g.edges).toBe(raw.edges.length);
    expect(g.conditionalEdges).toBe(conditional);

    raw.nodes.forEach((n, i) => {
      const at = n.payload.indexOf('@');
      expect(n.payload.slice(0, at)).toBe(RELEASE_REPO);
      expect(g.nodes.get(n.version)).toEqual({ version: n.version, digest: n.payload.slice(at + 1), index: i });
      // The scraper's manifestref is the payload's digest on every real node.
      expect(n.metadata?.[MANIFESTREF_KEY]).toBe(g.nodes.get(n.version)!.digest);
    });

    const into = rawInto(raw);
    expect(new Set(g.into.keys())).toEqual(new Set(into.keys()));
    for (const [to, from] of into) expect(g.into.get(to)).toEqual(from);

    totals.graphs++;
    totals.nodes += g.nodes.size + g.unusable.length;
    totals.edges += g.edges;
    totals.conditionalEdges += g.conditionalEdges;
    totals.conditionalEdgeGroups += (raw.conditionalEdges ?? []).length;
  });

  it('the counts the fixtures README states', () => {
    const readme = readFileSync(join(CINCINNATI_GRAPH, 'README.md'), 'utf8');
    expect(readme).toContain('candidate-4.12_multi_v1.json  (5 nodes');
    expect(readme).toContain('stable-4.7_amd64_v1.json      (102 nodes, 2 conditionalEdges)');
    expect(readme).toContain('stable-4.9_amd64_v1.json      (90 nodes)');
    expect(readme).toContain('stable-4.7: 102 == 102 nodes; stable-4.9: 90 == 90; candidate-4.12 multi: 35 channel versions, only 5 in the multi graph');

    const g = (key: string) => {
      const [channel, arch] = key.split('/') as [string, string];
      return parseCincinnatiGraph(graphBytes(channel, arch), key, RELEASE_REPO);
    };
    const a47 = g('stable-4.7/amd64');
    const s47 = g('stable-4.7/s390x');
    expect(a47.nodes.size).toBe(102);
    expect(rawGraph('stable-4.7', 'amd64').conditionalEdges).toHaveLength(2);
    expect(a47.conditionalEdges).toBe(13); // the two entries hold 4 + 9 edges, all into 4.7.4
    expect(a47.into.get('4.7.4')?.size).toBeGreaterThanOrEqual(13);
    expect(g('stable-4.9/amd64').nodes.size).toBe(90);
    expect(g('candidate-4.12/multi').nodes.size).toBe(5);

    // stable-4.7 s390x: the same 102 versions, every one with another (per-architecture) digest.
    expect(new Set(s47.nodes.keys())).toEqual(new Set(a47.nodes.keys()));
    for (const [v, n] of s47.nodes) expect(n.digest).not.toBe(a47.nodes.get(v)!.digest);

    // Channel versions against graph nodes, as the README says.
    const versions = (channel: string) => new Set(channelFile(channel).entries.map((e) => e.release.version));
    expect(versions('stable-4.7')).toEqual(new Set(a47.nodes.keys()));
    expect(versions('stable-4.9')).toEqual(new Set(g('stable-4.9/amd64').nodes.keys()));
    const c412 = versions('candidate-4.12');
    const multi = g('candidate-4.12/multi');
    expect(c412.size).toBe(35);
    expect([...multi.nodes.keys()].sort()).toEqual(['4.12.0-rc.0', '4.12.0-rc.1', '4.12.0-rc.2', '4.12.0-rc.3', '4.12.0-rc.4']);
    for (const v of multi.nodes.keys()) expect(c412.has(v)).toBe(true);
  });

  it('another release repository makes every real node unusable, and none is compared', () => {
    const g = parseCincinnatiGraph(graphBytes('stable-4.9', 'amd64'), 'stable-4.9', 'quay.io/openshift-release-dev/ocp-release-nightly');
    expect(g.nodes.size).toBe(0);
    expect(g.unusable).toHaveLength(rawGraph('stable-4.9', 'amd64').nodes.length);
    expect(g.unusable.every((u) => u.reason === 'its payload is not in quay.io/openshift-release-dev/ocp-release-nightly, the release repository checked')).toBe(true);
    // Edges are still counted: they name versions, whatever the payloads.
    expect(g.edges).toBe(rawGraph('stable-4.9', 'amd64').edges.length);
  });
});

describe('a minimal graph', () => {
  it('nodes, edges and conditional edges, each source once', () => {
    const g = parse({
      version: 1,
      nodes: [node('4.1.0'), node('4.1.1'), node('4.1.2')],
      edges: [[0, 2], [1, 2], [0, 2]],
      conditionalEdges: [{ edges: [{ from: '4.1.1', to: '4.1.2' }, { from: '4.1.0', to: '4.1.1' }], risks: [] }],
    });
    expect([...g.nodes.keys()]).toEqual(['4.1.0', '4.1.1', '4.1.2']);
    expect(g.nodes.get('4.1.1')).toEqual({ version: '4.1.1', digest: fakeDigest('4.1.1'), index: 1 });
    expect(g.edges).toBe(3);
    expect(g.conditionalEdges).toBe(2);
    expect(g.into.get('4.1.2')).toEqual(new Set(['4.1.0', '4.1.1']));
    expect(g.into.get('4.1.1')).toEqual(new Set(['4.1.0']));
    expect(g.into.has('4.1.0')).toBe(false);
  });

  it('no edges and no conditionalEdges keys: an empty graph of nodes', () => {
    const g = parse({ nodes: [node('4.1.0')] });
    expect(g).toMatchObject({ edges: 0, conditionalEdges: 0, unusable: [] });
    expect(g.into.size).toBe(0);
  });

  it('a node without a manifestref is usable (the key is optional)', () => {
    const g = parse({ nodes: [{ version: '4.1.0', payload: `${RELEASE_REPO}@${fakeDigest('x')}` }] });
    expect(g.nodes.get('4.1.0')?.digest).toBe(fakeDigest('x'));
  });
});

describe('hostile answers are refused (CINCINNATI_GRAPH), naming where', () => {
  it('not JSON', () => {
    expect(refusal('<html>503 Service Unavailable</html>')).toMatch(/^the test graph: is not valid JSON \(/);
    expect(refusal('{"nodes": [], "nodes": []}')).toMatch(/is not valid JSON/); // duplicate keys: strict JSON
    expect(refusal(new Uint8Array([0x7b, 0xff, 0x7d]))).toMatch(/is not valid JSON/);
  });

  it('not an object, or no nodes list', () => {
    expect(refusal([])).toBe('the test graph: is not a JSON object');
    expect(refusal({ edges: [] })).toBe('the test graph: has no "nodes" list: it is not a Cincinnati graph');
    expect(refusal({ nodes: {} })).toMatch(/has no "nodes" list/);
  });

  it('a node that is not an object, a version that is not a string or not SemVer', () => {
    expect(refusal({ nodes: [1] })).toBe('the test graph nodes[0]: is not an object');
    expect(refusal({ nodes: [{ version: 4.1 }] })).toBe('the test graph nodes[0].version: is not a string');
    expect(refusal({ nodes: [node('4.1.0'), node('4.1')] })).toMatch(/^the test graph nodes\[1\]\.version: "4\.1" is not a valid SemVer version/);
  });

  it('edges not a list, an edge not a pair', () => {
    expect(refusal({ nodes: [node('4.1.0')], edges: {} })).toBe('the test graph edges: is not a list');
    expect(refusal({ nodes: [node('4.1.0')], edges: [[0]] })).toBe('the test graph edges[0]: is not a [from, to] pair of node indexes');
    expect(refusal({ nodes: [node('4.1.0')], edges: [[0, 0, 0]] })).toMatch(/edges\[0\]: is not a \[from, to\] pair/);
  });

  it('an edge index out of range, negative, fractional or not a number', () => {
    const nodes = [node('4.1.0'), node('4.1.1')];
    expect(refusal({ nodes, edges: [[0, 1], [0, 2]] })).toBe('the test graph edges[1][1]: 2 is not the index of one of the 2 nodes');
    expect(refusal({ nodes, edges: [[-1, 1]] })).toBe('the test graph edges[0][0]: -1 is not the index of one of the 2 nodes');
    expect(refusal(`{"nodes":${JSON.stringify(nodes)},"edges":[[0,1.0]]}`)).toBe('the test graph edges[0][1]: is not a node index');
    expect(refusal(`{"nodes":${JSON.stringify(nodes)},"edges":[[1e0,1]]}`)).toBe('the test graph edges[0][0]: is not a node index');
    expect(refusal({ nodes, edges: [['0', 1]] })).toBe('the test graph edges[0][0]: is not a node index');
    expect(refusal({ nodes: [], edges: [[0, 0]] })).toBe('the test graph edges[0][0]: 0 is not the index of one of the 0 nodes');
  });

  it('conditionalEdges not a list, an entry without edges, an edge not a pair of versions', () => {
    const nodes = [node('4.1.0'), node('4.1.1')];
    expect(refusal({ nodes, conditionalEdges: {} })).toBe('the test graph conditionalEdges: is not a list');
    expect(refusal({ nodes, conditionalEdges: [{ risks: [] }] })).toBe('the test graph conditionalEdges[0]: has no "edges" list');
    expect(refusal({ nodes, conditionalEdges: [{ edges: [[0, 1]] }] })).toBe('the test graph conditionalEdges[0].edges[0]: is not a {from, to} pair of versions');
    expect(refusal({ nodes, conditionalEdges: [{ edges: [{ from: '4.1.0', to: 1 }] }] })).toMatch(/is not a \{from, to\} pair of versions/);
  });

  it('a conditional edge naming a version that is not a node', () => {
    const nodes = [node('4.1.0'), node('4.1.1')];
    expect(refusal({ nodes, conditionalEdges: [{ edges: [{ from: '4.1.0', to: '4.1.1' }, { from: '4.0.9', to: '4.1.1' }] }] })).toBe(
      'the test graph conditionalEdges[0].edges[1]: names a version that is not a node of the graph ("4.0.9" -> "4.1.1")',
    );
    expect(refusal({ nodes, conditionalEdges: [{ edges: [{ from: '4.1.0', to: '4.2.0' }] }] })).toMatch(/names a version that is not a node/);
  });

  it('nesting deeper than the parser reads', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(refusal({ nodes: [{ ...node('4.1.0'), metadata: deep }] })).toMatch(/is not valid JSON \(nesting deeper than 16 levels\)/);
  });
});

describe('nodes kept aside as unusable, never compared or followed', () => {
  const good = fakeDigest('good');

  it('a payload by tag, not by digest: unusable, and the reason says it is not pulled by digest', () => {
    const g = parse({ nodes: [{ version: '4.1.0', payload: `${RELEASE_REPO}:4.1.0-x86_64` }, node('4.1.1')] });
    expect([...g.nodes.keys()]).toEqual(['4.1.1']);
    expect(g.unusable.map((u) => [u.version, u.payload])).toEqual([['4.1.0', `${RELEASE_REPO}:4.1.0-x86_64`]]);
    // The payload is in the release repository, by tag: the finding must not send the reader looking
    // for another repository.
    expect(g.unusable[0]!.reason).toBe('its payload is pulled by tag, not by a sha256 digest (sha256:<64 lowercase hex>)');
  });

  it('a payload whose digest is not sha256:<64 lowercase hex>', () => {
    for (const digest of ['sha256:abc', `sha256:${'A'.repeat(64)}`, `sha512:${'a'.repeat(128)}`, `${good}:latest`]) {
      const g = parse({ nodes: [{ version: '4.1.0', payload: `${RELEASE_REPO}@${digest}` }] });
      expect(g.nodes.size).toBe(0);
      expect(g.unusable).toEqual([{ version: '4.1.0', payload: `${RELEASE_REPO}@${digest}`, reason: 'its payload is not pulled by a sha256 digest (sha256:<64 lowercase hex>)' }]);
    }
  });

  it('a payload in another repository, including one whose name extends the release repository', () => {
    for (const payload of [`quay.io/evil/ocp-release@${good}`, `${RELEASE_REPO}-evil@${good}`, `${RELEASE_REPO}/sub@${good}`, `docker.io/${RELEASE_REPO}@${good}`]) {
      const g = parse({ nodes: [{ version: '4.1.0', payload }] });
      expect(g.nodes.size).toBe(0);
      expect(g.unusable).toEqual([{ version: '4.1.0', payload, reason: `its payload is not in ${RELEASE_REPO}, the release repository checked` }]);
    }
  });

  it('a payload that is not a string; a long payload is cut to 300 characters', () => {
    expect(parse({ nodes: [{ version: '4.1.0' }] }).unusable).toEqual([{ version: '4.1.0', payload: 'undefined', reason: 'its payload is not a string' }]);
    expect(parse({ nodes: [{ version: '4.1.0', payload: 7 }] }).unusable[0]?.payload).toBe('object');
    const long = `quay.io/${'x'.repeat(1000)}@${good}`;
    expect(parse({ nodes: [{ version: '4.1.0', payload: long }] }).unusable[0]?.payload).toBe(long.slice(0, 300));
  });

  it('a manifestref that disagrees with the payload digest', () => {
    const other = fakeDigest('other');
    const g = parse({ nodes: [{ version: '4.1.0', payload: `${RELEASE_REPO}@${good}`, metadata: { [MANIFESTREF_KEY]: other } }] });
    expect(g.nodes.size).toBe(0);
    expect(g.unusable).toEqual([{ version: '4.1.0', payload: `${RELEASE_REPO}@${good}`, reason: `its ${MANIFESTREF_KEY} ${JSON.stringify(other)} is not its payload's digest` }]);
  });

  it('a second node with the same version: the first is kept, the second unusable; edges still name the version', () => {
    const first = fakeDigest('first');
    const second = fakeDigest('second');
    const g = parse({ nodes: [node('4.1.0', first), node('4.1.1'), node('4.1.0', second)], edges: [[2, 1], [0, 1]] });
    expect(g.nodes.get('4.1.0')).toEqual({ version: '4.1.0', digest: first, index: 0 });
    expect(g.unusable).toEqual([{ version: '4.1.0', payload: `${RELEASE_REPO}@${second}`, reason: 'a second node has version 4.1.0 (Cincinnati refuses such a graph: "mismatched manifest ref")' }]);
    expect(g.into.get('4.1.1')).toEqual(new Set(['4.1.0']));
    expect(g.edges).toBe(2);
  });

  it('edges and conditional edges may name an unusable node (the version exists in the graph)', () => {
    const g = parse({
      nodes: [{ version: '4.1.0', payload: `quay.io/elsewhere@${good}` }, node('4.1.1')],
      edges: [[0, 1]],
      conditionalEdges: [{ edges: [{ from: '4.1.1', to: '4.1.0' }], risks: [] }],
    });
    expect(g.into.get('4.1.1')).toEqual(new Set(['4.1.0']));
    expect(g.into.get('4.1.0')).toEqual(new Set(['4.1.1']));
    expect(g.unusable.map((u) => u.version)).toEqual(['4.1.0']);
  });
});

describe('caps', () => {
  it(`more than ${GRAPH_MAX_NODES} nodes is refused before any node is read`, () => {
    // Empty objects: had the nodes been walked, the first would fail as "not a string" version.
    const text = `{"nodes":[${'{},'.repeat(GRAPH_MAX_NODES)}{}]}`;
    expect(refusal(text)).toBe(`the test graph: has ${GRAPH_MAX_NODES + 1} nodes, more than the ${GRAPH_MAX_NODES} this tool reads`);
    // Exactly at the cap the list is walked (and fails on the first node's version).
    expect(refusal(`{"nodes":[${'{},'.repeat(GRAPH_MAX_NODES - 1)}{}]}`)).toBe('the test graph nodes[0].version: is not a string');
  });

  it(`an answer over GRAPH_MAX_BYTES (${GRAPH_MAX_BYTES}) is refused by its size, before it is decoded`, () => {
    // Zero bytes are not JSON at all: the size check has to come first for this message.
    const message = refusal(new Uint8Array(GRAPH_MAX_BYTES + 1));
    expect(message).toBe(`the test graph: is not valid JSON (payload is ${GRAPH_MAX_BYTES + 1} bytes, over the ${GRAPH_MAX_BYTES}-byte limit)`);
  });

  // GRAPH_MAX_EDGES is reached only past GRAPH_MAX_VALUES (each edge is three values), which is tested below.
});

describe('the cost of parsing an answer is bounded before it is parsed', () => {
  it(`refuses an answer of more than GRAPH_MAX_VALUES (${GRAPH_MAX_VALUES}) JSON values, stopping the parse there`, () => {
    // 200,000 edges of two nodes: 1.2 MB, within the byte cap, but 600,000 values (some 200 MB parsed).
    const nodes = [node('4.1.0'), node('4.1.1')];
    const text = `{"nodes":${JSON.stringify(nodes)},"edges":[${'[0,1],'.repeat(199_999)}[0,1]]}`;
    expect(text.length).toBeLessThan(GRAPH_MAX_BYTES);
    expect(refusal(text)).toBe(`the test graph: is not valid JSON (more than ${GRAPH_MAX_VALUES} values)`);
  });

  it('reads the largest real graph at a small share of the cap', () => {
    const bytes = graphBytes('stable-4.7', 'amd64');
    let values = 1;
    for (const b of bytes) if (b === 0x2c || b === 0x5b || b === 0x7b) values++;
    expect(values).toBeLessThan(GRAPH_MAX_VALUES / 40);
    expect(parseCincinnatiGraph(bytes, 'stable-4.7', RELEASE_REPO).edges).toBe(3244);
  });
});
