/**
 * The network acceptance cases through the bundled CLI (built from these sources into a temporary
 * directory, as `npm run bundle` builds dist/), as a user runs it:
 *   - a dead network: the 355 nodes of `--channel stable-4.22` against a host that does not resolve
 *     and against a refused port on 127.0.0.1 end in seconds with exit 3, every check `error`, one
 *     message per host;
 *   - `Retry-After: 999999` with `--timeout 3s --retries 1`: done within 15 s, exit 3;
 *   - `--deadline 2s` against a server that never answers: exit 3 well before the per-request timeout.
 * The bounds are generous acceptance bounds, not benchmarks (bench/ has the figures).
 *
 * No test leaves 127.0.0.1: for the host that does not resolve, the CLI runs with a preload that
 * answers every name lookup with ENOTFOUND, as getaddrinfo does for `nothere.invalid`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../harness/registry.ts';
import { startServer, type TestServer } from '../harness/store.ts';
import { FIXTURES, GRAPH_DATA, PROJECT_ROOT } from '../helpers/paths.ts';

const run = promisify(execFile);
const SIGSTORE_KEY = join(FIXTURES, 'sigstore', 'redhat-release-3-sigstore.pub');
let dir: string;
let cli: string;
let noDns: string;

interface Outcome {
  code: number;
  ms: number;
  stdout: string;
  stderr: string;
}

async function sigcheck(args: string[], nodeArgs: string[] = []): Promise<Outcome> {
  const started = Date.now();
  // No proxy from the machine's environment: these runs are about direct connections.
  const env = { ...process.env, HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' };
  try {
    const { stdout, stderr } = await run(process.execPath, [...nodeArgs, cli, ...args], { env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    return { code: 0, ms: Date.now() - started, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, ms: Date.now() - started, stdout: e.stdout, stderr: e.stderr };
  }
}

interface ReportNode {
  status: string;
  openpgp?: { outcome: string; reason: string };
  sigstore?: { outcome: string; reason: string };
}

/** Distinct reasons of the checks, without the per-node "could not resolve <tag>: " prefix. */
function reasons(nodes: ReportNode[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of nodes) {
    for (const c of [n.openpgp, n.sigstore]) {
      if (!c) continue;
      const r = c.reason.replace(/^could not resolve \S+: /, '');
      out.set(r, (out.get(r) ?? 0) + 1);
    }
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-e2e-network-'));
  const out = join(dir, 'dist');
  await run(process.execPath, [join(PROJECT_ROOT, 'scripts', 'bundle.mjs'), '--out', out]);
  cli = join(out, 'cli.js');
  noDns = join(dir, 'no-dns.cjs');
  await writeFile(
    noDns,
    `const dns = require('node:dns');
dns.lookup = (hostname, options, callback) => {
  if (typeof options === 'function') callback = options;
  const err = Object.assign(new Error('getaddrinfo ENOTFOUND ' + hostname), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname });
  process.nextTick(callback, err);
};
`,
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a dead network fails fast (355 nodes of stable-4.22)', () => {
  const scope = ['--graph-data', GRAPH_DATA, '--channel', 'stable-4.22', '--sigstore-key', SIGSTORE_KEY, '--format', 'json'];

  it('a host that does not resolve: exit 3 in seconds, every check error, one message naming the host', async () => {
    const r = await sigcheck([...scope, '--release-repo', 'nothere.invalid/ocp/release', '--signature-store', 'https://nothere.invalid/sigs'], ['--require', noDns]);
    console.log(`unresolvable host, 355 nodes: exit ${r.code} in ${r.ms} ms`);
    expect(r.code).toBe(3);
    const nodes = (JSON.parse(r.stdout) as { nodes: ReportNode[] }).nodes;
    expect(nodes).toHaveLength(355);
    expect(nodes.every((n) => n.status === 'error' && n.openpgp?.outcome === 'error' && n.sigstore?.outcome === 'error')).toBe(true);
    const distinct = [...reasons(nodes).keys()];
    expect(distinct.length).toBeLessThanOrEqual(2);
    for (const m of distinct) {
      expect(m).toContain('nothere.invalid: the name does not resolve (ENOTFOUND)');
      expect(m).toContain("check the host name, this machine's DNS, and the proxy settings");
      expect(m).not.toContain('transient');
    }
    expect(r.ms).toBeLessThan(30_000);
  });

  it('a refused port on 127.0.0.1: exit 3 in seconds, every check error', async () => {
    const port = await freePort();
    const r = await sigcheck([...scope, '--release-repo', `http://127.0.0.1:${port}/ocp/release`, '--signature-store', `http://127.0.0.1:${port}/sigs`]);
    console.log(`refused port, 355 nodes: exit ${r.code} in ${r.ms} ms`);
    expect(r.code).toBe(3);
    const nodes = (JSON.parse(r.stdout) as { nodes: ReportNode[] }).nodes;
    expect(nodes).toHaveLength(355);
    expect(nodes.every((n) => n.status === 'error')).toBe(true);
    for (const m of reasons(nodes).keys()) expect(m).toContain(`127.0.0.1:${port}: the connection was refused`);
    expect(r.ms).toBeLessThan(30_000);
  });
});

describe('waits are bounded', () => {
  let busy: TestServer;
  let stalling: TestServer;

  beforeAll(async () => {
    busy = await startServer((_req, res) => res.writeHead(503, { 'retry-after': '999999' }).end('busy'));
    stalling = await startServer(() => undefined);
  });

  afterAll(async () => {
    await busy?.stop();
    await stalling?.stop();
  });

  it('Retry-After: 999999 with --timeout 3s --retries 1: done within 15 s, exit 3', async () => {
    const r = await sigcheck([
      '--graph-data',
      GRAPH_DATA,
      '--version',
      '4.22.11',
      '--release-repo',
      `http://${busy.host}/ocp/release`,
      '--signature-store',
      `http://${busy.host}/sigs`,
      '--sigstore-key',
      SIGSTORE_KEY,
      '--timeout',
      '3s',
      '--retries',
      '1',
      '--format',
      'json',
    ]);
    console.log(`Retry-After: 999999, --timeout 3s --retries 1: exit ${r.code} in ${r.ms} ms`);
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(15_000);
    const nodes = (JSON.parse(r.stdout) as { nodes: ReportNode[] }).nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const m of reasons(nodes).keys()) expect(m).toContain(`${busy.host} asked to wait 999999 s before trying again`);
  });

  it('--deadline 2s against a server that never answers: exit 3, long before --timeout 60s', async () => {
    const r = await sigcheck([
      '--graph-data',
      GRAPH_DATA,
      '--version',
      '4.22.11',
      '--release-repo',
      `http://${stalling.host}/ocp/release`,
      '--signature-store',
      `http://${stalling.host}/sigs`,
      '--sigstore-key',
      SIGSTORE_KEY,
      '--timeout',
      '60s',
      '--deadline',
      '2s',
      '--format',
      'json',
    ]);
    console.log(`--deadline 2s, stalled server: exit ${r.code} in ${r.ms} ms`);
    expect(r.code).toBe(3);
    expect(r.ms).toBeLessThan(20_000);
    const nodes = (JSON.parse(r.stdout) as { nodes: ReportNode[] }).nodes;
    expect(nodes.every((n) => n.status === 'error')).toBe(true);
    for (const m of reasons(nodes).keys()) expect(m).toContain("the run's deadline");
  });
});
