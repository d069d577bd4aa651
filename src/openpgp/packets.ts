/**
 * A small, bounded reader of the OpenPGP packet framing (RFC 4880 section 4), used to check the shape
 * of a signature blob before any library interprets it: which packets there are, that nothing follows
 * the last one, and how far a compressed packet inflates. It reads headers and slices bodies; it never
 * interprets key material or cryptography.
 *
 * Why not let openpgp.js do it: openpgp.js v6 silently drops packets it cannot parse (v3 signatures),
 * inflates compressed data without a caller-chosen cap before anyone can look at it, and reads only
 * the first message of concatenated input. Each of those would let a verdict differ from the
 * cluster-version operator's, so the framing is checked here first.
 */
import { inflateRawSync, inflateSync } from 'node:zlib';

/** Packet tags this module names (RFC 4880 section 4.3). */
export const PacketTag = {
  PublicKeyEncryptedSessionKey: 1,
  Signature: 2,
  SymmetricKeyEncryptedSessionKey: 3,
  OnePassSignature: 4,
  SecretKey: 5,
  PublicKey: 6,
  SecretSubkey: 7,
  Compressed: 8,
  SymmetricallyEncrypted: 9,
  Marker: 10,
  Literal: 11,
  Trust: 12,
  UserId: 13,
  PublicSubkey: 14,
  SymEncryptedIntegrityProtected: 18,
  AeadEncrypted: 20,
} as const;

export interface Packet {
  tag: number;
  /** The body with any partial-length framing removed. */
  body: Uint8Array;
  /** The packet exactly as it was encoded (header and body), for handing on unchanged. */
  raw: Uint8Array;
  /** Old-format packet with indeterminate length (it runs to the end of the input). */
  indeterminate: boolean;
}

/** Why a byte string is not a well-formed packet sequence. */
export class PacketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PacketError';
  }
}

const TAG_NAMES: Record<number, string> = {
  1: 'public-key encrypted session key',
  2: 'signature',
  3: 'symmetric-key encrypted session key',
  4: 'one-pass signature',
  5: 'secret key',
  6: 'public key',
  7: 'secret subkey',
  8: 'compressed data',
  9: 'symmetrically encrypted data',
  10: 'marker',
  11: 'literal data',
  12: 'trust',
  13: 'user ID',
  14: 'public subkey',
  17: 'user attribute',
  18: 'encrypted and integrity protected data',
  19: 'modification detection code',
  20: 'AEAD encrypted data',
  21: 'padding',
};

export function describeTag(tag: number): string {
  return `${TAG_NAMES[tag] ?? 'unknown'} packet (tag ${tag})`;
}

/**
 * Splits bytes into packets. Throws PacketError on a truncated or malformed header or body.
 * `maxPackets` bounds the work on hostile input (a signed message has three).
 */
export function readPackets(bytes: Uint8Array, maxPackets = 16): Packet[] {
  const packets: Packet[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (packets.length >= maxPackets) throw new PacketError(`more than ${maxPackets} packets`);
    const packet = readPacket(bytes, pos);
    packets.push(packet.packet);
    pos = packet.end;
  }
  return packets;
}

function readPacket(bytes: Uint8Array, start: number): { packet: Packet; end: number } {
  const ctb = bytes[start]!;
  if ((ctb & 0x80) === 0) {
    throw new PacketError(`byte 0x${ctb.toString(16).padStart(2, '0')} at offset ${start} is not an OpenPGP packet header`);
  }
  let pos = start + 1;
  const need = (n: number, what: string) => {
    if (pos + n > bytes.length) throw new PacketError(`truncated ${what} at offset ${pos}`);
  };

  if ((ctb & 0x40) === 0) {
    // Old format: tag in bits 5-2, length type in bits 1-0.
    const tag = (ctb >> 2) & 0x0f;
    const lengthType = ctb & 0x03;
    if (lengthType === 3) {
      const body = bytes.subarray(pos);
      return { packet: { tag, body, raw: bytes.subarray(start), indeterminate: true }, end: bytes.length };
    }
    const size = [1, 2, 4][lengthType]!;
    need(size, 'packet length');
    let length = 0;
    for (let i = 0; i < size; i++) length = length * 256 + bytes[pos + i]!;
    pos += size;
    if (pos + length > bytes.length) throw new PacketError(`${describeTag(tag)} at offset ${start} is truncated: ${length} bytes declared, ${bytes.length - pos} present`);
    const end = pos + length;
    return { packet: { tag, body: bytes.subarray(pos, end), raw: bytes.subarray(start, end), indeterminate: false }, end };
  }

  // New format: tag in bits 5-0, then one or more length headers (partial body lengths).
  const tag = ctb & 0x3f;
  const chunks: Uint8Array[] = [];
  while (true) {
    need(1, 'packet length');
    const first = bytes[pos]!;
    let length: number;
    let partial = false;
    if (first < 192) {
      length = first;
      pos += 1;
    } else if (first < 224) {
      need(2, 'packet length');
      length = ((first - 192) << 8) + bytes[pos + 1]! + 192;
      pos += 2;
    } else if (first === 255) {
      need(5, 'packet length');
      length = ((bytes[pos + 1]! << 24) >>> 0) + (bytes[pos + 2]! << 16) + (bytes[pos + 3]! << 8) + bytes[pos + 4]!;
      pos += 5;
    } else {
      length = 1 << (first & 0x1f);
      partial = true;
      pos += 1;
    }
    if (pos + length > bytes.length) throw new PacketError(`${describeTag(tag)} at offset ${start} is truncated: ${length} bytes declared, ${bytes.length - pos} present`);
    chunks.push(bytes.subarray(pos, pos + length));
    pos += length;
    if (!partial) break;
    if (chunks.length > 4096) throw new PacketError(`${describeTag(tag)} at offset ${start} has too many partial body chunks`);
  }
  const body = chunks.length === 1 ? chunks[0]! : concatBytes(chunks);
  return { packet: { tag, body, raw: bytes.subarray(start, pos), indeterminate: false }, end: pos };
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Compression algorithms (RFC 4880 section 9.3). */
export const CompressionAlgorithm = { Uncompressed: 0, Zip: 1, Zlib: 2, Bzip2: 3 } as const;

export type InflateResult =
  | { ok: true; data: Uint8Array; algorithm: 'ZIP' | 'ZLIB' }
  | { ok: false; kind: 'unsupported' | 'limit' | 'malformed' | 'trailing'; reason: string };

/**
 * Inflates the body of a compressed data packet, refusing to produce more than `maxOutput` bytes
 * (zlib stops as soon as the limit is passed, so a bomb never allocates more than that) and refusing
 * any byte after the end of the compressed stream.
 */
export function inflateCompressedBody(body: Uint8Array, maxOutput: number): InflateResult {
  if (body.length < 1) return { ok: false, kind: 'malformed', reason: 'compressed data packet is empty' };
  const algorithm = body[0]!;
  const stream = body.subarray(1);
  if (algorithm !== CompressionAlgorithm.Zip && algorithm !== CompressionAlgorithm.Zlib) {
    const name = algorithm === CompressionAlgorithm.Bzip2 ? 'BZip2' : algorithm === CompressionAlgorithm.Uncompressed ? '"uncompressed"' : `unknown (${algorithm})`;
    return { ok: false, kind: 'unsupported', reason: `compression algorithm ${name} is not accepted; release signatures use ZIP or ZLIB` };
  }
  const name = algorithm === CompressionAlgorithm.Zip ? 'ZIP' : 'ZLIB';
  const inflate = algorithm === CompressionAlgorithm.Zip ? inflateRawSync : inflateSync;
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    result = inflate(stream, { maxOutputLength: maxOutput, info: true }) as unknown as typeof result;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      return { ok: false, kind: 'limit', reason: `${name} data inflates past the ${maxOutput}-byte limit (${stream.length} compressed bytes)` };
    }
    return { ok: false, kind: 'malformed', reason: `${name} data cannot be inflated: ${(err as Error).message}` };
  }
  const consumed = result.engine.bytesWritten;
  if (consumed < stream.length) {
    return { ok: false, kind: 'trailing', reason: `${stream.length - consumed} bytes follow the end of the ${name} stream` };
  }
  return { ok: true, data: new Uint8Array(result.buffer.buffer, result.buffer.byteOffset, result.buffer.byteLength), algorithm: name };
}
