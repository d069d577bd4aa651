/**
 * `node bench/verify.ts`: what one signature verification costs.
 *
 *  - OpenPGP, in-process: a genuine Red Hat v4 signature (fixtures/openpgp/real/ocp-4.15.0-x86_64...,
 *    release key 2, RSA-4096) through src/openpgp/verify.ts `verifyOpenPGPSignature` with the baked-in
 *    keyring (`loadOpenPGPKeyring()`), one at a time, many times;
 *  - OpenPGP, the way a shell script would do it: `gpg --batch --status-fd 1 --verify FILE`, one process
 *    per signature, in a throwaway GNUPGHOME holding the same baked-in key;
 *  - Sigstore, in-process: one RSA-4096 cosign layer (test/harness/cosign.ts) through src/sigstore/verify.ts
 *    `verifySignatureLayer`, and a `.sig` manifest with ART's two layers through `verifySignatureManifest`.
 *
 * Prints medians side by side with the ratio; the target is the in-process OpenPGP path at least 10
 * times faster than a gpg process per signature. Every iteration's verdict is checked: a benchmark of a
 * verification that fails would measure the wrong path.
 *
 *   node bench/verify.ts [--iterations 1000] [--gpg-runs 50]
 */
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { toDigest } from '../src/model/digest.ts';
import { loadOpenPGPKeyring } from '../src/openpgp/keys.ts';
import { verifyOpenPGPSignature } from '../src/openpgp/verify.ts';
import type { SigstoreRequirement, SigstoreTrust } from '../src/sigstore/policy.ts';
import { toRepositoryReference, withDigest } from '../src/sigstore/reference.ts';
import { verifySignatureLayer, verifySignatureManifest } from '../src/sigstore/verify.ts';
import { REDHAT_RELEASE_2_ASC } from '../src/trust/baked-keys.ts';
import { buildSigArtifact, generateRsaKey, served, signLayer } from '../test/harness/cosign.ts';
import { GPG_BIN, GPGCONF_BIN } from '../test/harness/gpg.ts';

const REAL = fileURLToPath(new URL('../test/fixtures/openpgp/real', import.meta.url));
const FIXTURE = `${REAL}/ocp-4.15.0-x86_64.sha256-0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363.sig`;
/** A genuine v3 signature: src/openpgp/v3.ts verifies it with node:crypto instead of openpgp.js. */
const FIXTURE_V3 = `${REAL}/ocp-4.10.x-x86_64.v3sig.sha256-195de2a5ef3af1083620a62a45ea61ac1233ffa27bbce7b30609a69775aeca19.sig`;
const REPO = 'quay.io/openshift-release-dev/ocp-release';

const { values } = parseArgs({ options: { iterations: { type: 'string' }, 'gpg-runs': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write('Usage: node bench/verify.ts [--iterations 1000] [--gpg-runs 50]\n');
  process.exit(0);
}
const ITERATIONS = Number(values.iterations ?? 1000);
const GPG_RUNS = Number(values['gpg-runs'] ?? 50);
if (!Number.isInteger(ITERATIONS) || ITERATIONS < 10 || !Number.isInteger(GPG_RUNS) || GPG_RUNS < 3) {
  process.stderr.write('--iterations must be a whole number >= 10 and --gpg-runs >= 3\n');
  process.exit(2);
}

interface Timing {
  median: number;
  p10: number;
  p90: number;
  n: number;
}

function summarise(ms: number[]): Timing {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), n: s.length };
}

/** Times `run` `n` times after `warmup` untimed calls; `run` throws when its verdict is wrong. */
async function time(n: number, warmup: number, run: () => Promise<void> | void): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  return summarise(ms);
}

const show = (t: Timing) => `median ${t.median.toFixed(3)} ms (p10 ${t.p10.toFixed(3)}, p90 ${t.p90.toFixed(3)}) over ${t.n}`;
const say = (text = '') => process.stdout.write(`${text}\n`);

// --- OpenPGP in-process ---------------------------------------------------------------------------------

const keyring = await loadOpenPGPKeyring();

/** Times the in-process verification of a fixture named `...sha256-<hex>...`, which must verify. */
async function timeFixture(file: string): Promise<{ blob: Uint8Array; timing: Timing; version: number }> {
  const blob = new Uint8Array(await readFile(file));
  const digest = toDigest(`sha256:${/sha256-([0-9a-f]{64})/.exec(basename(file))?.[1] ?? ''}`);
  const first = await verifyOpenPGPSignature(blob, digest, keyring);
  if (!first.ok) throw new Error(`${file} did not verify: ${first.code}: ${first.reason}`);
  const timing = await time(ITERATIONS, 50, async () => {
    const verdict = await verifyOpenPGPSignature(blob, digest, keyring);
    if (!verdict.ok) throw new Error(`verification of ${file} failed: ${verdict.reason}`);
  });
  return { blob, timing, version: first.signatureVersion };
}

const v4 = await timeFixture(FIXTURE);
const blob = v4.blob;
const openpgpInProcess = v4.timing;
const v3 = await timeFixture(FIXTURE_V3);

// --- OpenPGP with gpg, one process per signature ------------------------------------------------------

function gpgVerify(home: string, file: string): Promise<{ code: number | null; status: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(GPG_BIN, ['--batch', '--no-tty', '--status-fd', '1', '--verify', file], { env: { ...process.env, GNUPGHOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let status = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (status += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, status, stderr }));
  });
}

const home = await mkdtemp(join(tmpdir(), 'sigcheck-bench-gpg-'));
let gpgTiming: Timing;
try {
  const keyFile = join(home, 'redhat-release-2.asc');
  await writeFile(keyFile, REDHAT_RELEASE_2_ASC);
  const imported = spawnSync(GPG_BIN, ['--batch', '--no-tty', '--import', keyFile], { env: { ...process.env, GNUPGHOME: home }, encoding: 'utf8' });
  if (imported.status !== 0) throw new Error(`gpg --import failed: ${imported.stderr}`);
  const sigFile = join(home, 'signature-1');
  await writeFile(sigFile, blob);
  gpgTiming = await time(GPG_RUNS, 3, async () => {
    const r = await gpgVerify(home, sigFile);
    // VALIDSIG: the signature verifies under the imported key (gpg adds trust warnings, not failures).
    if (r.code !== 0 || !/^\[GNUPG:\] VALIDSIG /m.test(r.status)) throw new Error(`gpg --verify did not verify (exit ${r.code}): ${r.status}${r.stderr}`);
  });
} finally {
  spawnSync(GPGCONF_BIN, ['--kill', 'all'], { env: { ...process.env, GNUPGHOME: home } });
  await rm(home, { recursive: true, force: true });
}

// --- Sigstore in-process --------------------------------------------------------------------------------

const key = generateRsaKey('bench RSA-4096 cosign key', 4096);
const imageDigest = toDigest(`sha256:${'ab'.repeat(32)}`);
const repo = toRepositoryReference(REPO, 'bench repository');
const requirement: SigstoreRequirement = { origin: 'bench', scope: REPO, keys: [key.trusted], identity: { type: 'matchRepoDigestOrExact' } };
const trust: SigstoreTrust = { releaseRepo: REPO, requirements: [requirement] };
const context = { imageDigest, intended: withDigest(repo, imageDigest) };
const byDigest = signLayer({ identity: `${REPO}@${imageDigest}`, digest: imageDigest, key });
const byTag = signLayer({ identity: `${REPO}:4.99.0-x86_64`, digest: imageDigest, key });
const layer = { mediaType: byDigest.mediaType, annotations: byDigest.annotations, payload: byDigest.blob };
const layerTiming = await time(ITERATIONS, 50, () => {
  const v = verifySignatureLayer(layer, requirement, context);
  if (v.code !== 'VERIFIED') throw new Error(`the cosign layer did not verify: ${v.code}: ${v.reason}`);
});
const artifact = buildSigArtifact([byDigest, byTag]);
const manifestTiming = await time(ITERATIONS, 50, () => {
  const v = verifySignatureManifest({ manifest: served(artifact), blobs: artifact.blobs, context, trust });
  if (v.outcome !== 'verified') throw new Error(`the .sig manifest did not verify: ${v.code}: ${v.reason}`);
});

// --- report ---------------------------------------------------------------------------------------------

const gpgVersion = spawnSync(GPG_BIN, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? 'gpg';
const ratio = gpgTiming.median / openpgpInProcess.median;
say(`signature verification, node ${process.version}, ${gpgVersion}`);
say('');
say(`OpenPGP: genuine Red Hat v4 signature (${basename(FIXTURE).slice(0, 40)}..., release key 2, RSA-4096, ${blob.byteLength} bytes)`);
say(`  in-process verifyOpenPGPSignature       ${show(openpgpInProcess)}`);
say(`  gpg --verify, one process per signature ${show(gpgTiming)}`);
say(`  ratio                                   gpg / in-process = ${ratio.toFixed(1)}x   [target >= 10x: ${ratio >= 10 ? 'met' : 'MISSED'}]`);
say(`  for comparison, a genuine v${v3.version} signature  ${show(v3.timing)} (src/openpgp/v3.ts: node:crypto, not openpgp.js)`);
say('');
say(`Sigstore: RSA-4096 cosign signature (PKCS#1 v1.5, SHA-256), in-process`);
say(`  verifySignatureLayer, one layer         ${show(layerTiming)}`);
say(`  verifySignatureManifest, ART's 2 layers ${show(manifestTiming)}`);
