/**
 * `release-sigcheck mirror` over a real Debian docker-registry on 127.0.0.1: the source (release)
 * repository and several mirror repositories in one registry, `.sig` tags signed by a test RSA key,
 * OpenPGP signatures made by gpg and served by a loopback signature store, ConfigMaps in the
 * `oc adm release mirror --to-dir` layout. Each kind of gap gives a precise finding and a remedy whose
 * values are asserted, and running the printed skopeo (or release-sigcheck) remedy makes the next run pass.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Digest } from '../../src/model/digest.ts';
import type { MirrorFinding, MirrorReleaseResult } from '../../src/mirror/check.ts';
import { formatSignatureConfigMap, toSignatureConfigMap } from '../../src/openpgp/configmap.ts';
import { buildSigArtifact, generateRsaKey, pushArtifact, signLayer, sigTag, type SigArtifact, type TestKey } from '../harness/cosign.ts';
import { GpgHome, simpleSigningPayload } from '../harness/gpg.ts';
import { buildImage, buildIndex, HttpPusher, type BuiltImage, type BuiltIndex } from '../harness/images.ts';
import { freePort, makeTempDir, startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { SKOPEO_BIN } from '../harness/skopeo.ts';
import { startStore, type SignatureStore } from '../harness/store.ts';
import { Capture } from '../helpers/fakes.ts';

const run = promisify(execFile);
const SRC = 'ocp/release';

let reg: RegistryHarness;
let store: SignatureStore;
let gpg: GpgHome;
let dir: string;
let cosignKey: TestKey;
let otherKey: TestKey;
let sigstoreKeyFile: string;
let openpgpKeyFile: string;
let single: BuiltImage; // 4.99.1-x86_64
let multi: BuiltIndex; // 4.99.0-multi (amd64, arm64)
let unsigned: BuiltImage; // 4.99.2-x86_64, no .sig anywhere
/** The `.sig` artifact of each signed digest, as pushed to the source. */
const sigs = new Map<Digest, SigArtifact>();
let skopeoPolicy: string;
let skopeoAuth: string;

const hex = (d: string) => d.slice('sha256:'.length);
const srcRepo = () => `${reg.host}/${SRC}`;

function signFor(digest: Digest, tag: string, key: TestKey): SigArtifact {
  // Like ART: one layer with a digest identity, one with the tag identity, both naming the source.
  return buildSigArtifact([signLayer({ digest, identity: `${srcRepo()}@${digest}`, key }), signLayer({ digest, identity: `${srcRepo()}:${tag}`, key })]);
}

async function pushImages(repo: string, options: { withUnsigned?: boolean } = {}): Promise<void> {
  const pusher = new HttpPusher(reg.url, repo);
  await pusher.image(single, '4.99.1-x86_64');
  await pusher.index(multi, '4.99.0-multi');
  if (options.withUnsigned) await pusher.image(unsigned, '4.99.2-x86_64');
}

interface MirrorSetup {
  skipSig?: Digest;
  resign?: Digest;
  deleteInstance?: Digest;
  withUnsigned?: boolean;
}

/** A mirror repository holding what the source holds, with one gap made on purpose. */
async function populateMirror(repo: string, setup: MirrorSetup = {}): Promise<void> {
  await pushImages(repo, setup);
  for (const [digest, artifact] of sigs) {
    if (digest === setup.skipSig) continue;
    const pushed = digest === setup.resign ? signFor(digest, 'resigned', otherKey) : artifact;
    await pushArtifact(reg.url, repo, sigTag(digest), pushed);
  }
  if (setup.deleteInstance) {
    const res = await fetch(`${reg.url}/v2/${repo}/manifests/${setup.deleteInstance}`, { method: 'DELETE' });
    await res.arrayBuffer();
    if (res.status !== 202) throw new Error(`DELETE ${repo}@${setup.deleteInstance}: HTTP ${res.status}`);
  }
}

async function writeConfigMaps(name: string, digests: Digest[]): Promise<string> {
  const config = join(dir, name, 'config');
  await mkdir(config, { recursive: true });
  for (const digest of digests) {
    const blob = await gpg.sign(simpleSigningPayload({ digest, reference: `${srcRepo()}@${digest}` }), { key: gpgFingerprint });
    await writeFile(join(config, `signature-sha256-${hex(digest).slice(0, 16)}.json`), formatSignatureConfigMap(toSignatureConfigMap(digest, [blob]), 'json'));
  }
  return config;
}

let gpgFingerprint: string;

beforeAll(async () => {
  [reg, store, gpg, dir] = await Promise.all([startRegistry(), startStore(), GpgHome.create(), makeTempDir('mirror-cmd')]);
  cosignKey = generateRsaKey('test release key', 2048);
  otherKey = generateRsaKey('somebody else', 2048);
  sigstoreKeyFile = join(dir, 'cosign.pub');
  await writeFile(sigstoreKeyFile, cosignKey.publicPem);
  const key = await gpg.generateKey({ name: 'Mirror test release key' });
  gpgFingerprint = key.fingerprint;
  openpgpKeyFile = await gpg.exportPublicKeyFile(key.fingerprint, { armor: true, name: 'release.asc' });

  single = buildImage({ arch: 'amd64', seed: '4.99.1' });
  multi = buildIndex({ seed: '4.99.0', arches: ['amd64', 'arm64'] });
  unsigned = buildImage({ arch: 'amd64', seed: '4.99.2' });
  await pushImages(SRC, { withUnsigned: true });
  sigs.set(single.digest, signFor(single.digest, '4.99.1-x86_64', cosignKey));
  for (const instance of multi.images) sigs.set(instance.digest, signFor(instance.digest, '4.99.0-multi', cosignKey));
  for (const [digest, artifact] of sigs) await pushArtifact(reg.url, SRC, sigTag(digest), artifact);
  for (const digest of [single.digest, multi.digest]) {
    await store.put(digest, 1, await gpg.sign(simpleSigningPayload({ digest, reference: `${srcRepo()}:x` }), { key: key.fingerprint }));
  }

  await Promise.all([
    populateMirror('mirror/complete'),
    populateMirror('mirror/nosig', { skipSig: single.digest }),
    populateMirror('mirror/resigned', { resign: single.digest }),
    populateMirror('mirror/partial', { deleteInstance: multi.images[1]!.digest }),
    populateMirror('m1/ocp/release'),
    populateMirror('m2/ocp/release', { skipSig: multi.images[0]!.digest }),
    populateMirror('mirror/unsigned', { withUnsigned: true }),
  ]);

  skopeoPolicy = join(dir, 'policy.json');
  await writeFile(skopeoPolicy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  skopeoAuth = join(dir, 'auth.json');
  await writeFile(skopeoAuth, JSON.stringify({ auths: {} }));
}, 120_000);

afterAll(async () => {
  await Promise.all([reg?.stop(), store?.stop(), gpg?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

interface Report {
  releases: MirrorReleaseResult[];
  summary: { releases: number; passed: number; failed: number; errored: number; unpublished: number };
  mirrors: { repository: string; origins: string[] }[];
  exitCode: number;
}

async function mirrorJson(...argv: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await cli('mirror', '--release-repo', `http://${srcRepo()}`, '--sigstore-key', sigstoreKeyFile, '--retries', '0', '--format', 'json', ...argv);
  expect(r.stderr).toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const both = ['--release', '4.99.0', '--release', '4.99.1', '--arch', 'amd64,multi'];

function findings(report: Report): MirrorFinding[] {
  return report.releases.flatMap((r) => r.findings);
}

/** Runs a printed skopeo remedy as is, with only a policy and an empty auth file added for the test environment. */
async function runSkopeo(argv: string[]): Promise<void> {
  expect(argv[0]).toBe('skopeo');
  await run(SKOPEO_BIN, ['--policy', skopeoPolicy, ...argv.slice(1)], { env: { ...process.env, REGISTRY_AUTH_FILE: skopeoAuth, XDG_RUNTIME_DIR: dir }, timeout: 60_000 });
}

describe('release-sigcheck mirror over a real registry', () => {
  it('passes a complete mirror, verifying the .sig with the identity of the source repository', async () => {
    const { code, report } = await mirrorJson('--mirror', `http://${reg.host}/mirror/complete`, ...both);
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ releases: 4, passed: 2, failed: 0, errored: 0, unpublished: 2 });
    expect(findings(report)).toEqual([]);
    const multiResult = report.releases.find((r) => r.arch === 'multi')!;
    expect(multiResult).toMatchObject({ digest: multi.digest, tag: '4.99.0-multi', status: 'passed' });
    expect(multiResult.mirrors).toHaveLength(1);
    expect(multiResult.mirrors[0]!).toMatchObject({ mirror: `${reg.host}/mirror/complete`, image: { outcome: 'present' }, sigstore: { outcome: 'verified' } });
    expect(multiResult.mirrors[0]!.sigstore.instances!.map((i) => [i.digest, i.outcome])).toEqual(multi.images.map((i) => [i.digest, 'verified']));
    // Read from the mirror, accepted because the identity names the source.
    const singleResult = report.releases.find((r) => r.arch === 'amd64' && r.version === '4.99.1')!;
    expect(singleResult.mirrors[0]!.sigstore.source).toContain(`${reg.host}/mirror/complete:${sigTag(single.digest)}`);
    expect(singleResult.mirrors[0]!.sigstore.identity).toMatch(new RegExp(`^${srcRepo().replace(/[.]/g, '\\.')}[@:]`));

    const text = await cli('mirror', '--release-repo', `http://${srcRepo()}`, '--sigstore-key', sigstoreKeyFile, '--mirror', `http://${reg.host}/mirror/complete`, ...both);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^PASS {2}4\.99\.0 multi sha256:[0-9a-f]{64} \(4\.99\.0-multi\): .*all 2 instances present, \.sig verified/m);
    expect(text.stdout).toMatch(/4 release\(s\) on 1 mirror\(s\): 2 complete, 0 with gaps, 0 could not be checked, 2 not published/);
  });

  it('finds a missing .sig tag, prints the copy, and passes once the printed skopeo copy ran', async () => {
    const mirror = `${reg.host}/mirror/nosig`;
    const { code, report } = await mirrorJson('--mirror', `http://${mirror}`, ...both);
    expect(code).toBe(1);
    const all = findings(report);
    expect(all).toHaveLength(1);
    const f = all[0]!;
    expect(f).toMatchObject({ outcome: 'missing', kind: 'signature-missing', mirror, digest: single.digest });
    expect(f.message).toContain(`${mirror} lacks the Sigstore signature of ${single.digest} (4.99.1 amd64)`);
    expect(f.message).toContain(`${srcRepo()} holds an accepted signature`);
    const tag = `sha256-${hex(single.digest)}.sig`;
    expect(f.remedies.map((r) => r.argv)).toEqual([
      ['oc', 'image', 'mirror', '--insecure=true', `${srcRepo()}:${tag}`, `${mirror}:${tag}`],
      ['skopeo', 'copy', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${srcRepo()}:${tag}`, `docker://${mirror}:${tag}`],
    ]);
    const text = await cli('mirror', '--release-repo', `http://${srcRepo()}`, '--sigstore-key', sigstoreKeyFile, '--mirror', `http://${mirror}`, ...both, '--quiet');
    expect(text.stdout).toContain(`    fix:  oc image mirror --insecure=true ${srcRepo()}:${tag} ${mirror}:${tag}\n`);
    expect(text.stdout).toContain(`    or:   skopeo copy --preserve-digests --src-tls-verify=false --dest-tls-verify=false docker://${srcRepo()}:${tag} docker://${mirror}:${tag}\n`);
    expect(text.stdout).not.toMatch(/^PASS/m);

    // The same run in the shared formats: a node per release, a finding per gap with its command.
    const out = await makeTempDir('mirror-formats');
    try {
      const shared = await cli('mirror', '--release-repo', `http://${srcRepo()}`, '--sigstore-key', sigstoreKeyFile, '--retries', '0', '--mirror', `http://${mirror}`, ...both, '--format', 'sarif', '--output', join(out, 'm.json'), '--output', `junit:${join(out, 'm.xml')}`);
      expect(shared.code).toBe(1);
      const sarif = JSON.parse(shared.stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] };
      const gap = sarif.runs[0]!.results.find((r) => r.ruleId === 'graph-data/MIRROR_SIGNATURE_MISSING');
      expect(gap?.message.text).toContain(`to fix: oc image mirror --insecure=true ${srcRepo()}:${tag} ${mirror}:${tag}`);
      const json = JSON.parse(await readFile(join(out, 'm.json'), 'utf8')) as { mode: string; nodes: { version: string; arch: string; status: string; sigstore: { outcome: string } }[]; exitCode: number };
      expect(json.mode).toBe('mirror');
      expect(json.exitCode).toBe(1);
      expect(json.nodes.filter((n) => n.status !== 'passed').map((n) => [n.version, n.arch, n.status, n.sigstore.outcome])).toEqual([['4.99.1', 'amd64', 'failed', 'missing']]);
      expect(json.nodes.length).toBeGreaterThan(1);
      expect(await readFile(join(out, 'm.xml'), 'utf8')).toContain('<failure type="missing"');
    } finally {
      await rm(out, { recursive: true, force: true });
    }

    await runSkopeo(f.remedies[1]!.argv);
    const again = await mirrorJson('--mirror', `http://${mirror}`, ...both);
    expect(again.code).toBe(0);
    expect(findings(again.report)).toEqual([]);
  });

  it('finds a .sig re-signed with another key, and the copy from the source replaces it', async () => {
    const mirror = `${reg.host}/mirror/resigned`;
    const { code, report } = await mirrorJson('--mirror', `http://${mirror}`, ...both);
    expect(code).toBe(1);
    const all = findings(report);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ outcome: 'invalid', kind: 'signature-invalid', mirror, digest: single.digest });
    expect(all[0]!.message).toContain(`is not accepted under the policy of ${srcRepo()}`);
    const sigstore = report.releases.find((r) => r.version === '4.99.1')!.mirrors[0]!.sigstore;
    expect(sigstore.outcome).toBe('invalid');
    expect(sigstore.attempts!.length).toBe(2);
    const skopeo = all[0]!.remedies.find((r) => r.tool === 'skopeo')!;
    expect(skopeo.argv.slice(-2)).toEqual([`docker://${srcRepo()}:${sigTag(single.digest)}`, `docker://${mirror}:${sigTag(single.digest)}`]);

    await runSkopeo(skopeo.argv);
    expect((await mirrorJson('--mirror', `http://${mirror}`, ...both)).code).toBe(0);
  });

  it('finds the one instance of a manifest list the mirror lacks, and copies exactly that instance', async () => {
    const mirror = `${reg.host}/mirror/partial`;
    const missing = multi.images[1]!;
    const { code, report } = await mirrorJson('--mirror', `http://${mirror}`, '--release', '4.99.0', '--arch', 'multi');
    expect(code).toBe(1);
    const all = findings(report);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ outcome: 'missing', kind: 'instance-missing', mirror, digest: missing.digest, arch: 'arm64' });
    expect(all[0]!.message).toContain(`${mirror} holds manifest list ${multi.digest} (4.99.0 multi) but not its instance ${missing.digest} (arm64)`);
    expect(report.releases[0]!.mirrors[0]!.image).toMatchObject({ outcome: 'missing', missingInstances: [{ digest: missing.digest, arch: 'arm64' }] });
    expect(all[0]!.remedies.map((r) => r.argv)).toEqual([
      ['oc', 'image', 'mirror', '--keep-manifest-list=true', '--insecure=true', `${srcRepo()}@${multi.digest}`, `${mirror}:4.99.0-multi`],
      ['skopeo', 'copy', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${srcRepo()}@${missing.digest}`, `docker://${mirror}@${missing.digest}`],
    ]);

    await runSkopeo(all[0]!.remedies[1]!.argv);
    const again = await mirrorJson('--mirror', `http://${mirror}`, '--release', '4.99.0', '--arch', 'multi');
    expect(again.code).toBe(0);
    expect(again.report.releases[0]!.mirrors[0]!.image.outcome).toBe('present');
  });

  it('finds the digest a ConfigMap set lacks, and the printed configmap --write makes it complete', async () => {
    const config = await writeConfigMaps('handoff', [multi.digest]);
    const args = ['--mirror', `http://${reg.host}/mirror/complete`, '--configmaps', config, '--openpgp-key', openpgpKeyFile, '--signature-store', store.base, ...both];
    const { code, report } = await mirrorJson(...args);
    expect(code).toBe(1);
    const all = findings(report);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ outcome: 'missing', kind: 'configmap-missing', digest: single.digest });
    expect(all[0]!.mirror).toBeUndefined();
    expect(all[0]!.message).toContain(`no binaryData key sha256-${hex(single.digest)}-N`);
    expect(report.releases.find((r) => r.arch === 'multi')!.openpgp).toMatchObject({ outcome: 'verified', signer: expect.stringContaining('Mirror test release key') });
    const fileName = `signature-sha256-${hex(single.digest).slice(0, 16)}.yaml`;
    expect(all[0]!.remedies.map((r) => r.argv)).toEqual([
      ['release-sigcheck', 'configmap', '--write', config, '--digest', single.digest, '--signature-store', store.base, '--openpgp-key', openpgpKeyFile],
      ['oc', 'apply', '-f', join(config, fileName)],
    ]);
    expect(all[0]!.remedies[1]!.then).toBe(true);

    const write = await cli(...all[0]!.remedies[0]!.argv.slice(1));
    expect(write.code).toBe(0);
    await access(join(config, fileName));
    const again = await mirrorJson(...args);
    expect(again.code).toBe(0);
    expect(again.report.releases.filter((r) => r.openpgp).map((r) => r.openpgp!.outcome)).toEqual(['verified', 'verified']);
  });

  it('maps the source through an ImageDigestMirrorSet namespace and reports each mirror on its own', async () => {
    const idms = join(dir, 'idms.yaml');
    await writeFile(
      idms,
      [
        'apiVersion: config.openshift.io/v1',
        'kind: ImageDigestMirrorSet',
        'metadata:',
        '  name: release-0',
        'spec:',
        '  imageDigestMirrors:',
        `  - source: ${reg.host}/ocp`,
        '    mirrors:',
        `    - ${reg.host}/m1/ocp`,
        `    - ${reg.host}/m2/ocp`,
        '',
      ].join('\n'),
    );
    const { code, report } = await mirrorJson('--idms', idms, '--plain-http', reg.host, '--release', '4.99.0', '--arch', 'multi');
    expect(code).toBe(1);
    expect(report.mirrors.map((m) => m.repository)).toEqual([`${reg.host}/m1/ocp/release`, `${reg.host}/m2/ocp/release`]);
    expect(report.mirrors[0]!.origins).toEqual([`ImageDigestMirrorSet/release-0 (${idms})`]);
    const [m1, m2] = report.releases[0]!.mirrors;
    expect(m1).toMatchObject({ mirror: `${reg.host}/m1/ocp/release`, status: 'passed' });
    expect(m2).toMatchObject({ mirror: `${reg.host}/m2/ocp/release`, status: 'failed' });
    const all = findings(report);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'signature-missing', mirror: `${reg.host}/m2/ocp/release`, digest: multi.images[0]!.digest, arch: 'amd64' });

    const uncovered = await cli('mirror', '--idms', idms, '--release-repo', 'quay.io/openshift-release-dev/ocp-release', '--release', '4.99.0');
    expect(uncovered.code).toBe(2);
    expect(uncovered.stderr).toContain(`maps no mirror for quay.io/openshift-release-dev/ocp-release: its sources are ${reg.host}/ocp`);
  });

  it('says when the source itself has no signature to copy, and offers no copy', async () => {
    const { code, report } = await mirrorJson('--mirror', `http://${reg.host}/mirror/unsigned`, '--release', '4.99.2', '--arch', 'amd64');
    expect(code).toBe(1);
    const all = findings(report);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'signature-missing', digest: unsigned.digest, remedies: [] });
    expect(all[0]!.message).toContain(`The source ${srcRepo()} has no accepted signature for it either (missing:`);
  });

  it('reports an unreachable mirror as could-not-check (exit 3), never as missing', async () => {
    const port = await freePort();
    const { code, report } = await mirrorJson('--mirror', `http://127.0.0.1:${port}/mirror/release`, '--release', '4.99.1', '--arch', 'amd64');
    expect(code).toBe(3);
    expect(report.summary).toMatchObject({ errored: 1, failed: 0 });
    const all = findings(report);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((f) => f.outcome === 'error' && f.kind === 'mirror-error' && f.remedies.length === 0)).toBe(true);
  });

  it('finds an image missing from the mirror, with a copy of the whole list', async () => {
    const { code, report } = await mirrorJson('--mirror', `http://${reg.host}/mirror/empty`, '--release', '4.99.0', '--arch', 'multi');
    expect(code).toBe(1);
    const image = findings(report).find((f) => f.kind === 'image-missing')!;
    expect(image).toMatchObject({ outcome: 'missing', mirror: `${reg.host}/mirror/empty`, digest: multi.digest });
    expect(image.message).toContain('and 2 of its 2 instances');
    expect(image.remedies[1]!.argv).toEqual(['skopeo', 'copy', '--all', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${srcRepo()}@${multi.digest}`, `docker://${reg.host}/mirror/empty:4.99.0-multi`]);
    // No instance findings of their own: the list copy covers them. Each instance's .sig is missing too.
    expect(findings(report).filter((f) => f.kind === 'instance-missing')).toEqual([]);
    expect(findings(report).filter((f) => f.kind === 'signature-missing').map((f) => f.digest)).toEqual(multi.images.map((i) => i.digest));
  });

  it('runs in the Action (command: mirror, args): the gap is an annotation and the job summary has the node', async () => {
    const summaryFile = join(await makeTempDir('mirror-action'), 'summary.md');
    await writeFile(summaryFile, '');
    const env: Record<string, string> = {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: '',
      INPUT_COMMAND: 'mirror',
      INPUT_ARGS: ['--mirror', `http://${reg.host}/mirror/empty`, '--release-repo', `http://${srcRepo()}`, '--sigstore-key', sigstoreKeyFile, '--retries', '0', '--release', '4.99.0', '--arch', 'multi'].join('\n'),
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string | Uint8Array) => (out.push(String(c)), true)) as typeof process.stdout.write;
    try {
      const { run } = await import('../../src/action/main.ts');
      await run();
    } finally {
      process.stdout.write = write;
      for (const k of Object.keys(env)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    const lines = out.join('').split('\n');
    expect(lines.some((l) => l.startsWith('::error') && l.includes('MIRROR_IMAGE_MISSING'))).toBe(true);
    expect(lines.some((l) => l.startsWith('::error::release-sigcheck mirror: exit code 1'))).toBe(true);
    expect(await readFile(summaryFile, 'utf8')).toContain('4.99.0');
    process.exitCode = 0;
  });

  it('takes the releases from graph-data channels', async () => {
    const graphData = join(dir, 'graph-data');
    await mkdir(join(graphData, 'channels'), { recursive: true });
    await writeFile(join(graphData, 'channels', 'stable-4.99.yaml'), 'name: stable-4.99\nversions:\n- 4.99.0\n- 4.99.1\n');
    await writeFile(join(graphData, 'channels', 'fast-4.98.yaml'), 'name: fast-4.98\nversions:\n- 4.98.0\n');
    const { code, report } = await mirrorJson('--mirror', `http://${reg.host}/mirror/complete`, '--graph-data', graphData, '--channel', 'stable-*', '--arch', 'amd64,multi');
    expect(code).toBe(0);
    expect(report.releases.map((r) => [r.version, r.arch, r.status])).toEqual([
      ['4.99.0', 'amd64', 'unpublished'],
      ['4.99.0', 'multi', 'passed'],
      ['4.99.1', 'amd64', 'passed'],
      ['4.99.1', 'multi', 'unpublished'],
    ]);
    expect(report.releases[1]!.places).toEqual([{ file: 'channels/stable-4.99.yaml', line: 3, channel: 'stable-4.99' }]);
  });

  it('refuses to run without a mirror or releases (exit 2), and teaches by example', async () => {
    const noMirror = await cli('mirror', '--release', '4.99.0');
    expect(noMirror.code).toBe(2);
    expect(noMirror.stderr).toContain('mirror needs the mirror to check');
    const noRelease = await cli('mirror', '--mirror', 'registry.example.com/ocp4/openshift4');
    expect(noRelease.code).toBe(2);
    expect(noRelease.stderr).toContain('mirror needs the releases to check');
    const help = await cli('mirror', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--idms FILE');
  });
});

describe('release-sigcheck configmap --write --release over a real registry and signature store', () => {
  it('resolves each architecture in the release repository, writes the verified signatures, and they read back', async () => {
    const out = join(dir, 'write-version');
    const r = await cli(
      'configmap', '--write', out, '--release', '4.99.0', '--release', '4.99.1', '--arch', 'amd64,multi',
      '--release-repo', `http://${srcRepo()}`, '--signature-store', store.base, '--openpgp-key', openpgpKeyFile, '--retries', '0', '--format', 'json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.items.map((i: { digest: string; release: object; outcome: string }) => [i.digest, i.release, i.outcome])).toEqual([
      [multi.digest, { version: '4.99.0', arch: 'multi', tag: '4.99.0-multi' }, 'verified'],
      [single.digest, { version: '4.99.1', arch: 'amd64', tag: '4.99.1-x86_64' }, 'verified'],
    ]);
    expect(report.notes).toEqual([
      `4.99.0 amd64: tag 4.99.0-x86_64 does not exist in ${srcRepo()}; skipped`,
      `4.99.1 multi: tag 4.99.1-multi does not exist in ${srcRepo()}; skipped`,
    ]);
    expect(report.items[0].signatures[0].source).toBe(`${store.base}/sha256=${hex(multi.digest)}/signature-1`);

    const back = await cli('configmap', out, '--openpgp-key', openpgpKeyFile);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('2 digest(s), 2 signature(s): 2 verified, 0 without a valid signature');
    // Written because they verified under the given key; without it they are not Red Hat's.
    const untrusted = await cli('configmap', out);
    expect(untrusted.code).toBe(1);
  });

  it('writes nothing for a release the store has no signature of (exit 1), and reports an unreachable store as exit 3', async () => {
    const unsignedRun = await cli('configmap', '--write', join(dir, 'w-unsigned'), '--release', '4.99.2', '--arch', 'amd64', '--release-repo', `http://${srcRepo()}`, '--signature-store', store.base, '--openpgp-key', openpgpKeyFile, '--retries', '0');
    expect(unsignedRun.code).toBe(1);
    expect(unsignedRun.stdout).toContain(`NOT WRITTEN ${unsigned.digest} (4.99.2 amd64): no signature of ${unsigned.digest} in ${store.base}`);
    const port = await freePort();
    const down = await cli('configmap', '--write', join(dir, 'w-down'), '--digest', single.digest, '--signature-store', `http://127.0.0.1:${port}/signatures`, '--retries', '0', '--timeout', '2s');
    expect(down.code).toBe(3);
    expect(down.stdout).toContain(`NOT WRITTEN ${single.digest}: could not read the signatures of ${single.digest}`);
    await expect(access(join(dir, 'w-down'))).rejects.toThrow();
  });
});
