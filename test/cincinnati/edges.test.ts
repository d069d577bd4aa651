/**
 * The update-edge trust check (createEdgeChecker): for a node B and each source release A, B's real
 * OpenPGP signature (Red Hat release key 2, test/fixtures/openpgp/store) under the keyring A's payload
 * ships, and B's release-image Sigstore signature (a P-256 key made here) under A's ClusterImagePolicy.
 * The resolutions and payload reads the pipeline lends (EdgeIO) and the edge sources are in memory; the
 * verifiers are the real ones.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Arch } from '../../src/model/arch.ts';
import type { ResolvedImage } from '../../src/model/checkers.ts';
import type { Digest } from '../../src/model/digest.ts';
import type { EdgeIO, EdgeTarget } from '../../src/model/edges.ts';
import type { PayloadManifestFile, PayloadRead } from '../../src/model/payload.ts';
import type { CheckResult, EdgeResult } from '../../src/model/results.ts';
import type { FetchResult, FetchStoreSignature } from '../../src/model/sources.ts';
import { checkOpenPGP } from '../../src/openpgp/check.ts';
import { createEdgeChecker, type EdgeCheckDeps } from '../../src/cincinnati/edges.ts';
import { SignatureMemo } from '../../src/cincinnati/memo.ts';
import type { EdgeSourceList } from '../../src/cincinnati/sources.ts';
import { parseSourceKeyrings } from '../../src/cincinnati/trust.ts';
import { MemorySigstoreSource, buildSigArtifact, clusterImagePolicyYaml, generateP256Key, signLayer } from '../harness/cosign.ts';
import { FakeResolver, fakeDigest, type FakeRelease } from '../helpers/fakes.ts';
import { FIXTURES } from '../helpers/paths.ts';
import { RELEASE_REPO as R } from './fixtures.ts';

const OPENPGP = join(FIXTURES, 'openpgp');
const STORE = 'https://mirror.example/pub/openshift-v4/signatures/openshift/release';
/** B: the 4.15.0 x86_64 payload, with its genuine Red Hat signature in the fixture store. */
const B: Digest = 'sha256:0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363';
/** A digest the store has no signature of. */
const UNSIGNED: Digest = fakeDigest('unsigned release');

// --- B's signatures ---------------------------------------------------------------------------------

/** The fixture store as a fetch: `<STORE>/sha256=<hex>/signature-N` from test/fixtures/openpgp/store. */
function storeFetch(options: { failing?: boolean } = {}): FetchStoreSignature & { calls: string[] } {
  const calls: string[] = [];
  const fetch = async (url: string): Promise<FetchResult<Uint8Array>> => {
    calls.push(url);
    if (!url.startsWith(`${STORE}/`)) throw new Error(`unexpected store URL ${url}`);
    if (options.failing) return { kind: 'error', source: url, reason: 'HTTP 503 Service Unavailable after 5 retries' };
    const path = join(OPENPGP, 'store', url.slice(STORE.length + 1));
    return existsSync(path) ? { kind: 'found', value: readFileSync(path), source: url } : { kind: 'not-found', source: url };
  };
  return Object.assign(fetch, { calls });
}

const cosignKey = generateP256Key('test release key 3');
const strangerKey = generateP256Key('stranger');

function sigstoreSource(): MemorySigstoreSource {
  return new MemorySigstoreSource(R).putSig(B, buildSigArtifact([signLayer({ identity: `${R}@${B}`, digest: B, key: cosignKey })]));
}

// --- A's trust manifests -----------------------------------------------------------------------------

const manifest = (path: string, text: string): PayloadManifestFile => ({ path, text, sha256: createHash('sha256').update(text).digest('hex') });
const CONFIGMAP_TEXT = readFileSync(join(OPENPGP, 'cluster-update-keys.manifests.rhel.0000_90_cluster-update-keys_configmap.yaml'), 'utf8');
const REDHAT_KEYS = manifest('release-manifests/0000_90_cluster-update-keys_configmap.yaml', CONFIGMAP_TEXT);
/** The same ConfigMap with another key (Hongkai Liu's RSA-2048 key) in place of Red Hat's. */
const OTHER_KEYS = manifest(
  'release-manifests/0000_90_cluster-update-keys_configmap.yaml',
  CONFIGMAP_TEXT.replace(
    /^ {2}verifier-public-key-redhat: \|\n(?: {4}.*\n|\n)+/m,
    `  verifier-public-key-redhat: |\n${readFileSync(join(OPENPGP, 'other-signers', 'keys', 'hongkliu.asc'), 'utf8').trimEnd().split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n')}\n`,
  ),
);

function policy(key = cosignKey, policyType = 'PublicKey'): PayloadManifestFile {
  return manifest('release-manifests/0000_90_openshift-cluster-image-policy.yaml', clusterImagePolicyYaml([R], key, { policyType }));
}

function payload(digest: Digest, trust: { updateKeys?: PayloadManifestFile; imagePolicies: PayloadManifestFile[] }): PayloadRead {
  return {
    kind: 'read',
    contents: {
      digest,
      manifest: digest,
      configArch: 'amd64',
      layer: { index: 0, digest: fakeDigest(`layer of ${digest}`) },
      metadata: { kind: 'cincinnati-metadata-v0', version: 'x', previous: [], next: [], metadata: {} },
      ...(trust.updateKeys ? { updateKeys: trust.updateKeys } : {}),
      imagePolicies: trust.imagePolicies,
    },
  };
}

const TRUST = {
  /** What current releases ship: Red Hat's keyring, a policy with the release key. */
  redhat: { updateKeys: REDHAT_KEYS, imagePolicies: [policy()] },
  /** Another keyring, the same policy. */
  otherKeys: { updateKeys: OTHER_KEYS, imagePolicies: [policy()] },
  /** Red Hat's keyring, no ClusterImagePolicy (releases before policies shipped). */
  noPolicy: { updateKeys: REDHAT_KEYS, imagePolicies: [] },
  /** No cluster-update-keys ConfigMap at all. */
  noKeys: { imagePolicies: [policy()] },
  strangerPolicy: { updateKeys: REDHAT_KEYS, imagePolicies: [policy(strangerKey)] },
  unreadablePolicy: { updateKeys: REDHAT_KEYS, imagePolicies: [policy(cosignKey, 'FulcioCAWithRekor')] },
};

// --- the world of one test ---------------------------------------------------------------------------

const verifiedOwn: CheckResult = { outcome: 'verified', reason: 'signed by Red Hat release key 2', signer: 'Red Hat release key 2 (567E347A...FD431D51)' };

function target(over: Partial<EdgeTarget> = {}): EdgeTarget {
  return {
    name: '4.15.0',
    version: '4.15.0',
    arch: 'amd64',
    digest: B,
    places: [{ file: 'channels/stable-4.15.yaml', line: 12, channel: 'stable-4.15' }],
    openpgp: verifiedOwn,
    sigstore: { outcome: 'verified', reason: 'verified', signer: 'test release key 3' },
    skip: {},
    ...over,
  };
}

interface World {
  deps: EdgeCheckDeps;
  resolver: FakeResolver;
  fetch: ReturnType<typeof storeFetch>;
  sigstore: MemorySigstoreSource;
  io: EdgeIO & { reads: Digest[] };
}

/**
 * Sources by version: each resolves (amd64) to a digest derived from its name, whose payload ships
 * `trust` (a PayloadRead to give a failing read); `absent` / `{ error }` for the resolver's answer.
 */
function world(sources: Record<string, keyof typeof TRUST | PayloadRead | 'absent' | { error: string } | 'throws'>, list: Partial<EdgeSourceList> = {}, over: Partial<EdgeCheckDeps> = {}): World {
  const table: Record<string, FakeRelease> = {};
  const payloads = new Map<Digest, PayloadRead | 'throws'>();
  for (const [version, what] of Object.entries(sources)) {
    const key = `${version}/amd64`;
    if (what === 'absent' || (typeof what === 'object' && 'error' in what)) {
      table[key] = what;
      continue;
    }
    const digest = fakeDigest(key);
    table[key] = { digest };
    payloads.set(digest, what === 'throws' ? 'throws' : typeof what === 'string' ? payload(digest, TRUST[what]) : what);
  }
  const resolver = new FakeResolver(table, { defaultPresent: false });
  const fetch = storeFetch();
  const sigstore = sigstoreSource();
  const reads: Digest[] = [];
  const io: World['io'] = {
    reads,
    resolve: (version, arch) => resolver.resolve(version, arch),
    async payload(image: ResolvedImage) {
      reads.push(image.digest);
      const p = payloads.get(image.digest);
      if (p === 'throws') throw new Error('the payload reader crashed');
      return { read: p ?? { kind: 'error', reason: `no payload ${image.digest}` }, shared: false };
    },
  };
  const edgeList: EdgeSourceList = { sources: Object.keys(sources).map((version) => ({ version, via: ['stable-4.15'] })), unknown: [], absentIsUnpublished: true, ...list };
  const deps: EdgeCheckDeps = { sourcesOf: () => edgeList, stores: [STORE], fetch, sigstoreSource: sigstore, identityRepo: R, concurrency: 4, ...over };
  return { deps, resolver, fetch, sigstore, io };
}

const byFrom = (edges: EdgeResult[]) => new Map(edges.map((e) => [e.from, e]));

// --- the cases ---------------------------------------------------------------------------------------

describe('two sources with the same trust set', () => {
  it('both verified; the trust set judged once: one evaluation per keyring and one for the policy', async () => {
    const w = world({ '4.14.10': 'redhat', '4.14.11': 'redhat' });
    const checker = createEdgeChecker(w.deps);
    const edges = (await checker.check(target(), w.io))!;
    expect(edges.map((e) => [e.from, e.outcome])).toEqual([['4.14.10', 'verified'], ['4.14.11', 'verified']]);
    const e = edges[0]!;
    expect(e.digest).toBe(fakeDigest('4.14.10/amd64'));
    expect(e.via).toEqual(['stable-4.15']);
    expect(e.reason).toMatch(/^update from 4\.14\.10 \(sha256:[0-9a-f]{12}\): /);
    expect(e.reason).toContain("OpenPGP verified: verifies under the source release's keyring verifier-public-key-redhat (signed by Red Hat release key 2 (567E347A...FD431D51))");
    expect(e.reason).toContain('Sigstore verified');

    const keyrings = await parseSourceKeyrings(REDHAT_KEYS);
    expect(keyrings.kind === 'keyrings' && keyrings.keyrings.length).toBe(1);
    expect(checker.stats()).toEqual({ nodes: 1, edges: 2, sources: 2, payloadsRead: 2, trustSets: 1, evaluations: 2, signatureFetches: 0 });
    // One OpenPGP evaluation: B's signature-1 fetched once for both edges; the .sig manifest once.
    expect(w.fetch.calls).toEqual([`${STORE}/sha256=${B.slice(7)}/signature-1`]);
    expect(w.sigstore.calls.filter((c) => c.startsWith('manifest'))).toEqual([`manifest ${B}`]);
    expect(w.io.reads.sort()).toEqual([fakeDigest('4.14.10/amd64'), fakeDigest('4.14.11/amd64')].sort());
  });

  it('sources are judged in version order, whatever order the list has', async () => {
    const w = world({ '4.14.9': 'redhat', '4.14.10': 'redhat', '4.13.40': 'redhat' });
    const edges = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(edges.map((e) => e.from)).toEqual(['4.13.40', '4.14.9', '4.14.10']);
  });

  it('a second node judged under the same trust set costs its own evaluation (another digest), not another payload read', async () => {
    const w = world({ '4.14.10': 'redhat' });
    const checker = createEdgeChecker(w.deps);
    await checker.check(target(), w.io);
    const second = await checker.check(target({ name: '4.15.1', version: '4.15.1', digest: UNSIGNED }), w.io);
    expect(second!.map((e) => e.outcome)).toEqual(['missing']);
    expect(checker.stats()).toMatchObject({ nodes: 2, edges: 2, sources: 1, payloadsRead: 1, trustSets: 1, evaluations: 4 });
    expect(w.io.reads).toHaveLength(1);
  });
});

describe('distinct trust sets', () => {
  it('another keyring: invalid, naming the key B is signed with and the keys A trusts; counted as a second trust set', async () => {
    const w = world({ '4.14.10': 'redhat', '4.14.11': 'otherKeys' });
    const checker = createEdgeChecker(w.deps);
    const edges = byFrom((await checker.check(target(), w.io))!);
    expect(edges.get('4.14.10')!.outcome).toBe('verified');
    const bad = edges.get('4.14.11')!;
    expect(bad.outcome).toBe('invalid');
    expect(bad.reason).toContain('OpenPGP invalid: 4.15.0 is signed with Red Hat release key 2 (567E347A...FD431D51), but no signature of 4.15.0 verifies under the source release\'s keyring verifier-public-key-redhat (Hongkai Liu');
    expect(bad.reason).toContain('(ImageVerificationFailed)');
    // The failing part comes first in the reason.
    expect(bad.reason.indexOf('OpenPGP invalid')).toBeLessThan(bad.reason.indexOf('Sigstore verified'));
    // Two keyrings judged (one each); the policy, the same in both, once.
    expect(checker.stats()).toMatchObject({ trustSets: 2, evaluations: 3 });
  });

  it('no cluster-update-keys ConfigMap: the source\'s operator refuses every update (invalid)', async () => {
    const w = world({ '4.14.10': 'noKeys' });
    const [e] = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(e!.outcome).toBe('invalid');
    expect(e!.reason).toContain('ships no release-verification ConfigMap');
    expect(e!.reason).toContain('its cluster-version operator refuses this update (ImageVerificationFailed)');
  });

  it('no ClusterImagePolicy: the Sigstore part is skipped and the edge is as good as its OpenPGP part', async () => {
    const w = world({ '4.14.10': 'noPolicy' });
    const checker = createEdgeChecker(w.deps);
    const [e] = (await checker.check(target(), w.io))!;
    expect(e!.outcome).toBe('verified');
    expect(e!.reason).toMatch(/Sigstore skipped: the source release ships no ClusterImagePolicy whose scopes cover quay\.io\/openshift-release-dev\/ocp-release/);
    expect(checker.stats().evaluations).toBe(1);
    expect(w.sigstore.calls).toEqual([]);
  });

  it('a policy with another key: B\'s release image is refused (invalid)', async () => {
    const w = world({ '4.14.10': 'strangerPolicy' });
    const [e] = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(e!.outcome).toBe('invalid');
    expect(e!.reason).toContain("Sigstore invalid: 4.15.0's release image is signed with test release key 3, but the source release runs it under ClusterImagePolicy/openshift");
    expect(e!.reason).toContain('SignatureValidationFailed');
  });

  it('a policy this tool cannot evaluate: error, never verified', async () => {
    const w = world({ '4.14.10': 'unreadablePolicy' });
    const [e] = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(e!.outcome).toBe('error');
    expect(e!.reason).toContain('Sigstore error: UNSUPPORTED: ');
  });
});

describe('a source that cannot be read is error, never verified', () => {
  it.each([
    ['the payload read failed', { kind: 'error', reason: 'GET blob: HTTP 503 after 5 retries' } as PayloadRead, 'HTTP 503 after 5 retries'],
    ['the payload is invalid', { kind: 'invalid', code: 'PAYLOAD_INVALID', reason: 'no release-manifests/ in any layer' } as PayloadRead, 'no release-manifests/ in any layer'],
  ])('%s', async (_what, read, detail) => {
    const w = world({ '4.14.10': read, '4.14.11': 'redhat' });
    const edges = byFrom((await createEdgeChecker(w.deps).check(target(), w.io))!);
    const e = edges.get('4.14.10')!;
    expect(e.outcome).toBe('error');
    expect(e.digest).toBe(fakeDigest('4.14.10/amd64'));
    expect(e.reason).toContain('the payload of 4.14.10 could not be read (');
    expect(e.reason).toContain(detail);
    expect(e.reason).toContain('the keyring and policy clusters on 4.14.10 verify this update with are unknown');
    expect(edges.get('4.14.11')!.outcome).toBe('verified');
  });

  it('the payload reader throwing is an internal error on the edge, not a crash', async () => {
    const w = world({ '4.14.10': 'throws' });
    const [e] = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(e).toMatchObject({ from: '4.14.10', outcome: 'error' });
    expect(e!.reason).toContain('internal error: the payload reader crashed');
  });

  it('a hostile ConfigMap (a YAML alias bomb) in the source payload: error or invalid, never verified', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 8; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    const bomb = manifest('release-manifests/0000_90_cluster-update-keys_configmap.yaml', `apiVersion: v1\nkind: ConfigMap\n${lines.join('\n')}\n`);
    const w = world({ '4.14.10': payload(fakeDigest('4.14.10/amd64'), { updateKeys: bomb, imagePolicies: [policy()] }) });
    const [e] = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(['error', 'invalid']).toContain(e!.outcome);
  });

  it('the source could not be resolved', async () => {
    const w = world({ '4.14.10': { error: 'HTTP 502 from quay.io' } });
    const [e] = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(e).toEqual({ from: '4.14.10', via: ['stable-4.15'], outcome: 'error', reason: 'update from 4.14.10: could not resolve 4.14.10-x86_64: HTTP 502 from quay.io; the trust of clusters on 4.14.10 is unknown' });
    expect(w.io.reads).toEqual([]);
  });

  it('B\'s signatures could not be fetched: error under the source\'s keyring', async () => {
    const w = world({ '4.14.10': 'noPolicy' });
    const failing = storeFetch({ failing: true });
    const [e] = (await createEdgeChecker({ ...w.deps, fetch: failing }).check(target(), w.io))!;
    expect(e!.outcome).toBe('error');
    expect(e!.reason).toContain("OpenPGP error: could not be determined under the source release's keyring verifier-public-key-redhat");
  });

  it('B\'s .sig manifest could not be fetched: error', async () => {
    const w = world({ '4.14.10': 'redhat' });
    w.sigstore.manifestErrors.add(B);
    const [e] = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(e!.outcome).toBe('error');
    expect(e!.reason).toContain("Sigstore error: could not be determined under the source release's policy");
  });

  it('B has no OpenPGP signature at all: missing', async () => {
    const w = world({ '4.14.10': 'noPolicy' });
    const [e] = (await createEdgeChecker(w.deps).check(target({ digest: UNSIGNED, openpgp: { outcome: 'missing', reason: 'no signature' } }), w.io))!;
    expect(e!.outcome).toBe('missing');
    expect(e!.reason).toContain('4.15.0 is signed with no key this run trusts (its own OpenPGP check: missing), but no signature of 4.15.0 is in the stores');
  });
});

describe('absent sources', () => {
  it('PR scope: a source not published for the architecture is skipped (no cluster updates from it)', async () => {
    const w = world({ '4.14.10': 'absent', '4.14.11': 'redhat' }, { absentIsUnpublished: true });
    const edges = byFrom((await createEdgeChecker(w.deps).check(target(), w.io))!);
    expect(edges.get('4.14.10')).toEqual({ from: '4.14.10', via: ['stable-4.15'], outcome: 'skipped', reason: '4.14.10 was not published for amd64 (tag 4.14.10-x86_64 does not exist), so no cluster updates from it' });
    expect(edges.get('4.14.11')!.outcome).toBe('verified');
  });

  it('audit: the graph serves the source, so its missing tag is an error naming the served digest', async () => {
    const servedDigest = fakeDigest('what Cincinnati serves');
    const w = world({ '4.14.10': 'absent' }, { absentIsUnpublished: false, served: new Map([['4.14.10', servedDigest]]) });
    const [e] = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(e!.outcome).toBe('error');
    expect(e!.reason).toBe(
      `update from 4.14.10: Cincinnati serves 4.14.10 (${servedDigest}), but its tag 4.14.10-x86_64 does not exist in the repository read, so its payload (the keyring and policy clusters on 4.14.10 verify this update with) was not read`,
    );
  });
});

describe('skips', () => {
  it('neither part required: every edge skipped with the reason, nothing resolved, read or fetched', async () => {
    const w = world({ '4.14.10': 'redhat', '4.14.11': 'otherKeys' });
    const checker = createEdgeChecker(w.deps);
    const skip = { openpgp: 'OpenPGP is not required in this run', sigstore: 'Sigstore is not required in this run' };
    const edges = (await checker.check(target({ skip }), w.io))!;
    expect(edges).toEqual([
      { from: '4.14.10', via: ['stable-4.15'], outcome: 'skipped', reason: 'not judged: OpenPGP is not required in this run; Sigstore is not required in this run' },
      { from: '4.14.11', via: ['stable-4.15'], outcome: 'skipped', reason: 'not judged: OpenPGP is not required in this run; Sigstore is not required in this run' },
    ]);
    expect(w.resolver.calls).toEqual([]);
    expect(w.io.reads).toEqual([]);
    expect(w.fetch.calls).toEqual([]);
    expect(checker.stats()).toMatchObject({ nodes: 1, edges: 2, sources: 0, payloadsRead: 0, trustSets: 0, evaluations: 0 });
  });

  it('one reason for both parts is given once', async () => {
    const w = world({ '4.14.10': 'redhat' });
    const [e] = (await createEdgeChecker(w.deps).check(target({ skip: { openpgp: 'skip entry in skips.yaml', sigstore: 'skip entry in skips.yaml' } }), w.io))!;
    expect(e!.reason).toBe('not judged: skip entry in skips.yaml');
  });

  it('OpenPGP skipped: the Sigstore part decides (verified, or invalid under another policy)', async () => {
    const w = world({ '4.14.10': 'otherKeys', '4.14.11': 'strangerPolicy' });
    const checker = createEdgeChecker(w.deps);
    const edges = byFrom((await checker.check(target({ skip: { openpgp: 'not required' } }), w.io))!);
    expect(edges.get('4.14.10')!.outcome).toBe('verified'); // its other keyring is not looked at
    expect(edges.get('4.14.10')!.reason).toContain('OpenPGP skipped: not required');
    expect(edges.get('4.14.11')!.outcome).toBe('invalid');
    expect(w.fetch.calls).toEqual([]);
    expect(checker.stats().evaluations).toBe(2);
  });

  it('Sigstore skipped and no ClusterImagePolicy: OpenPGP decides', async () => {
    const w = world({ '4.14.10': 'noPolicy' });
    const [e] = (await createEdgeChecker(w.deps).check(target({ skip: { sigstore: 'not required' } }), w.io))!;
    expect(e!.outcome).toBe('verified');
    expect(w.sigstore.calls).toEqual([]);
  });
});

describe('the edge list', () => {
  it('nothing offers the node: undefined, and the node is not counted', async () => {
    const w = world({}, {}, { sourcesOf: () => undefined });
    const checker = createEdgeChecker(w.deps);
    expect(await checker.check(target(), w.io)).toBeUndefined();
    expect(checker.stats()).toMatchObject({ nodes: 0, edges: 0 });
  });

  it('edges that could not be determined come first, from null, as errors', async () => {
    const w = world({ '4.14.10': 'redhat' }, { unknown: ['the Cincinnati graph of stable-4.15 (amd64) could not be read (HTTP 503)'] });
    const edges = (await createEdgeChecker(w.deps).check(target(), w.io))!;
    expect(edges[0]).toEqual({ from: null, outcome: 'error', reason: 'the Cincinnati graph of stable-4.15 (amd64) could not be read (HTTP 503)' });
    expect(edges[1]!.outcome).toBe('verified');
    // Unknown edges are reported even when both parts are skipped.
    const skipped = (await createEdgeChecker(w.deps).check(target({ skip: { openpgp: 'x', sigstore: 'y' } }), w.io))!;
    expect(skipped[0]!.outcome).toBe('error');
  });

  it('a payload the pipeline noted is not read again; a shared read is not counted as the edge check\'s', async () => {
    const w = world({ '4.14.10': 'redhat', '4.14.11': 'redhat' });
    const checker = createEdgeChecker({ ...w.deps });
    const noted = fakeDigest('4.14.10/amd64');
    checker.notePayload!(noted, payload(noted, TRUST.redhat));
    const sharedIo: EdgeIO = { resolve: w.io.resolve, payload: async (image) => ({ ...(await w.io.payload(image)), shared: true }) };
    const edges = (await checker.check(target(), sharedIo))!;
    expect(edges.map((e) => e.outcome)).toEqual(['verified', 'verified']);
    expect(w.io.reads).toEqual([fakeDigest('4.14.11/amd64')]);
    expect(checker.stats().payloadsRead).toBe(0);
  });

  it('a noted payload that could not be read makes the edge an error', async () => {
    const w = world({ '4.14.10': 'redhat' });
    const checker = createEdgeChecker(w.deps);
    checker.notePayload!(fakeDigest('4.14.10/amd64'), { kind: 'error', reason: 'layer fetch timed out' });
    const [e] = (await checker.check(target(), w.io))!;
    expect(e!.outcome).toBe('error');
    expect(e!.reason).toContain('layer fetch timed out');
    expect(w.io.reads).toEqual([]);
  });

  it('each source resolved once per architecture, however many nodes it leads into', async () => {
    const w = world({ '4.14.10': 'redhat' });
    const checker = createEdgeChecker(w.deps);
    await Promise.all([checker.check(target(), w.io), checker.check(target({ version: '4.15.1', name: '4.15.1' }), w.io)]);
    expect(w.resolver.calls).toEqual(['4.14.10/amd64']);
    expect(checker.stats().sources).toBe(1);
  });
});

describe('with the signature memo of the node\'s own check', () => {
  it('the edge check sends no signature request the node\'s own check already sent', async () => {
    const w = world({ '4.14.10': 'redhat', '4.14.11': 'otherKeys' });
    const memo = new SignatureMemo();
    const raw = storeFetch();
    const rawSig = sigstoreSource();
    // The node's own OpenPGP check, through the memo.
    const own = await checkOpenPGP(B, { stores: [STORE], fetch: memo.storeFetch(raw, 'own'), keyring: (await parseSourceKeyrings(REDHAT_KEYS).then((k) => (k.kind === 'keyrings' ? k.keyrings[0]!.keyring : undefined)))! });
    expect(own.outcome).toBe('verified');
    const ownCalls = raw.calls.length;

    const checker = createEdgeChecker({
      ...w.deps,
      fetch: memo.storeFetch(raw, 'edges'),
      sigstoreSource: memo.sigstoreSource(rawSig, 'edges'),
      signatureFetches: () => memo.stats.edges,
    });
    const edges = byFrom((await checker.check(target(), w.io))!);
    expect(edges.get('4.14.10')!.outcome).toBe('verified');
    expect(edges.get('4.14.11')!.outcome).toBe('invalid');
    // The other keyring walks on to signature-2, which the node's own check never asked for.
    expect(raw.calls.slice(ownCalls)).toEqual([`${STORE}/sha256=${B.slice(7)}/signature-2`]);
    expect(memo.stats.hits).toBeGreaterThanOrEqual(2);
    // The Sigstore evaluation fetched B's .sig itself (the own check did not run it here): counted.
    expect(checker.stats().signatureFetches).toBe(memo.stats.edges);
    expect(memo.stats.edges).toBe(1 + rawSig.calls.length);
  });
});

describe('architectures', () => {
  it('the source is resolved for the node\'s architecture', async () => {
    const w = world({});
    const resolver = new FakeResolver({ '4.14.10/s390x': { digest: fakeDigest('s390x payload') } }, { defaultPresent: false });
    const arch: Arch = 's390x';
    const io: EdgeIO = { resolve: (version, a) => resolver.resolve(version, a), payload: async (image) => ({ read: payload(image.digest, TRUST.noPolicy), shared: false }) };
    const checker = createEdgeChecker({ ...w.deps, sourcesOf: () => ({ sources: [{ version: '4.14.10', via: ['stable-4.15'] }], unknown: [], absentIsUnpublished: true }) });
    const [e] = (await checker.check(target({ arch }), io))!;
    expect(resolver.calls).toEqual(['4.14.10/s390x']);
    expect(e).toMatchObject({ outcome: 'verified', digest: fakeDigest('s390x payload') });
  });
});
