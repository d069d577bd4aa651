/**
 * Signature ConfigMaps: the reader (every writer's layout), the writer (exactly what the
 * cluster-version operator reads), and `release-sigcheck configmap` run in-process on ConfigMaps
 * built from the genuine signatures.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.ts';
import type { Digest } from '../../src/model/digest.ts';
import { isSigcheckError } from '../../src/model/errors.ts';
import { decodeBase64Strict, formatSignatureConfigMap, parseSignatureConfigMaps, readSignatureConfigMaps, toSignatureConfigMap } from '../../src/openpgp/configmap.ts';
import { Capture } from '../helpers/fakes.ts';
import { fixtureBytes, fixturePath, REAL_RELEASE_SIGNATURES } from './fixtures.ts';

let dir: string;
const sigs = new Map<Digest, Uint8Array>();
const WRONG: Digest = 'sha256:37433b71c073c6cbfc8173ec7ab2d99032c8e6d6fe29de06e062d85e33e34531';
const CI_DIGEST: Digest = 'sha256:edd9824f0404f1a139688017e7001370e2f3fbc088b94da84506653b473fe140';
const LABEL = 'release.openshift.io/verification-signatures';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-configmap-'));
  for (const s of REAL_RELEASE_SIGNATURES) sigs.set(s.digest, await fixtureBytes(s.file));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const hex = (d: string) => d.slice('sha256:'.length);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

async function cli(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('toSignatureConfigMap', () => {
  it('writes what the cluster-version operator reads: name, namespace, label, 1-based keys', () => {
    const [first, second] = [Uint8Array.from([1, 2, 3]), Uint8Array.from([4, 5])];
    const d = REAL_RELEASE_SIGNATURES[0]!.digest;
    expect(toSignatureConfigMap(d, [first, second])).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `sha256-${hex(d)}`, namespace: 'openshift-config-managed', labels: { [LABEL]: '' } },
      binaryData: { [`sha256-${hex(d)}-1`]: 'AQID', [`sha256-${hex(d)}-2`]: 'BAU=' },
    });
    expect(() => toSignatureConfigMap('sha256:../x' as Digest, [])).toThrow(/not a digest/);
  });

  it('formats YAML and JSON that read back to the same signatures', () => {
    const s = REAL_RELEASE_SIGNATURES[0]!;
    const cm = toSignatureConfigMap(s.digest, [sigs.get(s.digest)!]);
    for (const format of ['yaml', 'json'] as const) {
      const text = formatSignatureConfigMap(cm, format);
      const parsed = parseSignatureConfigMaps(text, `x.${format}`);
      expect(parsed.notes).toEqual([]);
      expect(parsed.signatures.map((e) => [e.digest, e.key, e.configMap, Buffer.from(e.bytes!).equals(Buffer.from(sigs.get(s.digest)!))])).toEqual([
        [s.digest, `sha256-${hex(s.digest)}-1`, `openshift-config-managed/sha256-${hex(s.digest)}`, true],
      ]);
    }
    expect(formatSignatureConfigMap(cm)).toContain(`  labels:\n    ${LABEL}: ""\n`);
  });
});

describe('parseSignatureConfigMaps', () => {
  it('reads the oc-mirror layout: one ConfigMap, several digests, keys in any order', () => {
    const [a, c, d] = REAL_RELEASE_SIGNATURES;
    const yaml = stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'mirrored-release-signatures', namespace: 'openshift-config-managed', labels: { [LABEL]: '' } },
      binaryData: { [`sha256-${hex(c!.digest)}-2`]: b64(sigs.get(c!.digest)!), [`sha256-${hex(d!.digest)}-3`]: b64(sigs.get(d!.digest)!), [`sha256-${hex(a!.digest)}-1`]: b64(sigs.get(a!.digest)!) },
    });
    const parsed = parseSignatureConfigMaps(yaml, 'oc-mirror.yaml');
    expect(parsed.signatures.map((s) => s.digest)).toEqual([c!.digest, d!.digest, a!.digest]);
    expect(parsed.signatures[0]!.source).toBe(`oc-mirror.yaml: ConfigMap openshift-config-managed/mirrored-release-signatures key sha256-${hex(c!.digest)}-2`);
  });

  it('reads the operator\'s signatures-managed (0-based keys), kind: List, several documents, and notes what it ignores', () => {
    const s = REAL_RELEASE_SIGNATURES[0]!;
    const managed = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'signatures-managed', namespace: 'openshift-config-managed', labels: { [LABEL]: '' } }, binaryData: { [`sha256-${hex(s.digest)}-0`]: b64(sigs.get(s.digest)!) } };
    const unlabelled = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'loose' }, data: { [`sha256-${hex(s.digest)}-1`]: 'text' }, binaryData: { [`sha256-${hex(s.digest)}x`]: b64(sigs.get(s.digest)!), 'SHA256-ABC': 'AA==', other: 'AA==' } };
    const text = `${stringify({ apiVersion: 'v1', kind: 'List', items: [managed, unlabelled] })}---\n${stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } })}---\n${stringify({ kind: 'ConfigMap', metadata: { name: 'release-verification', namespace: 'openshift-config-managed' }, data: { 'store-x': 'https://x' } })}`;
    const parsed = parseSignatureConfigMaps(text, 'f.yaml');
    expect(parsed.signatures.map((e) => [e.key, e.configMap])).toEqual([
      [`sha256-${hex(s.digest)}-0`, 'openshift-config-managed/signatures-managed'],
      [`sha256-${hex(s.digest)}x`, 'loose'],
    ]);
    expect(parsed.notes).toEqual([
      `f.yaml document 1 items[1]: ConfigMap loose: data entry "sha256-${hex(s.digest)}-1" ignored: the cluster-version operator reads signatures from binaryData only`,
      'f.yaml document 1 items[1]: ConfigMap loose: binaryData key "SHA256-ABC" ignored: it does not start with sha256-<64 lowercase hex>',
      'f.yaml document 1 items[1]: ConfigMap loose: binaryData key "other" ignored: it does not start with sha256-<64 lowercase hex>',
      `f.yaml document 1 items[1]: ConfigMap loose: lacks the label ${LABEL}; the cluster-version operator only reads labelled ConfigMaps`,
      'f.yaml document 1 items[1]: ConfigMap loose: has no namespace; the cluster-version operator only reads ConfigMaps in openshift-config-managed',
      'f.yaml document 2: kind Secret, not a ConfigMap, ignored',
      'f.yaml document 3: ConfigMap openshift-config-managed/release-verification: holds no signatures (no binaryData key starting with sha256-<hex>)',
    ]);
  });

  it('a value that is not base64 becomes an entry with its problem; bad YAML is a CONFIG error naming the line', () => {
    const d = REAL_RELEASE_SIGNATURES[0]!.digest;
    const parsed = parseSignatureConfigMaps(JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'x', namespace: 'openshift-config-managed', labels: { [LABEL]: '' } }, binaryData: { [`sha256-${hex(d)}-1`]: 'not base64!', [`sha256-${hex(d)}-2`]: 7 } }), 'x.json');
    expect(parsed.signatures.map((s) => [s.bytes, s.problem])).toEqual([
      [undefined, 'the binaryData value is not valid base64'],
      [undefined, 'the binaryData value is not a base64 string'],
    ]);
    const error = (text: string) => {
      try {
        parseSignatureConfigMaps(text, 'bad.yaml');
      } catch (err) {
        if (isSigcheckError(err, 'CONFIG')) return err.message;
        throw err;
      }
      return 'no error';
    };
    expect(error('kind: ConfigMap\nmetadata:\n  name: [\n')).toMatch(/^bad\.yaml:\d+: not valid YAML or JSON/);
    expect(error('kind: ConfigMap\n\tmetadata: x\n')).toMatch(/^bad\.yaml:\d+: not valid YAML or JSON/);
  });

  it('a duplicate key is a note and the last value counts, as Kubernetes reads it', () => {
    const d = REAL_RELEASE_SIGNATURES[0]!.digest;
    const text = `kind: ConfigMap\nmetadata:\n  name: x\n  namespace: default\n  namespace: openshift-config-managed\n  labels: {${LABEL}: ""}\nbinaryData:\n  sha256-${hex(d)}-1: AAAA\n  sha256-${hex(d)}-1: ${b64(sigs.get(d)!)}\n`;
    const parsed = parseSignatureConfigMaps(text, 'dup.yaml');
    expect(parsed.signatures.map((s) => [s.configMap, Buffer.from(s.bytes!).equals(Buffer.from(sigs.get(d)!))])).toEqual([['openshift-config-managed/x', true]]);
    expect(parsed.notes).toEqual([
      'dup.yaml:5: duplicate key (Map keys must be unique at line 5, column 3); the last value counts, as Kubernetes reads it',
      'dup.yaml:9: duplicate key (Map keys must be unique at line 9, column 3); the last value counts, as Kubernetes reads it',
    ]);
  });

  it('decodeBase64Strict accepts standard padded base64 (line-wrapped too) and nothing else', () => {
    expect(Buffer.from(decodeBase64Strict('AQID\nBAU=')!).toString('hex')).toBe('0102030405');
    expect(decodeBase64Strict('AQI')).toBeUndefined();
    expect(decodeBase64Strict('AQ-_')).toBeUndefined();
    expect(decodeBase64Strict('A===')).toBeUndefined();
  });
});

describe('readSignatureConfigMaps', () => {
  it('walks directories for *.yaml, *.yml and *.json, including oc adm release mirror --to-dir\'s config/ layout', async () => {
    const root = join(dir, 'walk');
    const [a, c] = REAL_RELEASE_SIGNATURES;
    await file('walk/config/signature-sha256-' + hex(a!.digest).slice(0, 16) + '.json', formatSignatureConfigMap(toSignatureConfigMap(a!.digest, [sigs.get(a!.digest)!]), 'json'));
    await file('walk/nested/deeper/x.yml', formatSignatureConfigMap(toSignatureConfigMap(c!.digest, [sigs.get(c!.digest)!])));
    await file('walk/readme.txt', 'not a ConfigMap');
    await file('walk/broken.yaml', 'a: [\n');
    const read = await readSignatureConfigMaps([root]);
    expect(read.files.map((f) => f.slice(root.length + 1))).toEqual([`config/signature-sha256-${hex(a!.digest).slice(0, 16)}.json`, 'nested/deeper/x.yml']);
    expect(read.signatures.map((s) => s.digest)).toEqual([a!.digest, c!.digest]);
    expect(read.notes).toEqual([expect.stringMatching(new RegExp(`^${root}/broken\\.yaml:\\d+: not valid YAML or JSON .*; skipped$`))]);
  });

  it('a missing path, an empty directory and an explicitly named broken file are CONFIG errors', async () => {
    await expect(readSignatureConfigMaps([join(dir, 'none.yaml')])).rejects.toThrow(/none\.yaml: cannot be read \(ENOENT\)/);
    await mkdir(join(dir, 'empty'), { recursive: true });
    await expect(readSignatureConfigMaps([join(dir, 'empty')])).rejects.toThrow(/no \*\.yaml, \*\.yml or \*\.json files/);
    await expect(readSignatureConfigMaps([await file('named-broken.yaml', 'a: [\n')])).rejects.toThrow(/named-broken\.yaml:\d+: not valid YAML/);
  });
});

describe('release-sigcheck configmap', () => {
  it('--help teaches by example', async () => {
    const r = await cli('configmap', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: release-sigcheck configmap [options] FILE|DIR...');
    expect(r.stdout).toContain('release-sigcheck configmap mirror/config/');
    expect((await cli('--help')).stdout).toMatch(/configmap\s+verify the OpenPGP signatures in signature ConfigMaps/);
  });

  it('ConfigMaps built from the six genuine release signatures: each digest verified, exit 0', async () => {
    const docs = REAL_RELEASE_SIGNATURES.map((s) => formatSignatureConfigMap(toSignatureConfigMap(s.digest, [sigs.get(s.digest)!])));
    const path = await file('real/all.yaml', docs.join('---\n'));
    const r = await cli('configmap', path);
    expect(r.code).toBe(0);
    for (const s of REAL_RELEASE_SIGNATURES) {
      expect(r.stdout).toContain(`${s.digest} verified\n  ok      ${path}`);
      expect(r.stdout).toContain(`signed by Red Hat release key 2 (567E347A...FD431D51), v${s.version} signature`);
      expect(r.stdout).toContain(`identity ${s.identity}`);
    }
    expect(r.stdout).toMatch(/6 digest\(s\), 6 signature\(s\): 6 verified, 0 without a valid signature\n$/);
    expect(r.stderr).toBe('');
  });

  it('one signature filed under the wrong digest: exactly that digest is reported, exit 1', async () => {
    const good = REAL_RELEASE_SIGNATURES.slice(0, 3);
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'mirrored-release-signatures', namespace: 'openshift-config-managed', labels: { [LABEL]: '' } },
      binaryData: {
        ...Object.fromEntries(good.map((s, i) => [`sha256-${hex(s.digest)}-${i + 1}`, b64(sigs.get(s.digest)!)])),
        [`sha256-${hex(WRONG)}-4`]: b64(await fixtureBytes(`store/sha256=${hex(WRONG)}/signature-1`)),
      },
    };
    const path = await file('wrong/cm.yaml', stringify(cm));
    const r = await cli('configmap', path, '--format', 'json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { digests: { digest: string; outcome: string; signatures: { code?: string; reason: string; signer?: string }[] }[]; summary: Record<string, number> };
    expect(doc.digests.filter((d) => d.outcome !== 'verified').map((d) => d.digest)).toEqual([WRONG]);
    const bad = doc.digests.find((d) => d.digest === WRONG)!.signatures[0]!;
    expect(bad.code).toBe('DIGEST_MISMATCH');
    expect(bad.reason).toContain('signs "sha256:3717338045df06e31effea46761b2c7e90f543cc4f00547af8158dd6aea868c3"');
    expect(bad.signer).toBe('Red Hat release key 2 (567E347A...FD431D51)');
    expect(doc.summary).toEqual({ digests: 4, verified: 3, failed: 1, signatures: 4 });

    const text = await cli('configmap', path);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${WRONG} NO VALID SIGNATURE\n  invalid ${path}: ConfigMap openshift-config-managed/mirrored-release-signatures key sha256-${hex(WRONG)}-4: DIGEST_MISMATCH: `);
    expect(text.stdout.match(/NO VALID SIGNATURE/g)).toHaveLength(1);
    expect(text.stdout).toContain('4 digest(s), 4 signature(s): 3 verified, 1 without a valid signature');
  });

  it('a digest passes when one of its signatures verifies, and is reported with both', async () => {
    const s = REAL_RELEASE_SIGNATURES[0]!;
    const path = await file('mixed.json', formatSignatureConfigMap(toSignatureConfigMap(s.digest, [await fixtureBytes(REAL_RELEASE_SIGNATURES[1]!.file), sigs.get(s.digest)!]), 'json'));
    const r = await cli('configmap', path);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${s.digest} verified\\n  invalid .*-1: DIGEST_MISMATCH: .*\\n  ok      .*-2: signed by Red Hat release key 2`));
  });

  it('the writer\'s output, written to the --to-dir layout, reads back as verified', async () => {
    const root = join(dir, 'to-dir');
    for (const s of REAL_RELEASE_SIGNATURES) {
      await file(`to-dir/config/signature-sha256-${hex(s.digest).slice(0, 16)}.json`, formatSignatureConfigMap(toSignatureConfigMap(s.digest, [sigs.get(s.digest)!]), 'json'));
    }
    const r = await cli('configmap', root, '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { digests: { outcome: string; signatures: { signatureVersion: number }[] }[]; notes: string[]; files: string[] };
    expect(doc.digests.map((d) => d.outcome)).toEqual(Array(6).fill('verified'));
    expect(doc.digests.flatMap((d) => d.signatures.map((s) => s.signatureVersion)).sort()).toEqual([3, 4, 4, 4, 4, 4]);
    expect(doc.notes).toEqual([]);
    expect(doc.files).toHaveLength(6);
  });

  it('--openpgp-key adds a trusted key to the baked-in ones', async () => {
    const ci = await fixtureBytes('real/ocp-ci-4.0.0-0.ci-2019-04-19-181452.ci-key.sha256-edd9824f0404f1a139688017e7001370e2f3fbc088b94da84506653b473fe140.sig');
    const path = await file('ci.yaml', formatSignatureConfigMap(toSignatureConfigMap(CI_DIGEST, [ci])));
    const without = await cli('configmap', path);
    expect(without.code).toBe(1);
    expect(without.stdout).toContain('UNTRUSTED_KEY: signed by key ID 28B76E05B923888E');
    const withKey = await cli('configmap', '--openpgp-key', fixturePath('keys/cluster-update-keys.verifier-public-key-openshift-ci'), path);
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toContain('signed by OpenShift CI key 1 (D04761B1...B923888E)');
  });

  it('notes go to stderr; a ConfigMap without signatures is exit 1 (the release-verification ConfigMap OpenShift ships)', async () => {
    const path = fixturePath('cluster-update-keys.manifests.rhel.0000_90_cluster-update-keys_configmap.yaml');
    const r = await cli('configmap', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`note: ${path}:71: duplicate key (Map keys must be unique at line 71, column 3); the last value counts`);
    expect(r.stderr).toContain('ConfigMap openshift-config-managed/release-verification: holds no signatures');
    expect(r.stdout).toBe(`no signatures found in 1 file(s): a signature ConfigMap holds binaryData keys sha256-<hex>-N\n`);
  });

  it('usage and configuration errors are exit 2 with a message that says what to do', async () => {
    const none = await cli('configmap');
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('configmap needs at least one ConfigMap file or directory')]);
    expect((await cli('configmap', '--format', 'xml', 'x.yaml')).stderr).toContain('--format must be text or json');
    expect((await cli('configmap', '--bogus')).code).toBe(2);
    const missing = await cli('configmap', join(dir, 'missing.yaml'));
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('missing.yaml: cannot be read (ENOENT)')]);
    const badKey = await cli('configmap', '--openpgp-key', join(dir, 'nokey.asc'), join(dir, 'real'));
    expect([badKey.code, badKey.stderr]).toEqual([2, expect.stringContaining('nokey.asc: cannot be read: it does not exist. Pass the path of an armored (.asc) or binary (.gpg) public key file given to --openpgp-key.')]);
    const broken = await cli('configmap', await file('broken-cli.yaml', 'kind: [\n'));
    expect([broken.code, broken.stderr]).toEqual([2, expect.stringContaining('broken-cli.yaml:')]);
  });
});
