/**
 * A node policy in the repository is trusted material (SECURITY.md): in PR scope the policy.json, the
 * registries.d directory and the key files the policy names are read as they are at the merge-base,
 * never from the pull request's head. Each attack promotes 4.50.1 (no `.sig` under the trusted key)
 * and changes what its head controls; the check must still fail it. Real registry and store (the e2e
 * world), real git, the CLI in-process.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { JsonReport } from '../../src/report/json.ts';
import { buildSigArtifact, generateP256Key, pushSig, signLayer } from '../harness/cosign.ts';
import { makeTempDir } from '../harness/registry.ts';
import { Capture } from '../helpers/fakes.ts';
import { commitTree, git, initRepo } from '../helpers/git.ts';
import { REPO, startWorld, type World } from '../e2e/world.ts';

let world: World;
let repo: string;
let base: string;
const attacker = generateP256Key('attacker');

const policy = (keyPath: string, reqs?: unknown) =>
  JSON.stringify({ default: [{ type: 'reject' }], transports: { docker: { [world.identityRepo]: reqs ?? [{ type: 'sigstoreSigned', keyPath }] } } });

beforeAll(async () => {
  world = await startWorld();
  repo = join(await makeTempDir('policy-pr'), 'graph-data');
  await initRepo(repo);
  const key = join(repo, 'node', 'keys', 'sigstore.pub');
  base = await commitTree(repo, 'base', {
    'channels/candidate-4.50.yaml': 'name: candidate-4.50\nversions:\n- 4.50.3\n',
    'release-sigcheck.yaml': [
      `release-repo: ${world.releaseRepo}`,
      `signature-store: [${world.store.base}]`,
      `openpgp-key: [${world.openpgpKeyFile}]`,
      'policy-json: node/policy.json',
      'registries-d: node/registries.d',
      'arch: [amd64]',
      'retries: 1',
      'timeout: 10s',
      '',
    ].join('\n'),
    'node/policy.json': policy(key),
    'node/registries.d/sigstore.yaml': `docker:\n  "${world.registry.host}":\n    use-sigstore-attachments: true\n`,
    'node/keys/sigstore.pub': await readFile(world.sigstoreKeyFile, 'utf8'),
  });
  // The attacker signs 4.50.1 with a key of their own, so a head that swaps the key would pass it.
  const d = world.digests.get('4.50.1/amd64')!;
  await pushSig(world.registry.url, REPO, d, buildSigArtifact([signLayer({ key: attacker, identity: `${world.identityRepo}:4.50.1-x86_64`, digest: d })]));
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

async function head(name: string, version: string, files: Record<string, string> = {}): Promise<string> {
  git(repo, 'checkout', '-q', '-f', base);
  git(repo, 'checkout', '-q', '-B', name);
  return commitTree(repo, name, { 'channels/candidate-4.50.yaml': `name: candidate-4.50\nversions:\n- 4.50.3\n- ${version}\n`, ...files });
}

async function check(sha: string): Promise<{ code: number; report: JsonReport; stderr: string }> {
  git(repo, 'checkout', '-q', '-f', sha); // the work tree is the pull request's, as in CI
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['--graph-data', repo, '--base', 'main', '--head', sha, '--require', 'sigstore', '--format', 'json'], { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, report: JSON.parse(stdout.text) as JsonReport, stderr: stderr.text };
}
const sigstoreOf = (r: JsonReport, version: string) => r.nodes.find((n) => n.version === version)?.sigstore;

describe('--policy-json in PR scope: the merge-base\'s policy, registries.d and keys', () => {
  it('an honest promotion of a signed release passes under the repository\'s node policy', async () => {
    const r = await check(await head('honest', '4.50.0'));
    expect(r.code).toBe(0);
    expect(sigstoreOf(r.report, '4.50.0')?.outcome).toBe('verified');
  });

  it('a head that replaces the key file the policy names does not make its own signature trusted', async () => {
    const r = await check(await head('swap-key', '4.50.1', { 'node/keys/sigstore.pub': attacker.publicPem }));
    expect(r.code).toBe(1);
    expect(sigstoreOf(r.report, '4.50.1')?.outcome).toBe('invalid');
  });

  it('a head that rewrites policy.json to insecureAcceptAnything is not believed, and is told so', async () => {
    const r = await check(await head('accept-all', '4.50.1', { 'node/policy.json': policy('', [{ type: 'insecureAcceptAnything' }]) }));
    expect(r.code).toBe(1);
    expect(sigstoreOf(r.report, '4.50.1')?.outcome).toBe('invalid');
    expect(r.report.findings.map((f) => f.code)).toContain('TRUSTED_FILE_CHANGED_BY_PR');
  });

  it('a head that adds a registries.d file is not read', async () => {
    const r = await check(await head('regd', '4.50.1', { 'node/registries.d/zz.yaml': `docker:\n  "${world.registry.host}/${REPO}":\n    use-sigstore-attachments: false\n` }));
    expect(r.code).toBe(1);
    // Still the merge-base's registries.d: attachments read, the attacker's .sig found and refused.
    expect(sigstoreOf(r.report, '4.50.1')?.outcome).toBe('invalid');
  });
});
