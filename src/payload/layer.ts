/**
 * Reads the `release-manifests/` files out of one layer blob as it streams: decompressed with
 * node:zlib (gzip, zstd) as the media type says, the tar read with tar-stream, entries filtered the way
 * `oc adm release extract` filters them (openshift/oc pkg/cli/image/extract/extract.go: regular files
 * only, the name must start with `release-manifests/` exactly, a name already seen in a higher layer
 * is not read again, the first entry of a name wins).
 *
 * Three loops run together: the compressed bytes go into the decompressor (and, inside the blob
 * stream, into the digest); the decompressed bytes into the tar reader, counted against the unpacked
 * budget; the tar entries are read or skipped. Once every wanted file is in, decompressing and tar
 * reading stop, but the compressed bytes are still read to the end: the blob's digest is only known
 * then, and nothing read from a layer counts until its digest matched.
 */
import { PassThrough, type Duplex } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import * as tar from 'tar-stream';
import { SigcheckError, describeError, isSigcheckError } from '../model/errors.ts';
import { formatBytes } from '../http/body.ts';

/** How a layer media type is decompressed (OCI image-spec layer.md; Docker image manifest v2.2). */
const LAYER_MEDIA_TYPES: Readonly<Record<string, 'tar' | 'gzip' | 'zstd'>> = {
  'application/vnd.oci.image.layer.v1.tar': 'tar',
  'application/vnd.oci.image.layer.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd': 'zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd': 'zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'gzip',
};

export function layerCompression(mediaType: string): 'tar' | 'gzip' | 'zstd' | undefined {
  return LAYER_MEDIA_TYPES[mediaType];
}

export const KNOWN_LAYER_MEDIA_TYPES: readonly string[] = Object.keys(LAYER_MEDIA_TYPES);

/** What to do with a tar entry under `release-manifests/`: read it (within `maxBytes`), or skip it. */
export type EntryDecision = { read: true; maxBytes: number; required: boolean } | { read: false };

export interface ScanBudget {
  /** Decompressed bytes this payload may still unpack. */
  unpacked: number;
}

export interface ScanOptions {
  compression: 'tar' | 'gzip' | 'zstd';
  /** For messages: `layer 3 (sha256:...) of <repo>@<digest>`. */
  where: string;
  budget: ScanBudget;
  /** Decides on an entry by its path relative to `release-manifests/` and its size. */
  decide(relative: string, size: number): EntryDecision;
  /**
   * Called with each file read (its bytes are not verified yet); true once nothing more is wanted:
   * decompressing stops (the digest is still checked).
   */
  onFile(relative: string, bytes: Uint8Array): boolean;
  /** Names already taken from a higher layer. */
  seen: ReadonlySet<string>;
  /** The option that raises the unpacked cap, for messages. */
  unpackedOption: string;
}

export interface LayerScan {
  /** Files read, by path relative to `release-manifests/`. */
  files: Map<string, Uint8Array>;
  /** Whether the layer holds any entry under `release-manifests/`. */
  hasManifests: boolean;
  /** Bytes unpacked from this layer. */
  unpacked: number;
  /** A deterministic defect of the layer's content (corrupt, over a cap); set only when the digest matched. */
  defect?: SigcheckError;
}

const PREFIX = 'release-manifests/';

function onceWritable(stream: NodeJS.WritableStream & { once(e: string, l: () => void): unknown; off?(e: string, l: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off?.('drain', done);
      stream.off?.('close', done);
      stream.off?.('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

function decoderFor(compression: ScanOptions['compression']): Duplex {
  if (compression === 'gzip') return createGunzip();
  if (compression === 'zstd') return createZstdDecompress();
  return new PassThrough();
}

/**
 * Scans one layer. Throws what the blob stream throws (transport failures, DIGEST_MISMATCH, the
 * download cap): the caller decides whether to retry. A defect of the content itself comes back as
 * `defect`, and only once the blob has been read to its end and matched its digest.
 */
export async function scanLayer(chunks: AsyncIterable<Uint8Array>, options: ScanOptions): Promise<LayerScan> {
  const files = new Map<string, Uint8Array>();
  const taken = new Set<string>();
  const scan: LayerScan = { files, hasManifests: false, unpacked: 0 };
  const decoder = decoderFor(options.compression);
  const extract = tar.extract();
  let stopped = false;
  let defect: SigcheckError | undefined;
  const stop = (err?: unknown): void => {
    // After a stop (everything wanted was read, or a first defect), what the torn-down streams say is noise.
    if (stopped) return;
    if (err !== undefined) {
      defect = isSigcheckError(err) && (err.code === 'PAYLOAD_TOO_LARGE' || err.code === 'PAYLOAD_INVALID')
        ? err
        : new SigcheckError('PAYLOAD_CORRUPT', `${options.where}: the layer is not a readable ${options.compression === 'tar' ? 'tar' : `${options.compression}-compressed tar`} (${describeError(err).split('\n')[0]})`, { cause: err });
    }
    stopped = true;
    decoder.destroy();
    extract.destroy();
  };
  decoder.on('error', (err: Error) => stop(err));
  extract.on('error', (err: Error) => stop(err));

  // Decompressed bytes into the tar reader, counted against the budget.
  const pump = (async () => {
    try {
      for await (const out of decoder as AsyncIterable<Buffer>) {
        if (stopped) break;
        scan.unpacked += out.byteLength;
        if (scan.unpacked > options.budget.unpacked) {
          throw new SigcheckError('PAYLOAD_TOO_LARGE', `${options.where}: unpacks to more than the ${formatBytes(options.budget.unpacked)} left of the payload's unpacked cap; a release payload's manifests are far smaller. Raise --${options.unpackedOption} if this payload is genuine`);
        }
        if (!extract.write(out)) await onceWritable(extract as never);
      }
      if (!stopped) (extract as unknown as { end(): void }).end();
    } catch (err) {
      if (!stopped) stop(err);
    }
  })();

  // Tar entries: read the wanted ones, skip the rest.
  const entries = (async () => {
    try {
      for await (const entry of extract) {
        const header = entry.header;
        const name = header.name;
        if (!name.startsWith(PREFIX) || header.type !== 'file' || options.seen.has(name) || taken.has(name)) {
          if (name.startsWith(PREFIX)) scan.hasManifests = true;
          entry.resume();
          continue;
        }
        scan.hasManifests = true;
        taken.add(name);
        const relative = name.slice(PREFIX.length);
        const size = header.size ?? 0;
        const decision = options.decide(relative, size);
        if (!decision.read || size > decision.maxBytes) {
          if (decision.read && decision.required) {
            throw new SigcheckError('PAYLOAD_TOO_LARGE', `${options.where}: ${name} is ${size} bytes, over the ${formatBytes(decision.maxBytes)} this tool reads for it; a genuine one is far smaller`);
          }
          entry.resume();
          continue;
        }
        const parts: Buffer[] = [];
        let length = 0;
        for await (const part of entry as AsyncIterable<Buffer>) {
          length += part.byteLength;
          if (length > decision.maxBytes) throw new SigcheckError('PAYLOAD_TOO_LARGE', `${options.where}: ${name} is longer than its header says`);
          parts.push(part);
        }
        const bytes = Buffer.concat(parts, length);
        files.set(relative, bytes);
        if (options.onFile(relative, bytes)) {
          stop();
          break;
        }
      }
    } catch (err) {
      if (!stopped) stop(err);
    }
  })();

  // Compressed bytes: into the decompressor while it is wanted, always to the end (the digest).
  for await (const chunk of chunks) {
    if (stopped) continue;
    if (!decoder.write(chunk)) await onceWritable(decoder as never);
  }
  if (!stopped) decoder.end();
  await Promise.all([pump, entries]);
  if (defect) scan.defect = defect;
  return scan;
}
