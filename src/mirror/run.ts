/**
 * The mirror check over a set of releases: resolve each (version, arch) in the source repository,
 * then check it against every mirror (check.ts), a few releases at a time, results in input order.
 */
import { orderedPool } from '../check/pool.ts';
import type { ReleaseResolver } from '../model/checkers.ts';
import { describeError } from '../model/errors.ts';
import type { NodeTarget } from '../graph/nodes.ts';
import type { RepositoryRef } from '../registry/reference.ts';
import type { ExitCode } from '../model/results.ts';
import { decideExitCode } from '../model/results.ts';
import { checkReleaseMirrors, statusOf, type MirrorCheckContext, type MirrorReleaseResult } from './check.ts';
import { checkComponentMirrors, type ComponentMirrorContext } from './components.ts';

export interface MirrorRunOptions {
  targets: readonly NodeTarget[];
  mirrors: readonly RepositoryRef[];
  resolver: ReleaseResolver;
  context: MirrorCheckContext;
  /** Releases checked at the same time (each makes a few requests per mirror). */
  concurrency?: number;
  /** Called with each result, in input order, as soon as it and every earlier one is done. */
  onResult?: (result: MirrorReleaseResult) => void;
  /** Check the release's component images in their mirrors too. */
  components?: ComponentMirrorContext;
}

export interface MirrorSummary {
  releases: number;
  passed: number;
  failed: number;
  errored: number;
  unpublished: number;
  findings: { missing: number; invalid: number; error: number };
}

export interface MirrorRunResult {
  releases: MirrorReleaseResult[];
  summary: MirrorSummary;
  exitCode: ExitCode;
}

async function checkTarget(target: NodeTarget, options: MirrorRunOptions): Promise<MirrorReleaseResult> {
  const base = { name: target.name, version: target.release.version, arch: target.arch, places: target.places, mirrors: [], findings: [] };
  let resolution;
  try {
    resolution = await options.resolver.resolve(target.release.version, target.arch);
  } catch (err) {
    resolution = { kind: 'error' as const, tag: target.release.version, reason: `internal error: ${describeError(err)}` };
  }
  if (resolution.kind === 'absent') {
    return { ...base, tag: resolution.tag, status: 'unpublished', digest: null, reason: `tag ${resolution.tag} does not exist in ${options.context.source.display}: not published for this architecture` };
  }
  if (resolution.kind === 'error') {
    const reason = `could not resolve ${target.release.version} ${target.arch} (tag ${resolution.tag}) in ${options.context.source.display}: ${resolution.reason}`;
    return {
      ...base,
      tag: resolution.tag,
      status: 'error',
      digest: null,
      reason,
      findings: [{ outcome: 'error', kind: 'source-error', digest: null, message: reason, remedies: [] }],
    };
  }
  const image = { digest: resolution.digest, ...(resolution.instances ? { instances: resolution.instances } : {}), ...(resolution.manifest ? { manifest: resolution.manifest } : {}) };
  const [result, components] = await Promise.all([
    checkReleaseMirrors(
      {
        name: target.name,
        version: target.release.version,
        arch: target.arch,
        tag: resolution.tag,
        places: target.places,
        digest: resolution.digest,
        ...(resolution.instances ? { instances: resolution.instances } : {}),
      },
      options.mirrors,
      options.context,
    ),
    options.components ? checkComponentMirrors(image, `${target.release.version} ${target.arch}`, options.components) : undefined,
  ]);
  if (!components) return result;
  const findings = [...result.findings, ...components.findings];
  return { ...result, components: components.summary, findings, status: statusOf(findings) };
}

export function summarize(releases: readonly MirrorReleaseResult[]): { summary: MirrorSummary; exitCode: ExitCode } {
  const summary: MirrorSummary = { releases: releases.length, passed: 0, failed: 0, errored: 0, unpublished: 0, findings: { missing: 0, invalid: 0, error: 0 } };
  for (const r of releases) {
    if (r.status === 'passed') summary.passed++;
    else if (r.status === 'failed') summary.failed++;
    else if (r.status === 'error') summary.errored++;
    else summary.unpublished++;
    for (const f of r.findings) summary.findings[f.outcome]++;
  }
  // Nothing resolved at all: a typo in --release must not read as "the mirror is complete".
  const exitCode = decideExitCode({ failed: summary.failed, errored: summary.errored, checked: summary.passed, emptyIsFailure: true });
  return { summary, exitCode };
}

export async function runMirrorCheck(options: MirrorRunOptions): Promise<MirrorRunResult> {
  const releases: MirrorReleaseResult[] = [];
  await orderedPool(
    options.targets,
    Math.max(1, options.concurrency ?? 4),
    (target) => checkTarget(target, options),
    (result) => {
      releases.push(result);
      options.onResult?.(result);
    },
  );
  return { releases, ...summarize(releases) };
}
