import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigcheckError } from '../../src/model/errors.ts';
import { redHatReleaseKey3 } from '../../src/sigstore/keys.ts';
import { describeTrust, loadSigstoreTrust, parseImagePolicies, selectRequirements } from '../../src/sigstore/policy.ts';
import { parseNormalizedNamed, type DockerReference } from '../../src/sigstore/reference.ts';
import { OPENSHIFT_CLUSTER_IMAGE_POLICY_YAML } from '../../src/trust/baked-keys.ts';

const RELEASE = 'quay.io/openshift-release-dev/ocp-release';

function pem(kind: 'ec' | 'rsa' = 'ec'): string {
  const { publicKey } = kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
const keyA = pem();
const keyB = pem();
const b64 = (s: string) => Buffer.from(s).toString('base64');

interface PolicyOptions {
  kind?: string;
  apiVersion?: string;
  name?: string;
  namespace?: string;
  scopes?: string[];
  key?: string;
  rekorKey?: string;
  policyType?: string;
  signedIdentity?: string[];
  extraSpec?: string[];
}

function policy(o: PolicyOptions = {}): string {
  return [
    `apiVersion: ${o.apiVersion ?? 'config.openshift.io/v1'}`,
    `kind: ${o.kind ?? 'ClusterImagePolicy'}`,
    'metadata:',
    `  name: ${o.name ?? 'test'}`,
    ...(o.namespace ? [`  namespace: ${o.namespace}`] : []),
    'spec:',
    '  scopes:',
    ...(o.scopes ?? [RELEASE]).map((s) => `  - ${JSON.stringify(s)}`),
    ...(o.extraSpec ?? []),
    '  policy:',
    '    rootOfTrust:',
    `      policyType: ${o.policyType ?? 'PublicKey'}`,
    '      publicKey:',
    `        keyData: ${b64(o.key ?? keyA)}`,
    ...(o.rekorKey ? [`        rekorKeyData: ${b64(o.rekorKey)}`] : []),
    ...(o.signedIdentity ? ['    signedIdentity:', ...o.signedIdentity.map((l) => `      ${l}`)] : []),
  ].join('\n');
}

function ref(s: string): DockerReference {
  const r = parseNormalizedNamed(s);
  if (!r.ok) throw new Error(r.reason);
  return r.ref;
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SigcheckError);
    expect((err as SigcheckError).code).toBe('CONFIG');
    return (err as SigcheckError).message;
  }
  throw new Error('expected a CONFIG error');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-policy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('the shipped openshift ClusterImagePolicy', () => {
  it('parses to Red Hat release key 3, three scopes, matchRepoDigestOrExact, no Rekor', () => {
    const [doc, ...rest] = parseImagePolicies(OPENSHIFT_CLUSTER_IMAGE_POLICY_YAML, 'built in');
    expect(rest).toEqual([]);
    expect(doc).toMatchObject({
      kind: 'ClusterImagePolicy',
      apiVersion: 'config.openshift.io/v1',
      name: 'openshift',
      scopes: [RELEASE, 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', 'quay.io/openshift-release-dev/ocp-v5.0-art-dev'],
      identity: { type: 'matchRepoDigestOrExact' },
      origin: 'ClusterImagePolicy/openshift (built in)',
    });
    expect(doc?.rekorKeys).toBeUndefined();
    expect(doc?.keys.map((k) => [k.name, k.fingerprint, k.description])).toEqual([['Red Hat release key 3', redHatReleaseKey3().fingerprint, 'RSA-4096']]);
  });

  it('is the default trust for the release repository and for the art-dev repositories', async () => {
    const trust = await loadSigstoreTrust({ releaseRepo: RELEASE });
    expect(trust.releaseRepo).toBe(RELEASE);
    expect(trust.requirements).toHaveLength(1);
    expect(trust.requirements[0]).toMatchObject({ origin: 'ClusterImagePolicy/openshift (built in)', scope: RELEASE, identity: { type: 'matchRepoDigestOrExact' } });
    expect(describeTrust(trust)).toMatch(/^ClusterImagePolicy\/openshift \(built in\) \[scope quay\.io\/openshift-release-dev\/ocp-release\]: Red Hat release key 3 \(RSA-4096, sha256:[0-9a-f]{16}\); identity matchRepoDigestOrExact$/);
    const artDev = await loadSigstoreTrust({ releaseRepo: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev' });
    expect(artDev.requirements[0]?.scope).toBe('quay.io/openshift-release-dev/ocp-v4.0-art-dev');
  });

  it('does not cover another repository: a CONFIG error that says so and what to do', async () => {
    await expect(loadSigstoreTrust({ releaseRepo: 'mirror.example.com/ocp/release' })).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/the built-in openshift ClusterImagePolicy does not cover mirror\.example\.com\/ocp\/release: its scopes are quay\.io\/openshift-release-dev\/ocp-release, .*Pass --image-policy FILE/),
    });
  });

  it('--sigstore-key adds keys to the built-in policy (any one suffices)', async () => {
    const path = await file('extra.pub', keyA);
    const trust = await loadSigstoreTrust({ releaseRepo: RELEASE, keyFiles: [path] });
    expect(trust.requirements[0]?.keys.map((k) => k.name)).toEqual(['Red Hat release key 3', path]);
  });

  it('--sigstore-key alone checks a repository no policy covers, with matchRepoDigestOrExact', async () => {
    const path = await file('only.pub', keyB);
    const trust = await loadSigstoreTrust({ releaseRepo: 'mirror.example.com/ocp/release', keyFiles: [path] });
    expect(trust.requirements).toEqual([expect.objectContaining({ origin: '--sigstore-key', scope: 'mirror.example.com/ocp/release', identity: { type: 'matchRepoDigestOrExact' } })]);
  });

  it('refuses a release repository that is not a repository', async () => {
    await expect(loadSigstoreTrust({ releaseRepo: `${RELEASE}:4.16.1` })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/without a tag or digest/) });
  });
});

describe('--image-policy', () => {
  it('replaces the built-in policy, and --sigstore-key adds to it', async () => {
    const path = await file('cip.yaml', policy({ name: 'mine', key: keyA }));
    const extra = await file('b.pub', keyB);
    const trust = await loadSigstoreTrust({ releaseRepo: RELEASE, imagePolicyFile: path, keyFiles: [extra] });
    expect(trust.requirements).toHaveLength(1);
    expect(trust.requirements[0]?.origin).toBe(`ClusterImagePolicy/mine (${path})`);
    expect(trust.requirements[0]?.keys.map((k) => k.name)).toEqual(['ClusterImagePolicy/mine keyData', extra]);
    expect(trust.requirements[0]?.keys.some((k) => k.name === 'Red Hat release key 3')).toBe(false);
  });

  it('a policy whose scopes do not cover the repository is a CONFIG error naming its scopes', async () => {
    const path = await file('other.yaml', policy({ scopes: ['quay.io/openshift-release-dev/ocp-v4.0-art-dev', 'registry.example.com'] }));
    await expect(loadSigstoreTrust({ releaseRepo: RELEASE, imagePolicyFile: path })).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/--image-policy .*other\.yaml does not cover quay\.io\/openshift-release-dev\/ocp-release: its scopes are quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev, registry\.example\.com\. Add a scope/),
    });
  });

  it('a scope naming one image (tag or digest) does not cover the repository', async () => {
    const path = await file('image.yaml', policy({ scopes: [`${RELEASE}:4.16.1-x86_64`] }));
    await expect(loadSigstoreTrust({ releaseRepo: RELEASE, imagePolicyFile: path })).rejects.toThrow(/does not cover/);
  });

  it('reports a missing or unreadable file', async () => {
    await expect(loadSigstoreTrust({ releaseRepo: RELEASE, imagePolicyFile: join(dir, 'nope.yaml') })).rejects.toMatchObject({ code: 'FILE_UNREADABLE', message: expect.stringMatching(/--image-policy .*nope\.yaml: cannot be read: it does not exist/) });
  });
});

describe('scope selection (containers/image: the most specific scope wins; all its requirements apply)', () => {
  const repo = ref(RELEASE);
  it('a namespace, a host and a wildcard cover the repository', () => {
    for (const scope of ['quay.io/openshift-release-dev', 'quay.io', '*.io']) {
      expect(selectRequirements(parseImagePolicies(policy({ scopes: [scope] }), 'p'), repo)?.[0]?.scope, scope).toBe(scope);
    }
  });
  it('the most specific scope wins over a more general one', () => {
    const docs = parseImagePolicies([policy({ name: 'general', scopes: ['quay.io'], key: keyA }), policy({ name: 'specific', scopes: [RELEASE], key: keyB })].join('\n---\n'), 'p');
    const reqs = selectRequirements(docs, repo);
    expect(reqs?.map((r) => r.origin)).toEqual(['ClusterImagePolicy/specific (p)']);
  });
  it('two policies on the same scope are both required', () => {
    const docs = parseImagePolicies([policy({ name: 'one', key: keyA }), policy({ name: 'two', key: keyB })].join('\n---\n'), 'p');
    expect(selectRequirements(docs, repo)?.map((r) => r.origin)).toEqual(['ClusterImagePolicy/one (p)', 'ClusterImagePolicy/two (p)']);
  });
  it('ClusterImagePolicies take precedence over ImagePolicies; ImagePolicies apply when no ClusterImagePolicy covers', () => {
    const both = parseImagePolicies([policy({ kind: 'ImagePolicy', namespace: 'ns', name: 'ip', scopes: [RELEASE] }), policy({ name: 'cip', scopes: ['quay.io'] })].join('\n---\n'), 'p');
    expect(selectRequirements(both, repo)?.map((r) => r.origin)).toEqual(['ClusterImagePolicy/cip (p)']);
    const only = parseImagePolicies(policy({ kind: 'ImagePolicy', namespace: 'ns', name: 'ip', apiVersion: 'config.openshift.io/v1alpha1' }), 'p');
    expect(selectRequirements(only, repo)?.map((r) => r.origin)).toEqual(['ImagePolicy/ns/ip (p)']);
  });
  it('reads a List (oc get -o yaml) and multi-document files, and skips empty documents', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${policy({ name: 'in-list' }).split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n')}\n`;
    expect(parseImagePolicies(list, 'p').map((d) => d.name)).toEqual(['in-list']);
    expect(parseImagePolicies(`---\n${policy({ name: 'a' })}\n---\n---\n${policy({ name: 'b' })}\n`, 'p').map((d) => d.name)).toEqual(['a', 'b']);
    expect(parseImagePolicies(JSON.stringify({ apiVersion: 'config.openshift.io/v1', kind: 'ClusterImagePolicy', metadata: { name: 'json' }, spec: { scopes: [RELEASE], policy: { rootOfTrust: { policyType: 'PublicKey', publicKey: { keyData: b64(keyA) } } } } }), 'p')[0]?.name).toBe('json');
  });
});

describe('signedIdentity', () => {
  it('maps every matchPolicy like the machine-config operator', () => {
    const read = (lines: string[]) => parseImagePolicies(policy({ signedIdentity: lines }), 'p')[0]?.identity;
    expect(read(['matchPolicy: MatchRepoDigestOrExact'])).toEqual({ type: 'matchRepoDigestOrExact' });
    expect(read(['matchPolicy: MatchRepository'])).toEqual({ type: 'matchRepository' });
    expect(read(['matchPolicy: ExactRepository', 'exactRepository:', '  repository: quay.io/openshift-release-dev/ocp-release'])).toEqual({ type: 'exactRepository', dockerRepository: RELEASE });
    expect(read(['matchPolicy: RemapIdentity', 'remapIdentity:', '  prefix: mirror.example.com/ocp', '  signedPrefix: quay.io/openshift-release-dev'])).toEqual({
      type: 'remapIdentity',
      prefix: 'mirror.example.com/ocp',
      signedPrefix: 'quay.io/openshift-release-dev',
    });
  });
  const bad: [string, string[], RegExp][] = [
    ['no matchPolicy', ['exactRepository: {repository: quay.io/x}'], /exactRepository is required when matchPolicy is ExactRepository, and forbidden otherwise/],
    ['matchPolicy missing entirely', ['{}'], /matchPolicy: is required/],
    ['an unknown matchPolicy', ['matchPolicy: MatchExact'], /unknown match policy "MatchExact"/],
    ['ExactRepository without repository', ['matchPolicy: ExactRepository'], /exactRepository: must be an object/],
    ['a remapIdentity with MatchRepository', ['matchPolicy: MatchRepository', 'remapIdentity: {prefix: a.io, signedPrefix: b.io}'], /remapIdentity is required when matchPolicy is RemapIdentity/],
    ['a prefix without a domain', ['matchPolicy: RemapIdentity', 'remapIdentity: {prefix: ns/repo, signedPrefix: quay.io/x}'], /remapIdentity.prefix: "ns\/repo" must be host/],
    ['a repository with a tag', ['matchPolicy: ExactRepository', 'exactRepository: {repository: "quay.io/x:tag"}'], /without a tag or digest/],
  ];
  for (const [what, lines, reason] of bad) {
    it(`refuses ${what}`, () => {
      expect(configError(() => parseImagePolicies(policy({ signedIdentity: lines }), 'p.yaml'))).toMatch(reason);
    });
  }
});

describe('policy validation (CONFIG errors naming the file, the document and the field)', () => {
  const bad: [string, PolicyOptions | string, RegExp][] = [
    ['FulcioCAWithRekor', { policyType: 'FulcioCAWithRekor' }, /policyType: FulcioCAWithRekor is not supported by release-sigcheck/],
    ['PKI', { policyType: 'PKI' }, /PKI is not supported/],
    ['an unknown policyType', { policyType: 'Magic' }, /must be PublicKey, FulcioCAWithRekor or PKI/],
    ['a raw PEM in keyData', policy().replace(/keyData: .*/, `keyData: "${keyA.replace(/\n/g, '\\n')}"`), /must be base64-encoded PEM/],
    ['keyData that is not a PEM public key', policy().replace(/keyData: .*/, `keyData: ${b64('hello world, this is not a key at all, not even close to one')}`), /starting with '-----BEGIN PUBLIC KEY-----'/],
    ['an RSA Rekor key', { rekorKey: pem('rsa') }, /Rekor public key is not using ECDSA/],
    ['a typo in a field', { extraSpec: ['  signedIdentty: {}'] }, /spec: unknown field "signedIdentty"/],
    ['another kind', { kind: 'ImageContentSourcePolicy' }, /kind is "ImageContentSourcePolicy", expected ClusterImagePolicy or ImagePolicy/],
    ['another apiVersion', { apiVersion: 'config.openshift.io/v2' }, /apiVersion is "config.openshift.io\/v2"/],
    ['a scope without a domain', { scopes: ['openshift-release-dev/ocp-release'] }, /is not a valid scope: it must start with a fully qualified domain or localhost/],
    ['an uppercase repository scope', { scopes: ['quay.io/Foo'] }, /is not a valid scope/],
    ['a wildcard in the middle', { scopes: ['foo.*.com'] }, /a wildcard is only allowed as a leading/],
    ['no scopes', { scopes: [] }, /spec.scopes: must be a non-empty list/],
    ['invalid YAML', 'a: [b', /invalid YAML/],
    ['duplicate YAML keys', 'kind: ClusterImagePolicy\nkind: ClusterImagePolicy\n', /invalid YAML/],
    ['an empty file', '', /holds no ClusterImagePolicy or ImagePolicy/],
  ];
  for (const [what, input, reason] of bad) {
    it(`refuses ${what}`, () => {
      const text = typeof input === 'string' ? input : policy(input);
      const message = configError(() => parseImagePolicies(text, 'p.yaml'));
      expect(message).toMatch(/^p\.yaml/);
      expect(message).toMatch(reason);
    });
  }

  it('accepts localhost, wildcard, host:port and tag/digest scopes', () => {
    const doc = parseImagePolicies(policy({ scopes: ['localhost:5000/x', '*.example.com', 'registry.example.com:5000', `${RELEASE}@sha256:${'0'.repeat(64)}`, `${RELEASE}:4.16.1`] }), 'p')[0];
    expect(doc?.scopes).toHaveLength(5);
  });

  it('keeps an ECDSA Rekor key (then a Rekor SET is required)', () => {
    const reqs = selectRequirements(parseImagePolicies(policy({ rekorKey: keyB }), 'p'), ref(RELEASE));
    expect(reqs?.[0]?.rekorKeys?.map((k) => k.description)).toEqual(['ECDSA P-256']);
  });
});
