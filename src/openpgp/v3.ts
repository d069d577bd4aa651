/**
 * Version 3 signature packets (RFC 4880 section 5.2.2). Every genuine Red Hat release signature up to
 * 2022 is v3, the cluster-version operator (x/crypto/openpgp) accepts them, and openpgp.js v6 cannot
 * read them at all, so this module verifies them: the hash over literal data || signature class ||
 * creation time (no v4 trailer), the left-16-bits check, and RSA PKCS#1 v1.5 with node:crypto. The key
 * is chosen through openpgp.js (selectSigningKey), so revocation, key flags and the minimum RSA size
 * apply exactly as for v4. Only RSA is accepted (every v3 signature seen is RSA); MD5, SHA-1 and
 * RIPEMD-160 are refused.
 */
import { constants, createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { enums, type Config } from 'openpgp';
import { PacketError } from './packets.ts';
import { ACCEPTED_HASHES, checkMessageHash, selectSigningKey, type Rejection } from './signer.ts';
import type { TrustedKey } from './keys.ts';

export interface V3Signature {
  version: 3;
  /** 0x00 binary document, 0x01 canonical text document. */
  signatureType: number;
  created: Date;
  /** Issuer key ID, 16 uppercase hex. */
  keyId: string;
  publicKeyAlgorithm: number;
  hashAlgorithm: number;
  left16: Uint8Array;
  /** The RSA signature value m^d mod n, without its MPI length prefix. */
  value: Uint8Array;
  /** The 5 hashed bytes: signature class and creation time. */
  hashed: Uint8Array;
}

const RSA_ALGORITHMS: readonly number[] = [enums.publicKey.rsaEncryptSign, enums.publicKey.rsaSign];

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/** Parses the body of a version 3 signature packet. Throws PacketError when it is malformed. */
export function parseV3Signature(body: Uint8Array): V3Signature {
  // version(1) hashed-length(1)=5 class(1) time(4) keyid(8) pk-algo(1) hash-algo(1) left16(2) MPI...
  if (body.length < 19 + 2) throw new PacketError(`v3 signature packet is ${body.length} bytes, too short`);
  if (body[0] !== 3) throw new PacketError(`signature packet version ${body[0]} is not 3`);
  if (body[1] !== 5) throw new PacketError(`v3 signature hashed length is ${body[1]}, must be 5`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const publicKeyAlgorithm = body[15]!;
  const signature: Omit<V3Signature, 'value'> = {
    version: 3,
    signatureType: body[2]!,
    created: new Date(view.getUint32(3) * 1000),
    keyId: hex(body.subarray(7, 15)),
    publicKeyAlgorithm,
    hashAlgorithm: body[16]!,
    left16: body.subarray(17, 19),
    hashed: body.subarray(2, 7),
  };
  if (!RSA_ALGORITHMS.includes(publicKeyAlgorithm)) {
    // Nothing more can be parsed without knowing the algorithm's MPIs; the caller refuses it anyway.
    return { ...signature, value: new Uint8Array(0) };
  }
  const bits = view.getUint16(19);
  const length = Math.ceil(bits / 8);
  if (21 + length !== body.length) {
    throw new PacketError(`v3 signature MPI declares ${bits} bits but the packet holds ${body.length - 21} bytes for it`);
  }
  let value = body.subarray(21);
  while (value.length > 0 && value[0] === 0) value = value.subarray(1);
  return { ...signature, value };
}

/** The data a v3 signature hashes: the document (canonical text for class 0x01), then class and time. */
export function v3SignedData(signature: V3Signature, literal: Uint8Array): Uint8Array {
  const document = signature.signatureType === 0x01 ? canonicalText(literal) : literal;
  return Buffer.concat([document, signature.hashed]);
}

/**
 * Canonical text as x/crypto/openpgp computes it for the cluster-version operator: every LF not
 * preceded by CR becomes CR LF; everything else is unchanged.
 */
export function canonicalText(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x0a && (i === 0 || data[i - 1] !== 0x0d)) out.push(0x0d);
    out.push(c);
  }
  return Uint8Array.from(out);
}

export type V3Result = { ok: true; signingKeyFingerprint: string } | ({ ok: false } & Rejection);

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Verifies a parsed v3 signature over `literal` with one trusted key. A v3 signature has no expiry,
 * and a creation time in the future is not refused (the cluster-version operator does not refuse it).
 */
export async function verifyV3Signature(signature: V3Signature, literal: Uint8Array, trusted: TrustedKey, config: Config): Promise<V3Result> {
  if (!RSA_ALGORITHMS.includes(signature.publicKeyAlgorithm)) {
    return { ok: false, code: 'UNSUPPORTED_SIGNATURE', reason: `v3 signatures are accepted with RSA keys only (public-key algorithm ${signature.publicKeyAlgorithm})` };
  }
  const hashRejection = checkMessageHash(signature.hashAlgorithm);
  if (hashRejection) return { ok: false, ...hashRejection };
  const hashName = ACCEPTED_HASHES[signature.hashAlgorithm]!;

  const selected = await selectSigningKey(trusted, signature.keyId, signature.created, config);
  if (!selected.ok) return selected;
  const keyPacket = selected.signingKey.keyPacket;
  if (!RSA_ALGORITHMS.includes(keyPacket.algorithm)) {
    return { ok: false, code: 'BAD_SIGNATURE', reason: `the signature claims RSA but key ${signature.keyId} of ${trusted.name} is not an RSA key` };
  }

  const data = v3SignedData(signature, literal);
  const digest = createHash(hashName).update(data).digest();
  const bad: V3Result = { ok: false, code: 'BAD_SIGNATURE', reason: `the signature does not verify under ${trusted.name}: the signed data or the signature was altered` };
  if (digest[0] !== signature.left16[0] || digest[1] !== signature.left16[1]) return bad;

  const { n, e } = keyPacket.publicParams as { n?: Uint8Array; e?: Uint8Array };
  if (!n || !e) return { ok: false, code: 'UNUSABLE_KEY', reason: `key ${signature.keyId} of ${trusted.name} has no RSA parameters` };
  let modulus = n;
  while (modulus.length > 0 && modulus[0] === 0) modulus = modulus.subarray(1);
  if (signature.value.length === 0 || signature.value.length > modulus.length) return bad;
  // PKCS#1 verification wants the signature exactly as long as the modulus; an MPI drops leading zeros.
  const padded = new Uint8Array(modulus.length);
  padded.set(signature.value, modulus.length - signature.value.length);
  let valid: boolean;
  try {
    const key = createPublicKey({ key: { kty: 'RSA', n: base64url(modulus), e: base64url(e) }, format: 'jwk' });
    valid = cryptoVerify(hashName, data, { key, padding: constants.RSA_PKCS1_PADDING }, padded);
  } catch (err) {
    return { ok: false, code: 'BAD_SIGNATURE', reason: `the signature cannot be checked under ${trusted.name}: ${(err as Error).message}` };
  }
  if (!valid) return bad;
  return { ok: true, signingKeyFingerprint: selected.signingKey.getFingerprint().toUpperCase() };
}
