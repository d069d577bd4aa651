/**
 * The fast path for version 4 RSA signatures over binary documents, which is what Red Hat signs
 * releases with since 2024: the same checks openpgp.js makes in SignaturePacket.verify, done with
 * node:crypto and a KeyObject cached per key, so an audit does not pay for openpgp.js's streams and
 * a WebCrypto key import on every signature. The packet is still parsed by openpgp.js, and the key is
 * still chosen by it (selectSigningKey), so revocation, flags, expiry and key size apply unchanged.
 * Anything else (text signatures, ECC keys) goes through openpgp.js's own verify.
 */
import { constants, createHash, createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { enums, type Config, type PublicKey, type SignaturePacket, type Subkey } from 'openpgp';
import { ACCEPTED_HASHES } from './signer.ts';

const RSA_ALGORITHMS: readonly number[] = [enums.publicKey.rsaEncryptSign, enums.publicKey.rsaSign];

/** Parsed signature fields openpgp.js keeps but does not declare in its types. */
interface SignatureInternals {
  version: number;
  signatureType: number | null;
  publicKeyAlgorithm: number | null;
  hashAlgorithm: number | null;
  signatureData: Uint8Array | null;
  signedHashValue: Uint8Array | null;
  params: unknown;
  created: Date | null;
  signatureNeverExpires: boolean;
  signatureExpirationTime: number | null;
  unknownSubpackets: { type: number; critical: boolean }[];
  rawNotations: { name: string; critical: boolean }[];
  revocationKeyClass: number | null;
  salt?: Uint8Array | null;
}

/** True when the fast path can judge this signature; otherwise openpgp.js's verify does. */
export function canVerifyV4Fast(sig: SignaturePacket, signingKey: PublicKey | Subkey): boolean {
  const s = sig as unknown as SignatureInternals;
  return (
    s.version === 4 &&
    s.signatureType === enums.signature.binary &&
    RSA_ALGORITHMS.includes(s.publicKeyAlgorithm ?? -1) &&
    RSA_ALGORITHMS.includes(signingKey.keyPacket.algorithm) &&
    s.signatureData !== null &&
    s.signedHashValue !== null &&
    ACCEPTED_HASHES[s.hashAlgorithm ?? -1] !== undefined &&
    !s.salt
  );
}

const keyObjects = new WeakMap<object, KeyObject>();

function rsaKeyObject(signingKey: PublicKey | Subkey): KeyObject {
  const packet = signingKey.keyPacket;
  let key = keyObjects.get(packet);
  if (!key) {
    const { n, e } = packet.publicParams as { n: Uint8Array; e: Uint8Array };
    key = createPublicKey({ key: { kty: 'RSA', n: Buffer.from(n).toString('base64url'), e: Buffer.from(e).toString('base64url') }, format: 'jwk' });
    keyObjects.set(packet, key);
  }
  return key;
}

/**
 * Verifies like SignaturePacket.verify: the hash over document || hashed fields || v4 trailer, the
 * left-16-bits check, RSA PKCS#1 v1.5, then creation time, expiry, hash policy, unknown critical
 * subpackets and notations, and designated revokers. Throws errors with openpgp.js's messages, so the
 * caller classifies both paths the same way.
 */
export async function verifyV4Fast(sig: SignaturePacket, literal: Uint8Array, signingKey: PublicKey | Subkey, date: Date, config: Config): Promise<void> {
  const s = sig as unknown as SignatureInternals;
  const hashedFields = s.signatureData!;
  const trailer = Buffer.alloc(6);
  trailer[0] = 4;
  trailer[1] = 0xff;
  trailer.writeUInt32BE(hashedFields.length, 2);
  const hashName = ACCEPTED_HASHES[s.hashAlgorithm!]!;
  const toHash = Buffer.concat([literal, hashedFields, trailer]);
  const digest = createHash(hashName).update(toHash).digest();
  if (s.signedHashValue![0] !== digest[0] || s.signedHashValue![1] !== digest[1]) throw new Error('Signed digest did not match');

  const params = (await s.params) as { s?: Uint8Array };
  let value = params.s ?? new Uint8Array(0);
  while (value.length > 0 && value[0] === 0) value = value.subarray(1);
  const key = rsaKeyObject(signingKey);
  const modulusBytes = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  if (value.length === 0 || value.length > modulusBytes) throw new Error('Signature verification failed');
  // PKCS#1 verification wants the signature exactly as long as the modulus; an MPI drops leading zeros.
  const padded = Buffer.alloc(modulusBytes);
  padded.set(value, modulusBytes - value.length);
  if (!cryptoVerify(hashName, toHash, { key, padding: constants.RSA_PKCS1_PADDING }, padded)) throw new Error('Signature verification failed');

  if (s.created && s.created > date) throw new Error('Signature creation time is in the future');
  if (!s.signatureNeverExpires && s.created && date.getTime() >= s.created.getTime() + (s.signatureExpirationTime ?? 0) * 1000) throw new Error('Signature is expired');
  const upper = enums.read(enums.hash, s.hashAlgorithm!).toUpperCase();
  if (config.rejectHashAlgorithms.has(s.hashAlgorithm!)) throw new Error(`Insecure hash algorithm: ${upper}`);
  if (config.rejectMessageHashAlgorithms.has(s.hashAlgorithm!)) throw new Error(`Insecure message hash algorithm: ${upper}`);
  for (const { type, critical } of s.unknownSubpackets) if (critical) throw new Error(`Unknown critical signature subpacket type ${type}`);
  for (const { name, critical } of s.rawNotations) if (critical && !config.knownNotations.includes(name)) throw new Error(`Unknown critical notation: ${name}`);
  if (s.revocationKeyClass !== null) throw new Error('This key is intended to be revoked with an authorized key, which OpenPGP.js does not support.');
}
