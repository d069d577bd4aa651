/**
 * Offline Sigstore checks: an OCI image layout directory (`oci-layout`, `index.json`,
 * `blobs/sha256/<hex>`) holding a `.sig` artifact, as `skopeo copy docker://R:sha256-<hex>.sig oci:DIR:sha256-<hex>.sig`
 * or oc-mirror write it, read as a SigstoreSource.
 *
 * Which manifest is the `.sig` of a digest: the index entry whose `org.opencontainers.image.ref.name` is
 * `sha256-<hex>.sig` (or ends with `:sha256-<hex>.sig`); failing that, when no entry carries a ref name and
 * there is exactly one manifest (oc-mirror keeps one `.sig` per layout), that one; its payload must still
 * sign the digest, so a layout for another image is `invalid`, not `verified`.
 *
 * Digests are validated before any path is built, every read is capped, and blobs are hash-checked.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../model/errors.ts';
import { digestHex, isDigest, toSignatureTag, type Digest } from '../model/digest.ts';
import type { ResolvedImage } from '../model/checkers.ts';
import type { FetchResult, ManifestBytes, ReferrerDescriptor, SigstoreSource } from '../model/sources.ts';
import type { CheckResult } from '../model/results.ts';
import { checkSigstore } from './check.ts';
import type { SigstoreTrust } from './policy.ts';
import { MAX_MANIFEST_BYTES } from './verify.ts';

const REF_NAME = 'org.opencontainers.image.ref.name';
const MAX_INDEX_BYTES = 4 * 1024 * 1024;
const MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];

interface IndexEntry {
  mediaType: string;
  digest: string;
  artifactType?: string;
  refName?: string;
}

type Read = { kind: 'found'; bytes: Buffer } | { kind: 'not-found' } | { kind: 'error'; reason: string; code?: 'FILE_TOO_LARGE' };

/** Reads at most `max` bytes of a file; larger files are an error, a missing file is not-found. */
async function readCapped(path: string, max: number): Promise<Read> {
  let handle;
  try {
    // O_NONBLOCK: a FIFO in a layout must not hang the open; fstat below refuses anything but a regular file.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'not-found' };
    return { kind: 'error', reason: describeError(err) };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { kind: 'error', reason: `${path} is not a regular file` };
    if (stat.size > max) return { kind: 'error', reason: `${path} is ${stat.size} bytes, over the ${max}-byte limit`, code: 'FILE_TOO_LARGE' };
    const buffer = Buffer.alloc(max + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > max) return { kind: 'error', reason: `${path} is over the ${max}-byte limit`, code: 'FILE_TOO_LARGE' };
    }
    return { kind: 'found', bytes: buffer.subarray(0, total) };
  } catch (err) {
    return { kind: 'error', reason: describeError(err) };
  } finally {
    await handle.close();
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class OciLayoutSource implements SigstoreSource {
  readonly repository: string;
  readonly dir: string;

  constructor(dir: string, repository = `oci:${dir}`) {
    this.dir = dir;
    this.repository = repository;
  }

  private blobPath(digest: Digest): string {
    return join(this.dir, 'blobs', 'sha256', digestHex(digest));
  }

  /** The entries of index.json, after checking the `oci-layout` marker. */
  private async index(): Promise<{ ok: true; entries: IndexEntry[] } | { ok: false; reason: string }> {
    const marker = await readCapped(join(this.dir, 'oci-layout'), 4096);
    if (marker.kind !== 'found') {
      return { ok: false, reason: `${this.dir} is not an OCI image layout: ${marker.kind === 'error' ? marker.reason : 'no oci-layout file'}` };
    }
    try {
      const layout = JSON.parse(marker.bytes.toString('utf8')) as unknown;
      if (!isRecord(layout) || typeof layout.imageLayoutVersion !== 'string') throw new Error('no imageLayoutVersion');
    } catch (err) {
      return { ok: false, reason: `${join(this.dir, 'oci-layout')} is not a valid layout marker: ${describeError(err)}` };
    }
    const index = await readCapped(join(this.dir, 'index.json'), MAX_INDEX_BYTES);
    if (index.kind !== 'found') return { ok: false, reason: `${join(this.dir, 'index.json')}: ${index.kind === 'error' ? index.reason : 'does not exist'}` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(index.bytes.toString('utf8'));
    } catch (err) {
      return { ok: false, reason: `${join(this.dir, 'index.json')} is not valid JSON: ${describeError(err)}` };
    }
    if (!isRecord(parsed) || !Array.isArray(parsed.manifests)) return { ok: false, reason: `${join(this.dir, 'index.json')} has no "manifests" list` };
    const entries: IndexEntry[] = [];
    for (const m of parsed.manifests) {
      if (!isRecord(m) || typeof m.digest !== 'string') continue;
      const entry: IndexEntry = { mediaType: typeof m.mediaType === 'string' ? m.mediaType : '', digest: m.digest };
      if (typeof m.artifactType === 'string') entry.artifactType = m.artifactType;
      const annotations = isRecord(m.annotations) ? m.annotations : {};
      if (typeof annotations[REF_NAME] === 'string') entry.refName = annotations[REF_NAME];
      entries.push(entry);
    }
    return { ok: true, entries };
  }

  async getSignatureManifest(digest: Digest): Promise<FetchResult<ManifestBytes>> {
    const tag = toSignatureTag(digest);
    const where = `oci:${this.dir}:${tag}`;
    const index = await this.index();
    if (!index.ok) return { kind: 'error', source: where, reason: index.reason };
    const named = index.entries.filter((e) => e.refName === tag || e.refName?.endsWith(`:${tag}`) === true);
    let entry: IndexEntry | undefined = named[0];
    if (!entry && index.entries.every((e) => e.refName === undefined)) {
      const manifests = index.entries.filter((e) => e.mediaType === '' || MANIFEST_TYPES.includes(e.mediaType));
      if (manifests.length === 1) entry = manifests[0];
    }
    if (!entry) return { kind: 'not-found', source: where };
    if (!isDigest(entry.digest)) return { kind: 'error', source: where, reason: `index.json names manifest digest ${JSON.stringify(entry.digest.slice(0, 100))}, not a sha256 digest` };
    const blob = await this.getBlob(entry.digest, MAX_MANIFEST_BYTES);
    if (blob.kind !== 'found') return blob.kind === 'error' ? { kind: 'error', source: where, reason: blob.reason } : { kind: 'error', source: where, reason: `index.json names manifest ${entry.digest}, whose blob is missing` };
    let mediaType = entry.mediaType;
    if (mediaType === '') {
      try {
        const m = JSON.parse(Buffer.from(blob.value).toString('utf8')) as unknown;
        if (isRecord(m) && typeof m.mediaType === 'string') mediaType = m.mediaType;
      } catch {
        // left empty: the verifier rejects the media type
      }
    }
    return { kind: 'found', source: `${where} (${entry.digest})`, value: { mediaType, bytes: blob.value, digest: entry.digest } };
  }

  async getBlob(digest: Digest, maxBytes: number): Promise<FetchResult<Uint8Array>> {
    if (!isDigest(digest)) return { kind: 'error', source: String(digest), reason: 'not a sha256 digest' };
    const path = this.blobPath(digest);
    const read = await readCapped(path, maxBytes);
    if (read.kind === 'not-found') return { kind: 'not-found', source: path };
    if (read.kind === 'error') return { kind: 'error', source: path, reason: read.reason, ...(read.code ? { code: read.code } : {}) };
    const actual = `sha256:${createHash('sha256').update(read.bytes).digest('hex')}`;
    if (actual !== digest) return { kind: 'error', source: path, reason: `the file hashes to ${actual}, not ${digest}: the layout is corrupt`, code: 'DIGEST_MISMATCH' };
    return { kind: 'found', source: path, value: read.bytes };
  }

  async getReferrers(digest: Digest): Promise<FetchResult<ReferrerDescriptor[]>> {
    const where = `oci:${this.dir}`;
    const index = await this.index();
    if (!index.ok) return { kind: 'error', source: where, reason: index.reason };
    const out: ReferrerDescriptor[] = [];
    for (const entry of index.entries) {
      if (!isDigest(entry.digest)) continue;
      const blob = await this.getBlob(entry.digest, MAX_MANIFEST_BYTES);
      if (blob.kind !== 'found') continue;
      let manifest: unknown;
      try {
        manifest = JSON.parse(Buffer.from(blob.value).toString('utf8'));
      } catch {
        continue;
      }
      if (!isRecord(manifest) || !isRecord(manifest.subject) || manifest.subject.digest !== digest) continue;
      const artifactType = typeof manifest.artifactType === 'string' ? manifest.artifactType : entry.artifactType;
      const referrer: ReferrerDescriptor = { mediaType: entry.mediaType, digest: entry.digest };
      if (artifactType) referrer.artifactType = artifactType;
      out.push(referrer);
    }
    return out.length > 0 ? { kind: 'found', source: where, value: out } : { kind: 'not-found', source: where };
  }
}

export function createLayoutSource(dir: string, repository?: string): SigstoreSource {
  return new OciLayoutSource(dir, repository);
}

export interface LayoutCheckOptions {
  trust: SigstoreTrust;
  /** The repository the signature identities must name, e.g. quay.io/openshift-release-dev/ocp-release. */
  identityRepo: string;
}

/**
 * `release-sigcheck signature --sigstore-layout DIR`: checks the `.sig` of `image` (a digest, or a
 * resolved manifest list whose instance `.sig`s are all in the layout) stored in an OCI layout.
 */
export async function verifySigstoreLayout(dir: string, image: Digest | ResolvedImage, options: LayoutCheckOptions): Promise<CheckResult> {
  const resolved: ResolvedImage = typeof image === 'string' ? { digest: image } : image;
  return checkSigstore(resolved, { source: createLayoutSource(dir), trust: options.trust, identityRepo: options.identityRepo });
}

