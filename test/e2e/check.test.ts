/**
 * End to end over real servers: the CLI against Debian's docker-registry and a signature store, with
 * OpenPGP signatures made by gpg and cosign-format .sig tags. Every broken kind of release gives
 * exactly the expected outcome per node and check, in JSON, JUnit and SARIF, and the annotations
 * point at the promoting lines.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { JsonReport } from '../../src/report/json.ts';
import { Capture } from '../helpers/fakes.ts';
import { startWorld, type World } from './world.ts';
import { FAULT_KINDS, startFaultProxy, type FaultProxy } from '../harness/fault-proxy.ts';
import { PR_REPLAY } from '../helpers/paths.ts';
import { commitTree, git, initRepo } from '../helpers/git.ts';
import { writeFile } from 'node:fs/promises';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

async function cli(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const EXPECTED: Record<string, [string, string]> = {
  '4.50.0/amd64': ['verified', 'verified'],
  '4.50.0/arm64': ['verified', 'verified'],
  '4.50.0/multi': ['verified', 'verified'],
  '4.50.1/amd64': ['missing', 'missing'],
  '4.50.2/amd64': ['invalid', 'verified'],
  '4.50.3/amd64': ['invalid', 'invalid'],
  '4.50.4/amd64': ['verified', 'missing'],
  '4.50.5/multi': ['verified', 'missing'],
};

describe('release-sigcheck check over a real registry and store', () => {
  it('gives exactly the expected outcome per node and check, in JSON, JUnit and SARIF, with annotations on the right lines', async () => {
    const out = join(world.dir, 'out');
    const stdout: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      stdout.push(String(c));
      return true;
    });
    let r;
    try {
      r = await cli('--graph-data', world.graphData, ...world.args(), '--format', 'github', '--output', join(out, 'r.json'), '--output', join(out, 'r.xml'), '--output', join(out, 'r.sarif'));
    } finally {
      vi.restoreAllMocks();
    }
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);

    const report = JSON.parse(await readFile(join(out, 'r.json'), 'utf8')) as JsonReport;
    const got = Object.fromEntries(report.nodes.map((n) => [`${n.version}/${n.arch}`, [n.openpgp.outcome, n.sigstore.outcome]]));
    expect(got).toEqual(EXPECTED);
    for (const n of report.nodes) expect(n.digest).toBe(world.digests.get(`${n.version}/${n.arch}`));
    const node = (key: string) => report.nodes.find((n) => `${n.version}/${n.arch}` === key)!;
    expect(node('4.50.2/amd64').openpgp.reason).toMatch(/DIGEST_MISMATCH/);
    expect(node('4.50.2/amd64').openpgp.reason).toContain(world.digests.get('4.50.0/amd64'));
    expect(node('4.50.3/amd64').openpgp.reason).toMatch(/UNTRUSTED_KEY/);
    expect(node('4.50.4/amd64').sigstore.reason).toMatch(/bundle .*CRI-O does not read/);
    expect(node('4.50.5/multi').sigstore.reason).toContain(`${world.digests.get('4.50.5/multi/arm64')} (arm64) missing`);
    expect(node('4.50.5/multi').sigstore.instances?.filter((i) => i.outcome === 'verified')).toHaveLength(3);
    expect(node('4.50.1/amd64').places).toEqual([
      { file: 'channels/candidate-4.50.yaml', line: 4, channel: 'candidate-4.50' },
      { file: 'channels/fast-4.50.yaml', line: 4, channel: 'fast-4.50' },
    ]);
    // unpublished architectures are reported, not failed; 4.50.5 exists only as a manifest list
    expect(report.unpublished.map((u) => `${u.version}/${u.arch}`)).toEqual(expect.arrayContaining(['4.50.1/arm64', '4.50.1/multi', '4.50.5/amd64', '4.50.5/arm64']));
    expect(report.counts).toMatchObject({ nodes: 8, passed: 3, failed: 5, errored: 0 });

    // JUnit: the same verdicts as failures
    const junit = await readFile(join(out, 'r.xml'), 'utf8');
    for (const [key, [openpgp, sigstore]] of Object.entries(EXPECTED)) {
      const [version, arch] = key.split('/');
      for (const [check, outcome] of [['openpgp', openpgp], ['sigstore', sigstore]] as const) {
        const testcase = new RegExp(`<testcase classname="release-sigcheck\\.${check}" name="${version!.replace(/\./g, '\\.')} ${arch}"[^>]*>(\\n\\s+<failure type="(\\w+)")?`);
        const m = testcase.exec(junit);
        expect(m, `${key} ${check}`).not.toBeNull();
        expect(m![2] ?? 'verified', `${key} ${check}`).toBe(outcome);
      }
    }

    // SARIF: one result per failed check and place, on the promoting line
    const sarif = JSON.parse(await readFile(join(out, 'r.sarif'), 'utf8'));
    const results = sarif.runs[0].results as { ruleId: string; properties: { version: string; arch: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    const failed = Object.entries(EXPECTED).flatMap(([key, [o, s]]) => [o === 'verified' ? [] : [`${key}/openpgp-${o}`], s === 'verified' ? [] : [`${key}/sigstore-${s}`]].flat());
    const sarifKeys = new Set(results.map((x) => `${x.properties.version}/${x.properties.arch}/${x.ruleId}`));
    expect([...sarifKeys].sort()).toEqual(failed.sort());
    const fast = results.find((x) => x.properties.version === '4.50.1' && x.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('fast-4.50.yaml'));
    expect(fast!.locations[0]!.physicalLocation.region.startLine).toBe(4);

    // GitHub annotations on the exact lines of candidate-4.50.yaml: each failing version once, then the
    // other line of 4.50.1 (fast-4.50.yaml) with the budget left
    const annotations = stdout.join('').split('\n').filter((l) => l.startsWith('::error'));
    const prefix = `${world.graphData}/channels`;
    expect(annotations.map((l) => /,file=([^,]*),line=(\d+)::/.exec(l)?.slice(1).join(':'))).toEqual([
      `${prefix}/candidate-4.50.yaml:4`,
      `${prefix}/candidate-4.50.yaml:6`,
      `${prefix}/candidate-4.50.yaml:7`,
      `${prefix}/candidate-4.50.yaml:8`,
      `${prefix}/candidate-4.50.yaml:9`,
      `${prefix}/fast-4.50.yaml:4`,
    ]);
    expect(annotations[0]).toMatch(/^::error title=4\.50\.1 amd64%3A OpenPGP missing%2C Sigstore missing,file=/);
    expect(annotations[0]).toContain('4.50.1 is not signed the way clusters require');
  });

  it('a second audit with the cache confirms each cached verdict with one request; --cache-mode trust makes none', async () => {
    const cache = join(world.dir, 'cache.json');
    const run = async (...extra: string[]) => {
      const before = world.store.requests.length;
      const r = await cli('--graph-data', world.graphData, ...world.args(), '--cache', cache, '--format', 'json', ...extra);
      return { report: JSON.parse(r.stdout) as JsonReport, storeRequests: world.store.requests.slice(before) };
    };
    const first = await run();
    const second = await run();
    const trusted = await run('--cache-mode', 'trust');
    const verifiedDigests = [...new Set(first.report.nodes.filter((n) => n.openpgp.outcome === 'verified').map((n) => n.digest!.slice(7)))];
    expect(verifiedDigests.length).toBeGreaterThan(0);
    for (const hex of verifiedDigests) {
      expect(first.storeRequests.some((q) => q.path.includes(hex))).toBe(true);
      // revalidation: exactly the one signature that verified, fetched again and compared
      expect(second.storeRequests.filter((q) => q.path.includes(hex)).map((q) => q.path)).toEqual([expect.stringMatching(/\/signature-1$/)]);
      expect(trusted.storeRequests.filter((q) => q.path.includes(hex))).toEqual([]);
    }
    expect(second.storeRequests.some((q) => q.path.includes(world.digests.get('4.50.1/amd64')!.slice(7)))).toBe(true);
    expect(second.report.nodes.map((n) => [n.openpgp.outcome, n.sigstore.outcome])).toEqual(first.report.nodes.map((n) => [n.openpgp.outcome, n.sigstore.outcome]));
    expect(second.report.nodes.filter((n) => n.openpgp.cached && n.openpgp.revalidated).length).toBe(first.report.nodes.filter((n) => n.openpgp.outcome === 'verified').length);
    expect(second.report.cache).toMatchObject({ mode: 'revalidate', changed: 0 });
    // One request per signature: each verified OpenPGP digest's signature, each verified .sig manifest (every instance of a list).
    const sigstoreVerified = new Map(first.report.nodes.filter((n) => n.sigstore.outcome === 'verified').map((n) => [n.digest, n.sigstore.instances?.length ?? 1]));
    expect(second.report.cache!.requests).toBe(verifiedDigests.length + [...sigstoreVerified.values()].reduce((a, b) => a + b, 0));
    expect(trusted.report.cache).toMatchObject({ mode: 'trust', requests: 0 });
    expect(trusted.report.nodes.filter((n) => n.openpgp.cached && !n.openpgp.revalidated).length).toBe(second.report.nodes.filter((n) => n.openpgp.cached).length);
  });

  it('PR replay of each real promotion commit checks only the version it adds', async () => {
    const manifest = JSON.parse(await readFile(join(PR_REPLAY, 'manifest.json'), 'utf8')) as { commits: { commit: string; base_dir: string; head_dir: string; added: { version: string }[] }[] };
    for (const version of ['4.22.11', '4.12.96']) for (const arch of ['amd64', 'arm64', 'multi']) world.digests.set(`${version}/${arch}`, await world.publishSigned(version, arch));
    for (const c of manifest.commits) {
      const before = world.store.requests.length;
      const r = await cli('--base', join(PR_REPLAY, c.base_dir), '--head', join(PR_REPLAY, c.head_dir), ...world.args(), '--format', 'json');
      const report = JSON.parse(r.stdout) as JsonReport;
      const added = c.added.map((a) => a.version);
      expect(r.code, c.commit).toBe(0);
      expect(report.mode).toBe('pr');
      expect([...new Set(report.nodes.map((n) => n.version))], c.commit).toEqual(added);
      expect(report.nodes.map((n) => n.arch)).toEqual(['amd64', 'arm64', 'multi']);
      expect(report.nodes.every((n) => n.openpgp.outcome === 'verified' && n.sigstore.outcome === 'verified')).toBe(true);
      // the signature store was asked about the added version's digests and nothing else
      const asked = new Set(world.store.requests.slice(before).map((q) => /sha256=([0-9a-f]{64})/.exec(q.path)?.[1]));
      const allowed = new Set(['amd64', 'arm64', 'multi'].map((a) => world.digests.get(`${added[0]}/${a}`)!.slice(7)));
      expect([...asked].every((d) => d !== undefined && allowed.has(d)), c.commit).toBe(true);
    }
  });

  describe('a bad day at the registry', () => {
    let registryProxy: FaultProxy;
    let storeProxy: FaultProxy;
    beforeAll(async () => {
      registryProxy = await startFaultProxy({ target: world.registry.url, seed: 7, retryAfterSeconds: 1, stallMs: 4000 });
      storeProxy = await startFaultProxy({ target: world.store.url, seed: 11, retryAfterSeconds: 1, stallMs: 4000 });
    });
    afterAll(async () => {
      await registryProxy?.stop();
      await storeProxy?.stop();
    });
    // Read through the proxies as a mirror; identities are still checked against the real repository.
    const viaProxies = () => [...world.args().map((a) => (a === world.store.base ? `${storeProxy.url}/signatures` : a)), '--mirror', `${registryProxy.url}/openshift-release-dev/ocp-release`, '--retries', '5', '--timeout', '2s'];

    it('20% of requests faulted in every way: every verdict equals the fault-free run, retries are counted', async () => {
      const clean = await cli('--graph-data', world.graphData, ...viaProxies(), '--format', 'json');
      registryProxy.configure({ rate: 0.2, kinds: FAULT_KINDS });
      storeProxy.configure({ rate: 0.2, kinds: FAULT_KINDS });
      let faulty;
      try {
        faulty = await cli('--graph-data', world.graphData, ...viaProxies(), '--format', 'json');
      } finally {
        registryProxy.configure({ rate: 0 });
        storeProxy.configure({ rate: 0 });
      }
      const verdicts = (text: string) => (JSON.parse(text) as JsonReport).nodes.map((n) => `${n.version}/${n.arch}: ${n.openpgp.outcome}/${n.sigstore.outcome}`);
      expect(verdicts(faulty.stdout)).toEqual(verdicts(clean.stdout));
      expect(faulty.code).toBe(clean.code);
      const retries = (JSON.parse(faulty.stdout) as JsonReport).retries ?? 0;
      const faults = registryProxy.faultCount() + storeProxy.faultCount();
      console.log(`fault run: ${faults} faults injected (${JSON.stringify(registryProxy.faults)} registry, ${JSON.stringify(storeProxy.faults)} store), ${retries} retries spent, same verdicts`);
      expect(faults).toBeGreaterThan(5);
      expect(retries).toBeGreaterThanOrEqual(faults);
    }, 120_000);

    it('100% faults on the signature store: every OpenPGP check is error, exit code 3', async () => {
      storeProxy.configure({ rate: 1, kinds: ['500', '502', '503', 'reset', 'truncate'] });
      let r;
      try {
        r = await cli('--graph-data', world.graphData, ...viaProxies(), '--retries', '1', '--format', 'json', '--require', 'openpgp');
      } finally {
        storeProxy.configure({ rate: 0 });
      }
      const report = JSON.parse(r.stdout) as JsonReport;
      expect(report.nodes.length).toBeGreaterThan(0);
      expect(report.nodes.every((n) => n.openpgp.outcome === 'error')).toBe(true);
      expect(r.code).toBe(3);
    }, 120_000);
  });

  it('the Action on a pull_request event annotates the line the PR adds and fails the step', async () => {
    const repo = join(world.dir, 'gd-repo');
    await initRepo(repo);
    const base = await commitTree(repo, 'base', { 'channels/candidate-4.50.yaml': 'name: candidate-4.50\nversions:\n- 4.50.0\n' });
    git(repo, 'checkout', '-q', '-b', 'pr');
    const head = await commitTree(repo, 'promote', { 'channels/candidate-4.50.yaml': 'name: candidate-4.50\nversions:\n- 4.50.0\n- 4.50.1\n- 4.50.2\n' });
    const event = join(world.dir, 'event.json');
    const summaryFile = join(world.dir, 'summary.html');
    const outputFile = join(world.dir, 'outputs');
    await writeFile(event, JSON.stringify({ pull_request: { number: 3, base: { sha: base }, head: { sha: head } } }));
    await writeFile(summaryFile, '');
    await writeFile(outputFile, '');
    const inputs: Record<string, string> = {
      'graph-data': repo,
      'release-repo': world.releaseRepo,
      'signature-store': world.store.base,
      'openpgp-key': world.openpgpKeyFile,
      'sigstore-key': world.sigstoreKeyFile,
      arch: 'amd64',
      retries: '1',
      report: join(world.dir, 'action-report.json'),
    };
    vi.stubEnv('GITHUB_EVENT_NAME', 'pull_request');
    vi.stubEnv('GITHUB_EVENT_PATH', event);
    // Reports go under the runner's temp folder, as on GitHub.
    vi.stubEnv('RUNNER_TEMP', world.dir);
    vi.stubEnv('GITHUB_WORKSPACE', repo);
    vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile);
    vi.stubEnv('GITHUB_OUTPUT', outputFile);
    for (const [k, v] of Object.entries(inputs)) vi.stubEnv(`INPUT_${k.toUpperCase()}`, v);
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out.push(String(c));
      return true;
    });
    try {
      const { run } = await import('../../src/action/main.ts');
      const summary = await run();
      expect(summary?.counts).toMatchObject({ nodes: 2, failed: 2 });
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
    const lines = out.join('').split('\n');
    const errors = lines.filter((l) => l.startsWith('::error'));
    expect(errors.map((l) => /,file=([^,]*),line=(\d+)::/.exec(l)?.slice(1).join(':') ?? l.slice(0, l.indexOf('::', 2)))).toEqual(['channels/candidate-4.50.yaml:4', 'channels/candidate-4.50.yaml:5', '::error']);
    expect(errors[2]).toMatch(/::error::release-sigcheck: 2 node\(s\) are not signed/);
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(await readFile(summaryFile, 'utf8')).toContain('<td><code>4.50.1</code> amd64</td>');
    expect(await readFile(outputFile, 'utf8')).toMatch(/failed<<.*\n2\n/);
    const report = JSON.parse(await readFile(join(world.dir, 'action-report.json'), 'utf8')) as JsonReport;
    expect(report.mode).toBe('pr');
    expect(report.nodes.map((n) => n.version)).toEqual(['4.50.1', '4.50.2']);
  });

  it('shards 1/4..4/4 check exactly the nodes of one unsharded run, and merge-reports equals it', async () => {
    const out = join(world.dir, 'shards');
    const full = await cli('--graph-data', world.graphData, ...world.args(), '--format', 'json', '--output', join(out, 'full.json'));
    const files: string[] = [];
    for (let k = 1; k <= 4; k++) {
      files.push(join(out, `shard-${k}.json`));
      await cli('--graph-data', world.graphData, ...world.args(), '--shard', `${k}/4`, '--quiet', '--output', files.at(-1)!);
    }
    const shards = await Promise.all(files.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as JsonReport));
    const keys = (r: JsonReport) => r.nodes.map((n) => `${n.version}/${n.arch}`);
    const unsharded = JSON.parse(full.stdout) as JsonReport;
    expect(shards.flatMap(keys).sort()).toEqual(keys(unsharded).sort());
    expect(shards.filter((r) => r.nodes.length > 0).length).toBeGreaterThanOrEqual(3);
    const merged = await cli('merge-reports', ...files);
    expect(merged.code).toBe(unsharded.exitCode);
    const strip = (r: JsonReport) => ({ ...r, durationMs: 0, retries: 0, nodes: r.nodes.map((n) => ({ ...n, openpgp: { ...n.openpgp, cached: undefined }, sigstore: { ...n.sigstore, cached: undefined } })) });
    expect(strip(JSON.parse(merged.stdout) as JsonReport)).toEqual(strip(unsharded));
    expect(shards.map((r) => r.shard)).toEqual([1, 2, 3, 4].map((index) => ({ index, count: 4 })));
    // A partial or doubled set of shards is refused, never merged into a report that looks complete.
    const partial = await cli('merge-reports', files[0]!, files[2]!);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('shards 2/4, 4/4 missing: got 1/4, 3/4');
    const doubled = await cli('merge-reports', files[0]!, files[1]!, files[1]!, files[2]!, files[3]!);
    expect(doubled.code).toBe(2);
    expect(doubled.stderr).toMatch(/are both shard 2\/4/);
  });
});
