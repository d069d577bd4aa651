/**
 * The `components` check: every component image a payload references (image-references) must pass
 * the Sigstore check CRI-O applies when a pod of the release pulls it (docs/verdicts.md, "Components"):
 * under the requirements of the policy scope that covers the component's repository (the `openshift`
 * ClusterImagePolicy's ocp-release, ocp-v4.0-art-dev and ocp-v5.0-art-dev scopes), with the identity
 * checked against the component's own repository (matchRepoDigestOrExact: the pull is by digest, so
 * the identity must name that repository, with a tag or a digest). A component no scope covers is not
 * verified by clusters: it is reported, not failed.
 *
 * Which digest CRI-O verifies: the one it pulls. A component of a single-architecture payload is an
 * image: its own `sha256-<hex>.sig` decides (3 requests with ART's two-layer `.sig`: the manifest and
 * two blobs). A component of a multi payload is a manifest list: CRI-O verifies the instance of the
 * node's architecture, so every instance must pass (its manifest is read to find them; a signature on
 * the list itself is not required). Should a single-architecture payload's component be a list after
 * all, its failing `.sig` leads to its manifest being read and its instances checked, as CRI-O would.
 * (The one case judged without reading the manifest: such a list with an accepted `.sig` of its own.
 * ART signs every image it builds, so that case would take an unsigned instance under a signed list.)
 *
 * Each (repository, digest) is checked once per run (a bounded memo: consecutive z-streams share most
 * components) and, once verified, remembered in the verified-result cache. A transport failure is
 * `error`, never `missing`.
 */
import type { Digest } from '../model/digest.ts';
import { describeError } from '../model/errors.ts';
import type { ImageInstance } from '../model/checkers.ts';
import type { ComponentReference, PayloadContents, PayloadRead } from '../model/payload.ts';
import type { ComponentFailure, ComponentsResult, Outcome, UnscopedComponent } from '../model/results.ts';
import { parseManifest } from '../registry/manifest.ts';
import { toInstances } from '../registry/resolve.ts';
import { checkSigstore } from '../sigstore/check.ts';
import type { SigstoreTrust } from '../sigstore/policy.ts';
import type { ComponentSource } from './fetch.ts';
import type { BoundedMemo } from './memo.ts';

export type ComponentOutcome = Exclude<Outcome, 'skipped'>;

export interface ComponentVerdict {
  outcome: ComponentOutcome;
  reason: string;
  signer?: string;
  /** Instances checked, for a list. */
  instances?: number;
  cached?: boolean;
}

/** Where verified component verdicts persist between runs (the verified-result cache). */
export interface ComponentStore {
  get(repository: string, digest: Digest): ComponentVerdict | undefined;
  put(repository: string, digest: Digest, verdict: ComponentVerdict): void;
}

export interface ComponentCheckDeps {
  trust: { trustFor(repository: string): SigstoreTrust | undefined };
  /** Where a component's manifests and `.sig` tags are read: its own repository, or its mirror. */
  sourceFor(repository: string): ComponentSource;
  memo: BoundedMemo<ComponentVerdict>;
  store?: ComponentStore;
  /**
   * Bounds the component checks running at once across the run (each makes up to three requests):
   * a few times the per-host request limit keeps the wire busy, while the rest wait as plain closures
   * instead of holding requests, buffers and parsers for thousands of components at a time.
   */
  limit?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Worst first: a definitive failure outranks an error, which outranks success. */
export function combineOutcomes(outcomes: readonly ComponentOutcome[]): ComponentOutcome {
  if (outcomes.includes('invalid')) return 'invalid';
  if (outcomes.includes('missing')) return 'missing';
  if (outcomes.includes('error')) return 'error';
  return 'verified';
}

function short(digest: string): string {
  return digest.slice(0, 19);
}

class ComponentChecker {
  private readonly deps: ComponentCheckDeps;
  constructor(deps: ComponentCheckDeps) {
    this.deps = deps;
  }

  private remembered(repository: string, digest: Digest, work: () => Promise<ComponentVerdict>): Promise<ComponentVerdict> {
    const hit = this.deps.store?.get(repository, digest);
    if (hit) return Promise.resolve({ ...hit, cached: true });
    return work().then((v) => {
      if (v.outcome === 'verified') this.deps.store?.put(repository, digest, v);
      return v;
    });
  }

  private limited<T>(work: () => Promise<T>): Promise<T> {
    return this.deps.limit ? this.deps.limit(work) : work();
  }

  /** The `.sig` of one image CRI-O pulls. */
  image(repository: string, digest: Digest, trust: SigstoreTrust, fallBackToList: boolean): Promise<ComponentVerdict> {
    return this.deps.memo.run(`image:${repository}@${digest}`, () =>
      this.remembered(repository, digest, async () => {
        const step = await this.limited(async (): Promise<ComponentVerdict | { next: ImageInstance[] }> => {
          let source: ComponentSource;
          let r;
          try {
            source = this.deps.sourceFor(repository);
            r = await checkSigstore({ digest }, { source, trust, identityRepo: repository });
          } catch (err) {
            return { outcome: 'error', reason: `internal error checking ${repository}@${digest}: ${describeError(err)}` };
          }
          const verdict: ComponentVerdict = { outcome: r.outcome === 'skipped' ? 'error' : r.outcome, reason: r.reason };
          if (r.signer) verdict.signer = r.signer;
          if (fallBackToList && (verdict.outcome === 'missing' || verdict.outcome === 'invalid')) {
            // Is it a list after all? Then CRI-O verifies the instance it pulls, not this digest.
            const manifest = await source.getManifest(digest);
            if (manifest.kind === 'found') {
              const parsed = safeParse(manifest.value.bytes, manifest.value.mediaType, manifest.source);
              if (parsed?.kind === 'index') return { next: toInstances(parsed) };
            } else if (manifest.kind === 'error') {
              // A list's instances might be signed: not knowing whether it is one, the verdict is unknown.
              return { outcome: 'error', reason: `${verdict.reason}; whether ${repository}@${digest} is a manifest list (whose instances CRI-O would verify instead) could not be read: ${manifest.reason}` };
            }
          }
          return verdict;
        });
        // Outside the limit: the instances take slots of their own.
        return 'next' in step ? this.instances(repository, digest, step.next, trust) : step;
      }),
    );
  }

  /** A reference that is (expected to be) a manifest list: every instance must pass. */
  list(repository: string, digest: Digest, trust: SigstoreTrust): Promise<ComponentVerdict> {
    return this.deps.memo.run(`list:${repository}@${digest}`, () =>
      this.remembered(repository, digest, async () => {
        const step = await this.limited(async (): Promise<ComponentVerdict | { next: ImageInstance[] | 'image' }> => {
          let source: ComponentSource;
          try {
            source = this.deps.sourceFor(repository);
          } catch (err) {
            return { outcome: 'invalid', reason: `${repository} cannot be read: ${describeError(err)}` };
          }
          const manifest = await source.getManifest(digest);
          if (manifest.kind === 'error') return { outcome: 'error', reason: `could not read ${repository}@${digest}: ${manifest.reason}` };
          if (manifest.kind === 'not-found') return { outcome: 'invalid', reason: `${repository}@${digest} is not in ${source.repository} (404): no node can pull it` };
          const parsed = safeParse(manifest.value.bytes, manifest.value.mediaType, manifest.source);
          if (!parsed) return { outcome: 'invalid', reason: `${manifest.source} is not a manifest this tool reads` };
          if (parsed.kind === 'image') return { next: 'image' };
          return { next: toInstances(parsed) };
        });
        if (!('next' in step)) return step;
        return step.next === 'image' ? this.image(repository, digest, trust, false) : this.instances(repository, digest, step.next, trust);
      }),
    );
  }

  private async instances(repository: string, list: Digest, instances: readonly ImageInstance[], trust: SigstoreTrust): Promise<ComponentVerdict> {
    if (instances.length === 0) return { outcome: 'invalid', reason: `manifest list ${repository}@${list} lists no image` };
    const verdicts = await Promise.all(instances.map((i) => this.image(repository, i.digest, trust, false)));
    const outcome = combineOutcomes(verdicts.map((v) => v.outcome));
    if (outcome === 'verified') {
      const signers = [...new Set(verdicts.map((v) => v.signer).filter((s): s is string => s !== undefined))];
      return { outcome, reason: `all ${instances.length} instances of manifest list ${list} have an accepted signature`, instances: instances.length, ...(signers.length ? { signer: signers.join(', ') } : {}) };
    }
    const failing = instances.map((i, n) => ({ i, v: verdicts[n] as ComponentVerdict })).filter(({ v }) => v.outcome !== 'verified');
    return {
      outcome,
      instances: instances.length,
      reason: `${failing.length} of ${instances.length} instances of manifest list ${list} not accepted: ${failing.map(({ i, v }) => `instance ${i.digest}${i.arch ? ` (${i.arch})` : ''} ${v.outcome}: ${v.reason}`).join('; ')}`,
    };
  }
}

function safeParse(bytes: Uint8Array, mediaType: string, where: string) {
  try {
    return parseManifest(bytes, mediaType, where);
  } catch {
    return undefined;
  }
}

const MAX_NAMED_IN_REASON = 5;

/**
 * Checks every component of a payload. `lists`: the payload is a multi release, whose components are
 * manifest lists. Never rejects for a network failure (those are `error` verdicts).
 */
export async function checkComponents(contents: PayloadContents, deps: ComponentCheckDeps, options: { lists: boolean }): Promise<ComponentsResult> {
  const components = contents.components ?? [];
  const checker = new ComponentChecker(deps);
  const unscoped: UnscopedComponent[] = [];
  const inScope: { c: ComponentReference; verdict: Promise<ComponentVerdict> }[] = [];
  for (const c of components) {
    const trust = deps.trust.trustFor(c.repository);
    if (!trust) {
      unscoped.push({ name: c.name, reference: c.reference });
      continue;
    }
    inScope.push({ c, verdict: options.lists ? checker.list(c.repository, c.digest, trust) : checker.image(c.repository, c.digest, trust, true) });
  }
  const settled = await Promise.all(inScope.map(async ({ c, verdict }) => ({ c, v: await verdict })));
  const failures: ComponentFailure[] = [
    ...(contents.unreadable ?? []).map((u) => ({ name: u.name, reference: u.reference, outcome: 'invalid' as const, reason: `${u.reason} (deliberately stricter: this tool verifies component images by sha256 digest only)` })),
    ...settled.filter(({ v }) => v.outcome !== 'verified').map(({ c, v }) => ({ name: c.name, reference: c.reference, outcome: v.outcome as ComponentFailure['outcome'], reason: v.reason })),
  ];
  const verified = settled.filter(({ v }) => v.outcome === 'verified').length;
  const total = components.length + (contents.unreadable?.length ?? 0);
  const outside = unscoped.length > 0 ? `; ${unscoped.length} outside every scope of the policy (clusters do not verify ${unscoped.length === 1 ? 'it' : 'them'}: ${unscoped.slice(0, MAX_NAMED_IN_REASON).map((u) => u.name).join(', ')}${unscoped.length > MAX_NAMED_IN_REASON ? ', …' : ''})` : '';
  const base = { total, verified, failures, ...(unscoped.length > 0 ? { unscoped } : {}), digests: [contents.digest], source: `${contents.layer.digest} release-manifests/image-references` };
  if (failures.length === 0 && inScope.length === 0) {
    return { ...base, outcome: 'skipped', reason: total === 0 ? 'the payload references no component image' : `none of the ${total} component images is in a scope of the Sigstore policy, so clusters verify none of them${outside}` };
  }
  const outcome = combineOutcomes(failures.map((f) => f.outcome));
  if (outcome === 'verified') {
    const signers = [...new Set(settled.map(({ v }) => v.signer).filter((s): s is string => s !== undefined))];
    const cached = settled.filter(({ v }) => v.cached).length;
    return {
      ...base,
      outcome,
      reason: `all ${verified} component images in the policy's scopes have an accepted Sigstore signature${cached > 0 ? ` (${cached} from the cache)` : ''}${outside}`,
      ...(signers.length > 0 ? { signer: signers.join(', ') } : {}),
    };
  }
  const named = failures.slice(0, MAX_NAMED_IN_REASON).map((f) => `${f.name} (${short(f.reference.slice(f.reference.lastIndexOf('@') + 1) || f.reference)}) ${f.outcome}`);
  const more = failures.length > MAX_NAMED_IN_REASON ? `, and ${failures.length - MAX_NAMED_IN_REASON} more` : '';
  const consequence = outcome === 'error' ? 'could not be checked; run again' : "pods that run them fail with SignatureValidationFailed on every cluster of this release";
  return { ...base, outcome, reason: `${failures.length} of ${total} component images not accepted: ${named.join(', ')}${more} (${consequence})${outside}` };
}

/** The components verdict of a payload that could not be read, or was not checked. */
export function componentsOfUnreadPayload(read: Exclude<PayloadRead, { kind: 'read' }>): ComponentsResult {
  return read.kind === 'error'
    ? { outcome: 'error', reason: `the payload could not be read, so its component images are unknown: ${read.reason}`, total: 0, verified: 0, failures: [] }
    : { outcome: 'invalid', reason: `the payload's image-references could not be read (${read.code}): ${read.reason}`, total: 0, verified: 0, failures: [] };
}
