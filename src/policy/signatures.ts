/**
 * The signatures of one image as containers/image reads them for a policy decision
 * (docker/docker_image_src.go GetSignaturesWithFormat, over the sources interface; no I/O here):
 *
 *  1. the lookaside of the image's *physical* reference (registries.d): `signature-1`, `-2`, ... until
 *     the first not-found; each blob is parsed by internal/signature FromBlob: a binary OpenPGP message
 *     (first byte a compressed, one-pass-signature or signature packet tag) is a simple-signing
 *     signature; `\x00simple-signing\n...` likewise; `\x00sigstore-json\n{...}` a sigstore signature;
 *     anything else (an empty blob, text, another format) fails the whole read;
 *  2. then, only where registries.d sets use-sigstore-attachments, the `sha256-<hex>.sig` manifest of
 *     the physical repository (an OCI image manifest, or the read fails) and every layer blob (each
 *     within 4 MiB and hashing to its descriptor) as sigstore signatures of their media type.
 *
 * Any failure ends the read and, with it, every requirement that needs signatures: containers/image
 * reads them once for all requirements. A failure the same on every read (a `.sig` manifest of the
 * wrong media type, an unreadable lookaside blob) is `deterministic` (the cluster rejects); a transport
 * failure is not (the verdict is `error`).
 */
import { isDigest, toSignatureTag, type Digest } from '../model/digest.ts';
import { describeError } from '../model/errors.ts';
import type { FetchResult, SigstoreSource } from '../model/sources.ts';
import { decodeStdBase64 } from '../sigstore/encoding.ts';
import { validateGoDigest, type DockerReference } from '../sigstore/reference.ts';
import { MAX_LAYER_BLOB_BYTES, checkLayerBlobs, parseSignatureManifest } from '../sigstore/verify.ts';
import { MAX_LOOKASIDE_SIGNATURES, lookasideFor, lookasideSignatureUrl, sigstoreAttachmentsFor, type RegistriesD } from './registries-d.ts';

/** containers/image iolimits.MaxSignatureBodySize: the cap of one lookaside signature. */
export const MAX_LOOKASIDE_SIGNATURE_BYTES = 4 * 1024 * 1024;

/** What the evaluation reads through: implemented over the network in fetch.ts, in memory in tests. */
export interface PolicySources {
  /** One lookaside signature (`http(s)://` or `file://`): found, not-found (404, no such file) or error. */
  fetchLookaside(url: string): Promise<FetchResult<Uint8Array>>;
  /** `.sig` manifests and blobs of the physical repository. */
  sigstore: SigstoreSource;
}

export type ReadSignature =
  | { format: 'simple-signing'; blob: Uint8Array; source: string }
  | { format: 'sigstore'; mediaType: string; payload: Uint8Array; annotations: Readonly<Record<string, string>>; source: string };

export type SignatureRead =
  | { ok: true; signatures: ReadSignature[]; notes: string[] }
  | { ok: false; deterministic: boolean; reason: string; notes: string[] };

const OPENPGP_FIRST_BYTES = new Set([0xa0, 0xa1, 0xa2, 0xa3, 0xc8, 0x90, 0x91, 0x92, 0x3d, 0xc4, 0x88, 0x89, 0x8a, 0x8b, 0xc2]);

/** Go encoding/json field lookup: an exact key first, else a case-insensitive one. */
function goField(obj: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(obj, name)) return obj[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(obj)) if (key.toLowerCase() === lower) return obj[key];
  return undefined;
}

/** sigstoreFromBlobChunk: json.Unmarshal into {mimeType, payload []byte, annotations map[string]string}. */
function sigstoreFromJson(chunk: Uint8Array, source: string): ReadSignature | string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(chunk).toString('utf8'));
  } catch (err) {
    return `not valid JSON: ${describeError(err)}`;
  }
  if (value === null) return { format: 'sigstore', mediaType: '', payload: new Uint8Array(), annotations: {}, source };
  if (typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const obj = value as Record<string, unknown>;
  const mime = goField(obj, 'mimeType');
  if (mime !== undefined && mime !== null && typeof mime !== 'string') return 'mimeType is not a string';
  const payloadText = goField(obj, 'payload');
  let payload = new Uint8Array();
  if (payloadText !== undefined && payloadText !== null) {
    if (typeof payloadText !== 'string') return 'payload is not a base64 string';
    const decoded = decodeStdBase64(payloadText);
    if (!decoded) return 'payload is not valid base64';
    payload = new Uint8Array(decoded);
  }
  const annotations: Record<string, string> = {};
  const notes = goField(obj, 'annotations');
  if (notes !== undefined && notes !== null) {
    if (typeof notes !== 'object' || Array.isArray(notes)) return 'annotations is not an object';
    for (const [k, v] of Object.entries(notes as Record<string, unknown>)) {
      if (v !== null && typeof v !== 'string') return `annotation ${JSON.stringify(k)} is not a string`;
      Object.defineProperty(annotations, k, { value: v ?? '', enumerable: true, writable: true, configurable: true });
    }
  }
  return { format: 'sigstore', mediaType: typeof mime === 'string' ? mime : '', payload, annotations, source };
}

/** internal/signature FromBlob. A string is why the blob is not a signature. */
export function signatureFromBlob(blob: Uint8Array, source: string): ReadSignature | string {
  if (blob.byteLength === 0) return 'empty signature blob';
  const first = blob[0]!;
  if (OPENPGP_FIRST_BYTES.has(first)) return { format: 'simple-signing', blob, source };
  if (first !== 0x00) return `unrecognized signature format, starting with binary 0x${first.toString(16)}`;
  const newline = blob.indexOf(0x0a, 1);
  if (newline === -1) return 'invalid signature format, missing newline';
  const format = blob.subarray(1, newline);
  for (const b of format) if (b < 32 || b >= 0x7f) return `invalid signature format, non-ASCII byte 0x${b.toString(16)}`;
  const name = Buffer.from(format).toString('latin1');
  const chunk = blob.subarray(newline + 1);
  if (name === 'simple-signing') return { format: 'simple-signing', blob: chunk, source };
  if (name === 'sigstore-json') {
    const sig = sigstoreFromJson(chunk, source);
    return typeof sig === 'string' ? `parsing a sigstore-json signature: ${sig}` : sig;
  }
  return `unrecognized signature format ${JSON.stringify(name.slice(0, 40))}`;
}

export interface ReadOptions {
  /** The reference containers/image reads from (the mirror's, when reading a mirror); its registries.d entries apply. */
  physical: DockerReference;
  /** The digest whose signatures are read (an instance's, for a manifest list). */
  digest: Digest;
  registriesD: RegistriesD;
}

async function readLookaside(options: ReadOptions, sources: PolicySources, out: ReadSignature[], notes: string[]): Promise<SignatureRead | undefined> {
  const choice = lookasideFor(options.registriesD, options.physical);
  if (choice.builtIn) {
    // CRI-O's own node-local directory: it holds signatures only if someone put them on every node.
    notes.push(`no lookaside is configured for ${options.physical.name} in registries.d, so CRI-O reads the node-local ${choice.base}, which this tool takes to be empty`);
    return undefined;
  }
  for (let i = 1; ; i++) {
    if (i > MAX_LOOKASIDE_SIGNATURES) {
      return { ok: false, deterministic: true, reason: `the lookaside ${choice.base} served ${MAX_LOOKASIDE_SIGNATURES} signatures; containers/image assumes that is a server error and reads none`, notes };
    }
    const url = lookasideSignatureUrl(choice.base, options.physical, options.digest, i);
    if (!url.ok) return { ok: false, deterministic: true, reason: `${url.reason} (${choice.from})`, notes };
    let r: FetchResult<Uint8Array>;
    try {
      r = await sources.fetchLookaside(url.url);
    } catch (err) {
      r = { kind: 'error', source: url.url, reason: describeError(err) };
    }
    if (r.kind === 'not-found') {
      if (i === 1) notes.push(`the lookaside ${choice.base} (${choice.from}) has no signature for ${options.digest}`);
      return undefined;
    }
    if (r.kind === 'error') return { ok: false, deterministic: false, reason: `could not read lookaside signature ${r.source}: ${r.reason}`, notes };
    const sig = signatureFromBlob(r.value, r.source);
    if (typeof sig === 'string') return { ok: false, deterministic: true, reason: `lookaside signature ${r.source} cannot be read: ${sig}; containers/image then reads no signature at all`, notes };
    out.push(sig);
  }
}

async function readAttachments(options: ReadOptions, sources: PolicySources, out: ReadSignature[], notes: string[]): Promise<SignatureRead | undefined> {
  const use = sigstoreAttachmentsFor(options.registriesD, options.physical);
  if (!use.enabled) {
    notes.push(`registries.d does not enable use-sigstore-attachments for ${options.physical.name} (${use.from}), so CRI-O does not read its ${toSignatureTag(options.digest)} tag`);
    return undefined;
  }
  const where = `${sources.sigstore.repository}:${toSignatureTag(options.digest)}`;
  let manifest;
  try {
    manifest = await sources.sigstore.getSignatureManifest(options.digest);
  } catch (err) {
    return { ok: false, deterministic: false, reason: `could not read ${where}: ${describeError(err)}`, notes };
  }
  if (manifest.kind === 'error') return { ok: false, deterministic: false, reason: `could not read ${where}: ${manifest.reason}`, notes };
  if (manifest.kind === 'not-found') {
    notes.push(`${where} does not exist`);
    return undefined;
  }
  const parsed = parseSignatureManifest(manifest.value);
  if (!parsed.ok) return { ok: false, deterministic: true, reason: `${where}: ${parsed.reason}`, notes };
  const blobs = new Map<string, Uint8Array>();
  for (const layer of parsed.layers) {
    if (!isDigest(layer.digest) && validateGoDigest(layer.digest) === undefined) {
      // A valid sha384/sha512 digest CRI-O could fetch; this tool reads sha256 blobs only.
      return { ok: false, deterministic: false, reason: `layer ${layer.index + 1} of ${where} uses digest ${layer.digest}; this tool fetches sha256 blobs only`, notes };
    }
    if (blobs.has(layer.digest) || !isDigest(layer.digest)) continue;
    let r: FetchResult<Uint8Array>;
    try {
      r = await sources.sigstore.getBlob(layer.digest, MAX_LAYER_BLOB_BYTES);
    } catch (err) {
      r = { kind: 'error', source: layer.digest, reason: describeError(err) };
    }
    if (r.kind === 'error') return { ok: false, deterministic: false, reason: `could not read the blob of layer ${layer.index + 1} (${layer.digest}) of ${where}: ${r.reason}`, notes };
    if (r.kind === 'found') blobs.set(layer.digest, r.value);
  }
  const problem = checkLayerBlobs(parsed.layers, blobs);
  if (problem) return { ok: false, deterministic: true, reason: `${where}: ${problem.reason}`, notes };
  for (const layer of parsed.layers) {
    out.push({ format: 'sigstore', mediaType: layer.mediaType, payload: blobs.get(layer.digest) ?? new Uint8Array(), annotations: layer.annotations, source: `${manifest.source} layer ${layer.index + 1}` });
  }
  return undefined;
}

/** Every signature containers/image would hand the policy for `options.digest`, or why the read failed. */
export async function readSignatures(options: ReadOptions, sources: PolicySources): Promise<SignatureRead> {
  const signatures: ReadSignature[] = [];
  const notes: string[] = [];
  const failed = (await readLookaside(options, sources, signatures, notes)) ?? (await readAttachments(options, sources, signatures, notes));
  return failed ?? { ok: true, signatures, notes };
}
