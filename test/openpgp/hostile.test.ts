/**
 * A hostile corpus: each blob must resolve to an `invalid` verdict with a precise code, never throw,
 * never verify content other than what was signed, and stay within bounded memory.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { OpenPGPKeyring, readOpenPGPKeys } from '../../src/openpgp/keys.ts';
import { splitPackets as readPackets } from './builder.ts';
import { MAX_INFLATED_BYTES, MAX_SIGNATURE_BYTES, verifyOpenPGPSignature, type OpenPGPVerdict } from '../../src/openpgp/verify.ts';
import { GpgHome, simpleSigningPayload, type GpgKey } from '../harness/gpg.ts';
import { b, buildV3Signature, compressedPacket, literalPacket, makeTestRsaKey, newPacket, oldPacket, onePassPacket, v3MessagePackets, type TestRsaKey } from './builder.ts';
import { bakedKeyring, fixtureBytes, REAL_RELEASE_SIGNATURES } from './fixtures.ts';

const DIGEST: Digest = `sha256:${createHash('sha256').update('hostile').digest('hex')}`;
const REFERENCE = 'quay.io/openshift-release-dev/ocp-release:4.99.1-x86_64';
const PAYLOAD = simpleSigningPayload({ digest: DIGEST, reference: REFERENCE });

const CODES = new Set([
  'MALFORMED', 'NOT_SIGNED_MESSAGE', 'UNSUPPORTED_COMPRESSION', 'DECOMPRESSION_LIMIT',
  'UNSUPPORTED_SIGNATURE', 'UNTRUSTED_KEY', 'WEAK_HASH', 'WEAK_KEY', 'REVOKED_KEY', 'UNUSABLE_KEY', 'EXPIRED',
  'BAD_SIGNATURE', 'PAYLOAD_INVALID', 'DUPLICATE_KEY', 'DIGEST_MISMATCH',
]);

let gpg: GpgHome;
let gpgKey: GpgKey;
let gpgRing: OpenPGPKeyring;
let v3key: TestRsaKey;

beforeAll(async () => {
  gpg = await GpgHome.create();
  gpgKey = await gpg.generateKey({ name: 'Hostile corpus key' });
  gpgRing = new OpenPGPKeyring(await readOpenPGPKeys(await gpg.exportPublicKey(gpgKey.fingerprint), 'gpg'));
  v3key = await makeTestRsaKey({ date: new Date('2021-01-01T00:00:00Z') });
});
afterAll(async () => {
  await gpg?.close();
});

function describeVerdict(v: OpenPGPVerdict): string {
  return v.ok ? 'verified' : `${v.code}: ${v.reason}`;
}

function expectCode(v: OpenPGPVerdict, code: string, reason?: RegExp): void {
  expect(describeVerdict(v)).toMatch(new RegExp(`^${code}: `));
  if (reason) expect(!v.ok && v.reason).toMatch(reason);
}

/** Signs arbitrary bytes as a payload with the gpg key (trusted by gpgRing). */
function gpgSign(payload: string | Uint8Array, compress: 'zip' | 'none' = 'zip'): Promise<Uint8Array> {
  return gpg.sign(payload, { key: gpgKey.fingerprint, compress });
}

describe('damaged genuine signatures', () => {
  const cases = [REAL_RELEASE_SIGNATURES[0]!, REAL_RELEASE_SIGNATURES.find((s) => s.version === 3)!];

  it.each(cases.map((c) => [`v${c.version}`, c] as const))('every truncation of the genuine %s signature that cuts into what the operator reads is invalid, without a throw', async (_v, s) => {
    const blob = await fixtureBytes(s.file);
    const ring = await bakedKeyring();
    const codes = new Map<string, number>();
    // The last byte of the ZIP stream holds only padding after the end-of-block code: x/crypto (and
    // so the oracle) still reads the whole message without it, so the loop stops two bytes short.
    for (let length = 0; length < blob.length - 1; length++) {
      const verdict = await verifyOpenPGPSignature(blob.subarray(0, length), s.digest, ring);
      expect(verdict.ok, `truncated to ${length} bytes`).toBe(false);
      if (!verdict.ok) {
        expect(CODES.has(verdict.code), verdict.code).toBe(true);
        codes.set(verdict.code, (codes.get(verdict.code) ?? 0) + 1);
      }
    }
    console.log(`v${s.version}: ${blob.length} truncations, codes ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(codes.get('MALFORMED')).toBeGreaterThan(blob.length / 2);
  });

  it.each(cases.map((c) => [`v${c.version}`, c] as const))('a bit flipped in any byte of the genuine %s signature never verifies other content', async (_v, s) => {
    const blob = await fixtureBytes(s.file);
    const ring = await bakedKeyring();
    let verified = 0;
    for (let i = 0; i < blob.length; i++) {
      const flipped = Uint8Array.from(blob);
      flipped[i]! ^= 1 << (i % 8);
      const verdict = await verifyOpenPGPSignature(flipped, s.digest, ring);
      if (verdict.ok) {
        // Only bytes the signature does not cover (the literal packet's file name and date) may change.
        verified++;
        expect(verdict.identity).toBe(s.identity);
        expect(verdict.payload.digest).toBe(s.digest);
      } else {
        expect(CODES.has(verdict.code), `${i}: ${verdict.code}`).toBe(true);
      }
    }
    console.log(`v${s.version}: ${blob.length} bit flips, ${verified} changed only unsigned literal metadata`);
    expect(verified).toBeLessThan(blob.length / 10);
  });

  it('a genuine signature replayed for another digest is DIGEST_MISMATCH', async () => {
    const [a, c] = [REAL_RELEASE_SIGNATURES[0]!, REAL_RELEASE_SIGNATURES[1]!];
    const verdict = await verifyOpenPGPSignature(await fixtureBytes(a.file), c.digest, await bakedKeyring());
    expectCode(verdict, 'DIGEST_MISMATCH', new RegExp(`signs "${a.digest}", not ${c.digest}`));
  });

  it('the payload of a genuine signature moved under a forged signature is BAD_SIGNATURE', async () => {
    // A v3 message by the test key, relabelled with release key 2's key ID, claims Red Hat's trust.
    const forged = buildV3Signature({ key: { ...v3key, keyId: '199E2F91FD431D51' }, payload: PAYLOAD });
    expectCode(await verifyOpenPGPSignature(forged, DIGEST, await bakedKeyring()), 'BAD_SIGNATURE');
  });
});

describe('decompression and size limits', () => {
  /** Compressed zeros, optionally after the start of a message whose literal data claims all of them. */
  function bomb(inflated: number, algorithm: 'zip' | 'zlib', asLiteral = false): Uint8Array {
    const zeros = Buffer.alloc(inflated);
    const head = asLiteral ? b(onePassPacket({ sigClass: 0, hash: 8, pkAlgo: 1, keyId: gpgKey.keyId }), [0xcb, 0xff], Buffer.from(new Uint32Array([0]).buffer)) : new Uint8Array(0);
    if (asLiteral) new DataView(head.buffer, head.byteOffset + head.length - 4).setUint32(0, inflated);
    const content = b(head, zeros);
    const data = algorithm === 'zip' ? deflateRawSync(content, { level: 9 }) : deflateSync(content, { level: 9 });
    return oldPacket(8, b([algorithm === 'zip' ? 1 : 2], data), 'indeterminate');
  }

  it.each(['zip', 'zlib'] as const)('a %s bomb of under 50 KiB inflating to 48 MiB is DECOMPRESSION_LIMIT, with bounded memory', async (algorithm) => {
    const blob = bomb(48 * 1024 * 1024, algorithm, true);
    expect(blob.length).toBeLessThan(MAX_SIGNATURE_BYTES);
    const before = process.memoryUsage().arrayBuffers;
    const verdict = await verifyOpenPGPSignature(blob, DIGEST, gpgRing);
    const grown = process.memoryUsage().arrayBuffers - before;
    expectCode(verdict, 'DECOMPRESSION_LIMIT', /inflates past the 1048576-byte limit/);
    expect(!verdict.ok && verdict.deliberate).toBe(true);
    expect(grown).toBeLessThan(16 * 1024 * 1024);
  });

  it('a tiny blob inflating just past the cap is judged on the bytes within it; exactly the cap is inflated and judged on its content', async () => {
    // x/crypto reads only what it needs: zeros are not a packet header, whether or not more follow.
    expectCode(await verifyOpenPGPSignature(bomb(MAX_INFLATED_BYTES + 1, 'zip'), DIGEST, gpgRing), 'MALFORMED', /not an OpenPGP packet header/);
    expectCode(await verifyOpenPGPSignature(bomb(MAX_INFLATED_BYTES, 'zip'), DIGEST, gpgRing), 'MALFORMED', /not an OpenPGP packet header/);
  });

  it('a signed 10 MiB JSON payload is DECOMPRESSION_LIMIT compressed, and MALFORMED uncompressed (its first 50 KiB end inside the literal data)', async () => {
    const huge = simpleSigningPayload({ digest: DIGEST, reference: REFERENCE, creator: 'A'.repeat(10 * 1024 * 1024) });
    const compressed = await gpgSign(huge, 'zip');
    expect(compressed.length).toBeLessThan(MAX_SIGNATURE_BYTES);
    expectCode(await verifyOpenPGPSignature(compressed, DIGEST, gpgRing), 'DECOMPRESSION_LIMIT');
    expectCode(await verifyOpenPGPSignature(await gpgSign(huge, 'none'), DIGEST, gpgRing), 'MALFORMED', /truncated/);
  });

  it('only the first 50 KiB of a blob are read, as the operator reads a store: a valid message followed by 60 KiB of anything verifies', async () => {
    const valid = await gpgSign(PAYLOAD);
    expect(describeVerdict(await verifyOpenPGPSignature(b(valid, new Uint8Array(60 * 1024).fill(0x41)), DIGEST, gpgRing))).toBe('verified');
    expectCode(await verifyOpenPGPSignature(new Uint8Array(MAX_SIGNATURE_BYTES + 1), DIGEST, gpgRing), 'MALFORMED');
  });

  it('nested compression is read layer by layer, each layer within the cap', async () => {
    const plain = await gpgSign(PAYLOAD, 'none');
    expect(describeVerdict(await verifyOpenPGPSignature(compressedPacket(compressedPacket(plain, 'zip'), 'zlib'), DIGEST, gpgRing))).toBe('verified');
    expectCode(await verifyOpenPGPSignature(compressedPacket(bomb(48 * 1024 * 1024, 'zip', true), 'zip'), DIGEST, gpgRing), 'DECOMPRESSION_LIMIT');
  });

  it('BZip2 (gpg --compress-algo bzip2) verifies, as the operator reads it; an "uncompressed" (0) compressed packet is UNSUPPORTED_COMPRESSION', async () => {
    const bzip2 = await gpg.sign(PAYLOAD, { key: gpgKey.fingerprint, compress: 'bzip2' as never });
    expect([bzip2[0], bzip2[1]]).toEqual([0xa3, 3]); // indeterminate compressed packet, algorithm 3
    const verdict = await verifyOpenPGPSignature(bzip2, DIGEST, gpgRing);
    expect(describeVerdict(verdict)).toBe('verified');
    expect(verdict.ok && verdict.compression).toBe('BZip2');
    const packets = await gpgSign(PAYLOAD, 'none');
    expectCode(await verifyOpenPGPSignature(oldPacket(8, b([0], packets), 'indeterminate'), DIGEST, gpgRing), 'UNSUPPORTED_COMPRESSION', /"uncompressed"/);
  });
});

describe('signed payloads that are not valid atomic container signatures', () => {
  it('duplicate keys are DUPLICATE_KEY, deliberately, even where the operator would read the expected digest', async () => {
    const other = `sha256:${'0'.repeat(64)}`;
    const duplicated = PAYLOAD.replace(`"docker-manifest-digest": "${DIGEST}"`, `"docker-manifest-digest": "${other}", "docker-manifest-digest": "${DIGEST}"`);
    expect((JSON.parse(duplicated) as { critical: { image: Record<string, string> } }).critical.image['docker-manifest-digest']).toBe(DIGEST);
    const verdict = await verifyOpenPGPSignature(await gpgSign(duplicated), DIGEST, gpgRing);
    expectCode(verdict, 'DUPLICATE_KEY', /repeats the key "docker-manifest-digest".*would accept/);
    expect(!verdict.ok && verdict.deliberate).toBe(true);
    expect(!verdict.ok && verdict.signer?.fingerprint).toBe(gpgKey.fingerprint);
  });

  it.each([
    ['a number as type', PAYLOAD.replace('"atomic container signature"', '1'), /critical.type is a number/],
    ['an array as identity', PAYLOAD.replace(`{"docker-reference": "${REFERENCE}"}`, '[]'), /critical.identity is an array/],
    ['a string as optional', PAYLOAD.replace(/"optional": \{.*\}\}$/, '"optional": "x"}'), /optional is a string/],
    ['a fractional timestamp', PAYLOAD.replace('0.0.1"}', '0.0.1", "timestamp": 1.5}'), /timestamp "1.5" is not a 64-bit integer/],
    ['an unknown optional key', PAYLOAD.replace('0.0.1"}', '0.0.1", "expires": 1}'), /optional has unknown key "expires"/],
    ['a cosign payload type', PAYLOAD.replace('atomic container signature', 'cosign container image signature'), /not "atomic container signature"/],
    ['not JSON at all', 'This is not JSON\n', /not valid JSON/],
  ])('%s is PAYLOAD_INVALID', async (_name, payload, reason) => {
    expectCode(await verifyOpenPGPSignature(await gpgSign(payload), DIGEST, gpgRing), 'PAYLOAD_INVALID', reason);
  });

  it('invalid UTF-8 inside a string verifies (Go reads it as U+FFFD); outside a string it is PAYLOAD_INVALID', async () => {
    const bytes = Buffer.from(PAYLOAD, 'utf8');
    bytes[bytes.indexOf('Red Hat')] = 0xc3; // a UTF-8 lead byte followed by ASCII
    const verdict = await verifyOpenPGPSignature(await gpgSign(bytes), DIGEST, gpgRing);
    expect(verdict.ok && verdict.payload.creator).toBe('\ufffded Hat OpenShift Signing Authority 0.0.1');
    const outside = Buffer.concat([Buffer.from([0xff]), Buffer.from(PAYLOAD)]);
    expectCode(await verifyOpenPGPSignature(await gpgSign(outside), DIGEST, gpgRing), 'PAYLOAD_INVALID', /not valid JSON/);
  });
});

describe('messages of the wrong shape', () => {
  it('bytes after the signature packet, after the ZIP stream, or after a definite-length compressed packet are not read, as the operator does not read them', async () => {
    const plain = await gpgSign(PAYLOAD, 'none');
    expect(describeVerdict(await verifyOpenPGPSignature(b(plain, oldPacket(10, b('PGP'))), DIGEST, gpgRing))).toBe('verified');
    expect(describeVerdict(await verifyOpenPGPSignature(b(plain, plain), DIGEST, gpgRing))).toBe('verified');
    const zipped = await gpgSign(PAYLOAD, 'zip');
    expect(describeVerdict(await verifyOpenPGPSignature(b(zipped, 'x'), DIGEST, gpgRing))).toBe('verified');
    const definiteFromPackets = oldPacket(8, b([1], deflateRawSync(plain)), 4);
    expect(describeVerdict(await verifyOpenPGPSignature(definiteFromPackets, DIGEST, gpgRing))).toBe('verified');
    expect(describeVerdict(await verifyOpenPGPSignature(b(definiteFromPackets, oldPacket(10, b('PGP'))), DIGEST, gpgRing))).toBe('verified');
  });

  it('two one-pass signatures around one literal packet: the operator reads the first signature packet after the literal data', async () => {
    const [onePass, literal, signature] = readPackets(await gpgSign(PAYLOAD, 'none'));
    const twice = b(onePass!.raw, onePass!.raw, literal!.raw, signature!.raw, signature!.raw);
    expect(describeVerdict(await verifyOpenPGPSignature(twice, DIGEST, gpgRing))).toBe('verified');
    expect(describeVerdict(await verifyOpenPGPSignature(compressedPacket(b(onePass!.raw, literal!.raw, signature!.raw, signature!.raw)), DIGEST, gpgRing))).toBe('verified');
  });

  it('a signature-first message, a detached signature, a literal-only message and a public key are NOT_SIGNED_MESSAGE', async () => {
    const [onePass, literal, signature] = readPackets(await gpgSign(PAYLOAD, 'none'));
    expectCode(await verifyOpenPGPSignature(b(signature!.raw, literal!.raw), DIGEST, gpgRing), 'NOT_SIGNED_MESSAGE', /not a one-pass signed message/);
    const detached = await gpg.gpg(['--local-user', `${gpgKey.fingerprint}!`, '--detach-sign', '--output', '-'], PAYLOAD);
    expectCode(await verifyOpenPGPSignature(detached.stdout, DIGEST, gpgRing), 'NOT_SIGNED_MESSAGE');
    expectCode(await verifyOpenPGPSignature(literal!.raw, DIGEST, gpgRing), 'NOT_SIGNED_MESSAGE', /literal data only/);
    expectCode(await verifyOpenPGPSignature(await gpg.exportPublicKey(gpgKey.fingerprint), DIGEST, gpgRing), 'NOT_SIGNED_MESSAGE', /no signed message/);
    expectCode(await verifyOpenPGPSignature(onePass!.raw, DIGEST, gpgRing), 'MALFORMED', /ends before its literal data/);
    expectCode(await verifyOpenPGPSignature(b(onePass!.raw, literal!.raw), DIGEST, gpgRing), 'MALFORMED', /signature packet after the literal data is missing/);
  });

  it('an armored signed message (gpg --armor --sign) and a cleartext-signed one are NOT_SIGNED_MESSAGE', async () => {
    const armored = await gpg.gpg(['--local-user', `${gpgKey.fingerprint}!`, '--armor', '--sign', '--output', '-'], PAYLOAD);
    expectCode(await verifyOpenPGPSignature(armored.stdout, DIGEST, gpgRing), 'NOT_SIGNED_MESSAGE', /ASCII-armored/);
    const clear = await gpg.gpg(['--local-user', `${gpgKey.fingerprint}!`, '--clearsign', '--output', '-'], PAYLOAD);
    expectCode(await verifyOpenPGPSignature(clear.stdout, DIGEST, gpgRing), 'NOT_SIGNED_MESSAGE', /cleartext-signed/);
  });

  it('a signature packet version other than 3 and 4, a non-document class and nested one-pass signatures are UNSUPPORTED_SIGNATURE', async () => {
    const packets = v3MessagePackets({ key: v3key, payload: PAYLOAD });
    const [onePass, literal, signature] = readPackets(packets);
    const v5 = Uint8Array.from(signature!.body);
    v5[0] = 5;
    expectCode(await verifyOpenPGPSignature(b(onePass!.raw, literal!.raw, oldPacket(2, v5, 2)), DIGEST, v3key.keyring), 'UNSUPPORTED_SIGNATURE', /version 5/);
    const nested = b(onePassPacket({ sigClass: 0, hash: 8, pkAlgo: 1, keyId: v3key.keyId, last: 0 }), literal!.raw, signature!.raw);
    expectCode(await verifyOpenPGPSignature(nested, DIGEST, v3key.keyring), 'UNSUPPORTED_SIGNATURE', /nested/);
    expectCode(await verifyOpenPGPSignature(buildV3Signature({ key: v3key, payload: PAYLOAD, sigClass: 0x13 }), DIGEST, v3key.keyring), 'UNSUPPORTED_SIGNATURE', /only binary \(0x00\) and text \(0x01\)/);
  });

  it('an encrypted message is NOT_SIGNED_MESSAGE', async () => {
    const encrypted = await gpg.gpg(['--symmetric', '--s2k-count', '1024', '--passphrase', 'x', '--output', '-'], PAYLOAD);
    expectCode(await verifyOpenPGPSignature(encrypted.stdout, DIGEST, gpgRing), 'NOT_SIGNED_MESSAGE', /encrypted message/);
  });

  it('an empty blob and a header that claims more bytes than exist are MALFORMED', async () => {
    expectCode(await verifyOpenPGPSignature(new Uint8Array(0), DIGEST, gpgRing), 'MALFORMED', /empty/);
    expectCode(await verifyOpenPGPSignature(Uint8Array.from([0xc2, 0xff, 0x7f, 0xff, 0xff, 0xff]), DIGEST, gpgRing), 'MALFORMED', /truncated/);
    expectCode(await verifyOpenPGPSignature(b(newPacket(11, b('b', [0, 0, 0, 0, 0]))).subarray(0, 3), DIGEST, gpgRing), 'MALFORMED');
    expectCode(await verifyOpenPGPSignature(literalPacket('x').subarray(0, 1), DIGEST, gpgRing), 'MALFORMED');
  });

  it('1,000 blobs of seeded random bytes never throw and never verify', async () => {
    let seed = 0x5eed;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    const prefixes = [[], [0xa3, 0x01], [0x90, 0x0d, 0x03], [0xc4], [0x89]];
    for (let i = 0; i < 1000; i++) {
      const body = Uint8Array.from({ length: 1 + (next() << 2) }, next);
      const blob = b(prefixes[i % prefixes.length]!, body);
      const verdict = await verifyOpenPGPSignature(blob, DIGEST, gpgRing);
      expect(verdict.ok).toBe(false);
      expect(!verdict.ok && CODES.has(verdict.code)).toBe(true);
    }
  });
});
