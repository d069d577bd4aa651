/**
 * One check run as both entry points perform it: read the config file, select nodes, apply skips and
 * sharding, build the network, run, save the cache. The CLI and the Action differ only in where the
 * flags come from and which reporters they attach.
 */
import { join } from 'node:path';
import { VerifiedCache, withCache } from './cache.ts';
import { CONFIG_FILE_NAME, mergeFlags, readConfigFile } from './config-file.ts';
import { createNetworkDeps, type NetworkDeps } from './deps.ts';
import { toCheckConfig, type CheckConfig, type CheckFlags } from './options.ts';
import { runCheck } from './run.ts';
import { selectNodes, type Selected } from './select.ts';
import { selectShard } from './shard.ts';
import { readSkipFile, toSkipMatcher, type SkipEntry } from './skip.ts';
import type { RunSummary } from '../report/model.ts';
import type { Reporter } from '../report/reporter.ts';

export interface PreparedCheck {
  config: CheckConfig;
  selected: Selected;
  skip: SkipEntry[];
  configFile?: string;
}

/** Reads `release-sigcheck.yaml` (or `configPath`), merges the given flags over it, selects the nodes. */
export async function prepareCheck(flags: CheckFlags, options: { configPath?: string; deepen?: boolean; log?: (m: string) => void } = {}): Promise<PreparedCheck> {
  const graphData = flags.graphData || '.';
  const file = await readConfigFile(options.configPath ?? join(graphData, CONFIG_FILE_NAME), { required: options.configPath !== undefined });
  const config = toCheckConfig(mergeFlags(file?.flags ?? {}, flags));
  const skip = [...(file?.skip ?? []), ...(config.skip ? await readSkipFile(config.skip) : [])];
  const selected = await selectNodes({
    graphData: config.graphData,
    ...(config.base ? { base: config.base } : {}),
    ...(config.head ? { head: config.head } : {}),
    ...(config.versions ? { versions: config.versions } : {}),
    ...(config.channels ? { channels: config.channels } : {}),
    deepen: options.deepen ?? config.deepen,
    ...(options.log ? { log: options.log } : {}),
  });
  if (config.shard) selected.nodes = selectShard(selected.nodes, config.shard);
  return { config, selected, skip, ...(file ? { configFile: file.path } : {}) };
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
  const deps = options.deps ?? (await createNetworkDeps(config));
  for (const w of deps.warnings) options.log?.(`warning: ${w}`);
  try {
    const cache = config.cache ? await VerifiedCache.load(config.cache, deps.trust) : undefined;
    const checker = cache ? withCache(deps.checker, cache) : deps.checker;
    const summary = await runCheck(
      {
        nodes: selected.nodes,
        findings: [...selected.findings, ...skipFindings],
        arches: config.arches,
        info: {
          mode: selected.mode,
          graphData: selected.graph.source,
          pathPrefix: selected.pathPrefix,
          releaseRepo: config.network.releaseRepo,
          ...(options.reportPath ? { reportPath: options.reportPath } : {}),
        },
        retries: () => deps.retries(),
      },
      { resolver: deps.resolver, checker },
      {
        // Each node waits on a few requests in turn; twice the per-host limit keeps every host busy.
        concurrency: config.network.concurrency * 2,
        require: config.require,
        skip: matcher,
        ...(config.sigstoreFrom ? { sigstoreFrom: config.sigstoreFrom } : {}),
      },
      options.reporter,
    );
    if (cache) {
      await cache.save();
      options.log?.(`cache ${cache.path}: ${cache.stats.hits} hit(s), ${cache.stats.stored} new verified result(s), ${cache.size} entries`);
    }
    return summary;
  } finally {
    if (!options.deps) await deps.close();
  }
}
