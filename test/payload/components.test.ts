/**
 * The components check over in-memory repositories with real cosign-format signatures: the scope's
 * trust and the component's own repository decide; a list needs every instance; outside every scope
 * is reported, not failed; a transport failure is error, never missing; each (repository, digest) is
 * checked once per run, and a verified one is remembered in the store.
 */
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import type { FetchResult, ManifestBytes } from '../../src/model/sources.ts';
import type { PayloadContents } from '../../src/model/payload.ts';
import { checkComponents, type ComponentStore, type ComponentVerdict } from '../../src/payload/components.ts';
import type { ComponentSource } from '../../src/payload/fetch.ts';
import { BoundedMemo } from '../../src/payload/memo.ts';
import { parseImagePolicies, selectRequirements, type SigstoreTrust } from '../../src/sigstore/policy.ts';
import { parseNormalizedNamed } from '../../src/sigstore/reference.ts';
import { MemorySigstoreSource, buildSigArtifact, generateP256Key, signLayer, type TestKey } from '../harness/cosign.ts';
import { buildComponentImage, buildComponentList } from '../harness/payload.ts';

const Q = 'quay.io/openshift-release-dev';
const key: TestKey = generateP256Key('release key 3 stand-in');
const policy = parseImagePolicies(
  [
    'apiVersion: config.openshift.io/v1',
    'kind: ClusterImagePolicy',
    'metadata: {name: openshift}',
    'spec:',
    `  scopes: [${Q}/ocp-release, ${Q}/ocp-v4.0-art-dev, ${Q}/ocp-v5.0-art-dev]`,
    '  policy:',
    '    rootOfTrust:',
    '      policyType: PublicKey',
    `      publicKey: {keyData: ${Buffer.from(key.publicPem.trim()).toString('base64')}}`,
  ].join('\n'),
  'test policy',
);
const trust = {
  trustFor(repository: string): SigstoreTrust | undefined {
    const parsed = parseNormalizedNamed(repository);
    if (!parsed.ok) return undefined;
    const requirements = selectRequirements(policy, parsed.ref);
    return requirements ? { releaseRepo: parsed.ref.name, requirements } : undefined;
  },
};

/** A repository in memory: `.sig` tags (MemorySigstoreSource) and manifests. */
class Repo extends MemorySigstoreSource implements ComponentSource {
  readonly manifests = new Map<string, ManifestBytes>();
  readonly imageManifestErrors = new Set<string>();
  async getManifest(digest: Digest): Promise<FetchResult<ManifestBytes>> {
    this.calls.push(`image manifest ${digest}`);
    if (this.imageManifestErrors.has(digest)) return { kind: 'error', source: `${this.repository}@${digest}`, reason: 'HTTP 502 after 5 retries' };
    const m = this.manifests.get(digest);
    return m ? { kind: 'found', value: m, source: `${this.repository}@${digest}` } : { kind: 'not-found', source: `${this.repository}@${digest}` };
  }
  sign(digest: string, options: { key?: TestKey; identityRepo?: string } = {}): void {
    const identity = `${options.identityRepo ?? this.repository}@${digest}`;
    this.putSig(digest, buildSigArtifact([signLayer({ digest, identity, key: options.key ?? key }), signLayer({ digest, identity: `${options.identityRepo ?? this.repository}:tag`, key: options.key ?? key })]));
  }
}

function world() {
  const repos = new Map<string, Repo>();
  const repo = (name: string) => {
    let r = repos.get(name);
    if (!r) repos.set(name, (r = new Repo(name)));
    return r;
  };
  return { repo, sourceFor: (name: string) => repo(name) };
}

function contents(components: { name: string; repository: string; digest: Digest }[]): PayloadContents {
  return {
    digest: `sha256:${'f'.repeat(64)}`,
    manifest: `sha256:${'f'.repeat(64)}`,
    configArch: 'amd64',
    layer: { index: 2, digest: `sha256:${'e'.repeat(64)}` },
    metadata: { kind: 'cincinnati-metadata-v0', version: '4.99.0', previous: [], next: [], metadata: {} },
    components: components.map((c) => ({ ...c, reference: `${c.repository}@${c.digest}` })),
    imagePolicies: [],
  };
}

describe('checkComponents', () => {
  it('verifies signed components, and names each failing one with its reason', async () => {
    const w = world();
    const art4 = w.repo(`${Q}/ocp-v4.0-art-dev`);
    const art5 = w.repo(`${Q}/ocp-v5.0-art-dev`);
    const good = buildComponentImage('cluster-version-operator', 'amd64', '1').digest;
    const unsigned = buildComponentImage('machine-config-operator', 'amd64', '1').digest;
    const wrongKey = buildComponentImage('cluster-ingress-operator', 'amd64', '1').digest;
    const elsewhere = buildComponentImage('installer', 'amd64', '1').digest;
    art4.sign(good);
    art4.sign(wrongKey, { key: generateP256Key('another') });
    art5.sign(elsewhere, { identityRepo: `${Q}/ocp-v4.0-art-dev` });
    const result = await checkComponents(
      contents([
        { name: 'cluster-version-operator', repository: art4.repository, digest: good },
        { name: 'machine-config-operator', repository: art4.repository, digest: unsigned },
        { name: 'cluster-ingress-operator', repository: art4.repository, digest: wrongKey },
        { name: 'installer', repository: art5.repository, digest: elsewhere },
      ]),
      { trust, sourceFor: w.sourceFor, memo: new BoundedMemo<ComponentVerdict>(100) },
      { lists: false },
    );
    expect(result).toMatchObject({ outcome: 'invalid', total: 4, verified: 1 });
    expect(result.failures.map((f) => [f.name, f.outcome])).toEqual([
      ['machine-config-operator', 'missing'],
      ['cluster-ingress-operator', 'invalid'],
      ['installer', 'invalid'],
    ]);
    expect(result.failures[2]!.reason).toMatch(/names repository quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev, not quay\.io\/openshift-release-dev\/ocp-v5\.0-art-dev/);
    // The verified one cost its .sig manifest and two blobs, nothing else.
    expect(art4.calls.filter((c) => c.includes(good))).toEqual([`manifest ${good}`]);
  });

  it('needs every instance of a list, and reads the list only for a multi payload', async () => {
    const w = world();
    const art4 = w.repo(`${Q}/ocp-v4.0-art-dev`);
    const list = buildComponentList('cli', '2', ['amd64', 'arm64']);
    art4.manifests.set(list.digest, { mediaType: list.mediaType, bytes: list.manifest, digest: list.digest });
    art4.sign(list.images[0]!.digest);
    const memo = new BoundedMemo<ComponentVerdict>(100);
    const r = await checkComponents(contents([{ name: 'cli', repository: art4.repository, digest: list.digest }]), { trust, sourceFor: w.sourceFor, memo }, { lists: true });
    expect(r).toMatchObject({ outcome: 'missing', verified: 0 });
    expect(r.failures[0]!.reason).toContain(`instance ${list.images[1]!.digest} (arm64) missing`);
    art4.sign(list.images[1]!.digest);
    const again = await checkComponents(contents([{ name: 'cli', repository: art4.repository, digest: list.digest }]), { trust, sourceFor: w.sourceFor, memo: new BoundedMemo(100) }, { lists: true });
    expect(again).toMatchObject({ outcome: 'verified', verified: 1 });
    // A single-arch payload's component that turns out to be a list, with no .sig of its own: its instances decide.
    const single = await checkComponents(contents([{ name: 'cli', repository: art4.repository, digest: list.digest }]), { trust, sourceFor: w.sourceFor, memo: new BoundedMemo(100) }, { lists: false });
    expect(single).toMatchObject({ outcome: 'verified', verified: 1 });
  });

  it('reports a component outside every scope without failing, and skips when none is in scope', async () => {
    const w = world();
    const art4 = w.repo(`${Q}/ocp-v4.0-art-dev`);
    const good = buildComponentImage('a', 'amd64', '1').digest;
    art4.sign(good);
    const outside = buildComponentImage('b', 'amd64', '1').digest;
    const deps = { trust, sourceFor: w.sourceFor, memo: new BoundedMemo<ComponentVerdict>(100) };
    const r = await checkComponents(contents([{ name: 'a', repository: art4.repository, digest: good }, { name: 'b', repository: 'registry.example.com/other/repo', digest: outside }]), deps, { lists: false });
    expect(r).toMatchObject({ outcome: 'verified', total: 2, verified: 1, failures: [], unscoped: [{ name: 'b', reference: `registry.example.com/other/repo@${outside}` }] });
    expect(w.repo('registry.example.com/other/repo').calls).toEqual([]);
    const none = await checkComponents(contents([{ name: 'b', repository: 'registry.example.com/other/repo', digest: outside }]), deps, { lists: false });
    expect(none).toMatchObject({ outcome: 'skipped' });
    expect(none.reason).toMatch(/clusters verify none of them/);
  });

  it('is error, never missing, when the registry fails', async () => {
    const w = world();
    const art4 = w.repo(`${Q}/ocp-v4.0-art-dev`);
    const d = buildComponentImage('a', 'amd64', 'err').digest;
    art4.manifestErrors.add(d);
    const r = await checkComponents(contents([{ name: 'a', repository: art4.repository, digest: d }]), { trust, sourceFor: w.sourceFor, memo: new BoundedMemo(100) }, { lists: false });
    expect(r).toMatchObject({ outcome: 'error', failures: [{ name: 'a', outcome: 'error' }] });
    expect(r.reason).toMatch(/could not be checked; run again/);
    // No .sig, and whether it is a list (whose instances might be signed) cannot be read: error, not missing.
    const unknown = buildComponentImage('b', 'amd64', 'unknown kind').digest;
    art4.imageManifestErrors.add(unknown);
    const u = await checkComponents(contents([{ name: 'b', repository: art4.repository, digest: unknown }]), { trust, sourceFor: w.sourceFor, memo: new BoundedMemo(100) }, { lists: false });
    expect(u).toMatchObject({ outcome: 'error', failures: [{ name: 'b', outcome: 'error', reason: expect.stringMatching(/is a manifest list .* could not be read: HTTP 502/) }] });
  });

  it('checks a (repository, digest) once per run and remembers verified ones in the store', async () => {
    const w = world();
    const art4 = w.repo(`${Q}/ocp-v4.0-art-dev`);
    const d = buildComponentImage('a', 'amd64', 'memo').digest;
    art4.sign(d);
    const stored = new Map<string, ComponentVerdict>();
    const store: ComponentStore = { get: (repo, digest) => stored.get(`${repo}@${digest}`), put: (repo, digest, v) => void stored.set(`${repo}@${digest}`, v) };
    const deps = { trust, sourceFor: w.sourceFor, memo: new BoundedMemo<ComponentVerdict>(100), store };
    const c = contents([{ name: 'a', repository: art4.repository, digest: d }]);
    await Promise.all([checkComponents(c, deps, { lists: false }), checkComponents(c, deps, { lists: false })]);
    expect(art4.calls.filter((x) => x.startsWith('manifest'))).toHaveLength(1);
    expect(stored.get(`${art4.repository}@${d}`)).toMatchObject({ outcome: 'verified' });
    // Another run (a new memo) takes it from the store, without a request.
    art4.calls.length = 0;
    const r = await checkComponents(c, { ...deps, memo: new BoundedMemo(100) }, { lists: false });
    expect(r).toMatchObject({ outcome: 'verified', reason: expect.stringContaining('1 from the cache') });
    expect(art4.calls).toEqual([]);
  });
});

describe('BoundedMemo', () => {
  it('shares a promise per key and drops the oldest past its bound', async () => {
    const memo = new BoundedMemo<number>(2);
    let runs = 0;
    const work = () => Promise.resolve(++runs);
    await memo.run('a', work);
    await memo.run('a', work);
    await memo.run('b', work);
    await memo.run('c', work);
    expect(memo.size).toBe(2);
    await memo.run('a', work);
    expect(runs).toBe(4);
    expect(memo.stats).toMatchObject({ hits: 1, evicted: 2 });
  });
});
