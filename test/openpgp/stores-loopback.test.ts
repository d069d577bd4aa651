/**
 * Several OpenPGP stores over real HTTP on loopback (issue 9.7): `missing` only when every store
 * answered not found; a store that fails (503 after the retries, or stalls past the timeout) while
 * another answers 404 is `error`, because the store that failed might hold the valid signature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { HttpClient } from '../../src/http/client.ts';
import { checkOpenPGP } from '../../src/openpgp/check.ts';
import { createStoreFetcher } from '../../src/openpgp/fetch.ts';
import { startServer, startStore, type SignatureStore, type TestServer } from '../harness/store.ts';
import { bakedKeyring, fixtureBytes } from './fixtures.ts';

const D: Digest = 'sha256:0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363';

let notFound: SignatureStore;
let unavailable: TestServer;
let stalling: TestServer;
let http: HttpClient;

beforeAll(async () => {
  notFound = await startStore();
  unavailable = await startServer((_req, res) => res.writeHead(503).end('maintenance'));
  // Never answers; the client's timeout ends each attempt.
  stalling = await startServer(() => new Promise(() => {}));
  http = new HttpClient({ retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 }, timeoutMs: 300 });
});
afterAll(async () => {
  await http?.close();
  await Promise.all([notFound?.stop(), unavailable?.stop(), stalling?.stop()]);
});

async function check(stores: string[]) {
  return checkOpenPGP(D, { stores, fetch: createStoreFetcher(http), keyring: await bakedKeyring() });
}

describe('two loopback stores', () => {
  it('one answering 503 after the retries and one 404: error, not missing', async () => {
    const r = await check([`${unavailable.url}/sigs`, notFound.base]);
    expect(r.outcome).toBe('error');
    expect(r.reason).toMatch(/503/);
  });

  it('one stalling past the timeout and one 404: error, not missing', async () => {
    const r = await check([notFound.base, `${stalling.url}/sigs`]);
    expect(r.outcome).toBe('error');
    expect(r.attempts?.some((a) => a.outcome === 'error' && a.source.startsWith(stalling.url))).toBe(true);
  });

  it('a signature body over 50 KiB is read as its first 50 KiB, as the operator reads it (io.LimitReader): a valid one followed by padding verifies', async () => {
    const padded = await startStore();
    try {
      const valid = await fixtureBytes(`store/sha256=${D.slice(7)}/signature-1`);
      await padded.put(D, 1, Buffer.concat([valid, Buffer.alloc(60 * 1024, 0x41)]));
      expect((await check([padded.base])).outcome).toBe('verified');
    } finally {
      await padded.stop();
    }
  });

  it('both 404: missing; a valid signature in either: verified, whatever the other did', async () => {
    const other = await startStore();
    try {
      expect((await check([notFound.base, other.base])).outcome).toBe('missing');
      await other.put(D, 1, await fixtureBytes(`store/sha256=${D.slice(7)}/signature-1`));
      expect((await check([`${unavailable.url}/sigs`, other.base])).outcome).toBe('verified');
    } finally {
      await other.stop();
    }
  });
});
