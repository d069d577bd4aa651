/**
 * Where payloads and component images are read from: the registry, through the one RegistryClient
 * (its auth, limits and retries). Only fetching here; read.ts and components.ts judge the bytes.
 */
import { refuseNonDigest, type FetchResult, type ManifestBytes, type ReferrerDescriptor, type SigstoreSource } from '../model/sources.ts';
import { isDigest, type Digest } from '../model/digest.ts';
import type { BlobStream, RegistryClient } from '../registry/client.ts';
import type { RepositoryRef } from '../registry/reference.ts';
import { RegistrySigstoreSource } from '../sigstore/fetch.ts';

/** What the payload reader needs of a repository. */
export interface PayloadSource {
  readonly repository: string;
  getManifest(digest: Digest): Promise<FetchResult<ManifestBytes>>;
  getBlob(digest: Digest, maxBytes: number): Promise<FetchResult<Uint8Array>>;
  openBlob(digest: Digest, maxBytes: number): Promise<FetchResult<BlobStream>>;
  /** Counts a layer read that is started again (after a broken stream), for the retry statistics. */
  noteRetry?(): void;
}

/** What the components check needs of a component's repository: its `.sig` tags, and its manifests (to see a list). */
export interface ComponentSource extends SigstoreSource {
  getManifest(digest: Digest): Promise<FetchResult<ManifestBytes>>;
}

export class RegistryPayloadSource implements PayloadSource {
  readonly repository: string;
  private readonly registry: RegistryClient;
  private readonly repo: RepositoryRef;

  constructor(registry: RegistryClient, repo: RepositoryRef) {
    this.registry = registry;
    this.repo = repo;
    this.repository = repo.display;
  }

  getManifest(digest: Digest): Promise<FetchResult<ManifestBytes>> {
    if (!isDigest(digest)) return Promise.resolve(refuseNonDigest(this.repo.display, digest));
    return this.registry.getManifest(this.repo, digest);
  }

  getBlob(digest: Digest, maxBytes: number): Promise<FetchResult<Uint8Array>> {
    if (!isDigest(digest)) return Promise.resolve(refuseNonDigest(this.repo.display, digest));
    return this.registry.getBlob(this.repo, digest, maxBytes);
  }

  openBlob(digest: Digest, maxBytes: number): Promise<FetchResult<BlobStream>> {
    if (!isDigest(digest)) return Promise.resolve(refuseNonDigest(this.repo.display, digest));
    return this.registry.openBlob(this.repo, digest, maxBytes);
  }

  noteRetry(): void {
    this.registry.http.noteRetry(this.repo.origin);
  }
}

export class RegistryComponentSource implements ComponentSource {
  readonly repository: string;
  private readonly sigstore: RegistrySigstoreSource;
  private readonly registry: RegistryClient;
  private readonly repo: RepositoryRef;

  constructor(registry: RegistryClient, repo: RepositoryRef) {
    this.registry = registry;
    this.repo = repo;
    this.sigstore = new RegistrySigstoreSource(registry, repo);
    this.repository = repo.display;
  }

  getSignatureManifest(digest: Digest): Promise<FetchResult<ManifestBytes>> {
    return this.sigstore.getSignatureManifest(digest);
  }

  getBlob(digest: Digest, maxBytes: number): Promise<FetchResult<Uint8Array>> {
    return this.sigstore.getBlob(digest, maxBytes);
  }

  getReferrers(digest: Digest): Promise<FetchResult<ReferrerDescriptor[]>> {
    return this.sigstore.getReferrers(digest);
  }

  getManifest(digest: Digest): Promise<FetchResult<ManifestBytes>> {
    if (!isDigest(digest)) return Promise.resolve(refuseNonDigest(this.repo.display, digest));
    return this.registry.getManifest(this.repo, digest);
  }
}
