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

  it('decodes like Go into the operator\'s struct: a missing or null member is the zero value, so optional may be absent or null', () => {
    expect(parse(build((p) => delete p.optional))).toMatchObject({ ok: true, payload: { digest: D } });
    expect(parse(build((p) => (p.optional = null)))).toMatchObject({ ok: true, payload: { digest: D } });
    expect(parse(build((p) => (p.optional = { creator: null, timestamp: null })))).toMatchObject({ ok: true, payload: { digest: D } });
    invalid(build((p) => delete p.critical), /critical.type is "", not "atomic container signature"/);
    invalid(build((p) => delete p.critical.type), /critical.type is ""/);
    invalid(build((p) => (p.critical.identity = null)), /docker-reference is missing or empty/);
    invalid(build((p) => (p.critical.identity['docker-reference'] = '')), /docker-reference is missing or empty/);
    expect(parse(build((p) => (p.critical.image['docker-manifest-digest'] = null)))).toMatchObject({ code: 'DIGEST_MISMATCH', signedDigest: '' });
  });

  it('matches keys case-insensitively, as Go\'s decoder does (also the Kelvin sign for k and the long s for s)', () => {
    const upper = ART.replace('"critical"', '"CRITICAL"').replace('"docker-manifest-digest"', '"Docker-Manifest-Digest"').replace('"optional"', '"Optional"');
    expect(parse(upper)).toMatchObject({ ok: true, payload: { digest: D } });
    expect(parse(ART.replace('"docker-reference"', '"doc\u212Aer-reference"').replace('"type"', '"type"').replace('"optional"', '"optional"'))).toMatchObject({ ok: true });
    expect(parse(ART.replace('"identity"', '"identity"').replace('"docker-reference"', '"docker-reference"').replace('"critical"', '"critical"').replace('"signature"', '"\u017fignature"'))).toMatchObject({ ok: true });
  });

  it('refuses unknown keys at every level and wrong types, as DisallowUnknownFields and Go\'s type checks do', () => {
    invalid(build((p) => (p.extra = 1)), /unknown key "extra"/);
    invalid('[]', /the signed payload is an array, not an object/);
    invalid('"x"', /not an object/);
    invalid(build((p) => (p.critical.extra = 'x')), /critical has unknown key "extra"/);
    invalid(build((p) => (p.critical.type = 'cosign container image signature')), /critical.type is "cosign container image signature", not "atomic container signature"/);
    invalid(build((p) => (p.critical.type = 1)), /critical.type is a number, not a string/);
    invalid(build((p) => (p.critical.image = 'sha256:x')), /critical.image is a string, not an object/);
    invalid(build((p) => (p.critical.image.extra = 1)), /critical.image has unknown key "extra"/);
    invalid(build((p) => (p.critical.identity['docker-reference'] = ['x'])), /docker-reference is an array, not a string/);
    invalid(build((p) => (p.critical.identity.tag = 'x')), /critical.identity has unknown key "tag"/);
    invalid(build((p) => (p.optional.foo = 'bar')), /optional has unknown key "foo"/);
    invalid(build((p) => (p.optional.creator = 5)), /optional.creator is a number, not a string/);
    invalid(build((p) => (p.optional.timestamp = '1')), /optional.timestamp is a string, not an integer/);
    invalid(ART.replace('0.0.1"}', '0.0.1", "timestamp": 0.5}'), /optional.timestamp "0.5" is not a 64-bit integer/);
    invalid(ART.replace('0.0.1"}', '0.0.1", "timestamp": 1e3}'), /optional.timestamp "1e3" is not a 64-bit integer/);
    invalid(ART.replace('0.0.1"}', '0.0.1", "timestamp": 9223372036854775808}'), /is not a 64-bit integer/);
  });

  it('reads only the first JSON value, replaces invalid UTF-8 inside strings, and refuses syntax errors in the value', () => {
    expect(parse(`${ART}{} trailing garbage`)).toMatchObject({ ok: true });
    const bytes = Buffer.from(ART, 'utf8');
    bytes[ART.indexOf('Red Hat')] = 0xff;
    const r = parseAtomicSignaturePayload(bytes, D);
    expect(r.ok && r.payload.creator).toBe('\ufffded Hat OpenShift Signing Authority 0.0.1');
    invalid('', /unexpected end of JSON input/);
    invalid('This is not JSON\n', /not valid JSON/);
    invalid(ART.slice(0, -1), /unexpected end of JSON input/);
    invalid(`${'['.repeat(50)}${']'.repeat(50)}`, /an array, not an object/);
  });

  it('refuses a repeated key (also one repeated in another letter case) with deliberate: the operator would read the last', () => {
    const twice = parse(ART.replace('"type": "atomic container signature"', '"type": "atomic container signature", "type": "atomic container signature"'));
    expect(twice).toMatchObject({ ok: false, code: 'DUPLICATE_KEY', deliberate: true });
    const folded = parse(ART.replace(`"docker-manifest-digest": "${D}"`, `"docker-manifest-digest": "${OTHER}", "Docker-Manifest-Digest": "${D}"`));
    expect(folded).toMatchObject({ ok: false, code: 'DUPLICATE_KEY', deliberate: true });
    expect(!folded.ok && folded.reason).toMatch(/repeats the key "Docker-Manifest-Digest".*would accept/);
    // The operator rejects this one itself (the last value is the wrong digest): not deliberate.
    expect(parse(ART.replace(`"docker-manifest-digest": "${D}"`, `"docker-manifest-digest": "${D}", "docker-manifest-digest": "${OTHER}"`))).toMatchObject({ code: 'DIGEST_MISMATCH' });
  });

  it('keeps a "__proto__" key as an unknown key, never as a prototype', () => {
    invalid(ART.replace('"optional": {', '"optional": {"__proto__": {"creator": 1}, '), /optional has unknown key "__proto__"/);
    invalid(ART.replace('"optional": {', '"optional": {"constructor": 1, '), /optional has unknown key "constructor"/);
  });

  it('refuses a payload over 4 MiB before parsing it', () => {
    invalid(`{"critical": ${' '.repeat(4 * 1024 * 1024)}}`, /over the 4194304-byte limit/);
  });
});
