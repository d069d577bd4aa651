import { createHash, sign as cryptoSign } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStrictJson } from '../../src/json/strict.ts';
import { canonicalJson, verifyRekorSet } from '../../src/sigstore/rekor.ts';
import { cosignPayload, generateP256Key, signPayload, type TestKey } from '../harness/cosign.ts';
import { CI, fixtureKey, readOcMirrorLayouts } from './fixtures.ts';

const rekorPub = fixtureKey(join(CI, 'rekor.pub'), 'rekor.pub');

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units and serialises numbers and strings as ECMAScript does', () => {
    const value = parseStrictJson('{"b":1.0,"a":[1e21,0.1,-0,"\\u00e9\\n"],"\\u00e9":null,"A":true,"€":{}}');
    expect(canonicalJson(value)).toBe('{"A":true,"a":[1e+21,0.1,0,"é\\n"],"b":1,"é":null,"€":{}}');
  });
});

describe('verifyRekorSet with the oc-mirror captures (public-good Rekor)', () => {
  const layout = readOcMirrorLayouts()[0];
  if (!layout) throw new Error('no oc-mirror layout');
  const set = layout.layer.annotations['dev.sigstore.cosign/bundle'] ?? '';
  const sig = layout.layer.annotations['dev.cosignproject.cosign/signature'] ?? '';

  it('verifies and returns the integrated time', () => {
    const r = verifyRekorSet([rekorPub.key], set, layout.embeddedKey.spki, sig, layout.payload);
    expect(r.ok && r.integratedTime).toBeGreaterThan(1_700_000_000);
  });

  it('verifies the canonical form: reordering and whitespace in the delivered JSON do not matter', () => {
    const parsed = JSON.parse(set) as { SignedEntryTimestamp: string; Payload: Record<string, unknown> };
    const reordered = `{ "Payload": ${JSON.stringify(Object.fromEntries(Object.entries(parsed.Payload).reverse()), null, 2)},\n "SignedEntryTimestamp": ${JSON.stringify(parsed.SignedEntryTimestamp)} }`;
    expect(verifyRekorSet([rekorPub.key], reordered, layout.embeddedKey.spki, sig, layout.payload).ok).toBe(true);
  });

  const failures: [string, () => ReturnType<typeof verifyRekorSet>, RegExp][] = [
    ['another Rekor key', () => verifyRekorSet([generateP256Key().publicKey], set, layout.embeddedKey.spki, sig, layout.payload), /verification of Rekor SET failed/],
    ['another signing key', () => verifyRekorSet([rekorPub.key], set, generateP256Key().trusted.spki, sig, layout.payload), /publicKey in Rekor SET does not match/],
    ['another signature', () => verifyRekorSet([rekorPub.key], set, layout.embeddedKey.spki, Buffer.from('x').toString('base64'), layout.payload), /signature in Rekor SET does not match/],
    ['another payload', () => verifyRekorSet([rekorPub.key], set, layout.embeddedKey.spki, sig, new TextEncoder().encode('{}')), /payload in Rekor SET does not match/],
    ['a changed integratedTime', () => verifyRekorSet([rekorPub.key], set.replace(/"integratedTime":(\d+)/, (_m, t: string) => `"integratedTime":${Number(t) + 1}`), layout.embeddedKey.spki, sig, layout.payload), /verification of Rekor SET failed/],
    ['an extra field', () => verifyRekorSet([rekorPub.key], set.replace('{"SignedEntryTimestamp"', '{"x":1,"SignedEntryTimestamp"'), layout.embeddedKey.spki, sig, layout.payload), /unexpected key "x"/],
    ['not JSON', () => verifyRekorSet([rekorPub.key], 'nope', layout.embeddedKey.spki, sig, layout.payload), /not valid JSON/],
  ];
  for (const [what, run, reason] of failures) {
    it(`rejects ${what}`, () => {
      const r = run();
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    });
  }
});

/** A SET made by a test "Rekor": canonical payload signed with an ECDSA key. */
function makeSet(rekor: TestKey, body: unknown, extra: Record<string, unknown> = {}): string {
  const payload = { body: Buffer.from(JSON.stringify(body)).toString('base64'), integratedTime: 1700000000, logIndex: 1, logID: 'abc', ...extra };
  const canonical = canonicalJson(parseStrictJson(JSON.stringify(payload)));
  const set = cryptoSign('sha256', Buffer.from(canonical), rekor.privateKey).toString('base64');
  return JSON.stringify({ SignedEntryTimestamp: set, Payload: payload });
}

describe('verifyRekorSet on hashedrekord bodies', () => {
  const rekor = generateP256Key('test rekor');
  const signer = generateP256Key('signer');
  const payload = cosignPayload('quay.io/x/y@sha256:' + 'a'.repeat(64), 'sha256:' + 'a'.repeat(64));
  const signature = signPayload(payload, signer);
  const entry = (over: Record<string, unknown> = {}) => ({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') } },
      signature: { content: signature, publicKey: { content: Buffer.from(signer.publicPem).toString('base64') } },
    },
    ...over,
  });
  const check = (body: unknown) => verifyRekorSet([rekor.publicKey], makeSet(rekor, body), signer.trusted.spki, signature, payload);

  it('accepts a well-formed entry', () => {
    expect(check(entry())).toEqual({ ok: true, integratedTime: 1700000000 });
  });
  const bad: [string, unknown, RegExp][] = [
    ['another kind', entry({ kind: 'rekord' }), /invalid kind value: "rekord"/],
    ['another apiVersion', entry({ apiVersion: '0.0.2' }), /unsupported Rekor SET Payload hashedrekord version/],
    ['no apiVersion', { kind: 'hashedrekord', spec: entry().spec }, /missing Rekor SET Payload API version/],
    ['a sha512 hash', { ...entry(), spec: { ...entry().spec, data: { hash: { algorithm: 'sha512', value: 'aa' } } } }, /unexpected "data.hash.algorithm" value "sha512"/],
    ['no data', { ...entry(), spec: { signature: entry().spec.signature } }, /missing "data" field/],
    ['no public key', { ...entry(), spec: { ...entry().spec, signature: { content: signature } } }, /missing "signature.publicKey" field/],
    ['a public key with trailing data', { ...entry(), spec: { ...entry().spec, signature: { content: signature, publicKey: { content: Buffer.from(`${signer.publicPem}junk`).toString('base64') } } } }, /has trailing data/],
  ];
  for (const [what, body, reason] of bad) {
    it(`rejects ${what}`, () => {
      const r = check(body);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    });
  }
  it('rejects a non-integer logIndex', () => {
    const r = verifyRekorSet([rekor.publicKey], makeSet(rekor, entry(), { logIndex: 1.5 }), signer.trusted.spki, signature, payload);
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/logIndex is not an integer/) });
  });
});
