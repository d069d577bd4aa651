/**
 * The Sigstore check of one release image, as CRI-O decides it under the configured policy:
 * fetch the `sha256-<hex>.sig` manifest, every layer blob, and verify (verify.ts).
 *
 * - `.sig` not found: `missing`; the referrers are looked at only to explain it (a cosign v3 Sigstore
 *   bundle without a `.sig` tag is named, and said to be unread by CRI-O);
 * - any transport failure (manifest or blob): `error`, never `missing`/`invalid`; but a blob that is
 *   over the 4 MiB cap or does not hash to its descriptor, again when fetched a second time, is a defect
 *   CRI-O meets on every pull: `invalid`, with the layer's code (docs/verdicts.md, "Outcome of each check");
 * - the blobs are fetched a few at a time and judged as they arrive, never all held at once; once a
 *   blob defect has decided the outcome no further blob is fetched (CRI-O rejects the whole `.sig` on the
 *   first blob it cannot read). containers/image puts no limit on the number of layers of a `.sig`
 *   manifest (only the 4 MiB manifest cap), so neither does this;
 * - a manifest list: every instance must pass (CRI-O verifies the instance it pulls, against the
 *   reference it pulled: `<release repo>@<list digest>`); the list's own `.sig` is checked and reported
 *   but not required.
 */
import { describeError } from '../model/errors.ts';
import { isDigest, toSignatureTag, type Digest } from '../model/digest.ts';
import type { ImageInstance, ResolvedImage } from '../model/checkers.ts';
import type { ReferrerDescriptor, SigstoreSource } from '../model/sources.ts';
import type { CheckResult, InstanceResult, SignatureAttempt } from '../model/results.ts';
import type { SigstoreTrust } from './policy.ts';
import { toRepositoryReference, validateGoDigest, withDigest, type DockerReference } from './reference.ts';
import { ManifestJudge, MAX_LAYER_BLOB_BYTES, missingBlob, parseSignatureManifest, type LayerDescriptor, type LayerVerdict } from './verify.ts';

/** Blobs fetched at once for one `.sig`: enough to overlap round trips, few enough to bound memory (4 x 4 MiB). */
export const BLOBS_IN_FLIGHT = 4;

export interface SigstoreCheckOptions {
  source: SigstoreSource;
  trust: SigstoreTrust;
  /** The repository signature identities must name (the original release repository, also when `source` is a mirror). */
  identityRepo: string;
}

type DefiniteOutcome = 'verified' | 'missing' | 'invalid' | 'error';

/** The verdict on the `.sig` of one digest. */
interface DigestVerdict {
  outcome: DefiniteOutcome;
  reason: string;
  source: string;
  signer?: string;
  identity?: string;
  attempts: SignatureAttempt[];
}

const BUNDLE_TYPE_RE = /^application\/vnd\.dev\.sigstore\.bundle/;

function isBundle(d: ReferrerDescriptor): boolean {
  return BUNDLE_TYPE_RE.test(d.artifactType ?? '') || BUNDLE_TYPE_RE.test(d.mediaType);
}

async function explainMissing(digest: Digest, options: SigstoreCheckOptions, where: string): Promise<string> {
  const base = `no Sigstore signature: tag ${toSignatureTag(digest)} does not exist in ${options.source.repository}`;
  let referrers;
  try {
    referrers = await options.source.getReferrers(digest);
  } catch (err) {
    return `${base} (the referrers could not be listed: ${describeError(err)})`;
  }
  if (referrers.kind === 'error') return `${base} (the referrers could not be listed: ${referrers.reason})`;
  if (referrers.kind === 'found') {
    const bundles = referrers.value.filter(isBundle);
    if (bundles.length > 0) {
      const names = bundles.map((b) => `${b.digest} (${b.artifactType ?? b.mediaType})`).join(', ');
      return (
        `${base}; found Sigstore bundle referrer${bundles.length > 1 ? 's' : ''} ${names}, which CRI-O does not read: ` +
        `it verifies only the ${toSignatureTag(digest)} tag. Sign also in the legacy format (cosign v2, or cosign v3 with --new-bundle-format=false --use-signing-config=false)`
      );
    }
  }
  return `${base}; sign the image with cosign (it writes ${where}), or copy the tag to this repository`;
}

function attemptsOf(layers: readonly LayerVerdict[], manifestSource: string): SignatureAttempt[] {
  return layers
    .filter((l) => l.code !== 'NOT_A_SIGNATURE')
    .map((l) => {
      const attempt: SignatureAttempt = {
        source: `${manifestSource} layer ${(l.index ?? 0) + 1}${l.digest ? ` (${l.digest})` : ''}`,
        outcome: l.code === 'VERIFIED' ? 'verified' : 'invalid',
        reason: l.code === 'VERIFIED' ? l.reason : `${l.code}: ${l.reason}`,
      };
      if (l.signer) attempt.signer = l.signer;
      if (l.identity) attempt.identity = l.identity;
      attempt.code = l.code;
      if (l.deliberate) attempt.deliberate = true;
      return attempt;
    });
}

type Judged = { kind: 'judged'; verdict: ReturnType<ManifestJudge['verdict']> } | { kind: 'error'; label: string; reason: string };

/** A blob defect that is the same on every read (the layer's code), from a fetch error's code. */
function defectOf(code: string | undefined): 'BLOB_TOO_LARGE' | 'BLOB_DIGEST_MISMATCH' | undefined {
  if (code === 'HTTP_BODY_TOO_LARGE' || code === 'FILE_TOO_LARGE') return 'BLOB_TOO_LARGE';
  if (code === 'DIGEST_MISMATCH') return 'BLOB_DIGEST_MISMATCH';
  return undefined;
}

/**
 * Fetches every layer blob (each distinct digest once, BLOBS_IN_FLIGHT at a time) and hands each to
 * the judge as it arrives; only verdicts are kept. A defect stops further fetching; a transport error
 * too (the outcome is then `error`, unless a defect seen meanwhile already decided `invalid`).
 */
async function judgeBlobs(layers: readonly LayerDescriptor[], options: SigstoreCheckOptions, context: { imageDigest: Digest; intended: DockerReference }): Promise<Judged> {
  const judge = new ManifestJudge(layers, options.trust, context);
  const byDigest = new Map<string, LayerDescriptor[]>();
  for (const layer of layers) {
    if (!isDigest(layer.digest)) {
      judge.addBlob(layer, new Uint8Array()); // an invalid descriptor digest: the judge records MANIFEST_INVALID
      continue;
    }
    const list = byDigest.get(layer.digest) ?? [];
    list.push(layer);
    byDigest.set(layer.digest, list);
  }
  const queue = [...byDigest.entries()];
  let failure: { label: string; reason: string } | undefined;
  const fetchOnce = async (digest: Digest) => {
    try {
      return await options.source.getBlob(digest, MAX_LAYER_BLOB_BYTES);
    } catch (err) {
      return { kind: 'error' as const, source: digest, reason: describeError(err) };
    }
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      if (judge.decided || failure) return;
      const next = queue.shift();
      if (!next) return;
      const [digest, group] = next;
      const first = group[0]!;
      let result = await fetchOnce(digest as Digest);
      // A defect is judged only when a second read shows it again: a proxy's one-off corruption is not CRI-O's verdict.
      if (result.kind === 'error' && defectOf(result.code)) result = await fetchOnce(digest as Digest);
      if (result.kind === 'not-found') {
        for (const layer of group) judge.addDefect(layer, missingBlob(layer));
      } else if (result.kind === 'error') {
        const defect = defectOf(result.code);
        if (defect) {
          const label = `layer ${first.index + 1} (${first.digest})`;
          const reason =
            defect === 'BLOB_TOO_LARGE'
              ? `the blob of ${label} is over CRI-O's ${MAX_LAYER_BLOB_BYTES}-byte limit (${result.reason}); CRI-O rejects the image`
              : `the blob of ${label} does not hash to its descriptor digest, on two reads (${result.reason}); CRI-O rejects the image ("digest mismatch")`;
          judge.addDefect(first, { code: defect, reason });
        } else {
          failure ??= { label: `layer ${first.index + 1} (${first.digest})`, reason: result.reason };
        }
      } else {
        for (const layer of group) judge.addBlob(layer, result.value);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BLOBS_IN_FLIGHT, queue.length) }, worker));
  if (judge.decided) return { kind: 'judged', verdict: judge.verdict() };
  if (failure) return { kind: 'error', ...failure };
  return { kind: 'judged', verdict: judge.verdict() };
}

/** Checks the `.sig` of `digest`; `intendedDigest` is the digest CRI-O was asked to pull (the list's, for an instance). */
async function checkDigest(digest: Digest, intended: DockerReference, options: SigstoreCheckOptions, lookForBundles = true): Promise<DigestVerdict> {
  const where = `${options.source.repository}:${toSignatureTag(digest)}`;
  let manifest;
  try {
    manifest = await options.source.getSignatureManifest(digest);
  } catch (err) {
    return { outcome: 'error', reason: `could not read ${where}: ${describeError(err)}`, source: where, attempts: [] };
  }
  if (manifest.kind === 'error') {
    return { outcome: 'error', reason: `could not read ${where}: ${manifest.reason}`, source: manifest.source, attempts: [] };
  }
  if (manifest.kind === 'not-found') {
    const reason = lookForBundles ? await explainMissing(digest, options, where) : `no Sigstore signature: tag ${toSignatureTag(digest)} does not exist in ${options.source.repository}`;
    return { outcome: 'missing', reason, source: manifest.source, attempts: [] };
  }
  const manifestSource = manifest.source;
  const parsed = parseSignatureManifest(manifest.value);
  if (!parsed.ok) return { outcome: 'invalid', reason: `${where}: ${parsed.reason}`, source: manifestSource, attempts: [] };

  for (const layer of parsed.layers) {
    // A valid digest this tool cannot fetch (sha384/sha512): CRI-O could read it, this tool cannot decide.
    if (!isDigest(layer.digest) && validateGoDigest(layer.digest) === undefined) {
      return { outcome: 'error', reason: `layer ${layer.index + 1} of ${where} uses digest ${layer.digest}; this tool fetches sha256 blobs only`, source: manifestSource, attempts: [] };
    }
  }
  const judged = await judgeBlobs(parsed.layers, options, { imageDigest: digest, intended });
  if (judged.kind === 'error') return { outcome: 'error', reason: `could not read the blob of ${judged.label} of ${where}: ${judged.reason}`, source: manifestSource, attempts: [] };
  const verdict = judged.verdict;
  const result: DigestVerdict = {
    outcome: verdict.outcome,
    reason: `${where}: ${verdict.reason}`,
    source: manifestSource,
    attempts: attemptsOf(verdict.layers, manifestSource),
  };
  if (verdict.accepted?.signer) result.signer = verdict.accepted.signer;
  if (verdict.accepted?.identity) result.identity = verdict.accepted.identity;
  if (verdict.accepted) result.source = `${manifestSource} layer ${(verdict.accepted.index ?? 0) + 1}`;
  return result;
}

function toCheckResult(v: DigestVerdict, digests: string[]): CheckResult {
  const result: CheckResult = { outcome: v.outcome, reason: v.reason, source: v.source, digests };
  if (v.signer) result.signer = v.signer;
  if (v.identity) result.identity = v.identity;
  if (v.outcome !== 'verified' && v.attempts.length > 0) result.attempts = v.attempts;
  return result;
}

function instanceLabel(instance: ImageInstance): string {
  return `${instance.digest}${instance.arch ? ` (${instance.arch})` : ''}`;
}

/** Worst definite outcome first: a definitive failure outranks an error, which outranks success. */
function combine(outcomes: readonly DefiniteOutcome[]): DefiniteOutcome {
  if (outcomes.includes('invalid')) return 'invalid';
  if (outcomes.includes('missing')) return 'missing';
  if (outcomes.includes('error')) return 'error';
  return 'verified';
}

export async function checkSigstore(image: ResolvedImage, options: SigstoreCheckOptions): Promise<CheckResult> {
  const repo = toRepositoryReference(options.identityRepo, 'Sigstore identity repository');
  // CRI-O evaluates the policy against the reference it was asked to pull: the release by digest.
  const intended = withDigest(repo, image.digest);
  const instances = image.instances ?? [];
  if (instances.length === 0) return toCheckResult(await checkDigest(image.digest, intended, options), [image.digest]);

  const [own, ...perInstance] = await Promise.all([
    // The list's own signature is only reported, so a missing one is not worth two referrers requests.
    checkDigest(image.digest, intended, options, false),
    ...instances.map((instance) => checkDigest(instance.digest, intended, options)),
  ]);
  if (!own) throw new Error('unreachable: no manifest-list verdict');
  const results: InstanceResult[] = instances.map((instance, i) => {
    const v = perInstance[i] as DigestVerdict;
    const r: InstanceResult = { digest: instance.digest, outcome: v.outcome, reason: v.reason, source: v.source };
    if (instance.arch) r.arch = instance.arch;
    if (v.signer) r.signer = v.signer;
    if (v.identity) r.identity = v.identity;
    return r;
  });
  const outcome = combine(perInstance.map((v) => v.outcome));
  const ownNote = `the manifest list's own signature (not required): ${own.outcome}${own.outcome === 'verified' ? '' : ` (${own.reason})`}`;
  let reason: string;
  if (outcome === 'verified') {
    reason = `all ${instances.length} instances of manifest list ${image.digest} have an accepted signature; ${ownNote}`;
  } else {
    const failing = instances
      .map((instance, i) => ({ instance, v: perInstance[i] as DigestVerdict }))
      .filter(({ v }) => v.outcome !== 'verified')
      .map(({ instance, v }) => `instance ${instanceLabel(instance)} ${v.outcome}: ${v.reason}`);
    reason = `${failing.length} of ${instances.length} instances of manifest list ${image.digest} ${failing.length === 1 ? 'is' : 'are'} not accepted: ${failing.join('; ')}; ${ownNote}`;
  }
  const result: CheckResult = {
    outcome,
    reason,
    source: options.source.repository,
    digests: [image.digest, ...instances.map((i) => i.digest)],
    instances: results,
  };
  const signers = [...new Set(perInstance.map((v) => v.signer).filter((s): s is string => s !== undefined))];
  if (outcome === 'verified' && signers.length > 0) result.signer = signers.join(', ');
  if (outcome !== 'verified') {
    const attempts = [
      ...perInstance.filter((v) => v.outcome !== 'verified').flatMap((v) => v.attempts),
      ...own.attempts.map((a) => ({ ...a, source: `${a.source} (manifest list, not required)` })),
    ];
    if (attempts.length > 0) result.attempts = attempts;
  }
  return result;
}
