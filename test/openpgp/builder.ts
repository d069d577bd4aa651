/**
 * Builds OpenPGP signed messages byte by byte, for the cases no signer produces any more: version 3
 * signature packets (gpg 2.1 dropped --force-v3-sigs) with any hash, class, time or defect. The RSA
 * key comes from openpgp.js (so the same key can be trusted through a keyring) and signs with
 * node:crypto. Also small packet writers for the hostile corpus.
 */
import { createHash, createPrivateKey, constants, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { generateKey, type PrivateKey } from 'openpgp';
import { OpenPGPKeyring, readOpenPGPKeys } from '../../src/openpgp/keys.ts';
import { canonicalText } from '../../src/openpgp/v3.ts';

export function b(...parts: (Uint8Array | number[] | string)[]): Uint8Array {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p as Uint8Array))));
}

/** An old-format packet with a 1-, 2- or 4-byte length, or indeterminate (runs to the end). */
export function oldPacket(tag: number, body: Uint8Array, length: 1 | 2 | 4 | 'indeterminate' = body.length < 256 ? 1 : body.length < 65536 ? 2 : 4): Uint8Array {
  if (length === 'indeterminate') return b([0x80 | (tag << 2) | 3], body);
  const type = { 1: 0, 2: 1, 4: 2 }[length];
  const len = Buffer.alloc(length);
  len.writeUIntBE(body.length, 0, length);
  return b([0x80 | (tag << 2) | type], len, body);
}

/** A new-format packet with a one-, two- or five-octet length. */
export function newPacket(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  let len: number[];
  if (n < 192) len = [n];
  else if (n < 8384) len = [((n - 192) >> 8) + 192, (n - 192) & 0xff];
  else len = [255, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  return b([0xc0 | tag], len, body);
}

export function literalPacket(data: Uint8Array | string, options: { format?: 'b' | 't'; created?: Date } = {}): Uint8Array {
  const time = Buffer.alloc(4);
  time.writeUInt32BE(Math.floor((options.created ?? new Date(0)).getTime() / 1000));
  return newPacket(11, b(options.format ?? 'b', [0], time, typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
}

export function onePassPacket(options: { sigClass: number; hash: number; pkAlgo: number; keyId: string; last?: number }): Uint8Array {
  return oldPacket(4, b([3, options.sigClass, options.hash, options.pkAlgo], Buffer.from(options.keyId, 'hex'), [options.last ?? 1]));
}

export function compressedPacket(inner: Uint8Array, algorithm: 'zip' | 'zlib' = 'zip'): Uint8Array {
  const data = algorithm === 'zip' ? deflateRawSync(inner) : deflateSync(inner);
  return oldPacket(8, b([algorithm === 'zip' ? 1 : 2], data), 'indeterminate');
}

/** A test RSA key: trusted through `keyring`, signing through node:crypto with `signingKey`. */
export interface TestRsaKey {
  privateKey: PrivateKey;
  keyring: OpenPGPKeyring;
  /** 16 hex of the key that signs (the primary key, or the signing subkey when there is one). */
  keyId: string;
  fingerprint: string;
  signingKey: KeyObject;
  created: Date;
}

function unb64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

function toBig(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
}

function fromBig(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

/** node:crypto private key of an openpgp.js RSA key packet. */
function toNodeKey(packet: { publicParams: object; privateParams?: object | null }): KeyObject {
  const { n, e } = packet.publicParams as { n: Uint8Array; e: Uint8Array };
  const { d, p, q } = packet.privateParams as { d: Uint8Array; p: Uint8Array; q: Uint8Array };
  const [D, P, Q] = [toBig(d), toBig(p), toBig(q)];
  const jwk = {
    kty: 'RSA',
    n: unb64(n),
    e: unb64(e),
    d: unb64(d),
    p: unb64(p),
    q: unb64(q),
    dp: unb64(fromBig(D % (P - 1n))),
    dq: unb64(fromBig(D % (Q - 1n))),
    qi: unb64(fromBig(modInverse(Q, P))),
  };
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

export async function makeTestRsaKey(options: { name?: string; subkey?: boolean; date?: Date; rsaBits?: number } = {}): Promise<TestRsaKey> {
  const { privateKey } = await generateKey({
    type: 'rsa',
    rsaBits: options.rsaBits ?? 2048,
    userIDs: [{ name: options.name ?? 'v3 test key', email: 'v3@example.com' }],
    ...(options.subkey ? { subkeys: [{ sign: true }] } : {}),
    ...(options.date ? { date: options.date } : {}),
    format: 'object',
  });
  const signer = options.subkey ? privateKey.subkeys[0]! : privateKey;
  const keys = await readOpenPGPKeys(privateKey.toPublic().write(), 'test key');
  return {
    privateKey,
    keyring: new OpenPGPKeyring(keys),
    keyId: signer.getKeyID().toHex().toUpperCase(),
    fingerprint: privateKey.getFingerprint().toUpperCase(),
    signingKey: toNodeKey(signer.keyPacket as never),
    created: privateKey.getCreationTime(),
  };
}

export const HASH_IDS = { md5: 1, sha1: 2, ripemd160: 3, sha256: 8, sha384: 9, sha512: 10, sha224: 11 } as const;

export interface V3Options {
  key: TestRsaKey;
  payload: Uint8Array | string;
  hash?: keyof typeof HASH_IDS;
  sigClass?: number;
  created?: Date;
  compress?: 'zip' | 'zlib' | 'none';
  literalFormat?: 'b' | 't';
  /** Overrides, for defects. */
  onePassHash?: number;
  left16?: Uint8Array;
  pkAlgo?: number;
  mpiBitsDelta?: number;
  signatureValue?: (value: Uint8Array) => Uint8Array;
}

/** The three packets of a one-pass signed message with a v3 signature, uncompressed. */
export function v3MessagePackets(options: V3Options): Uint8Array {
  const hash = options.hash ?? 'sha256';
  const hashId = HASH_IDS[hash];
  const sigClass = options.sigClass ?? 0;
  const created = options.created ?? new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const pkAlgo = options.pkAlgo ?? 1;
  const literal = typeof options.payload === 'string' ? Buffer.from(options.payload, 'utf8') : options.payload;
  const hashed = Buffer.alloc(5);
  hashed[0] = sigClass;
  hashed.writeUInt32BE(Math.floor(created.getTime() / 1000), 1);
  const data = b(sigClass === 1 ? canonicalText(literal) : literal, hashed);
  const digest = createHash(hash === 'ripemd160' ? 'sha256' : hash).update(data).digest();
  let value: Uint8Array = hash === 'ripemd160' ? new Uint8Array(256).fill(1) : cryptoSign(hash, data, { key: options.key.signingKey, padding: constants.RSA_PKCS1_PADDING });
  let start = 0;
  while (start < value.length && value[start] === 0) start++;
  value = value.subarray(start);
  if (options.signatureValue) value = options.signatureValue(value);
  const bits = value.length === 0 ? 0 : (value.length - 1) * 8 + (32 - Math.clz32(value[0]!)) + (options.mpiBitsDelta ?? 0);
  const mpi = b([(bits >> 8) & 0xff, bits & 0xff], value);
  const body = b([3, 5], hashed, Buffer.from(options.key.keyId, 'hex'), [pkAlgo, hashId], options.left16 ?? digest.subarray(0, 2), mpi);
  return b(
    onePassPacket({ sigClass, hash: options.onePassHash ?? hashId, pkAlgo, keyId: options.key.keyId }),
    literalPacket(literal, { format: options.literalFormat ?? 'b', created }),
    oldPacket(2, body, 2),
  );
}

/** A complete v3 signature blob, ZIP-compressed by default like Red Hat's. */
export function buildV3Signature(options: V3Options): Uint8Array {
  const packets = v3MessagePackets(options);
  const compress = options.compress ?? 'zip';
  return compress === 'none' ? packets : compressedPacket(packets, compress);
}

/** Splits bytes into packets (header and body), for tests that rearrange a message. */
export function splitPackets(bytes: Uint8Array): { tag: number; body: Uint8Array; raw: Uint8Array }[] {
  const out: { tag: number; body: Uint8Array; raw: Uint8Array }[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const ctb = bytes[pos++]!;
    let tag: number;
    let length: number;
    if ((ctb & 0x40) === 0) {
      tag = (ctb >> 2) & 0x0f;
      const type = ctb & 3;
      if (type === 3) {
        length = bytes.length - pos;
      } else {
        const size = [1, 2, 4][type]!;
        length = 0;
        for (let i = 0; i < size; i++) length = length * 256 + bytes[pos + i]!;
        pos += size;
      }
    } else {
      tag = ctb & 0x3f;
      const first = bytes[pos]!;
      if (first < 192) {
        length = first;
        pos += 1;
      } else if (first < 224) {
        length = ((first - 192) << 8) + bytes[pos + 1]! + 192;
        pos += 2;
      } else {
        length = Buffer.from(bytes.subarray(pos + 1, pos + 5)).readUInt32BE(0);
        pos += 5;
      }
    }
    out.push({ tag, body: bytes.subarray(pos, pos + length), raw: bytes.subarray(start, pos + length) });
    pos += length;
  }
  return out;
}

/** A v4 one-pass signed message built byte by byte, for fields no signer lets one choose (issuer, one-pass key ID, hashes, classes, subpackets). */

export interface V4Options {
  key: TestRsaKey;
  payload: string | Uint8Array;
  hash?: number;
  onePassHash?: number;
  onePassKeyId?: string;
  onePassClass?: number;
  sigClass?: number;
  issuer?: string | null;
  created?: Date;
  lifetime?: number;
  extraHashed?: Uint8Array;
  extraUnhashed?: Uint8Array;
  createdUnhashed?: boolean;
  version?: number;
}

export function subpacket(type: number, data: Uint8Array, critical = false): Uint8Array {
  return b([data.length + 1, critical ? type | 0x80 : type], data);
}

function u32(n: number): Uint8Array {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out;
}

const NODE_HASH: Record<number, string> = { 1: 'md5', 2: 'sha1', 8: 'sha256', 9: 'sha384', 10: 'sha512', 11: 'sha224', 12: 'sha3-256' };

export function v4Message(o: V4Options): Uint8Array {
  const hash = o.hash ?? 8;
  const sigClass = o.sigClass ?? 0;
  const created = Math.floor((o.created ?? new Date(Date.now() - 60_000)).getTime() / 1000);
  const literal = typeof o.payload === 'string' ? Buffer.from(o.payload, 'utf8') : Buffer.from(o.payload);
  let hashedArea = b(o.createdUnhashed ? new Uint8Array(0) : subpacket(2, u32(created)), o.lifetime !== undefined ? subpacket(3, u32(o.lifetime)) : new Uint8Array(0), o.extraHashed ?? new Uint8Array(0));
  if (o.createdUnhashed && hashedArea.length === 0) hashedArea = new Uint8Array(0);
  const head = b([o.version ?? 4, sigClass, 1, hash], [hashedArea.length >> 8, hashedArea.length & 0xff], hashedArea);
  const trailer = b([4, 0xff], u32(head.length));
  const data = b(literal, head, trailer);
  const digest = createHash(NODE_HASH[hash] ?? 'sha256').update(data).digest();
  const value = cryptoSign(NODE_HASH[hash] ?? 'sha256', data, { key: o.key.signingKey, padding: constants.RSA_PKCS1_PADDING });
  const issuer = o.issuer === null ? new Uint8Array(0) : subpacket(16, Buffer.from(o.issuer ?? o.key.keyId, 'hex'));
  const unhashed = b(issuer, o.createdUnhashed ? subpacket(2, u32(created)) : new Uint8Array(0), o.extraUnhashed ?? new Uint8Array(0));
  let s = 0;
  while (value[s] === 0) s++;
  const v = value.subarray(s);
  const bits = (v.length - 1) * 8 + (32 - Math.clz32(v[0]!));
  const body = b(head, [unhashed.length >> 8, unhashed.length & 0xff], unhashed, digest.subarray(0, 2), [bits >> 8, bits & 0xff], v);
  return b(
    onePassPacket({ sigClass: o.onePassClass ?? sigClass, hash: o.onePassHash ?? hash, pkAlgo: 1, keyId: o.onePassKeyId ?? o.key.keyId }),
    literalPacket(literal),
    oldPacket(2, body, 2),
  );
}

