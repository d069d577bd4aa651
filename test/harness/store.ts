/**
 * Small HTTP servers on 127.0.0.1 for tests: `startServer` runs any handler and records every
 * request (method, path, headers), so a test can assert what reached it (or that nothing did);
 * `startStore` serves a directory as an OpenPGP signature store (`<base>/sha256=<hex>/signature-N`).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { makeTempDir } from './registry.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface TestServer {
  url: string;
  host: string;
  port: number;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    Promise.resolve(handler(req, res)).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    port,
    requests,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SignatureStore extends TestServer {
  /** The directory served. */
  dir: string;
  /** The store base URL (`http://127.0.0.1:<port>/signatures`). */
  base: string;
  /** Writes `sha256=<hex>/signature-<n>` under the store. */
  put(digest: string, n: number, bytes: Uint8Array): Promise<void>;
}

/** Serves a temporary directory under `/signatures/`; a missing file is 404. */
export async function startStore(): Promise<SignatureStore> {
  const dir = await makeTempDir('store');
  const server = await startServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rel = decodeURIComponent(url.pathname).replace(/^\/signatures\//, '');
    const file = normalize(join(dir, rel));
    if (!url.pathname.startsWith('/signatures/') || !file.startsWith(dir + sep) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.byteLength });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  });
  return {
    ...server,
    dir,
    base: `${server.url}/signatures`,
    put: async (digest, n, bytes) => {
      const d = join(dir, `sha256=${digest.slice('sha256:'.length)}`);
      await mkdir(d, { recursive: true });
      await writeFile(join(d, `signature-${n}`), bytes);
    },
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
