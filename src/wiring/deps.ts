/**
 * Builds the real network-backed resolver and checkers from a configuration: trust first (so a bad
 * key file or policy is reported before any request), then one shared network.
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
import type { PipelineDeps } from '../check/pipeline.ts';
import type { CheckConfig } from '../options/registry.ts';

export interface NetworkDeps extends PipelineDeps {
  /** Hashes of the trusted key material per check, for the verified-result cache. */
  trust: TrustFingerprints;
  /** Lets verified component verdicts persist (the verified-result cache), once it is loaded. */
  useComponentStore(store: (trustScope: string) => ComponentStore): void;
  /** Retries spent so far. */
  retries(): number;
  /** Warnings to show the user (e.g. unreadable credential files). */
  warnings: readonly string[];
  close(): Promise<void>;
}

export interface Trust {
  openpgp: OpenPGPKeyring;
  sigstore: SigstoreTrust;
  /** The Sigstore trust of component images, per repository (the policy's scopes). */
  components: ComponentTrust;
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

export async function loadTrust(config: CheckConfig): Promise<Trust> {
  const policy = { keyFiles: config.trust.sigstoreKeys, ...(config.trust.imagePolicy ? { imagePolicyFile: config.trust.imagePolicy } : {}) };
  const [openpgp, sigstore, components] = await Promise.all([
    loadOpenPGPKeyring({ keyFiles: config.trust.openpgpKeys }),
    loadSigstoreTrust({ ...policy, releaseRepo: identityRepository(config.network.releaseRepo) }),
    loadComponentTrust(policy),
  ]);
  return { openpgp, sigstore, components };
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
  return {
    openpgp: hash([rules, 'keys', ...openpgp, 'stores', ...stores]),
    sigstore: hash([rules, trust.sigstore.releaseRepo, ...sigstore, 'read-from', readFrom]),
    // Every scope of the policy and its keys; components are read from their own repositories, or the mirror.
    components: hash([rules, 'policy', trust.components.fingerprint, 'read-from', config.network.mirror ?? `own repositories (release repository ${config.network.releaseRepo})`]),
  };
}

export async function createNetworkDeps(config: CheckConfig, options: { trust?: Trust; network?: Network } = {}): Promise<NetworkDeps> {
  const trust = options.trust ?? (await loadTrust(config));
  const network =
    options.network ??
    (await createNetwork(config.network, {
      // --concurrency is the number of requests in flight per host.
      concurrencyPerHost: config.network.concurrency,
    }));
  const identityRepo = identityRepository(config.network.releaseRepo);
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
    trust: trustFingerprints(trust, config),
    useComponentStore: (store) => {
      storeFor = store;
    },
    payload,
    warnings: network.warnings,
    resolver: network.resolver,
    checker: {
      openpgp: (digest) => checkOpenPGP(digest, { stores: config.network.signatureStores, fetch: network.fetchStoreSignature, keyring: trust.openpgp }),
      sigstore: (image) => checkSigstore(image, { source: network.sigstoreSource, trust: trust.sigstore, identityRepo }),
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
