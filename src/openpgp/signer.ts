/**
 * Choosing the key that made a signature, the same way for v3 and v4 signature packets: through
 * openpgp.js `getSigningKey` at the signature's creation time, so revocation, key flags, binding
 * signatures, key expiry (at signing time, as x/crypto and openpgp.js judge it) and the minimum RSA
 * size apply to both. Also the mapping of openpgp.js's error messages to this module's codes.
 */
import { enums, type Config, type PublicKey, type Subkey } from 'openpgp';
import type { TrustedKey } from './keys.ts';

/** Why a signature blob is not accepted. Stable strings: reports and tests match on them. */
export type OpenPGPRejectCode =
  /** blob over the 50 KiB body cap */
  | 'TOO_LARGE'
  /** packet framing broken: truncated, bad header, bad length, bad packet body */
  | 'MALFORMED'
  /** not a binary one-pass signed message: armored, cleartext-signed, literal-only, encrypted, detached, a key... */
  | 'NOT_SIGNED_MESSAGE'
  /** more than one signature (or one-pass signature) packet */
  | 'MULTIPLE_SIGNATURES'
  /** bytes after the signature packet, after the compressed packet, or after the end of the compressed stream */
  | 'TRAILING_DATA'
  /** BZip2, "uncompressed" compressed packets, unknown algorithms, nested compression */
  | 'UNSUPPORTED_COMPRESSION'
  /** the compressed data inflates past 1 MiB */
  | 'DECOMPRESSION_LIMIT'
  /** signature packet version other than 3 or 4, a signature type other than binary/text, an unsupported algorithm */
  | 'UNSUPPORTED_SIGNATURE'
  /** the signing key is not in the trusted keyring */
  | 'UNTRUSTED_KEY'
  /** MD5, SHA-1 or RIPEMD-160 message hash */
  | 'WEAK_HASH'
  /** RSA key under 2048 bits, or an algorithm refused as weak (DSA, ElGamal) */
  | 'WEAK_KEY'
  /** the signing key or subkey (or its primary key) is revoked */
  | 'REVOKED_KEY'
  /** the signing key had expired when the signature was made */
  | 'KEY_EXPIRED'
  /** the trusted key cannot sign: no valid self-signature or binding, not a signing key, newer than the signature */
  | 'UNUSABLE_KEY'
  /** the signature's own expiration time has passed */
  | 'EXPIRED'
  /** the cryptographic check failed: the signed data or the signature was altered */
  | 'BAD_SIGNATURE'
  /** the signed payload is not a valid atomic container signature */
  | 'PAYLOAD_INVALID'
  /** a valid signature of another digest */
  | 'DIGEST_MISMATCH'
  /** the digest the signature was checked against is not a sha256 digest (a caller error) */
  | 'INVALID_DIGEST';

export interface Rejection {
  code: OpenPGPRejectCode;
  reason: string;
}

/** Hash algorithm IDs (RFC 4880 section 9.4) a message signature may use, with their node:crypto names. */
export const ACCEPTED_HASHES: Record<number, string> = {
  [enums.hash.sha256]: 'sha256',
  [enums.hash.sha384]: 'sha384',
  [enums.hash.sha512]: 'sha512',
  [enums.hash.sha224]: 'sha224',
};

const WEAK_HASHES: Record<number, string> = {
  [enums.hash.md5]: 'MD5',
  [enums.hash.sha1]: 'SHA-1',
  [enums.hash.ripemd]: 'RIPEMD-160',
};

export function hashName(id: number): string {
  const names: Record<number, string> = { ...WEAK_HASHES, 8: 'SHA-256', 9: 'SHA-384', 10: 'SHA-512', 11: 'SHA-224', 12: 'SHA3-256', 14: 'SHA3-512' };
  return names[id] ?? `hash algorithm ${id}`;
}

/** Rejects MD5, SHA-1 and RIPEMD-160 message hashes; `undefined` when the hash is acceptable. */
export function checkMessageHash(id: number, allowSha3 = false): Rejection | undefined {
  if (WEAK_HASHES[id]) {
    return { code: 'WEAK_HASH', reason: `the signature uses the ${WEAK_HASHES[id]} hash, which is refused for message signatures (Red Hat signs with SHA-256)` };
  }
  if (ACCEPTED_HASHES[id] || (allowSha3 && (id === 12 || id === 14))) return undefined;
  return { code: 'UNSUPPORTED_SIGNATURE', reason: `the signature uses ${hashName(id)}, which is not supported` };
}

/** Maps an openpgp.js error raised while selecting or validating a key. */
export function classifyKeyError(err: unknown, key: TrustedKey): Rejection {
  const message = (err as Error)?.message ?? String(err);
  const reason = `${key.name}: ${message}`;
  if (/revoked/i.test(message)) return { code: 'REVOKED_KEY', reason: `the signing key is revoked (${reason})` };
  if (/too weak/i.test(message)) return { code: 'WEAK_KEY', reason: `the signing key is too weak (${reason})` };
  if (/(Primary key|Subkey) is expired/i.test(message)) return { code: 'KEY_EXPIRED', reason: `the signing key had expired when the signature was made (${reason})` };
  if (/creation time is in the future|newer than the signature/i.test(message)) {
    return { code: 'UNUSABLE_KEY', reason: `the signing key is newer than the signature (${reason})` };
  }
  return { code: 'UNUSABLE_KEY', reason: `the trusted key cannot make this signature (${reason})` };
}

/** Maps an openpgp.js error raised while verifying a message signature. */
export function classifySignatureError(err: unknown, key: TrustedKey): Rejection {
  const message = (err as Error)?.message ?? String(err);
  if (/Signed digest did not match|Signature verification failed/i.test(message)) {
    return { code: 'BAD_SIGNATURE', reason: `the signature does not verify under ${key.name}: the signed data or the signature was altered` };
  }
  if (/Signature is expired/i.test(message)) return { code: 'EXPIRED', reason: `the signature has expired (${message})` };
  if (/Insecure (message )?hash algorithm/i.test(message)) return { code: 'WEAK_HASH', reason: message };
  if (/Could not find signing key/i.test(message)) return { code: 'UNTRUSTED_KEY', reason: message };
  if (/Unknown critical/i.test(message)) return { code: 'UNSUPPORTED_SIGNATURE', reason: message };
  if (/revoked|too weak|is expired|newer than the signature|signing key packet/i.test(message)) return classifyKeyError(err, key);
  return { code: 'BAD_SIGNATURE', reason: `the signature does not verify under ${key.name}: ${message}` };
}

export type SigningKeyResult = { ok: true; signingKey: PublicKey | Subkey } | ({ ok: false } & Rejection);

/**
 * The key or subkey of `trusted` with `keyId` that was valid for signing at `created`. Also refuses a
 * key created after the signature, as openpgp.js does for v4 signatures.
 */
export async function selectSigningKey(trusted: TrustedKey, keyId: string, created: Date, config: Config): Promise<SigningKeyResult> {
  // openpgp.js does not export its KeyID class; take the matching KeyID object from the key itself.
  const id = trusted.key.getKeyIDs().find((k) => k.toHex().toUpperCase() === keyId.toUpperCase());
  if (!id) return { ok: false, code: 'UNTRUSTED_KEY', reason: `key ID ${keyId} is not part of ${trusted.name}` };
  let signingKey: PublicKey | Subkey;
  try {
    signingKey = await trusted.key.getSigningKey(id, created, undefined, config);
  } catch (err) {
    return { ok: false, ...classifyKeyError(err, trusted) };
  }
  if (signingKey.getCreationTime() > created) {
    return { ok: false, code: 'UNUSABLE_KEY', reason: `the signing key ${keyId} of ${trusted.name} was created after the signature` };
  }
  return { ok: true, signingKey };
}
