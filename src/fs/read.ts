/**
 * Reading a file the user named (a ConfigMap, a key, a signature, a policy) without letting the file
 * decide what happens: it is opened with O_NONBLOCK (a FIFO with no writer must not hang the open),
 * checked with fstat on the open descriptor (so a symlink to /dev/zero, a FIFO, a socket or a directory
 * is refused before any read, and no swap can happen between check and read), and read to at most a cap
 * (one byte more is asked for, in case the file grows). Every refusal is a SigcheckError naming the
 * file, with the code the caller picks (USAGE or CONFIG: exit 2).
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { SigcheckError, type ErrorCode } from '../errors.ts';

export interface ReadRegularFileOptions {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** What the file is, for messages: `ConfigMap file`, `--openpgp-key`. */
  what: string;
  /** Error code of a refusal (default USAGE). */
  code?: ErrorCode;
  /** Added to a refusal: what the user should pass instead. */
  hint?: string;
}

function kind(st: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Reads a regular file of at most `maxBytes`; anything else is refused with the file named. */
export async function readRegularFile(path: string, options: ReadRegularFileOptions): Promise<Uint8Array> {
  const code = options.code ?? 'USAGE';
  const refuse = (problem: string): SigcheckError => new SigcheckError(code, `${options.what} ${path}: ${problem}.${options.hint ? ` ${options.hint}` : ''}`);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw refuse(`cannot be opened (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw refuse(`is ${kind(st)}, not a regular file; only regular files are read`);
    if (st.size > options.maxBytes) throw refuse(`is ${st.size} bytes, over the ${options.maxBytes}-byte limit for it`);
    const buffer = new Uint8Array(Math.min(options.maxBytes, st.size) + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) throw refuse(`grew past the ${options.maxBytes}-byte limit while it was read`);
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes) throw refuse(`is over the ${options.maxBytes}-byte limit for it`);
    }
    return buffer.subarray(0, total);
  } catch (err) {
    if (err instanceof SigcheckError) throw err;
    throw refuse(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    await handle.close();
  }
}
