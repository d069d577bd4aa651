/**
 * Pure verification of a cosign `.sig` manifest and its layer blobs, with CRI-O's rules
 * (containers/image docker/docker_client.go getSigstoreAttachmentManifest, getOCIDescriptorContents;
 * docker/docker_image_src.go appendSignaturesFromSigstoreAttachments; signature/policy_eval_sigstore.go):
 *
 * 1. the manifest must be served as an OCI image manifest and must not look like another manifest kind;
 * 2. CRI-O reads the blob of EVERY layer (any media type), each at most 4 MiB and hashing to its
 *    descriptor digest; one unreadable or corrupt blob makes it reject the image even when another layer
 *    holds a valid signature, so the same happens here;
 * 3. each layer of media type `application/vnd.dev.cosign.simplesigning.v1+json` is one signature, other
 *    layers are ignored; none at all means "no signature exists";
 * 4. a signature passes a requirement when: the `dev.cosignproject.cosign/signature` annotation exists;
 *    (with a Rekor key) its Rekor SET verifies and names a trusted key; the base64 signature verifies over
 *    the exact blob bytes under a trusted key (RSA PKCS#1 v1.5 or ECDSA ASN.1 DER with SHA-256 through
 *    @sigstore/verify; ECDSA as raw IEEE P1363 r||s, which current sigstore/sigstore pkg/signature/ecdsa.go
 *    also accepts; Ed25519); the payload parses as CRI-O parses it; its digest equals the image digest;
 *    its identity passes the requirement's rule against the reference CRI-O pulled;
 * 5. any one passing signature satisfies a requirement; every requirement must be satisfied.
 *
 * The blobs are judged one at a time as they arrive (ManifestJudge), so a caller never holds more than
 * the blobs in flight: a `.sig` of hundreds of 4 MiB layers is checked in bounded memory.
 *
 * Nothing here performs I/O or throws on bad input: every failure is a verdict with a code and a reason.
 */
import { X509Certificate, constants, createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity, type TrustMaterial } from '@sigstore/verify';
import { describeError } from '../model/errors.ts';
import { decodeStdBase64 } from './encoding.ts';
import { classifyKey, describeKey, fingerprintOf, shortFingerprint, type TrustedKey } from './keys.ts';
import { parseSimpleSigningPayload } from './payload.ts';
import { describeIdentityRule, type SigstoreRequirement, type SigstoreTrust } from './policy.ts';
import { matchIdentity, referenceString, validateGoDigest, type DockerReference } from './reference.ts';
import { REKOR_BUNDLE_ANNOTATION, publicKeyPemFromRekorBundle, verifyRekorSet } from './rekor.ts';

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const SIGSTORE_BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** iolimits.MaxManifestBodySize */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** iolimits.MaxSignatureBodySize: the cap on every `.sig` layer blob. */
export const MAX_LAYER_BLOB_BYTES = 4 * 1024 * 1024;

/** Why one signature layer did (not) pass. */
export type LayerCode =
  | 'VERIFIED'
  | 'NOT_A_SIGNATURE'
  | 'MISSING_ANNOTATION'
  | 'REKOR_SET_MISSING'
  | 'REKOR_SET_INVALID'
  | 'BAD_SIGNATURE'
  | 'WRONG_SIGNATURE_SCHEME'
  | 'UNTRUSTED_KEY'
  | 'PAYLOAD_INVALID'
  | 'DIGEST_MISMATCH'
  | 'IDENTITY_MISMATCH';

/** Why a `.sig` manifest as a whole did (not) pass. */
export type ManifestCode =
  | 'VERIFIED'
  | 'NO_SIGNATURES'
  | 'MANIFEST_MEDIA_TYPE'
  | 'MANIFEST_INVALID'
  | 'BLOB_MISSING'
  | 'BLOB_TOO_LARGE'
  | 'BLOB_DIGEST_MISMATCH'
  | 'REJECTED';

export interface LayerDescriptor {
  /** 0-based position in `layers`. */
  index: number;
  mediaType: string;
  digest: string;
  size: number;
  annotations: Readonly<Record<string, string>>;
}

export interface SignatureLayer {
  mediaType: string;
  annotations: Readonly<Record<string, string>>;
  /** The layer blob: the signed payload bytes. */
  payload: Uint8Array;
}

export interface LayerVerdict {
  /** 0-based layer index, when the layer came from a manifest. */
  index?: number;
  digest?: string;
  code: LayerCode;
  reason: string;
  /** The trusted key that verified the signature (describeKey), once the signature verified. */
  signer?: string;
  /** `critical.identity.docker-reference`, once the payload parsed. */
  identity?: string;
  /** CRI-O would accept this layer; the contract refuses it (a repeated payload key). */
  deliberate?: true;
}

export interface SignatureVerdict {
  outcome: 'verified' | 'missing' | 'invalid';
  code: ManifestCode;
  reason: string;
  /** One verdict per layer (for several requirements: under the first one that was not satisfied). */
  layers: LayerVerdict[];
  /** The layer that satisfied the (first) requirement. */
  accepted?: LayerVerdict;
}

export interface VerifyContext {
  /** The digest of the image CRI-O pulls (the instance, for a manifest list). */
  imageDigest: string;
  /** The reference CRI-O evaluates the policy against: `<release repo>@<pulled digest>`. */
  intended: DockerReference;
}

export type ManifestParseResult =
  | { ok: true; layers: LayerDescriptor[] }
  | { ok: false; code: 'MANIFEST_MEDIA_TYPE' | 'MANIFEST_INVALID'; reason: string };

/** Content-Type as containers/image simplifies it: lowercase, parameters dropped. */
export function simplifyContentType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses a `.sig` manifest like getSigstoreAttachmentManifest + manifest.OCI1FromManifest: the media type
 * must be the OCI image manifest type, the JSON must decode into an OCI manifest and must not carry
 * `manifests`, `fsLayers` or `history` (ValidateUnambiguousManifestFormat).
 */
export function parseSignatureManifest(manifest: { mediaType: string; bytes: Uint8Array }): ManifestParseResult {
  const mediaType = simplifyContentType(manifest.mediaType);
  if (mediaType !== OCI_MANIFEST_MEDIA_TYPE) {
    const hint = mediaType === DOCKER_MANIFEST_MEDIA_TYPE ? ' (cosign wrote Docker media types: COSIGN_DOCKER_MEDIA_TYPES=1?)' : '';
    return {
      ok: false,
      code: 'MANIFEST_MEDIA_TYPE',
      reason: `the signature manifest has media type ${JSON.stringify(manifest.mediaType)}${hint}; CRI-O reads only ${OCI_MANIFEST_MEDIA_TYPE} signature manifests ("unexpected MIME type for sigstore attachment manifest")`,
    };
  }
  if (manifest.bytes.byteLength > MAX_MANIFEST_BYTES) {
    return { ok: false, code: 'MANIFEST_INVALID', reason: `the signature manifest is ${manifest.bytes.byteLength} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit` };
  }
  let root: unknown;
  try {
    root = JSON.parse(Buffer.from(manifest.bytes).toString('utf8'));
  } catch (err) {
    return { ok: false, code: 'MANIFEST_INVALID', reason: `the signature manifest is not valid JSON: ${describeError(err)}` };
  }
  if (!isRecord(root)) return { ok: false, code: 'MANIFEST_INVALID', reason: 'the signature manifest is not a JSON object' };
  const ambiguous = ['fsLayers', 'history', 'manifests'].filter((k) => root[k] !== undefined && root[k] !== null);
  if (ambiguous.length > 0) {
    return { ok: false, code: 'MANIFEST_INVALID', reason: `the signature manifest is ambiguous: unexpected fields ${ambiguous.join(', ')} in an ${OCI_MANIFEST_MEDIA_TYPE}` };
  }
  const rawLayers = root.layers;
  if (rawLayers !== undefined && rawLayers !== null && !Array.isArray(rawLayers)) {
    return { ok: false, code: 'MANIFEST_INVALID', reason: 'the signature manifest\'s "layers" is not a list' };
  }
  const layers: LayerDescriptor[] = [];
  for (const [index, raw] of (rawLayers ?? []).entries()) {
    const bad = (what: string): ManifestParseResult => ({ ok: false, code: 'MANIFEST_INVALID', reason: `layer ${index + 1} of the signature manifest: ${what}` });
    if (!isRecord(raw)) return bad('not a JSON object');
    const { mediaType: mt, digest, size, annotations } = raw;
    if (mt !== undefined && mt !== null && typeof mt !== 'string') return bad('mediaType is not a string');
    if (digest !== undefined && digest !== null && typeof digest !== 'string') return bad('digest is not a string');
    if (size !== undefined && size !== null && !(typeof size === 'number' && Number.isInteger(size))) return bad('size is not an integer');
    const notes: Record<string, string> = {};
    if (annotations !== undefined && annotations !== null) {
      if (!isRecord(annotations)) return bad('annotations is not an object');
      for (const [k, v] of Object.entries(annotations)) {
        if (v !== null && typeof v !== 'string') return bad(`annotation ${JSON.stringify(k)} is not a string`);
        Object.defineProperty(notes, k, { value: v ?? '', enumerable: true, writable: true, configurable: true });
      }
    }
    layers.push({ index, mediaType: typeof mt === 'string' ? mt : '', digest: typeof digest === 'string' ? digest : '', size: typeof size === 'number' ? size : 0, annotations: notes });
  }
  return { ok: true, layers };
}

/** The hash of `bytes` under the algorithm of `digest` (sha256, sha384 or sha512). */
function hashAs(digest: string, bytes: Uint8Array): string {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

// --- cryptography -------------------------------------------------------------------------------------

const VERIFIER_OPTIONS = { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 } as const;

/**
 * Does `signature` sign `payload` under `key`? Through @sigstore/verify: a synthetic v0.3 bundle with a
 * message signature and a public-key hint, trust material that knows only this key, no transparency log,
 * certificate log or timestamp required. Node picks the scheme from the key: PKCS#1 v1.5 for RSA, ASN.1
 * DER ECDSA for EC keys.
 */
export function signatureVerifies(key: TrustedKey, payload: Uint8Array, signature: Uint8Array): boolean {
  // sigstore ED25519Verifier: pure Ed25519 over the payload.
  if (key.algorithm === 'ed25519') return rawVerify(key.key, payload, signature, {}, null);
  if (bundleVerifies(key, payload, signature)) return true;
  return key.algorithm === 'ecdsa' && p1363Verifies(key, payload, signature);
}

/**
 * sigstore/sigstore pkg/signature/ecdsa.go (v1.10): when the ASN.1 check fails, a signature of even
 * length up to 132 bytes is split in halves as r || s and checked again.
 */
function p1363Verifies(key: TrustedKey, payload: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length === 0 || signature.length > 132 || signature.length % 2 !== 0) return false;
  const size = Math.ceil(({ 'P-256': 256, 'P-384': 384, 'P-521': 521 } as Record<string, number>)[key.description.replace('ECDSA ', '')]! / 8);
  const half = signature.length / 2;
  const fit = (part: Uint8Array): Uint8Array | undefined => {
    let v = part;
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    if (v.length > size) return undefined;
    const out = new Uint8Array(size);
    out.set(v, size - v.length);
    return out;
  };
  const r = fit(signature.subarray(0, half));
  const s = fit(signature.subarray(half));
  if (!r || !s) return false;
  return rawVerify(key.key, payload, Buffer.concat([r, s]), { dsaEncoding: 'ieee-p1363' });
}

function bundleVerifies(key: TrustedKey, payload: Uint8Array, signature: Uint8Array): boolean {
  try {
    const bundle = bundleFromJSON({
      mediaType: SIGSTORE_BUNDLE_MEDIA_TYPE,
      verificationMaterial: { publicKey: { hint: key.fingerprint }, tlogEntries: [], timestampVerificationData: { rfc3161Timestamps: [] } },
      messageSignature: {
        messageDigest: { algorithm: 'SHA2_256', digest: createHash('sha256').update(payload).digest('base64') },
        signature: Buffer.from(signature).toString('base64'),
      },
    });
    const trust: TrustMaterial = {
      certificateAuthorities: [],
      timestampAuthorities: [],
      tlogs: [],
      ctlogs: [],
      publicKey: (hint: string) => {
        if (hint !== key.fingerprint) throw new Error(`unknown key hint ${hint}`);
        return { publicKey: key.key, validFor: () => true };
      },
    };
    new Verifier(trust, VERIFIER_OPTIONS).verify(toSignedEntity(bundle, Buffer.from(payload)));
    return true;
  } catch {
    // VerificationError (bad signature), or a bundle that cannot even be built (empty signature): not valid.
    return false;
  }
}

function rawVerify(key: KeyObject, payload: Uint8Array, signature: Uint8Array, options: { padding?: number; saltLength?: number; dsaEncoding?: 'der' | 'ieee-p1363' } = {}, hash: string | null = 'sha256'): boolean {
  try {
    return cryptoVerify(hash, payload, { key, ...options }, signature);
  } catch {
    return false;
  }
}

/** After a failed verification: is it a signature scheme CRI-O refuses (RSA-PSS)? */
function diagnoseScheme(keys: readonly TrustedKey[], payload: Uint8Array, signature: Uint8Array): string | undefined {
  for (const key of keys) {
    if (key.algorithm === 'rsa' && rawVerify(key.key, payload, signature, { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO })) {
      return `the signature is RSA-PSS under ${describeKey(key)}; CRI-O verifies RSA signatures with PKCS#1 v1.5 only (sign with a PKCS#1 v1.5 key, e.g. AWS KMS RSASSA_PKCS1_V1_5_SHA_256)`;
    }
  }
  return undefined;
}

/** Keys a layer itself names (a certificate, a Rekor entry): only to explain who signed it. */
function embeddedKeys(annotations: Readonly<Record<string, string>>): { key: KeyObject; from: string }[] {
  const out: { key: KeyObject; from: string }[] = [];
  const add = (pem: string | undefined, from: string): void => {
    if (!pem) return;
    try {
      out.push({ key: pem.includes('CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem), from });
    } catch {
      // not a key we can read: nothing to explain with
    }
  };
  add(annotations[CERTIFICATE_ANNOTATION], 'its certificate annotation');
  const bundle = annotations[REKOR_BUNDLE_ANNOTATION];
  if (bundle) add(publicKeyPemFromRekorBundle(bundle), 'its Rekor entry');
  return out;
}

function diagnoseSigner(annotations: Readonly<Record<string, string>>, payload: Uint8Array, signature: Uint8Array): string | undefined {
  for (const { key, from } of embeddedKeys(annotations)) {
    const kind = classifyKey(key);
    const description = kind.ok ? kind.description : (key.asymmetricKeyType ?? 'unknown');
    const ok = kind.ok && (kind.algorithm === 'rsa' ? rawVerify(key, payload, signature) : kind.algorithm === 'ed25519' ? rawVerify(key, payload, signature, {}, null) : rawVerify(key, payload, signature, { dsaEncoding: 'der' }));
    if (ok) {
      const cert = from === 'its certificate annotation' ? ' (a certificate-based signature: a PublicKey policy accepts only its configured keys)' : '';
      return `the signature verifies under the ${description} key ${shortFingerprint(fingerprintOf(key))} named by ${from}, which is not a trusted key${cert}`;
    }
  }
  return undefined;
}

// --- one layer ------------------------------------------------------------------------------------------

function describeKeys(keys: readonly TrustedKey[]): string {
  return keys.map(describeKey).join(', ');
}

/**
 * Verifies one signature (a `.sig` layer, or a containers/image `signature-N` blob) against one
 * requirement, in containers/image's order: annotation, Rekor SET, cryptographic signature, payload,
 * digest, identity.
 */
export function verifySignatureLayer(layer: SignatureLayer, requirement: SigstoreRequirement, context: VerifyContext): LayerVerdict {
  if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) {
    return { code: 'NOT_A_SIGNATURE', reason: `media type ${JSON.stringify(layer.mediaType)} is not ${SIMPLE_SIGNING_MEDIA_TYPE}; CRI-O ignores this layer` };
  }
  const b64 = layer.annotations[SIGNATURE_ANNOTATION];
  if (b64 === undefined) return { code: 'MISSING_ANNOTATION', reason: `missing ${SIGNATURE_ANNOTATION} annotation` };

  let keys: readonly TrustedKey[] = requirement.keys;
  if (requirement.rekorKeys) {
    const set = layer.annotations[REKOR_BUNDLE_ANNOTATION];
    if (set === undefined) return { code: 'REKOR_SET_MISSING', reason: `missing ${REKOR_BUNDLE_ANNOTATION} annotation, required because ${requirement.origin} configures a Rekor key` };
    const failures: string[] = [];
    const matched = keys.find((key) => {
      const result = verifyRekorSet(requirement.rekorKeys?.map((k) => k.key) ?? [], set, key.spki, b64, layer.payload);
      if (!result.ok) failures.push(`${key.name}: ${result.reason}`);
      return result.ok;
    });
    if (!matched) return { code: 'REKOR_SET_INVALID', reason: `no trusted key verified against the Rekor SET: ${failures.join('; ')}` };
    keys = [matched];
  }

  const signature = decodeStdBase64(b64);
  if (!signature) return { code: 'BAD_SIGNATURE', reason: `the ${SIGNATURE_ANNOTATION} annotation is not valid base64` };
  const signer = keys.find((key) => signatureVerifies(key, layer.payload, signature));
  if (!signer) {
    const scheme = diagnoseScheme(keys, layer.payload, signature);
    if (scheme) return { code: 'WRONG_SIGNATURE_SCHEME', reason: scheme };
    const other = diagnoseSigner(layer.annotations, layer.payload, signature);
    if (other) return { code: 'UNTRUSTED_KEY', reason: `${other}; trusted: ${describeKeys(keys)}` };
    return {
      code: 'BAD_SIGNATURE',
      reason: `the signature does not verify under ${keys.length === 1 ? 'the trusted key' : 'any trusted key'} ${describeKeys(keys)}: it was made with another key, or the payload or signature was altered`,
    };
  }
  const signerText = describeKey(signer);

  const parsed = parseSimpleSigningPayload(layer.payload);
  if (!parsed.ok) return { code: 'PAYLOAD_INVALID', reason: parsed.reason, signer: signerText };
  const { dockerManifestDigest, dockerReference } = parsed.payload;
  if (dockerManifestDigest !== context.imageDigest) {
    return {
      code: 'DIGEST_MISMATCH',
      reason: `the payload signs ${dockerManifestDigest}, not the image digest ${context.imageDigest}`,
      signer: signerText,
      identity: dockerReference,
    };
  }
  const identity = matchIdentity(requirement.identity, context.intended, dockerReference);
  if (!identity.ok) {
    return {
      code: 'IDENTITY_MISMATCH',
      reason: `${identity.reason} (rule ${describeIdentityRule(requirement.identity)} for ${referenceString(context.intended)})`,
      signer: signerText,
      identity: dockerReference,
    };
  }
  if (parsed.duplicate) return { code: 'PAYLOAD_INVALID', reason: parsed.duplicate, signer: signerText, identity: dockerReference, deliberate: true };
  return { code: 'VERIFIED', reason: `verified with ${signerText}; ${identity.reason}`, signer: signerText, identity: dockerReference };
}

// --- a whole `.sig` manifest ------------------------------------------------------------------------------

export interface SignatureManifestInput {
  manifest: { mediaType: string; bytes: Uint8Array };
  /** Layer blobs by descriptor digest; every layer of the manifest must be present. */
  blobs: ReadonlyMap<string, Uint8Array>;
  context: VerifyContext;
  trust: SigstoreTrust;
}

function layerLabel(layer: LayerDescriptor): string {
  return `layer ${layer.index + 1} (${layer.digest || 'no digest'})`;
}

/** Why a layer blob makes CRI-O reject the whole `.sig` (the same on every read). */
export type BlobDefectCode = 'MANIFEST_INVALID' | 'BLOB_MISSING' | 'BLOB_TOO_LARGE' | 'BLOB_DIGEST_MISMATCH';

export interface BlobDefect {
  code: BlobDefectCode;
  reason: string;
}

/** The checks of a layer's descriptor containers/image makes before it fetches the blob (getOCIDescriptorContents). */
export function checkLayerDescriptor(layer: LayerDescriptor): BlobDefect | undefined {
  const badDigest = validateGoDigest(layer.digest);
  if (badDigest) return { code: 'MANIFEST_INVALID', reason: `${layerLabel(layer)} of the signature manifest has an invalid digest: ${badDigest}` };
  return undefined;
}

/** The defect of a blob as read, or undefined: within the cap and hashing to its descriptor. */
export function checkLayerBlob(layer: LayerDescriptor, blob: Uint8Array): BlobDefect | undefined {
  if (blob.byteLength > MAX_LAYER_BLOB_BYTES) {
    return { code: 'BLOB_TOO_LARGE', reason: `the blob of ${layerLabel(layer)} is ${blob.byteLength} bytes, over CRI-O's ${MAX_LAYER_BLOB_BYTES}-byte limit; CRI-O rejects the image` };
  }
  const actual = hashAs(layer.digest, blob);
  if (actual !== layer.digest) {
    return { code: 'BLOB_DIGEST_MISMATCH', reason: `the blob of ${layerLabel(layer)} hashes to ${actual}, not to its descriptor digest; CRI-O rejects the image ("digest mismatch")` };
  }
  return undefined;
}

export function missingBlob(layer: LayerDescriptor): BlobDefect {
  return { code: 'BLOB_MISSING', reason: `the blob of ${layerLabel(layer)} does not exist; CRI-O reads every layer of the signature manifest and rejects the image` };
}

/**
 * Judges a `.sig` manifest blob by blob, in any order, keeping only verdicts. CRI-O reads every layer
 * blob before it evaluates the policy (appendSignaturesFromSigstoreAttachments fails on the first blob
 * it cannot read), so: any blob defect makes the whole `.sig` invalid, and a verdict of `verified`
 * needs every blob read and sound. Then, per requirement, the first accepted layer in manifest order
 * decides (policy_eval_sigstore.go); later layers are not verified once an earlier one is accepted.
 */
export class ManifestJudge {
  readonly layers: readonly LayerDescriptor[];
  private readonly trust: SigstoreTrust;
  private readonly context: VerifyContext;
  private readonly seen = new Set<number>();
  private defect: { index: number; defect: BlobDefect } | undefined;
  /** Per requirement: layer index -> verdict. */
  private readonly verdicts: Map<number, LayerVerdict>[];
  private readonly firstAccepted: number[];

  constructor(layers: readonly LayerDescriptor[], trust: SigstoreTrust, context: VerifyContext) {
    this.layers = layers;
    this.trust = trust;
    this.context = context;
    this.verdicts = trust.requirements.map(() => new Map());
    this.firstAccepted = trust.requirements.map(() => Number.POSITIVE_INFINITY);
  }

  /** True once a defect has decided the outcome: fetching more blobs cannot change it. */
  get decided(): boolean {
    return this.defect !== undefined;
  }

  /** Records a blob that could not be read soundly (missing, too large, not matching its digest). */
  addDefect(layer: LayerDescriptor, defect: BlobDefect): void {
    if (!this.defect || layer.index < this.defect.index) this.defect = { index: layer.index, defect };
    this.seen.add(layer.index);
  }

  /** Checks one blob and, for a signature layer, verifies it; the blob can be dropped afterwards. */
  addBlob(layer: LayerDescriptor, blob: Uint8Array): void {
    const defect = checkLayerDescriptor(layer) ?? checkLayerBlob(layer, blob);
    if (defect) {
      this.addDefect(layer, defect);
      return;
    }
    this.seen.add(layer.index);
    if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) return;
    this.trust.requirements.forEach((requirement, r) => {
      if (layer.index > this.firstAccepted[r]!) return;
      const verdict: LayerVerdict = {
        index: layer.index,
        digest: layer.digest,
        ...verifySignatureLayer({ mediaType: layer.mediaType, annotations: layer.annotations, payload: blob }, requirement, this.context),
      };
      this.verdicts[r]!.set(layer.index, verdict);
      if (verdict.code === 'VERIFIED') this.firstAccepted[r] = Math.min(this.firstAccepted[r]!, layer.index);
    });
  }

  verdict(): SignatureVerdict {
    if (this.defect) return { outcome: 'invalid', code: this.defect.defect.code, reason: this.defect.defect.reason, layers: [] };
    const unread = this.layers.find((l) => !this.seen.has(l.index));
    if (unread) return { outcome: 'invalid', code: 'BLOB_MISSING', reason: `internal: the blob of ${layerLabel(unread)} was never judged`, layers: [] };
    const signatureLayers = this.layers.filter((l) => l.mediaType === SIMPLE_SIGNING_MEDIA_TYPE);
    if (signatureLayers.length === 0) {
      const others = this.layers.length;
      return {
        outcome: 'missing',
        code: 'NO_SIGNATURES',
        reason:
          others === 0
            ? 'the signature manifest has no layers: no signature exists'
            : `the signature manifest has ${others} layer(s), none of media type ${SIMPLE_SIGNING_MEDIA_TYPE}: no signature exists (${others} sigstore non-signature attachment(s))`,
        layers: this.layers.map((l) => ({ index: l.index, digest: l.digest, code: 'NOT_A_SIGNATURE' as const, reason: `media type ${JSON.stringify(l.mediaType)} is not a signature` })),
      };
    }
    if (this.trust.requirements.length === 0) return { outcome: 'invalid', code: 'REJECTED', reason: 'no Sigstore requirement is configured', layers: [] };
    let firstAccepted: LayerVerdict | undefined;
    let firstVerdicts: LayerVerdict[] | undefined;
    let rejectedVerdicts: LayerVerdict[] | undefined;
    const unsatisfied: string[] = [];
    this.trust.requirements.forEach((requirement, r) => {
      const verdicts = [...this.verdicts[r]!.values()].filter((v) => (v.index ?? 0) <= this.firstAccepted[r]!).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      firstVerdicts ??= verdicts;
      const accepted = verdicts.find((v) => v.code === 'VERIFIED');
      if (accepted) {
        firstAccepted ??= accepted;
        return;
      }
      rejectedVerdicts ??= verdicts;
      unsatisfied.push(this.trust.requirements.length > 1 ? `${requirement.origin}: ${summarize(verdicts)}` : summarize(verdicts));
    });
    if (unsatisfied.length === 0 && firstAccepted) {
      return { outcome: 'verified', code: 'VERIFIED', reason: `${layerLabelOf(firstAccepted)}: ${firstAccepted.reason}`, layers: firstVerdicts ?? [], accepted: firstAccepted };
    }
    return { outcome: 'invalid', code: 'REJECTED', reason: unsatisfied.join(' AND '), layers: rejectedVerdicts ?? [] };
  }
}

/**
 * The blob checks containers/image makes while reading the attachments, before any verification:
 * undefined when every layer blob is present, within the cap and matches its digest.
 */
export function checkLayerBlobs(layers: readonly LayerDescriptor[], blobs: ReadonlyMap<string, Uint8Array>): SignatureVerdict | undefined {
  for (const layer of layers) {
    const blob = blobs.get(layer.digest);
    const defect = checkLayerDescriptor(layer) ?? (blob ? checkLayerBlob(layer, blob) : missingBlob(layer));
    if (defect) return { outcome: 'invalid', code: defect.code, reason: defect.reason, layers: [] };
  }
  return undefined;
}

function summarize(layers: readonly LayerVerdict[]): string {
  const signatures = layers.filter((l) => l.code !== 'NOT_A_SIGNATURE');
  if (signatures.length === 1) return signatures[0]?.reason ?? '';
  return `none of the ${signatures.length} signatures was accepted: ${signatures.map((l) => `layer ${(l.index ?? 0) + 1}: ${l.reason}`).join('; ')}`;
}

/** Verifies a `.sig` manifest whose blobs are all in memory (tests, small callers). */
export function verifySignatureManifest(input: SignatureManifestInput): SignatureVerdict {
  try {
    const parsed = parseSignatureManifest(input.manifest);
    if (!parsed.ok) return { outcome: 'invalid', code: parsed.code, reason: parsed.reason, layers: [] };
    const judge = new ManifestJudge(parsed.layers, input.trust, input.context);
    for (const layer of parsed.layers) {
      const blob = input.blobs.get(layer.digest);
      if (blob) judge.addBlob(layer, blob);
      else judge.addDefect(layer, checkLayerDescriptor(layer) ?? missingBlob(layer));
    }
    return judge.verdict();
  } catch (err) {
    // Unreachable by design; an exception must never become a verdict other than "invalid".
    return { outcome: 'invalid', code: 'MANIFEST_INVALID', reason: `internal error while verifying: ${describeError(err)}`, layers: [] };
  }
}

function layerLabelOf(v: LayerVerdict): string {
  return `signature layer ${(v.index ?? 0) + 1}${v.digest ? ` (${v.digest})` : ''}`;
}
