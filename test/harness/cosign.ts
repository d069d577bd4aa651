/**
 * Cosign-format `.sig` artifacts for tests and benches, byte-compatible with what cosign writes
 * (proved against the oc-mirror captures in test/sigstore/harness.test.ts):
 *  - the payload as sigstore/sigstore pkg/signature/payload/payload.go marshals it with Go's encoding/json
 *    (field order critical{identity{docker-reference}, image{docker-manifest-digest}, type}, optional;
 *    `optional` null or a map with sorted keys; Go's HTML-safe string escaping);
 *  - the synthetic config go-containerregistry writes for the signature image (one history entry and one
 *    diff_id per layer);
 *  - the OCI manifest with go-containerregistry's key order and cosign's media types, the signature
 *    annotation (`dev.cosignproject.cosign/signature`, base64 of the raw signature), optional others.
 * Signatures: RSA PKCS#1 v1.5 and ECDSA ASN.1 DER with SHA-256, what cosign makes with a key file or KMS;
 * broken variants: RSA-PSS, ECDSA IEEE-P1363, Docker media types, missing annotation, foreign layers,
 * wrong blob, bundle-only referrers.
 * Output: in-memory (`MemorySigstoreSource`), an OCI layout directory, or a registry on 127.0.0.1.
 */
import { constants, createHash, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FetchResult, ManifestBytes, ReferrerDescriptor, SigstoreSource } from '../../src/model/sources.ts';
import type { Digest } from '../../src/model/digest.ts';
import { toTrustedKey, type TrustedKey } from '../../src/sigstore/keys.ts';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
export const SIGSTORE_BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

export function sha256(bytes: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

// --- keys ---------------------------------------------------------------------------------------------

export interface TestKey {
  kind: 'rsa' | 'ecdsa';
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM, as `cosign generate-key-pair` writes cosign.pub. */
  publicPem: string;
  /** The key as the verifier trusts it. */
  trusted: TrustedKey;
}

/**
 * A ClusterImagePolicy as OpenShift ships it (cluster-update-keys manifests.rhel): one PublicKey root
 * of trust, the test key's PEM as `keyData`, over `scopes`; `policyType` for a root this tool refuses.
 */
export function clusterImagePolicyYaml(scopes: readonly string[], key: Pick<TestKey, 'publicPem'>, options: { policyType?: string } = {}): string {
  return [
    'apiVersion: config.openshift.io/v1',
    'kind: ClusterImagePolicy',
    'metadata:',
    '  name: openshift',
    'spec:',
    '  scopes:',
    ...scopes.map((scope) => `  - ${scope}`),
    '  policy:',
    '    rootOfTrust:',
    `      policyType: ${options.policyType ?? 'PublicKey'}`,
    '      publicKey:',
    `        keyData: ${Buffer.from(key.publicPem.trim()).toString('base64')}`,
    '',
  ].join('\n');
}

function testKey(kind: 'rsa' | 'ecdsa', privateKey: KeyObject, publicKey: KeyObject, name: string): TestKey {
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { kind, privateKey, publicKey, publicPem, trusted: toTrustedKey(publicPem, name) };
}

/** An RSA key (4096 bits by default, like Red Hat release key 3). */
export function generateRsaKey(name = 'test RSA key', modulusLength = 4096): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength });
  return testKey('rsa', privateKey, publicKey, name);
}

/** An ECDSA P-256 key, what `cosign generate-key-pair` makes. */
export function generateP256Key(name = 'test P-256 key'): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return testKey('ecdsa', privateKey, publicKey, name);
}

// --- Go encoding/json ---------------------------------------------------------------------------------

/** A string as Go's encoding/json marshals it (HTML-safe: <, >, & escaped; U+2028/2029 escaped). */
export function goJsonString(s: string): string {
  return JSON.stringify(s)
    .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A plain value as Go marshals an interface{} decoded from JSON (maps with sorted keys). */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).sort().map((k) => `${goJsonString(k)}:${goJson(obj[k])}`).join(',')}}`;
}

// --- payload and signatures ---------------------------------------------------------------------------

/**
 * The simple-signing payload bytes cosign signs (payload.Cosign.MarshalJSON). `identity` is the
 * docker-reference (cosign's default is the repository name; ART passes --sign-container-identity).
 */
export function cosignPayload(identity: string, digest: string, optional: Record<string, unknown> | null = null): Uint8Array {
  const text =
    `{"critical":{"identity":{"docker-reference":${goJsonString(identity)}},` +
    `"image":{"docker-manifest-digest":${goJsonString(digest)}},"type":"cosign container image signature"},` +
    `"optional":${goJson(optional)}}`;
  return new TextEncoder().encode(text);
}

export type SignatureScheme = 'default' | 'pss' | 'p1363';

/** Signs like cosign: SHA-256, RSA PKCS#1 v1.5 or ECDSA DER; `pss` and `p1363` make the variants CRI-O (or this check) refuses. */
export function signPayload(payload: Uint8Array, key: TestKey, scheme: SignatureScheme = 'default'): string {
  if (scheme === 'pss') {
    if (key.kind !== 'rsa') throw new Error('RSA-PSS needs an RSA key');
    return cryptoSign('sha256', payload, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64');
  }
  if (scheme === 'p1363') {
    if (key.kind !== 'ecdsa') throw new Error('IEEE-P1363 needs an ECDSA key');
    return cryptoSign('sha256', payload, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
  }
  return cryptoSign('sha256', payload, key.privateKey).toString('base64');
}

// --- artifacts ------------------------------------------------------------------------------------------

export interface SigLayer {
  mediaType: string;
  /** The blob (the payload for a signature layer). */
  blob: Uint8Array;
  annotations: Record<string, string>;
  /** Descriptor digest override, to make a layer whose blob does not match it. */
  digest?: Digest;
}

export interface SignOptions {
  /** `critical.identity.docker-reference`. */
  identity: string;
  /** The signed digest. */
  digest: string;
  key: TestKey;
  scheme?: SignatureScheme;
  optional?: Record<string, unknown> | null;
  /** Further annotations (e.g. a Rekor bundle); the signature annotation is added unless omitted. */
  annotations?: Record<string, string>;
  omitSignatureAnnotation?: boolean;
  /** Replace the payload after signing (tampering). */
  tamperPayload?: (payload: Uint8Array) => Uint8Array;
  /** Replace the signature after signing (tampering). */
  tamperSignature?: (base64: string) => string;
  /** A raw payload instead of the cosign one (e.g. with an extra critical field). */
  payload?: Uint8Array;
}

/** One simple-signing layer as `cosign sign --key` writes it. */
export function signLayer(options: SignOptions): SigLayer {
  const payload = options.payload ?? cosignPayload(options.identity, options.digest, options.optional ?? null);
  let signature = signPayload(payload, options.key, options.scheme);
  if (options.tamperSignature) signature = options.tamperSignature(signature);
  const annotations: Record<string, string> = { ...(options.annotations ?? {}) };
  if (!options.omitSignatureAnnotation) annotations[SIGNATURE_ANNOTATION] = signature;
  return { mediaType: SIMPLE_SIGNING, blob: options.tamperPayload ? options.tamperPayload(payload) : payload, annotations };
}

export interface SigArtifact {
  manifest: Uint8Array;
  mediaType: string;
  digest: Digest;
  config: Uint8Array;
  configDigest: Digest;
  /** Every blob by digest: the config and each layer blob. */
  blobs: Map<string, Uint8Array>;
  layers: { mediaType: string; digest: Digest; size: number; annotations: Record<string, string> }[];
}

/** The manifest as a registry serves it (bytes and Content-Type), as verifySignatureManifest takes it. */
export function served(artifact: SigArtifact): { mediaType: string; bytes: Uint8Array; digest: Digest } {
  return { mediaType: artifact.mediaType, bytes: artifact.manifest, digest: artifact.digest };
}

/** The synthetic config cosign's signature image has (go-containerregistry ConfigFile, zero times). */
export function cosignConfig(layerDigests: readonly string[]): Uint8Array {
  const history = layerDigests.map(() => '{"created":"0001-01-01T00:00:00Z"}').join(',');
  const diffIds = layerDigests.map((d) => goJsonString(d)).join(',');
  return new TextEncoder().encode(
    `{"architecture":"","created":"0001-01-01T00:00:00Z","history":[${history}],"os":"","rootfs":{"type":"layers","diff_ids":[${diffIds}]},"config":{}}`,
  );
}

function descriptorJson(d: { mediaType: string; size: number; digest: string; annotations?: Record<string, string> }): string {
  const notes = d.annotations && Object.keys(d.annotations).length > 0 ? `,"annotations":${goJson(d.annotations)}` : '';
  return `{"mediaType":${goJsonString(d.mediaType)},"size":${d.size},"digest":${goJsonString(d.digest)}${notes}}`;
}

export interface BuildSigOptions {
  /** `COSIGN_DOCKER_MEDIA_TYPES=1`: Docker schema 2 manifest and config media types. */
  dockerMediaTypes?: boolean;
}

/** The `.sig` manifest (go-containerregistry v1.Manifest key order) and its blobs. */
export function buildSigArtifact(layers: readonly SigLayer[], options: BuildSigOptions = {}): SigArtifact {
  const descriptors = layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest ?? sha256(l.blob), size: l.blob.byteLength, annotations: l.annotations }));
  const config = cosignConfig(layers.map((l) => sha256(l.blob)));
  const configDigest = sha256(config);
  const mediaType = options.dockerMediaTypes ? DOCKER_MANIFEST : OCI_MANIFEST;
  const configType = options.dockerMediaTypes ? DOCKER_CONFIG : OCI_CONFIG;
  const manifest = new TextEncoder().encode(
    `{"schemaVersion":2,"mediaType":${goJsonString(mediaType)},` +
      `"config":${descriptorJson({ mediaType: configType, size: config.byteLength, digest: configDigest })},` +
      `"layers":[${descriptors.map(descriptorJson).join(',')}]}`,
  );
  const blobs = new Map<string, Uint8Array>([[configDigest, config]]);
  layers.forEach((l) => blobs.set(sha256(l.blob), l.blob));
  return { manifest, mediaType, digest: sha256(manifest), config, configDigest, blobs, layers: descriptors };
}

/**
 * A cosign v3 "new bundle format" referrer: an OCI manifest with artifactType
 * `application/vnd.dev.sigstore.bundle.v0.3+json`, the empty config, one bundle layer and a subject.
 */
export function buildBundleReferrer(subject: { digest: Digest; size: number; mediaType?: string }): SigArtifact {
  const bundle = new TextEncoder().encode(JSON.stringify({ mediaType: SIGSTORE_BUNDLE, verificationMaterial: {}, dsseEnvelope: { payload: '', payloadType: 'application/vnd.in-toto+json', signatures: [] } }));
  const config = new TextEncoder().encode('{}');
  const configDigest = sha256(config);
  const layer = { mediaType: SIGSTORE_BUNDLE, digest: sha256(bundle), size: bundle.byteLength, annotations: {} };
  const manifest = new TextEncoder().encode(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: SIGSTORE_BUNDLE,
      config: { mediaType: OCI_EMPTY, digest: configDigest, size: 2 },
      layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
      subject: { mediaType: subject.mediaType ?? OCI_MANIFEST, digest: subject.digest, size: subject.size },
      annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1' },
    }),
  );
  return {
    manifest,
    mediaType: OCI_MANIFEST,
    digest: sha256(manifest),
    config,
    configDigest,
    blobs: new Map([[configDigest, config], [layer.digest, bundle]]),
    layers: [layer],
  };
}

/** The signature tag of a digest. */
export function sigTag(digest: string): string {
  return `sha256-${digest.slice('sha256:'.length)}.sig`;
}

// --- an in-memory SigstoreSource --------------------------------------------------------------------------

/** A registry repository in memory, with switches for failures. */
export class MemorySigstoreSource implements SigstoreSource {
  readonly repository: string;
  readonly sigs = new Map<string, SigArtifact>();
  readonly blobs = new Map<string, Uint8Array>();
  readonly referrers = new Map<string, ReferrerDescriptor[]>();
  /** Digests whose `.sig` manifest fetch fails (transport error). */
  readonly manifestErrors = new Set<string>();
  /** Blob digests whose fetch fails (transport error). */
  readonly blobErrors = new Set<string>();
  /** Blob digests the registry has lost (404). */
  readonly missingBlobs = new Set<string>();
  referrersError: string | undefined;
  readonly calls: string[] = [];

  constructor(repository = 'quay.io/openshift-release-dev/ocp-release') {
    this.repository = repository;
  }

  /** Stores `artifact` as the `.sig` of `digest` (tag `sha256-<hex>.sig`) with its blobs. */
  putSig(digest: string, artifact: SigArtifact): this {
    this.sigs.set(digest, artifact);
    for (const [d, b] of artifact.blobs) this.blobs.set(d, b);
    return this;
  }

  /** Stores a referrer of `digest` (e.g. a bundle from buildBundleReferrer). */
  putReferrer(digest: string, artifact: SigArtifact, artifactType = SIGSTORE_BUNDLE): this {
    const list = this.referrers.get(digest) ?? [];
    list.push({ mediaType: artifact.mediaType, artifactType, digest: artifact.digest, size: artifact.manifest.byteLength });
    this.referrers.set(digest, list);
    for (const [d, b] of artifact.blobs) this.blobs.set(d, b);
    return this;
  }

  async getSignatureManifest(digest: Digest): Promise<FetchResult<ManifestBytes>> {
    this.calls.push(`manifest ${digest}`);
    const source = `${this.repository}:${sigTag(digest)}`;
    if (this.manifestErrors.has(digest)) return { kind: 'error', source, reason: 'HTTP 503 Service Unavailable after 5 retries' };
    const sig = this.sigs.get(digest);
    if (!sig) return { kind: 'not-found', source };
    return { kind: 'found', source, value: { mediaType: sig.mediaType, bytes: sig.manifest, digest: sig.digest } };
  }

  async getBlob(digest: Digest, maxBytes: number): Promise<FetchResult<Uint8Array>> {
    this.calls.push(`blob ${digest}`);
    const source = `${this.repository}@${digest}`;
    if (this.blobErrors.has(digest)) return { kind: 'error', source, reason: 'connection reset' };
    const blob = this.blobs.get(digest);
    if (!blob || this.missingBlobs.has(digest)) return { kind: 'not-found', source };
    if (blob.byteLength > maxBytes) return { kind: 'error', source, reason: `body over ${maxBytes} bytes` };
    return { kind: 'found', source, value: blob };
  }

  async getReferrers(digest: Digest): Promise<FetchResult<ReferrerDescriptor[]>> {
    this.calls.push(`referrers ${digest}`);
    const source = `${this.repository}/referrers/${digest}`;
    if (this.referrersError) return { kind: 'error', source, reason: this.referrersError };
    const list = this.referrers.get(digest);
    return list && list.length > 0 ? { kind: 'found', source, value: list } : { kind: 'not-found', source };
  }
}

// --- OCI layout -------------------------------------------------------------------------------------------

export interface LayoutEntry {
  artifact: SigArtifact;
  /** `org.opencontainers.image.ref.name`; omitted like oc-mirror does when undefined. */
  refName?: string;
  artifactType?: string;
}

/** Writes an OCI image layout holding the given artifacts (skopeo names them with ref names, oc-mirror does not). */
export async function writeSigLayout(dir: string, entries: readonly LayoutEntry[]): Promise<void> {
  const blobDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  const manifests = [];
  for (const { artifact, refName, artifactType } of entries) {
    for (const [digest, bytes] of artifact.blobs) await writeFile(join(blobDir, digest.slice('sha256:'.length)), bytes);
    await writeFile(join(blobDir, artifact.digest.slice('sha256:'.length)), artifact.manifest);
    manifests.push({
      mediaType: artifact.mediaType,
      digest: artifact.digest,
      size: artifact.manifest.byteLength,
      ...(artifactType ? { artifactType } : {}),
      ...(refName ? { annotations: { 'org.opencontainers.image.ref.name': refName } } : {}),
    });
  }
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

// --- a registry over HTTP ------------------------------------------------------------------------------------

function loopbackUrl(url: string | URL, base?: string): URL {
  const u = new URL(url, base);
  if (u.protocol !== 'http:' || u.hostname !== '127.0.0.1') throw new Error(`refusing to push to ${u.origin}: tests push to http://127.0.0.1 only`);
  return u;
}

async function pushBlob(base: string, repo: string, digest: string, bytes: Uint8Array): Promise<void> {
  const head = await fetch(loopbackUrl(`${base}/v2/${repo}/blobs/${digest}`), { method: 'HEAD' });
  if (head.status === 200) return;
  const start = await fetch(loopbackUrl(`${base}/v2/${repo}/blobs/uploads/`), { method: 'POST' });
  await start.arrayBuffer();
  if (start.status !== 202) throw new Error(`POST blob upload for ${digest}: HTTP ${start.status}`);
  const location = loopbackUrl(start.headers.get('location') ?? '', base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  const text = await put.text();
  if (put.status !== 201) throw new Error(`PUT blob ${digest}: HTTP ${put.status} ${text}`);
}

/**
 * Pushes an artifact to `http://127.0.0.1:<port>` through the distribution API: each blob (POST an
 * upload, PUT its bytes with `?digest=`), then the manifest (PUT under `reference`, a tag or digest).
 */
export async function pushArtifact(registryUrl: string, repo: string, reference: string, artifact: SigArtifact): Promise<Digest> {
  const base = loopbackUrl(registryUrl).origin;
  for (const [digest, bytes] of artifact.blobs) await pushBlob(base, repo, digest, bytes);
  const res = await fetch(loopbackUrl(`${base}/v2/${repo}/manifests/${reference}`), { method: 'PUT', body: artifact.manifest, headers: { 'content-type': artifact.mediaType } });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`PUT manifest ${repo}:${reference}: HTTP ${res.status} ${text}`);
  const digest = res.headers.get('docker-content-digest');
  if (digest !== artifact.digest) throw new Error(`the registry stored ${repo}:${reference} as ${digest}, expected ${artifact.digest}`);
  return artifact.digest;
}

/** Pushes `artifact` as the `.sig` of `digest` (tag `sha256-<hex>.sig`). */
export function pushSig(registryUrl: string, repo: string, digest: string, artifact: SigArtifact): Promise<Digest> {
  return pushArtifact(registryUrl, repo, sigTag(digest), artifact);
}
