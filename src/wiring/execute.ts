/**
 * One check run as both entry points perform it: read the config file, select nodes, apply skips and
 * sharding, build the network, run, save the cache. The CLI and the Action differ only in where the
 * flags come from and which reporters they attach.
 */
import { basename, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import { SigcheckError, describeError } from '../model/errors.ts';
import { isGitCheckout, repoTop } from '../graph/git.ts';
import { VerifiedCache, cacheStats, withCache } from '../check/cache.ts';
import { withPayloadCache } from '../check/payload-cache.ts';
import type { ComponentStore } from '../payload/components.ts';
import { CONFIG_FILE_MAX_BYTES, CONFIG_FILE_NAME, mergeFlags, readConfigFile } from '../check/config-file.ts';
import { createNetworkDeps, type NetworkDeps } from './deps.ts';
import { DIRECTORY_OPTIONS, PATH_OPTIONS, camelCase, toCheckConfig, type CheckConfig, type CheckFlags } from '../options/registry.ts';
import { runCheck } from '../check/run.ts';
import { resolveRefs, resolveSides, selectNodes, type Selected } from '../check/select.ts';
import { createTrustedFiles, toTrustedSide, type TrustedFiles, type TrustedSide } from '../check/trusted.ts';
import { selectShard } from '../check/shard.ts';
import { readSkipFile, toSkipMatcher, type SkipEntry } from '../check/skip.ts';
import type { Finding, RunSummary } from '../model/results.ts';
import type { Reporter } from '../model/reporter.ts';
import { emptyPrevious, type PreviousIndex } from '../report/changes.ts';
import { ComparingReporter } from '../report/compare.ts';
import { loadPreviousReport } from '../report/previous.ts';
import { loadEdgeRun } from '../cincinnati/load.ts';
import { identityRepository } from './deps.ts';

export interface PreparedCheck {
  config: CheckConfig;
  selected: Selected;
  skip: SkipEntry[];
  configFile?: string;
  /** Where the configuration was read from (the checkout, the merge-base, the base directory). */
  trustedFrom?: string;
  /** False when the cache file is the pull request's (it is then neither read nor trusted). */
  cacheReadable?: boolean;
  /** With --previous: the previous run's report, indexed for the comparison. */
  previous?: PreviousIndex;
  /** Removes what preparing made (private copies of trusted files); idempotent. */
  dispose?: () => Promise<void>;
  /** Reads files that trusted files name (keys a policy.json names) from the trusted side. */
  readTrusted?: (path: string, what: string, maxBytes: number) => Promise<Buffer>;
}

export interface PrepareOptions {
  configPath?: string;
  deepen?: boolean;
  log?: (m: string) => void;
  /**
   * The Action on a pull_request event: the pull request's base and head commits. Whatever the scope
   * (added lines, versions, an audit), the checkout is then the pull request's, so the configuration
   * comes from the merge-base.
   */
  pullRequest?: { base: string; head: string };
}

const WHAT: Record<(typeof PATH_OPTIONS)[number], string> = {
  openpgpKey: 'OpenPGP key file',
  sigstoreKey: 'Sigstore key file',
  imagePolicy: 'image policy file',
  policyJson: 'policy.json',
  registriesD: 'registries.d directory',
  skip: 'skip file',
};
/** Key files and policies are a few KiB; a cap stops a hostile or mistaken path early. */
const TRUSTED_FILE_MAX_BYTES = 1024 * 1024;

/** The keys whose values differ between two parsed YAML mappings (for "the PR changes X"). */
function changedKeys(baseText: string | undefined, headText: string | undefined): string[] | undefined {
  const read = (t: string | undefined): Record<string, unknown> | undefined => {
    if (t === undefined) return {};
    try {
      const v: unknown = parse(t, { maxAliasCount: 50 });
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : v === null || v === undefined ? {} : undefined;
    } catch {
      return undefined;
    }
  };
  const a = read(baseText);
  const b = read(headText);
  if (!a || !b) return undefined;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** Findings for trusted files the pull request changes: they take effect once merged, not in this check. */
async function headChangeFindings(trusted: TrustedFiles, configPath: string, flags: CheckFlags): Promise<Finding[]> {
  if (trusted.side.kind === 'checkout') return [];
  const out: Finding[] = [];
  const from = trusted.describe();
  if (await trusted.headDiffers(configPath, CONFIG_FILE_MAX_BYTES)) {
    const decode = (b: Buffer | undefined) => (b === undefined ? undefined : b.toString('utf8'));
    const [baseText, headText] = await Promise.all([
      trusted.read(configPath, 'config file', CONFIG_FILE_MAX_BYTES).then(decode).catch(() => undefined),
      trusted.readHead(configPath, 'config file', CONFIG_FILE_MAX_BYTES).then(decode).catch(() => undefined),
    ]);
    const keys = changedKeys(baseText, headText);
    const what = keys === undefined ? 'changes it (its new text is not a readable YAML mapping)' : keys.length > 0 ? `changes ${keys.map((k) => JSON.stringify(k.slice(0, 40))).slice(0, 10).join(', ')}` : 'changes its text';
    out.push({
      severity: 'warning',
      code: 'CONFIG_CHANGED_BY_PR',
      message: `this pull request ${what} in ${basename(configPath)}; the check runs with the configuration of ${from}, so the change takes effect once merged`,
      file: relativeToTop(configPath, trusted),
    });
  }
  for (const key of PATH_OPTIONS) {
    const value = flags[key];
    for (const path of value === undefined ? [] : Array.isArray(value) ? value : [value]) {
      if (await trusted.headDiffers(path, TRUSTED_FILE_MAX_BYTES)) {
        out.push({
          severity: 'warning',
          code: 'TRUSTED_FILE_CHANGED_BY_PR',
          message: `this pull request changes the ${WHAT[key]} ${basename(path)}; the check uses it as it is in ${from}, so the change takes effect once merged`,
        });
      }
    }
  }
  return out;
}

function relativeToTop(path: string, trusted: TrustedFiles): string {
  const side = trusted.side;
  const top = side.kind === 'commits' ? side.repoTop : side.kind === 'directories' ? side.baseDir : process.cwd();
  return relative(top, resolve(path)).split(sep).join('/');
}

/** The merge-base side of a pull request event, for scopes that do not compare sides themselves. */
async function pullRequestSide(graphData: string, pr: { base: string; head: string }, options: PrepareOptions): Promise<TrustedSide> {
  const dir = resolve(graphData);
  if (!(await isGitCheckout(dir))) {
    throw new SigcheckError('CONFIG', `on a pull_request event the configuration is read as it is at the pull request's merge-base, but ${dir} is not a git checkout; check out the repository with actions/checkout (fetch-depth: 0)`);
  }
  const refs = await resolveRefs(dir, pr.base, pr.head, { deepen: options.deepen ?? false, ...(options.log ? { log: options.log } : {}) });
  return { kind: 'commits', repoDir: dir, repoTop: await repoTop(dir), mergeBase: refs.mergeBase, head: refs.head };
}

/**
 * Resolves the sides of the run, reads the configuration from the trusted side, merges the given
 * flags over it, and selects the nodes.
 */
export async function prepareCheck(flags: CheckFlags, options: PrepareOptions = {}): Promise<PreparedCheck> {
  const graphData = flags.graphData || '.';
  const deepen = options.deepen ?? flags.deepen ?? false;
  const sides = await resolveSides({
    graphData,
    ...(flags.base ? { base: flags.base } : {}),
    ...(flags.head ? { head: flags.head } : {}),
    deepen,
    ...(options.log ? { log: options.log } : {}),
  });
  let side = toTrustedSide(sides);
  if (side.kind === 'checkout' && options.pullRequest) side = await pullRequestSide(graphData, options.pullRequest, { ...options, deepen });
  const trusted = createTrustedFiles(side);
  try {
    const configPath = options.configPath ?? join(side.kind === 'directories' ? side.baseDir : graphData, CONFIG_FILE_NAME);
    const file = await readConfigFile(trusted, configPath, { required: options.configPath !== undefined });
    const merged = mergeFlags(file?.flags ?? {}, flags);
    // Every file a loader reads is the trusted side's; in PR scope a repository file is the merge-base's.
    const materialized: CheckFlags = { ...merged };
    for (const key of PATH_OPTIONS) {
      const value = merged[key];
      if (value === undefined) continue;
      if (Array.isArray(value)) (materialized as Record<string, unknown>)[key] = await Promise.all(value.map((p) => trusted.materialize(p, WHAT[key], TRUSTED_FILE_MAX_BYTES)));
      else if (DIRECTORY_OPTIONS.has(key)) (materialized as Record<string, unknown>)[key] = await trusted.materializeDir(value, WHAT[key], TRUSTED_FILE_MAX_BYTES);
      else (materialized as Record<string, unknown>)[key] = await trusted.materialize(value, WHAT[key], TRUSTED_FILE_MAX_BYTES);
    }
    let config: CheckConfig;
    try {
      config = toCheckConfig(materialized);
    } catch (err) {
      // A bad value from the config file is the file's to fix, named as its key, not as a flag.
      const key = err instanceof SigcheckError && err.option !== undefined ? camelCase(err.option) : undefined;
      if (file && key !== undefined && key in file.flags && !(key in flags && (flags as Record<string, unknown>)[key] !== undefined)) {
        throw new SigcheckError('CONFIG', `config file ${file.path}: ${describeError(err, (option) => option)}`, { cause: err });
      }
      throw err;
    }
    const skip = [...(file?.skip ?? []), ...(config.skip ? await readSkipFile(config.skip) : [])];
    const selected = await selectNodes(
      {
        graphData: config.graphData,
        ...(config.versions ? { versions: config.versions } : {}),
        ...(config.channels ? { channels: config.channels } : {}),
      },
      sides,
    );
    selected.findings.push(...(await headChangeFindings(trusted, configPath, merged)));
    let cacheReadable = true;
    if (config.cache && (await trusted.headHolds(config.cache))) {
      cacheReadable = false;
      selected.findings.push({
        severity: 'warning',
        code: 'CACHE_IN_PULL_REQUEST',
        message: `the cache file ${basename(config.cache)} is part of the pull request's tree, so it is not read: every signature is checked afresh. Keep the cache outside the repository (e.g. in $RUNNER_TEMP)`,
      });
    }
    let previous: PreviousIndex | undefined;
    if (config.previous && !config.dryRun) {
      // A baseline the pull request wrote could list every failure as known and open the gate.
      if (await trusted.headHolds(config.previous)) {
        previous = emptyPrevious(config.previous);
        selected.findings.push({
          severity: 'warning',
          code: 'PREVIOUS_IN_PULL_REQUEST',
          message: `the previous report ${basename(config.previous)} is part of the pull request's tree, so it is not read: every failure counts as new. Restore it outside the repository (e.g. in $RUNNER_TEMP)`,
        });
      } else {
        previous = await loadPreviousReport(config.previous, options.log ? { log: options.log } : {});
      }
    }
    if (config.shard) selected.nodes = selectShard(selected.nodes, config.shard);
    return {
      config,
      selected,
      skip,
      trustedFrom: trusted.describe(),
      cacheReadable,
      dispose: () => trusted.dispose(),
      readTrusted: trusted.reader(),
      ...(file ? { configFile: file.path } : {}),
      ...(previous ? { previous } : {}),
    };
  } catch (err) {
    await trusted.dispose();
    throw err;
  }
}

export interface ExecuteOptions {
  reporter: Reporter;
  reportPath?: string;
  /** For tests and the demo: network dependencies built elsewhere. */
  deps?: NetworkDeps;
  log?: (m: string) => void;
}

export async function executeCheck(prepared: PreparedCheck, options: ExecuteOptions): Promise<RunSummary> {
  const { config, selected } = prepared;
  const { matcher, findings: skipFindings } = toSkipMatcher(prepared.skip);
  let deps: NetworkDeps;
  try {
    deps = options.deps ?? (await createNetworkDeps(config, prepared.readTrusted ? { readTrusted: prepared.readTrusted } : {}));
  } catch (err) {
    await prepared.dispose?.();
    throw err;
  }
  for (const w of deps.warnings) options.log?.(`warning: ${w}`);
  try {
    const cache = config.cache ? (prepared.cacheReadable === false ? VerifiedCache.empty(config.cache, deps.trust) : await VerifiedCache.load(config.cache, deps.trust)) : undefined;
    const checker = cache
      ? withCache(deps.checker, cache, { mode: config.cacheMode, ...(deps.recorder ? { recorder: deps.recorder } : {}), ...(deps.sources ? { sources: deps.sources } : {}) })
      : deps.checker;
    const comparing = prepared.previous ? new ComparingReporter(options.reporter, prepared.previous, config.failOn) : undefined;
    // Component verdicts persist across runs only with a trusted cache (payload-cache.ts says why).
    const reuseComponents = config.cacheMode === 'trust';
    if (cache && reuseComponents) deps.useComponentStore((scope) => componentCacheStore(cache, scope));
    const payload = deps.payload && cache ? withPayloadCache(deps.payload, cache, { reuseComponents }) : deps.payload;
    // Audit: the Cincinnati graphs, read before any node (the cross-check and the edges into each node);
    // PR scope: the edges come from each node's release-metadata.
    const edgeRun = deps.edgeNetwork
      ? await loadEdgeRun({
          mode: selected.mode,
          nodes: selected.nodes,
          channels: selected.graph.channels,
          arches: config.arches,
          stores: config.network.signatureStores,
          identityRepo: identityRepository(config.network.releaseRepo),
          concurrency: config.network.concurrency,
          network: deps.edgeNetwork,
        })
      : {};
    const crossCheck = edgeRun.crossCheck;
    const ran = await runCheck(
      {
        nodes: selected.nodes,
        findings: [...selected.findings, ...skipFindings],
        arches: config.arches,
        info: {
          mode: selected.mode,
          graphData: selected.graph.source,
          pathPrefix: selected.pathPrefix,
          releaseRepo: config.network.releaseRepo,
          ...(config.network.mirror ? { mirror: config.network.mirror } : {}),
          ...(config.shard ? { shard: config.shard } : {}),
          ...(prepared.trustedFrom ? { trustedFrom: prepared.trustedFrom } : {}),
          ...(options.reportPath ? { reportPath: options.reportPath } : {}),
        },
        retries: () => deps.retries(),
        ...(cache ? { cacheStats: () => cacheStats(cache, config.cacheMode) } : {}),
        ...(crossCheck ? { observer: crossCheck, cincinnatiStats: () => crossCheck.stats() } : {}),
      },
      { resolver: deps.resolver, checker, ...(payload ? { payload } : {}), ...(edgeRun.edges ? { edges: edgeRun.edges } : {}) },
      {
        // Each node waits on a few requests in turn; twice the per-host limit keeps every host busy.
        concurrency: config.network.concurrency * 2,
        require: config.require,
        skip: matcher,
        ...(config.sigstoreFrom ? { sigstoreFrom: config.sigstoreFrom } : {}),
        ...(config.componentsFrom ? { componentsFrom: config.componentsFrom } : {}),
      },
      comparing ?? options.reporter,
    );
    const summary = comparing?.summary ?? ran;
    if (cache) {
      await cache.save();
      const st = cache.stats;
      options.log?.(
        config.cacheMode === 'trust'
          ? `cache ${cache.path} (trusted as it is, not revalidated): ${st.hits} hit(s), ${st.stored} new verified result(s), ${cache.size} entries`
          : `cache ${cache.path}: ${st.hits} hit(s), ${st.confirmed} confirmed with ${st.requests} request(s), ${st.changed} changed and ${st.unconfirmed} unconfirmed (checked again), ${st.stored} new verified result(s), ${cache.size} entries; ` +
            `payloads: ${cache.payloadStats.hits} read from the cache, ${cache.payloadStats.stored} new; components: ${cache.payloadStats.componentHits} hit(s), ${cache.payloadStats.componentsStored} new`,
      );
    }
    return summary;
  } finally {
    if (!options.deps) await deps.close();
    await prepared.dispose?.();
  }
}

/** The component verdicts of one trust scope, kept in the verified-result cache. */
function componentCacheStore(cache: VerifiedCache, scope: string): ComponentStore {
  return {
    get: (repository, digest) => {
      const e = cache.getComponent(scope, repository, digest);
      return e ? { outcome: 'verified', reason: e.reason, ...(e.signer ? { signer: e.signer } : {}) } : undefined;
    },
    put: (repository, digest, verdict) => {
      if (verdict.outcome === 'verified') cache.putComponent(scope, repository, digest, { reason: verdict.reason, ...(verdict.signer ? { signer: verdict.signer } : {}) });
    },
  };
}
