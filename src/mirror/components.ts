/**
 * The component images of a release in a disconnected cluster's mirrors: CRI-O pulls each one from
 * the mirror its repository maps to (ImageDigestMirrorSet / ImageContentSourcePolicy, or, for
 * `--mirror REPO`, the one repository `oc adm release mirror --to` fills with the release and every
 * component), and under the `openshift` ClusterImagePolicy reads its `.sig` there too, with the
 * identity of the component's original repository (docs/verdicts.md, "Mirrors" and "Components").
 *
 * For each component the payload (read in the source) references, and each mirror it maps to: the
 * image by digest (every instance of a list), and, when a scope of the policy covers the component's
 * repository, the `.sig` of each image CRI-O pulls, verified with that identity. Every gap is a
 * finding with the command that closes it; a signature the source lacks too cannot be copied, and the
 * finding says so. Transport failures are `error` findings, never gaps.
 */
import type { Digest } from '../model/digest.ts';
import type { ImageInstance, ResolvedImage } from '../model/checkers.ts';
import type { ComponentReference } from '../model/payload.ts';
import type { RegistryClient } from '../registry/client.ts';
import { parseManifest } from '../registry/manifest.ts';
import type { RepositoryRef } from '../registry/reference.ts';
import { toInstances } from '../registry/resolve.ts';
import { checkSigstore } from '../sigstore/check.ts';
import { RegistrySigstoreSource } from '../sigstore/fetch.ts';
import type { ComponentTrust } from '../sigstore/policy.ts';
import { RegistryPayloadSource } from '../payload/fetch.ts';
import { readPayload, type PayloadReadOptions } from '../payload/read.ts';
import { copySignatureRemedies, toRemedy, type Remedy } from './remedy.ts';
import type { MirrorFinding } from './check.ts';

export interface ComponentMirrorContext {
  registry: RegistryClient;
  /** The release repository the payload is read from. */
  source: RepositoryRef;
  /** The original repository of a component (`host/path`), as it can be read (scheme included). */
  componentRepository(name: string): RepositoryRef;
  /** The mirror repositories a component's repository maps to. */
  mirrorsFor(name: string): RepositoryRef[];
  trust: ComponentTrust;
  read: PayloadReadOptions;
}

export interface ComponentMirrorSummary {
  /** Components the payload references. */
  total: number;
  /** Components every mapped mirror holds, with an accepted `.sig` where a scope covers them. */
  complete: number;
  /** Why the components could not be listed, when the payload could not be read. */
  reason?: string;
}

function skopeoTls(source: RepositoryRef, mirror: RepositoryRef): string[] {
  return [...(source.scheme === 'http' ? ['--src-tls-verify=false'] : []), ...(mirror.scheme === 'http' ? ['--dest-tls-verify=false'] : [])];
}

/** Copies a component image (a list with every instance) to the mirror by digest. */
export function copyComponentRemedies(source: RepositoryRef, mirror: RepositoryRef, digest: Digest): Remedy[] {
  const insecure = source.scheme === 'http' || mirror.scheme === 'http' ? ['--insecure=true'] : [];
  return [
    toRemedy('oc', ['oc', 'image', 'mirror', '--keep-manifest-list=true', ...insecure, `${source.display}@${digest}`, `${mirror.display}`], 'pushed by digest, as release mirroring does'),
    toRemedy('skopeo', ['skopeo', 'copy', '--all', '--preserve-digests', ...skopeoTls(source, mirror), `docker://${source.display}@${digest}`, `docker://${mirror.display}@${digest}`]),
  ];
}

function label(c: ComponentReference, instance?: ImageInstance): string {
  return `component ${c.name} (${c.digest})${instance ? `, instance ${instance.digest}${instance.arch ? ` (${instance.arch})` : ''}` : ''}`;
}

async function instancesOf(registry: RegistryClient, repo: RepositoryRef, digest: Digest): Promise<ImageInstance[] | undefined> {
  const m = await registry.getManifest(repo, digest);
  if (m.kind !== 'found') return undefined;
  try {
    const parsed = parseManifest(m.value.bytes, m.value.mediaType, m.source);
    return parsed.kind === 'index' ? toInstances(parsed) : [];
  } catch {
    return undefined;
  }
}

async function checkComponent(c: ComponentReference, context: ComponentMirrorContext, releaseLabel: string): Promise<MirrorFinding[]> {
  const findings: MirrorFinding[] = [];
  const origin = context.componentRepository(c.repository);
  const trust = context.trust.trustFor(c.repository);
  // What CRI-O pulls: the image, or each instance of a list (read in the source, which has them all).
  const instances = await instancesOf(context.registry, origin, c.digest);
  const pulled: { digest: Digest; instance?: ImageInstance }[] = instances && instances.length > 0 ? instances.map((i) => ({ digest: i.digest, instance: i })) : [{ digest: c.digest }];
  let sourceVerdicts: Promise<Map<Digest, string>> | undefined;
  const sourceVerdict = () =>
    (sourceVerdicts ??= (async () => {
      const out = new Map<Digest, string>();
      for (const p of pulled) {
        const r = await checkSigstore({ digest: p.digest }, { source: new RegistrySigstoreSource(context.registry, origin), trust: trust!, identityRepo: c.repository });
        out.set(p.digest, r.outcome);
      }
      return out;
    })());
  for (const mirror of context.mirrorsFor(c.repository)) {
    const base = { mirror: mirror.display };
    const head = await context.registry.headManifest(mirror, c.digest);
    if (head.kind === 'error') {
      findings.push({ ...base, outcome: 'error', kind: 'component-error', digest: c.digest, message: `could not determine whether ${mirror.display} holds ${label(c)} of ${releaseLabel}: ${head.reason}`, remedies: [] });
      continue;
    }
    if (head.kind === 'not-found') {
      findings.push({
        ...base,
        outcome: 'missing',
        kind: 'component-missing',
        digest: c.digest,
        message: `${mirror.display} does not hold ${label(c)} of ${releaseLabel} (from ${origin.display}): pods of the release that run it cannot start on a cluster pulling from this mirror`,
        // The image, then (where a scope covers it) the .sig of each image CRI-O pulls.
        remedies: [...copyComponentRemedies(origin, mirror, c.digest), ...(trust ? pulled.flatMap((p) => copySignatureRemedies(origin, mirror, p.digest).map((r) => ({ ...r, then: true as const }))) : [])],
      });
      continue;
    }
    if (!trust) continue;
    const image: ResolvedImage = { digest: c.digest };
    for (const p of pulled) {
      const r = await checkSigstore(p.instance ? { digest: p.digest } : image, { source: new RegistrySigstoreSource(context.registry, mirror), trust, identityRepo: c.repository });
      if (r.outcome === 'verified' || r.outcome === 'skipped') continue;
      if (r.outcome === 'error') {
        findings.push({ ...base, outcome: 'error', kind: 'component-error', digest: p.digest, message: `could not check the Sigstore signature of ${label(c, p.instance)} in ${mirror.display}: ${r.reason}`, remedies: [] });
        continue;
      }
      const fromSource = (await sourceVerdict()).get(p.digest);
      const what = r.outcome === 'missing' ? `${mirror.display} lacks the Sigstore signature of ${label(c, p.instance)} of ${releaseLabel}` : `the Sigstore signature of ${label(c, p.instance)} in ${mirror.display} is not accepted under the policy of ${c.repository}`;
      const kind = r.outcome === 'missing' ? 'component-signature-missing' : 'component-signature-invalid';
      if (fromSource === 'verified') {
        findings.push({ ...base, outcome: r.outcome, kind, digest: p.digest, message: `${what}. CRI-O will refuse to run it from this mirror; ${origin.display} holds an accepted signature, copy its tag`, remedies: copySignatureRemedies(origin, mirror, p.digest) });
      } else {
        findings.push({ ...base, outcome: r.outcome, kind, digest: p.digest, message: `${what}. The source ${origin.display} has no accepted signature for it either (${fromSource ?? 'not checked'}), so copying cannot fix this; the component must be signed first`, remedies: [] });
      }
    }
  }
  return findings;
}

/** Checks every component of a release in its mirrors. Never rejects for a network failure. */
export async function checkComponentMirrors(image: ResolvedImage, releaseLabel: string, context: ComponentMirrorContext): Promise<{ summary: ComponentMirrorSummary; findings: MirrorFinding[] }> {
  const read = await readPayload(image, new RegistryPayloadSource(context.registry, context.source), context.read);
  if (read.kind !== 'read') {
    const reason = `the payload could not be read in ${context.source.display}, so its components are unknown: ${read.reason}`;
    return {
      summary: { total: 0, complete: 0, reason },
      findings: [{ outcome: read.kind === 'error' ? 'error' : 'invalid', kind: read.kind === 'error' ? 'source-error' : 'component-error', digest: image.digest, message: `${releaseLabel}: ${reason}`, remedies: [] }],
    };
  }
  const components = read.contents.components ?? [];
  const perComponent = await Promise.all(components.map((c) => checkComponent(c, context, releaseLabel)));
  return { summary: { total: components.length, complete: perComponent.filter((f) => f.length === 0).length }, findings: perComponent.flat() };
}
