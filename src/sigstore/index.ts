/**
 * Sigstore (cosign) verification as CRI-O performs it under a ClusterImagePolicy: the public API.
 * Wiring: `loadSigstoreTrust` once per run (CONFIG errors surface before any network use), then
 * `checkSigstore(image, { source, trust, identityRepo })` per release image, with `source` the registry
 * fetcher (fetch.ts) or an OCI layout (`createLayoutSource` / `verifySigstoreLayout`).
 */
export { checkSigstore, type SigstoreCheckOptions } from './check.ts';
export { createLayoutSource, verifySigstoreLayout, OciLayoutSource, type LayoutCheckOptions } from './layout.ts';
export { describeTrust, loadSigstoreTrust, parseImagePolicies, selectRequirements, type LoadSigstoreTrustOptions, type SigstoreRequirement, type SigstoreTrust } from './policy.ts';
export { describeKey, loadKeyFile, redHatReleaseKey3, toTrustedKey, type TrustedKey } from './keys.ts';
export {
  MAX_LAYER_BLOB_BYTES,
  OCI_MANIFEST_MEDIA_TYPE,
  SIGSTORE_BUNDLE_MEDIA_TYPE,
  SIMPLE_SIGNING_MEDIA_TYPE,
  parseSignatureManifest,
  verifySignatureLayer,
  verifySignatureManifest,
  type LayerCode,
  type LayerVerdict,
  type ManifestCode,
  type SignatureVerdict,
} from './verify.ts';
