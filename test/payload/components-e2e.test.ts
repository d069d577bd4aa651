/**
 * The components and release-metadata checks end to end, through the bundle (`dist/cli.js`,
 * `dist/index.js`; run `npm run bundle` first, or point SIGCHECK_DIST_UNDER_TEST at a build) against
 * Debian's docker-registry holding payloads laid out as ART builds them (world.ts): every scenario
 * gives exactly the expected outcome per node and per check, in JSON and in text, the same with 20%
 * of the registry's requests failing, and the Action annotates the failing component on the added line.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.ts';
import { commitTree, git, initRepo } from '../helpers/git.ts';
import { PROJECT_ROOT } from '../helpers/paths.ts';
import { EXPECTED, startPayloadWorld, type PayloadWorld } from './world.ts';

const DIST = process.env.SIGCHECK_DIST_UNDER_TEST ?? join(PROJECT_ROOT, 'dist');

let world: PayloadWorld;
beforeAll(async () => {
  world = await startPayloadWorld();
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

function runDist(entry: 'cli.js' | 'index.js', args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(DIST, entry), ...args],
      { cwd: world.dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: world.dir, REGISTRY_AUTH_FILE: join(world.dir, 'auth.json'), ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 170_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0, stdout, stderr }),
    );
  });
}

/** A node of a report written by this tool: it has both payload fields. */
type Node = Required<JsonReport['nodes'][number]>;
const outcomes = (report: JsonReport) => Object.fromEntries(report.nodes.map((n) => [`${n.version}/${n.arch}`, [n.openpgp.outcome, n.sigstore.outcome, n.components?.outcome, n.metadata?.outcome]]));

describe('components and release metadata, through dist/cli.js over docker-registry', () => {
  let report: JsonReport;
  let text: string;
  const node = (key: string): Node => report.nodes.find((n) => `${n.version}/${n.arch}` === key) as Node;

  beforeAll(async () => {
    await writeFile(join(world.dir, 'auth.json'), '{"auths":{}}\n');
    const json = await runDist('cli.js', ['--graph-data', world.graphData, ...world.args(), '--format', 'json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(1);
    report = JSON.parse(json.stdout) as JsonReport;
    const t = await runDist('cli.js', ['--graph-data', world.graphData, ...world.args()], { NO_COLOR: '1' });
    expect(t.code).toBe(1);
    text = t.stdout;
  }, 170_000);

  it('gives exactly the expected outcome per node and per check in JSON', () => {
    expect(outcomes(report)).toEqual(EXPECTED);
    expect(report.require).toEqual(['openpgp', 'sigstore', 'components']);
    expect(report.counts).toMatchObject({ nodes: 11, passed: 3, failed: 8, errored: 0 });
  });

  it('verifies every component of a good release and every instance of its lists', () => {
    expect(node('4.60.0/amd64').components).toMatchObject({ outcome: 'verified', total: 5, verified: 5, failures: [] });
    expect(node('4.60.0/multi').components).toMatchObject({ outcome: 'verified', total: 5, verified: 5 });
    expect(node('4.60.0/amd64').metadata).toMatchObject({ outcome: 'verified', version: '4.60.0', arch: 'amd64' });
    expect(node('4.60.0/multi').metadata).toMatchObject({ outcome: 'verified', version: '4.60.0', arch: 'multi' });
  });

  it('names the failing component by its image-references tag and reference, with why', () => {
    const ref = (repo: string, digest: string) => `${world.host}/openshift-release-dev/${repo}@${digest}`;
    expect(node('4.60.1/amd64').components.failures).toEqual([{ name: 'machine-config-operator', reference: ref('ocp-v4.0-art-dev', world.facts['4.60.1/component']!), outcome: 'missing', reason: expect.stringMatching(/no Sigstore signature: tag sha256-[0-9a-f]{64}\.sig does not exist/) }]);
    expect(node('4.60.2/amd64').components.failures).toEqual([{ name: 'cluster-ingress-operator', reference: ref('ocp-v4.0-art-dev', world.facts['4.60.2/component']!), outcome: 'invalid', reason: expect.stringMatching(/does not verify under the trusted key/) }]);
    expect(node('4.60.3/amd64').components.failures).toEqual([{ name: 'installer', reference: ref('ocp-v5.0-art-dev', world.facts['4.60.3/component']!), outcome: 'invalid', reason: expect.stringMatching(/ocp-v4\.0-art-dev/) }]);
    const list = node('4.60.4/multi').components.failures;
    expect(list).toEqual([{ name: 'cli', reference: ref('ocp-v5.0-art-dev', world.facts['4.60.4/component']!), outcome: 'missing', reason: expect.stringContaining(`instance ${world.facts['4.60.4/instance']} (arm64) missing`) }]);
    for (const key of ['4.60.1/amd64', '4.60.2/amd64', '4.60.3/amd64']) expect(node(key).components).toMatchObject({ total: 5, verified: 4 });
  });

  it('reports a component outside every scope without failing the node', () => {
    const c = node('4.60.5/amd64').components;
    expect(c).toMatchObject({ outcome: 'verified', total: 6, verified: 5, failures: [] });
    expect(c.unscoped).toEqual([{ name: 'must-gather', reference: expect.stringContaining('/openshift-release-dev/ocp-extras@sha256:') }]);
    expect(c.reason).toMatch(/1 outside every scope of the policy/);
  });

  it('fails a tag holding another release\'s payload, and an arch mismatch, with a finding naming the tag, the digest and what the payload says', () => {
    expect(node('4.60.6/amd64').metadata).toMatchObject({ outcome: 'invalid', version: '4.60.0', arch: 'amd64' });
    expect(node('4.60.7/arm64').metadata).toMatchObject({ outcome: 'invalid', version: '4.60.7', arch: 'amd64' });
    const findings = report.findings.filter((f) => f.code === 'RELEASE_METADATA_MISMATCH');
    expect(findings.map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^tag 4\\.60\\.6-x86_64 \\(${world.facts['4.60.6/amd64']}\\) is promoted as 4\\.60\\.6 amd64, but its release-metadata names version "4\\.60\\.0"`)),
        expect.stringMatching(new RegExp(`^tag 4\\.60\\.7-aarch64 \\(${world.facts['4.60.7/arm64']}\\) is promoted as 4\\.60\\.7 arm64, but its image is for "amd64"`)),
      ]),
    );
    expect(findings.find((f) => f.message.includes('4.60.6'))).toMatchObject({ severity: 'error', file: 'channels/candidate-4.60.yaml', line: 9 });
  });

  it('is invalid, not error, without release-manifests or over the cap, naming the code', () => {
    expect(node('4.60.8/amd64').metadata.reason).toMatch(/PAYLOAD_NO_MANIFESTS/);
    expect(node('4.60.8/amd64').components.reason).toMatch(/PAYLOAD_NO_MANIFESTS/);
    expect(node('4.60.9/amd64').metadata.reason).toMatch(/PAYLOAD_TOO_LARGE.*over the payload download cap of 1 MiB\. Raise --payload-max-download/);
  });

  it('says the same in text: each failing component by name and digest', () => {
    expect(text).toMatch(/FAIL 4\.60\.1 amd64 /);
    expect(text).toContain(`Components missing: 1 of 5 component images not accepted: machine-config-operator (${world.facts['4.60.1/component']!.slice(0, 19)}) missing`);
    expect(text).toContain(`       - machine-config-operator ${world.facts['4.60.1/component']}: missing: `);
    expect(text).toContain(`       - cluster-ingress-operator ${world.facts['4.60.2/component']}: invalid: `);
    expect(text).toContain(`       - cli ${world.facts['4.60.4/component']}: missing: `);
    expect(text).toMatch(/ok {3}4\.60\.5 amd64 [^\n]*\n[^\n]*\n[^\n]*\n {5}Components verified: 5 of 6 component images signed [^\n]*, 1 outside the policy's scopes/);
    expect(text).toMatch(/Release metadata invalid: tag 4\.60\.6-x86_64/);
    expect(text).toMatch(/Components: 5 verified, 2 missing, 4 invalid, 0 error, 0 skipped/);
    expect(text).toMatch(/Release metadata: 7 confirmed, 4 mismatched or unreadable, 0 error, 0 not read/);
  });

  it('gives the same verdicts with 20% of the registry requests failing in every way', async () => {
    world.proxy.resetCounts();
    world.proxy.configure({ rate: 0.2 });
    try {
      const faulty = await runDist('cli.js', ['--graph-data', world.graphData, ...world.args(), '--format', 'json']);
      expect(faulty.code).toBe(1);
      const r = JSON.parse(faulty.stdout) as JsonReport;
      expect(outcomes(r)).toEqual(EXPECTED);
      expect(r.nodes.map((n) => n.components?.failures)).toEqual(report.nodes.map((n) => n.components?.failures));
      expect(world.proxy.faultCount()).toBeGreaterThan(20);
      expect(r.retries).toBeGreaterThan(0);
    } finally {
      world.proxy.configure({ rate: 0 });
    }
  }, 170_000);
});

describe('the Action on a pull request, through dist/index.js', () => {
  it('annotates the failing component on the line the pull request adds', async () => {
    const repo = join(world.dir, 'gd-repo');
    await mkdir(repo, { recursive: true });
    await initRepo(repo);
    const base = await commitTree(repo, 'base', { 'channels/candidate-4.60.yaml': 'name: candidate-4.60\nversions:\n- 4.60.0\n' });
    git(repo, 'checkout', '-q', '-b', 'pr');
    const head = await commitTree(repo, 'promote 4.60.1', { 'channels/candidate-4.60.yaml': 'name: candidate-4.60\nversions:\n- 4.60.0\n- 4.60.1\n' });
    const event = join(world.dir, 'event.json');
    const summaryFile = join(world.dir, 'summary.html');
    await writeFile(event, JSON.stringify({ pull_request: { number: 7, base: { sha: base }, head: { sha: head } } }));
    await writeFile(summaryFile, '');
    await writeFile(join(world.dir, 'outputs'), '');
    const args = world.args();
    const value = (flag: string) => args[args.indexOf(flag) + 1]!;
    const inputs: Record<string, string> = {
      'graph-data': repo,
      'release-repo': value('--release-repo'),
      'signature-store': value('--signature-store'),
      'openpgp-key': world.openpgpKeyFile,
      'image-policy': world.policyFile,
      arch: 'amd64',
      retries: '2',
      report: join(world.dir, 'action-report.json'),
    };
    const env: Record<string, string> = {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      RUNNER_TEMP: world.dir,
      GITHUB_WORKSPACE: repo,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: join(world.dir, 'outputs'),
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    };
    const r = await runDist('index.js', [], env);
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    const annotation = errors.find((l) => l.includes('file=channels/candidate-4.60.yaml,line=4::'));
    expect(annotation).toBeDefined();
    // Workflow commands escape newlines as %0A.
    expect(annotation).toContain(`component machine-config-operator ${world.facts['4.60.1/component']}: missing`);
    expect(annotation).toMatch(/4\.60\.1 is not signed the way clusters require/);
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toContain('Component images that clusters would refuse');
    expect(summary).toContain(`<code>machine-config-operator</code></td><td><code>${world.facts['4.60.1/component']}</code>`);
  }, 170_000);
});
