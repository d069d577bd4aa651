/**
 * Streamed bodies (HttpClient.stream, RegistryClient.openBlob): the digest checked once the last byte
 * is in, the cap before the first byte and while streaming, the host's concurrency slot held until
 * the body ends or is cancelled, a non-2xx answer returned with its first bytes, and the error code
 * kept on a FetchResult so a caller can tell a deterministic defect from a transient failure.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.ts';
import { RegistryAuth } from '../../src/registry/auth.ts';
import { RegistryClient } from '../../src/registry/client.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { parseRepository } from '../../src/registry/reference.ts';
import { sha256 } from '../harness/images.ts';

const blob = Buffer.alloc(256 * 1024, 7);
const digest = sha256(blob);
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/v2/') return void res.end('{}');
    if (req.url === `/v2/r/x/blobs/${digest}`) {
      res.writeHead(200, { 'content-length': blob.length });
      return void res.end(blob);
    }
    if (req.url === `/v2/r/x/blobs/sha256:${'0'.repeat(64)}`) {
      // Serves the blob under another digest.
      res.writeHead(200, { 'content-length': blob.length });
      return void res.end(blob);
    }
    if (req.url?.startsWith('/slow')) {
      res.writeHead(200, { 'content-length': 10 });
      res.write('12345');
      return; // never ends unless the client gives up
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"errors":[{"code":"BLOB_UNKNOWN"}]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function drain(chunks: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of chunks) n += c.byteLength;
  return n;
}

describe('RegistryClient.openBlob', () => {
  const http = new HttpClient({ retry: { retries: 0 }, timeoutMs: 2000, concurrencyPerHost: 1 });
  const client = new RegistryClient(http, new RegistryAuth(http, CredentialStore.empty()));
  afterAll(() => http.close());

  it('streams a blob and verifies it once the last byte is in', async () => {
    const opened = await client.openBlob(parseRepository(`${base}/r/x`), digest, 1024 * 1024);
    expect(opened.kind).toBe('found');
    if (opened.kind !== 'found') return;
    expect(opened.value.size).toBe(blob.length);
    expect(await drain(opened.value.chunks)).toBe(blob.length);
  });

  it('throws DIGEST_MISMATCH at the end of a blob that does not hash to its digest', async () => {
    const opened = await client.openBlob(parseRepository(`${base}/r/x`), `sha256:${'0'.repeat(64)}`, 1024 * 1024);
    if (opened.kind !== 'found') throw new Error('expected a stream');
    await expect(drain(opened.value.chunks)).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('refuses a body whose declared length is over the cap before reading it, with the code kept', async () => {
    const opened = await client.openBlob(parseRepository(`${base}/r/x`), digest, 1024);
    expect(opened).toMatchObject({ kind: 'error', code: 'HTTP_BODY_TOO_LARGE' });
  });

  it('answers not-found for a 404', async () => {
    expect(await client.openBlob(parseRepository(`${base}/r/x`), `sha256:${'1'.repeat(64)}`, 1024)).toMatchObject({ kind: 'not-found' });
  });

  it('holds the host slot until the body is cancelled, then frees it', async () => {
    const first = await http.stream({ url: `${base}/slow/1`, maxBytes: 100 });
    let secondStarted = false;
    const second = http.stream({ url: `${base}/v2/`, maxBytes: 100 }).then((r) => {
      secondStarted = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(secondStarted).toBe(false);
    first.cancel();
    const r = await second;
    expect(r.status).toBe(200);
    expect(await drain(r.body)).toBe(2);
  });
});
