/**
 * Choosing the key that made a signature, as the cluster-version operator chooses it: x/crypto
 * readSignedMessage takes the key ID of the one-pass signature packet (not the signature's issuer) and
 * EntityList.KeysByIdUsage(keyId, sign) (golang.org/x/crypto v0.4.0 openpgp/read.go, keys.go): a key
 * or subkey with that ID, whose key is not revoked, whose subkey is not revoked, and whose latest
 * self-signature or binding signature allows signing when it carries key flags. Key expiry and creation
 * time are not looked at. The key material and its signatures are read by openpgp.js; its selection
 * (`getSigningKey`) is called without a date, which applies exactly those rules and no time rule.
 * Keys the operator cannot read at all (EdDSA, other curves) are never chosen.
 */
import { type PublicKey, type Subkey } from 'openpgp';
import type { OpenPGPKeyring, TrustedKey } from './keys.ts';

/** Why a signature blob is not accepted. Stable strings: reports and tests match on them. */
export type OpenPGPRejectCode =
  /** a blob over the cap a consumer reads (containers/image's 4 MiB for signedBy; the operator reads only the first 50 KiB) */
  | 'TOO_LARGE'
  /** packet framing broken: truncated, bad header, bad length, bad packet body, a corrupt compressed stream */
  | 'MALFORMED'
  /** not a binary one-pass signed message: armored, cleartext-signed, literal-only, encrypted, a key... */
  | 'NOT_SIGNED_MESSAGE'
  /** an unknown compression algorithm (or "uncompressed" in a compressed packet) */
  | 'UNSUPPORTED_COMPRESSION'
  /** the compressed data inflates past the cap (a resource bound; the operator has none) */
  | 'DECOMPRESSION_LIMIT'
  /** a signature or one-pass version, algorithm, hash, type or critical subpacket the operator does not read */
  | 'UNSUPPORTED_SIGNATURE'
  /** the one-pass packet names no trusted key */
  | 'UNTRUSTED_KEY'
  /** deliberately stricter: MD5 or SHA-1 */
  | 'WEAK_HASH'
  /** deliberately stricter: an RSA or DSA key under 2048 bits */
  | 'WEAK_KEY'
  /** the signing key or subkey (or its primary key) is revoked */
  | 'REVOKED_KEY'
  /** the trusted key cannot make this signature: the operator cannot read it (EdDSA...), or it is not a signing key */
  | 'UNUSABLE_KEY'
  /** the signature's own expiration time has passed */
  | 'EXPIRED'
  /** the cryptographic check failed: the signed data or the signature was altered */
  | 'BAD_SIGNATURE'
  /** the signed payload is not a valid atomic container signature */
  | 'PAYLOAD_INVALID'
  /** deliberately stricter: the payload repeats a key */
  | 'DUPLICATE_KEY'
  /** a valid signature of another digest */
  | 'DIGEST_MISMATCH'
  /** the digest the signature was checked against is not a sha256 digest (a caller error) */
  | 'INVALID_DIGEST';

export interface Rejection {
  code: OpenPGPRejectCode;
  reason: string;
}

export type SigningKeyResult = { ok: true; trusted: TrustedKey; signingKey: PublicKey | Subkey } | ({ ok: false } & Rejection);

function classifyKeyError(err: unknown, key: TrustedKey): Rejection {
  const message = (err as Error)?.message ?? String(err);
  if (/revoked/i.test(message)) return { code: 'REVOKED_KEY', reason: `the signing key is revoked (${key.name}: ${message})` };
  return { code: 'UNUSABLE_KEY', reason: `the trusted key cannot make this signature (${key.name}: ${message})` };
}

/** The key the operator verifies a signature with whose one-pass packet names `keyId`. */
export async function selectSigningKey(keyring: OpenPGPKeyring, keyId: string): Promise<SigningKeyResult> {
  const candidates = keyring.findByKeyId(keyId);
  if (candidates.length === 0) {
    return {
      ok: false,
      code: 'UNTRUSTED_KEY',
      reason: `signed by key ID ${keyId}, which is not a trusted key (trusted: ${keyring.describe()}); add its public key with --openpgp-key only if you trust it`,
    };
  }
  let first: Rejection | undefined;
  for (const trusted of candidates) {
    if (trusted.unusable) {
      first ??= { code: 'UNUSABLE_KEY', reason: `signed by key ID ${keyId} of ${trusted.name}, but ${trusted.unusable}` };
      continue;
    }
    // openpgp.js does not export its KeyID class; take the matching KeyID object from the key itself.
    const id = trusted.key.getKeyIDs().find((k) => k.toHex().toUpperCase() === keyId.toUpperCase())!;
    try {
      const signingKey = await trusted.key.getSigningKey(id, null, undefined, keyring.config);
      return { ok: true, trusted, signingKey };
    } catch (err) {
      first ??= classifyKeyError(err, trusted);
    }
  }
  return { ok: false, ...first! };
}
