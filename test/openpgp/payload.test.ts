import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { parseAtomicSignaturePayload, type PayloadResult } from '../../src/openpgp/payload.ts';

const D: Digest = 'sha256:0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363';
const OTHER: Digest = 'sha256:3717338045df06e31effea46761b2c7e90f543cc4f00547af8158dd6aea868c3';
const ART = `{"critical": {"image": {"docker-manifest-digest": "${D}"}, "type": "atomic container signature", "identity": {"docker-reference": "quay.io/openshift-release-dev/ocp-release:4.15.0-x86_64"}}, "optional": {"creator": "Red Hat OpenShift Signing Authority 0.0.1"}}`;

const parse = (text: string, expected: Digest = D): PayloadResult => parseAtomicSignaturePayload(Buffer.from(text, 'utf8'), expected);

// The payload as an untyped tree, so each test can break it in its own way.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Tree = any;
function build(mutate: (p: Tree) => void): string {
  const p = JSON.parse(ART) as Tree;
  mutate(p);
  return JSON.stringify(p);
}

function invalid(text: string | Uint8Array, pattern: RegExp): void {
  const r = typeof text === 'string' ? parse(text) : parseAtomicSignaturePayload(text, D);
  expect(r.ok ? 'ok' : `${r.code}: ${r.reason}`).toMatch(new RegExp(`^PAYLOAD_INVALID: .*${pattern.source}`));
}

describe('parseAtomicSignaturePayload', () => {
  it('accepts the byte layout Red Hat ART signs', () => {
    expect(parse(ART)).toEqual({
      ok: true,
      payload: { digest: D, identity: 'quay.io/openshift-release-dev/ocp-release:4.15.0-x86_64', creator: 'Red Hat OpenShift Signing Authority 0.0.1' },
    });
  });

  it('accepts optional {} and an int64 timestamp (oc, skopeo, the CI signer write one)', () => {
    expect(parse(build((p) => (p.optional = {})))).toMatchObject({ ok: true, payload: { digest: D } });
    const withTime = parse(build((p) => (p.optional = { creator: 'openshift release-controller', timestamp: 1555700000 })));
    expect(withTime.ok && withTime.payload.timestamp).toBe(1555700000);
    expect(parse(ART.replace('"Red Hat OpenShift Signing Authority 0.0.1"}', '"x", "timestamp": -9223372036854775808}')).ok).toBe(true);
    expect(parse(ART.replace('"Red Hat OpenShift Signing Authority 0.0.1"}', '"x", "timestamp": 9223372036854775807}')).ok).toBe(true);
  });

  it('never compares the identity with anything: another version\'s identity is fine', () => {
    const r = parse(build((p) => (p.critical.identity['docker-reference'] = 'quay.io/openshift-release-dev/ocp-release:4.10.18-x86_64')));
    expect(r.ok && r.payload.identity).toBe('quay.io/openshift-release-dev/ocp-release:4.10.18-x86_64');
    expect(parse(build((p) => (p.critical.identity['docker-reference'] = 'UPPERCASEISINVALID'))).ok).toBe(true);
  });

  it('a digest mismatch is its own code, naming the digest signed, with exact string equality', () => {
    const r = parse(ART, OTHER);
    expect(r).toMatchObject({ ok: false, code: 'DIGEST_MISMATCH', signedDigest: D, identity: 'quay.io/openshift-release-dev/ocp-release:4.15.0-x86_64' });
    expect(!r.ok && r.reason).toBe(`the signature signs "${D}", not ${OTHER}: it was filed under the wrong digest`);
    expect(parse(ART.replace(D, D.toUpperCase().replace('SHA256', 'sha256'))).ok).toBe(false);
    expect(parse(ART.replace(D, `${D} `)).ok).toBe(false);
    expect(parse(ART.replace(D, `sha512:${D.slice(7)}`))).toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('requires exactly critical and optional at the top', () => {
    invalid(build((p) => delete p.optional), /missing key "optional"/);
    invalid(build((p) => delete p.critical), /missing key "critical"/);
    invalid(build((p) => (p.extra = 1)), /unexpected key "extra"/);
    invalid('[]', /the signed payload is an array, not an object/);
    invalid('"x"', /not an object/);
  });

  it('requires exactly type, image and identity in critical, each of the right type', () => {
    invalid(build((p) => (p.critical.extra = 'x')), /critical has unexpected key "extra"/);
    invalid(build((p) => delete p.critical.type), /critical is missing key "type"/);
    invalid(build((p) => (p.critical.type = 'cosign container image signature')), /critical.type is "cosign container image signature", not "atomic container signature"/);
    invalid(build((p) => (p.critical.type = 1)), /critical.type is a number, not a string/);
    invalid(build((p) => (p.critical.image = 'sha256:x')), /critical.image is a string, not an object/);
    invalid(build((p) => (p.critical.image.extra = 1)), /critical.image has unexpected key "extra"/);
    invalid(build((p) => (p.critical.image['docker-manifest-digest'] = null)), /critical.image.docker-manifest-digest is null, not a string/);
    invalid(build((p) => (p.critical.identity = null)), /critical.identity is null, not an object/);
    invalid(build((p) => (p.critical.identity['docker-reference'] = '')), /critical.identity.docker-reference is empty/);
    invalid(build((p) => (p.critical.identity['docker-reference'] = ['x'])), /docker-reference is an array, not a string/);
    invalid(build((p) => (p.critical.identity.tag = 'x')), /critical.identity has unexpected key "tag"/);
  });

  it('allows only creator (string) and timestamp (int64 integer) in optional, as the cluster-version operator does', () => {
    invalid(build((p) => (p.optional.foo = 'bar')), /optional has unexpected key "foo"/);
    invalid(build((p) => (p.optional = null)), /optional is null, not an object/);
    invalid(build((p) => (p.optional.creator = 5)), /optional.creator is a number, not a string/);
    invalid(build((p) => (p.optional.timestamp = '1')), /optional.timestamp is a string, not an integer/);
    invalid(ART.replace('0.0.1"}', '0.0.1", "timestamp": 0.5}'), /optional.timestamp "0.5" is not an integer/);
    invalid(ART.replace('0.0.1"}', '0.0.1", "timestamp": 1e3}'), /optional.timestamp "1e3" is not an integer/);
    invalid(ART.replace('0.0.1"}', '0.0.1", "timestamp": 9223372036854775808}'), /does not fit a 64-bit integer/);
  });

  it('rejects duplicate keys at any level, trailing data, non-UTF-8 and deep nesting', () => {
    invalid(ART.replace('"type": "atomic container signature"', '"type": "atomic container signature", "type": "atomic container signature"'), /duplicate key "type"/);
    invalid(ART.replace(`"docker-manifest-digest": "${D}"`, `"docker-manifest-digest": "${OTHER}", "docker-manifest-digest": "${D}"`), /duplicate key "docker-manifest-digest"/);
    invalid(`${ART}{}`, /trailing data/);
    const bytes = Buffer.from(ART, 'utf8');
    bytes[ART.indexOf('Red Hat')] = 0xff;
    invalid(bytes, /not valid UTF-8/);
    invalid(`${'['.repeat(50)}${']'.repeat(50)}`, /nesting deeper than 8 levels/);
    invalid('', /unexpected end of input/);
    invalid('This is not JSON\n', /not valid JSON/);
  });

  it('keeps a "__proto__" key as an unexpected key, never as a prototype', () => {
    invalid(ART.replace('"optional": {', '"optional": {"__proto__": {"creator": 1}, '), /optional has unexpected key "__proto__"/);
  });

  it('rejects a payload over 1 MiB before parsing it', () => {
    invalid(`{"critical": ${' '.repeat(1024 * 1024)}}`, /over the 1048576-byte limit/);
  });
});
