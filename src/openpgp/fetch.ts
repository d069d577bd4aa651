/**
 * Fetches OpenPGP signatures from signature stores, as the cluster-version operator reads them
 * (library-go `store/sigstore`): `<base>/sha256=<hex>/signature-N` over http(s) or from a file://
 * directory, at most 50 KiB each. A 404 or a missing file is `not-found` (the end of the list);
 * everything else that is not a body - 5xx, 429, timeouts after the retry budget, 401/403, an
 * oversized body - is `error`, never `not-found`.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FetchResult, FetchStoreSignature } from '../model/sources.ts';
import { toDigest, toStoreSegment, type Digest } from '../model/digest.ts';
import { SigcheckError, describeError } from '../model/errors.ts';
import { tooLarge } from '../http/body.ts';
import { displayUrl, type HttpClient } from '../http/client.ts';
import { SIGNATURE_MAX_BYTES } from '../http/limits.ts';

/** The operator looks at signature-1 .. signature-9. */
export const MAX_STORE_SIGNATURES = 9;

/**
 * The URL of signature `index` (1-based) of `digest` in the store at `base`. The digest is validated
 * before it becomes part of the URL.
 */
export function toStoreSignatureUrl(base: string, digest: Digest | string, index: number): string {
  const d = toDigest(digest, 'signature store digest');
  if (!Number.isInteger(index) || index < 1 || index > MAX_STORE_SIGNATURES) {
    throw new SigcheckError('INTERNAL', `signature index ${index} is outside 1..${MAX_STORE_SIGNATURES}`);
  }
  return `${base.replace(/\/+$/, '')}/${toStoreSegment(d)}/signature-${index}`;
}

export interface StoreFetcherOptions {
  /** Cap of one signature; the operator's is 50 KiB. */
  maxBytes?: number;
}

/** A FetchStoreSignature over the shared HTTP client (http, https) and the file system (file://). */
export function createStoreFetcher(http: HttpClient, options: StoreFetcherOptions = {}): FetchStoreSignature {
  const maxBytes = options.maxBytes ?? SIGNATURE_MAX_BYTES;
  return async (url: string): Promise<FetchResult<Uint8Array>> => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { kind: 'error', source: url, reason: `${JSON.stringify(url.slice(0, 200))} is not a URL` };
    }
    if (parsed.protocol === 'file:') return readStoreFile(parsed, maxBytes);
    const source = displayUrl(parsed);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      return { kind: 'error', source, reason: `signature stores are read over http(s) or from file:// URLs, not ${parsed.protocol}` };
    }
    try {
      // The operator's Go client follows redirects to any host; there are no credentials to leak. It
      // reads a signature through io.LimitReader(50 KiB): the first 50 KiB of a longer body, not an error.
      const res = await http.request({ url: parsed, maxBytes, truncate: true, what: 'signature', redirects: 'any-origin' });
      if (res.status === 404) return { kind: 'not-found', source };
      if (res.status >= 200 && res.status < 300) return { kind: 'found', value: res.body, source };
      return { kind: 'error', source, reason: `GET ${source}: the signature store answered ${res.status}; only 200 (a signature) and 404 (no more signatures) are answers` };
    } catch (err) {
      return { kind: 'error', source, reason: describeError(err) };
    }
  };
}

/** Reads one signature file of a file:// store, never more than the cap. */
async function readStoreFile(url: URL, maxBytes: number): Promise<FetchResult<Uint8Array>> {
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch (err) {
    return { kind: 'error', source: url.href, reason: describeError(err) };
  }
  const source = path;
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'not-found', source };
    return { kind: 'error', source, reason: `cannot open ${path}: ${describeError(err)}` };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { kind: 'error', source, reason: `${path} is not a regular file` };
    if (st.size > maxBytes) throw tooLarge(path, maxBytes, st.size);
    // Read one byte past the cap, in case the file grows between stat and read.
    const buffer = new Uint8Array(maxBytes + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.byteLength - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(path, maxBytes);
    }
    return { kind: 'found', value: buffer.slice(0, total), source };
  } catch (err) {
    return { kind: 'error', source, reason: describeError(err) };
  } finally {
    await handle.close();
  }
}
