/**
 * Verifies one OpenPGP simple-signing blob the way the cluster-version operator decides whether to
 * start an update (docs/verdicts.md, "OpenPGP"): library-go pkg/verify verifySignatureWithKeyring and
 * verifyAtomicContainerSignature over golang.org/x/crypto/openpgp v0.4.0. Pure: no I/O, never throws
 * on bad input. The operator's decision first, then the contract's deliberately stricter rules:
 *
 *  1. the operator reads the first 50 KiB of a signature from a store (io.LimitReader); whatever lies
 *     beyond is never read;
 *  2. the message as x/crypto reads it (message.ts): compressed (ZIP, ZLIB, BZip2) or not, one-pass
 *     signature, literal data, signature; nothing after the signature packet is read;
 *  3. the key: the one the (last) one-pass packet names, among the trusted keys, as KeysByIdUsage picks
 *     it (signing-key.ts); the signature's own issuer field does not matter;
 *  4. the signature packet (signature.ts) and its cryptography (crypto.ts), with the one-pass packet's
 *     hash and text mode; a v4 signature whose expiration time has passed is refused;
 *  5. the payload (payload.ts): Go's decoder, exact digest equality, a non-empty identity;
 *  6. only when the operator would accept: MD5 or SHA-1, an RSA or DSA key under 2048 bits, and a
 *     payload with a repeated key are refused, `deliberate: true`, the reason saying so.
 */
import { isDigest, type Digest } from '../model/digest.ts';
import { SIGNATURE_MAX_BYTES } from '../http/limits.ts';
import { keyBits, verifySignatureCrypto } from './crypto.ts';
import type { OpenPGPKeyring, TrustedKey } from './keys.ts';
import { readSignedMessage, type ReadMessage } from './message.ts';
import { parseAtomicSignaturePayload, type AtomicSignaturePayload } from './payload.ts';
import { hashName, parseSignaturePacket, SignatureParseError, type ParsedSignature } from './signature.ts';
import { selectSigningKey, type OpenPGPRejectCode } from './signing-key.ts';

export type { OpenPGPRejectCode } from './signing-key.ts';
export { MAX_INFLATED_BYTES } from './decompress.ts';

/** The cluster-version operator reads at most 50 KiB of a signature (io.LimitReader in library-go store/sigstore). */
export const MAX_SIGNATURE_BYTES = SIGNATURE_MAX_BYTES;

export interface OpenPGPSigner {
  /** Fingerprint of the trusted primary key, uppercase hex. */
  fingerprint: string;
  /** e.g. `Red Hat release key 2 (567E347A...FD431D51)`. */
  keyName: string;
  /** Key ID the one-pass packet names (the primary key's or a subkey's), uppercase hex. */
  keyId: string;
  /** Fingerprint of the key or subkey that made the signature. */
  signingKeyFingerprint: string;
}

export interface OpenPGPAccepted {
  ok: true;
  signer: OpenPGPSigner;
  /** `critical.identity.docker-reference`; never compared with the version. */
  identity: string;
  payload: AtomicSignaturePayload;
  signatureVersion: 2 | 3 | 4;
  created: Date;
  hashAlgorithm: string;
  compression: ReadMessage['compression'];
}

export interface OpenPGPRejected {
  ok: false;
  code: OpenPGPRejectCode;
  /** One line: what is wrong with this signature. */
  reason: string;
  /**
   * True when the cluster-version operator would accept this signature and the tool refuses it by the
   * contract's "Deliberately stricter" list (weak hash, small key, repeated payload key, decompression cap).
   */
  deliberate?: true;
  /** Known once the signature verified (PAYLOAD_INVALID, DIGEST_MISMATCH, deliberate refusals). */
  signer?: OpenPGPSigner;
  identity?: string;
  /** The digest the payload signs (DIGEST_MISMATCH). */
  signedDigest?: string;
  /** The key ID the one-pass packet names, when the message could be read. */
  keyId?: string;
  signatureVersion?: number;
  created?: Date;
}

export type OpenPGPVerdict = OpenPGPAccepted | OpenPGPRejected;

export interface VerifyOptions {
  /** The current time, for signature expiry (default: now). */
  now?: Date;
  /**
   * How much of the blob the operator reads: 50 KiB for a signature store (the default); a ConfigMap
   * value is read whole (pass its length).
   */
  readLimit?: number;
}

function reject(code: OpenPGPRejectCode, reason: string, extra: Partial<OpenPGPRejected> = {}): OpenPGPRejected {
  return { ok: false, code, reason, ...extra };
}

/**
 * Verifies one signature blob against the digest it is filed under. Resolves with a verdict for any
 * input; a rejection carries a stable `code`, a one-line `reason`, and `deliberate` when the cluster
 * would have accepted.
 */
export async function verifyOpenPGPSignature(blob: Uint8Array, expected: Digest, keyring: OpenPGPKeyring, options: VerifyOptions = {}): Promise<OpenPGPVerdict> {
  try {
    return await verifyUnchecked(blob, expected, keyring, options);
  } catch (err) {
    // Every expected failure is a verdict already; this is a last line of defence for hostile input.
    return reject('MALFORMED', `the signature cannot be processed: ${(err as Error)?.message ?? String(err)}`);
  }
}

/** A signature that verified under a trusted key, before any payload rule. */
interface VerifiedMessage {
  ok: true;
  message: ReadMessage;
  signature: ParsedSignature;
  signer: OpenPGPSigner;
  trusted: TrustedKey;
  hashIds: number[];
  keyBits: number | undefined;
  extra: { keyId: string; signatureVersion: 2 | 3 | 4; created: Date };
}

/**
 * The operator's read of a signed message, its choice of key and the signature's verification, as
 * x/crypto does them (see the module comment); no payload rule yet. `readLimit` is how much of the
 * blob is read (the operator reads 50 KiB).
 */
async function verifySignedMessage(blob: Uint8Array, keyring: OpenPGPKeyring, options: VerifyOptions): Promise<VerifiedMessage | OpenPGPRejected> {
  const bytes = blob.subarray(0, options.readLimit ?? MAX_SIGNATURE_BYTES);
  const read = readSignedMessage(bytes, (body) => void parseSignaturePacket(body));
  if (!read.ok) {
    const deliberate = read.code === 'DECOMPRESSION_LIMIT' ? { deliberate: true as const, reason: `${read.reason}: the cluster-version operator inflates without a limit; the tool stops there (a resource bound)` } : {};
    return reject(read.code, read.reason, deliberate);
  }
  const message = read.message;
  const last = message.onePasses[message.onePasses.length - 1]!;

  // x/crypto: SignedBy is the key of the last one-pass packet whose key ID names a usable trusted key.
  let selected: Awaited<ReturnType<typeof selectSigningKey>> | undefined;
  let keyId = last.keyId;
  for (let i = message.onePasses.length - 1; i >= 0; i--) {
    const attempt = await selectSigningKey(keyring, message.onePasses[i]!.keyId);
    if (attempt.ok) {
      selected = attempt;
      keyId = message.onePasses[i]!.keyId;
      break;
    }
    if (i === message.onePasses.length - 1) selected = attempt;
  }
  // Without a key x/crypto does not even read the signature packet: the operator says "invalid signature".
  if (!selected || !selected.ok) return reject(selected?.code ?? 'UNTRUSTED_KEY', selected?.reason ?? 'no trusted key', { keyId });
  const { trusted, signingKey } = selected;
  let signature: ParsedSignature;
  try {
    signature = parseSignaturePacket(message.signature);
  } catch (err) {
    const unsupported = err instanceof SignatureParseError && err.unsupported;
    return reject(unsupported ? 'UNSUPPORTED_SIGNATURE' : 'MALFORMED', `the signature packet cannot be read: ${(err as Error).message}`, { keyId });
  }
  const extra = { keyId, signatureVersion: signature.version, created: signature.created };

  const crypto = verifySignatureCrypto(signature, message.literal, last.hashAlgorithm, last.signatureType === 0x01, signingKey.keyPacket as never);
  if (!crypto.ok) return reject('BAD_SIGNATURE', `the signature does not verify under ${trusted.name}: ${crypto.reason}`, extra);
  if (signature.version === 4 && signature.lifetimeSeconds !== undefined) {
    // library-go: expiry = creation + lifetime, refused once now is after it (a lifetime of 0 included).
    const expiry = new Date(signature.created.getTime() + signature.lifetimeSeconds * 1000);
    if ((options.now ?? new Date()) > expiry) return reject('EXPIRED', `the signature expired on ${expiry.toISOString()}`, extra);
  }
  const signer: OpenPGPSigner = { fingerprint: trusted.fingerprint, keyName: trusted.name, keyId, signingKeyFingerprint: signingKey.getFingerprint().toUpperCase() };
  return { ok: true, message, signature, signer, trusted, hashIds: [...new Set([last.hashAlgorithm, signature.hashAlgorithm])], keyBits: keyBits(signingKey.keyPacket as never), extra };
}

/** The contract's deliberately stricter rules (verdicts.md): weak hashes and small keys. */
function deliberateRefusal(v: VerifiedMessage, consumer: string, more: Partial<OpenPGPRejected>): OpenPGPRejected | undefined {
  const deliberate = { ...v.extra, signer: v.signer, ...more, deliberate: true as const };
  for (const id of v.hashIds) {
    if (id === 1 || id === 2) {
      return reject('WEAK_HASH', `the signature uses the ${hashName(id)} hash: ${consumer} would accept it, but ${hashName(id)} is refused for release signatures (collisions can be made; Red Hat signs with SHA-256)`, deliberate);
    }
  }
  if (v.keyBits !== undefined && v.keyBits < 2048) {
    const kind = v.signature.publicKeyAlgorithm === 17 ? 'DSA' : 'RSA';
    return reject('WEAK_KEY', `signed by a ${v.keyBits}-bit ${kind} key of ${v.trusted.name}: ${consumer} would accept it, but ${kind} keys under 2048 bits are refused (they can be broken)`, deliberate);
  }
  return undefined;
}

async function verifyUnchecked(blob: Uint8Array, expected: Digest, keyring: OpenPGPKeyring, options: VerifyOptions): Promise<OpenPGPVerdict> {
  if (!isDigest(expected)) return reject('INVALID_DIGEST', `${JSON.stringify(String(expected).slice(0, 100))} is not a sha256 digest to check a signature against`);
  const v = await verifySignedMessage(blob, keyring, options);
  if (!v.ok) return v;
  const { trusted, signer, message, signature, extra } = v;
  const verified = { ...extra, signer };
  const payload = parseAtomicSignaturePayload(message.literal, expected);
  if (!payload.ok) {
    if (payload.code === 'DIGEST_MISMATCH') {
      return reject('DIGEST_MISMATCH', `valid signature by ${trusted.name}, but ${payload.reason}`, { ...verified, identity: payload.identity, signedDigest: payload.signedDigest });
    }
    if (payload.code === 'DUPLICATE_KEY') return reject('DUPLICATE_KEY', `valid signature by ${trusted.name}, but ${payload.reason}`, { ...verified, identity: payload.identity, deliberate: true });
    return reject(payload.code, `valid signature by ${trusted.name}, but ${payload.reason}`, verified);
  }
  // The operator accepts this signature. The contract's deliberately stricter rules:
  const refused = deliberateRefusal(v, 'the cluster-version operator', { identity: payload.payload.identity });
  if (refused) return refused;
  return {
    ok: true,
    signer,
    identity: payload.payload.identity,
    payload: payload.payload,
    signatureVersion: signature.version,
    created: signature.created,
    hashAlgorithm: hashName(signature.hashAlgorithm),
    compression: message.compression,
  };
}

/** A message whose signature verified under a trusted key; its payload not yet read. */
export interface OpenPGPSignedData {
  ok: true;
  signer: OpenPGPSigner;
  /** The literal data: the signed payload, exactly as signed. */
  payload: Uint8Array;
  signatureVersion: 2 | 3 | 4;
  created: Date;
  hashAlgorithm: string;
  compression: OpenPGPAccepted['compression'];
}

/**
 * The same reading, key and signature checks as verifyOpenPGPSignature (and the contract's weak-hash
 * and weak-key refusals), without the operator's payload rules: for consumers that read the payload
 * their own way (containers/image's signedBy, src/policy). `maxBytes` replaces the operator's 50 KiB
 * read (containers/image reads 4 MiB).
 */
export async function verifyOpenPGPSignedData(blob: Uint8Array, keyring: OpenPGPKeyring, options: VerifyOptions & { maxBytes?: number } = {}): Promise<OpenPGPSignedData | OpenPGPRejected> {
  try {
    const maxBytes = options.maxBytes ?? MAX_SIGNATURE_BYTES;
    if (blob.length > maxBytes) return reject('TOO_LARGE', `the signature is ${blob.length} bytes, over the ${maxBytes}-byte limit`);
    const v = await verifySignedMessage(blob, keyring, { ...options, readLimit: maxBytes });
    if (!v.ok) return v;
    const refused = deliberateRefusal(v, 'containers/image', {});
    if (refused) return refused;
    return { ok: true, signer: v.signer, payload: v.message.literal, signatureVersion: v.signature.version, created: v.signature.created, hashAlgorithm: hashName(v.signature.hashAlgorithm), compression: v.message.compression };
  } catch (err) {
    return reject('MALFORMED', `the signature cannot be processed: ${(err as Error)?.message ?? String(err)}`);
  }
}
