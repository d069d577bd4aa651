/**
 * Builds the network side of a check from its configuration: one HTTP client (one keep-alive agent,
 * per-host limits, retries), one registry client with its token cache, the release resolver, the
 * OpenPGP store fetcher and the Sigstore source. Release tags and `.sig` tags are read from the
 * mirror when one is configured, else from the release repository.
 *
 * Every request - registry, token endpoint, signature store - goes through the one client, so the
 * proxies of the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), the trusted CAs, the TLS
 * verification settings and the run's deadline apply to all of them alike.
 */
import type { LookupFunction } from 'node:net';
import type { FetchStoreSignature } from '../model/sources.ts';
import type { NetworkConfig } from '../options/registry.ts';
import { SigcheckError, describeError } from '../model/errors.ts';
import { HttpClient, type HttpStats } from '../http/client.ts';
import { proxyFromEnv } from '../http/proxy.ts';
import { readCaFiles } from '../http/tls.ts';
import type { RetryPolicy } from '../http/retry.ts';
import { createStoreFetcher } from '../openpgp/fetch.ts';
import { RegistrySigstoreSource } from '../sigstore/fetch.ts';
import { RegistryAuth } from '../registry/auth.ts';
import { RegistryClient } from '../registry/client.ts';
import { CredentialStore } from '../registry/credentials.ts';
import { parseRepository, type RepositoryRef } from '../registry/reference.ts';
import { RegistryResolver } from '../registry/resolve.ts';
import { RegistryComponentSource, RegistryPayloadSource, type ComponentSource } from '../payload/fetch.ts';

export interface NetworkStats extends HttpStats {
  /** Token requests sent to token endpoints. */
  tokenRequests: number;
}

export interface Network {
  http: HttpClient;
  registry: RegistryClient;
  /** The repository read: the mirror when configured, else the release repository. */
  repository: RepositoryRef;
  /** The release repository as configured (what signature identities name). */
  releaseRepository: RepositoryRef;
  resolver: RegistryResolver;
  fetchStoreSignature: FetchStoreSignature;
  sigstoreSource: RegistrySigstoreSource;
  /** The `.sig` tags of another repository on the same network (a mirror's). */
  sigstoreSourceFor(repo: RepositoryRef): RegistrySigstoreSource;
  /** Where payloads (release images' layers) are read: the repository read. */
  payloadSource: RegistryPayloadSource;
  /**
   * Where a component image (`host/path` as image-references names it) and its `.sig` are read: its
   * own repository; with a mirror, the mirror repository (oc adm release mirror --to puts the release
   * and every component into that one repository).
   */
  componentSource(repository: string): ComponentSource;
  /** Problems with credential files that were skipped, to show the user. */
  warnings: readonly string[];
  stats(): NetworkStats;
  close(): Promise<void>;
}

export interface NetworkOptions {
  /** Environment for credential lookup (REGISTRY_AUTH_FILE, DOCKER_CONFIG, ...) and proxies (HTTPS_PROXY, ...); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Home directory for the default credential locations. */
  home?: string;
  /** Credentials to use instead of reading files. */
  credentials?: CredentialStore;
  /** Backoff tuning (the retry count itself comes from NetworkConfig.retries). */
  retry?: Partial<Omit<RetryPolicy, 'retries'>>;
  /** Requests in flight per host; default min(NetworkConfig.concurrency, 16). */
  concurrencyPerHost?: number;
  rateFloor?: number;
  userAgent?: string;
  /** The wait between retries (tests pass an instant one; the retry budget still applies). */
  sleep?: (ms: number) => Promise<void>;
  /** Name resolution for direct connections (default: the system's); replaceable in tests. */
  lookup?: LookupFunction;
}

/**
 * A component's original repository (`host/path` as image-references names it), as it can be read:
 * a repository on the release repository's host is read the way that host is (http:// for a lab
 * registry), any other over https.
 */
export function toComponentRepository(name: string, release: RepositoryRef): RepositoryRef {
  const scheme = name.split('/')[0] === release.host ? release.scheme : 'https';
  return toRepository(`${scheme}://${name}`, `component repository ${name}`);
}

function toRepository(value: string, flag: string): RepositoryRef {
  try {
    return parseRepository(value, flag);
  } catch (err) {
    throw new SigcheckError('USAGE', describeError(err));
  }
}

export async function createNetwork(config: NetworkConfig, options: NetworkOptions = {}): Promise<Network> {
  const releaseRepository = toRepository(config.releaseRepo, '--release-repo');
  const repository = config.mirror !== undefined && config.mirror !== '' ? toRepository(config.mirror, '--mirror') : releaseRepository;
  const env = options.env ?? process.env;
  const credentials = options.credentials ?? (await CredentialStore.load(env, options.home, config.authFile !== undefined ? { authFile: config.authFile } : {}));
  const extraCa = config.caFiles && config.caFiles.length > 0 ? await readCaFiles(config.caFiles) : [];
  const http = new HttpClient({
    proxy: proxyFromEnv(env),
    tls: {
      extraCa,
      ...(config.tlsVerify !== undefined ? { verify: config.tlsVerify } : {}),
      ...(config.insecureRegistries ? { insecureHosts: config.insecureRegistries } : {}),
    },
    ...(config.deadline !== undefined ? { deadline: config.deadline } : {}),
    retry: { ...options.retry, retries: config.retries },
    timeoutMs: config.timeoutMs,
    concurrencyPerHost: options.concurrencyPerHost ?? Math.max(1, Math.min(config.concurrency, 16)),
    ...(config.rate !== undefined ? { rate: config.rate } : {}),
    ...(options.rateFloor !== undefined ? { rateFloor: options.rateFloor } : {}),
    ...(options.userAgent !== undefined ? { userAgent: options.userAgent } : {}),
    ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
    ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
  });
  const auth = new RegistryAuth(http, credentials);
  const registry = new RegistryClient(http, auth);
  const componentSources = new Map<string, ComponentSource>();
  const componentSource = (name: string): ComponentSource => {
    let source = componentSources.get(name);
    if (!source) {
      source = new RegistryComponentSource(registry, config.mirror ? repository : toComponentRepository(name, releaseRepository));
      if (componentSources.size < 256) componentSources.set(name, source);
    }
    return source;
  };
  return {
    http,
    registry,
    repository,
    releaseRepository,
    resolver: new RegistryResolver(registry, repository),
    fetchStoreSignature: createStoreFetcher(http),
    sigstoreSource: new RegistrySigstoreSource(registry, repository),
    sigstoreSourceFor: (repo) => new RegistrySigstoreSource(registry, repo),
    payloadSource: new RegistryPayloadSource(registry, repository),
    componentSource,
    warnings: credentials.warnings,
    stats: () => ({ ...http.stats(), tokenRequests: auth.tokenRequests }),
    close: () => http.close(),
  };
}
