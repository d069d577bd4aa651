/**
 * Acceptance: the policy.json of the signedRegistries enhancement (openshift/enhancements 6624aaec,
 * enhancements/api-review/add-signedRegistries.md, test/fixtures/policy/), through the CLI's `image`
 * command against a real docker-registry and a loopback lookaside holding gpg-made signatures:
 *
 *  - as written, the example is refused (its keyData holds a path, which containers/image reads as
 *    base64 and refuses), naming the file and the JSON path;
 *  - with keyPath, as the enhancement's gpgKeyPath means it: an image signed by key1 under a signedBy
 *    scope passes, an unsigned image under a signedBy scope fails, an image in the insecureAcceptAnything
 *    scope passes without signatures, an image no scope covers falls to `reject` and fails;
 *  - the oracle (when present) decides the same four images the same way.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { FIXTURES, HAVE_ORACLE } from '../helpers/paths.ts';
import { Capture } from '../helpers/fakes.ts';
import { GpgHome, type GpgKey } from '../harness/gpg.ts';
import { HttpPusher, buildImage } from '../harness/images.ts';
import { oracleSigstore } from '../harness/oracle-policy.ts';
import { makeTempDir, startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startServer, type TestServer } from '../harness/store.ts';
import { atomicPayload } from '../differential/policy-world.ts';

const EXAMPLE = join(FIXTURES, 'policy', 'signed-registries-enhancement.policy.json');

async function cli(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The images of the acceptance, by what the example's policy says about them. */
const IMAGES = {
  signed: 'image-registry.openshift-image-registry.svc:5000/team/app',
  unsigned: 'example.com/team/app',
  insecure: 'quay.io/allowed/app',
  rejected: 'quay.io/other/app',
} as const;

let registry: RegistryHarness;
let lookaside: TestServer;
const files = new Map<string, Uint8Array>();
let gpg: GpgHome;
let key1: GpgKey;
let dir: string;
const digests: Record<string, string> = {};
const physical = (logical: string) => `acc/${logical.replace(/[:.]/g, '-')}`;

beforeAll(async () => {
  dir = await makeTempDir('signed-registries');
  registry = await startRegistry();
  lookaside = await startServer((req, res) => {
    const body = files.get(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  gpg = await GpgHome.create();
  key1 = await gpg.generateKey({ name: 'signedRegistries key1' });
  const key2 = await gpg.generateKey({ name: 'signedRegistries key2' });
  await writeFile(join(dir, 'key1.gpg'), await gpg.exportPublicKey(key1.fingerprint));
  await writeFile(join(dir, 'key2.gpg'), await gpg.exportPublicKey(key2.fingerprint));
  for (const [what, logical] of Object.entries(IMAGES)) {
    const img = buildImage({ arch: 'amd64', seed: `signed-registries-${what}` });
    await new HttpPusher(registry.url, physical(logical)).image(img);
    digests[what] = img.digest;
  }
  // key1 signs the image under the signedBy scope, as `skopeo copy --sign-by` would, into the lookaside.
  const sig = await gpg.sign(atomicPayload(digests.signed!, `${IMAGES.signed}@${digests.signed}`), { key: key1.fingerprint });
  files.set(`/sigs/${physical(IMAGES.signed)}@sha256=${digests.signed!.slice(7)}/signature-1`, sig);
  await mkdir(join(dir, 'registries.d'));
  await writeFile(join(dir, 'registries.d', 'lookaside.yaml'), `docker:\n  "${registry.host}":\n    lookaside: ${lookaside.url}/sigs\n`);
}, 120_000);
afterAll(async () => {
  await lookaside?.stop();
  await registry?.stop();
  await gpg?.close();
});

/** The example with its key paths pointed at this test's keys, keyData spelled keyPath. */
async function correctedExample(): Promise<string> {
  const text = await readFile(EXAMPLE, 'utf8');
  return text.replace(/"keyData": "\/tmp\/(key[12]\.gpg)"/g, (_m, name: string) => `"keyPath": ${JSON.stringify(join(dir, name))}`);
}

async function checkImage(what: keyof typeof IMAGES, policy: string) {
  const logical = IMAGES[what];
  return cli('image', `${logical}@${digests[what]}`, '--mirror', `${registry.url}/${physical(logical)}`, '--policy-json', policy, '--registries-d', join(dir, 'registries.d'), '--require', 'sigstore', '--format', 'json', '--retries', '0');
}

describe('the signedRegistries enhancement\'s policy.json', () => {
  it('as written: refused, naming the file and the JSON path of the keyData that holds a path', async () => {
    const r = await checkImage('signed', EXAMPLE);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${EXAMPLE}: transports.atomic["image-registry.openshift-image-registry.svc:5000"][0].keyData: is not valid base64`);
  });

  it('with keyPath: signed passes, unsigned fails under signedBy, insecureAcceptAnything passes, reject fails', async () => {
    const policy = join(dir, 'policy.json');
    await writeFile(policy, await correctedExample());
    const outcome = async (what: keyof typeof IMAGES) => {
      const r = await checkImage(what, policy);
      const node = JSON.parse(r.stdout).nodes[0];
      return { code: r.code, outcome: node.sigstore.outcome as string, reason: node.sigstore.reason as string };
    };
    const signed = await outcome('signed');
    expect(signed).toMatchObject({ code: 0, outcome: 'verified' });
    expect(signed.reason).toMatch(/transports\.docker\["image-registry\.openshift-image-registry\.svc:5000"\]\[0\] \(signedBy\).*verified by signedRegistries key1/);
    const unsigned = await outcome('unsigned');
    expect(unsigned).toMatchObject({ code: 1, outcome: 'missing' });
    expect(unsigned.reason).toMatch(/transports\.docker\["example\.com"\]\[0\] \(signedBy\) needs an? OpenPGP simple-signing signature/);
    const insecure = await outcome('insecure');
    expect(insecure).toMatchObject({ code: 0, outcome: 'verified' });
    expect(insecure.reason).toMatch(/without checking any signature: .*transports\.docker\["quay\.io\/allowed"\]/);
    const rejected = await outcome('rejected');
    expect(rejected).toMatchObject({ code: 1, outcome: 'invalid' });
    expect(rejected.reason).toMatch(/default \(the global default: no docker scope covers it\).*default\[0\] is reject/);
  });

  it.skipIf(!HAVE_ORACLE)('the oracle decides the four images the same way', async () => {
    const policy = await correctedExample();
    const conf = ['unqualified-search-registries = []', ...Object.values(IMAGES).flatMap((logical) => ['[[registry]]', `prefix = "${logical}"`, `location = "${registry.host}/${physical(logical)}"`, 'insecure = true'])].join('\n');
    const answers: Record<string, boolean> = {};
    for (const [what, logical] of Object.entries(IMAGES)) {
      const caseDir = join(dir, `oracle-${what}`);
      await mkdir(join(caseDir, 'home'), { recursive: true });
      const v = await oracleSigstore({ dir: caseDir, policy, registriesD: { 'lookaside.yaml': `docker:\n  "${registry.host}":\n    lookaside: ${lookaside.url}/sigs\n` }, registriesConf: conf, ref: `docker://${logical}@${digests[what]}`, home: join(caseDir, 'home') });
      answers[what] = v.accept;
    }
    expect(answers).toEqual({ signed: true, unsigned: false, insecure: true, rejected: false });
    // And the example as written does not load there either.
    const asWritten = join(dir, 'oracle-as-written');
    await mkdir(join(asWritten, 'home'), { recursive: true });
    const v = await oracleSigstore({ dir: asWritten, policy: await readFile(EXAMPLE, 'utf8'), registriesD: {}, registriesConf: conf, ref: `docker://${IMAGES.signed}@${digests.signed}`, home: join(asWritten, 'home') });
    expect(v).toMatchObject({ accept: false, reason: expect.stringMatching(/illegal base64 data/) });
  });
});
