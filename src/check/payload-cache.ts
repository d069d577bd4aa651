/**
 * The verified-result cache for payloads: what was read from a payload is kept by its digest (a
 * digest's contents never change), and a verified components verdict like any verified check, keyed
 * by the payload digest and the components trust scope (check/cache.ts). A node whose components
 * verdict is cached and whose payload summary is too makes no request for its payload.
 */
import type { PayloadCheck, PayloadChecker, PayloadCheckOptions, ResolvedImage } from '../model/checkers.ts';
import type { Digest } from '../model/digest.ts';
import type { PayloadContents, PayloadManifestFile } from '../model/payload.ts';
import type { ComponentsResult } from '../model/results.ts';
import type { PayloadSummary, VerifiedCache } from './cache.ts';

function toSummary(c: PayloadContents): { summary: PayloadSummary; texts: { sha256: string; text: string }[] } {
  const ref = (f: PayloadManifestFile) => ({ path: f.path, sha256: f.sha256 });
  const summary: PayloadSummary = { manifest: c.manifest, configArch: c.configArch, layer: c.layer, metadata: c.metadata, imagePolicies: c.imagePolicies.map(ref) };
  if (c.updateKeys) summary.updateKeys = ref(c.updateKeys);
  return { summary, texts: [...(c.updateKeys ? [c.updateKeys] : []), ...c.imagePolicies].map((f) => ({ sha256: f.sha256, text: f.text })) };
}

function fromSummary(digest: Digest, s: PayloadSummary, text: (sha256: string) => string | undefined): PayloadContents {
  const file = (f: { path: string; sha256: string }): PayloadManifestFile => ({ path: f.path, sha256: f.sha256, text: text(f.sha256) ?? '' });
  const contents: PayloadContents = { digest, manifest: s.manifest, configArch: s.configArch, layer: s.layer, metadata: s.metadata, imagePolicies: s.imagePolicies.map(file) };
  if (s.updateKeys) contents.updateKeys = file(s.updateKeys);
  return contents;
}

/**
 * Payload contents are reused by digest (a digest's contents never change). Component verdicts are
 * reused only when the cache is trusted as it is (`--cache-mode trust`): a component's `.sig` can be
 * deleted or replaced like any other, and revalidation has no evidence of it to confirm.
 */
export function withPayloadCache(checker: PayloadChecker, cache: VerifiedCache, outer: { reuseComponents: boolean } = { reuseComponents: true }): PayloadChecker {
  return {
    async check(image: ResolvedImage, options: PayloadCheckOptions): Promise<PayloadCheck> {
      const reuse = { components: outer.reuseComponents };
      const known = cache.getPayload(image.digest);
      if (known) {
        const read = { kind: 'read' as const, cached: true, contents: fromSummary(image.digest, known.summary, known.text) };
        if (!options.components) return { read };
        const hit = reuse.components ? cache.get('components', image.digest) : undefined;
        if (hit) return { read, components: hit.result as unknown as ComponentsResult };
      }
      const result = await checker.check(image, options);
      if (result.read.kind === 'read' && !known) {
        const { summary, texts } = toSummary(result.read.contents);
        cache.putPayload(image.digest, summary, texts);
      }
      if (result.components) cache.put('components', image.digest, result.components);
      return result;
    },
  };
}
