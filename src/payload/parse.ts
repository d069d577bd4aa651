/**
 * The files of a payload's `release-manifests/` directory, parsed as their consumers read them. Pure:
 * bytes in, typed values or a SigcheckError (PAYLOAD_INVALID) out.
 *
 *  - `release-metadata`: Cincinnati's `Metadata` (openshift/cincinnati
 *    cincinnati/src/plugins/internal/graph_builder/release.rs): `kind` must be `cincinnati-metadata-v0`,
 *    `version` a SemVer version, `previous` and `next` lists of versions (absent: empty), `metadata` a
 *    map of strings (absent: empty); other keys are ignored, as serde does. Read as strict JSON (a
 *    duplicate key is refused: two readers could disagree on the version).
 *  - `image-references`: an ImageStream, accepted only with `kind: ImageStream` and
 *    `apiVersion: image.openshift.io/v1` (openshift/oc pkg/cli/admin/release/image_mapper.go
 *    readReleaseImageReferences); each `spec.tags[]` whose `from.kind` is `DockerImage` names a
 *    component by `from.name` (tags of another kind are skipped, as oc skips them).
 *  - the cluster-update-keys ConfigMap (`release-verification` in `openshift-config-managed`) and the
 *    ClusterImagePolicy manifests (openshift/cluster-update-keys manifests.rhel/), recognised by their
 *    content, not their file name.
 */
import { createHash } from 'node:crypto';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { yamlOverBudget } from '../yaml/budget.ts';
import { SigcheckError, describeError } from '../model/errors.ts';
import { isDigest } from '../model/digest.ts';
import { parseReleaseName } from '../model/version.ts';
import { JsonNumber, decodeUtf8Strict, isJsonObject, parseStrictJson, type JsonValue } from '../json/strict.ts';
import { parseNormalizedNamed } from '../sigstore/reference.ts';
import type { ComponentReference, PayloadManifestFile, ReleaseMetadata, UnreadableReference } from '../model/payload.ts';

export const RELEASE_MANIFESTS_DIR = 'release-manifests/';
export const RELEASE_METADATA_FILE = 'release-metadata';
export const IMAGE_REFERENCES_FILE = 'image-references';

/** release-metadata is a few KiB (its `previous` list holds at most a few hundred versions). */
export const RELEASE_METADATA_MAX_BYTES = 1024 * 1024;
/** image-references of a real payload is ~100 KiB for ~200 components. */
export const IMAGE_REFERENCES_MAX_BYTES = 16 * 1024 * 1024;
/** A manifest looked at for the update keys or an image policy; those are a few KiB. */
export const MANIFEST_CANDIDATE_MAX_BYTES = 1024 * 1024;
/** More tags than any payload has (about 200); a longer list is refused before it is walked. */
export const MAX_IMAGE_REFERENCES = 10_000;

export const METADATA_KIND = 'cincinnati-metadata-v0';

function invalid(where: string, message: string): never {
  throw new SigcheckError('PAYLOAD_INVALID', `${where}: ${message}`);
}

function stringList(v: JsonValue | undefined, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) invalid(where, 'is not a list');
  return v.map((item, i) => {
    if (typeof item !== 'string') invalid(`${where}[${i}]`, 'is not a string');
    return item;
  });
}

export function parseReleaseMetadata(bytes: Uint8Array, where = RELEASE_MANIFESTS_DIR + RELEASE_METADATA_FILE): ReleaseMetadata {
  let doc: JsonValue;
  try {
    doc = parseStrictJson(bytes, { maxBytes: RELEASE_METADATA_MAX_BYTES, maxDepth: 8 });
  } catch (err) {
    invalid(where, `is not valid JSON (${describeError(err)})`);
  }
  if (!isJsonObject(doc)) invalid(where, 'is not a JSON object');
  const kind = doc['kind'];
  if (kind !== METADATA_KIND) invalid(where, `kind is ${JSON.stringify(kind)}, not ${METADATA_KIND}`);
  const version = doc['version'];
  if (typeof version !== 'string') invalid(where, 'has no version string');
  const parsed = parseReleaseName(version);
  if (!parsed.ok) invalid(where, `version ${parsed.reason}`);
  const metadata: Record<string, string> = {};
  const m = doc['metadata'];
  if (m !== undefined && m !== null) {
    if (!isJsonObject(m)) invalid(`${where} metadata`, 'is not an object');
    for (const [k, v] of Object.entries(m)) {
      if (typeof v !== 'string') invalid(`${where} metadata ${JSON.stringify(k.slice(0, 80))}`, 'is not a string');
      metadata[k] = v;
    }
  }
  return { kind, version, previous: stringList(doc['previous'], `${where} previous`), next: stringList(doc['next'], `${where} next`), metadata };
}

/** A strict-JSON tree as plain values (numbers as numbers), as JSON.parse would give. */
function toPlain(v: JsonValue): unknown {
  if (v instanceof JsonNumber) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ImageReferences {
  components: ComponentReference[];
  unreadable: UnreadableReference[];
}

/**
 * The components of an image-references ImageStream: every DockerImage tag, with its repository
 * normalised as containers/image does and its digest; references this tool cannot check (by tag, by
 * another digest algorithm, unparsable) come back in `unreadable`.
 */
export function parseImageReferences(bytes: Uint8Array, where = RELEASE_MANIFESTS_DIR + IMAGE_REFERENCES_FILE): ImageReferences {
  if (bytes.byteLength > IMAGE_REFERENCES_MAX_BYTES) invalid(where, `is ${bytes.byteLength} bytes, over the ${IMAGE_REFERENCES_MAX_BYTES}-byte limit`);
  let doc: unknown;
  try {
    // oc reads it with sigs.k8s.io/yaml: JSON, or YAML. ART writes JSON, which the strict JSON reader
    // takes in a fraction of the time and memory a YAML parser needs; anything else is read as YAML.
    const text = decodeUtf8Strict(bytes);
    if (text.trimStart().startsWith('{')) doc = toPlain(parseStrictJson(text, { maxBytes: IMAGE_REFERENCES_MAX_BYTES, maxDepth: 16 }));
    else {
      const over = yamlOverBudget(text);
      if (over) invalid(where, `is not parsed: ${over}`);
      doc = parseYaml(text, { uniqueKeys: true, maxAliasCount: 0, prettyErrors: false });
    }
  } catch (err) {
    invalid(where, `is not a readable ImageStream (${describeError(err).split('\n')[0]})`);
  }
  if (!isRecord(doc) || doc.kind !== 'ImageStream' || doc.apiVersion !== 'image.openshift.io/v1') {
    invalid(where, 'is not an image.openshift.io/v1 ImageStream (oc refuses it: "unrecognized image-references in release payload")');
  }
  const spec = doc.spec;
  const tags = isRecord(spec) ? spec.tags : undefined;
  if (tags === undefined || tags === null) return { components: [], unreadable: [] };
  if (!Array.isArray(tags)) invalid(`${where} spec.tags`, 'is not a list');
  if (tags.length > MAX_IMAGE_REFERENCES) invalid(`${where} spec.tags`, `holds ${tags.length} tags, more than the ${MAX_IMAGE_REFERENCES} this tool reads`);
  const components: ComponentReference[] = [];
  const unreadable: UnreadableReference[] = [];
  tags.forEach((tag: unknown, i) => {
    if (!isRecord(tag)) invalid(`${where} spec.tags[${i}]`, 'is not an object');
    const name = typeof tag.name === 'string' ? tag.name : '';
    const from = tag.from;
    if (!isRecord(from) || from.kind !== 'DockerImage') return;
    const reference = typeof from.name === 'string' ? from.name : '';
    if (name === '') {
      unreadable.push({ name: `spec.tags[${i}]`, reference: reference.slice(0, 300), reason: 'the tag has no name' });
      return;
    }
    const parsed = parseNormalizedNamed(reference);
    if (!parsed.ok) {
      unreadable.push({ name, reference: reference.slice(0, 300), reason: `not an image reference: ${parsed.reason}` });
      return;
    }
    const digest = parsed.ref.digest;
    if (digest === undefined || !isDigest(digest)) {
      unreadable.push({
        name,
        reference,
        reason: digest === undefined ? 'not pulled by digest; a release names every component by sha256 digest' : `digest ${digest} is not sha256; this tool checks sha256 digests only`,
      });
      return;
    }
    components.push({ name, reference, repository: parsed.ref.name, digest });
  });
  return { components, unreadable };
}

export type ManifestKind = 'update-keys' | 'image-policy';

/** A cheap test before any YAML is parsed: most of the ~800 manifests of a payload are neither. */
export function mayBeTrustManifest(text: string): boolean {
  return text.includes('ClusterImagePolicy') || text.includes('release-verification');
}

/**
 * Whether a manifest file is the cluster-update-keys ConfigMap (kind ConfigMap, `release-verification`
 * in `openshift-config-managed`, the one the cluster-version operator reads its keyring from) or a
 * ClusterImagePolicy; undefined for anything else, including text that is not YAML.
 */
const classified = new Map<string, ManifestKind | undefined>();

export function classifyManifest(path: string, bytes: Uint8Array): { kind: ManifestKind; file: PayloadManifestFile } | undefined {
  let text: string;
  try {
    text = decodeUtf8Strict(bytes);
  } catch {
    return undefined;
  }
  if (!mayBeTrustManifest(text)) return undefined;
  // Consecutive releases ship the same keys and policy: parse each text once.
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (classified.has(sha256)) {
    const kind = classified.get(sha256);
    return kind ? { kind, file: { path, text, sha256 } } : undefined;
  }
  const kind = classifyText(text);
  if (classified.size >= 256) classified.delete(classified.keys().next().value as string);
  classified.set(sha256, kind);
  return kind ? { kind, file: { path, text, sha256 } } : undefined;
}

function classifyText(text: string): ManifestKind | undefined {
  // Too large to parse is not a trust manifest: its release then ships no keys or policy this tool reads.
  if (yamlOverBudget(text)) return undefined;
  let docs;
  try {
    // The ConfigMap OpenShift ships repeats `namespace:` (cluster-update-keys manifests.rhel): the
    // cluster's decoder keeps the last value, and so does this one.
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
  } catch {
    return undefined;
  }
  const list = Array.isArray(docs) ? docs : [docs];
  let kind: ManifestKind | undefined;
  for (const doc of list) {
    if (doc.errors.length > 0) return undefined;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 50 });
    } catch {
      return undefined;
    }
    if (!isRecord(value)) continue;
    const metadata = isRecord(value.metadata) ? value.metadata : {};
    if (value.kind === 'ClusterImagePolicy') kind ??= 'image-policy';
    else if (value.kind === 'ConfigMap' && metadata.name === 'release-verification' && metadata.namespace === 'openshift-config-managed') kind ??= 'update-keys';
  }
  return kind;
}
