/**
 * The cryptographic check of a signature, as x/crypto/openpgp PublicKey.VerifySignature and
 * VerifySignatureV3 make it for the cluster-version operator (openpgp/packet/public_key.go, v0.4.0),
 * with node:crypto:
 *  - the digest is the hash the one-pass packet names, over the document (canonical text when the
 *    one-pass packet says text) and then the signature's hashed suffix;
 *  - its first two bytes must equal the signature's hash tag;
 *  - the key's algorithm must equal the signature's, and the key must be able to sign;
 *  - RSA: PKCS#1 v1.5 with the signature's hash (so a one-pass hash that differs fails), the value
 *    left-padded to the modulus; DSA: the digest truncated to the subgroup size; ECDSA (P-256, P-384,
 *    P-521): the whole digest, as Go's ecdsa.Verify takes it.
 * Key objects are built once per key packet and cached.
 */
import { constants, createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { HASHES, PublicKeyAlgorithm, type ParsedSignature } from './signature.ts';
import { canonicalText } from './v3.ts';

/** The public parameters of an openpgp.js key packet this module reads. */
export interface KeyPacketLike {
  algorithm: number;
  publicParams: unknown;
}

const cache = new WeakMap<object, KeyObject | Error>();

function stripZeros(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

// --- DER, for DSA keys (node:crypto imports DSA public keys only as SPKI) and DSA/ECDSA signatures ----------

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function der(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

function derInteger(unsigned: Uint8Array): Buffer {
  let v = stripZeros(unsigned);
  if (v.length === 0) v = Uint8Array.of(0);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return der(0x02, v);
}

const DSA_OID = Buffer.from('06072a8648ce380401', 'hex');

function dsaKey(params: { p: Uint8Array; q: Uint8Array; g: Uint8Array; y: Uint8Array }): KeyObject {
  const algorithm = der(0x30, DSA_OID, der(0x30, derInteger(params.p), derInteger(params.q), derInteger(params.g)));
  const spki = der(0x30, algorithm, der(0x03, Buffer.from([0]), derInteger(params.y)));
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

const CURVES: Record<string, { crv: string; size: number }> = {
  nistP256: { crv: 'P-256', size: 32 },
  nistP384: { crv: 'P-384', size: 48 },
  nistP521: { crv: 'P-521', size: 66 },
};

function ecKey(params: { oid: { getName(): string }; Q: Uint8Array }): KeyObject {
  const curve = CURVES[params.oid.getName()];
  if (!curve) throw new Error(`curve ${params.oid.getName()} is not one the cluster-version operator reads`);
  const q = params.Q;
  if (q[0] !== 4 || q.length !== 1 + 2 * curve.size) throw new Error('the ECDSA public point is not an uncompressed point');
  const x = Buffer.from(q.subarray(1, 1 + curve.size)).toString('base64url');
  const y = Buffer.from(q.subarray(1 + curve.size)).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv: curve.crv, x, y }, format: 'jwk' });
}

function keyObject(packet: KeyPacketLike): KeyObject {
  const hit = cache.get(packet);
  if (hit instanceof Error) throw hit;
  if (hit) return hit;
  try {
    let key: KeyObject;
    const p = packet.publicParams as Record<string, Uint8Array>;
    if (packet.algorithm === PublicKeyAlgorithm.DSA) key = dsaKey(p as never);
    else if (packet.algorithm === PublicKeyAlgorithm.ECDSA) key = ecKey(p as never);
    else key = createPublicKey({ key: { kty: 'RSA', n: Buffer.from(stripZeros(p.n!)).toString('base64url'), e: Buffer.from(stripZeros(p.e!)).toString('base64url') }, format: 'jwk' });
    cache.set(packet, key);
    return key;
  } catch (err) {
    cache.set(packet, err as Error);
    throw err;
  }
}

export type CryptoResult = { ok: true } | { ok: false; reason: string };

/**
 * Verifies `signature` over `document` with the key packet the one-pass key ID selected. `hashId` and
 * `textMode` come from the (last) one-pass signature packet.
 */
export function verifySignatureCrypto(signature: ParsedSignature, document: Uint8Array, hashId: number, textMode: boolean, key: KeyPacketLike): CryptoResult {
  if (key.algorithm === PublicKeyAlgorithm.RSAEncryptOnly || key.algorithm === PublicKeyAlgorithm.ElGamal) {
    return { ok: false, reason: 'the key is an encryption-only key and cannot make signatures' };
  }
  const hash = HASHES[hashId]!.node!;
  const data = Buffer.concat([textMode ? canonicalText(document) : document, signature.hashSuffix]);
  const digest = createHash(hash).update(data).digest();
  if (digest[0] !== signature.hashTag[0] || digest[1] !== signature.hashTag[1]) {
    return { ok: false, reason: 'the hash tag does not match: the signed data or the signature was altered' };
  }
  if (key.algorithm !== signature.publicKeyAlgorithm) {
    return { ok: false, reason: `the key (algorithm ${key.algorithm}) and the signature (algorithm ${signature.publicKeyAlgorithm}) use different algorithms` };
  }
  let object: KeyObject;
  try {
    object = keyObject(key);
  } catch (err) {
    return { ok: false, reason: `the key cannot be used: ${(err as Error).message}` };
  }
  let valid: boolean;
  try {
    if (key.algorithm === PublicKeyAlgorithm.RSA || key.algorithm === PublicKeyAlgorithm.RSASignOnly) {
      // rsa.VerifyPKCS1v15(pub, sig.Hash, hashed): the DigestInfo names the signature's hash.
      if (signature.hashAlgorithm !== hashId) return { ok: false, reason: 'RSA verification failure: the one-pass packet and the signature name different hashes' };
      const k = Math.ceil((object.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
      const s = signature.mpis[0]!;
      if (s.length > k) return { ok: false, reason: 'RSA verification failure' };
      const padded = Buffer.alloc(k);
      padded.set(s, k - s.length);
      valid = cryptoVerify(hash, data, { key: object, padding: constants.RSA_PKCS1_PADDING }, padded);
    } else {
      const [r, s] = signature.mpis as [Uint8Array, Uint8Array];
      valid = cryptoVerify(hash, data, { key: object, dsaEncoding: 'der' }, der(0x30, derInteger(r), derInteger(s)));
    }
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: 'the signature does not verify: the signed data or the signature was altered, or another key made it' };
}

/** Key size in bits (RSA modulus, DSA prime), for the contract's minimum; undefined for ECDSA. */
export function keyBits(key: KeyPacketLike): number | undefined {
  const p = key.publicParams as Record<string, Uint8Array>;
  const n = key.algorithm === PublicKeyAlgorithm.DSA ? p.p : key.algorithm === PublicKeyAlgorithm.ECDSA ? undefined : p.n;
  if (!n) return undefined;
  const v = stripZeros(n);
  return v.length === 0 ? 0 : (v.length - 1) * 8 + (32 - Math.clz32(v[0]!));
}
