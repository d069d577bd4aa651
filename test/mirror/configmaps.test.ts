/**
 * The OpenPGP side of a disconnected cluster, on the genuine Red Hat release signatures
 * (shared/fixtures/openpgp/real and store/): ConfigMaps in the `oc adm release mirror --to-dir` and
 * oc-mirror layouts verify with their real digests; `configmap --write` fetches from a file:// store
 * laid out like mirror.openshift.com, writes exactly what the cluster-version operator reads, and
 * `configmap` reads it back as verified. Unverified signatures are never written.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { parse, stringify } from 'yaml';
import type { FetchStoreSignature } from '../../src/model/sources.ts';
import { main } from '../../src/cli/main.ts';
import { HttpClient } from '../../src/http/client.ts';
import type { Digest } from '../../src/model/digest.ts';
import { collectStoreSignatures } from '../../src/mirror/collect.ts';
import { checkConfigMapSignatures, loadConfigMapIndex } from '../../src/mirror/configmaps.ts';
import { formatSignatureConfigMap, toSignatureConfigMap } from '../../src/openpgp/configmap.ts';
import { createStoreFetcher } from '../../src/openpgp/fetch.ts';
import { Capture } from '../helpers/fakes.ts';
import { bakedKeyring, fixtureBytes, OPENPGP_FIXTURES, REAL_RELEASE_SIGNATURES, RELEASE_KEY_2 } from '../openpgp/fixtures.ts';

const LABEL = 'release.openshift.io/verification-signatures';
const STORE = pathToFileURL(join(OPENPGP_FIXTURES, 'store')).href;
/** store/ files the 4.16.0 signature under this digest: a valid signature, of another digest. */
const MISFILED: Digest = 'sha256:37433b71c073c6cbfc8173ec7ab2d99032c8e6d6fe29de06e062d85e33e34531';
const UNSIGNED: Digest = `sha256:${'f0'.repeat(32)}`;
const hex = (d: string) => d.slice('sha256:'.length);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

let dir: string;
const real = new Map<Digest, Uint8Array>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-mirror-cm-'));
  for (const s of REAL_RELEASE_SIGNATURES) real.set(s.digest, await fixtureBytes(s.file));
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

async function put(path: string, text: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
  return path;
}

describe('genuine release signatures as signature ConfigMaps', () => {
  it('verify with their real digests in the oc adm release mirror --to-dir layout', async () => {
    const media = join(dir, 'media');
    for (const [digest, bytes] of real) {
      await put(join(media, 'mirror', 'config', `signature-sha256-${hex(digest).slice(0, 16)}.json`), formatSignatureConfigMap(toSignatureConfigMap(digest, [bytes]), 'json'));
    }
    const index = await loadConfigMapIndex([join(media, 'mirror', 'config')]);
    expect(index.files).toHaveLength(REAL_RELEASE_SIGNATURES.length);
    expect(index.notes).toEqual([]);
    const keyring = await bakedKeyring();
    for (const s of REAL_RELEASE_SIGNATURES) {
      const result = await checkConfigMapSignatures(s.digest, index, keyring);
      expect(result, s.file).toMatchObject({ outcome: 'verified', identity: s.identity, signer: expect.stringContaining('Red Hat release key 2') });
      expect(result.reason).toContain(`v${s.version} signature`);
    }
    expect(await checkConfigMapSignatures(UNSIGNED, index, keyring)).toMatchObject({ outcome: 'missing', reason: expect.stringContaining(`no binaryData key sha256-${hex(UNSIGNED)}-N in 6 file(s)`) });
  });

  it('verify in the oc-mirror layout (one ConfigMap, several digests), and a misfiled signature does not', async () => {
    const binaryData: Record<string, string> = {};
    for (const [digest, bytes] of real) binaryData[`sha256-${hex(digest)}-1`] = b64(bytes);
    binaryData[`sha256-${hex(MISFILED)}-1`] = b64(await fixtureBytes(`store/sha256=${hex(MISFILED)}/signature-1`));
    const file = await put(
      join(dir, 'oc-mirror', 'working-dir', 'cluster-resources', 'signature-configmap.yaml'),
      stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mirrored-release-signatures', namespace: 'openshift-config-managed', labels: { [LABEL]: '' } }, binaryData }),
    );
    const index = await loadConfigMapIndex([join(dir, 'oc-mirror')]);
    expect(index.files).toEqual([file]);
    const keyring = await bakedKeyring();
    for (const s of REAL_RELEASE_SIGNATURES) expect((await checkConfigMapSignatures(s.digest, index, keyring)).outcome).toBe('verified');
    const misfiled = await checkConfigMapSignatures(MISFILED, index, keyring);
    expect(misfiled.outcome).toBe('invalid');
    expect(misfiled.attempts![0]!.reason).toMatch(/^DIGEST_MISMATCH/);
  });

  it('do not count in a ConfigMap the operator never lists (no label, another namespace)', async () => {
    const [a, b, c] = REAL_RELEASE_SIGNATURES;
    const doc = (name: string, digest: Digest, metadata: Record<string, unknown>) =>
      stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, binaryData: { [`sha256-${hex(digest)}-1`]: b64(real.get(digest)!) } });
    const file = await put(
      join(dir, 'unread', 'cms.yaml'),
      [
        doc('unlabelled', a!.digest, { namespace: 'openshift-config-managed' }),
        doc('elsewhere', b!.digest, { namespace: 'default', labels: { [LABEL]: '' } }),
        doc('nonamespace', c!.digest, { labels: { [LABEL]: '' } }),
      ].join('---\n'),
    );
    const index = await loadConfigMapIndex([file]);
    const keyring = await bakedKeyring();
    const unlabelled = await checkConfigMapSignatures(a!.digest, index, keyring);
    expect(unlabelled.outcome).toBe('invalid');
    expect(unlabelled.reason).toContain(`verifies, but the cluster-version operator will not read it: ConfigMap openshift-config-managed/unlabelled in ${file} lacks the label ${LABEL}`);
    const elsewhere = await checkConfigMapSignatures(b!.digest, index, keyring);
    expect(elsewhere.outcome).toBe('invalid');
    expect(elsewhere.reason).toContain('is in namespace default; the cluster-version operator reads openshift-config-managed only');
    const nonamespace = await checkConfigMapSignatures(c!.digest, index, keyring);
    expect(nonamespace.outcome).toBe('verified');
    expect(nonamespace.reason).toContain('names no namespace: apply it with -n openshift-config-managed');
  });
});

describe('collectStoreSignatures', () => {
  it('gathers every verified signature across stores once, and never returns an unverified one', async () => {
    const digest = REAL_RELEASE_SIGNATURES[0]!.digest;
    const copy = join(dir, 'store-copy', `sha256=${hex(digest)}`);
    await mkdir(copy, { recursive: true });
    await writeFile(join(copy, 'signature-1'), real.get(digest)!); // the same blob as the fixture store's
    await writeFile(join(copy, 'signature-2'), real.get(REAL_RELEASE_SIGNATURES[1]!.digest)!); // another digest's
    const http = new HttpClient({ retry: { retries: 0 } });
    const fetch = createStoreFetcher(http);
    onTestFinished(() => http.close());
    const collected = await collectStoreSignatures(digest, { stores: [STORE, pathToFileURL(join(dir, 'store-copy')).href], fetch, keyring: await bakedKeyring() });
    expect(collected.outcome).toBe('verified');
    expect(collected.signatures).toHaveLength(1);
    expect(Buffer.from(collected.signatures[0]!.bytes).equals(Buffer.from(real.get(digest)!))).toBe(true);
    expect(collected.signatures[0]!.verdict.signer.fingerprint).toBe(RELEASE_KEY_2);
    expect(collected.attempts.map((a) => a.outcome)).toEqual(['verified', 'verified', 'invalid']);

    const misfiled = await collectStoreSignatures(MISFILED, { stores: [STORE], fetch, keyring: await bakedKeyring() });
    expect(misfiled).toMatchObject({ outcome: 'invalid', signatures: [] });
    expect((await collectStoreSignatures(UNSIGNED, { stores: [STORE], fetch, keyring: await bakedKeyring() })).outcome).toBe('missing');
  });

  it('reports error, not missing, when a store could not be read, and keeps walking past a failed index', async () => {
    const digest = REAL_RELEASE_SIGNATURES[0]!.digest;
    const calls: string[] = [];
    const failing: FetchStoreSignature = async (url) => {
      calls.push(url.slice(url.lastIndexOf('/') + 1));
      return url.endsWith('signature-9') ? { kind: 'not-found', source: url } : { kind: 'error', source: url, reason: 'HTTP 503 after 0 retries' };
    };
    const result = await collectStoreSignatures(digest, { stores: ['https://store.invalid/sigs'], fetch: failing, keyring: await bakedKeyring() });
    expect(result.outcome).toBe('error');
    expect(result.reason).toContain('HTTP 503');
    expect(calls).toEqual(['signature-1', 'signature-2', 'signature-3', 'signature-4', 'signature-5', 'signature-6', 'signature-7', 'signature-8', 'signature-9']);
    const found = async (url: string) => (url.endsWith('signature-2') ? { kind: 'found' as const, value: real.get(digest)!, source: url } : failing(url));
    expect((await collectStoreSignatures(digest, { stores: ['https://store.invalid/sigs'], fetch: found, keyring: await bakedKeyring() })).outcome).toBe('verified');
  });
});

describe('release-sigcheck configmap --write', () => {
  it('writes the genuine signatures as the operator reads them, and configmap reads them back as verified', async () => {
    const out = join(dir, 'written');
    const args = REAL_RELEASE_SIGNATURES.flatMap((s) => ['--digest', s.digest]);
    const r = await cli('configmap', '--write', out, ...args, '--signature-store', STORE, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.summary).toEqual({ digests: 6, written: 6, failed: 0, errored: 0 });
    expect((await readdir(out)).sort()).toEqual(REAL_RELEASE_SIGNATURES.map((s) => `signature-sha256-${hex(s.digest).slice(0, 16)}.yaml`).sort());

    for (const s of REAL_RELEASE_SIGNATURES) {
      const file = join(out, `signature-sha256-${hex(s.digest).slice(0, 16)}.yaml`);
      const cm = parse(await readFile(file, 'utf8'));
      // The format in research/openpgp.md 2.4 (GetSignaturesAsConfigmap): name sha256-<hex>, the
      // namespace and label the operator lists by, 1-based binaryData keys holding the raw blob.
      expect(cm).toEqual({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `sha256-${hex(s.digest)}`, namespace: 'openshift-config-managed', labels: { [LABEL]: '' } },
        binaryData: { [`sha256-${hex(s.digest)}-1`]: b64(real.get(s.digest)!) },
      });
      const item = report.items.find((i: { digest: string }) => i.digest === s.digest);
      expect(item).toMatchObject({ outcome: 'verified', file, configMap: `openshift-config-managed/sha256-${hex(s.digest)}`, apply: `oc apply -f ${file}` });
      expect(item.signatures).toEqual([expect.objectContaining({ fingerprint: RELEASE_KEY_2, identity: s.identity, signatureVersion: s.version })]);
    }

    const back = await cli('configmap', out, '--format', 'json');
    expect(back.code).toBe(0);
    const read = JSON.parse(back.stdout);
    expect(read.notes).toEqual([]);
    expect(read.summary).toMatchObject({ digests: 6, verified: 6, failed: 0 });
    expect(read.digests.map((d: { digest: string; outcome: string }) => [d.digest, d.outcome]).sort()).toEqual(REAL_RELEASE_SIGNATURES.map((s) => [s.digest, 'verified']).sort());
  });

  it('writes nothing for a digest without a verified signature, and says why (exit 1)', async () => {
    const out = join(dir, 'nothing');
    const r = await cli('configmap', '--write', out, '--digest', MISFILED, '--digest', UNSIGNED, '--signature-store', STORE);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`NOT WRITTEN ${MISFILED}: 1 signature(s) of ${MISFILED} in ${STORE}, none valid (`);
    expect(r.stdout).toMatch(/DIGEST_MISMATCH/);
    expect(r.stdout).toContain(`NOT WRITTEN ${UNSIGNED}: no signature of ${UNSIGNED} in ${STORE}; nothing was written`);
    expect(r.stdout).toContain('0 ConfigMap(s) written');
    await expect(readdir(out)).rejects.toThrow();
  });

  it('writes only the signatures that verify, and names the ones it left out', async () => {
    const [a, b] = REAL_RELEASE_SIGNATURES;
    const storeDir = join(dir, 'mixed-store', `sha256=${hex(a!.digest)}`);
    await mkdir(storeDir, { recursive: true });
    await writeFile(join(storeDir, 'signature-1'), real.get(b!.digest)!); // valid, but of another digest
    await writeFile(join(storeDir, 'signature-2'), real.get(a!.digest)!);
    const out = join(dir, 'mixed');
    const r = await cli('configmap', '--write', out, '--digest', a!.digest, '--signature-store', pathToFileURL(join(dir, 'mixed-store')).href);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`not written (invalid) ${join(storeDir, 'signature-1')}: DIGEST_MISMATCH`);
    const cm = parse(await readFile(join(out, `signature-sha256-${hex(a!.digest).slice(0, 16)}.yaml`), 'utf8'));
    expect(cm.binaryData).toEqual({ [`sha256-${hex(a!.digest)}-1`]: b64(real.get(a!.digest)!) });
  });

  it('rejects options that do not fit the mode (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [['configmap', '--write', join(dir, 'x'), 'file.yaml', '--digest', UNSIGNED], /--write takes no ConfigMap files/],
      [['configmap', '--write', join(dir, 'x')], /--write needs the release: --release V \[--arch LIST\], or --digest D/],
      [['configmap', '--write', join(dir, 'x'), '--digest', 'sha256:../../etc'], /--digest: "sha256:..\/..\/etc" is not a digest/],
      [['configmap', '--digest', UNSIGNED, 'file.yaml'], /--digest belongs to --write mode/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
