/**
 * An OCI distribution client for reading: manifests (GET and HEAD, all four manifest media types in
 * Accept), blobs verified against their digest, and referrers (the OCI 1.1 API, falling back to the
 * referrers tag schema). Every method resolves with a FetchResult and never rejects: `not-found` only
 * for a 404 after authentication succeeded, `error` for everything that could not be decided.
 */
import { createHash } from 'node:crypto';
import type { FetchResult, ManifestBytes, ReferrerDescriptor } from '../model/sources.ts';
import { isDigest, toDigest, type Digest } from '../model/digest.ts';
import { SigcheckError, describeError, isSigcheckError, type ErrorCode } from '../model/errors.ts';
import { displayUrl, type HttpClient, type HttpResponse, type HttpStream, type RedirectPolicy } from '../http/client.ts';
import { MANIFEST_MAX_BYTES } from '../http/limits.ts';
import type { Authorization, RegistryAuth } from './auth.ts';
import { baseMediaType, MANIFEST_ACCEPT, OCI_INDEX, parseManifest } from './manifest.ts';
import { blobUrl, describeReference, manifestUrl, pullScope, referrersUrl, toManifestReference, type RepositoryRef } from './reference.ts';

/**
 * A blob read as it arrives (RegistryClient.openBlob). `chunks` yields the bytes within the cap and,
 * once the last byte is in, throws DIGEST_MISMATCH unless they hash to the digest: a consumer must
 * read to the end before it trusts anything it made of them.
 */
export interface BlobStream {
  chunks: AsyncIterable<Uint8Array>;
  /** The Content-Length the registry declared, if any. */
  size?: number;
  /** Stops reading (the connection is dropped); the bytes read so far are unverified. */
  cancel(): void;
}

export interface ManifestHead {
  digest: Digest;
  mediaType: string;
  size?: number;
}

/** Pages of a referrers answer followed at most (the API paginates with Link: rel="next"). */
const MAX_REFERRER_PAGES = 10;

export function sha256Digest(bytes: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function errorResult(source: string, err: unknown): { kind: 'error'; source: string; reason: string; code?: ErrorCode } {
  return { kind: 'error', source, reason: describeError(err), ...(isSigcheckError(err) ? { code: err.code } : {}) };
}

export class RegistryClient {
  readonly http: HttpClient;
  readonly auth: RegistryAuth;

  constructor(http: HttpClient, auth: RegistryAuth) {
    this.http = http;
    this.auth = auth;
  }

  /** GET a manifest by tag or digest. Its digest is computed from the bytes (and must equal a requested digest). */
  async getManifest(repo: RepositoryRef, reference: string): Promise<FetchResult<ManifestBytes>> {
    let source = `${repo.display} (invalid reference)`;
    try {
      const ref = toManifestReference(reference, `manifest of ${repo.display}`);
      source = describeReference(repo, ref);
      const res = await this.send(repo, { url: manifestUrl(repo, ref), maxBytes: MANIFEST_MAX_BYTES, what: 'manifest', headers: { accept: MANIFEST_ACCEPT } });
      if (res.status === 404) return { kind: 'not-found', source };
      expectOk(res, source, 'manifest');
      const digest = sha256Digest(res.body);
      if (isDigest(ref) && digest !== ref) {
        throw new SigcheckError('DIGEST_MISMATCH', `${source}: the manifest served hashes to ${digest}, not to the digest it was asked for`);
      }
      const announced = res.headers['docker-content-digest'];
      if (announced !== undefined && announced.startsWith('sha256:') && announced !== digest) {
        throw new SigcheckError('DIGEST_MISMATCH', `${source}: the registry announced digest ${announced.slice(0, 80)} but the manifest bytes hash to ${digest}`);
      }
      const mediaType = this.mediaTypeOf(res, source);
      return { kind: 'found', value: { mediaType, bytes: res.body, digest }, source };
    } catch (err) {
      return errorResult(source, err);
    }
  }

  /** HEAD a manifest: its digest (Docker-Content-Digest, validated) and media type, without the body. */
  async headManifest(repo: RepositoryRef, reference: string): Promise<FetchResult<ManifestHead>> {
    let source = `${repo.display} (invalid reference)`;
    try {
      const ref = toManifestReference(reference, `manifest of ${repo.display}`);
      source = describeReference(repo, ref);
      const res = await this.send(repo, { url: manifestUrl(repo, ref), method: 'HEAD', maxBytes: 0, what: 'manifest', headers: { accept: MANIFEST_ACCEPT } });
      if (res.status === 404) return { kind: 'not-found', source };
      expectOk(res, source, 'manifest');
      const digest = toDigest(res.headers['docker-content-digest'], `${source}: Docker-Content-Digest`);
      if (isDigest(ref) && digest !== ref) {
        throw new SigcheckError('DIGEST_MISMATCH', `${source}: the registry announced digest ${digest} for a request by another digest`);
      }
      const length = res.headers['content-length'];
      const head: ManifestHead = { digest, mediaType: baseMediaType(res.headers['content-type']) };
      if (length !== undefined && /^\d+$/.test(length)) head.size = Number(length);
      return { kind: 'found', value: head, source };
    } catch (err) {
      return errorResult(source, err);
    }
  }

  /** GET a blob, capped at `maxBytes`, and verified to hash to `digest`. Blob downloads may be redirected to a CDN (without credentials). */
  async getBlob(repo: RepositoryRef, digest: string, maxBytes: number): Promise<FetchResult<Uint8Array>> {
    let source = `${repo.display} (invalid blob digest)`;
    try {
      const d = toDigest(digest, `blob of ${repo.display}`);
      source = `${repo.display}@${d}`;
      const res = await this.send(repo, { url: blobUrl(repo, d), maxBytes, what: 'blob', redirects: 'any-origin' });
      if (res.status === 404) return { kind: 'not-found', source };
      expectOk(res, source, 'blob');
      const actual = sha256Digest(res.body);
      if (actual !== d) {
        throw new SigcheckError('DIGEST_MISMATCH', `${source}: the blob served (${res.body.byteLength} bytes) hashes to ${actual}, not to its digest; the registry or a proxy altered it`);
      }
      return { kind: 'found', value: res.body, source };
    } catch (err) {
      return errorResult(source, err);
    }
  }

  /**
   * Opens a blob for streaming, capped at `maxBytes` and verified against `digest` as it streams (see
   * BlobStream). Redirects to a CDN are followed without credentials, as for getBlob. not-found only
   * for a 404 after authentication; every failure before the body is `error`.
   */
  async openBlob(repo: RepositoryRef, digest: string, maxBytes: number): Promise<FetchResult<BlobStream>> {
    let source = `${repo.display} (invalid blob digest)`;
    try {
      const d = toDigest(digest, `blob of ${repo.display}`);
      source = `${repo.display}@${d}`;
      const res = await this.sendStream(repo, { url: blobUrl(repo, d), maxBytes, what: 'blob', redirects: 'any-origin' });
      if (res.status === 404) return { kind: 'not-found', source };
      if (res.status < 200 || res.status >= 300) {
        res.cancel();
        expectOk({ status: res.status, headers: res.headers, body: res.errorBody, url: res.url, attempts: res.attempts }, source, 'blob');
      }
      const where = source;
      const hash = createHash('sha256');
      async function* verified(): AsyncGenerator<Uint8Array> {
        let total = 0;
        for await (const chunk of res.body) {
          hash.update(chunk);
          total += chunk.byteLength;
          yield chunk;
        }
        const actual: Digest = `sha256:${hash.digest('hex')}`;
        if (actual !== d) {
          throw new SigcheckError('DIGEST_MISMATCH', `${where}: the blob served (${total} bytes) hashes to ${actual}, not to its digest; the registry or a proxy altered it`);
        }
      }
      const stream: BlobStream = { chunks: verified(), cancel: () => res.cancel() };
      if (res.declaredLength !== undefined) stream.size = res.declaredLength;
      return { kind: 'found', value: stream, source };
    } catch (err) {
      return errorResult(source, err);
    }
  }

  /**
   * The referrers of a digest: the OCI 1.1 referrers API when the registry has it, else (404) the
   * referrers tag schema, an index tagged `sha256-<hex>`. not-found when there are none.
   */
  async getReferrers(repo: RepositoryRef, digest: string): Promise<FetchResult<ReferrerDescriptor[]>> {
    let source = `${repo.display} (invalid digest)`;
    try {
      const d = toDigest(digest, `referrers of ${repo.display}`);
      source = `${repo.display}/referrers/${d}`;
      const out: ReferrerDescriptor[] = [];
      let url: URL | undefined = referrersUrl(repo, d);
      for (let page = 0; url && page < MAX_REFERRER_PAGES; page++) {
        const res = await this.send(repo, { url, maxBytes: MANIFEST_MAX_BYTES, what: 'referrers list', headers: { accept: OCI_INDEX } });
        if (res.status === 404) {
          if (page > 0) throw new SigcheckError('HTTP_STATUS', `${source}: page ${page + 1} of the referrers list answered 404`);
          return this.getReferrersTag(repo, d);
        }
        expectOk(res, source, 'referrers list');
        const index = parseManifest(res.body, res.headers['content-type'] ?? OCI_INDEX, source);
        if (index.kind !== 'index') throw new SigcheckError('INVALID_REFERENCE', `${source}: the referrers API answered with an image manifest, not an index`);
        for (const m of index.manifests) out.push(toReferrer(m));
        url = nextPage(res, repo);
      }
      return out.length > 0 ? { kind: 'found', value: out, source } : { kind: 'not-found', source };
    } catch (err) {
      return errorResult(source, err);
    }
  }

  private async getReferrersTag(repo: RepositoryRef, digest: Digest): Promise<FetchResult<ReferrerDescriptor[]>> {
    const tag = `sha256-${digest.slice('sha256:'.length)}`;
    const manifest = await this.getManifest(repo, tag);
    if (manifest.kind !== 'found') return manifest;
    try {
      const index = parseManifest(manifest.value.bytes, manifest.value.mediaType, manifest.source);
      if (index.kind !== 'index') {
        throw new SigcheckError('INVALID_REFERENCE', `${manifest.source}: the referrers tag holds an image manifest, not an index`);
      }
      const out = index.manifests.map(toReferrer);
      return out.length > 0 ? { kind: 'found', value: out, source: manifest.source } : { kind: 'not-found', source: manifest.source };
    } catch (err) {
      return errorResult(manifest.source, err);
    }
  }

  private mediaTypeOf(res: HttpResponse, source: string): string {
    try {
      return parseManifest(res.body, res.headers['content-type'], source).mediaType;
    } catch (err) {
      // A body that is not a manifest at all is still returned for the caller to judge, with the
      // Content-Type the registry sent; a Content-Type/body disagreement is an error.
      if (isSigcheckError(err) && /Content-Type/.test(err.message)) throw err;
      return baseMediaType(res.headers['content-type']);
    }
  }

  /** Sends with the registry's authentication: a cached token, or the challenge answered once. */
  private async send(
    repo: RepositoryRef,
    req: { url: URL; method?: 'GET' | 'HEAD'; maxBytes: number; what: string; headers?: Record<string, string>; redirects?: RedirectPolicy },
  ): Promise<HttpResponse> {
    const scope = pullScope(repo);
    const send = async (authorization: Authorization | undefined): Promise<HttpResponse> => {
      const res = await this.http.request({ ...req, ...(authorization ? { authorization: authorization.header } : {}) });
      const answered = new URL(res.url).origin;
      if (res.status === 401 && answered !== repo.origin) {
        // A blob redirected to a CDN that wants credentials: those of the registry are not for it.
        throw new SigcheckError(
          'HTTP_AUTH',
          `${req.method ?? 'GET'} ${displayUrl(req.url)}: redirected to ${answered}, which asks for credentials (401); the credentials of ${repo.host} are never sent to another host`,
        );
      }
      return res;
    };
    let auth: Authorization | undefined = await this.auth.authorization(repo, scope);
    let res = await send(auth);
    if (res.status === 401 && !auth?.fresh) {
      auth = await this.auth.answerChallenge(repo, scope, res.headers['www-authenticate'], auth);
      res = await send(auth);
    }
    if (res.status === 401) {
      throw new SigcheckError(
        'HTTP_AUTH',
        `${req.method ?? 'GET'} ${displayUrl(req.url)}: the registry refused a freshly issued authorization (401); check the credentials for ${repo.host}, or whether they grant pull on ${repo.name}`,
      );
    }
    return res;
  }

  /** send() for a streamed body: the same authentication, the body left unread for the caller. */
  private async sendStream(repo: RepositoryRef, req: { url: URL; maxBytes: number; what: string; redirects?: RedirectPolicy }): Promise<HttpStream> {
    const scope = pullScope(repo);
    const send = async (authorization: Authorization | undefined): Promise<HttpStream> => {
      const res = await this.http.stream({ ...req, ...(authorization ? { authorization: authorization.header } : {}) });
      const answered = new URL(res.url).origin;
      if (res.status === 401 && answered !== repo.origin) {
        res.cancel();
        throw new SigcheckError('HTTP_AUTH', `GET ${displayUrl(req.url)}: redirected to ${answered}, which asks for credentials (401); the credentials of ${repo.host} are never sent to another host`);
      }
      return res;
    };
    let auth: Authorization | undefined = await this.auth.authorization(repo, scope);
    let res = await send(auth);
    if (res.status === 401 && !auth?.fresh) {
      res.cancel();
      auth = await this.auth.answerChallenge(repo, scope, res.headers['www-authenticate'], auth);
      res = await send(auth);
    }
    if (res.status === 401) {
      res.cancel();
      throw new SigcheckError('HTTP_AUTH', `GET ${displayUrl(req.url)}: the registry refused a freshly issued authorization (401); check the credentials for ${repo.host}, or whether they grant pull on ${repo.name}`);
    }
    return res;
  }
}

function expectOk(res: HttpResponse, source: string, what: string): void {
  if (res.status >= 200 && res.status < 300) return;
  const hint =
    res.status === 403
      ? 'access is denied: check that the credentials grant pull on this repository'
      : res.status === 400
        ? 'the registry rejected the request as malformed'
        : 'the registry answered something other than the ' + what;
  throw new SigcheckError('HTTP_STATUS', `${source}: ${what} request answered ${res.status}; ${hint}`);
}

function toReferrer(m: { mediaType: string; digest: Digest; size: number; artifactType?: string }): ReferrerDescriptor {
  const r: ReferrerDescriptor = { mediaType: m.mediaType, digest: m.digest, size: m.size };
  if (m.artifactType !== undefined) r.artifactType = m.artifactType;
  return r;
}

/** The `Link: <...>; rel="next"` page of a referrers answer, on the registry's own origin only. */
function nextPage(res: HttpResponse, repo: RepositoryRef): URL | undefined {
  const link = res.headers['link'];
  if (!link) return undefined;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
  if (!m) return undefined;
  const next = new URL(m[1] as string, res.url);
  if (next.origin !== repo.origin || !next.pathname.startsWith(`/v2/${repo.name}/referrers/`)) return undefined;
  return next;
}
