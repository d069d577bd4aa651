/**
 * The registry client and the Sigstore source: `.sig` manifests, blobs verified against their digest
 * and capped, referrers (API and tag fallback), digests validated before any request, and redirects
 * that never carry a token to another host. The real docker-registry where it can answer; small
 * stub servers for what distribution 2.8 does not do (referrers API, CDN redirects, lying servers).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { HttpClient } from '../../src/http/client.ts';
import { BLOB_MAX_BYTES } from '../../src/http/limits.ts';
import { RegistryAuth } from '../../src/registry/auth.ts';
import { RegistryClient } from '../../src/registry/client.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { OCI_INDEX, OCI_MANIFEST } from '../../src/registry/manifest.ts';
import { parseRepository } from '../../src/registry/reference.ts';
import { RegistrySigstoreSource } from '../../src/sigstore/fetch.ts';
import { buildImage, buildSigManifest, sha256 } from '../harness/images.ts';
import { startServer, type TestServer } from '../harness/store.ts';
import { startTokenRegistry, type TokenRegistryEnv } from './env.ts';

const REPO = 'openshift-release-dev/ocp-release';
const BAD_DIGESTS = ['sha256:../../x', `sha256:${'A'.repeat(64)}`, `sha256:${'a'.repeat(63)}`, `sha256:${'a'.repeat(65)}`, 'sha512:00', ''];

let env: TokenRegistryEnv;
let http: HttpClient;
let registry: RegistryClient;
let source: RegistrySigstoreSource;
const image = buildImage({ arch: 'amd64', seed: 'client' });
const unsigned = buildImage({ arch: 'amd64', seed: 'unsigned' });
const sig = buildSigManifest(['{"critical":"payload one"}', 'payload two']);
// Stands in for a cosign v3 bundle manifest; distribution 2.8 wants the manifests an index lists to exist.
const bundle = buildImage({ arch: 'amd64', seed: 'bundle' });
const referrer = { mediaType: OCI_MANIFEST, digest: bundle.digest, size: bundle.manifest.byteLength, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' };

beforeAll(async () => {
  env = await startTokenRegistry();
  const pusher = env.pusher(REPO);
  await pusher.image(image, '4.99.1-x86_64');
  await pusher.image(unsigned, '4.99.2-x86_64');
  await pusher.sig(image.digest, sig);
  await pusher.image(bundle);
  // A referrers-tag-schema index for the image: what a registry without the referrers API holds.
  const index = new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [referrer] }));
  await pusher.manifest(index, OCI_INDEX, `sha256-${image.digest.slice(7)}`);
  http = new HttpClient({ retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 5000 });
  registry = new RegistryClient(http, new RegistryAuth(http, CredentialStore.empty()));
  source = new RegistrySigstoreSource(registry, parseRepository(`http://${env.proxy.host}/${REPO}`));
});

afterAll(async () => {
  await http?.close();
  await env?.stop();
});

describe('RegistrySigstoreSource against docker-registry', () => {
  it('fetches the .sig manifest of a digest', async () => {
    const r = await source.getSignatureManifest(image.digest);
    expect(r).toEqual({
      kind: 'found',
      value: { mediaType: OCI_MANIFEST, bytes: sig.manifest, digest: sig.digest },
      source: `${env.proxy.host}/${REPO}:sha256-${image.digest.slice(7)}.sig`,
    });
  });

  it('answers not-found for an image without a .sig tag', async () => {
    expect(await source.getSignatureManifest(unsigned.digest)).toEqual({ kind: 'not-found', source: `${env.proxy.host}/${REPO}:sha256-${unsigned.digest.slice(7)}.sig` });
  });

  it('fetches each layer blob, verified against its digest', async () => {
    for (const layer of sig.layers) {
      expect(await source.getBlob(layer.digest, BLOB_MAX_BYTES)).toEqual({ kind: 'found', value: layer.bytes, source: `${env.proxy.host}/${REPO}@${layer.digest}` });
    }
    expect((await source.getBlob(sha256('not there'), BLOB_MAX_BYTES)).kind).toBe('not-found');
  });

  it('refuses a blob over the cap the caller gives', async () => {
    const r = await source.getBlob(sig.layers[0]!.digest, 10);
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toContain('over the 10 bytes limit');
  });

  it('falls back to the referrers tag schema when the registry has no referrers API', async () => {
    const before = env.proxy.requests.length;
    expect(await source.getReferrers(image.digest)).toEqual({ kind: 'found', value: [referrer], source: `${env.proxy.host}/${REPO}:sha256-${image.digest.slice(7)}` });
    const paths = env.proxy.requests.slice(before).map((r) => r.path);
    expect(paths.some((p) => p.includes('/referrers/'))).toBe(true);
    expect(paths.some((p) => p.endsWith(`/manifests/sha256-${image.digest.slice(7)}`))).toBe(true);
    expect((await source.getReferrers(unsigned.digest)).kind).toBe('not-found');
  });

  it('reads manifests by digest and HEAD, checking the digest', async () => {
    const repo = parseRepository(`http://${env.proxy.host}/${REPO}`);
    expect(await registry.headManifest(repo, '4.99.1-x86_64')).toMatchObject({ kind: 'found', value: { digest: image.digest, mediaType: OCI_MANIFEST } });
    expect(await registry.getManifest(repo, image.digest)).toMatchObject({ kind: 'found', value: { digest: image.digest } });
  });

  it('rejects malformed digests before any request reaches the registry', async () => {
    const repo = parseRepository(`http://${env.proxy.host}/${REPO}`);
    const before = env.proxy.total();
    for (const d of BAD_DIGESTS) {
      for (const r of [
        await source.getSignatureManifest(d as Digest),
        await source.getBlob(d as Digest, 100),
        await source.getReferrers(d as Digest),
        await registry.getBlob(repo, d, 100),
        await registry.getReferrers(repo, d),
        await registry.getManifest(repo, d),
        await registry.headManifest(repo, d),
      ]) {
        expect(r.kind).toBe('error');
      }
    }
    for (const tag of ['../../x', 'a/b', 'UPPER:case', '-x']) expect((await registry.getManifest(repo, tag)).kind).toBe('error');
    expect(env.proxy.total()).toBe(before);
  });
});

describe('against stub registries', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  /** A registry stub with a token flow on its own host; `routes` answers the authenticated /v2 paths. */
  async function stub(routes: (path: string, req: IncomingMessage, res: ServerResponse) => boolean) {
    const s = await startServer((req, res) => {
      const path = req.url ?? '/';
      if (path.startsWith('/token')) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"STUB-TOKEN","expires_in":300}');
      if (req.headers.authorization !== 'Bearer STUB-TOKEN') {
        return res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${req.headers.host}/token",service="stub"` }).end();
      }
      if (!routes(path, req, res)) res.writeHead(404).end();
    });
    servers.push(s);
    return { server: s, repo: parseRepository(`http://${s.host}/ns/repo`) };
  }

  it('reads the OCI referrers API, following its pages', async () => {
    const subject = sha256('subject');
    const a = { mediaType: OCI_MANIFEST, digest: sha256('a'), size: 1, artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' };
    const b = { mediaType: OCI_MANIFEST, digest: sha256('b'), size: 2 };
    const { repo } = await stub((path, _req, res) => {
      const index = (m: unknown[]) => JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: m });
      if (path === `/v2/ns/repo/referrers/${subject}`) {
        res.writeHead(200, { 'content-type': OCI_INDEX, link: `</v2/ns/repo/referrers/${subject}?last=1>; rel="next"` }).end(index([a]));
        return true;
      }
      if (path === `/v2/ns/repo/referrers/${subject}?last=1`) {
        res.writeHead(200, { 'content-type': OCI_INDEX }).end(index([b]));
        return true;
      }
      if (path.startsWith('/v2/ns/repo/referrers/')) {
        res.writeHead(200, { 'content-type': OCI_INDEX }).end(index([]));
        return true;
      }
      return false;
    });
    expect(await registry.getReferrers(repo, subject)).toEqual({ kind: 'found', value: [a, b], source: `${repo.display}/referrers/${subject}` });
    expect((await registry.getReferrers(repo, sha256('lonely'))).kind).toBe('not-found');
  });

  it('refuses a blob whose bytes do not match its digest', async () => {
    const claimed = sha256('the real bytes');
    const { repo } = await stub((path, _req, res) => {
      if (path !== `/v2/ns/repo/blobs/${claimed}`) return false;
      res.end('tampered bytes');
      return true;
    });
    const r = await registry.getBlob(repo, claimed, 1000);
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toContain(`hashes to ${sha256('tampered bytes')}, not to its digest`);
  });

  it('refuses a manifest whose announced digest differs from its bytes', async () => {
    const { repo } = await stub((path, _req, res) => {
      if (path !== '/v2/ns/repo/manifests/4.99.1-x86_64') return false;
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': sha256('other') }).end(image.manifest);
      return true;
    });
    const r = await registry.getManifest(repo, '4.99.1-x86_64');
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toContain('announced digest');
  });

  it('follows a blob redirect to a CDN without the token; refuses a manifest redirect to another host', async () => {
    const payload = new TextEncoder().encode('layer from the cdn');
    const digest = sha256(payload);
    const cdn = await startServer((_req, res) => res.end(payload));
    const elsewhere = await startServer((_req, res) => res.end(image.manifest));
    servers.push(cdn, elsewhere);
    const { server, repo } = await stub((path, _req, res) => {
      if (path === `/v2/ns/repo/blobs/${digest}`) res.writeHead(307, { location: `${cdn.url}/blob?X-Amz-Signature=s3cr3t` }).end();
      else if (path === '/v2/ns/repo/manifests/moved') res.writeHead(302, { location: `${elsewhere.url}/v2/ns/repo/manifests/moved` }).end();
      else return false;
      return true;
    });
    expect(await registry.getBlob(repo, digest, 1000)).toEqual({ kind: 'found', value: payload, source: `${repo.display}@${digest}` });
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer STUB-TOKEN');
    expect(cdn.requests).toHaveLength(1);
    expect(cdn.requests[0]!.headers.authorization).toBeUndefined();
    expect(JSON.stringify(cdn.requests[0]!.headers)).not.toContain('STUB-TOKEN');

    // A CDN that asks for credentials gets none and no token flow starts against it.
    const guarded = await startServer((_req, res) => res.writeHead(401, { 'www-authenticate': `Bearer realm="${cdn.url}/token",service="cdn"` }).end());
    servers.push(guarded);
    const lockedDigest = sha256('locked layer');
    const { server: second, repo: repo2 } = await stub((path, _req, res) => {
      if (path !== `/v2/ns/repo/blobs/${lockedDigest}`) return false;
      res.writeHead(307, { location: `${guarded.url}/blob` }).end();
      return true;
    });
    const locked = await registry.getBlob(repo2, lockedDigest, 1000);
    expect(locked.kind).toBe('error');
    expect(locked.kind === 'error' && locked.reason).toContain(`redirected to ${guarded.url}, which asks for credentials (401); the credentials of ${second.host} are never sent to another host`);
    expect(guarded.requests).toHaveLength(1);
    expect(guarded.requests[0]!.headers.authorization).toBeUndefined();
    expect(cdn.requests).toHaveLength(1); // no token request went to the CDN's realm

    const moved = await registry.getManifest(repo, 'moved');
    expect(moved.kind).toBe('error');
    expect(moved.kind === 'error' && moved.reason).toContain(`redirected to another host (${elsewhere.url})`);
    expect(elsewhere.requests).toHaveLength(0);
  });
});
