/**
 * Signature packets (RFC 4880 5.2) parsed as x/crypto/openpgp parses them for the cluster-version
 * operator (openpgp/packet/signature.go and signature_v3.go, golang.org/x/crypto v0.4.0):
 *  - version 2 and 3 share one format (hashed length must be 5); version 4 has subpacket areas;
 *  - public-key algorithms RSA (1, 3), DSA (17) and, for v4, ECDSA (19); others are unsupported;
 *  - hash algorithms MD5, SHA-1, RIPEMD-160, SHA-224/256/384/512 are known (SHA-3 is not);
 *  - v4: a creation time in the hashed area is required, and refused in the unhashed one; the
 *    expiration time counts only in the hashed area; an unknown subpacket marked critical is refused in
 *    either area; issuer subpackets must be 8 bytes;
 *  - the MPIs are read by their bit length; bytes after them in the packet are not read.
 * Pure; throws SignatureParseError with x/crypto's kind of failure.
 */

export class SignatureParseError extends Error {
  readonly unsupported: boolean;
  constructor(message: string, unsupported = false) {
    super(message);
    this.name = 'SignatureParseError';
    this.unsupported = unsupported;
  }
}

/** OpenPGP hash IDs x/crypto knows (s2k.HashIdToHash), with node:crypto names (RIPEMD-160 is not linked into the operator). */
export const HASHES: Readonly<Record<number, { name: string; node: string | undefined }>> = {
  1: { name: 'MD5', node: 'md5' },
  2: { name: 'SHA-1', node: 'sha1' },
  3: { name: 'RIPEMD-160', node: undefined },
  8: { name: 'SHA-256', node: 'sha256' },
  9: { name: 'SHA-384', node: 'sha384' },
  10: { name: 'SHA-512', node: 'sha512' },
  11: { name: 'SHA-224', node: 'sha224' },
};

export function hashName(id: number): string {
  return HASHES[id]?.name ?? ({ 12: 'SHA3-256', 14: 'SHA3-512' } as Record<number, string>)[id] ?? `hash algorithm ${id}`;
}

export const PublicKeyAlgorithm = { RSA: 1, RSAEncryptOnly: 2, RSASignOnly: 3, ElGamal: 16, DSA: 17, ECDH: 18, ECDSA: 19, EdDSA: 22 } as const;

export interface ParsedSignature {
  /** 2 and 3 are the same format. */
  version: 2 | 3 | 4;
  signatureType: number;
  publicKeyAlgorithm: number;
  hashAlgorithm: number;
  created: Date;
  /** Issuer key ID (v3 field, or the v4 issuer subpacket), uppercase hex; not what picks the key. */
  issuerKeyId: string | undefined;
  /** v4 signature expiration time (hashed area), seconds after creation. */
  lifetimeSeconds: number | undefined;
  /** What is hashed after the document: v4 version..hashed area + trailer; v3 class and time. */
  hashSuffix: Uint8Array;
  hashTag: Uint8Array;
  /** RSA: [s]; DSA and ECDSA: [r, s]; leading zero bytes as written. */
  mpis: Uint8Array[];
}

class Cursor {
  pos = 0;
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  take(n: number, what: string): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new SignatureParseError(`the signature packet is truncated in its ${what}`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  mpi(what: string): Uint8Array {
    const head = this.take(2, what);
    const bits = (head[0]! << 8) | head[1]!;
    return this.take((bits + 7) >> 3, what);
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

function readMpis(c: Cursor, algorithm: number): Uint8Array[] {
  if (algorithm === PublicKeyAlgorithm.RSA || algorithm === PublicKeyAlgorithm.RSASignOnly) return [c.mpi('RSA signature')];
  return [c.mpi('signature value r'), c.mpi('signature value s')];
}

/** Parses a signature packet body. */
export function parseSignaturePacket(body: Uint8Array): ParsedSignature {
  const c = new Cursor(body);
  const version = c.take(1, 'version')[0]!;
  if (version === 2 || version === 3) return parseV3(c, version);
  if (version !== 4) throw new SignatureParseError(`signature packet version ${version} is not supported (the cluster-version operator reads versions 2, 3 and 4)`, true);
  const head = c.take(5, 'header');
  const [signatureType, publicKeyAlgorithm, hashAlgorithm] = [head[0]!, head[1]!, head[2]!];
  if (![PublicKeyAlgorithm.RSA, PublicKeyAlgorithm.RSASignOnly, PublicKeyAlgorithm.DSA, PublicKeyAlgorithm.ECDSA].includes(publicKeyAlgorithm as 1)) {
    throw new SignatureParseError(`public-key algorithm ${publicKeyAlgorithm} is not one the cluster-version operator verifies (RSA, DSA, ECDSA)`, true);
  }
  if (!HASHES[hashAlgorithm]) throw new SignatureParseError(`hash algorithm ${hashName(hashAlgorithm)} is not one the cluster-version operator knows`, true);
  const hashedLength = (head[3]! << 8) | head[4]!;
  const hashed = c.take(hashedLength, 'hashed subpackets');
  const l = 6 + hashedLength;
  const suffix = new Uint8Array(l + 6);
  suffix[0] = 4;
  suffix.set(head, 1);
  suffix.set(hashed, 6);
  suffix.set([4, 0xff, (l >>> 24) & 0xff, (l >>> 16) & 0xff, (l >>> 8) & 0xff, l & 0xff], l);
  const state: SubpacketState = {};
  parseSubpackets(hashed, true, state);
  const unhashedLength = c.take(2, 'unhashed subpacket length');
  parseSubpackets(c.take((unhashedLength[0]! << 8) | unhashedLength[1]!, 'unhashed subpackets'), false, state);
  const hashTag = c.take(2, 'hash tag');
  const mpis = readMpis(c, publicKeyAlgorithm);
  return {
    version: 4,
    signatureType,
    publicKeyAlgorithm,
    hashAlgorithm,
    created: state.created!,
    issuerKeyId: state.issuer,
    lifetimeSeconds: state.lifetime,
    hashSuffix: suffix,
    hashTag,
    mpis,
  };
}

function parseV3(c: Cursor, version: 2 | 3): ParsedSignature {
  const length = c.take(1, 'hashed length')[0]!;
  if (length !== 5) throw new SignatureParseError(`v${version} signature hashed material length is ${length}, not 5`, true);
  const hashed = c.take(5, 'hashed material');
  const keyId = c.take(8, 'issuer key ID');
  const algos = c.take(2, 'algorithms');
  const [publicKeyAlgorithm, hashAlgorithm] = [algos[0]!, algos[1]!];
  if (![PublicKeyAlgorithm.RSA, PublicKeyAlgorithm.RSASignOnly, PublicKeyAlgorithm.DSA].includes(publicKeyAlgorithm as 1)) {
    throw new SignatureParseError(`public-key algorithm ${publicKeyAlgorithm} is not one the cluster-version operator verifies in a v${version} signature (RSA, DSA)`, true);
  }
  if (!HASHES[hashAlgorithm]) throw new SignatureParseError(`hash algorithm ${hashName(hashAlgorithm)} is not one the cluster-version operator knows`, true);
  const hashTag = c.take(2, 'hash tag');
  const mpis = readMpis(c, publicKeyAlgorithm);
  const view = new DataView(hashed.buffer, hashed.byteOffset, 5);
  return {
    version,
    signatureType: hashed[0]!,
    publicKeyAlgorithm,
    hashAlgorithm,
    created: new Date(view.getUint32(1) * 1000),
    issuerKeyId: hex(keyId),
    lifetimeSeconds: undefined,
    hashSuffix: hashed,
    hashTag,
    mpis,
  };
}

interface SubpacketState {
  created?: Date;
  issuer?: string;
  lifetime?: number;
}

/** x/crypto's parseSignatureSubpackets: the subpackets it reads, and the errors it raises. */
function parseSubpackets(area: Uint8Array, hashed: boolean, state: SubpacketState): void {
  let pos = 0;
  while (pos < area.length) {
    const first = area[pos]!;
    let length: number;
    if (first < 192) {
      length = first;
      pos += 1;
    } else if (first < 255) {
      if (pos + 2 > area.length) throw new SignatureParseError('signature subpacket truncated');
      length = ((first - 192) << 8) + area[pos + 1]! + 192;
      pos += 2;
    } else {
      if (pos + 5 > area.length) throw new SignatureParseError('signature subpacket truncated');
      length = ((area[pos + 1]! << 24) >>> 0) + (area[pos + 2]! << 16) + (area[pos + 3]! << 8) + area[pos + 4]!;
      pos += 5;
    }
    if (length > area.length - pos) throw new SignatureParseError('signature subpacket truncated');
    if (length === 0) throw new SignatureParseError('zero length signature subpacket');
    const type = area[pos]! & 0x7f;
    const critical = (area[pos]! & 0x80) !== 0;
    const data = area.subarray(pos + 1, pos + length);
    pos += length;
    switch (type) {
      case 2: // creation time
        if (!hashed) throw new SignatureParseError('signature creation time in non-hashed area');
        if (data.length !== 4) throw new SignatureParseError('signature creation time not four bytes');
        state.created = new Date(new DataView(data.buffer, data.byteOffset, 4).getUint32(0) * 1000);
        break;
      case 3: // signature expiration
        if (!hashed) break;
        if (data.length !== 4) throw new SignatureParseError('expiration subpacket with bad length');
        state.lifetime = new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
        break;
      case 16: // issuer
        if (data.length !== 8) throw new SignatureParseError('issuer subpacket with bad length');
        state.issuer = hex(data);
        break;
      case 9: // key expiration
        if (hashed && data.length !== 4) throw new SignatureParseError('key expiration subpacket with bad length');
        break;
      case 25: // primary user ID
        if (hashed && data.length !== 1) throw new SignatureParseError('primary user id subpacket with bad length');
        break;
      case 27: // key flags
        if (hashed && data.length === 0) throw new SignatureParseError('empty key flags subpacket');
        break;
      case 29: // reason for revocation
        if (hashed && data.length === 0) throw new SignatureParseError('empty revocation reason subpacket');
        break;
      case 32: // embedded signature: parsed, and must be a primary key binding
        if (parseSignaturePacket(data).signatureType !== 0x19) throw new SignatureParseError('cross-signature has unexpected type');
        break;
      case 11:
      case 21:
      case 22:
      case 30:
        break;
      default:
        if (critical) throw new SignatureParseError(`unknown critical signature subpacket type ${type}`, true);
    }
  }
  if (!state.created) throw new SignatureParseError('no creation time in signature');
}
