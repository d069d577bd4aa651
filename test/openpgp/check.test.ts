/**
 * checkOpenPGP's walk of the signature stores, with in-memory fetch stand-ins serving genuine
 * signatures: 404 ends a store's walk, other failures move on, stores run in parallel, a verified
 * signature anywhere wins, a store that failed makes it error, missing needs every store to answer
 * not found, and an error never becomes missing or invalid.
 */
import { describe, expect, it } from 'vitest';
import type { FetchResult, FetchStoreSignature } from '../../src/model/sources.ts';
import type { Digest } from '../../src/model/digest.ts';
import { isSigcheckError } from '../../src/model/errors.ts';
import { checkOpenPGP } from '../../src/openpgp/check.ts';
import { bakedKeyring, fixtureBytes } from './fixtures.ts';

const D: Digest = 'sha256:0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363';
const HEX = D.slice(7);
const A = 'https://a.example/sigs';
const B = 'https://b.example/sigs';

type Answer = 'valid' | 'wrong-digest' | 'empty' | 404 | 503 | 'reject' | ((url: string) => Promise<FetchResult<Uint8Array>>);

const valid = () => fixtureBytes(`store/sha256=${HEX}/signature-1`);
// A genuine signature of another release: valid, but for another digest.
const wrongDigest = () => fixtureBytes('store/sha256=3717338045df06e31effea46761b2c7e90f543cc4f00547af8158dd6aea868c3/signature-1');

/** A fetch stand-in: `stores[base][n]` answers signature-n; anything not listed is 404. */
function fakeFetch(stores: Record<string, Record<number, Answer>>): FetchStoreSignature & { calls: string[] } {
  const calls: string[] = [];
  const fetch = async (url: string): Promise<FetchResult<Uint8Array>> => {
    calls.push(url);
    const m = /^(.*)\/sha256=([0-9a-f]{64})\/signature-(\d+)$/.exec(url);
    if (!m || m[2] !== HEX) throw new Error(`unexpected URL ${url}`);
    const answer = stores[m[1]!]?.[Number(m[3])] ?? 404;
    if (typeof answer === 'function') return answer(url);
    switch (answer) {
      case 'valid':
        return { kind: 'found', value: await valid(), source: url };
      case 'wrong-digest':
        return { kind: 'found', value: await wrongDigest(), source: url };
      case 'empty':
        return { kind: 'found', value: new Uint8Array(0), source: url };
      case 404:
        return { kind: 'not-found', source: url };
      case 503:
        return { kind: 'error', source: url, reason: 'HTTP 503 Service Unavailable after 5 retries' };
      case 'reject':
        throw new Error('socket hang up');
    }
  };
  return Object.assign(fetch, { calls });
}

async function check(stores: string[], fetch: FetchStoreSignature) {
  return checkOpenPGP(D, { stores, fetch, keyring: await bakedKeyring() });
}

const url = (base: string, n: number) => `${base}/sha256=${HEX}/signature-${n}`;

describe('store URLs', () => {
  it('are <base without trailing slash>/sha256=<hex>/signature-N', async () => {
    const fetch = fakeFetch({});
    await check([`${A}//`, 'file:///srv/store/'], fetch);
    expect(fetch.calls.sort()).toEqual([url(A, 1), `file:///srv/store/sha256=${HEX}/signature-1`].sort());
  });
});

describe('one store', () => {
  it('a valid signature-1 is verified, and the walk stops there', async () => {
    const fetch = fakeFetch({ [A]: { 1: 'valid', 2: 'valid' } });
    const r = await check([A], fetch);
    expect(r).toEqual({
      outcome: 'verified',
      reason: 'signed by Red Hat release key 2 (567E347A...FD431D51), v4 signature of 2024-02-26',
      source: url(A, 1),
      signer: 'Red Hat release key 2 (567E347A...FD431D51)',
      identity: 'quay.io/openshift-release-dev/ocp-release:4.15.0-x86_64',
    });
    expect(fetch.calls).toEqual([url(A, 1)]);
  });

  it('a 404 at signature-1 is missing, after one request', async () => {
    const fetch = fakeFetch({ [A]: {} });
    const r = await check([`${A}/`], fetch);
    expect(r.outcome).toBe('missing');
    expect(r.source).toBe(url(A, 1));
    expect(r.reason).toContain(`no signature for ${D} in ${A}/ (${url(A, 1)} answered not found)`);
    expect(r.attempts).toBeUndefined();
    expect(fetch.calls).toEqual([url(A, 1)]);
  });

  it('an invalid signature-1 does not stop the walk: a valid signature-2 verifies', async () => {
    const fetch = fakeFetch({ [A]: { 1: 'wrong-digest', 2: 'valid' } });
    const r = await check([A], fetch);
    expect([r.outcome, r.source]).toEqual(['verified', url(A, 2)]);
    expect(fetch.calls).toEqual([url(A, 1), url(A, 2)]);
  });

  it('an invalid signature-1 then a 404 is invalid, with the reason of each signature', async () => {
    const fetch = fakeFetch({ [A]: { 1: 'wrong-digest', 2: 'empty' } });
    const r = await check([A], fetch);
    expect(r.outcome).toBe('invalid');
    expect(r.source).toBe(url(A, 1));
    expect(r.reason).toMatch(/^2 signature\(s\) in https:\/\/a\.example\/sigs, none valid for sha256:0da6.*signature-1: DIGEST_MISMATCH: .*signature-2: MALFORMED: the signature is empty/);
    expect(r.attempts).toEqual([
      { source: url(A, 1), outcome: 'invalid', code: 'DIGEST_MISMATCH', reason: expect.stringMatching(/^DIGEST_MISMATCH: valid signature by Red Hat release key 2/) as string, signer: 'Red Hat release key 2 (567E347A...FD431D51)', identity: 'quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64' },
      { source: url(A, 2), outcome: 'invalid', code: 'MALFORMED', reason: 'MALFORMED: the signature is empty (0 bytes)' },
    ]);
    expect(fetch.calls).toEqual([url(A, 1), url(A, 2), url(A, 3)]);
  });

  it('a 5xx moves on to the next signature: 503 then valid is verified', async () => {
    const fetch = fakeFetch({ [A]: { 1: 503, 2: 'valid' } });
    expect((await check([A], fetch)).outcome).toBe('verified');
    expect(fetch.calls).toEqual([url(A, 1), url(A, 2)]);
  });

  it('503 then 404 is error, never missing: signature-1 might have been the valid one', async () => {
    const r = await check([A], fakeFetch({ [A]: { 1: 503 } }));
    expect(r.outcome).toBe('error');
    expect(r.reason).toBe(`could not determine whether ${D} is signed: ${url(A, 1)}: HTTP 503 Service Unavailable after 5 retries. Re-run later, or check network access to the signature stores`);
    expect(r.source).toBe(url(A, 1));
    expect(r.attempts).toEqual([{ source: url(A, 1), outcome: 'error', reason: 'HTTP 503 Service Unavailable after 5 retries' }]);
  });

  it('invalid, 503, 404 is error, never invalid', async () => {
    const r = await check([A], fakeFetch({ [A]: { 1: 'wrong-digest', 2: 503 } }));
    expect(r.outcome).toBe('error');
    expect(r.attempts?.map((a) => a.outcome)).toEqual(['invalid', 'error']);
  });

  it('the walk covers signature-1 to signature-9 and no further, whether every answer is an error or invalid', async () => {
    const errors = fakeFetch({ [A]: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i + 1, 503])) as Record<number, Answer> });
    const r1 = await check([A], errors);
    expect(r1.outcome).toBe('error');
    expect(errors.calls).toEqual(Array.from({ length: 9 }, (_, i) => url(A, i + 1)));
    expect(r1.reason).toContain(url(A, 9));

    const invalid = fakeFetch({ [A]: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [i + 1, 'wrong-digest'])) as Record<number, Answer> });
    const r2 = await check([A], invalid);
    expect(r2.outcome).toBe('invalid');
    expect(r2.attempts).toHaveLength(9);
    expect(invalid.calls).toHaveLength(9);
  });

  it('a fetcher that rejects instead of resolving counts as a failed fetch, not a crash', async () => {
    const r = await check([A], fakeFetch({ [A]: { 1: 'reject', 2: 'valid' } }));
    expect(r.outcome).toBe('verified');
    const r2 = await check([A], fakeFetch({ [A]: { 1: 'reject' } }));
    expect([r2.outcome, r2.attempts?.[0]?.reason]).toEqual(['error', 'socket hang up']);
  });
});

describe('several stores', () => {
  it('a verified signature from any store wins over errors, 404s and invalid signatures elsewhere', async () => {
    expect((await check([A, B], fakeFetch({ [A]: { 1: 503, 2: 503 }, [B]: { 1: 'valid' } }))).source).toBe(url(B, 1));
    expect((await check([A, B], fakeFetch({ [A]: {}, [B]: { 1: 'valid' } }))).outcome).toBe('verified');
    expect((await check([A, B], fakeFetch({ [A]: { 1: 'wrong-digest' }, [B]: { 1: 'valid' } }))).outcome).toBe('verified');
  });

  it('with every store read completely: invalid when any store had signatures, missing only when all answered not found', async () => {
    const invalidThenMissing = await check([A, B], fakeFetch({ [A]: { 1: 'wrong-digest' }, [B]: {} }));
    expect([invalidThenMissing.outcome, invalidThenMissing.source]).toEqual(['invalid', url(A, 1)]);
    const missingThenInvalid = await check([A, B], fakeFetch({ [A]: {}, [B]: { 1: 'wrong-digest' } }));
    expect([missingThenInvalid.outcome, missingThenInvalid.source]).toEqual(['invalid', url(B, 1)]);
    expect(missingThenInvalid.attempts?.map((a) => [a.source, a.outcome])).toEqual([[url(B, 1), 'invalid']]);
    const bothMissing = await check([A, B], fakeFetch({ [A]: {}, [B]: {} }));
    expect([bothMissing.outcome, bothMissing.reason]).toEqual(['missing', expect.stringMatching(/any of the 2 stores.*and so did every other store/)]);
  });

  it('a store that failed makes it error unless another verified: the signature it did not deliver might be the valid one', async () => {
    const r = await check([A, B], fakeFetch({ [A]: { 1: 503 }, [B]: {} }));
    expect([r.outcome, r.source]).toEqual(['error', url(A, 1)]);
    expect(r.attempts).toEqual([{ source: url(A, 1), outcome: 'error', reason: 'HTTP 503 Service Unavailable after 5 retries' }]);
    const invalidAndFailed = await check([A, B], fakeFetch({ [A]: { 1: 503 }, [B]: { 1: 'wrong-digest' } }));
    expect(invalidAndFailed.outcome).toBe('error');
    const both = await check([A, B], fakeFetch({ [A]: { 1: 503 }, [B]: { 1: 'wrong-digest', 2: 503 } }));
    expect(both.outcome).toBe('error');
    expect(both.source).toBe(url(B, 2));
  });

  it('asks the stores in parallel, and stops the others once one verified', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = (ms: number, answer: FetchResult<Uint8Array>['kind']) => async (u: string): Promise<FetchResult<Uint8Array>> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      inFlight--;
      if (answer === 'found') return { kind: 'found', value: await valid(), source: u };
      return answer === 'error' ? { kind: 'error', source: u, reason: 'timeout' } : { kind: 'not-found', source: u };
    };
    const bAnswers = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [i + 1, slow(100, 'error')])) as Record<number, Answer>;
    const fetch = fakeFetch({ [A]: { 1: slow(60, 'found') }, [B]: bAnswers });
    const started = Date.now();
    const r = await check([B, A], fetch);
    const elapsed = Date.now() - started;
    expect([r.outcome, r.source]).toEqual(['verified', url(A, 1)]);
    expect(maxInFlight).toBe(2);
    // B would need 9 x 100 ms; the result came when A verified, and B made at most one more request.
    expect(elapsed).toBeLessThan(700);
    await new Promise((r) => setTimeout(r, 250));
    expect(fetch.calls.filter((c) => c.startsWith(B)).length).toBeLessThanOrEqual(3);
  });
});

describe('caller errors', () => {
  it('no store is a CONFIG error and a bad digest an INVALID_DIGEST error, before any request', async () => {
    const fetch = fakeFetch({});
    const keyring = await bakedKeyring();
    await expect(checkOpenPGP(D, { stores: [], fetch, keyring })).rejects.toSatisfy((e) => isSigcheckError(e, 'CONFIG'));
    await expect(checkOpenPGP('sha256:abc' as Digest, { stores: [A], fetch, keyring })).rejects.toSatisfy((e) => isSigcheckError(e, 'INVALID_DIGEST'));
    expect(fetch.calls).toEqual([]);
  });
});
