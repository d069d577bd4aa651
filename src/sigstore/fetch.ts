/**
 * Where CRI-O reads Sigstore signatures (containers/image `docker/docker_client.go`): the manifest of
 * tag `sha256-<hex>.sig` in the image's repository, and the layer blobs it lists, each at most 4 MiB
 * and verified against its digest. Also the referrers of a digest, where cosign v3 puts bundles that
 * CRI-O does not read (reported, not accepted). Only fetching here: the verifiers judge the bytes.
 */
import { refuseNonDigest, type FetchResult, type ManifestBytes, type ReferrerDescriptor, type SigstoreSource } from '../model/sources.ts';
import { isDigest, toSignatureTag, type Digest } from '../model/digest.ts';
import { BLOB_MAX_BYTES } from '../http/limits.ts';
import type { RegistryClient } from '../registry/client.ts';
import type { RepositoryRef } from '../registry/reference.ts';

export class RegistrySigstoreSource implements SigstoreSource {
  readonly repository: string;
  private readonly registry: RegistryClient;
  private readonly repo: RepositoryRef;

  constructor(registry: RegistryClient, repo: RepositoryRef) {
    this.registry = registry;
    this.repo = repo;
    this.repository = repo.display;
  }

  getSignatureManifest(digest: Digest): Promise<FetchResult<ManifestBytes>> {
    if (!isDigest(digest)) return Promise.resolve(refuseNonDigest(this.repo.display, digest));
    return this.registry.getManifest(this.repo, toSignatureTag(digest));
  }

  async headSignatureManifest(digest: Digest): Promise<FetchResult<Digest>> {
    if (!isDigest(digest)) return refuseNonDigest(this.repo.display, digest);
    const head = await this.registry.headManifest(this.repo, toSignatureTag(digest));
    return head.kind === 'found' ? { kind: 'found', value: head.value.digest, source: head.source } : head;
  }

  getBlob(digest: Digest, maxBytes: number = BLOB_MAX_BYTES): Promise<FetchResult<Uint8Array>> {
    if (!isDigest(digest)) return Promise.resolve(refuseNonDigest(this.repo.display, digest));
    return this.registry.getBlob(this.repo, digest, Math.min(maxBytes, BLOB_MAX_BYTES));
  }

  getReferrers(digest: Digest): Promise<FetchResult<ReferrerDescriptor[]>> {
    if (!isDigest(digest)) return Promise.resolve(refuseNonDigest(this.repo.display, digest));
    return this.registry.getReferrers(this.repo, digest);
  }
}
