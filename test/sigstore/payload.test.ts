import { describe, expect, it } from 'vitest';
import { parseSimpleSigningPayload } from '../../src/sigstore/payload.ts';
import { cosignPayload } from '../harness/cosign.ts';

const D = `sha256:${'a'.repeat(64)}`;
const R = 'quay.io/openshift-release-dev/ocp-release';

function parse(text: string | Uint8Array) {
  return parseSimpleSigningPayload(typeof text === 'string' ? new TextEncoder().encode(text) : text);
}
function withCritical(critical: string, optional = 'null'): string {
  return `{"critical":${critical},"optional":${optional}}`;
}
const goodCritical = `{"identity":{"docker-reference":"${R}@${D}"},"image":{"docker-manifest-digest":"${D}"},"type":"cosign container image signature"}`;

describe('parseSimpleSigningPayload', () => {
  it('reads the payload cosign writes (optional null)', () => {
    const r = parse(cosignPayload(`${R}@${D}`, D));
    expect(r).toEqual({ ok: true, payload: { dockerReference: `${R}@${D}`, dockerManifestDigest: D } });
  });

  it('reads optional creator and timestamp, ignoring other optional keys (any JSON)', () => {
    const r = parse(withCritical(goodCritical, '{"creator":"containers/image 5.21","timestamp":1657296609,"x":{"nested":[1,2,{"a":null}]},"y":1.5}'));
    expect(r).toEqual({ ok: true, payload: { dockerReference: `${R}@${D}`, dockerManifestDigest: D, creator: 'containers/image 5.21', timestamp: 1657296609 } });
  });

  it('accepts what Go accepts for optional: integral floats, nulls, an empty object, key order', () => {
    for (const optional of ['{"timestamp":1e3}', '{"timestamp":1.0}', '{"timestamp":-5}', '{"timestamp":null}', '{"creator":null}', '{}']) {
      expect(parse(withCritical(goodCritical, optional)).ok, optional).toBe(true);
    }
    expect(parse(`{"optional":null,"critical":{"type":"cosign container image signature","image":{"docker-manifest-digest":"${D}"},"identity":{"docker-reference":"${R}"}}}`).ok).toBe(true);
    expect(parse(withCritical(goodCritical, '{"timestamp":1e3}'))).toMatchObject({ payload: { timestamp: 1000 } });
  });

  it('accepts any digest go-digest accepts (the comparison with the image digest comes later)', () => {
    const sha512 = `sha512:${'b'.repeat(128)}`;
    const r = parse(withCritical(`{"identity":{"docker-reference":"${R}"},"image":{"docker-manifest-digest":"${sha512}"},"type":"cosign container image signature"}`));
    expect(r).toMatchObject({ ok: true, payload: { dockerManifestDigest: sha512 } });
  });

  const rejected: [string, string, RegExp][] = [
    ['an extra critical field', withCritical(goodCritical.replace('"type"', '"extra":1,"type"')), /critical has unexpected key "extra"/],
    ['an extra top-level field', `{"critical":${goodCritical},"optional":null,"x":1}`, /unexpected key "x"/],
    ['no optional', `{"critical":${goodCritical}}`, /missing key "optional"/],
    ['no critical', '{"optional":null}', /missing key "critical"/],
    ['critical null', withCritical('null'), /critical is not a JSON object/],
    ['no identity', withCritical(`{"image":{"docker-manifest-digest":"${D}"},"type":"cosign container image signature"}`), /missing key "identity"/],
    ['an extra identity field', withCritical(goodCritical.replace('"docker-reference"', '"x":"y","docker-reference"')), /critical.identity has unexpected key "x"/],
    ['an extra image field', withCritical(goodCritical.replace('"docker-manifest-digest"', '"x":"y","docker-manifest-digest"')), /critical.image has unexpected key/],
    ['the atomic type', withCritical(goodCritical.replace('cosign container image signature', 'atomic container signature')), /not "cosign container image signature"/],
    ['a type that is not a string', withCritical(goodCritical.replace('"cosign container image signature"', '1')), /critical.type is not a string/],
    ['an uppercase digest', withCritical(goodCritical.replaceAll(D, D.toUpperCase().replace('SHA256', 'sha256'))), /not a valid sha256 digest/],
    ['a short digest', withCritical(goodCritical.replaceAll(D, 'sha256:abc')), /not a valid sha256 digest/],
    ['an unknown digest algorithm', withCritical(goodCritical.replaceAll(D, `md5:${'a'.repeat(32)}`)), /not supported/],
    ['a null digest', withCritical(goodCritical.replace(`"docker-manifest-digest":"${D}"`, '"docker-manifest-digest":null')), /invalid docker-manifest-digest/],
    ['a numeric identity', withCritical(goodCritical.replace(`"${R}@${D}"`, '42')), /docker-reference is not a string/],
    ['a fractional timestamp', withCritical(goodCritical, '{"timestamp":1.5}'), /not an integer/],
    ['a timestamp beyond int64', withCritical(goodCritical, '{"timestamp":9223372036854775808}'), /not an integer/],
    ['a string timestamp', withCritical(goodCritical, '{"timestamp":"1"}'), /not a number/],
    ['a numeric creator', withCritical(goodCritical, '{"creator":5}'), /creator is not a string/],
    ['optional as a list', withCritical(goodCritical, '[]'), /optional is not a JSON object/],
    ['optional as a string', withCritical(goodCritical, '"x"'), /optional is not a JSON object/],
    ['a duplicate top-level key', `{"critical":${goodCritical},"critical":${goodCritical},"optional":null}`, /has the key "critical" twice/],
    ['a duplicate identity key', withCritical(goodCritical.replace('"docker-reference":', `"docker-reference":"evil.example/x:y","docker-reference":`)), /has the key "docker-reference" twice/],
    ['trailing data', `${withCritical(goodCritical)}x`, /after top-level value/],
    ['not JSON', 'not json', /invalid literal/],
    ['a JSON array', '[]', /the payload is not a JSON object/],
  ];
  for (const [what, text, reason] of rejected) {
    it(`rejects ${what}`, () => {
      const r = parse(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.reason).toMatch(reason);
        expect(r.reason).toMatch(/^payload is not a valid cosign simple-signing payload: /);
      }
    });
  }

  it('rejects invalid UTF-8 and a byte-order mark', () => {
    const bytes = new TextEncoder().encode(withCritical(goodCritical));
    const bad = new Uint8Array([...bytes.slice(0, 40), 0xff, ...bytes.slice(40)]);
    expect(parse(bad).ok).toBe(false);
    expect(parse(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes])).ok).toBe(false);
  });

  it('keeps a null docker-reference as "" (Go leaves the zero value; the identity rule then rejects it)', () => {
    const r = parse(withCritical(goodCritical.replace(`"${R}@${D}"`, 'null')));
    expect(r).toMatchObject({ ok: true, payload: { dockerReference: '' } });
  });
});
