/**
 * Disconnected mirrors: the public API.
 * Wiring (src/cli/commands/mirror.ts does exactly this): `loadTrust(config)` and `createNetwork(config.network)`
 * as for a check; the mirror repositories from `--mirror` and/or `parseMirrorRules` + `toMirrorRepositories`
 * (ImageDigestMirrorSet / ImageContentSourcePolicy); optionally `loadConfigMapIndex(paths)`; then
 * `runMirrorCheck({ targets, mirrors, resolver: network.resolver, context })`, where the context names the
 * source (release) repository, its SigstoreSource, the Sigstore trust and the identity repository; and
 * `formatMirrorText` / `toMirrorJson` for the report. `collectStoreSignatures` + `writeSignatureConfigMap`
 * back `configmap --write`.
 */
export { checkReleaseMirrors, type FindingKind, type MirrorCheckContext, type MirrorFinding, type MirrorReleaseResult, type MirrorRepositoryResult, type ResolvedRelease } from './check.ts';
export { collectStoreSignatures, type CollectedSignatures, type CollectOptions, type VerifiedBlob } from './collect.ts';
export { checkConfigMapSignatures, indexConfigMaps, loadConfigMapIndex, type ConfigMapIndex, type IndexedSignature } from './configmaps.ts';
export { matchingPrefixLength, parseMirrorRules, toMirrorRepositories, type MappedMirror, type MirrorRule, type MirrorRuleSet } from './idms.ts';
export {
  copyImageRemedies,
  copyInstanceRemedies,
  copySignatureRemedies,
  shellQuote,
  toConfigMapFileName,
  writeConfigMapRemedies,
  type Remedy,
} from './remedy.ts';
export { formatMirrorText, toMirrorJson, type MirrorReportInput } from './report.ts';
export { runMirrorCheck, summarize, type MirrorRunOptions, type MirrorRunResult, type MirrorSummary } from './run.ts';
export { writeSignatureConfigMap, type WrittenConfigMap } from './write.ts';
