/**
 * The trust a source release's payload ships: its cluster-update-keys ConfigMap (the keyrings its
 * cluster-version operator verifies updates with) and its ClusterImagePolicies (what CRI-O runs the
 * next release image under), from the real manifests OpenShift ships and variants of them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PayloadManifestFile } from '../../src/model/payload.ts';
import { KEY_PREFIX, VERIFICATION_ANNOTATION, combineTrust, parseSourceKeyrings, parseSourcePolicy } from '../../src/cincinnati/trust.ts';
import { generateP256Key } from '../harness/cosign.ts';
import { FIXTURES } from '../helpers/paths.ts';
import { RELEASE_REPO } from './fixtures.ts';

const OPENPGP = join(FIXTURES, 'openpgp');
const CONFIGMAP = readFileSync(join(OPENPGP, 'cluster-update-keys.manifests.rhel.0000_90_cluster-update-keys_configmap.yaml'), 'utf8');
const POLICY = readFileSync(join(OPENPGP, 'cluster-update-keys.manifests.rhel.0000_90_openshift-cluster-image-policy.yaml'), 'utf8');
const CM_PATH = 'release-manifests/0000_90_cluster-update-keys_configmap.yaml';
const POLICY_PATH = 'release-manifests/0000_90_openshift-cluster-image-policy.yaml';
const RELEASE_KEY_2 = '567E347AD0044ADE55BA8A5F199E2F91FD431D51';

const file = (text: string, path = CM_PATH): PayloadManifestFile => ({ path, text, sha256: createHash('sha256').update(text).digest('hex') });

/** The `verifier-public-key-redhat: |` block of the real ConfigMap, and its armored key text. */
const REDHAT_BLOCK = /^ {2}verifier-public-key-redhat: \|\n(?: {4}.*\n|\n)+/m.exec(CONFIGMAP)![0];

/** A ConfigMap like the real one with its key entries replaced by `keys` (name -> armored text). */
function configMapWith(keys: Record<string, string>, options: { stores?: boolean; annotation?: boolean } = {}): string {
  let text = CONFIGMAP.replace(REDHAT_BLOCK, Object.entries(keys).map(([name, armored]) => `  ${name}: |\n${armored.trimEnd().split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n')}\n`).join(''));
  if (options.stores === false) text = text.replace(/^ {2}store-.*\n/gm, '');
  if (options.annotation === false) text = text.replace(`    ${VERIFICATION_ANNOTATION}: ""\n`, '');
  return text;
}

const otherKey = (name: string) => readFileSync(join(OPENPGP, 'other-signers', 'keys', name), 'utf8');

describe('parseSourceKeyrings on the real cluster-update-keys ConfigMap', () => {
  it('one keyring, verifier-public-key-redhat, with Red Hat release key 2', async () => {
    const t = await parseSourceKeyrings(file(CONFIGMAP));
    expect(t.kind).toBe('keyrings');
    if (t.kind !== 'keyrings') return;
    const expectedNames = [...CONFIGMAP.matchAll(/^ {2}(verifier-public-key-[\w-]+):/gm)].map((m) => m[1]);
    expect(t.keyrings.map((k) => k.name)).toEqual(expectedNames);
    expect(t.keyrings[0]!.keyring.fingerprints()).toContain(RELEASE_KEY_2);
    expect(t.keyrings[0]!.keyring.describe()).toMatch(/^Red Hat release key 2 \(567E347A\.\.\.FD431D51\)/);
    expect(t.id).toMatch(/^keys:[0-9a-f]{24}$/);
  });

  it('the verifier block the variants are built from is the real one', () => {
    expect(REDHAT_BLOCK).toContain('-----BEGIN PGP PUBLIC KEY BLOCK-----');
    expect(REDHAT_BLOCK).toContain('-----END PGP PUBLIC KEY BLOCK-----');
    // A round trip through the builder gives the same keys back.
    const redhat = REDHAT_BLOCK.split('\n').slice(1).map((l) => l.replace(/^ {4}/, '')).join('\n');
    expect(configMapWith({ 'verifier-public-key-redhat': redhat })).toBe(CONFIGMAP);
  });

  it('the same content gives the same id, at another path and as a separate parse', async () => {
    const a = await parseSourceKeyrings(file(CONFIGMAP));
    const b = await parseSourceKeyrings(file(CONFIGMAP, 'release-manifests/0000_90_cluster-update-keys_configmap-copy.yaml'));
    const c = await parseSourceKeyrings(file(`${CONFIGMAP}\n# a comment changes the text, not the keys\n`));
    expect(b.id).toBe(a.id);
    expect(c.id).toBe(a.id);
  });

  it('different keys give a different id; an extra keyring gives another again', async () => {
    const base = await parseSourceKeyrings(file(CONFIGMAP));
    const other = await parseSourceKeyrings(file(configMapWith({ 'verifier-public-key-redhat': otherKey('hongkliu.asc') })));
    expect(other.kind).toBe('keyrings');
    expect(other.id).not.toBe(base.id);
    const redhat = REDHAT_BLOCK.split('\n').slice(1).map((l) => l.replace(/^ {4}/, '')).join('\n');
    const two = await parseSourceKeyrings(file(configMapWith({ 'verifier-public-key-redhat': redhat, 'verifier-public-key-test': otherKey('hongkliu.asc') })));
    expect(two.kind).toBe('keyrings');
    if (two.kind !== 'keyrings') return;
    expect(two.keyrings.map((k) => k.name)).toEqual(['verifier-public-key-redhat', 'verifier-public-key-test']);
    expect(new Set([base.id, other.id, two.id]).size).toBe(3);
    // The same key under another entry name is another keyring layout, so another trust set.
    const renamed = await parseSourceKeyrings(file(configMapWith({ 'verifier-public-key-other-name': redhat })));
    expect(renamed.id).not.toBe(base.id);
  });
});

describe('parseSourceKeyrings: no usable verifier is kind none, with the reason the operator has', () => {
  it('no file at all', async () => {
    const t = await parseSourceKeyrings(undefined);
    expect(t.kind).toBe('none');
    expect(t).toMatchObject({ reason: expect.stringMatching(/ships no release-verification ConfigMap/) });
    expect(t.id).toMatch(/^none:[0-9a-f]{24}$/);
  });

  it('no verification annotation: the operator does not load it', async () => {
    const t = await parseSourceKeyrings(file(configMapWith({ 'verifier-public-key-redhat': otherKey('hongkliu.asc') }, { annotation: false })));
    expect(t).toMatchObject({ kind: 'none', reason: `its ConfigMap ${CM_PATH} lacks the ${VERIFICATION_ANNOTATION} annotation, so its cluster-version operator does not load it and has no keyring` });
  });

  it('no verifier-public-key- entry', async () => {
    const t = await parseSourceKeyrings(file(configMapWith({})));
    expect(t).toMatchObject({ kind: 'none', reason: expect.stringContaining(`provides no ${KEY_PREFIX}* keys`) });
    expect(t.kind === 'none' && t.reason).toContain('did not provide any GPG public keys');
  });

  it('no store- entry', async () => {
    const t = await parseSourceKeyrings(file(CONFIGMAP.replace(/^ {2}store-.*\n/gm, '')));
    expect(t).toMatchObject({ kind: 'none', reason: expect.stringContaining('provides no store-* signature store') });
  });

  it('a key entry the operator cannot read: the whole ConfigMap is unusable', async () => {
    const redhat = REDHAT_BLOCK.split('\n').slice(1).map((l) => l.replace(/^ {4}/, '')).join('\n');
    const t = await parseSourceKeyrings(file(configMapWith({ 'verifier-public-key-broken': 'not a key at all', 'verifier-public-key-redhat': redhat })));
    expect(t).toMatchObject({ kind: 'none', reason: expect.stringMatching(/^its ConfigMap entry verifier-public-key-broken is not a key the cluster-version operator can read \(.+\), so it cannot use the ConfigMap$/) });
  });

  it('a key entry that is not a string', async () => {
    const t = await parseSourceKeyrings(file(CONFIGMAP.replace(REDHAT_BLOCK, '  verifier-public-key-redhat: 42\n')));
    expect(t).toMatchObject({ kind: 'none', reason: 'its ConfigMap entry verifier-public-key-redhat is not a string, so its cluster-version operator cannot use the ConfigMap' });
  });

  it('a key entry holding only a key x/crypto cannot parse (EdDSA): the operator cannot use the ConfigMap', async () => {
    // library-go newFromConfigMapData fails the whole ConfigMap when a verifier-public-key-* entry
    // reads as no key (x/crypto ReadKeyRing returns its "unsupported" error when it skipped every entity).
    const t = await parseSourceKeyrings(file(configMapWith({ 'verifier-public-key-ed': otherKey('dhurta.asc') })));
    expect(t.kind).toBe('none');
  });

  it('not YAML, or no ConfigMap in it', async () => {
    expect(await parseSourceKeyrings(file('kind: [unclosed'))).toMatchObject({ kind: 'none', reason: `its ${CM_PATH} holds no ConfigMap, so its cluster-version operator has no keyring` });
    expect(await parseSourceKeyrings(file('kind: Secret\nmetadata: {}\n'))).toMatchObject({ kind: 'none', reason: expect.stringContaining('holds no ConfigMap') });
    expect(await parseSourceKeyrings(file(''))).toMatchObject({ kind: 'none' });
  });

  it('a YAML alias bomb is no keyring (a verdict), not a rejection', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 8; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    const bomb = `apiVersion: v1\nkind: ConfigMap\n${lines.join('\n')}\n`;
    // A pure parser of untrusted manifests answers; it must not throw yaml's "Excessive alias count".
    const t = await parseSourceKeyrings(file(bomb)).catch((err: unknown) => ({ kind: 'rejected', reason: String(err), id: '' }));
    expect(t.kind).toBe('none');
  });

  it('the same reason gives the same id (reasons name no release); different reasons differ', async () => {
    const a = await parseSourceKeyrings(file(configMapWith({})));
    const b = await parseSourceKeyrings(file(configMapWith({})));
    const c = await parseSourceKeyrings(undefined);
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
  });
});

describe('parseSourcePolicy on the real openshift ClusterImagePolicy', () => {
  it('covers the release repository: kind policy, Red Hat release key 3, the scope named', () => {
    const t = parseSourcePolicy([file(POLICY, POLICY_PATH)], RELEASE_REPO);
    expect(t.kind).toBe('policy');
    if (t.kind !== 'policy') return;
    expect(t.trust.releaseRepo).toBe(RELEASE_REPO);
    expect(t.trust.requirements).toHaveLength(1);
    expect(t.trust.requirements[0]).toMatchObject({ scope: RELEASE_REPO, identity: { type: 'matchRepoDigestOrExact' } });
    expect(t.description).toContain('Red Hat release key 3');
    expect(t.id).toMatch(/^policy:[0-9a-f]{24}$/);
  });

  it('a repository no scope covers: kind none', () => {
    const t = parseSourcePolicy([file(POLICY, POLICY_PATH)], 'quay.io/someone-else/release');
    expect(t).toEqual({ kind: 'none', reason: 'the source release ships no ClusterImagePolicy whose scopes cover quay.io/someone-else/release, so CRI-O on its clusters does not verify the release image', id: 'none' });
  });

  it('no policy files at all: kind none', () => {
    expect(parseSourcePolicy([], RELEASE_REPO).kind).toBe('none');
  });

  it('the same policy gives the same id wherever it is; another key another id', () => {
    const a = parseSourcePolicy([file(POLICY, POLICY_PATH)], RELEASE_REPO);
    const b = parseSourcePolicy([file(POLICY, 'release-manifests/elsewhere.yaml')], RELEASE_REPO);
    expect(b.id).toBe(a.id);
    const key = generateP256Key('another key');
    const keyData = Buffer.from(key.publicPem).toString('base64');
    const other = parseSourcePolicy([file(POLICY.replace(/keyData: \S+/, `keyData: ${keyData}`), POLICY_PATH)], RELEASE_REPO);
    expect(other.kind).toBe('policy');
    expect(other.id).not.toBe(a.id);
  });

  it('a namespaced ImagePolicy does not count (only cluster-wide policies)', () => {
    const namespaced = POLICY.replace('kind: ClusterImagePolicy', 'kind: ImagePolicy').replace('  name: openshift\n', '  name: openshift\n  namespace: openshift-cluster-version\n');
    expect(parseSourcePolicy([file(namespaced, POLICY_PATH)], RELEASE_REPO).kind).toBe('none');
  });

  it('a policy this tool cannot evaluate: kind unreadable, naming the file', () => {
    const fulcio = POLICY.replace('policyType: PublicKey', 'policyType: FulcioCAWithRekor');
    const t = parseSourcePolicy([file(fulcio, POLICY_PATH)], RELEASE_REPO);
    expect(t.kind).toBe('unreadable');
    expect(t).toMatchObject({ reason: expect.stringMatching(new RegExp(`^its ${POLICY_PATH} cannot be evaluated: .*FulcioCAWithRekor is not supported`)) });
    expect(t.id).toMatch(/^unreadable:[0-9a-f]{24}$/);
  });
});

describe('combineTrust', () => {
  it('the id joins both ids: same parts, same id', async () => {
    const openpgp = await parseSourceKeyrings(file(CONFIGMAP));
    const sigstore = parseSourcePolicy([file(POLICY, POLICY_PATH)], RELEASE_REPO);
    const t = combineTrust(openpgp, sigstore);
    expect(t).toEqual({ openpgp, sigstore, id: `${openpgp.id}|${sigstore.id}` });
    expect(combineTrust(await parseSourceKeyrings(file(CONFIGMAP)), parseSourcePolicy([file(POLICY, POLICY_PATH)], RELEASE_REPO)).id).toBe(t.id);
    expect(combineTrust(openpgp, parseSourcePolicy([], RELEASE_REPO)).id).not.toBe(t.id);
  });
});

describe('a trust manifest too large to parse', () => {
  it('is no keyring and an unreadable policy, decided before any YAML is parsed', async () => {
    const padded = `${CONFIGMAP}\n# ${'x: [1],'.repeat(60_000)}\n`;
    const keys = await parseSourceKeyrings(file(padded));
    expect(keys.kind).toBe('none');
    expect(keys.kind === 'none' && keys.reason).toMatch(/is not parsed \(it may hold up to \d+ YAML values/);
    const policy = parseSourcePolicy([{ path: 'release-manifests/p.yaml', text: `kind: ClusterImagePolicy\nspec: [${'0,'.repeat(120_000)}0]\n`, sha256: 'p' }], RELEASE_REPO);
    expect(policy.kind).toBe('unreadable');
  });
});
