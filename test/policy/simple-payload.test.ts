import { describe, expect, it } from 'vitest';
import { parseSimpleSigningClaims } from '../../src/policy/simple-payload.ts';
import { parseAtomicSignaturePayload } from '../../src/openpgp/payload.ts';

const D = `sha256:${'c'.repeat(64)}` as const;
const enc = (s: string) => new TextEncoder().encode(s);
const payload = (optional: string) => `{"critical":{"type":"atomic container signature","image":{"docker-manifest-digest":"${D}"},"identity":{"docker-reference":"quay.io/a/b:1"}},"optional":${optional}}`;

describe('parseSimpleSigningClaims: the payload as containers/image reads it under signedBy', () => {
  it('returns the digest and identity without judging them', () => {
    expect(parseSimpleSigningClaims(enc(payload('{"creator":"c","timestamp":5}')))).toEqual({ ok: true, claims: { dockerManifestDigest: D, dockerReference: 'quay.io/a/b:1', creator: 'c', timestamp: 5 } });
  });
  it('ignores unknown optional keys, which the cluster-version operator refuses', () => {
    const text = payload('{"creator":"c","notes":{"any":[1]}}');
    expect(parseSimpleSigningClaims(enc(text)).ok).toBe(true);
    expect(parseAtomicSignaturePayload(enc(text), D).ok).toBe(false);
  });
  it('accepts an integral float timestamp (1e3) and refuses a fractional one', () => {
    expect(parseSimpleSigningClaims(enc(payload('{"timestamp":1e3}')))).toMatchObject({ ok: true, claims: { timestamp: 1000 } });
    expect(parseSimpleSigningClaims(enc(payload('{"timestamp":1.5}')))).toMatchObject({ ok: false, reason: expect.stringMatching(/not an integer/) });
  });
  const bad: [string, string][] = [
    ['optional null', payload('null')],
    ['optional missing', payload('{}').replace(',"optional":{}', '')],
    ['a capitalised key', payload('{}').replace('"critical"', '"Critical"')],
    ['another type', payload('{}').replace('atomic container signature', 'cosign container image signature')],
    ['an unknown digest algorithm', payload('{}').replace(D, `md5:${'d'.repeat(32)}`)],
    ['a duplicate key', payload('{}').replace('{"critical":', '{"optional":{},"critical":')],
    ['an identity that is not an object', payload('{}').replace('{"docker-reference":"quay.io/a/b:1"}', '"quay.io/a/b:1"')],
  ];
  for (const [what, text] of bad) it(`refuses ${what}`, () => expect(parseSimpleSigningClaims(enc(text)).ok).toBe(false));
});
