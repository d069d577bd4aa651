/**
 * Where a policy decision reads signatures, over the network: lookaside signatures over http(s) or
 * from file:// URLs with containers/image's cap (4 MiB, iolimits.MaxSignatureBodySize; a 404 or a
 * missing file ends the list, anything else is an error), and `.sig` manifests and blobs of the
 * repository the image is read from. Only fetching here: evaluate.ts judges the bytes.
 */
import type { HttpClient } from '../http/client.ts';
import { createStoreFetcher } from '../openpgp/fetch.ts';
import type { RegistryClient } from '../registry/client.ts';
import type { RepositoryRef } from '../registry/reference.ts';
import { RegistrySigstoreSource } from '../sigstore/fetch.ts';
import type { SigstoreSource } from '../model/sources.ts';
import { MAX_LOOKASIDE_SIGNATURE_BYTES, type PolicySources } from './signatures.ts';

export function createPolicySources(http: HttpClient, registry: RegistryClient, repository: RepositoryRef, sigstore?: SigstoreSource): PolicySources {
  return {
    fetchLookaside: createStoreFetcher(http, { maxBytes: MAX_LOOKASIDE_SIGNATURE_BYTES }),
    sigstore: sigstore ?? new RegistrySigstoreSource(registry, repository),
  };
}
