import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { FIXTURES } from '../helpers/paths.ts';
import { Capture } from '../helpers/fakes.ts';

const CIP = join(FIXTURES, 'openpgp', 'cluster-update-keys.manifests.rhel.0000_90_openshift-cluster-image-policy.yaml');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-policy-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('release-sigcheck policy render', () => {
  it('prints each file under a header', async () => {
    const r = await cli('policy', 'render', '--manifests', CIP);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# \/etc\/containers\/policy\.json\n\{\n {2}"default": \[/);
    expect(r.stdout).toContain('# /etc/containers/registries.d/sigstore-registries.yaml\ndocker:\n  quay.io/openshift-release-dev/ocp-release:\n    use-sigstore-attachments: true\n');
  });
  it('--format json: {files, notes}', async () => {
    const r = await cli('policy', 'render', '--manifests', CIP, '--format', 'json');
    const doc = JSON.parse(r.stdout) as { files: Record<string, string>; notes: string[] };
    expect(Object.keys(doc.files)).toEqual(['/etc/containers/policy.json', '/etc/containers/registries.d/sigstore-registries.yaml']);
    expect(JSON.parse(doc.files['/etc/containers/policy.json']!).transports.docker['quay.io/openshift-release-dev/ocp-release'][0].type).toBe('sigstoreSigned');
  });
  it('--write DIR: the files at the paths nodes have them, usable as --policy-json and --registries-d', async () => {
    const r = await cli('policy', 'render', '--manifests', CIP, '--write', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(dir, 'etc/containers/policy.json')}`);
    expect(JSON.parse(await readFile(join(dir, 'etc/containers/policy.json'), 'utf8')).default).toEqual([{ type: 'insecureAcceptAnything' }]);
    expect(await readFile(join(dir, 'etc/containers/registries.d/sigstore-registries.yaml'), 'utf8')).toMatch(/use-sigstore-attachments: true/);
  });
  it('usage errors: no manifests, an unknown subcommand, a manifest the API server refuses', async () => {
    expect((await cli('policy', 'render')).code).toBe(2);
    const sub = await cli('policy', 'show');
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/policy has one subcommand, render/);
    // The real cluster-update-keys ConfigMap manifest repeats metadata.namespace: refused, not guessed at.
    const dup = await cli('policy', 'render', '--manifests', join(FIXTURES, 'openpgp', 'cluster-update-keys.manifests.rhel.0000_90_cluster-update-keys_configmap.yaml'));
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/document 1: invalid YAML: Map keys must be unique/);
    const other = join(dir, 'cm.yaml');
    await writeFile(other, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const skipped = await cli('policy', 'render', '--manifests', other, '--manifests', CIP);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/note: skipped .*kind "ConfigMap"/);
  });
});

describe('--policy-json and --registries-d on check and image', () => {
  it('refuses --policy-json with --image-policy or --sigstore-key, and --registries-d alone', async () => {
    const both = await cli('image', 'quay.io/a/b:1', '--policy-json', 'p.json', '--image-policy', CIP);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--policy-json and --image-policy are two answers to one question/);
    expect((await cli('image', 'quay.io/a/b:1', '--policy-json', 'p.json', '--sigstore-key', 'k.pub')).stderr).toMatch(/--policy-json takes its keys from the policy/);
    expect((await cli('image', 'quay.io/a/b:1', '--registries-d', dir)).stderr).toMatch(/--registries-d needs --policy-json/);
  });
  it('a policy.json that containers/image would refuse is a usage error naming the file and JSON path', async () => {
    const policy = join(dir, 'bad-policy.json');
    await writeFile(policy, '{"default":[{"type":"signedBy","keyType":"GPGKeys"}]}');
    const r = await cli('image', 'quay.io/a/b@sha256:' + 'a'.repeat(64), '--policy-json', policy, '--require', 'sigstore');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${policy}: default[0]: a signedBy requirement needs exactly one of keyPath, keyPaths and keyData, and has none`);
  });
});
