import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { buildDemoContent, generateDemoKeys, type DemoKeys } from '../../src/demo/content.ts';
import { listenOnLoopback, MemoryRegistry, MemoryStore } from '../../src/demo/servers.ts';
import type { Digest } from '../../src/model/digest.ts';
import { buildSigArtifact, generateP256Key, signLayer, writeSigLayout } from '../harness/cosign.ts';
import { Capture } from '../helpers/fakes.ts';

const registry = new MemoryRegistry();
const store = new MemoryStore();
let reg: Awaited<ReturnType<typeof listenOnLoopback>>;
let sto: Awaited<ReturnType<typeof listenOnLoopback>>;
let keys: DemoKeys;
let dir: string;
const repoPath = 'openshift-release-dev/ocp-release';

beforeAll(async () => {
  reg = await listenOnLoopback(registry);
  sto = await listenOnLoopback(store);
  keys = await generateDemoKeys();
  await buildDemoContent(registry, store, repoPath, `${reg.url.slice(7)}/${repoPath}`, keys);
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-image-'));
  await writeFile(join(dir, 'k.asc'), keys.openpgp.publicArmored);
  await writeFile(join(dir, 'k.pub'), keys.sigstore.publicPem);
});
afterAll(async () => {
  await reg.close();
  await sto.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const trustArgs = () => ['--signature-store', sto.url, '--openpgp-key', join(dir, 'k.asc'), '--sigstore-key', join(dir, 'k.pub'), '--retries', '0'];

describe('release-sigcheck image', () => {
  it('checks a manifest list tag: both checks, every instance', async () => {
    const r = await cli('image', `${reg.url}/${repoPath}:4.99.0-multi`, ...trustArgs(), '--format', 'json');
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(report.nodes).toHaveLength(1);
    expect(report.nodes[0]).toMatchObject({ arch: 'multi', tag: '4.99.0-multi', openpgp: { outcome: 'verified' }, sigstore: { outcome: 'verified' } });
    expect(report.nodes[0].sigstore.instances).toHaveLength(2);
  });

  it('names the unsigned instance of a partially signed list, and exits 1', async () => {
    const r = await cli('image', `${reg.url}/${repoPath}:4.99.4-multi`, ...trustArgs());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL .*4\.99\.4-multi multi/);
    expect(r.stdout).toMatch(/instance sha256:[0-9a-f]{64} \(arm64\) missing/);
  });

  it('checks by digest, reading the architecture from the image config', async () => {
    const tagged = registry.manifests.get(repoPath)!.get('4.99.1-x86_64')!;
    const r = await cli('image', `${reg.url}/${repoPath}@${tagged.digest}`, ...trustArgs(), '--format', 'json');
    const node = JSON.parse(r.stdout).nodes[0];
    expect(node).toMatchObject({ arch: 'amd64', digest: tagged.digest, openpgp: { outcome: 'missing' }, sigstore: { outcome: 'verified' } });
    expect(r.code).toBe(1);
  });

  it('explains a tag that does not exist and a reference without tag or digest', async () => {
    expect((await cli('image', `${reg.url}/${repoPath}:4.1.0-x86_64`, ...trustArgs())).stderr).toMatch(/does not exist; check the tag or digest/);
    const r = await cli('image', 'quay.io/openshift-release-dev/ocp-release');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give a tag or a digest/);
  });
});

describe('release-sigcheck signature --sigstore-layout', () => {
  it('verifies a .sig stored in an OCI layout, and rejects it under another key', async () => {
    const key = generateP256Key();
    const digest = `sha256:${'ab'.repeat(32)}` as Digest;
    const artifact = buildSigArtifact([signLayer({ digest, identity: `quay.io/openshift-release-dev/ocp-release@${digest}`, key })]);
    const layout = join(dir, 'layout');
    await writeSigLayout(layout, [{ artifact, refName: `sha256-${digest.slice(7)}.sig` }]);
    await writeFile(join(dir, 'sig.pub'), key.publicPem);
    const ok = await cli('signature', '--digest', digest, '--sigstore-layout', layout, '--sigstore-key', join(dir, 'sig.pub'), '--format', 'json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: 'verified', identity: `quay.io/openshift-release-dev/ocp-release@${digest}` });
    const bad = await cli('signature', '--digest', digest, '--sigstore-layout', layout);
    expect(bad.code).toBe(1);
    expect(JSON.parse((await cli('signature', '--digest', digest, '--sigstore-layout', layout, '--format', 'json')).stdout).outcome).toBe('invalid');
    const usage = await cli('signature', '--digest', 'sha256:../../x', '--sigstore-layout', layout);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--digest: "sha256:..\/..\/x" is not a digest/);
  });
});
