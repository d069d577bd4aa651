/**
 * `release-sigcheck mirror` and the release's component images, over Debian's docker-registry: the
 * source holds a payload naming two components in ocp-v4.0-art-dev, each signed; the mirror
 * (oc adm release mirror --to layout: one repository for the release and its components) lacks one
 * component and the `.sig` of the other. Each gap is a finding with its remedy, and running the
 * printed skopeo copies makes the next run pass.
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { MirrorReleaseResult } from '../../src/mirror/check.ts';
import { buildSigArtifact, clusterImagePolicyYaml, generateRsaKey, pushSig, signLayer, type TestKey } from '../harness/cosign.ts';
import { HttpPusher } from '../harness/images.ts';
import { makeTempDir, startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { SKOPEO_BIN } from '../harness/skopeo.ts';
import { buildComponentImage, buildPayload } from '../harness/payload.ts';
import { Capture } from '../helpers/fakes.ts';

const run = promisify(execFile);
const SRC = 'openshift-release-dev/ocp-release';
const ART = 'openshift-release-dev/ocp-v4.0-art-dev';
const MIRROR = 'mirror/ocp4';

let reg: RegistryHarness;
let dir: string;
let key: TestKey;
let policyFile: string;
const a = buildComponentImage('cluster-version-operator', 'amd64', 'a');
const b = buildComponentImage('machine-config-operator', 'amd64', 'b');

beforeAll(async () => {
  reg = await startRegistry();
  dir = await makeTempDir('mirror-components');
  key = generateRsaKey('release key 3 stand-in', 2048);
  const host = reg.host;
  policyFile = join(dir, 'policy.yaml');
  await writeFile(policyFile, clusterImagePolicyYaml([`${host}/${SRC}`, `${host}/${ART}`], key));
  const sign = (repo: string, digest: string) => buildSigArtifact([signLayer({ digest, identity: `${host}/${repo}@${digest}`, key })]);
  const payload = await buildPayload({ version: '4.61.0', arch: 'amd64', components: [a, b].map((c, i) => ({ name: i === 0 ? 'cluster-version-operator' : 'machine-config-operator', reference: `${host}/${ART}@${c.digest}` })) });
  await new HttpPusher(reg.url, SRC).image(payload, '4.61.0-x86_64');
  await pushSig(reg.url, SRC, payload.digest, sign(SRC, payload.digest));
  for (const c of [a, b]) {
    await new HttpPusher(reg.url, ART).image(c);
    await pushSig(reg.url, ART, c.digest, sign(ART, c.digest));
  }
  // The mirror: the release and its .sig, component a without its .sig, no component b.
  await new HttpPusher(reg.url, MIRROR).image(payload, '4.61.0-x86_64');
  await pushSig(reg.url, MIRROR, payload.digest, sign(SRC, payload.digest));
  await new HttpPusher(reg.url, MIRROR).image(a);
}, 60_000);

afterAll(async () => {
  await reg?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function mirrorCheck() {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(
    ['mirror', '--mirror', `http://${reg.host}/${MIRROR}`, '--release-repo', `http://${reg.host}/${SRC}`, '--image-policy', policyFile, '--release', '4.61.0', '--arch', 'amd64', '--retries', '1', '--format', 'json'],
    { stdout: stdout as never, stderr: stderr as never, env: {} },
  );
  return { code, doc: JSON.parse(stdout.text) as { releases: MirrorReleaseResult[] }, stderr: stderr.text };
}

describe('mirror: component images', () => {
  it('finds the missing component and the missing .sig, with the commands that close each gap, and passes once they ran', async () => {
    const first = await mirrorCheck();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(1);
    const release = first.doc.releases[0]!;
    expect(release.components).toEqual({ total: 2, complete: 0 });
    const kinds = release.findings.map((f) => [f.kind, f.digest]);
    expect(kinds).toEqual(expect.arrayContaining([['component-signature-missing', a.digest], ['component-missing', b.digest]]));
    const missing = release.findings.find((f) => f.kind === 'component-missing')!;
    expect(missing.message).toContain(`does not hold component machine-config-operator (${b.digest})`);
    expect(missing.remedies.slice(0, 2).map((r) => r.argv)).toEqual([
      ['oc', 'image', 'mirror', '--keep-manifest-list=true', '--insecure=true', `${reg.host}/${ART}@${b.digest}`, `${reg.host}/${MIRROR}`],
      ['skopeo', 'copy', '--all', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${reg.host}/${ART}@${b.digest}`, `docker://${reg.host}/${MIRROR}@${b.digest}`],
    ]);
    // Then the component's .sig, as a second step.
    expect(missing.remedies.slice(2).map((r) => [r.tool, r.then])).toEqual([['oc', true], ['skopeo', true]]);
    const sig = release.findings.find((f) => f.kind === 'component-signature-missing')!;
    expect(sig.message).toMatch(/holds an accepted signature, copy its tag/);

    // Run the printed skopeo remedies (policy: accept anything, as the copy is of public content).
    const skopeoPolicy = join(dir, 'skopeo-policy.json');
    await writeFile(join(dir, 'auth.json'), '{"auths":{}}\n');
    await writeFile(skopeoPolicy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    for (const f of release.findings) {
      for (const skopeo of f.remedies.filter((r) => r.tool === 'skopeo')) await run(SKOPEO_BIN, ['--policy', skopeoPolicy, ...skopeo.argv.slice(1)], { env: { ...process.env, REGISTRY_AUTH_FILE: join(dir, 'auth.json') } });

    }
    const second = await mirrorCheck();
    expect(second.doc.releases[0]!.findings).toEqual([]);
    expect(second.doc.releases[0]!.components).toEqual({ total: 2, complete: 2 });
    expect(second.code).toBe(0);
  }, 120_000);
});
