/**
 * Reads a response body into memory without ever holding more than the cap: the declared length is
 * checked before the first byte is read, and the running count while streaming, so an endless or
 * lying body is cut off as soon as it passes the cap.
 */
import { SigcheckError } from '../model/errors.ts';

export interface CappedBody {
  bytes: Uint8Array;
  /** True when `truncateAtCap` was set and the body went on past the cap. */
  cut: boolean;
}

export interface ReadCappedOptions {
  maxBytes: number;
  /** The Content-Length the server declared, if any. */
  declaredLength?: number;
  /** Keep the first `maxBytes` and stop quietly instead of failing (for error answers). */
  truncateAtCap?: boolean;
  /** For messages: what the body is and where it came from. */
  where: string;
}

export function tooLarge(where: string, maxBytes: number, size?: number): SigcheckError {
  const seen = size === undefined ? 'more than' : `${size} bytes, over`;
  return new SigcheckError(
    'HTTP_BODY_TOO_LARGE',
    `${where}: the body is ${seen} the ${formatBytes(maxBytes)} limit for it; refusing to read it (a genuine one is far smaller, so the server is serving something else)`,
  );
}

export interface DisposableBody extends AsyncIterable<Uint8Array> {
  destroy(err?: Error): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Drops a body that will not be read (further), closing its connection. The abort error the stream
 * then emits is expected, so it is swallowed rather than left to crash the process.
 */
export function dispose(body: DisposableBody): void {
  body.on('error', () => undefined);
  body.destroy();
}

export async function readCapped(body: DisposableBody, options: ReadCappedOptions): Promise<CappedBody> {
  const { maxBytes, declaredLength } = options;
  if (declaredLength !== undefined && declaredLength > maxBytes && !options.truncateAtCap) {
    dispose(body);
    throw tooLarge(options.where, maxBytes, declaredLength);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let cut = false;
  for await (const chunk of body) {
    const room = maxBytes - total;
    if (chunk.byteLength > room) {
      if (!options.truncateAtCap) {
        dispose(body);
        throw tooLarge(options.where, maxBytes);
      }
      if (room > 0) chunks.push(chunk.subarray(0, room));
      total = maxBytes;
      cut = true;
      dispose(body);
      break;
    }
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  if (!cut && declaredLength !== undefined && total !== declaredLength) {
    throw new SigcheckError(
      'HTTP_TRUNCATED',
      `${options.where}: the body ended after ${total} of the ${declaredLength} bytes the server announced`,
    );
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { bytes, cut };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
