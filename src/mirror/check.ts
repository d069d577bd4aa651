/**
 * Will a disconnected cluster that pulls from these mirrors accept this release? For one release,
 * resolved in the source (release) repository, and each mirror repository it maps to:
 *
 *  1. the mirror holds the release image at the same digest, and every instance of a manifest list
 *     (HEAD by digest: CRI-O pulls by digest, and a mirror that answers 404 is skipped);
 *  2. the mirror holds the `sha256-<hex>.sig` tag of each image CRI-O pulls (the single image, or every
 *     instance), and it verifies under the policy of the ORIGINAL repository: the identity inside names
 *     the source, as CRI-O evaluates the policy against the reference it was asked for
 *     (docs/verdicts.md, Mirrors);
 *  3. when ConfigMaps are given, one holds a valid OpenPGP signature of the release digest (the list
 *     digest for multi), since that is the only way such clusters get it.
 *
 * Every mirror is checked on its own: mirrors are tried in order, so each one may be the one that
 * serves the pull, and CRI-O reads the signature from the mirror that served the image.
 * Each gap becomes a finding naming the mirror, the digest (and instance), what is missing or wrong,
 * and the command that closes it. A signature the source itself lacks cannot be copied: the finding
 * says so instead of offering a copy. Transport failures are `error` findings, never gaps.
 */
import type { SigstoreSource } from '../model/sources.ts';
import type { ImageInstance } from '../model/checkers.ts';
import type { Digest } from '../model/digest.ts';
import type { Arch } from '../model/arch.ts';
import type { OpenPGPKeyring } from '../openpgp/keys.ts';
import type { RegistryClient } from '../registry/client.ts';
import type { RepositoryRef } from '../registry/reference.ts';
import type { CheckResult, InstanceResult, Place } from '../model/results.ts';
import { checkSigstore } from '../sigstore/check.ts';
import { RegistrySigstoreSource } from '../sigstore/fetch.ts';
import type { SigstoreTrust } from '../sigstore/policy.ts';
import { checkConfigMapSignatures, type ConfigMapIndex } from './configmaps.ts';
import type { ComponentMirrorSummary } from './components.ts';
import {
  copyImageRemedies,
  copyInstanceRemedies,
  copySignatureRemedies,
  writeConfigMapRemedies,
  type ConfigMapRemedyOptions,
  type Remedy,
} from './remedy.ts';

export type FindingKind =
  | 'image-missing'
  | 'instance-missing'
  | 'signature-missing'
  | 'signature-invalid'
  | 'configmap-missing'
  | 'configmap-invalid'
  | 'source-error'
  | 'mirror-error'
  | 'configmap-error'
  // component images (components.ts)
  | 'component-missing'
  | 'component-signature-missing'
  | 'component-signature-invalid'
  | 'component-error';

export interface MirrorFinding {
  outcome: 'missing' | 'invalid' | 'error';
  kind: FindingKind;
  /** The mirror repository (`host/path`); absent for ConfigMap findings, which concern the cluster, not a mirror. */
  mirror?: string;
  /** The digest at fault: the release image, or the instance of a manifest list; null when the release did not resolve. */
  digest: Digest | null;
  /** The instance's platform architecture, for an instance of a manifest list. */
  arch?: string;
  message: string;
  /** Commands that close the gap, with the real values; empty when copying cannot help or for errors. */
  remedies: Remedy[];
}

export interface MirrorImageState {
  outcome: 'present' | 'missing' | 'error';
  reason: string;
  /** Instances of a manifest list the mirror does not hold. */
  missingInstances: ImageInstance[];
}

export interface MirrorRepositoryResult {
  mirror: string;
  image: MirrorImageState;
  /** The Sigstore verdict on the mirror, with the identity of the source repository. */
  sigstore: CheckResult;
  status: 'passed' | 'failed' | 'error';
}

export type ReleaseStatus = 'passed' | 'failed' | 'error' | 'unpublished';

export interface MirrorReleaseResult {
  /** The release name as selected (graph-data or --release). */
  name: string;
  version: string;
  arch: Arch;
  tag: string;
  places: Place[];
  status: ReleaseStatus;
  /** The payload digest in the source (the manifest-list digest for multi); null when not resolved. */
  digest: Digest | null;
  instances?: ImageInstance[];
  /** Why it was not resolved (unpublished, or the error). */
  reason?: string;
  mirrors: MirrorRepositoryResult[];
  /** The OpenPGP verdict from the signature ConfigMaps, when ConfigMaps were given. */
  openpgp?: CheckResult;
  /** The release's component images in the mirrors, when they were checked. */
  components?: ComponentMirrorSummary;
  findings: MirrorFinding[];
}

export interface ResolvedRelease {
  name: string;
  version: string;
  arch: Arch;
  tag: string;
  places: Place[];
  digest: Digest;
  instances?: ImageInstance[];
}

export interface MirrorCheckContext {
  registry: RegistryClient;
  /** The release repository the digests were resolved in, and the `.sig` tags are copied from. */
  source: RepositoryRef;
  sourceSigstore: SigstoreSource;
  /** Where the `.sig` tags of a mirror repository are read (the wiring builds it; default: through `registry`). */
  sigstoreSourceFor?: (repo: RepositoryRef) => SigstoreSource;
  trust: SigstoreTrust;
  /** The repository signature identities must name (the source, without a scheme). */
  identityRepo: string;
  configMaps?: { index: ConfigMapIndex; keyring: OpenPGPKeyring; remedy: ConfigMapRemedyOptions };
  now?: Date;
}

export function statusOf(findings: readonly MirrorFinding[]): 'passed' | 'failed' | 'error' {
  if (findings.some((f) => f.outcome !== 'error')) return 'failed';
  return findings.length > 0 ? 'error' : 'passed';
}

function instanceLabel(instance: { digest: string; arch?: string }): string {
  return `${instance.digest}${instance.arch ? ` (${instance.arch})` : ''}`;
}

function releaseLabel(release: ResolvedRelease): string {
  return `${release.version} ${release.arch}`;
}

/** Presence of the release image and of each instance in the mirror, by digest. */
async function checkImagePresence(
  release: ResolvedRelease,
  mirror: RepositoryRef,
  context: MirrorCheckContext,
): Promise<{ state: MirrorImageState; findings: MirrorFinding[] }> {
  const instances = release.instances ?? [];
  const [own, ...perInstance] = await Promise.all([
    context.registry.headManifest(mirror, release.digest),
    ...instances.map((i) => context.registry.headManifest(mirror, i.digest)),
  ]);
  if (!own) throw new Error('unreachable: no HEAD result');
  const findings: MirrorFinding[] = [];
  const missingInstances = instances.filter((_, i) => perInstance[i]?.kind === 'not-found');
  const what = `release image ${release.digest} (${releaseLabel(release)}, tag ${release.tag} in ${context.source.display})`;

  if (own.kind === 'error') {
    findings.push({
      outcome: 'error',
      kind: 'mirror-error',
      mirror: mirror.display,
      digest: release.digest,
      message: `could not determine whether ${mirror.display} holds ${what}: ${own.reason}. Re-run later, or check access and credentials for ${mirror.host}`,
      remedies: [],
    });
  } else if (own.kind === 'not-found') {
    const partial = instances.length > 0 ? `, and ${missingInstances.length} of its ${instances.length} instances` : '';
    findings.push({
      outcome: 'missing',
      kind: 'image-missing',
      mirror: mirror.display,
      digest: release.digest,
      message: `${mirror.display} does not hold ${what}${partial}: HEAD ${mirror.display}@${release.digest} answered 404; a cluster pulling from this mirror cannot install or update to it`,
      remedies: copyImageRemedies(context.source, mirror, release.digest, release.tag),
    });
  }
  instances.forEach((instance, i) => {
    const head = perInstance[i];
    if (!head) return;
    if (head.kind === 'error') {
      findings.push({
        outcome: 'error',
        kind: 'mirror-error',
        mirror: mirror.display,
        digest: instance.digest,
        ...(instance.arch ? { arch: instance.arch } : {}),
        message: `could not determine whether ${mirror.display} holds instance ${instanceLabel(instance)} of manifest list ${release.digest}: ${head.reason}`,
        remedies: [],
      });
    } else if (head.kind === 'not-found' && own.kind === 'found') {
      // When the list itself is missing, the finding above (and its copy --all) covers its instances.
      findings.push({
        outcome: 'missing',
        kind: 'instance-missing',
        mirror: mirror.display,
        digest: instance.digest,
        ...(instance.arch ? { arch: instance.arch } : {}),
        message: `${mirror.display} holds manifest list ${release.digest} (${releaseLabel(release)}) but not its instance ${instanceLabel(instance)}: HEAD ${mirror.display}@${instance.digest} answered 404; nodes of that architecture cannot pull the release`,
        remedies: copyInstanceRemedies(context.source, mirror, instance.digest, release.digest, release.tag),
      });
    }
  });

  let state: MirrorImageState;
  if (own.kind === 'error' || perInstance.some((h) => h?.kind === 'error')) {
    state = { outcome: 'error', reason: findings.find((f) => f.outcome === 'error')?.message ?? 'error', missingInstances };
  } else if (own.kind === 'not-found' || missingInstances.length > 0) {
    state = {
      outcome: 'missing',
      reason: own.kind === 'not-found' ? `${release.digest} is not in ${mirror.display}` : `${missingInstances.length} of ${instances.length} instances are not in ${mirror.display}: ${missingInstances.map(instanceLabel).join(', ')}`,
      missingInstances,
    };
  } else {
    state = {
      outcome: 'present',
      reason: instances.length > 0 ? `manifest list ${release.digest} and all ${instances.length} instances present` : `${release.digest} present`,
      missingInstances,
    };
  }
  return { state, findings };
}

/** One digest's Sigstore verdict, out of a check result (the instance's, or the whole single-image result). */
function verdictFor(result: CheckResult, digest: Digest): { outcome: InstanceResult['outcome'] | 'skipped'; reason: string } | undefined {
  if (result.instances) return result.instances.find((i) => i.digest === digest);
  return { outcome: result.outcome, reason: result.reason };
}

async function checkSignatures(
  release: ResolvedRelease,
  mirror: RepositoryRef,
  context: MirrorCheckContext,
  sourceVerdict: () => Promise<CheckResult>,
): Promise<{ sigstore: CheckResult; findings: MirrorFinding[] }> {
  const image = release.instances ? { digest: release.digest, instances: release.instances } : { digest: release.digest };
  const source = context.sigstoreSourceFor ? context.sigstoreSourceFor(mirror) : new RegistrySigstoreSource(context.registry, mirror);
  const sigstore = await checkSigstore(image, { source, trust: context.trust, identityRepo: context.identityRepo });
  const pulled: ImageInstance[] = release.instances ?? [{ digest: release.digest }];
  const findings: MirrorFinding[] = [];
  for (const target of pulled) {
    const verdict = verdictFor(sigstore, target.digest);
    if (!verdict || verdict.outcome === 'verified' || verdict.outcome === 'skipped') continue;
    const subject = release.instances ? `instance ${instanceLabel(target)} of ${releaseLabel(release)}` : `${target.digest} (${releaseLabel(release)})`;
    const base: Pick<MirrorFinding, 'mirror' | 'digest' | 'arch'> = { mirror: mirror.display, digest: target.digest, ...(target.arch ? { arch: target.arch } : {}) };
    if (verdict.outcome === 'error') {
      findings.push({ ...base, outcome: 'error', kind: 'mirror-error', message: `could not check the Sigstore signature of ${subject} in ${mirror.display}: ${verdict.reason}`, remedies: [] });
      continue;
    }
    // checkSigstore's advice (sign, or copy the tag) is replaced by the remedies below.
    const reason = verdict.reason.replace(/^no Sigstore signature: /, '').replace(/; sign the image with cosign \(it writes [^)]*\), or copy the tag to this repository$/, '');
    const what =
      verdict.outcome === 'missing'
        ? `${mirror.display} lacks the Sigstore signature of ${subject}`
        : `the Sigstore signature of ${subject} in ${mirror.display} is not accepted under the policy of ${context.identityRepo}`;
    const consequence = 'CRI-O will refuse to run the release from this mirror (install hangs, updates block)';
    const fromSource = verdictFor(await sourceVerdict(), target.digest);
    if (fromSource?.outcome === 'verified') {
      findings.push({
        ...base,
        outcome: verdict.outcome,
        kind: verdict.outcome === 'missing' ? 'signature-missing' : 'signature-invalid',
        message: `${what}: ${reason}. ${consequence}; ${context.source.display} holds an accepted signature, copy its tag`,
        remedies: copySignatureRemedies(context.source, mirror, target.digest),
      });
    } else {
      const sourceState = fromSource ? `${fromSource.outcome}: ${fromSource.reason}` : 'not checked';
      findings.push({
        ...base,
        outcome: verdict.outcome,
        kind: verdict.outcome === 'missing' ? 'signature-missing' : 'signature-invalid',
        message: `${what}: ${reason}. ${consequence}. The source ${context.source.display} has no accepted signature for it either (${sourceState}), so copying cannot fix this; the release must be signed first`,
        remedies: [],
      });
    }
  }
  return { sigstore, findings };
}

async function checkConfigMaps(release: ResolvedRelease, context: MirrorCheckContext): Promise<{ openpgp?: CheckResult; findings: MirrorFinding[] }> {
  if (!context.configMaps) return { findings: [] };
  const { index, keyring, remedy } = context.configMaps;
  const openpgp = await checkConfigMapSignatures(release.digest, index, keyring, context.now ? { now: context.now } : {});
  if (openpgp.outcome === 'verified') return { openpgp, findings: [] };
  const outcome = openpgp.outcome === 'missing' ? 'missing' : openpgp.outcome === 'invalid' ? 'invalid' : 'error';
  return {
    openpgp,
    findings: [
      {
        outcome,
        kind: outcome === 'missing' ? 'configmap-missing' : outcome === 'invalid' ? 'configmap-invalid' : 'configmap-error',
        digest: release.digest,
        message: `OpenPGP, ${releaseLabel(release)}: ${openpgp.reason}`,
        remedies: outcome === 'error' ? [] : writeConfigMapRemedies(release.digest, remedy),
      },
    ],
  };
}

/** Checks one resolved release against every mirror (and the ConfigMaps once). Never rejects for a network failure. */
export async function checkReleaseMirrors(release: ResolvedRelease, mirrors: readonly RepositoryRef[], context: MirrorCheckContext): Promise<MirrorReleaseResult> {
  let sourceResult: Promise<CheckResult> | undefined;
  const sourceVerdict = (): Promise<CheckResult> => {
    // Only needed to choose a remedy, so only fetched once a mirror lacks a signature.
    sourceResult ??= checkSigstore(release.instances ? { digest: release.digest, instances: release.instances } : { digest: release.digest }, {
      source: context.sourceSigstore,
      trust: context.trust,
      identityRepo: context.identityRepo,
    });
    return sourceResult;
  };
  const [perMirror, configMaps] = await Promise.all([
    Promise.all(
      mirrors.map(async (mirror) => {
        const [presence, signatures] = await Promise.all([checkImagePresence(release, mirror, context), checkSignatures(release, mirror, context, sourceVerdict)]);
        const findings = [...presence.findings, ...signatures.findings];
        const result: MirrorRepositoryResult = { mirror: mirror.display, image: presence.state, sigstore: signatures.sigstore, status: statusOf(findings) };
        return { result, findings };
      }),
    ),
    checkConfigMaps(release, context),
  ]);
  const findings = [...perMirror.flatMap((m) => m.findings), ...configMaps.findings];
  const out: MirrorReleaseResult = {
    name: release.name,
    version: release.version,
    arch: release.arch,
    tag: release.tag,
    places: release.places,
    status: statusOf(findings),
    digest: release.digest,
    mirrors: perMirror.map((m) => m.result),
    findings,
  };
  if (release.instances) out.instances = release.instances;
  if (configMaps.openpgp) out.openpgp = configMaps.openpgp;
  return out;
}
