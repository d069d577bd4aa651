/**
 * The Cincinnati cross-check and the update-edge trust check end to end, through the bundle
 * (`dist/cli.js`; run `npm run bundle` first, or point SIGCHECK_DIST_UNDER_TEST at a build), against
 * docker-registry, a signature store and a Cincinnati-like graph API on loopback (cincinnati-world.ts
 * says what each release ships and what signs it): every scenario gives exactly the expected outcome
 * per node and per edge, in JSON, in audit mode (edges from the graph) and in PR scope (edges from
 * release-metadata `previous`, restricted to the channels the pull request adds the node to).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.ts';
import { PROJECT_ROOT } from '../helpers/paths.ts';
import { startCincinnatiWorld, type CincinnatiWorld } from './cincinnati-world.ts';

const DIST = process.env.SIGCHECK_DIST_UNDER_TEST ?? join(PROJECT_ROOT, 'dist');

let world: CincinnatiWorld;
beforeAll(async () => {
  world = await startCincinnatiWorld();
  await writeFile(join(world.dir, 'auth.json'), '{"auths":{}}\n');
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(DIST, 'cli.js'), ...args],
      { cwd: world.dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: world.dir, REGISTRY_AUTH_FILE: join(world.dir, 'auth.json') }, maxBuffer: 64 * 1024 * 1024, timeout: 170_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0, stdout, stderr }),
    );
  });
}

type Node = JsonReport['nodes'][number];
/** `version`: its edges as `from: outcome`, sorted by source. */
const edgesOf = (report: JsonReport) =>
  Object.fromEntries(report.nodes.map((n) => [n.version, n.edges === undefined ? undefined : Object.fromEntries(n.edges.map((e) => [e.from ?? '?', e.outcome]))]));
const own = (report: JsonReport) => Object.fromEntries(report.nodes.map((n) => [n.version, [n.openpgp.outcome, n.sigstore.outcome, n.metadata?.outcome]]));
const statuses = (report: JsonReport) => Object.fromEntries(report.nodes.map((n) => [n.version, n.status]));

describe('audit with --cincinnati: the graph cross-check and the update edges it serves', () => {
  let report: JsonReport;
  let withoutGraph: JsonReport;
  const node = (version: string): Node => report.nodes.find((n) => n.version === version)!;
  const figures = { withGraph: 0, withoutGraph: 0, storeWith: 0, storeWithout: 0, graphRequests: 0 };

  beforeAll(async () => {
    const api = `${world.cincinnati.url}/api/upgrades_info/graph`;
    world.proxy.resetCounts();
    const storeBefore = world.store.requests.length;
    const run = await cli(['--graph-data', world.graphData, ...world.args(), '--cincinnati', api, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    report = JSON.parse(run.stdout) as JsonReport;
    figures.withGraph = world.proxy.total();
    figures.storeWith = world.store.requests.length - storeBefore;
    figures.graphRequests = world.cincinnati.requests.length;

    world.proxy.resetCounts();
    const storeBetween = world.store.requests.length;
    const none = await cli(['--graph-data', world.graphData, ...world.args(), '--cincinnati', 'none', '--format', 'json']);
    expect(none.stderr).toBe('');
    withoutGraph = JSON.parse(none.stdout) as JsonReport;
    figures.withoutGraph = world.proxy.total();
    figures.storeWithout = world.store.requests.length - storeBetween;
  }, 170_000);

  it("gives each node's own checks as without the graph: B's own trust is fine", () => {
    const expected = {
      '4.70.0': ['verified', 'verified', 'verified'],
      '4.70.1': ['verified', 'verified', 'verified'],
      '4.70.2': ['verified', 'verified', 'verified'],
      '4.70.3': ['verified', 'verified', 'verified'],
      '4.70.4': ['verified', 'verified', 'verified'],
      // Its payload is over the run's download cap: its own release metadata cannot be confirmed.
      '4.70.5': ['verified', 'verified', node('4.70.5').metadata?.outcome === 'error' ? 'error' : 'invalid'],
      '4.70.6': ['verified', 'verified', 'verified'],
      '4.70.7': ['verified', 'verified', 'verified'],
      '4.70.9': ['verified', 'verified', 'verified'],
    };
    expect(own(report)).toEqual(expected);
    expect(own(withoutGraph)).toEqual(expected);
    expect(['error', 'invalid']).toContain(node('4.70.5').metadata?.outcome);
  });

  it('judges exactly the edges the graph serves, with the expected outcome each', () => {
    expect(edgesOf(report)).toEqual({
      '4.70.0': {},
      '4.70.1': { '4.70.0': 'verified' },
      // Key rotation: 4.70.0 ships only K1 and 4.70.2 is signed only with K2; 4.70.1 ships both.
      '4.70.2': { '4.70.0': 'invalid', '4.70.1': 'verified' },
      '4.70.3': {},
      // 4.70.3 runs the release image under a policy with another Sigstore key (a conditional edge).
      '4.70.4': { '4.70.1': 'verified', '4.70.3': 'invalid' },
      '4.70.5': {},
      // 4.70.5's payload cannot be read: its edges are error, never verified.
      '4.70.6': { '4.70.5': 'error' },
      // Promoted in fast-4.70, not served: no edge leads into it yet.
      '4.70.7': {},
      // 4.70.8 is not a node of this run (not promoted), but the graph serves it and its edge.
      '4.70.9': { '4.70.1': 'verified', '4.70.8': 'verified' },
    });
    expect(statuses(report)).toMatchObject({ '4.70.1': 'passed', '4.70.2': 'failed', '4.70.4': 'failed', '4.70.6': 'error', '4.70.9': 'passed' });
  });

  it('names the source release, the key B is signed with and the keys A trusts on a failing edge', () => {
    const edge = node('4.70.2').edges!.find((e) => e.from === '4.70.0')!;
    expect(edge.digest).toBe(world.digests['4.70.0']);
    expect(edge.via).toEqual(['stable-4.70']);
    // Keys are named as everywhere in reports: user id and fingerprint, first and last 8 hex digits.
    const named = (fp: string) => `${fp.slice(0, 8)}...${fp.slice(-8)}`.toUpperCase();
    expect(edge.reason).toContain('update from 4.70.0');
    expect(edge.reason).toMatch(new RegExp(`signed with Release Signer K2 <[^>]+> \\(${named(world.k2.fingerprint)}\\), but no signature of 4\\.70\\.2 verifies under the source release's keyring verifier-public-key-redhat \\(Release Signer K1 <[^>]+> \\(${named(world.k1.fingerprint)}\\)\\)`, 'i'));
    expect(edge.reason).toMatch(/OpenPGP invalid/);
    expect(edge.reason).toMatch(/ImageVerificationFailed/);
    const policy = node('4.70.4').edges!.find((e) => e.from === '4.70.3')!;
    expect(policy.reason).toMatch(/Sigstore invalid/);
    expect(policy.reason).toMatch(/OpenPGP verified/);
    expect(policy.reason).toMatch(/SignatureValidationFailed/);
    const unreadable = node('4.70.6').edges![0]!;
    expect(unreadable.reason).toMatch(/payload of 4\.70\.5 could not be read/);
  });

  it('finds the drift after a retag, the lag and what the graph serves that graph-data does not promote', () => {
    const codes = report.findings.map((f) => `${f.code} ${f.subject ?? ''}`).sort();
    // (4.70.5's own payload, over the cap, is a finding of the metadata check, with or without the graph.)
    expect(codes).toEqual(['CINCINNATI_DRIFT 4.70.9/amd64', 'CINCINNATI_NOT_PROMOTED 4.70.8/amd64', 'CINCINNATI_NOT_SERVED 4.70.7/amd64', 'RELEASE_METADATA_MISMATCH 4.70.5/amd64']);
    const drift = report.findings.find((f) => f.code === 'CINCINNATI_DRIFT')!;
    expect(drift.severity).toBe('error');
    expect(drift.message).toContain(world.digests['4.70.9/scraped']);
    expect(drift.message).toContain(world.digests['4.70.9']);
    expect(drift.message).toMatch(/clusters in fast-4\.70 get/);
    expect(drift).toMatchObject({ file: 'channels/fast-4.70.yaml', line: 6 });
    const lag = report.findings.find((f) => f.code === 'CINCINNATI_NOT_SERVED')!;
    expect(lag).toMatchObject({ severity: 'warning', file: 'channels/fast-4.70.yaml', line: 5 });
    expect(report.findings.find((f) => f.code === 'CINCINNATI_NOT_PROMOTED')?.severity).toBe('warning');
    // No drift in stable-4.70: every node it serves is the digest checked.
    expect(report.findings.filter((f) => f.message.includes('stable-4.70'))).toEqual([]);
    expect(withoutGraph.findings.filter((f) => f.code.startsWith('CINCINNATI'))).toEqual([]);
  });

  it('reads each graph once and reports what it read and what the edge check cost', () => {
    expect(world.cincinnati.requests.map((r) => r.path).sort()).toEqual(['/api/upgrades_info/graph?channel=fast-4.70&arch=amd64', '/api/upgrades_info/graph?channel=stable-4.70&arch=amd64']);
    expect(report.cincinnati).toMatchObject({ nodes: 11, edges: 8, conditionalEdges: 1, compared: 10, drift: 1, notServed: 1, notPromoted: 1, tagMissing: 0 });
    const edgeCheck = report.edgeCheck!;
    // Sources: 4.70.0, .1, .3, .5, .8; trust sets: K1|S1 (4.70.0), K1+K2|S1 (4.70.1, 4.70.8), K1+K2|S2 (4.70.3).
    expect(edgeCheck).toMatchObject({ nodes: 9, edges: 8, sources: 5, trustSets: 3, payloadsRead: 1 });
    // B's signatures come from the memo its own check filled: the edge check fetches only what its own
    // check had no need of (4.70.2's own check stops at its K2 signature; under 4.70.0's K1 the store
    // is asked for the next one, which is not there).
    expect(edgeCheck.signatureFetches).toBe(figures.storeWith - figures.storeWithout);
    expect(edgeCheck.signatureFetches).toBeLessThanOrEqual(1);
    expect(withoutGraph.edgeCheck).toBeUndefined();
    expect(withoutGraph.nodes.every((n) => n.edges === undefined)).toBe(true);
    const extra = figures.withGraph - figures.withoutGraph;
    console.log(
      `edge check: ${edgeCheck.edges} edges into ${edgeCheck.nodes} nodes from ${edgeCheck.sources} sources, ${edgeCheck.trustSets} distinct trust sets, ${edgeCheck.evaluations} signature evaluations; ` +
        `registry requests ${figures.withGraph} with the graph vs ${figures.withoutGraph} without (+${extra}: resolving ${edgeCheck.sources} sources, reading ${edgeCheck.payloadsRead} payload not checked as a node), ` +
        `store requests ${figures.storeWith} vs ${figures.storeWithout}; graph requests ${figures.graphRequests}; ` +
        `per distinct trust set: ${(extra / edgeCheck.trustSets).toFixed(1)} registry requests, ${((figures.storeWith - figures.storeWithout) / edgeCheck.trustSets).toFixed(1)} store requests`,
    );
  });
});

describe('a sharded audit with --cincinnati', () => {
  it('merges into exactly the unsharded report: nodes with their edges, findings, graph figures', async () => {
    const api = `${world.cincinnati.url}/api/upgrades_info/graph`;
    const common = ['--graph-data', world.graphData, ...world.args(), '--cincinnati', api];
    const whole = await cli([...common, '--format', 'json']);
    const files: string[] = [];
    for (const k of [1, 2, 3, 4, 5]) {
      const file = join(world.dir, `shard-${k}.json`);
      const shard = await cli([...common, '--shard', `${k}/5`, '--output', file, '--quiet']);
      expect(shard.stderr).toBe('');
      files.push(file);
    }
    // The last shard (4.70.4 alone) reads only stable-4.70's graph: given first, it must not stand for the others.
    const merged = await cli(['merge-reports', ...files.reverse(), '--format', 'json']);
    expect(merged.stderr).toBe('');
    const a = JSON.parse(whole.stdout) as JsonReport;
    const b = JSON.parse(merged.stdout) as JsonReport;
    expect(b.nodes).toEqual(a.nodes);
    expect(b.findings).toEqual(a.findings);
    expect(b.cincinnati).toEqual(a.cincinnati);
    expect([b.status, b.exitCode, b.counts]).toEqual([a.status, a.exitCode, a.counts]);
  }, 170_000);
});

describe('PR scope: edges from release-metadata, restricted to the channels the pull request adds the node to', () => {
  it('fails the added release on the edge a rotated key breaks, and passes the one that trusts it', async () => {
    const base = join(world.dir, 'pr-base');
    const head = join(world.dir, 'pr-head');
    await mkdir(join(base, 'channels'), { recursive: true });
    await writeFile(join(base, 'channels', 'stable-4.70.yaml'), 'name: stable-4.70\nversions:\n- 4.70.0\n- 4.70.1\n');
    await cp(base, head, { recursive: true });
    await writeFile(join(head, 'channels', 'stable-4.70.yaml'), 'name: stable-4.70\nversions:\n- 4.70.0\n- 4.70.1\n- 4.70.2\n');
    const run = await cli(['--base', base, '--head', head, ...world.args(), '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.nodes.map((n) => n.version)).toEqual(['4.70.2']);
    // previous: 4.69.9 (in no channel of the PR: no edge), 4.70.0 (ships K1 only), 4.70.1 (K1+K2).
    expect(edgesOf(report)).toEqual({ '4.70.2': { '4.70.0': 'invalid', '4.70.1': 'verified' } });
    expect(report.nodes[0]!.edges!.map((e) => e.via)).toEqual([['release-metadata', 'stable-4.70'], ['release-metadata', 'stable-4.70']]);
    expect(report.nodes[0]!.status).toBe('failed');
    expect(report.cincinnati).toBeUndefined();
  }, 120_000);
});
