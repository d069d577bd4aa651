/**
 * The CRI-O check of one release image under a node's policy.json and registries.d: the `sigstore`
 * check of a node when `--policy-json` is given (whatever requirement types the policy uses).
 *
 * As for the built-in Sigstore check (src/sigstore/check.ts): CRI-O evaluates the policy against the
 * reference it was asked to pull, `<identity repository>@<digest>`, and for a manifest list verifies
 * the instance it pulls, so every instance must be allowed; the list's own decision is reported but
 * not required. Signatures are read where the image is read from (the physical repository: the
 * release repository, or the mirror), under that repository's registries.d entries.
 */
import { describeError, isSigcheckError } from '../model/errors.ts';
import type { Digest } from '../model/digest.ts';
import type { ResolvedImage } from '../model/checkers.ts';
import type { CheckResult, InstanceResult } from '../model/results.ts';
import { referenceString, toRepositoryReference, withDigest, type DockerReference } from '../sigstore/reference.ts';
import type { PolicyVerdict } from './evaluate.ts';
import type { PolicySources } from './signatures.ts';
import type { PolicyTrust } from './trust.ts';

export interface PolicyCheckOptions {
  trust: PolicyTrust;
  sources: PolicySources;
  /** The repository CRI-O is asked to pull from (what scopes and identities name). */
  identityRepo: string;
  /** The repository the image is read from, `host[:port]/path` (a mirror, or the identity repository). */
  physicalRepo: string;
}

/** The policy decision on one digest; never throws. */
export async function decide(intended: DockerReference, physical: DockerReference, digest: Digest, options: PolicyCheckOptions): Promise<PolicyVerdict | { outcome: 'error'; code: 'CONFIG'; reason: string }> {
  try {
    return await options.trust.evaluate(intended, physical, digest, options.sources);
  } catch (err) {
    // A key file of a scope first met now (not prepared): the run's configuration, not the image.
    const reason = isSigcheckError(err) ? describeError(err) : `internal error: ${describeError(err)}`;
    return { outcome: 'error', code: 'CONFIG', reason };
  }
}

function toResult(v: Awaited<ReturnType<typeof decide>>, digests: string[]): CheckResult {
  const result: CheckResult = { outcome: v.outcome, reason: v.reason, digests };
  if ('accepted' in v && v.accepted) {
    result.source = v.accepted.source;
    if (v.accepted.signer) result.signer = v.accepted.signer;
    if (v.accepted.identity) result.identity = v.accepted.identity;
  }
  if (v.outcome !== 'verified' && 'attempts' in v && v.attempts.length > 0) result.attempts = v.attempts;
  return result;
}

function combine(outcomes: readonly CheckResult['outcome'][]): CheckResult['outcome'] {
  if (outcomes.includes('invalid')) return 'invalid';
  if (outcomes.includes('missing')) return 'missing';
  if (outcomes.includes('error')) return 'error';
  return 'verified';
}

export async function checkPolicy(image: ResolvedImage, options: PolicyCheckOptions): Promise<CheckResult> {
  const identity = toRepositoryReference(options.identityRepo, 'identity repository');
  const physicalRepo = toRepositoryReference(options.physicalRepo, 'repository read');
  const intended = withDigest(identity, image.digest);
  const instances = image.instances ?? [];
  if (instances.length === 0) {
    const v = await decide(intended, withDigest(physicalRepo, image.digest), image.digest, options);
    return toResult(v, [image.digest]);
  }
  const [own, ...perInstance] = await Promise.all([
    decide(intended, withDigest(physicalRepo, image.digest), image.digest, options),
    ...instances.map((i) => decide(intended, withDigest(physicalRepo, i.digest), i.digest, options)),
  ]);
  const results: InstanceResult[] = instances.map((instance, i) => {
    const r = toResult(perInstance[i]!, [instance.digest]);
    const out: InstanceResult = { digest: instance.digest, outcome: r.outcome === 'skipped' ? 'error' : r.outcome, reason: r.reason };
    if (instance.arch) out.arch = instance.arch;
    if (r.source) out.source = r.source;
    if (r.signer) out.signer = r.signer;
    if (r.identity) out.identity = r.identity;
    return out;
  });
  const outcome = combine(results.map((r) => r.outcome));
  const ownNote = `the manifest list's own decision (not required): ${own!.outcome}`;
  const failing = results.filter((r) => r.outcome !== 'verified');
  const reason =
    outcome === 'verified'
      ? `CRI-O runs every one of the ${instances.length} instances of ${referenceString(intended)}: ${results.map((r) => `${r.digest}${r.arch ? ` (${r.arch})` : ''}: ${r.reason}`).join('; ')}; ${ownNote}`
      : `${failing.length} of ${instances.length} instances of ${referenceString(intended)} ${failing.length === 1 ? 'is' : 'are'} not allowed: ${failing.map((r) => `instance ${r.digest}${r.arch ? ` (${r.arch})` : ''} ${r.outcome}: ${r.reason}`).join('; ')}; ${ownNote}`;
  const result: CheckResult = { outcome, reason, source: options.physicalRepo, digests: [image.digest, ...instances.map((i) => i.digest)], instances: results };
  const signers = [...new Set(results.map((r) => r.signer).filter((s): s is string => s !== undefined))];
  if (outcome === 'verified' && signers.length > 0) result.signer = signers.join(', ');
  if (outcome !== 'verified') {
    const attempts = perInstance.flatMap((v) => ('attempts' in v && v.outcome !== 'verified' ? v.attempts : []));
    if (attempts.length > 0) result.attempts = attempts;
  }
  return result;
}
