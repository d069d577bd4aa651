/**
 * The wiring: turns a configuration into trust, network, resolver, checkers and sources, for every
 * command and the Action. Trust first (so a bad key file or policy is reported before any request),
 * then one shared network (wiring/network.ts), then the checkers that read through it. Commands take
 * what they need from the one `Wired` this returns; none builds a network or loads trust by hand.
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { describeError } from '../model/errors.ts';
import { loadOpenPGPKeyring, type OpenPGPKeyring } from '../openpgp/keys.ts';
import { checkOpenPGP } from '../openpgp/check.ts';
import { createNetwork, type Network } from './network.ts';
import { checkSigstore } from '../sigstore/check.ts';
import { loadComponentTrust, loadSigstoreTrust, type ComponentTrust, type SigstoreTrust } from '../sigstore/policy.ts';
import { createPayloadChecker } from '../payload/checker.ts';
import { BoundedMemo } from '../payload/memo.ts';
import type { ComponentStore, ComponentVerdict } from '../payload/components.ts';
import { VERDICT_RULES_VERSION, type TrustFingerprints } from '../check/cache.ts';
import { EvidenceRecorder, type RevalidationSources } from '../check/revalidate.ts';
import type { PipelineDeps } from '../check/pipeline.ts';
import type { CheckConfig } from '../options/registry.ts';
import { checkPolicy } from '../policy/check.ts';
import { createPolicySources } from '../policy/fetch.ts';
import { loadPolicyTrust, type PolicyTrust, type TrustedFileReader } from '../policy/trust.ts';
import { toRepositoryReference } from '../sigstore/reference.ts';
import { SignatureMemo } from '../cincinnati/memo.ts';
import { CincinnatiReader } from '../cincinnati/read.ts';
import type { EdgeNetwork } from '../cincinnati/load.ts';

export interface NetworkDeps extends PipelineDeps {
  /** Hashes of the trusted key material per check, for the verified-result cache. */
  trust: TrustFingerprints;
  /** Lets verified component verdicts persist (the verified-result cache), once it is loaded. */
  useComponentStore(store: (trustScope: string) => ComponentStore): void;
  /** Retries spent so far. */
  retries(): number;
  /** Records the bytes behind each verdict, for the cache's revalidation. */
  recorder?: EvidenceRecorder;
  /** The sources evidence is confirmed against. */
  sources?: RevalidationSources;
  /** Warnings to show the user (e.g. unreadable credential files). */
  warnings: readonly string[];
  /** What the update-edge check and the Cincinnati cross-check read through (src/cincinnati/load.ts). */
  edgeNetwork?: EdgeNetwork;
  close(): Promise<void>;
}

/** Everything a command needs, built once from its configuration. */
export interface Wired extends NetworkDeps {
  /** The trusted keys and policies themselves. */
  trustMaterial: Trust;
  network: Network;
  /** The repository signature identities must name. */
  identityRepo: string;
}

export interface Trust {
  openpgp: OpenPGPKeyring;
  sigstore: SigstoreTrust;
  /** The Sigstore trust of component images, per repository (the policy's scopes). */
  components: ComponentTrust;
  /** With --policy-json: CRI-O's decision comes from the node's policy (src/policy), not from `sigstore`. */
  policy?: PolicyTrust;
}

export interface LoadTrustOptions {
  /** Reads files a trusted file names (keys a policy.json names): the merge-base's in PR scope. */
  readTrusted?: TrustedFileReader;
}

/**
 * Component verdicts kept in memory for the whole run: a 5-architecture audit of 50 versions with 200
 * components each, 80% shared between z-streams, has about 11,000 distinct (repository, digest) pairs.
 */
export const COMPONENT_MEMO_LIMIT = 32_768;

/** The repository signature identities must name: the release repository without a scheme. */
export function identityRepository(releaseRepo: string): string {
  return releaseRepo.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}

/** The OpenPGP keyring a configuration trusts (the baked-in Red Hat keys and --openpgp-key files). */
export function loadOpenPGPTrust(config: CheckConfig): Promise<OpenPGPKeyring> {
  return loadOpenPGPKeyring({ keyFiles: config.trust.openpgpKeys });
}

function sigstorePolicyOf(config: CheckConfig): { keyFiles: string[]; imagePolicyFile?: string } {
  return { keyFiles: config.trust.sigstoreKeys, ...(config.trust.imagePolicy ? { imagePolicyFile: config.trust.imagePolicy } : {}) };
}

/** The Sigstore trust a configuration states (keys, policy, identity repository). */
export function loadSigstoreTrustOf(config: CheckConfig): Promise<SigstoreTrust> {
  return loadSigstoreTrust({ ...sigstorePolicyOf(config), releaseRepo: identityRepository(config.network.releaseRepo) });
}

/** A node's policy.json and registries.d, with the keys of the scopes the release repository falls under loaded. */
async function loadNodePolicy(config: CheckConfig, options: LoadTrustOptions): Promise<PolicyTrust | undefined> {
  if (config.trust.policyJson === undefined) return undefined;
  const policy = await loadPolicyTrust({
    policyJson: config.trust.policyJson,
    ...(config.trust.registriesD !== undefined ? { registriesD: config.trust.registriesD } : {}),
    ...(options.readTrusted ? { readFile: options.readTrusted } : {}),
  });
  await policy.prepare(toRepositoryReference(identityRepository(config.network.releaseRepo), 'release repository'));
  return policy;
}

export async function loadTrust(config: CheckConfig, options: LoadTrustOptions = {}): Promise<Trust> {
  const policy = await loadNodePolicy(config, options);
  const components = await loadComponentTrust(sigstorePolicyOf(config));
  if (policy) {
    const openpgp = await loadOpenPGPTrust(config);
    return { openpgp, sigstore: { releaseRepo: identityRepository(config.network.releaseRepo), requirements: [] }, components, policy };
  }
  const [openpgp, sigstore] = await Promise.all([loadOpenPGPTrust(config), loadSigstoreTrustOf(config)]);
  return { openpgp, sigstore, components };
}

/** The network alone, for commands that fetch without the checkers (configmap --write). */
export function openNetwork(config: CheckConfig): Promise<Network> {
  // --concurrency is the number of requests in flight per host.
  return createNetwork(config.network, { concurrencyPerHost: config.network.concurrency });
}

/**
 * The cache scope of each check: a hash of everything its verdict depends on besides the digest. The
 * key material (so a revocation published on a key changes it) and, for Sigstore, the identity rules
 * and repository; the sources read (the stores, the repository or mirror the `.sig` tag is read
 * from: a mirror without the tag must not pass on a result read from the release repository); and
 * the version of the verdict rules.
 */
export function trustFingerprints(trust: Trust, config: Pick<CheckConfig, 'network'>): TrustFingerprints {
  const hash = (parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
  const rules = `rules:${VERDICT_RULES_VERSION}`;
  const openpgp = trust.openpgp.keys.map((k) => `${k.fingerprint}:${Buffer.from(k.key.write()).toString('base64')}`).sort();
  const stores = [...config.network.signatureStores].map((s) => s.replace(/\/+$/, '')).sort();
  const sigstore = trust.sigstore.requirements.map((r) => JSON.stringify({ keys: r.keys.map((k) => k.fingerprint).sort(), rekor: r.rekorKeys?.map((k) => k.fingerprint).sort(), identity: r.identity, scope: r.scope }));
  const readFrom = config.network.mirror ?? config.network.releaseRepo;
  const policy = trust.policy ? ['policy', trust.policy.fingerprint()] : [];
  return {
    openpgp: hash([rules, 'keys', ...openpgp, 'stores', ...stores]),
    sigstore: hash([rules, trust.sigstore.releaseRepo, ...sigstore, ...policy, 'read-from', readFrom]),
    // Every scope of the policy and its keys; components are read from their own repositories, or the mirror.
    components: hash([rules, 'policy', trust.components.fingerprint, 'read-from', config.network.mirror ?? `own repositories (release repository ${config.network.releaseRepo})`]),
  };
}

/** Wires a configuration (see the module comment); `close()` ends the network. */
export const wire = (config: CheckConfig, options: { trust?: Trust; network?: Network; readTrusted?: TrustedFileReader } = {}): Promise<Wired> => createNetworkDeps(config, options);

export async function createNetworkDeps(config: CheckConfig, options: { trust?: Trust; network?: Network; readTrusted?: TrustedFileReader } = {}): Promise<Wired> {
  const trust = options.trust ?? (await loadTrust(config, options.readTrusted ? { readTrusted: options.readTrusted } : {}));
  const network =
    options.network ??
    (await openNetwork(config));
  const identityRepo = identityRepository(config.network.releaseRepo);
  // The checkers read through recording wrappers, so the cache knows the bytes behind a verdict, and
  // through one memo with the edge check, which judges a node's signatures right after its own check.
  const recorder = new EvidenceRecorder();
  const signatures = new SignatureMemo();
  const fetchStoreSignature = recorder.wrapStoreFetch(signatures.storeFetch(network.fetchStoreSignature, 'own'));
  const sigstoreSource = recorder.wrapSigstoreSource(signatures.sigstoreSource(network.sigstoreSource, 'own'));
  // Under a node policy a verdict may rest on a lookaside signature or on no signature at all, which the
  // recorder cannot confirm: such verdicts carry no evidence, so the cache checks them again in full.
  const policy = trust.policy;
  const policySources = policy ? createPolicySources(network.http, network.registry, network.repository, network.sigstoreSource) : undefined;
  const sigstoreCheck: NetworkDeps['checker']['sigstore'] =
    policy && policySources
      ? (image) => checkPolicy(image, { trust: policy, sources: policySources, identityRepo, physicalRepo: network.repository.display })
      : (image) => checkSigstore(image, { source: sigstoreSource, trust: trust.sigstore, identityRepo });
  let storeFor: ((trustScope: string) => ComponentStore) | undefined;
  const scopeHash = (repository: string): string => {
    const t = trust.components.trustFor(repository);
    return createHash('sha256').update(JSON.stringify(t?.requirements.map((r) => ({ scope: r.scope, keys: r.keys.map((k) => k.fingerprint).sort(), identity: r.identity, rekor: r.rekorKeys?.map((k) => k.fingerprint) })) ?? null)).digest('hex').slice(0, 16);
  };
  const componentStore: ComponentStore = {
    get: (repository, digest) => (storeFor ? storeFor(scopeHash(repository)).get(repository, digest) : undefined),
    put: (repository, digest, verdict: ComponentVerdict) => storeFor?.(scopeHash(repository)).put(repository, digest, verdict),
  };
  const payload = createPayloadChecker({
    source: network.payloadSource,
    read: { maxDownloadBytes: config.payload.maxDownloadBytes, maxUnpackedBytes: config.payload.maxUnpackedBytes, retries: config.network.retries },
    components: {
      trust: trust.components,
      sourceFor: (repository) => network.componentSource(repository),
      memo: new BoundedMemo<ComponentVerdict>(COMPONENT_MEMO_LIMIT),
      store: componentStore,
      // Four component checks per request slot keep the wire busy (each makes up to three requests in turn).
      limit: pLimit(Math.max(8, config.network.concurrency * 4)),
    },
  });
  return {
    trustMaterial: trust,
    network,
    identityRepo,
    recorder,
    sources: { fetchStoreSignature: network.fetchStoreSignature, sigstoreSource: network.sigstoreSource },
    trust: trustFingerprints(trust, config),
    useComponentStore: (store) => {
      storeFor = store;
    },
    payload,
    warnings: [...network.warnings, ...(policy?.warnings ?? [])],
    edgeNetwork: {
      fetchStoreSignature: signatures.storeFetch(network.fetchStoreSignature, 'edges'),
      sigstoreSource: signatures.sigstoreSource(network.sigstoreSource, 'edges'),
      signatureFetches: () => signatures.stats.edges,
      ...(config.cincinnati ? { cincinnati: new CincinnatiReader(network.http, config.cincinnati, identityRepo) } : {}),
    },
    resolver: network.resolver,
    checker: {
      openpgp: (digest) => checkOpenPGP(digest, { stores: config.network.signatureStores, fetch: fetchStoreSignature, keyring: trust.openpgp }),
      sigstore: sigstoreCheck,
    },
    retries: () => network.stats().retries,
    close: async () => {
      try {
        await network.close();
      } catch (err) {
        process.emitWarning(`closing the network: ${describeError(err)}`);
      }
    },
  };
}
