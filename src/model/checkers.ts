/**
 * The seams between the core pipeline and the network: a resolver turns (version, arch) into digests,
 * checkers turn digests into verdicts. Real implementations live in src/registry, src/openpgp and
 * src/sigstore; tests use in-memory stand-ins.
 */
import type { Digest } from './digest.ts';
import type { Arch } from './arch.ts';
import type { CheckResult, ComponentsResult } from './results.ts';
import type { ManifestBytes } from './sources.ts';
import type { PayloadRead } from './payload.ts';

export interface ImageInstance {
  digest: Digest;
  /** Platform of the instance as the manifest list states it, e.g. `amd64`, `arm64`. */
  arch?: string;
}

export type ArchResolution =
  | {
      kind: 'found';
      digest: Digest;
      tag: string;
      /** The instances of a manifest list (a `multi` node); absent for a single-arch image. */
      instances?: ImageInstance[];
      /** The manifest bytes the tag served (hashing to `digest`), so the payload reader need not fetch them again. */
      manifest?: ManifestBytes;
    }
  /** The tag answered 404: this architecture was not published for this version. */
  | { kind: 'absent'; tag: string }
  /** The registry could not be asked (after retries), or answered something that makes no sense. */
  | { kind: 'error'; tag: string; reason: string };

export interface ReleaseResolver {
  resolve(version: string, arch: Arch): Promise<ArchResolution>;
}

export interface ResolvedImage {
  digest: Digest;
  instances?: ImageInstance[];
  /** The image manifest's bytes, when already fetched (a single-arch image). */
  manifest?: ManifestBytes;
}

export interface SignatureChecker {
  /** The OpenPGP check of one payload digest (for a multi node, the manifest-list digest). */
  openpgp(digest: Digest): Promise<CheckResult>;
  /** The Sigstore check of one image; for a manifest list every instance must pass. */
  sigstore(image: ResolvedImage): Promise<CheckResult>;
}

export interface PayloadCheckOptions {
  /** Check the component images too (else the payload is only read, for its release metadata). */
  components: boolean;
}

export interface PayloadCheck {
  read: PayloadRead;
  /** The components verdict, when asked for. */
  components?: ComponentsResult;
}

/** Reads a release payload (src/payload) and checks every component image it references. */
export interface PayloadChecker {
  check(image: ResolvedImage, options: PayloadCheckOptions): Promise<PayloadCheck>;
}
