import { describe, expect, it } from 'vitest';
import { isSigcheckError, isUsageError } from '../../src/model/errors.ts';
import { parsePolicyJson, type SigstoreSignedRequirement, type SignedByRequirement } from '../../src/policy/policy-json.ts';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const parse = (v: unknown) => parsePolicyJson(enc(v), 'policy.json');

/** The error a policy gives: its code, file and JSON path (decisions are made on these, never on the text). */
function failure(v: unknown): { code: string; file?: string; jsonPath?: string; message: string } {
  try {
    parse(v);
  } catch (err) {
    if (isSigcheckError(err)) return { code: err.code, ...(err.file ? { file: err.file } : {}), ...(err.jsonPath !== undefined ? { jsonPath: err.jsonPath } : {}), message: err.message };
    throw err;
  }
  throw new Error('the policy parsed');
}

const KEY_B64 = Buffer.from('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n').toString('base64');

describe('parsePolicyJson: what containers/image loads', () => {
  it('reads every requirement type, in order, with its JSON path', () => {
    const p = parse({
      default: [{ type: 'reject' }],
      transports: {
        docker: {
          '': [{ type: 'insecureAcceptAnything' }],
          'quay.io/a': [
            { type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k.gpg' },
            { type: 'sigstoreSigned', keyData: KEY_B64, signedIdentity: { type: 'matchRepository' } },
            { type: 'signedBaseLayer', baseLayerIdentity: { type: 'exactRepository', dockerRepository: 'quay.io/base' } },
          ],
        },
        'docker-daemon': { '': [{ type: 'insecureAcceptAnything' }] },
      },
    });
    expect(p.default.requirements.map((r) => r.type)).toEqual(['reject']);
    const reqs = p.transports.get('docker')?.get('quay.io/a');
    expect(reqs?.at).toBe('transports.docker["quay.io/a"]');
    expect(reqs?.requirements.map((r) => [r.type, r.at])).toEqual([
      ['signedBy', 'transports.docker["quay.io/a"][0]'],
      ['sigstoreSigned', 'transports.docker["quay.io/a"][1]'],
      ['signedBaseLayer', 'transports.docker["quay.io/a"][2]'],
    ]);
    const signedBy = reqs?.requirements[0] as SignedByRequirement;
    expect(signedBy.signedIdentity).toEqual({ type: 'matchRepoDigestOrExact' });
    expect(signedBy.keys).toMatchObject({ kind: 'paths', paths: ['/k.gpg'], at: 'transports.docker["quay.io/a"][0].keyPath' });
    const sigstore = reqs?.requirements[1] as SigstoreSignedRequirement;
    expect(sigstore.root.kind === 'keys' && sigstore.root.keys.kind === 'data' && Buffer.from(sigstore.root.keys.data[0]!).toString()).toContain('BEGIN PUBLIC KEY');
    expect(sigstore.signedIdentity).toEqual({ type: 'matchRepository' });
  });

  it('reads fulcio and pki roots (which the evaluation reports as not evaluated)', () => {
    const p = parse({
      default: [
        { type: 'sigstoreSigned', fulcio: { caData: KEY_B64, oidcIssuer: 'https://i', subjectEmail: 'a@b' }, rekorPublicKeyData: KEY_B64 },
        { type: 'sigstoreSigned', pki: { caRootsPath: '/r.pem', subjectHostname: 'h.example.com' } },
      ],
    });
    expect(p.default.requirements.map((r) => (r as SigstoreSignedRequirement).root.kind)).toEqual(['fulcio', 'pki']);
  });

  it('accepts keyPaths and keyDatas, and an empty signedBy keyPaths (which then trusts no key)', () => {
    const p = parse({ default: [{ type: 'sigstoreSigned', keyDatas: [KEY_B64, KEY_B64] }, { type: 'signedBy', keyType: 'GPGKeys', keyPaths: [] }] });
    expect(p.default.requirements).toHaveLength(2);
  });

  it('is a usage error (exit 2), code POLICY_JSON', () => {
    const f = failure({ default: [{ type: 'nope' }] });
    expect(f.code).toBe('POLICY_JSON');
    let thrown: unknown;
    try {
      parse({ default: [] });
    } catch (err) {
      thrown = err;
    }
    expect(isUsageError(thrown)).toBe(true);
  });

  const bad: [string, unknown, string][] = [
    ['an unknown requirement type', { default: [{ type: 'signedByMe' }] }, 'default[0].type'],
    ['a requirement without a type', { default: [{}] }, 'default[0].type'],
    ['a requirement that is not an object', { default: ['reject'] }, 'default[0]'],
    ['no default', { transports: {} }, 'default'],
    ['an empty default', { default: [] }, 'default'],
    ['an empty scope', { default: [{ type: 'reject' }], transports: { docker: { 'quay.io': [] } } }, 'transports.docker["quay.io"]'],
    ['an unknown top-level key', { default: [{ type: 'reject' }], transport: {} }, 'transport'],
    ['an unknown key in reject', { default: [{ type: 'reject', reason: 'x' }] }, 'default[0].reason'],
    ['signedBy without a key', { default: [{ type: 'signedBy', keyType: 'GPGKeys' }] }, 'default[0]'],
    ['signedBy with two key sources', { default: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/a', keyData: KEY_B64 }] }, 'default[0]'],
    ['signedBy without keyType', { default: [{ type: 'signedBy', keyPath: '/a' }] }, 'default[0].keyType'],
    ['signedBy with a bad keyType', { default: [{ type: 'signedBy', keyType: 'PGP', keyPath: '/a' }] }, 'default[0].keyType'],
    ['signedBy with an empty keyPath', { default: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '' }] }, 'default[0].keyPath'],
    ['keyData holding a path (the signedRegistries enhancement example)', { default: [{ type: 'signedBy', keyType: 'GPGKeys', keyData: '/tmp/key1.gpg' }] }, 'default[0].keyData'],
    ['sigstoreSigned without a key', { default: [{ type: 'sigstoreSigned' }] }, 'default[0]'],
    ['sigstoreSigned with keyPath and keyData', { default: [{ type: 'sigstoreSigned', keyPath: '/a', keyData: KEY_B64 }] }, 'default[0]'],
    ['sigstoreSigned with an empty keyPaths', { default: [{ type: 'sigstoreSigned', keyPaths: [] }] }, 'default[0].keyPaths'],
    ['fulcio without a Rekor key', { default: [{ type: 'sigstoreSigned', fulcio: { caPath: '/c', oidcIssuer: 'i', subjectEmail: 'e' } }] }, 'default[0]'],
    ['fulcio without an issuer', { default: [{ type: 'sigstoreSigned', fulcio: { caPath: '/c', subjectEmail: 'e' }, rekorPublicKeyPath: '/r' }] }, 'default[0].fulcio.oidcIssuer'],
    ['pki with a Rekor key', { default: [{ type: 'sigstoreSigned', pki: { caRootsPath: '/r', subjectEmail: 'e' }, rekorPublicKeyPath: '/r' }] }, 'default[0]'],
    ['two Rekor key sources', { default: [{ type: 'sigstoreSigned', keyPath: '/k', rekorPublicKeyPath: '/r', rekorPublicKeyData: KEY_B64 }] }, 'default[0]'],
    ['an unknown identity type', { default: [{ type: 'sigstoreSigned', keyPath: '/k', signedIdentity: { type: 'matchAnything' } }] }, 'default[0].signedIdentity.type'],
    ['exactReference without a tag', { default: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k', signedIdentity: { type: 'exactReference', dockerReference: 'quay.io/a/b' } }] }, 'default[0].signedIdentity.dockerReference'],
    ['exactRepository that is not a reference', { default: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k', signedIdentity: { type: 'exactRepository', dockerRepository: 'Quay.io/A' } }] }, 'default[0].signedIdentity.dockerRepository'],
    ['remapIdentity with a tag in the prefix', { default: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k', signedIdentity: { type: 'remapIdentity', prefix: 'quay.io/a:1', signedPrefix: 'quay.io/b' } }] }, 'default[0].signedIdentity.prefix'],
    ['matchExact with an extra field', { default: [{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/k', signedIdentity: { type: 'matchExact', x: 1 } }] }, 'default[0].signedIdentity.x'],
    ['signedBaseLayer without its identity', { default: [{ type: 'signedBaseLayer' }] }, 'default[0].baseLayerIdentity'],
    ['null where a list belongs', { default: null }, 'default'],
    ['a transport that is not an object', { default: [{ type: 'reject' }], transports: { docker: [] } }, 'transports.docker'],
  ];
  for (const [what, policy, at] of bad) {
    it(`refuses ${what}, naming ${at}`, () => {
      const f = failure(policy);
      expect(f).toMatchObject({ code: 'POLICY_JSON', file: 'policy.json', jsonPath: at });
      expect(f.message).toContain(`policy.json: ${at}`);
    });
  }

  it('refuses duplicate keys, as ParanoidUnmarshalJSONObject does', () => {
    expect(failure('{"default":[{"type":"reject"}],"default":[{"type":"insecureAcceptAnything"}]}')).toMatchObject({ code: 'POLICY_JSON', jsonPath: '' });
    expect(failure('{"default":[{"type":"reject","type":"reject"}]}').message).toMatch(/duplicate key/);
  });

  it('says where a syntax error is, by line and column', () => {
    const f = failure('{\n  "default": [\n    {"type": "reject"},\n  ]\n}');
    expect(f.code).toBe('POLICY_JSON');
    expect(f.message).toMatch(/line 4, column 3/);
  });
});
