/**
 * Reads a signature blob the way x/crypto/openpgp ReadMessage and readSignedMessage read it for the
 * cluster-version operator (golang.org/x/crypto v0.4.0 openpgp/read.go, packet/reader.go):
 *
 *  - packets come from a stack of readers: a compressed packet pushes its decompressed stream, and when
 *    that stream ends the reader pops back to the enclosing one (compressed or not, anywhere before the
 *    signature); packets of a type x/crypto does not know (marker, trust, padding, private types) are
 *    skipped wherever they are;
 *  - before the literal data: encrypted-message packets make the message unreadable without a private
 *    key; every one-pass signature packet must be version 3, name a known and available hash, a binary
 *    or text signature type, and be the last (nested signatures are refused); other known packets are
 *    read and skipped;
 *  - the literal data is the payload; the next known packet after it must be the signature;
 *  - nothing after the signature packet is read: trailing packets, a second message, bytes after the
 *    end of a compressed stream, and a defect of the compressed stream past that point do not matter.
 * The whole input is read from at most its first 50 KiB (the operator's LimitReader), by the caller.
 *
 * Pure: returns the parts the verifier needs, or why x/crypto would fail to read the message.
 */
import { decompressPacketBody, type Decompressed } from './decompress.ts';
import { HASHES, hashName } from './signature.ts';

export const PacketTag = {
  PublicKeyEncryptedSessionKey: 1,
  Signature: 2,
  SymmetricKeyEncryptedSessionKey: 3,
  OnePassSignature: 4,
  Compressed: 8,
  SymmetricallyEncrypted: 9,
  Literal: 11,
  SymEncryptedIntegrityProtected: 18,
} as const;

/** Packet tags x/crypto v0.4.0 parses (packet.Read); any other is skipped as an unknown packet type. */
const KNOWN_TAGS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 14, 17, 18]);

export interface OnePass {
  signatureType: number;
  hashAlgorithm: number;
  publicKeyAlgorithm: number;
  /** 16 uppercase hex. */
  keyId: string;
}

export interface ReadMessage {
  /** Every one-pass signature packet, in order (x/crypto takes the hash from the last, the key from the last it finds). */
  onePasses: OnePass[];
  literal: Uint8Array;
  /** The body of the signature packet that follows the literal data. */
  signature: Uint8Array;
  compression: 'ZIP' | 'ZLIB' | 'BZip2' | 'none';
}

export type MessageRejectCode = 'MALFORMED' | 'NOT_SIGNED_MESSAGE' | 'UNSUPPORTED_SIGNATURE' | 'UNSUPPORTED_COMPRESSION' | 'DECOMPRESSION_LIMIT';

export type MessageResult = { ok: true; message: ReadMessage } | { ok: false; code: MessageRejectCode; reason: string };

class ReadError extends Error {
  readonly code: MessageRejectCode;
  constructor(code: MessageRejectCode, message: string) {
    super(message);
    this.code = code;
  }
}

interface Source {
  data: Uint8Array;
  pos: number;
  /** Why `data` ends (a decompressed stream cut by a defect or the cap); absent: a clean end. */
  stop?: { code: MessageRejectCode; reason: string };
  /** Where the enclosing source continues once this one is exhausted. */
  resume?: { source: Source; at: number };
}

/** bufio.Reader's buffer size: how far x/crypto's decompressors read ahead of what they consume. */
const READ_AHEAD = 4096;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

class PacketReader {
  readonly stack: Source[];
  compression: ReadMessage['compression'] = 'none';

  constructor(bytes: Uint8Array) {
    this.stack = [{ data: bytes, pos: 0 }];
  }

  private need(source: Source, end: number, what: string): void {
    if (end <= source.data.length) return;
    if (source.stop) throw new ReadError(source.stop.code, source.stop.reason);
    throw new ReadError('MALFORMED', `the message is truncated in ${what}`);
  }

  /** The next packet header and body, or undefined at the end of all input. Unknown packet types are skipped. */
  next(): { tag: number; body: Uint8Array; indeterminate: boolean } | undefined {
    for (;;) {
      const source = this.stack[this.stack.length - 1];
      if (!source) return undefined;
      if (source.pos >= source.data.length) {
        if (source.stop) throw new ReadError(source.stop.code, source.stop.reason);
        this.stack.pop();
        if (source.resume) source.resume.source.pos = source.resume.at;
        continue;
      }
      const start = source.pos;
      const ctb = source.data[start]!;
      if ((ctb & 0x80) === 0) throw new ReadError('MALFORMED', `byte 0x${ctb.toString(16).padStart(2, '0')} at offset ${start} is not an OpenPGP packet header (tag byte does not have MSB set)`);
      let tag: number;
      let body: Uint8Array;
      let indeterminate = false;
      let pos = start + 1;
      if ((ctb & 0x40) === 0) {
        tag = (ctb & 0x3f) >> 2;
        const lengthType = ctb & 3;
        if (lengthType === 3) {
          // Indeterminate length: to the end of this source (a defect there surfaces when read).
          body = source.data.subarray(pos);
          // Literal data is read to its end, and so reaches a defect there; other packets read only their fields.
          if (source.stop && tag === PacketTag.Literal) throw new ReadError(source.stop.code, source.stop.reason);
          pos = source.data.length;
          indeterminate = true;
        } else {
          const size = 1 << lengthType;
          this.need(source, pos + size, 'a packet length');
          let length = 0;
          for (let i = 0; i < size; i++) length = length * 256 + source.data[pos + i]!;
          pos += size;
          this.need(source, pos + length, `a ${length}-byte packet`);
          body = source.data.subarray(pos, pos + length);
          pos += length;
        }
      } else {
        tag = ctb & 0x3f;
        const chunks: Uint8Array[] = [];
        for (;;) {
          this.need(source, pos + 1, 'a packet length');
          const first = source.data[pos]!;
          let length: number;
          let partial = false;
          if (first < 192) {
            length = first;
            pos += 1;
          } else if (first < 224) {
            this.need(source, pos + 2, 'a packet length');
            length = ((first - 192) << 8) + source.data[pos + 1]! + 192;
            pos += 2;
          } else if (first < 255) {
            length = 1 << (first & 0x1f);
            partial = true;
            pos += 1;
          } else {
            this.need(source, pos + 5, 'a packet length');
            const d = source.data;
            length = ((d[pos + 1]! << 24) >>> 0) + (d[pos + 2]! << 16) + (d[pos + 3]! << 8) + d[pos + 4]!;
            pos += 5;
          }
          this.need(source, pos + length, `a ${length}-byte packet`);
          chunks.push(source.data.subarray(pos, pos + length));
          pos += length;
          if (!partial) break;
          if (chunks.length > 4096) throw new ReadError('MALFORMED', 'a packet has too many partial body chunks');
        }
        body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      }
      source.pos = pos;
      if (!KNOWN_TAGS.has(tag)) continue;
      if (tag === PacketTag.Compressed) this.push(source, body, indeterminate);
      return { tag, body, indeterminate };
    }
  }

  /** A compressed packet: its stream becomes the current source. */
  private push(parent: Source, body: Uint8Array, indeterminate: boolean): void {
    if (this.stack.length >= 32) throw new ReadError('MALFORMED', 'too many layers of packets (compressed packets nested 32 deep)');
    const result = decompressPacketBody(body);
    if (!result.ok) throw new ReadError(result.code, result.reason);
    const d: Decompressed = result.value;
    if (this.compression === 'none') this.compression = d.algorithm;
    const bodyStart = parent.pos - body.length;
    // Where the enclosing stream continues: x/crypto's decompressor reads the packet through a buffer
    // of READ_AHEAD bytes, so the bytes after the compressed stream are skipped up to that boundary.
    const consumed = 1 + Math.ceil(d.consumed / READ_AHEAD) * READ_AHEAD;
    const end = indeterminate ? parent.data.length : parent.pos;
    const source: Source = { data: d.data, pos: 0, resume: { source: parent, at: Math.min(end, bodyStart + consumed) } };
    if (d.stop.kind === 'malformed') source.stop = { code: 'MALFORMED', reason: d.stop.reason };
    if (d.stop.kind === 'limit') source.stop = { code: 'DECOMPRESSION_LIMIT', reason: d.stop.reason };
    this.stack.push(source);
  }
}

function describe(tag: number): string {
  const names: Record<number, string> = { 1: 'public-key encrypted session key', 2: 'signature', 3: 'symmetric-key encrypted session key', 4: 'one-pass signature', 5: 'secret key', 6: 'public key', 7: 'secret subkey', 9: 'symmetrically encrypted data', 11: 'literal data', 13: 'user ID', 14: 'public subkey', 17: 'user attribute', 18: 'encrypted and integrity protected data' };
  return `${names[tag] ?? 'unknown'} packet (tag ${tag})`;
}

function parseOnePass(body: Uint8Array): OnePass {
  if (body.length < 13) throw new ReadError('MALFORMED', `the one-pass signature packet is ${body.length} bytes, not 13`);
  if (body[0] !== 3) throw new ReadError('UNSUPPORTED_SIGNATURE', `one-pass signature packet version ${body[0]} is not supported (version 3 is)`);
  const hash = body[2]!;
  if (!HASHES[hash]) throw new ReadError('UNSUPPORTED_SIGNATURE', `the one-pass signature names ${hashName(hash)}, which the cluster-version operator does not know`);
  if (body[12] === 0) throw new ReadError('UNSUPPORTED_SIGNATURE', 'the one-pass signature announces nested signatures, which the cluster-version operator does not read');
  if (!HASHES[hash]!.node) throw new ReadError('UNSUPPORTED_SIGNATURE', `the one-pass signature names ${hashName(hash)}, which the cluster-version operator cannot compute (hash not available)`);
  if (body[1] !== 0 && body[1] !== 1) throw new ReadError('UNSUPPORTED_SIGNATURE', `the one-pass signature names signature type 0x${body[1]!.toString(16).padStart(2, '0')}; only binary (0x00) and text (0x01) documents are read`);
  return { signatureType: body[1]!, hashAlgorithm: hash, publicKeyAlgorithm: body[3]!, keyId: hex(body.subarray(4, 12)) };
}

function startsWithText(blob: Uint8Array, text: string): boolean {
  let i = 0;
  while (i < blob.length && (blob[i] === 0x20 || blob[i] === 0x09 || blob[i] === 0x0a || blob[i] === 0x0d)) i++;
  return Buffer.from(blob.buffer, blob.byteOffset + i, Math.min(text.length, blob.length - i)).toString('latin1') === text;
}

/** Reads the message. `validateSignature` parses a signature packet met before the literal data (x/crypto parses, then skips it). */
export function readSignedMessage(bytes: Uint8Array, validateSignature: (body: Uint8Array) => void): MessageResult {
  try {
    if (bytes.length === 0) throw new ReadError('MALFORMED', 'the signature is empty (0 bytes)');
    if (startsWithText(bytes, '-----BEGIN PGP')) {
      const what = startsWithText(bytes, '-----BEGIN PGP SIGNED MESSAGE-----') ? 'a cleartext-signed (armored text) message' : 'ASCII-armored';
      throw new ReadError('NOT_SIGNED_MESSAGE', `the signature is ${what}; the cluster-version operator reads binary signed messages only`);
    }
    const reader = new PacketReader(bytes);
    const onePasses: OnePass[] = [];
    // x/crypto ReadMessage first collects encryption key material, until a compressed, literal or
    // one-pass packet starts a signed message (readSignedMessage), which skips anything it does not use.
    let phase: 'start' | 'signed' = 'start';
    let keyMaterial = false;
    let literal: Uint8Array | undefined;
    while (!literal) {
      const packet = reader.next();
      if (!packet) {
        if (onePasses.length > 0) throw new ReadError('MALFORMED', 'the message ends before its literal data (truncated message)');
        throw new ReadError('NOT_SIGNED_MESSAGE', 'the signature holds no signed message (no one-pass signature and literal data packets)');
      }
      const starts = packet.tag === PacketTag.Compressed || packet.tag === PacketTag.Literal || packet.tag === PacketTag.OnePassSignature;
      if (phase === 'start') {
        if (packet.tag === PacketTag.PublicKeyEncryptedSessionKey || packet.tag === PacketTag.SymmetricKeyEncryptedSessionKey) {
          keyMaterial = true;
          continue;
        }
        if (packet.tag === PacketTag.SymmetricallyEncrypted || packet.tag === PacketTag.SymEncryptedIntegrityProtected) {
          throw new ReadError('NOT_SIGNED_MESSAGE', 'the signature is an encrypted message, not a signed message');
        }
        if (starts) {
          if (keyMaterial) throw new ReadError('NOT_SIGNED_MESSAGE', 'the signature is an encrypted message: encryption key material not followed by encrypted data');
          phase = 'signed';
        }
      }
      switch (packet.tag) {
        case PacketTag.OnePassSignature:
          onePasses.push(parseOnePass(packet.body));
          break;
        case PacketTag.Literal: {
          const lit = packet.body;
          if (lit.length < 2 || lit.length < 6 + lit[1]!) throw new ReadError('MALFORMED', 'the literal data packet is truncated');
          literal = lit.subarray(6 + lit[1]!);
          break;
        }
        case PacketTag.Signature:
          try {
            validateSignature(packet.body);
          } catch (err) {
            throw new ReadError('MALFORMED', `a signature packet before the literal data cannot be read: ${(err as Error).message}`);
          }
          break;
        default:
          // compressed (already pushed), keys, user IDs, session keys after the start: read and skipped
          break;
      }
    }
    if (onePasses.length === 0) throw new ReadError('NOT_SIGNED_MESSAGE', 'the signature is literal data only, not a one-pass signed message ("not signed")');
    const after = reader.next();
    if (!after) throw new ReadError('MALFORMED', 'the signature packet after the literal data is missing (truncated message)');
    if (after.tag !== PacketTag.Signature) throw new ReadError('NOT_SIGNED_MESSAGE', `a ${describe(after.tag)} follows the literal data where the signature packet belongs`);
    return { ok: true, message: { onePasses, literal, signature: after.body, compression: reader.compression } };
  } catch (err) {
    if (err instanceof ReadError) return { ok: false, code: err.code, reason: err.message };
    throw err;
  }
}
