/**
 * Verifies one OpenPGP simple-signing blob the way the cluster-version operator decides whether to
 * start an update (docs/verdicts.md, "OpenPGP"), with the stricter rules the contract adds (no weak
 * hash or key, bounded sizes). Pure: no I/O, never throws on bad input.
 *
 * Order of the checks:
 *  1. size cap (50 KiB, what the operator reads of a signature);
 *  2. framing, read here and not by openpgp.js: at most one compressed packet (ZIP or ZLIB, inflated
 *     here with a 1 MiB cap), then exactly one-pass signature, literal data, signature, nothing after;
 *  3. signature packet: v3 verified by v3.ts, v4 by openpgp.js on the already-inflated packets; the
 *     key is chosen among the trusted keys by key ID and validated at the signature's creation time;
 *  4. only then the payload: strict JSON, exact digest equality (payload.ts).
 */
import { readMessage, readSignature, verify as openpgpVerify, type SignaturePacket } from 'openpgp';
import { isDigest, type Digest } from '../model/digest.ts';
import { SIGNATURE_MAX_BYTES } from '../http/limits.ts';
import type { OpenPGPKeyring, TrustedKey } from './keys.ts';
import { concatBytes, describeTag, inflateCompressedBody, PacketError, PacketTag, readPackets, type Packet } from './packets.ts';
import { parseAtomicSignaturePayload, type AtomicSignaturePayload } from './payload.ts';
import { checkMessageHash, classifySignatureError, hashName, selectSigningKey, type OpenPGPRejectCode, type Rejection } from './signer.ts';
import { parseV3Signature, verifyV3Signature } from './v3.ts';
import { canVerifyV4Fast, verifyV4Fast } from './v4.ts';

export type { OpenPGPRejectCode } from './signer.ts';

/** The cluster-version operator reads at most 50 KiB of a signature (the fetcher's cap too). */
export const MAX_SIGNATURE_BYTES = SIGNATURE_MAX_BYTES;
/** A compressed signature may not inflate past this (real ones inflate to under 1 KiB). */
export const MAX_INFLATED_BYTES = 1024 * 1024;

export interface OpenPGPSigner {
  /** Fingerprint of the trusted primary key, uppercase hex. */
  fingerprint: string;
  /** e.g. `Red Hat release key 2 (567E347A...FD431D51)`. */
  keyName: string;
  /** Key ID the signature names (the primary key's or a subkey's), uppercase hex. */
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
  signatureVersion: 3 | 4;
  created: Date;
  hashAlgorithm: string;
  compression: 'ZIP' | 'ZLIB' | 'none';
}

export interface OpenPGPRejected {
  ok: false;
  code: OpenPGPRejectCode;
  /** One line: what is wrong with this signature. */
  reason: string;
  /** Known once the signature verified (PAYLOAD_INVALID, DIGEST_MISMATCH). */
  signer?: OpenPGPSigner;
  identity?: string;
  /** The digest the payload signs (DIGEST_MISMATCH). */
  signedDigest?: string;
  /** The key ID the signature names, when the packet could be read. */
  keyId?: string;
  signatureVersion?: number;
  created?: Date;
}

export type OpenPGPVerdict = OpenPGPAccepted | OpenPGPRejected;

export interface VerifyOptions {
  /** The current time, for signature expiry (default: now). */
  now?: Date;
}

function reject(code: OpenPGPRejectCode, reason: string, extra: Partial<OpenPGPRejected> = {}): OpenPGPRejected {
  return { ok: false, code, reason, ...extra };
}

const ENCRYPTED_TAGS: readonly number[] = [
  PacketTag.PublicKeyEncryptedSessionKey,
  PacketTag.SymmetricKeyEncryptedSessionKey,
  PacketTag.SymmetricallyEncrypted,
  PacketTag.SymEncryptedIntegrityProtected,
  PacketTag.AeadEncrypted,
];

interface SignedMessage {
  onePass: { signatureType: number; hashAlgorithm: number; publicKeyAlgorithm: number; keyId: string };
  literal: Uint8Array;
  signature: Packet;
  /** one-pass signature, literal data and signature packets exactly as encoded (uncompressed). */
  packets: Uint8Array;
  compression: OpenPGPAccepted['compression'];
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

function startsWithText(blob: Uint8Array, text: string): boolean {
  let i = 0;
  while (i < blob.length && (blob[i] === 0x20 || blob[i] === 0x09 || blob[i] === 0x0a || blob[i] === 0x0d)) i++;
  return Buffer.from(blob.buffer, blob.byteOffset + i, Math.min(text.length, blob.length - i)).toString('latin1') === text;
}

/** Step 2: the framing. Returns the parts of a one-pass signed message, or why it is not one. */
function readSignedMessage(blob: Uint8Array): SignedMessage | OpenPGPRejected {
  if (blob.length === 0) return reject('MALFORMED', 'the signature is empty (0 bytes)');
  if (startsWithText(blob, '-----BEGIN PGP SIGNED MESSAGE-----')) {
    return reject('NOT_SIGNED_MESSAGE', 'the signature is a cleartext-signed (armored text) message, not a binary signed message');
  }
  if (startsWithText(blob, '-----BEGIN PGP')) {
    return reject('NOT_SIGNED_MESSAGE', 'the signature is ASCII-armored; the cluster-version operator reads binary signed messages only');
  }
  let outer: Packet[];
  try {
    outer = readPackets(blob);
  } catch (err) {
    return reject('MALFORMED', `the signature is not a well-formed OpenPGP message: ${(err as Error).message}`);
  }
  let inner = outer;
  let compression: SignedMessage['compression'] = 'none';
  if (outer[0]!.tag === PacketTag.Compressed) {
    if (outer.length > 1) {
      return reject('TRAILING_DATA', `${outer.length - 1} packet(s) follow the compressed data packet (${outer.slice(1).map((p) => describeTag(p.tag)).join(', ')})`);
    }
    const inflated = inflateCompressedBody(outer[0]!.body, MAX_INFLATED_BYTES);
    if (!inflated.ok) {
      const code = ({ unsupported: 'UNSUPPORTED_COMPRESSION', limit: 'DECOMPRESSION_LIMIT', malformed: 'MALFORMED', trailing: 'TRAILING_DATA' } as const)[inflated.kind];
      return reject(code, inflated.reason);
    }
    compression = inflated.algorithm;
    try {
      inner = inflated.data.length === 0 ? [] : readPackets(inflated.data);
    } catch (err) {
      return reject('MALFORMED', `the compressed content is not a well-formed OpenPGP message: ${(err as Error).message}`);
    }
    if (inner.some((p) => p.tag === PacketTag.Compressed)) {
      return reject('UNSUPPORTED_COMPRESSION', 'the message is compressed twice (a compressed packet inside a compressed packet)');
    }
  }

  const tags = inner.map((p) => p.tag);
  const list = () => inner.map((p) => describeTag(p.tag)).join(', ') || 'nothing';
  if (tags.some((t) => ENCRYPTED_TAGS.includes(t))) {
    return reject('NOT_SIGNED_MESSAGE', `the signature is an encrypted message, not a signed message (${list()})`);
  }
  const signatures = tags.filter((t) => t === PacketTag.Signature).length;
  const onePasses = tags.filter((t) => t === PacketTag.OnePassSignature).length;
  if (signatures === 0 && onePasses === 0) {
    const what = tags.includes(PacketTag.Literal) ? 'literal data only, with no signature' : `not a signed message (${list()})`;
    return reject('NOT_SIGNED_MESSAGE', `the signature is ${what}`);
  }
  if (signatures > 1 || onePasses > 1) {
    return reject('MULTIPLE_SIGNATURES', `the message holds ${signatures} signature and ${onePasses} one-pass signature packets; exactly one signature is allowed`);
  }
  if (tags[0] !== PacketTag.OnePassSignature || tags[1] !== PacketTag.Literal) {
    return reject('NOT_SIGNED_MESSAGE', `the signature is not a one-pass signed message (one-pass signature, literal data, signature): it holds ${list()}`);
  }
  if (tags.length < 3) return reject('MALFORMED', 'the signature packet after the literal data is missing (truncated message)');
  if (tags[2] !== PacketTag.Signature) {
    return reject('NOT_SIGNED_MESSAGE', `a ${describeTag(tags[2]!)} follows the literal data where the signature packet belongs`);
  }
  if (tags.length > 3) {
    return reject('TRAILING_DATA', `${tags.length - 3} packet(s) follow the signature packet (${inner.slice(3).map((p) => describeTag(p.tag)).join(', ')})`);
  }

  const [onePassPacket, literalPacket, signaturePacket] = inner as [Packet, Packet, Packet];
  const op = onePassPacket.body;
  if (op.length !== 13 || op[0] !== 3) {
    const version = op[0];
    if (version !== undefined && version !== 3 && op.length > 0) {
      return reject('UNSUPPORTED_SIGNATURE', `one-pass signature packet version ${version} is not supported (version 3 is)`);
    }
    return reject('MALFORMED', `the one-pass signature packet is ${op.length} bytes, not 13`);
  }
  if (op[12] !== 1) return reject('UNSUPPORTED_SIGNATURE', 'the one-pass signature announces nested signatures');
  const lit = literalPacket.body;
  if (lit.length < 6 || lit.length < 6 + lit[1]!) return reject('MALFORMED', 'the literal data packet is truncated');
  return {
    onePass: { signatureType: op[1]!, hashAlgorithm: op[2]!, publicKeyAlgorithm: op[3]!, keyId: hex(op.subarray(4, 12)) },
    literal: lit.subarray(6 + lit[1]!),
    signature: signaturePacket,
    packets: concatBytes([onePassPacket.raw, literalPacket.raw, signaturePacket.raw]),
    compression,
  };
}

interface SignatureHeader {
  version: 3 | 4;
  signatureType: number;
  hashAlgorithm: number;
  publicKeyAlgorithm: number;
  keyId: string;
  created: Date;
}

/** The one-pass signature packet must announce exactly the signature that follows. */
function checkOnePass(message: SignedMessage, header: SignatureHeader): OpenPGPRejected | undefined {
  const op = message.onePass;
  const differences: string[] = [];
  if (op.keyId !== header.keyId) differences.push(`key ID ${op.keyId} vs ${header.keyId}`);
  if (op.hashAlgorithm !== header.hashAlgorithm) differences.push(`hash ${hashName(op.hashAlgorithm)} vs ${hashName(header.hashAlgorithm)}`);
  if (op.publicKeyAlgorithm !== header.publicKeyAlgorithm) differences.push(`public-key algorithm ${op.publicKeyAlgorithm} vs ${header.publicKeyAlgorithm}`);
  if (op.signatureType !== header.signatureType) differences.push(`signature type ${op.signatureType} vs ${header.signatureType}`);
  if (differences.length === 0) return undefined;
  return reject('MALFORMED', `the one-pass signature packet does not match the signature packet (${differences.join('; ')})`, { keyId: header.keyId });
}

/**
 * Verifies one signature blob against the digest it is filed under. Resolves with a verdict for any
 * input; a rejection carries a stable `code` and a one-line `reason`.
 */
export async function verifyOpenPGPSignature(blob: Uint8Array, expected: Digest, keyring: OpenPGPKeyring, options: VerifyOptions = {}): Promise<OpenPGPVerdict> {
  if (!isDigest(expected)) return reject('INVALID_DIGEST', `${JSON.stringify(String(expected).slice(0, 100))} is not a sha256 digest to check a signature against`);
  return verifyGuarded(blob, keyring, options, MAX_SIGNATURE_BYTES, (message, header, trusted, fingerprint) => checkPayload(message, header, expected, trusted, fingerprint));
}

/** A message whose signature verified under a trusted key; its payload not yet read. */
export interface OpenPGPSignedData {
  ok: true;
  signer: OpenPGPSigner;
  /** The literal data: the signed payload, exactly as signed. */
  payload: Uint8Array;
  signatureVersion: 3 | 4;
  created: Date;
  hashAlgorithm: string;
  compression: OpenPGPAccepted['compression'];
}

/**
 * The same framing, key and signature checks as verifyOpenPGPSignature, without the operator's
 * payload rules: for consumers that read the payload their own way (containers/image's signedBy,
 * src/policy). `maxBytes` replaces the operator's 50 KiB cap (containers/image reads 4 MiB).
 */
export async function verifyOpenPGPSignedData(blob: Uint8Array, keyring: OpenPGPKeyring, options: VerifyOptions & { maxBytes?: number } = {}): Promise<OpenPGPSignedData | OpenPGPRejected> {
  return verifyGuarded(blob, keyring, options, options.maxBytes ?? MAX_SIGNATURE_BYTES, (message, header, trusted, signingKeyFingerprint) => ({
    ok: true as const,
    signer: { fingerprint: trusted.fingerprint, keyName: trusted.name, keyId: header.keyId, signingKeyFingerprint },
    payload: message.literal,
    signatureVersion: header.version,
    created: header.created,
    hashAlgorithm: hashName(header.hashAlgorithm),
    compression: message.compression,
  }));
}

/** What to do once the signature verified under `trusted`. */
type Finish<T> = (message: SignedMessage, header: SignatureHeader, trusted: TrustedKey, signingKeyFingerprint: string) => T | OpenPGPRejected;

async function verifyGuarded<T>(blob: Uint8Array, keyring: OpenPGPKeyring, options: VerifyOptions, maxBytes: number, finish: Finish<T>): Promise<T | OpenPGPRejected> {
  try {
    return await verifyUnchecked(blob, keyring, options.now ?? new Date(), maxBytes, finish);
  } catch (err) {
    // Every expected failure is a verdict already; this is a last line of defence for hostile input.
    return reject('MALFORMED', `the signature cannot be processed: ${(err as Error)?.message ?? String(err)}`);
  }
}

async function verifyUnchecked<T>(blob: Uint8Array, keyring: OpenPGPKeyring, now: Date, maxBytes: number, finish: Finish<T>): Promise<T | OpenPGPRejected> {
  if (blob.length > maxBytes) {
    return reject('TOO_LARGE', maxBytes === MAX_SIGNATURE_BYTES ? `the signature is ${blob.length} bytes, over the ${MAX_SIGNATURE_BYTES}-byte limit the cluster-version operator reads` : `the signature is ${blob.length} bytes, over the ${maxBytes}-byte limit`);
  }
  const message = readSignedMessage(blob);
  if ('ok' in message) return message;

  const version = message.signature.body[0];
  if (version === 3) return verifyV3(message, keyring, finish);
  if (version === 4) return verifyV4(message, keyring, now, finish);
  return reject('UNSUPPORTED_SIGNATURE', `signature packet version ${version ?? '(empty)'} is not accepted; release signatures are version 3 or 4`);
}

function commonChecks(message: SignedMessage, header: SignatureHeader, keyring: OpenPGPKeyring): { candidates: TrustedKey[] } | OpenPGPRejected {
  const mismatch = checkOnePass(message, header);
  if (mismatch) return mismatch;
  const extra = { keyId: header.keyId, signatureVersion: header.version, created: header.created };
  if (header.signatureType !== 0x00 && header.signatureType !== 0x01) {
    return reject('UNSUPPORTED_SIGNATURE', `signature type 0x${header.signatureType.toString(16).padStart(2, '0')} is not a document signature (binary 0x00 or text 0x01)`, extra);
  }
  const hashRejection = checkMessageHash(header.hashAlgorithm, header.version === 4);
  if (hashRejection) return reject(hashRejection.code, hashRejection.reason, extra);
  const candidates = keyring.findByKeyId(header.keyId);
  if (candidates.length === 0) {
    return reject(
      'UNTRUSTED_KEY',
      `signed by key ID ${header.keyId}, which is not a trusted key (trusted: ${keyring.describe()}); add its public key with --openpgp-key only if you trust it`,
      extra,
    );
  }
  return { candidates };
}

/** Step 4, shared by v3 and v4 once the signature verified. */
function checkPayload(
  message: SignedMessage,
  header: SignatureHeader,
  expected: Digest,
  trusted: TrustedKey,
  signingKeyFingerprint: string,
): OpenPGPVerdict {
  const signer: OpenPGPSigner = { fingerprint: trusted.fingerprint, keyName: trusted.name, keyId: header.keyId, signingKeyFingerprint };
  const extra = { signer, keyId: header.keyId, signatureVersion: header.version, created: header.created };
  const payload = parseAtomicSignaturePayload(message.literal, expected);
  if (!payload.ok) {
    if (payload.code === 'DIGEST_MISMATCH') {
      return reject('DIGEST_MISMATCH', `valid signature by ${trusted.name}, but ${payload.reason}`, { ...extra, identity: payload.identity, signedDigest: payload.signedDigest });
    }
    return reject(payload.code, `valid signature by ${trusted.name}, but ${payload.reason}`, extra);
  }
  return {
    ok: true,
    signer,
    identity: payload.payload.identity,
    payload: payload.payload,
    signatureVersion: header.version,
    created: header.created,
    hashAlgorithm: hashName(header.hashAlgorithm),
    compression: message.compression,
  };
}

async function verifyV3<T>(message: SignedMessage, keyring: OpenPGPKeyring, finish: Finish<T>): Promise<T | OpenPGPRejected> {
  let signature;
  try {
    signature = parseV3Signature(message.signature.body);
  } catch (err) {
    if (err instanceof PacketError) return reject('MALFORMED', `the v3 signature packet is malformed: ${err.message}`);
    throw err;
  }
  const header: SignatureHeader = {
    version: 3,
    signatureType: signature.signatureType,
    hashAlgorithm: signature.hashAlgorithm,
    publicKeyAlgorithm: signature.publicKeyAlgorithm,
    keyId: signature.keyId,
    created: signature.created,
  };
  const common = commonChecks(message, header, keyring);
  if ('ok' in common) return common;
  const extra = { keyId: header.keyId, signatureVersion: 3, created: header.created };
  let first: Rejection | undefined;
  for (const trusted of common.candidates) {
    const result = await verifyV3Signature(signature, message.literal, trusted, keyring.config);
    if (result.ok) return finish(message, header, trusted, result.signingKeyFingerprint);
    first ??= result;
  }
  return reject(first!.code, first!.reason, extra);
}

async function verifyV4<T>(message: SignedMessage, keyring: OpenPGPKeyring, now: Date, finish: Finish<T>): Promise<T | OpenPGPRejected> {
  // openpgp.js reads the packets only after the framing checks, and never sees compressed data.
  let sig: SignaturePacket | undefined;
  try {
    // A one-pass message keeps its trailing signature packet in a stream; read the packet on its own
    // for the header fields.
    const signature = await readSignature({ binarySignature: message.signature.raw, config: keyring.config });
    sig = signature.packets.length === 1 ? (signature.packets[0] as SignaturePacket) : undefined;
  } catch (err) {
    return reject('MALFORMED', `the v4 signature cannot be read: ${(err as Error).message}`);
  }
  if (!sig) return reject('MALFORMED', 'the v4 signature packet cannot be read');
  if (!sig.created) return reject('MALFORMED', 'the v4 signature has no creation time');
  const header: SignatureHeader = {
    version: 4,
    signatureType: sig.signatureType ?? -1,
    hashAlgorithm: sig.hashAlgorithm ?? -1,
    publicKeyAlgorithm: sig.publicKeyAlgorithm ?? -1,
    keyId: sig.issuerKeyID.toHex().toUpperCase(),
    created: sig.created,
  };
  const common = commonChecks(message, header, keyring);
  if ('ok' in common) return common;
  const extra = { keyId: header.keyId, signatureVersion: 4, created: header.created };
  // The cluster-version operator (x/crypto) does not refuse a signature dated in the future, and a
  // signer's clock a little ahead of ours must not fail a release: judge such a signature as of its
  // creation time (its expiry is then judged correctly too, since it cannot have expired yet).
  const at = header.created > now ? header.created : now;
  let first: Rejection | undefined;
  for (const trusted of common.candidates) {
    const selected = await selectSigningKey(trusted, header.keyId, header.created, keyring.config);
    if (!selected.ok) {
      first ??= selected;
      continue;
    }
    if (canVerifyV4Fast(sig, selected.signingKey)) {
      try {
        await verifyV4Fast(sig, message.literal, selected.signingKey, at, keyring.config);
      } catch (err) {
        first ??= classifySignatureError(err, trusted);
        continue;
      }
      return finish(message, header, trusted, selected.signingKey.getFingerprint().toUpperCase());
    }
    let parsed;
    try {
      // Only openpgp.js's own verify needs it to read the whole message (the fast path above reads the
      // packets with the framing parser, as x/crypto does); what it cannot read is MALFORMED.
      parsed = await readMessage({ binaryMessage: message.packets, config: keyring.config });
    } catch (err) {
      return reject('MALFORMED', `the v4 signature cannot be read: ${(err as Error).message}`, extra);
    }
    try {
      const result = await openpgpVerify({ message: parsed, verificationKeys: [trusted.key], expectSigned: true, format: 'binary', date: at, config: keyring.config });
      if (result.signatures.length !== 1) {
        return reject('MULTIPLE_SIGNATURES', `openpgp.js found ${result.signatures.length} signatures in the message`, extra);
      }
      await result.signatures[0]!.verified;
      // openpgp.js verified the literal data it parsed from the same packets; make sure it is the
      // payload checked below, byte for byte.
      if (Buffer.compare(Buffer.from(result.data), Buffer.from(message.literal)) !== 0) {
        return reject('MALFORMED', 'the literal data openpgp.js verified differs from the literal data packet', extra);
      }
    } catch (err) {
      first ??= classifySignatureError(err, trusted);
      continue;
    }
    return finish(message, header, trusted, selected.signingKey.getFingerprint().toUpperCase());
  }
  return reject(first!.code, first!.reason, extra);
}
