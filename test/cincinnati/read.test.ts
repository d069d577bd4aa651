/**
 * CincinnatiReader over a loopback graph API serving the real recorded answers, through the project's
 * HttpClient: the query a cluster sends (channel, arch, Accept: application/json), each graph read
 * once per run, and every failure (a status other than 200, a body that is not a graph, no server)
 * an `error` read with its reason, never a throw.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.ts';
import { CincinnatiReader, graphUrl, type GraphRead } from '../../src/cincinnati/read.ts';
import { freePort } from '../harness/registry.ts';
import { startServer, type TestServer } from '../harness/store.ts';
import { GRAPH_FILES, RELEASE_REPO, graphBytes, rawGraph } from './fixtures.ts';

let api: TestServer;
let elsewhere: TestServer;
let http: HttpClient;

function serveGraphs(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const channel = url.searchParams.get('channel') ?? '';
  const arch = url.searchParams.get('arch') ?? '';
  if (url.pathname === '/moved') {
    res.writeHead(302, { location: `${elsewhere.url}/api/upgrades_info/v1/graph${url.search}` }).end();
    return;
  }
  if (url.pathname !== '/api/upgrades_info/v1/graph') return void res.writeHead(404).end('no such path');
  if (channel === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
  if (channel === 'teapot') return void res.writeHead(418).end('{"kind":"Error"}');
  const known = GRAPH_FILES.find((g) => g.channel === channel && g.arch === arch);
  if (!known) return void res.writeHead(400, { 'content-type': 'application/json' }).end('{"kind":"invalid_params","value":"unknown channel"}');
  res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from(graphBytes(channel, arch)));
}

beforeAll(async () => {
  api = await startServer(serveGraphs);
  elsewhere = await startServer(serveGraphs);
  http = new HttpClient({ timeoutMs: 2000, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 2 } });
});

afterAll(async () => {
  await http.close();
  await api.stop();
  await elsewhere.stop();
});

const base = () => `${api.url}/api/upgrades_info/v1/graph`;

function expectRead(r: GraphRead): Extract<GraphRead, { kind: 'read' }> {
  if (r.kind !== 'read') throw new Error(`expected a graph, got: ${r.reason}`);
  return r;
}

describe('graphUrl', () => {
  it('adds channel and arch to the query as clusters send them', () => {
    expect(graphUrl('https://api.openshift.com/api/upgrades_info/v1/graph', 'stable-4.7', 'amd64')).toBe('https://api.openshift.com/api/upgrades_info/v1/graph?channel=stable-4.7&arch=amd64');
    // The architecture is the graph's own name, never the tag suffix.
    expect(graphUrl('https://x.example/graph', 'candidate-4.12', 'multi')).toBe('https://x.example/graph?channel=candidate-4.12&arch=multi');
    // A query already there is kept; a channel or arch there is replaced, not doubled.
    expect(graphUrl('https://x.example/graph?id=abc&arch=s390x', 'fast-4.9', 'arm64')).toBe('https://x.example/graph?id=abc&arch=arm64&channel=fast-4.9');
  });
});

describe('CincinnatiReader', () => {
  it('reads every recorded graph as the fixture holds it, with Accept: application/json', async () => {
    const reader = new CincinnatiReader(http, base(), RELEASE_REPO);
    expect(reader.base).toBe(base());
    for (const g of GRAPH_FILES) {
      const arch = g.arch as 'amd64' | 's390x' | 'multi';
      const r = expectRead(await reader.read(g.channel, arch));
      const raw = rawGraph(g.channel, g.arch);
      expect(r.graph.nodes.size).toBe(raw.nodes.length);
      expect(r.graph.edges).toBe(raw.edges.length);
      expect(r.url).toBe(`${base()}?channel=${g.channel}&arch=${g.arch}`);
    }
    const asked = api.requests.slice(-GRAPH_FILES.length);
    expect(asked.map((q) => q.path)).toEqual(GRAPH_FILES.map((g) => `/api/upgrades_info/v1/graph?channel=${g.channel}&arch=${g.arch}`));
    for (const q of asked) expect(q.headers.accept).toBe('application/json');
  });

  it('each (channel, arch) once per run, however many ask, at once or later', async () => {
    const reader = new CincinnatiReader(http, base(), RELEASE_REPO);
    const before = api.requests.length;
    const [a, b] = await Promise.all([reader.read('stable-4.9', 'amd64'), reader.read('stable-4.9', 'amd64')]);
    const c = await reader.read('stable-4.9', 'amd64');
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(api.requests.length - before).toBe(1);
    await reader.read('stable-4.7', 'amd64');
    await reader.read('stable-4.7', 's390x');
    expect(api.requests.length - before).toBe(3);
    // Another reader (another run) reads again.
    await new CincinnatiReader(http, base(), RELEASE_REPO).read('stable-4.9', 'amd64');
    expect(api.requests.length - before).toBe(4);
  });

  it('the release repository decides which nodes are usable', async () => {
    const r = expectRead(await new CincinnatiReader(http, base(), 'quay.io/other/release').read('candidate-4.12', 'multi'));
    expect(r.graph.nodes.size).toBe(0);
    expect(r.graph.unusable).toHaveLength(5);
  });

  it('a status other than 200 is an error read naming the status; the query is shown, nothing else', async () => {
    const reader = new CincinnatiReader(http, `${base()}?token=s3cret`, RELEASE_REPO);
    const r = await reader.read('no-such-channel', 'amd64');
    expect(r).toEqual({ kind: 'error', url: `${base()}?channel=no-such-channel&arch=amd64`, reason: `GET ${base()}?channel=no-such-channel&arch=amd64: the graph API answered 400; only 200 (a graph) is an answer` });
    expect(JSON.stringify(r)).not.toContain('s3cret');
    expect((await reader.read('teapot', 'amd64')).kind).toBe('error');
  });

  it('a 200 that is not a graph is an error read with the parser\'s reason', async () => {
    const r = await new CincinnatiReader(http, base(), RELEASE_REPO).read('html', 'amd64');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toMatch(new RegExp(`^the graph of html \\(amd64\\) from ${base().replace(/[.]/g, '\\.')}: is not valid JSON`));
  });

  it('no server: an error read, not a throw', async () => {
    const port = await freePort();
    const r = await new CincinnatiReader(http, `http://127.0.0.1:${port}/graph`, RELEASE_REPO).read('stable-4.7', 'amd64');
    expect(r.kind).toBe('error');
    expect(r.url).toBe(`http://127.0.0.1:${port}/graph?channel=stable-4.7&arch=amd64`);
    expect(r.kind === 'error' && r.reason.length).toBeGreaterThan(0);
  });

  it('a redirect to another origin is followed (the graph API may sit behind one)', async () => {
    const before = elsewhere.requests.length;
    const r = expectRead(await new CincinnatiReader(http, `${api.url}/moved`, RELEASE_REPO).read('stable-4.9', 'amd64'));
    expect(r.graph.nodes.size).toBe(90);
    expect(elsewhere.requests.length - before).toBe(1);
    expect(elsewhere.requests.at(-1)!.path).toBe('/api/upgrades_info/v1/graph?channel=stable-4.9&arch=amd64');
  });
});

describe('what a run keeps of its graphs', () => {
  it('refuses a graph that would take the edges kept in the run past the limit, as an error read', async () => {
    const reader = new CincinnatiReader(http, base(), RELEASE_REPO, { maxEdges: 4000 });
    // stable-4.7 amd64: 3,244 edges and 13 conditional ones; stable-4.9 amd64 would add 2,544 more.
    expect(expectRead(await reader.read('stable-4.7', 'amd64')).graph.edges).toBe(3244);
    const second = await reader.read('stable-4.9', 'amd64');
    expect(second.kind).toBe('error');
    expect(second.kind === 'error' && second.reason).toContain('past 4000');
    // A small graph still fits under what is left.
    expect(expectRead(await reader.read('candidate-4.12', 'multi')).graph.edges).toBe(10);
  });
});
