/**
 * Reads a release payload the way its consumers find it: the image manifest (for a manifest list, its
 * first instance, as Cincinnati's scraper does: release_scrape_dockerv2/registry/mod.rs), the image
 * config (its architecture), then the layers from the top down until `release-manifests/` has given
 * both `release-metadata` and `image-references` (oc adm release extract walks the layers from the
 * highest and stops once it has both; Cincinnati stops at the first layer with release-metadata).
 * Lower layers (the base image, tens of MB) are never downloaded once the manifests are found.
 *
 * Every blob is verified against its digest while it streams; a defect that is the same on every read
 * (no manifests, a layer of an unknown media type, over a cap, corrupt, not hashing to its digest
 * after a second read) is `invalid`; what could not be read (network, 5xx, timeouts) is `error`, after
 * the layer was read again up to the retry budget.
 */
import type { ResolvedImage } from '../model/checkers.ts';
import { toDigest, type Digest } from '../model/digest.ts';
import { describeError, isSigcheckError, type ErrorCode } from '../model/errors.ts';
import type { ManifestBytes } from '../model/sources.ts';
import type { PayloadContents, PayloadManifestFile, PayloadRead } from '../model/payload.ts';
import { formatBytes } from '../http/body.ts';
import { BLOB_MAX_BYTES } from '../http/limits.ts';
import { parseConfigArchitecture, parseManifest, type Descriptor } from '../registry/manifest.ts';
import type { PayloadSource } from './fetch.ts';
import { KNOWN_LAYER_MEDIA_TYPES, layerCompression, scanLayer, type EntryDecision } from './layer.ts';
import {
  IMAGE_REFERENCES_FILE,
  IMAGE_REFERENCES_MAX_BYTES,
  MANIFEST_CANDIDATE_MAX_BYTES,
  RELEASE_MANIFESTS_DIR,
  RELEASE_METADATA_FILE,
  RELEASE_METADATA_MAX_BYTES,
  classifyManifest,
  parseImageReferences,
  parseReleaseMetadata,
} from './parse.ts';

/** A real payload's manifests layer is a few MB compressed; the whole release image a few hundred MB. */
export const DEFAULT_PAYLOAD_MAX_DOWNLOAD = 512 * 1024 * 1024;
/** Its manifests unpack to some tens of MB; the base layers, read only when no higher layer has them, to a few hundred. */
export const DEFAULT_PAYLOAD_MAX_UNPACKED = 2 * 1024 * 1024 * 1024;

export interface PayloadReadOptions {
  /** Compressed bytes downloaded for one payload, all layers together. */
  maxDownloadBytes: number;
  /** Bytes unpacked for one payload, all layers together. */
  maxUnpackedBytes: number;
  /** Times a layer whose stream broke (or did not hash to its digest) is read again. */
  retries: number;
  /** Option names for messages. */
  options?: { download: string; unpacked: string };
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_OPTION_NAMES = { download: 'payload-max-download', unpacked: 'payload-max-unpacked' };

/** Codes of a layer read that say "the same on every read". */
class Invalid extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

class Transient extends Error {}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readManifest(source: PayloadSource, digest: Digest, image: ResolvedImage, what: string): Promise<ManifestBytes> {
  if (image.manifest && image.manifest.digest === digest) return image.manifest;
  const got = await source.getManifest(digest);
  if (got.kind === 'error') throw new Transient(`could not read the ${what} ${source.repository}@${digest}: ${got.reason}`);
  if (got.kind === 'not-found') throw new Invalid('PAYLOAD_INVALID', `the ${what} ${source.repository}@${digest} is not in the repository (404)`);
  return got.value;
}

function wanted(relative: string, _size: number): EntryDecision {
  if (relative === RELEASE_METADATA_FILE) return { read: true, maxBytes: RELEASE_METADATA_MAX_BYTES, required: true };
  if (relative === IMAGE_REFERENCES_FILE) return { read: true, maxBytes: IMAGE_REFERENCES_MAX_BYTES, required: true };
  // Candidates for the update keys and the image policies: top-level manifests, looked at by content.
  if (!relative.includes('/') && /\.(ya?ml|json)$/.test(relative)) return { read: true, maxBytes: MANIFEST_CANDIDATE_MAX_BYTES, required: false };
  return { read: false };
}

interface Found {
  metadata?: Uint8Array;
  references?: Uint8Array;
  updateKeys?: PayloadManifestFile;
  imagePolicies: PayloadManifestFile[];
  seen: Set<string>;
  layer?: { index: number; digest: Digest };
}

export async function readPayload(image: ResolvedImage, source: PayloadSource, options: PayloadReadOptions): Promise<PayloadRead> {
  try {
    return { kind: 'read', contents: await read(image, source, options) };
  } catch (err) {
    if (err instanceof Invalid) return { kind: 'invalid', code: err.code, reason: err.message };
    if (err instanceof Transient) return { kind: 'error', reason: err.message };
    return { kind: 'error', reason: `internal error reading the payload ${source.repository}@${image.digest}: ${describeError(err)}` };
  }
}

async function read(image: ResolvedImage, source: PayloadSource, options: PayloadReadOptions): Promise<PayloadContents> {
  const names = options.options ?? DEFAULT_OPTION_NAMES;
  const sleep = options.sleep ?? realSleep;
  const first = image.instances?.[0];
  const target = first ? first.digest : image.digest;
  const label = first ? `first instance ${target} of manifest list ${image.digest}` : `${image.digest}`;
  const manifestBytes = await readManifest(source, target, image, first ? 'first instance of the manifest list' : 'release image manifest');
  let manifest;
  try {
    manifest = parseManifest(manifestBytes.bytes, manifestBytes.mediaType, `${source.repository}@${target}`);
  } catch (err) {
    throw new Invalid('PAYLOAD_INVALID', describeError(err));
  }
  if (manifest.kind !== 'image') throw new Invalid('PAYLOAD_INVALID', `${source.repository}@${target} (${label}) is a manifest list, not an image whose layers hold release-manifests/`);

  const config = await source.getBlob(toDigest(manifest.config.digest), BLOB_MAX_BYTES);
  if (config.kind === 'not-found') throw new Invalid('PAYLOAD_INVALID', `the image config ${manifest.config.digest} of ${source.repository}@${target} is not in the repository (404)`);
  if (config.kind === 'error') {
    if (config.code === 'DIGEST_MISMATCH' || config.code === 'HTTP_BODY_TOO_LARGE') throw new Invalid(config.code, config.reason);
    throw new Transient(`could not read the image config of ${source.repository}@${target}: ${config.reason}`);
  }
  let configArch: string;
  try {
    configArch = parseConfigArchitecture(config.value, config.source);
  } catch (err) {
    throw new Invalid('PAYLOAD_INVALID', describeError(err));
  }

  const found: Found = { imagePolicies: [], seen: new Set() };
  let downloaded = 0;
  let unpacked = 0;
  const layers = manifest.layers;
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index] as Descriptor;
    const where = `layer ${index + 1} of ${layers.length} (${layer.digest}) of ${source.repository}@${target}`;
    const compression = layerCompression(layer.mediaType);
    if (!compression) {
      throw new Invalid('PAYLOAD_MEDIA_TYPE', `${where} has media type ${JSON.stringify(layer.mediaType.slice(0, 120))}, which is not a layer type this tool can unpack (${KNOWN_LAYER_MEDIA_TYPES.join(', ')})`);
    }
    if (downloaded + layer.size > options.maxDownloadBytes) {
      throw new Invalid('PAYLOAD_TOO_LARGE', `${where} is ${layer.size} bytes; with the ${downloaded} bytes read before it, that is over the payload download cap of ${formatBytes(options.maxDownloadBytes)}. Raise --${names.download} if this payload is genuine`);
    }
    const scan = await readLayer(source, layer, where, {
      compression,
      budget: { unpacked: options.maxUnpackedBytes - unpacked },
      seen: found.seen,
      unpackedOption: names.unpacked,
      retries: options.retries,
      sleep,
      found,
    });
    downloaded += layer.size;
    unpacked += scan.unpacked;
    if (scan.defect) throw new Invalid(scan.defect.code, scan.defect.message);
    // The layer matched its digest: what was read from it counts.
    const before = found.metadata !== undefined || found.references !== undefined;
    for (const relative of scan.files.keys()) found.seen.add(RELEASE_MANIFESTS_DIR + relative);
    found.metadata ??= scan.pending.metadata;
    found.references ??= scan.pending.references;
    found.updateKeys ??= scan.pending.updateKeys;
    found.imagePolicies.push(...scan.pending.imagePolicies);
    if (!before && (found.metadata !== undefined || found.references !== undefined)) found.layer = { index, digest: layer.digest };
    if (found.metadata && found.references) break;
  }
  if (!found.metadata && !found.references) {
    throw new Invalid('PAYLOAD_NO_MANIFESTS', `no layer of ${source.repository}@${target} (${label}) holds release-manifests/release-metadata or release-manifests/image-references: it is not a release payload`);
  }
  if (!found.metadata) throw new Invalid('PAYLOAD_NO_MANIFESTS', `no layer of ${source.repository}@${target} holds release-manifests/release-metadata: Cincinnati would not take it for a release`);
  if (!found.references) throw new Invalid('PAYLOAD_NO_MANIFESTS', `no layer of ${source.repository}@${target} holds release-manifests/image-references: oc refuses it ("release image did not contain any image-references content")`);
  let metadata;
  let references;
  try {
    metadata = parseReleaseMetadata(found.metadata, `${source.repository}@${target} ${RELEASE_MANIFESTS_DIR}${RELEASE_METADATA_FILE}`);
    references = parseImageReferences(found.references, `${source.repository}@${target} ${RELEASE_MANIFESTS_DIR}${IMAGE_REFERENCES_FILE}`);
  } catch (err) {
    throw new Invalid(isSigcheckError(err) ? err.code : 'PAYLOAD_INVALID', describeError(err));
  }
  const contents: PayloadContents = {
    digest: image.digest,
    manifest: target,
    configArch,
    layer: found.layer ?? { index: layers.length - 1, digest: (layers[layers.length - 1] as Descriptor).digest },
    metadata,
    components: references.components,
    imagePolicies: found.imagePolicies,
  };
  if (references.unreadable.length > 0) contents.unreadable = references.unreadable;
  if (found.updateKeys) contents.updateKeys = found.updateKeys;
  return contents;
}

interface LayerReadOptions {
  compression: 'tar' | 'gzip' | 'zstd';
  budget: { unpacked: number };
  seen: ReadonlySet<string>;
  unpackedOption: string;
  retries: number;
  sleep: (ms: number) => Promise<void>;
  found: Found;
}

interface Pending {
  metadata?: Uint8Array;
  references?: Uint8Array;
  updateKeys?: PayloadManifestFile;
  imagePolicies: PayloadManifestFile[];
}

/** One layer, read again after a broken stream (up to the retry budget) or a digest mismatch (once). */
async function readLayer(source: PayloadSource, layer: Descriptor, where: string, options: LayerReadOptions) {
  let mismatches = 0;
  for (let attempt = 0; ; attempt++) {
    const opened = await source.openBlob(layer.digest, layer.size);
    if (opened.kind === 'not-found') throw new Invalid('PAYLOAD_INVALID', `${where} is not in the repository (404); no client can pull this image`);
    if (opened.kind === 'error') {
      if (opened.code === 'HTTP_BODY_TOO_LARGE') throw new Invalid('PAYLOAD_TOO_LARGE', `${where}: ${opened.reason}`);
      // The HTTP layer has already spent its retries on this request.
      throw new Transient(`could not read ${where}: ${opened.reason}`);
    }
    const found = options.found;
    const pending: Pending = { imagePolicies: [] };
    const onFile = (relative: string, bytes: Uint8Array): boolean => {
      if (relative === RELEASE_METADATA_FILE) pending.metadata ??= bytes;
      else if (relative === IMAGE_REFERENCES_FILE) pending.references ??= bytes;
      else {
        const classified = classifyManifest(RELEASE_MANIFESTS_DIR + relative, bytes);
        if (classified?.kind === 'update-keys') pending.updateKeys ??= classified.file;
        else if (classified?.kind === 'image-policy') pending.imagePolicies.push(classified.file);
      }
      // Everything wanted: both files, the keys and a policy; else the layer is read to its end.
      return (
        (found.metadata ?? pending.metadata) !== undefined &&
        (found.references ?? pending.references) !== undefined &&
        (found.updateKeys ?? pending.updateKeys) !== undefined &&
        found.imagePolicies.length + pending.imagePolicies.length > 0
      );
    };
    try {
      const scan = await scanLayer(opened.value.chunks, {
        compression: options.compression,
        where,
        budget: options.budget,
        seen: options.seen,
        unpackedOption: options.unpackedOption,
        decide: wanted,
        onFile,
      });
      return { ...scan, pending };
    } catch (err) {
      opened.value.cancel();
      const code = isSigcheckError(err) ? err.code : undefined;
      if (code === 'HTTP_BODY_TOO_LARGE') throw new Invalid('PAYLOAD_TOO_LARGE', `${where}: the registry sent more than the ${layer.size} bytes its descriptor says: it is not this blob`);
      if (code === 'DIGEST_MISMATCH') {
        mismatches++;
        if (mismatches > 1) throw new Invalid('DIGEST_MISMATCH', `${describeError(err)} (read twice, the same both times)`);
      } else if (attempt >= options.retries) {
        throw new Transient(`could not read ${where}: ${describeError(err)} (read ${attempt + 1} time${attempt === 0 ? '' : 's'}); run again later, or raise --retries/--timeout`);
      }
      source.noteRetry?.();
      await options.sleep(Math.min(2000, 100 * 2 ** attempt));
    }
  }
}
