/**
 * The options of a check, as both entry points gather them (CLI flags, Action inputs), and their
 * validation into a typed configuration. Every message names the flag so the user knows what to fix.
 */
import { SigcheckError } from '../model/errors.ts';
import { ARCHES, parseArchList, type Arch } from '../model/arch.ts';
import { parseReleaseName } from '../model/version.ts';
import { CHECK_NAMES, type CheckName } from '../model/results.ts';
import { OPTIONS, type OptionDef, type OptionType } from './table.ts';

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
  payloadMaxDownload?: string;
  payloadMaxUnpacked?: string;
  // trust
  openpgpKey?: string[];
  sigstoreKey?: string[];
  imagePolicy?: string;
  // audit
  cache?: string;
  skip?: string;
  sigstoreFrom?: string;
  componentsFrom?: string;
  shard?: string;
}

export type FlagKind = OptionType;
export type { ConfigKind } from './table.ts';

/** The keys of CheckFlags, each the camelCase form of a check option's name in the option table. */
const CHECK_FLAG_KEYS = [
  'graphData', 'base', 'head', 'version', 'channel', 'arch', 'require', 'dryRun', 'deepen',
  'releaseRepo', 'mirror', 'signatureStore', 'concurrency', 'retries', 'timeout', 'rate',
  'payloadMaxDownload', 'payloadMaxUnpacked',
  'openpgpKey', 'sigstoreKey', 'imagePolicy', 'cache', 'skip', 'sigstoreFrom', 'componentsFrom', 'shard',
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
    const def = OPTIONS.find((o) => camelCase(o.name) === key && o.commands.check !== undefined);
    if (!def) throw new Error(`the option table has no check option for ${key}`);
    return [key, def];
  }),
) as { readonly [K in keyof CheckFlags]-?: OptionDef };

/** The options that name files a loader reads (trusted material in PR scope: see check/trusted.ts). */
export const PATH_OPTIONS = ['openpgpKey', 'sigstoreKey', 'imagePolicy', 'skip'] as const satisfies readonly (keyof CheckFlags)[];

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
  skip?: string;
  sigstoreFrom?: string;
  componentsFrom?: string;
  shard?: { index: number; count: number };
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

/** Durations: `30` or `30s` (seconds), `500ms`, `2m`. */
export function parseDuration(name: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined || value === '') return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) usage(name, `must be a duration such as 30s, 500ms or 2m (got ${JSON.stringify(value)})`);
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  if (ms < 100 || ms > 3_600_000) usage(name, `must be between 100ms and 60m (got ${value})`);
  return ms;
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
    if (!parsed.ok) usage('version', `: ${parsed.reason}`);
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
    trust: { openpgpKeys: flags.openpgpKey ?? [], sigstoreKeys: flags.sigstoreKey ?? [] },
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
  if (flags.cache) config.cache = flags.cache;
  if (flags.skip) config.skip = flags.skip;
  if (flags.sigstoreFrom) config.sigstoreFrom = flags.sigstoreFrom;
  if (flags.componentsFrom) config.componentsFrom = flags.componentsFrom;
  const shard = parseShard(flags.shard);
  if (shard) config.shard = shard;
  return config;
}
