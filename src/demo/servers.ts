/**
 * The demo's servers: a read-only OCI registry (distribution API subset: manifests by tag or digest,
 * blobs, referrers) and an OpenPGP signature store, both in-process on 127.0.0.1 with random ports.
 * They serve content built in memory; nothing here is reachable from anywhere but loopback.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredManifest {
  mediaType: string;
  bytes: Buffer;
  digest: string;
}

export class MemoryRegistry {
  /** repository -> reference (tag or digest) -> manifest */
  readonly manifests = new Map<string, Map<string, StoredManifest>>();
  /** repository -> digest -> bytes */
  readonly blobs = new Map<string, Map<string, Buffer>>();
  /** repository -> subject digest -> referrer descriptors */
  readonly referrers = new Map<string, Map<string, object[]>>();
  requests = 0;

  putManifest(repo: string, refs: string[], manifest: StoredManifest): void {
    let m = this.manifests.get(repo);
    if (!m) this.manifests.set(repo, (m = new Map()));
    for (const r of [...refs, manifest.digest]) m.set(r, manifest);
  }

  putBlob(repo: string, digest: string, bytes: Buffer): void {
    let m = this.blobs.get(repo);
    if (!m) this.blobs.set(repo, (m = new Map()));
    m.set(digest, bytes);
  }

  addReferrer(repo: string, subject: string, descriptor: object): void {
    let m = this.referrers.get(repo);
    if (!m) this.referrers.set(repo, (m = new Map()));
    m.set(subject, [...(m.get(subject) ?? []), descriptor]);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const notFound = (code: string) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code, message: `${code.toLowerCase().replace('_', ' ')}` }] }));
    };
    if (url.pathname === '/v2/' || url.pathname === '/v2') {
      res.writeHead(200, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' });
      res.end('{}');
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs|referrers)\/([^/]+)$/.exec(url.pathname);
    if (!m || (req.method !== 'GET' && req.method !== 'HEAD')) return notFound('UNSUPPORTED');
    const [, repo, kind, ref] = m as unknown as [string, string, string, string];
    if (kind === 'manifests') {
      const manifest = this.manifests.get(repo)?.get(decodeURIComponent(ref));
      if (!manifest) return notFound('MANIFEST_UNKNOWN');
      res.writeHead(200, { 'content-type': manifest.mediaType, 'docker-content-digest': manifest.digest, 'content-length': manifest.bytes.length });
      res.end(req.method === 'HEAD' ? undefined : manifest.bytes);
      return;
    }
    if (kind === 'blobs') {
      const blob = this.blobs.get(repo)?.get(ref);
      if (!blob) return notFound('BLOB_UNKNOWN');
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'docker-content-digest': ref, 'content-length': blob.length });
      res.end(req.method === 'HEAD' ? undefined : blob);
      return;
    }
    const index = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: this.referrers.get(repo)?.get(ref) ?? [] };
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
    res.end(JSON.stringify(index));
  }
}

export class MemoryStore {
  /** path below the store root (`sha256=<hex>/signature-N`) -> blob */
  readonly files = new Map<string, Buffer>();
  requests = 0;

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests++;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
    const body = this.files.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  }
}

/** Starts an HTTP server on 127.0.0.1 (never another address) and returns its base URL. */
export async function listenOnLoopback(handler: { handle(req: IncomingMessage, res: ServerResponse): void }): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => handler.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
