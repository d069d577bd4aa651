/**
 * The core of every entry point: graph nodes -> digests -> the signature checks and the payload
 * (its release metadata confirms the node; its component images get the `components` check) -> the
 * update edges into the node (its signatures under each source release's trust) -> results, streamed
 * to the caller in graph order as soon as each node is decided.
 */
import type { Digest } from '../model/digest.ts';
import type { Arch } from '../model/arch.ts';
import type { GraphNode } from '../graph/nodes.ts';
import { compareReleaseNames, parseReleaseName } from '../model/version.ts';
import { noComponents, type CheckName, type CheckResult, type ComponentsResult, type Finding, type MetadataResult, type NodeResult, type UnpublishedNode } from '../model/results.ts';
import { orderedPool } from './pool.ts';
import type { ArchResolution, PayloadCheck, PayloadChecker, ReleaseResolver, ResolvedImage, SignatureChecker } from '../model/checkers.ts';
import type { EdgeChecker, EdgeIO } from '../model/edges.ts';
import type { PayloadRead } from '../model/payload.ts';
import { verifyReleaseMetadata } from '../payload/metadata.ts';

export interface SkipDecision {
  reason: string;
}

/** Decides whether a check of a node is excluded by an explicit skip entry. */
export type SkipMatcher = (name: string, arch: Arch, check: CheckName) => SkipDecision | undefined;

export interface PipelineOptions {
  /** Release names checked at once (each makes a few requests; the HTTP layer limits per host). */
  concurrency: number;
  /** The checks a node must pass; the others are reported as skipped. */
  require: readonly CheckName[];
  skip?: SkipMatcher;
  /** Versions older than this need only OpenPGP (Sigstore signing started later). */
  sigstoreFrom?: string;
  /** Versions older than this need no components check (their clusters' policy covered only the release image). */
  componentsFrom?: string;
}

export interface PipelineEvents {
  node(result: NodeResult): void | Promise<void>;
  unpublished(node: UnpublishedNode): void | Promise<void>;
  finding(finding: Finding): void | Promise<void>;
  /** Called as each (name, arch) pair is decided, in completion order. */
  progress?(done: number, total: number): void;
}

export interface PipelineDeps {
  resolver: ReleaseResolver;
  checker: SignatureChecker;
  /** Reads payloads (release metadata) and checks their components; without it neither is checked. */
  payload?: PayloadChecker;
  /** Judges the update edges into each checked node (src/cincinnati); without it no edge is judged. */
  edges?: EdgeChecker;
}

interface NodeOutcome {
  results: NodeResult[];
  unpublished: UnpublishedNode[];
  findings: Finding[];
}

const NOT_CHECKED: MetadataResult = { outcome: 'skipped', reason: 'no check ran for this node, so its payload was not read' };

export async function runPipeline(
  nodes: readonly GraphNode[],
  arches: readonly Arch[],
  deps: PipelineDeps,
  options: PipelineOptions,
  events: PipelineEvents,
): Promise<void> {
  const openpgpMemo = new Map<Digest, Promise<CheckResult>>();
  const sigstoreMemo = new Map<Digest, Promise<CheckResult>>();
  const payloadMemo = new Map<string, Promise<PayloadCheck>>();
  const resolutionMemo = new Map<string, Promise<ArchResolution>>();
  const sigstoreFrom = options.sigstoreFrom ? parseReleaseName(options.sigstoreFrom) : undefined;
  if (sigstoreFrom && !sigstoreFrom.ok) throw new Error(`--sigstore-from: ${sigstoreFrom.reason}`);
  const componentsFrom = options.componentsFrom ? parseReleaseName(options.componentsFrom) : undefined;
  if (componentsFrom && !componentsFrom.ok) throw new Error(`--components-from: ${componentsFrom.reason}`);

  const total = nodes.reduce((n, node) => n + archesOf(node, arches).length, 0);
  let done = 0;

  // Names that share a digest (4.2.14 and 4.2.14+amd64) sit side by side in graph order, so a bounded
  // memo catches them without keeping every result of a large audit in memory.
  const memoLimit = Math.max(256, options.concurrency * 4);
  const memo = <K extends string, T>(map: Map<K, Promise<T>>, digest: K, run: () => Promise<T>) => {
    let p = map.get(digest);
    if (!p) {
      p = run();
      map.set(digest, p);
      if (map.size > memoLimit) map.delete(map.keys().next().value as K);
    }
    return p;
  };

  // One resolution per (version, architecture): nodes that share a version (4.2.14, 4.2.14+amd64) and
  // the edge check, whose source releases are mostly nodes of the same run, ask the registry once.
  const resolve = (version: string, arch: Arch) => memo(resolutionMemo, `${version}\0${arch}`, () => deps.resolver.resolve(version, arch));

  // A source release's payload, for the edge check: the read a node of this run made (with or without
  // its components), else one read without components, shared by every edge from it.
  const edgeIO: EdgeIO = {
    resolve,
    payload: async (image: ResolvedImage): Promise<{ read: PayloadRead; shared: boolean }> => {
      const payload = deps.payload;
      if (!payload) return { read: { kind: 'error', reason: 'internal error: the edge check needs a payload reader, and none is configured' }, shared: false };
      const known = payloadMemo.get(`${image.digest}:true`) ?? payloadMemo.get(`${image.digest}:false`);
      if (known) return { read: (await known).read, shared: true };
      return { read: (await memo(payloadMemo, `${image.digest}:false`, () => payload.check(image, { components: false }))).read, shared: false };
    },
  };

  const decideCheck = (node: GraphNode, arch: Arch, check: CheckName): CheckResult | undefined => {
    if (!options.require.includes(check)) {
      return { outcome: 'skipped', reason: `not required in this run (--require ${options.require.join(',') || 'none'})` };
    }
    const skip = options.skip?.(node.name, arch, check);
    if (skip) return { outcome: 'skipped', reason: `skip entry: ${skip.reason}` };
    if (check === 'sigstore' && sigstoreFrom?.ok && compareReleaseNames(node.release, sigstoreFrom.release) < 0) {
      return { outcome: 'skipped', reason: `Sigstore is not required before ${options.sigstoreFrom} (--sigstore-from)` };
    }
    if (check === 'components' && componentsFrom?.ok && compareReleaseNames(node.release, componentsFrom.release) < 0) {
      return { outcome: 'skipped', reason: `component images are not required before ${options.componentsFrom} (--components-from)` };
    }
    return undefined;
  };

  const checkArch = async (node: GraphNode, arch: Arch): Promise<{ result?: NodeResult; resolution?: ArchResolution; finding?: Finding }> => {
    const preOpenpgp = decideCheck(node, arch, 'openpgp');
    const preSigstore = decideCheck(node, arch, 'sigstore');
    const preComponents = decideCheck(node, arch, 'components');
    const skippedComponents = (pre: CheckResult): ComponentsResult => noComponents(pre.outcome, pre.reason);
    if (preOpenpgp && preSigstore && preComponents) {
      // No check runs: there is nothing to resolve either.
      return { result: { version: node.name, arch, digest: null, places: node.places, openpgp: preOpenpgp, sigstore: preSigstore, components: skippedComponents(preComponents), metadata: NOT_CHECKED } };
    }
    const resolution = await resolve(node.release.version, arch);
    if (resolution.kind === 'absent') return { resolution };
    if (resolution.kind === 'error') {
      const reason = `could not resolve ${resolution.tag}: ${resolution.reason}`;
      const failed = (pre: CheckResult | undefined): CheckResult => pre ?? { outcome: 'error', reason };
      return {
        resolution,
        result: {
          version: node.name,
          arch,
          digest: null,
          tag: resolution.tag,
          places: node.places,
          openpgp: failed(preOpenpgp),
          sigstore: failed(preSigstore),
          components: preComponents ? skippedComponents(preComponents) : noComponents('error', reason),
          metadata: { outcome: 'error', reason },
        },
      };
    }
    const image: ResolvedImage = { digest: resolution.digest, ...(resolution.instances ? { instances: resolution.instances } : {}), ...(resolution.manifest ? { manifest: resolution.manifest } : {}) };
    const wantComponents = !preComponents;
    const payload = deps.payload;
    const [openpgp, sigstore, payloadCheck] = await Promise.all([
      preOpenpgp ?? memo(openpgpMemo, resolution.digest, () => deps.checker.openpgp(resolution.digest)),
      preSigstore ?? memo(sigstoreMemo, resolution.digest, () => deps.checker.sigstore(image)),
      payload ? memo(payloadMemo, `${resolution.digest}:${wantComponents}`, () => payload.check(image, { components: wantComponents })) : undefined,
    ]);
    let metadata: MetadataResult;
    let components: ComponentsResult;
    let finding: Finding | undefined;
    if (!payloadCheck) {
      metadata = { outcome: 'skipped', reason: 'the payload is not read in this run' };
      components = preComponents ? skippedComponents(preComponents) : noComponents('error', 'internal error: the components check is required but no payload reader is configured');
    } else {
      const parsedName = parseReleaseName(node.release.version);
      const verdict = verifyReleaseMetadata(
        {
          name: node.name,
          ...(parsedName.ok ? { version: node.release.version } : {}),
          arch,
          tag: resolution.tag,
          digest: resolution.digest,
          ...(resolution.instances ? { instances: resolution.instances } : {}),
        },
        payloadCheck.read,
      );
      metadata = verdict.result;
      components = preComponents ? skippedComponents(preComponents) : (payloadCheck.components ?? noComponents('error', 'internal error: the payload reader returned no components verdict'));
      if (verdict.mismatch) {
        const first = node.places[0];
        finding = {
          severity: 'error',
          code: 'RELEASE_METADATA_MISMATCH',
          message: verdict.mismatch,
          subject: `${node.name}/${arch}`,
          ...(first ? { file: first.file, line: first.line } : {}),
        };
      }
    }
    const result: NodeResult = { version: node.name, arch, digest: resolution.digest, tag: resolution.tag, places: node.places, openpgp, sigstore, components, metadata };
    if (deps.edges) {
      if (payloadCheck) deps.edges.notePayload?.(resolution.digest, payloadCheck.read);
      // After the node's own checks: their signature fetches serve the edge check too.
      const skip = {
        ...(preOpenpgp ? { openpgp: preOpenpgp.reason } : {}),
        ...(preSigstore ? { sigstore: preSigstore.reason } : {}),
      };
      const edges = await deps.edges.check(
        {
          name: node.name,
          version: node.release.version,
          arch,
          digest: resolution.digest,
          ...(resolution.instances ? { instances: resolution.instances } : {}),
          places: node.places,
          openpgp,
          sigstore,
          skip,
          ...(payloadCheck?.read.kind === 'read' ? { metadata: payloadCheck.read.contents.metadata } : {}),
        },
        edgeIO,
      );
      if (edges) result.edges = edges;
    }
    return { resolution, result, ...(finding ? { finding } : {}) };
  };

  const checkNode = async (node: GraphNode): Promise<NodeOutcome> => {
    const nodeArches = archesOf(node, arches);
    const settled = await Promise.all(
      nodeArches.map(async (arch) => {
        const r = await checkArch(node, arch);
        done++;
        events.progress?.(done, total);
        return { arch, ...r };
      }),
    );
    const outcome: NodeOutcome = { results: [], unpublished: [], findings: [] };
    for (const s of settled) {
      if (s.finding) outcome.findings.push(s.finding);
      if (s.result) outcome.results.push(s.result);
      else if (s.resolution?.kind === 'absent') outcome.unpublished.push({ version: node.name, arch: s.arch, tag: s.resolution.tag });
    }
    if (nodeArches.length > 0 && outcome.unpublished.length === nodeArches.length) {
      const first = node.places[0];
      const tags = outcome.unpublished.map((u) => u.tag).join(', ');
      outcome.findings.push({
        severity: 'error',
        code: 'NOT_PUBLISHED',
        message: `${node.name} is promoted but no release image exists for ${nodeArches.length === 1 ? 'its architecture' : `any of ${nodeArches.join(', ')}`} (tags ${tags} not found); clusters cannot update to it`,
        ...(first ? { file: first.file, line: first.line } : {}),
      });
    }
    return outcome;
  };

  await orderedPool(nodes, Math.max(1, options.concurrency), checkNode, async (outcome) => {
    for (const r of outcome.results) await events.node(r);
    for (const u of outcome.unpublished) await events.unpublished(u);
    for (const f of outcome.findings) await events.finding(f);
  });
}

export function archesOf(node: GraphNode, arches: readonly Arch[]): Arch[] {
  return node.release.arch ? arches.filter((a) => a === node.release.arch) : [...arches];
}
