/**
 * The four manifest media types a release resolver must accept (graph-data.md 3.4: asking for fewer
 * made Quay convert a manifest to schema 1, with another digest), and a strict reading of manifests
 * and indexes. Pure: bytes in, typed manifest or SigcheckError out.
 */
import { toDigest, type Digest } from '../model/digest.ts';
import { SigcheckError } from '../model/errors.ts';
import { parseStrictJson, type JsonObject, type JsonValue } from '../json/strict.ts';
import { JsonNumber } from '../json/strict.ts';
import { MANIFEST_MAX_BYTES } from '../http/limits.ts';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

export const INDEX_MEDIA_TYPES: readonly string[] = [OCI_INDEX, DOCKER_MANIFEST_LIST];
export const IMAGE_MEDIA_TYPES: readonly string[] = [OCI_MANIFEST, DOCKER_MANIFEST];
export const MANIFEST_MEDIA_TYPES: readonly string[] = [...INDEX_MEDIA_TYPES, ...IMAGE_MEDIA_TYPES];

/** The Accept header of every manifest request. */
export const MANIFEST_ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  artifactType?: string;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] };

/** `application/json; charset=utf-8` -> `application/json`. */
export function baseMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function fail(where: string, message: string): never {
  throw new SigcheckError('INVALID_REFERENCE', `${where}: ${message}`);
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function toDescriptor(v: JsonValue | undefined, where: string): Descriptor {
  if (!isObject(v)) fail(where, 'a descriptor is not an object');
  const mediaType = str(v['mediaType']);
  if (mediaType === undefined) fail(where, 'a descriptor has no mediaType');
  const digest = toDigest(v['digest'], `${where}: descriptor digest`);
  const size = v['size'];
  if (!(size instanceof JsonNumber) || !size.isIntegerLiteral() || size.value < 0) fail(where, `descriptor ${digest} has no valid size`);
  const d: Descriptor = { mediaType, digest, size: size.value };
  const artifactType = str(v['artifactType']);
  if (artifactType !== undefined) d.artifactType = artifactType;
  const platform = v['platform'];
  if (isObject(platform)) {
    const p: Platform = { architecture: str(platform['architecture']) ?? '', os: str(platform['os']) ?? '' };
    const variant = str(platform['variant']);
    if (variant !== undefined) p.variant = variant;
    d.platform = p;
  }
  const annotations = v['annotations'];
  if (isObject(annotations)) {
    const a: Record<string, string> = {};
    for (const [k, val] of Object.entries(annotations)) if (typeof val === 'string') a[k] = val;
    d.annotations = a;
  }
  return d;
}

/**
 * Reads a manifest or index. The media type comes from the body's `mediaType` and must agree with
 * the Content-Type the registry sent (when that names a manifest type); schema 1 is refused.
 */
export function parseManifest(bytes: Uint8Array, contentType: string | undefined, where: string): ParsedManifest {
  let doc: JsonValue;
  try {
    doc = parseStrictJson(bytes, { maxBytes: MANIFEST_MAX_BYTES, maxDepth: 16 });
  } catch (err) {
    fail(where, `the manifest is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(doc)) fail(where, 'the manifest is not a JSON object');
  const schemaVersion = doc['schemaVersion'];
  if (!(schemaVersion instanceof JsonNumber) || schemaVersion.text !== '2') {
    fail(where, `schemaVersion ${schemaVersion instanceof JsonNumber ? schemaVersion.text : 'missing'} is not supported (only schema 2 and OCI manifests are)`);
  }
  const header = baseMediaType(contentType);
  const declared = str(doc['mediaType']);
  let mediaType: string;
  if (declared !== undefined) {
    if (MANIFEST_MEDIA_TYPES.includes(header) && header !== declared) {
      fail(where, `the registry sent Content-Type ${header} for a manifest whose mediaType is ${declared}`);
    }
    mediaType = declared;
  } else if (MANIFEST_MEDIA_TYPES.includes(header)) {
    mediaType = header;
  } else {
    // An OCI manifest may omit mediaType; tell an index from an image by its fields.
    mediaType = Array.isArray(doc['manifests']) ? OCI_INDEX : OCI_MANIFEST;
  }
  if (INDEX_MEDIA_TYPES.includes(mediaType)) {
    const list = doc['manifests'];
    if (!Array.isArray(list)) fail(where, `the ${mediaType} has no manifests array`);
    return { kind: 'index', mediaType, manifests: list.map((m, i) => toDescriptor(m, `${where} manifests[${i}]`)) };
  }
  if (IMAGE_MEDIA_TYPES.includes(mediaType)) {
    const layers = doc['layers'];
    if (!Array.isArray(layers)) fail(where, `the ${mediaType} has no layers array`);
    return {
      kind: 'image',
      mediaType,
      config: toDescriptor(doc['config'], `${where} config`),
      layers: layers.map((l, i) => toDescriptor(l, `${where} layers[${i}]`)),
    };
  }
  fail(where, `media type ${mediaType} is not a manifest type this tool reads (${MANIFEST_MEDIA_TYPES.join(', ')})`);
}

/** The `architecture` of an image config blob. */
export function parseConfigArchitecture(bytes: Uint8Array, where: string): string {
  let doc: JsonValue;
  try {
    doc = parseStrictJson(bytes, { maxBytes: MANIFEST_MAX_BYTES, maxDepth: 64 });
  } catch (err) {
    fail(where, `the image config is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(doc)) fail(where, 'the image config is not a JSON object');
  const arch = str(doc['architecture']);
  if (arch === undefined || arch === '') fail(where, 'the image config names no architecture');
  return arch;
}
