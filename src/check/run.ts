/**
 * Runs a check end to end over already-selected nodes and reports it. Both entry points (CLI and
 * Action) call this; they differ only in how they gather options and which reporters they attach.
 */
import type { Arch } from '../model/arch.ts';
import type { GraphNode } from '../graph/nodes.ts';
import { RunTally, noComponents, type CheckResult, type Finding, type RunSummary } from '../model/results.ts';
import type { PayloadChecker } from '../model/checkers.ts';
import type { CincinnatiStats, EdgeChecker, RunObserver } from '../model/edges.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';
import { archesOf, runPipeline, type PipelineDeps, type PipelineOptions } from './pipeline.ts';
import { describeError } from '../model/errors.ts';
import { periodicCollector } from './memory.ts';
import type { CacheStats } from './cache.ts';

export interface RunCheckInput {
  nodes: readonly GraphNode[];
  findings: readonly Finding[];
  arches: readonly Arch[];
  info: Omit<RunInfo, 'total' | 'arches' | 'require'>;
  /** Retries spent so far by the network layer, read at the end. */
  retries?: () => number;
  /** What the verified-result cache did, read at the end. */
  cacheStats?: () => CacheStats;
  /** Sees every result; its findings (the Cincinnati cross-check) are added once every node is in. */
  observer?: RunObserver;
  /** What the Cincinnati cross-check read, at the end. */
  cincinnatiStats?: () => CincinnatiStats;
}

/** Never let a checker bug turn into a crash or a verdict: it is an `error` outcome. */
function guard(deps: PipelineDeps): PipelineDeps {
  const asError = (err: unknown): CheckResult => ({ outcome: 'error', reason: `internal error: ${describeError(err)}` });
  return {
    resolver: {
      resolve: (version, arch) =>
        deps.resolver.resolve(version, arch).catch((err: unknown) => ({ kind: 'error' as const, tag: `${version} (${arch})`, reason: `internal error: ${describeError(err)}` })),
    },
    checker: {
      openpgp: (digest) => deps.checker.openpgp(digest).catch(asError),
      sigstore: (image) => deps.checker.sigstore(image).catch(asError),
    },
    ...(deps.payload ? { payload: guardPayload(deps.payload) } : {}),
    ...(deps.edges ? { edges: guardEdges(deps.edges) } : {}),
  };
}

function guardEdges(edges: EdgeChecker): EdgeChecker {
  return {
    check: (target, io) => edges.check(target, io).catch((err: unknown) => [{ from: null, outcome: 'error' as const, reason: `internal error judging the update edges: ${describeError(err)}` }]),
    notePayload: (digest, read) => edges.notePayload?.(digest, read),
    stats: () => edges.stats(),
  };
}

function guardPayload(payload: PayloadChecker): PayloadChecker {
  return {
    check: (image, options) =>
      payload.check(image, options).catch((err: unknown) => {
        const reason = `internal error: ${describeError(err)}`;
        return { read: { kind: 'error' as const, reason }, ...(options.components ? { components: noComponents('error', reason) } : {}) };
      }),
  };
}

export async function runCheck(input: RunCheckInput, deps: PipelineDeps, options: PipelineOptions, reporter: Reporter): Promise<RunSummary> {
  const started = Date.now();
  const tally = new RunTally();
  const total = input.nodes.reduce((n, node) => n + archesOf(node, input.arches).length, 0);
  await reporter.begin?.({ ...input.info, total, arches: input.arches, require: options.require });
  for (const f of input.findings) {
    tally.addFinding(f);
    await reporter.finding(f);
  }
  // A node whose components are checked allocates some 40 times what one without does: collect more often.
  const collect = periodicCollector(options.require.includes('components') ? 25 : 500);
  await runPipeline(input.nodes, input.arches, guard(deps), options, {
    node: async (r) => {
      collect();
      input.observer?.node(r);
      tally.addNode(r);
      await reporter.node(r);
    },
    unpublished: async (u) => {
      input.observer?.unpublished(u);
      tally.addUnpublished();
      await reporter.unpublished?.(u);
    },
    finding: async (f) => {
      tally.addFinding(f);
      await reporter.finding(f);
    },
    progress: (done, all) => reporter.progress?.(done, all),
  });
  for (const f of input.observer?.findings() ?? []) {
    tally.addFinding(f);
    await reporter.finding(f);
  }
  const summary: RunSummary = {
    status: tally.status(),
    exitCode: tally.exitCode(),
    counts: tally.counts,
    ...(input.retries ? { retries: input.retries() } : {}),
    ...(input.cacheStats ? { cache: input.cacheStats() } : {}),
    ...(input.cincinnatiStats ? { cincinnati: input.cincinnatiStats() } : {}),
    ...(deps.edges ? { edgeCheck: deps.edges.stats() } : {}),
    durationMs: Date.now() - started,
  };
  await reporter.end(summary);
  return summary;
}
