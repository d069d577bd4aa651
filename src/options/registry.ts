/**
 * The options of a check, as both entry points gather them (CLI flags, Action inputs), and their
 * validation into a typed configuration. Every message names the flag so the user knows what to fix.
 */
import { SigcheckError } from '../model/errors.ts';
import { ARCHES, parseArchList, type Arch } from '../model/arch.ts';
import { parseReleaseName } from '../model/version.ts';
import { CHECK_NAMES, type CheckName } from '../model/results.ts';
import { OPTIONS, type OptionDef, type OptionType } from './table.ts';
import type { FailOn } from '../model/changes.ts';
import { FAIL_ON } from '../model/changes.ts';

export const DEFAULT_RELEASE_REPO = 'quay.io/openshift-release-dev/ocp-release';
export const DEFAULT_SIGNATURE_STORES = [
  'https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release',
  'https://storage.googleapis.com/openshift-release/official/signatures/openshift/release',
];

/** Raw option values, as strings, the way a command line or an Action input delivers them. */
export interface CheckFlags {
  graphData?: string;
  base?: string;
  head?: string;
  version?: string[];
  channel?: string[];
  arch?: string;
  require?: string;
  dryRun?: boolean;
  deepen?: boolean;
  // network
  releaseRepo?: string;
  mirror?: string;
  signatureStore?: string[];
  concurrency?: string;
  retries?: string;
  timeout?: string;
  rate?: string;
  deadline?: string;
  caFile?: string[];
  tlsVerify?: string;
  insecureRegistry?: string[];
  authfile?: string;
  payloadMaxDownload?: string;
  payloadMaxUnpacked?: string;
  // trust
  openpgpKey?: string[];
  sigstoreKey?: string[];
  imagePolicy?: string;
  policyJson?: string;
  registriesD?: string;
  // audit
  cache?: string;
  cacheMode?: string;
  skip?: string;
  sigstoreFrom?: string;
  componentsFrom?: string;
  shard?: string;
  cincinnati?: string;
  // what changed
  previous?: string;
  failOn?: string;
}

export type FlagKind = OptionType;
export type { ConfigKind } from './table.ts';

/** The keys of CheckFlags, each the camelCase form of a check option's name in the option table. */
const CHECK_FLAG_KEYS = [
  'graphData', 'base', 'head', 'version', 'channel', 'arch', 'require', 'dryRun', 'deepen',
  'releaseRepo', 'mirror', 'signatureStore', 'concurrency', 'retries', 'timeout', 'rate',
  'deadline', 'caFile', 'tlsVerify', 'insecureRegistry', 'authfile', 'payloadMaxDownload', 'payloadMaxUnpacked',
  'openpgpKey', 'sigstoreKey', 'imagePolicy', 'policyJson', 'registriesD', 'cache', 'cacheMode', 'skip', 'sigstoreFrom', 'componentsFrom', 'shard', 'cincinnati', 'previous', 'failOn',
] as const satisfies readonly (keyof CheckFlags)[];

export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Every check option as the table declares it, by CheckFlags key: its long name (the CLI flag, the
 * Action input, the config-file key), how it is read, and whether the repository's configuration
 * may set it.
 */
export const CHECK_FLAG_NAMES: { readonly [K in keyof CheckFlags]-?: OptionDef } = Object.fromEntries(
  CHECK_FLAG_KEYS.map((key) => {
    const def = OPTIONS.find((o) => (o.key ?? camelCase(o.name)) === key && o.commands.check !== undefined);
    if (!def) throw new Error(`the option table has no check option for ${key}`);
    return [key, def];
  }),
) as { readonly [K in keyof CheckFlags]-?: OptionDef };

/** The options that name files a loader reads (trusted material in PR scope: see check/trusted.ts). */
export const PATH_OPTIONS = ['openpgpKey', 'sigstoreKey', 'imagePolicy', 'policyJson', 'registriesD', 'skip'] as const satisfies readonly (keyof CheckFlags)[];
/** The path options that name a directory (materialized whole: check/trusted.ts materializeDir). */
export const DIRECTORY_OPTIONS: ReadonlySet<(typeof PATH_OPTIONS)[number]> = new Set(['registriesD']);

/** Builds CheckFlags from any source of named options (command line, Action inputs); absent ones stay unset. */
export function readCheckFlags(read: (name: string, kind: FlagKind) => string | string[] | boolean | undefined): CheckFlags {
  const flags: Record<string, unknown> = {};
  for (const [key, { name, type: kind }] of Object.entries(CHECK_FLAG_NAMES)) {
    const value = read(name, kind);
    if (value !== undefined) flags[key] = value;
  }
  return flags as CheckFlags;
}

export interface NetworkConfig {
  releaseRepo: string;
  mirror?: string;
  signatureStores: string[];
  concurrency: number;
  retries: number;
  timeoutMs: number;
  /** Requests per second per host; undefined means no rate limit (only the concurrency limit). */
  rate?: number;
  /** The end of the run (ms since the epoch, or a signal): what is not done by then is `error`. */
  deadline?: number | AbortSignal;
  /** PEM files of CAs to trust besides Node's defaults. */
  caFiles?: string[];
  /** false: verify no TLS certificate. */
  tlsVerify?: boolean;
  /** Hosts (`host` or `host:port`) whose TLS certificates are not verified. */
  insecureRegistries?: string[];
  /** The registry credentials file to use instead of the default locations. */
  authFile?: string;
}

/** Caps of one release payload's reading (src/payload/read.ts). */
export interface PayloadConfig {
  maxDownloadBytes: number;
  maxUnpackedBytes: number;
}

export interface TrustConfig {
  openpgpKeys: string[];
  sigstoreKeys: string[];
  imagePolicy?: string;
  /** A node's policy.json: CRI-O's decision comes from it instead of the ClusterImagePolicy (src/policy). */
  policyJson?: string;
  registriesD?: string;
}

export interface CheckConfig {
  graphData: string;
  base?: string;
  head?: string;
  versions?: string[];
  channels?: string[];
  arches: Arch[];
  require: CheckName[];
  dryRun: boolean;
  deepen: boolean;
  network: NetworkConfig;
  trust: TrustConfig;
  payload: PayloadConfig;
  cache?: string;
  cacheMode: 'revalidate' | 'trust';
  skip?: string;
  sigstoreFrom?: string;
  componentsFrom?: string;
  shard?: { index: number; count: number };
  /** The Cincinnati graph API an audit is cross-checked against (`--cincinnati`); undefined: off. */
  cincinnati?: string;
  /** The previous run's JSON report to compare with. */
  previous?: string;
  failOn: FailOn;
}

/** A usage error about one option; the message is written without the option's name (errors.ts). */
function usage(option: string, message: string): never {
  throw new SigcheckError('USAGE', message, { option });
}

export function parseIntegerFlag(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value.trim())) usage(name, `must be a whole number between ${min} and ${max} (got ${JSON.stringify(value)})`);
  const n = Number(value);
  if (n < min || n > max) usage(name, `must be between ${min} and ${max} (got ${n})`);
  return n;
}

/** Durations: `30` or `30s` (seconds), `500ms`, `2m`, `1h`; within 100ms..60m unless `bounds` say otherwise. */
export function parseDuration(name: string, value: string | undefined, fallbackMs: number, bounds: { minMs: number; maxMs: number; label: string } = { minMs: 100, maxMs: 3_600_000, label: '100ms and 60m' }): number {
  if (value === undefined || value === '') return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) usage(name, `must be a duration such as 30s, 500ms or 2m (got ${JSON.stringify(value)})`);
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : m[2] === 'h' ? n * 3_600_000 : n * 1000;
  if (ms < bounds.minMs || ms > bounds.maxMs) usage(name, `must be between ${bounds.label} (got ${value})`);
  return ms;
}

/** `true`/`false` as podman and skopeo spell `--tls-verify`. */
function parseBooleanFlag(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  usage(name, `must be true or false, e.g. --${name}=false (got ${JSON.stringify(value)})`);
}

export function parseRequire(value: string | undefined): CheckName[] {
  if (value === undefined || value.trim() === '') return [...CHECK_NAMES];
  const out: CheckName[] = [];
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!(CHECK_NAMES as readonly string[]).includes(name)) usage('require', `takes a list of ${CHECK_NAMES.join(', ')} (got ${JSON.stringify(name)})`);
    if (!out.includes(name as CheckName)) out.push(name as CheckName);
  }
  // `--require ,` must not quietly require nothing: an empty list passes every release.
  if (out.length === 0) usage('require', `${JSON.stringify(value)} names no check; give one or more of ${CHECK_NAMES.join(', ')}`);
  return out;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };

/** Sizes: `536870912`, `512MiB`, `2GiB`, `100MB` (SI units are powers of 1000, IEC ones of 1024). */
export function parseSize(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? SIZE_UNITS[(m[2] as string).toLowerCase()] : undefined;
  if (!m || unit === undefined) usage(name, `must be a size such as 512MiB, 2GiB or 100MB (got ${JSON.stringify(value)})`);
  const n = Math.floor(Number(m[1]) * unit);
  if (n < min || n > max) usage(name, `must be between ${min} and ${max} bytes (got ${value})`);
  return n;
}

export function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) usage('shard', `must be K/N, e.g. 1/4 (got ${JSON.stringify(value)})`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) usage('shard', `${value}: K must be between 1 and N`);
  return { index, count };
}

/**
 * `host[:port]/path` (read over https), optionally written `docker://` or `https://`; plain HTTP only
 * when the value says `http://` explicitly, which is then kept in the returned string. Use
 * src/registry/reference.ts `parseRepository(value).display` for the `host/path` form identities use.
 */
export function parseRepository(name: string, value: string): string {
  const trimmed = value.trim();
  const plainHttp = /^http:\/\//i.test(trimmed);
  const v = trimmed.replace(/^(docker|https?):\/\//i, '').replace(/\/+$/, '');
  // host[:port]/path, lowercase path components as the distribution spec requires.
  if (!/^[a-zA-Z0-9.-]+(:\d+)?(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/.test(v)) {
    usage(name, `must be a repository such as quay.io/openshift-release-dev/ocp-release or http://127.0.0.1:5000/ocp/release (got ${JSON.stringify(value)})`);
  }
  return plainHttp ? `http://${v}` : v;
}

export function parseFailOn(value: string | undefined, previous: string | undefined): FailOn {
  if (value === undefined || value.trim() === '') return 'any';
  const v = value.trim();
  if (!(FAIL_ON as readonly string[]).includes(v)) usage('fail-on', `must be new or any (got ${JSON.stringify(value)})`);
  // Without a baseline every failure is new: `new` would silently mean `any`.
  if (v === 'new' && !previous) usage('fail-on', 'new needs --previous REPORT.json, the report of the run to compare with');
  return v as FailOn;
}

export const DEFAULT_CINCINNATI_URL = 'https://api.openshift.com/api/upgrades_info/graph';

/**
 * `--cincinnati URL|none`. Unset, the public graph API, whose payloads name the default release
 * repository; with another `--release-repo` that graph says nothing of it, so it is off unless named.
 */
export function parseCincinnati(value: string | undefined, releaseRepo: string): string | undefined {
  const v = value?.trim();
  if (v === undefined || v === '') return releaseRepo === DEFAULT_RELEASE_REPO ? DEFAULT_CINCINNATI_URL : undefined;
  if (v === 'none') return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    usage('cincinnati', `must be the graph API's http(s) URL, e.g. ${DEFAULT_CINCINNATI_URL}, or none (got ${JSON.stringify(v.slice(0, 200))})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') usage('cincinnati', `must be an http(s) URL or none (got ${JSON.stringify(v.slice(0, 200))})`);
  if (url.username !== '' || url.password !== '') usage('cincinnati', 'must not carry credentials: the graph API is public, and a URL is printed in reports');
  if (url.search !== '' || url.hash !== '') usage('cincinnati', `takes the graph API without a query (the channel and arch are added per request; got ${JSON.stringify(v.slice(0, 200))})`);
  return url.toString();
}

export function toNetworkConfig(flags: CheckFlags): NetworkConfig {
  const config: NetworkConfig = {
    releaseRepo: parseRepository('release-repo', flags.releaseRepo ?? DEFAULT_RELEASE_REPO),
    signatureStores: flags.signatureStore && flags.signatureStore.length > 0 ? flags.signatureStore : [...DEFAULT_SIGNATURE_STORES],
    // Cincinnati scrapes quay.io with 16 requests in flight; more invites 429s.
    concurrency: parseIntegerFlag('concurrency', flags.concurrency, 16, 1, 512),
    retries: parseIntegerFlag('retries', flags.retries, 5, 0, 20),
    timeoutMs: parseDuration('timeout', flags.timeout, 30_000),
  };
  for (const store of config.signatureStores) {
    if (!/^(https?|file):\/\//.test(store)) usage('signature-store', `must be an http(s):// or file:// URL (got ${JSON.stringify(store)})`);
  }
  if (flags.mirror !== undefined && flags.mirror !== '') {
    if (!/^https?:\/\/[^/]+\/.+/.test(flags.mirror)) usage('mirror', `must be http(s)://host[:port]/repository/path (got ${JSON.stringify(flags.mirror)})`);
    config.mirror = flags.mirror.replace(/\/+$/, '');
  }
  if (flags.rate !== undefined && flags.rate !== '') {
    const rate = Number(flags.rate);
    if (!Number.isFinite(rate) || rate <= 0 || rate > 10_000) usage('rate', `must be requests per second per host, a number above 0 (got ${JSON.stringify(flags.rate)})`);
    config.rate = rate;
  }
  // The run's deadline counts from now, when the options are read at the start of the run.
  config.deadline = Date.now() + parseDuration('deadline', flags.deadline, 30 * 60_000, { minMs: 1000, maxMs: 7 * 24 * 3_600_000, label: '1s and 168h' });
  if (flags.caFile && flags.caFile.length > 0) config.caFiles = flags.caFile;
  const tlsVerify = parseBooleanFlag('tls-verify', flags.tlsVerify);
  if (tlsVerify !== undefined) config.tlsVerify = tlsVerify;
  if (flags.insecureRegistry && flags.insecureRegistry.length > 0) {
    for (const host of flags.insecureRegistry) {
      if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host.trim())) usage('insecure-registry', `takes a host or host:port, e.g. mirror.example.com:5000 (got ${JSON.stringify(host)})`);
    }
    config.insecureRegistries = flags.insecureRegistry.map((h) => h.trim().toLowerCase());
  }
  if (flags.authfile) config.authFile = flags.authfile;
  return config;
}

export function toCheckConfig(flags: CheckFlags): CheckConfig {
  let arches: Arch[];
  try {
    arches = flags.arch ? parseArchList(flags.arch) : [...ARCHES];
  } catch (err) {
    usage('arch', `: ${(err as Error).message}`);
  }
  for (const v of flags.version ?? []) {
    const parsed = parseReleaseName(v);
    if (!parsed.ok) usage('release', `: ${parsed.reason}`);
  }
  if (flags.sigstoreFrom) {
    const parsed = parseReleaseName(flags.sigstoreFrom);
    if (!parsed.ok) usage('sigstore-from', `: ${parsed.reason}`);
  }
  if (flags.componentsFrom) {
    const parsed = parseReleaseName(flags.componentsFrom);
    if (!parsed.ok) usage('components-from', `: ${parsed.reason}`);
  }
  if (flags.head !== undefined && flags.base === undefined) usage('head', 'needs --base');
  const config: CheckConfig = {
    graphData: flags.graphData || '.',
    arches,
    require: parseRequire(flags.require),
    dryRun: flags.dryRun ?? false,
    deepen: flags.deepen ?? false,
    network: toNetworkConfig(flags),
    failOn: parseFailOn(flags.failOn, flags.previous),
    trust: { openpgpKeys: flags.openpgpKey ?? [], sigstoreKeys: flags.sigstoreKey ?? [] },
    cacheMode: flags.cacheMode === 'trust' ? 'trust' : 'revalidate',
    payload: {
      maxDownloadBytes: parseSize('payload-max-download', flags.payloadMaxDownload, 512 * 1024 ** 2, 1024, 64 * 1024 ** 3),
      maxUnpackedBytes: parseSize('payload-max-unpacked', flags.payloadMaxUnpacked, 2 * 1024 ** 3, 1024, 256 * 1024 ** 3),
    },
  };
  if (flags.base) config.base = flags.base;
  if (flags.head) config.head = flags.head;
  if (flags.version && flags.version.length > 0) config.versions = flags.version;
  if (flags.channel && flags.channel.length > 0) config.channels = flags.channel;
  if (flags.imagePolicy) config.trust.imagePolicy = flags.imagePolicy;
  if (flags.policyJson) {
    // The node's policy is the whole of CRI-O's trust: a ClusterImagePolicy or key on top would be a second, conflicting answer.
    if (flags.imagePolicy) usage('policy-json', 'and --image-policy are two answers to one question; render the ClusterImagePolicy into a policy.json with `release-sigcheck policy render`, or give only one');
    if (flags.sigstoreKey && flags.sigstoreKey.length > 0) usage('policy-json', 'takes its keys from the policy; add the key to the policy file instead of --sigstore-key');
    config.trust.policyJson = flags.policyJson;
  }
  if (flags.registriesD) {
    if (!flags.policyJson) usage('registries-d', 'needs --policy-json (registries.d says where a policy.json\'s signatures are read from)');
    config.trust.registriesD = flags.registriesD;
  }
  if (flags.cache) config.cache = flags.cache;
  if (flags.cacheMode !== undefined && flags.cacheMode !== 'revalidate' && flags.cacheMode !== 'trust') usage('cache-mode', `must be revalidate or trust (got ${JSON.stringify(flags.cacheMode)})`);
  if (flags.skip) config.skip = flags.skip;
  if (flags.sigstoreFrom) config.sigstoreFrom = flags.sigstoreFrom;
  if (flags.componentsFrom) config.componentsFrom = flags.componentsFrom;
  const shard = parseShard(flags.shard);
  if (shard) config.shard = shard;
  const cincinnati = parseCincinnati(flags.cincinnati, config.network.releaseRepo);
  if (cincinnati !== undefined) config.cincinnati = cincinnati;
  if (flags.previous) config.previous = flags.previous;
  return config;
}
