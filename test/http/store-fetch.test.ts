/**
 * The OpenPGP signature-store fetcher (src/openpgp/fetch.ts), over a real HTTP store and file://:
 * a signature is `found`, a 404 or a missing file `not-found`, and nothing else is ever `not-found`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchStoreSignature } from '../../src/model/sources.ts';
import { isSigcheckError } from '../../src/model/errors.ts';
import { HttpClient } from '../../src/http/client.ts';
import { createStoreFetcher, toStoreSignatureUrl } from '../../src/openpgp/fetch.ts';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.ts';
import { sha256 } from '../harness/images.ts';
import { startServer, startStore, type SignatureStore, type TestServer } from '../harness/store.ts';

const digest = sha256('release');
const other = sha256('unsigned release');
const signature = new Uint8Array(Array.from({ length: 1500 }, (_, i) => i % 251));

let store: SignatureStore;
let proxy: FaultProxy;
let odd: TestServer;
let http: HttpClient;
let fetchSignature: FetchStoreSignature;
let dir: string;

beforeAll(async () => {
  store = await startStore();
  await store.put(digest, 1, signature);
  await store.put(digest, 2, new Uint8Array(0));
  proxy = await startFaultProxy({ target: store.url });
  odd = await startServer((req, res) => {
    if (req.url?.endsWith('/forbidden/signature-1')) return res.writeHead(403).end();
    if (req.url?.endsWith('/auth/signature-1')) return res.writeHead(401).end();
    if (req.url?.endsWith('/huge/signature-1')) return res.writeHead(200).end(Buffer.alloc(10 * 2 ** 20));
    if (req.url?.endsWith('/moved/signature-1')) return res.writeHead(302, { location: `${store.base}/sha256=${digest.slice(7)}/signature-1` }).end();
    res.writeHead(404).end();
  });
  http = new HttpClient({ retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 2000 });
  fetchSignature = createStoreFetcher(http);
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-filestore-'));
  await mkdir(join(dir, `sha256=${digest.slice(7)}`));
  await writeFile(join(dir, `sha256=${digest.slice(7)}`, 'signature-1'), signature);
  await writeFile(join(dir, `sha256=${digest.slice(7)}`, 'signature-2'), Buffer.alloc(60 * 1024));
  await mkdir(join(dir, `sha256=${digest.slice(7)}`, 'signature-3'));
});

afterAll(async () => {
  await http?.close();
  await proxy?.stop();
  await odd?.stop();
  await store?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('toStoreSignatureUrl', () => {
  it('builds <base>/sha256=<hex>/signature-N', () => {
    expect(toStoreSignatureUrl('https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release/', digest, 3)).toBe(
      `https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release/sha256=${digest.slice(7)}/signature-3`,
    );
  });
  it.each(['sha256:../../x', `sha256:${'A'.repeat(64)}`, `sha256:${'a'.repeat(60)}`, 'md5:00'])('refuses digest %s before building anything', (d) => {
    let code: string | undefined;
    try {
      toStoreSignatureUrl('https://x', d, 1);
    } catch (err) {
      code = isSigcheckError(err) ? err.code : 'other';
    }
    expect(code).toBe('INVALID_DIGEST');
  });
  it('only knows signature-1 to signature-9, as the operator', () => {
    expect(() => toStoreSignatureUrl('https://x', digest, 0)).toThrow();
    expect(() => toStoreSignatureUrl('https://x', digest, 10)).toThrow();
  });
});

describe('over http', () => {
  it('fetches a signature, and an empty one', async () => {
    const url = toStoreSignatureUrl(store.base, digest, 1);
    expect(await fetchSignature(url)).toEqual({ kind: 'found', value: signature, source: url });
    expect(await fetchSignature(toStoreSignatureUrl(store.base, digest, 2))).toMatchObject({ kind: 'found', value: new Uint8Array(0) });
  });

  it('answers not-found for a 404', async () => {
    expect(await fetchSignature(toStoreSignatureUrl(store.base, digest, 3))).toMatchObject({ kind: 'not-found' });
    expect(await fetchSignature(toStoreSignatureUrl(store.base, other, 1))).toMatchObject({ kind: 'not-found' });
  });

  it('retries transient failures and still finds the signature', async () => {
    proxy.failNext(['503', 'reset']);
    const r = await fetchSignature(toStoreSignatureUrl(`${proxy.url}/signatures`, digest, 1));
    expect(r).toMatchObject({ kind: 'found', value: signature });
  });

  it('answers error, never not-found, when the store keeps failing', async () => {
    proxy.configure({ rate: 1 });
    try {
      for (const d of [digest, other]) {
        const r = await fetchSignature(toStoreSignatureUrl(`${proxy.url}/signatures`, d, 1));
        expect(r.kind).toBe('error');
      }
    } finally {
      proxy.configure({ rate: 0 });
    }
  }, 30_000);

  it.each([
    ['forbidden', '403'],
    ['auth', '401'],
  ])('answers error for %s', async (path, reason) => {
    const r = await fetchSignature(`${odd.url}/${path}/signature-1`);
    expect(r.kind).toBe('error');
    expect(r.kind === 'error' && r.reason).toContain(reason);
  });

  it('reads the first 50 KiB of a longer body, as the operator reads it through io.LimitReader', async () => {
    const r = await fetchSignature(`${odd.url}/huge/signature-1`);
    expect(r.kind === 'found' && r.value.byteLength).toBe(50 * 1024);
  });

  it('follows a redirect to another host, as the operator does', async () => {
    expect(await fetchSignature(`${odd.url}/moved/signature-1`)).toMatchObject({ kind: 'found', value: signature });
  });

  it('answers error for other schemes and non-URLs', async () => {
    expect((await fetchSignature('ftp://x/sha256=00/signature-1')).kind).toBe('error');
    expect((await fetchSignature('not a url')).kind).toBe('error');
  });
});

describe('from file://', () => {
  const base = () => pathToFileURL(dir).href;
  it('reads a signature file', async () => {
    expect(await fetchSignature(toStoreSignatureUrl(base(), digest, 1))).toMatchObject({ kind: 'found', value: signature });
  });
  it('answers not-found for a missing file or directory', async () => {
    expect((await fetchSignature(toStoreSignatureUrl(base(), digest, 4))).kind).toBe('not-found');
    expect((await fetchSignature(toStoreSignatureUrl(base(), other, 1))).kind).toBe('not-found');
  });
  it('refuses a file over 50 KiB and a directory', async () => {
    const big = await fetchSignature(toStoreSignatureUrl(base(), digest, 2));
    expect(big.kind === 'error' && big.reason).toContain('61440 bytes, over the 50 KiB limit');
    const d = await fetchSignature(toStoreSignatureUrl(base(), digest, 3));
    expect(d.kind === 'error' && d.reason).toContain('not a regular file');
  });
});
