/**
 * (version, arch) -> payload digest, from the release repository's tags (graph-data.md 3.4, 4.2):
 * `<version>-x86_64`, `-aarch64`, `-s390x`, `-ppc64le` and `-multi`. A 404 means the architecture was
 * not published for that version (`absent`). Releases older than the suffixed tags (4.1-4.3) carry
 * only a bare `<version>` tag; it is read once per version and its architecture taken from the
 * image config, so it answers for exactly one architecture.
 *
 * The digest is the sha256 of the manifest bytes the registry served for the tag, with all four
 * manifest media types in Accept (fewer made Quay convert to schema 1, which has another digest).
 */
import type { ArchResolution, ImageInstance, ReleaseResolver } from '../model/checkers.ts';
import type { Digest } from '../model/digest.ts';
import { describeError } from '../model/errors.ts';
import { fromPlatformArchitecture, toTagSuffix, type Arch } from '../model/arch.ts';
import { BLOB_MAX_BYTES } from '../http/limits.ts';
import type { RegistryClient } from './client.ts';
import { parseConfigArchitecture, parseManifest, type ParsedManifest } from './manifest.ts';
import { isTag, type RepositoryRef } from './reference.ts';

type BareTag =
  | { kind: 'found'; digest: Digest; arch: string; mediaType: string }
  | { kind: 'list'; digest: Digest }
  | { kind: 'absent' }
  | { kind: 'error'; reason: string };

export class RegistryResolver implements ReleaseResolver {
  readonly repository: RepositoryRef;
  private readonly registry: RegistryClient;
  private readonly bareTags = new Map<string, Promise<BareTag>>();

  constructor(registry: RegistryClient, repository: RepositoryRef) {
    this.registry = registry;
    this.repository = repository;
  }

  async resolve(version: string, arch: Arch): Promise<ArchResolution> {
    const tag = `${version}-${toTagSuffix(arch)}`;
    if (!isTag(tag)) {
      return { kind: 'error', tag, reason: `${JSON.stringify(version)} does not make a valid registry tag; no request was sent` };
    }
    const manifest = await this.registry.getManifest(this.repository, tag);
    if (manifest.kind === 'error') return { kind: 'error', tag, reason: manifest.reason };
    if (manifest.kind === 'not-found') return arch === 'multi' ? { kind: 'absent', tag } : this.resolveBare(version, arch, tag);

    let parsed: ParsedManifest;
    try {
      parsed = parseManifest(manifest.value.bytes, manifest.value.mediaType, manifest.source);
    } catch (err) {
      return { kind: 'error', tag, reason: describeError(err) };
    }
    const digest = manifest.value.digest;
    if (parsed.kind === 'image') {
      if (arch === 'multi') {
        return {
          kind: 'error',
          tag,
          reason: `${manifest.source} is a single-architecture manifest (${parsed.mediaType}, ${digest}), but a multi release must be a manifest list; clusters asking for the multi payload would get a single-arch image`,
        };
      }
      return { kind: 'found', digest, tag, manifest: manifest.value };
    }
    const instances = toInstances(parsed);
    if (instances.length === 0) {
      return { kind: 'error', tag, reason: `${manifest.source} is a manifest list (${digest}) with no image manifests in it` };
    }
    return { kind: 'found', digest, tag, instances };
  }

  /** The suffixed tag does not exist: an old release may still have the bare `<version>` tag for this arch. */
  private async resolveBare(version: string, arch: Arch, tag: string): Promise<ArchResolution> {
    if (!isTag(version)) return { kind: 'absent', tag };
    let bare = this.bareTags.get(version);
    if (!bare) {
      bare = this.readBareTag(version);
      this.bareTags.set(version, bare);
    }
    const found = await bare;
    if (found.kind === 'error') return { kind: 'error', tag: version, reason: found.reason };
    if (found.kind !== 'found') return { kind: 'absent', tag };
    return fromPlatformArchitecture(found.arch) === arch ? { kind: 'found', digest: found.digest, tag: version } : { kind: 'absent', tag };
  }

  private async readBareTag(version: string): Promise<BareTag> {
    const manifest = await this.registry.getManifest(this.repository, version);
    if (manifest.kind === 'not-found') return { kind: 'absent' };
    if (manifest.kind === 'error') return { kind: 'error', reason: manifest.reason };
    let parsed: ParsedManifest;
    try {
      parsed = parseManifest(manifest.value.bytes, manifest.value.mediaType, manifest.source);
    } catch (err) {
      return { kind: 'error', reason: describeError(err) };
    }
    // A bare tag that is a list is not an old single-arch release; the suffixed tags decide.
    if (parsed.kind === 'index') return { kind: 'list', digest: manifest.value.digest };
    const config = await this.registry.getBlob(this.repository, parsed.config.digest, BLOB_MAX_BYTES);
    if (config.kind === 'not-found') {
      return { kind: 'error', reason: `${config.source}: the image config of ${manifest.source} is missing from the registry` };
    }
    if (config.kind === 'error') return { kind: 'error', reason: config.reason };
    try {
      const arch = parseConfigArchitecture(config.value, config.source);
      return { kind: 'found', digest: manifest.value.digest, arch, mediaType: parsed.mediaType };
    } catch (err) {
      return { kind: 'error', reason: describeError(err) };
    }
  }
}

/**
 * The image manifests of a list, with the architecture the list states for each. Attestation
 * manifests (platform unknown/unknown, as BuildKit writes them) are no instance a node pulls.
 */
export function toInstances(index: Extract<ParsedManifest, { kind: 'index' }>): ImageInstance[] {
  const out: ImageInstance[] = [];
  for (const m of index.manifests) {
    if (m.platform?.architecture === 'unknown' && m.platform.os === 'unknown') continue;
    const instance: ImageInstance = { digest: m.digest };
    if (m.platform?.architecture) instance.arch = m.platform.architecture;
    out.push(instance);
  }
  return out;
}
