/**
 * The body of an OpenPGP compressed data packet, decompressed the way x/crypto/openpgp reads it for
 * the cluster-version operator (openpgp/packet/compressed.go: compress/flate for ZIP, compress/zlib for
 * ZLIB, compress/bzip2 for BZip2), within a cap.
 *
 * x/crypto reads a compressed stream lazily and stops as soon as it has the packets it needs (the
 * signature packet ends the message): it never looks at what follows the end of the stream, and never
 * reaches a defect placed after the bytes it read (a zlib checksum, a bzip2 block CRC, a truncated or
 * corrupt tail). So this returns the output that decodes cleanly, and, separately, why the output stops
 * where it does; the packet reader (message.ts) fails only when it needs a byte past that point.
 *
 * BZip2 is decoded by unbzip2-stream's bzip2 block decoder (the one openpgp.js uses), fed the packet
 * body and stopped at the cap. Output is capped (MAX_INFLATED_BYTES): a 50 KiB signature inflates to at
 * most about 50 MiB with deflate and without bound with BZip2, and real signatures inflate to under
 * 1 KiB; past the cap the tool refuses (DECOMPRESSION_LIMIT), a resource bound.
 */
import { constants, inflateRawSync, inflateSync } from 'node:zlib';
import bitIterator from 'unbzip2-stream/lib/bit_iterator.js';
import bzip2 from 'unbzip2-stream/lib/bzip2.js';

/** What a compressed signature may inflate to (real ones inflate to under 1 KiB). */
export const MAX_INFLATED_BYTES = 1024 * 1024;

export type DecompressionStop =
  /** the stream ended; bytes after it (in the packet) are never read */
  | { kind: 'end' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'limit'; reason: string };

export interface Decompressed {
  algorithm: 'ZIP' | 'ZLIB' | 'BZip2';
  /** The output that decodes cleanly (at most the cap). */
  data: Uint8Array;
  /** Why the output ends where it does. A reader that needs more bytes fails with this. */
  stop: DecompressionStop;
  /** Compressed bytes the decoder consumed (for where x/crypto's buffered reader leaves the outer stream). */
  consumed: number;
}

export type DecompressResult = { ok: true; value: Decompressed } | { ok: false; code: 'UNSUPPORTED_COMPRESSION' | 'MALFORMED'; reason: string };

function view(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

type SyncResult = { ok: true; data: Buffer; consumed: number } | { ok: false; code: string | undefined; message: string };

function rawInflate(input: Uint8Array, cap: number, flush: number): SyncResult {
  try {
    const r = inflateRawSync(input, { maxOutputLength: cap, finishFlush: flush, info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return { ok: true, data: r.buffer, consumed: r.engine.bytesWritten };
  } catch (err) {
    return { ok: false, code: (err as { code?: string }).code, message: (err as Error).message };
  }
}

/**
 * Raw deflate (RFC 1951), leniently: the clean output, and why it stops. For a defect, the largest
 * input prefix that decodes without error gives the output x/crypto would have read before it.
 */
function inflateLenient(input: Uint8Array, cap: number): { data: Uint8Array; stop: DecompressionStop; consumed: number } {
  const full = rawInflate(input, cap, constants.Z_FINISH);
  if (full.ok) return { data: view(full.data), stop: { kind: 'end' }, consumed: full.consumed };
  const stop: DecompressionStop =
    full.code === 'ERR_BUFFER_TOO_LARGE'
      ? { kind: 'limit', reason: `the compressed data inflates past the ${cap}-byte limit` }
      : { kind: 'malformed', reason: `the compressed data cannot be inflated: ${full.message}` };
  // Input prefixes of doubling length find about where decoding stops; the outputs grow geometrically,
  // so a bomb costs about twice the cap in short-lived buffers, never the bomb's size.
  let good = { length: 0, data: new Uint8Array(0) as Uint8Array };
  let bad = input.length;
  for (let length = Math.min(1024, input.length); ; length = Math.min(length * 2, input.length)) {
    const partial = rawInflate(input.subarray(0, length), cap, constants.Z_SYNC_FLUSH);
    if (!partial.ok) {
      bad = length;
      break;
    }
    good = { length, data: view(partial.data) };
    if (length === input.length) break;
  }
  // Then, while the outputs are small (a real signature), the exact last byte that decodes.
  let lo = good.length;
  let hi = bad - 1;
  while (lo < hi && good.data.length < 64 * 1024) {
    const mid = Math.ceil((lo + hi) / 2);
    const partial = rawInflate(input.subarray(0, mid), cap, constants.Z_SYNC_FLUSH);
    if (partial.ok) {
      good = { length: mid, data: view(partial.data) };
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return { data: good.data, stop, consumed: good.length };
}

class OutputLimit extends Error {}

/** BZip2 with compress/bzip2's multi-stream reading, leniently and within the cap. */
function bunzipLenient(input: Uint8Array, cap: number): { data: Uint8Array; stop: DecompressionStop; consumed: number } {
  const lib = bzip2;
  const out = new Uint8Array(Math.min(cap, Math.max(1024, input.length * 8)));
  let buffer = out;
  let length = 0;
  const push = (byte: number): void => {
    if (length >= cap) throw new OutputLimit();
    if (length >= buffer.length) {
      const bigger = new Uint8Array(Math.min(cap, buffer.length * 2));
      bigger.set(buffer);
      buffer = bigger;
    }
    buffer[length++] = byte;
  };
  let served = false;
  const bits = bitIterator(() => {
    if (served) throw new Error('unexpected end of the compressed data');
    served = true;
    return input;
  });
  let stop: DecompressionStop = { kind: 'end' };
  try {
    for (;;) {
      const level = lib.header(bits);
      const bufsize = 100000 * level;
      const work = new Int32Array(bufsize);
      let crc: number | null = 0;
      while (crc !== null) crc = lib.decompress(bits, push, work, bufsize, crc);
      bits(null);
      // compress/bzip2 reads a following stream when "BZ" comes next, and stops at the end of input.
      if (bits.bytesRead >= input.length) break;
      if (input[bits.bytesRead] !== 0x42 || input[bits.bytesRead + 1] !== 0x5a) {
        stop = { kind: 'malformed', reason: 'bad magic value in continuation file' };
        break;
      }
    }
  } catch (err) {
    stop = err instanceof OutputLimit
      ? { kind: 'limit', reason: `the compressed data inflates past the ${cap}-byte limit` }
      : { kind: 'malformed', reason: `the BZip2 data cannot be decompressed: ${(err as Error).message}` };
  }
  return { data: buffer.subarray(0, length), stop, consumed: Math.min(bits.bytesRead, input.length) };
}

/**
 * Decompresses the body of a compressed data packet (its first byte is the algorithm, RFC 4880 9.3).
 * A failure here is what x/crypto reports when it parses the packet (unknown algorithm, a bad zlib
 * header); defects inside the stream are reported through `stop`.
 */
export function decompressPacketBody(body: Uint8Array, cap = MAX_INFLATED_BYTES): DecompressResult {
  if (body.length < 1) return { ok: false, code: 'MALFORMED', reason: 'the compressed data packet is empty' };
  const algorithm = body[0]!;
  const stream = body.subarray(1);
  if (algorithm === 1) return { ok: true, value: { algorithm: 'ZIP', ...inflateLenient(stream, cap) } };
  if (algorithm === 2) {
    // compress/zlib: the two header bytes must be a deflate header without a preset dictionary.
    if (stream.length < 2) return { ok: false, code: 'MALFORMED', reason: 'the ZLIB stream is truncated in its header' };
    const [cmf, flg] = [stream[0]!, stream[1]!];
    if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0) return { ok: false, code: 'MALFORMED', reason: 'the ZLIB stream has an invalid header' };
    if (flg & 0x20) return { ok: false, code: 'MALFORMED', reason: 'the ZLIB stream needs a preset dictionary' };
    const inner = inflateLenient(stream.subarray(2), cap);
    let stop = inner.stop;
    if (stop.kind === 'end') {
      // The Adler-32 checksum is read only when a reader reaches the end of the stream.
      try {
        inflateSync(stream, { maxOutputLength: cap });
      } catch (err) {
        stop = { kind: 'malformed', reason: `the ZLIB stream is invalid at its end: ${(err as Error).message}` };
      }
    }
    return { ok: true, value: { algorithm: 'ZLIB', data: inner.data, stop, consumed: inner.consumed + 2 } };
  }
  if (algorithm === 3) return { ok: true, value: { algorithm: 'BZip2', ...bunzipLenient(stream, cap) } };
  const name = algorithm === 0 ? '"uncompressed" (0)' : `unknown (${algorithm})`;
  return { ok: false, code: 'UNSUPPORTED_COMPRESSION', reason: `compression algorithm ${name} is not one the cluster-version operator reads (ZIP, ZLIB, BZip2)` };
}
