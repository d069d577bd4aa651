import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  SigcheckError
} from "./chunk-GOJHGAW3.js";

// src/fs/regular-file.ts
import { constants } from "node:fs";
import { open } from "node:fs/promises";
function formatSize(n) {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}
async function readRegularFile(path, options) {
  try {
    return await readOnce(path, options);
  } catch (err) {
    if (options.hint && err instanceof SigcheckError) throw new SigcheckError(err.code, `${err.message}. ${options.hint}`, { cause: err.cause ?? err });
    throw err;
  }
}
async function readOnce(path, options) {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0) | (options.noFollow ? constants.O_NOFOLLOW ?? 0 : 0));
  } catch (err) {
    const code = err.code;
    if (code === "ELOOP" && options.noFollow) throw new SigcheckError("FILE_NOT_REGULAR", `${options.what} ${path}: is a symbolic link, which is not followed; only regular files are read`, { cause: err });
    const why = code === "ENOENT" ? "it does not exist" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : err.message;
    throw new SigcheckError(code === "EISDIR" ? "FILE_NOT_REGULAR" : "FILE_UNREADABLE", `${options.what} ${path}: cannot be read: ${why}`, { cause: err });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      const kind = st.isFIFO() ? "a FIFO (named pipe)" : st.isCharacterDevice() ? "a character device" : st.isBlockDevice() ? "a block device" : st.isSocket() ? "a socket" : st.isDirectory() ? "a directory" : "something else";
      throw new SigcheckError("FILE_NOT_REGULAR", `${options.what} ${path}: is ${kind}, not a regular file; only regular files are read`);
    }
    if (st.size > options.maxBytes) {
      throw new SigcheckError("FILE_TOO_LARGE", `${options.what} ${path}: is ${st.size} bytes, over the ${options.maxBytes}-byte limit for it (${formatSize(options.maxBytes)})`);
    }
    const chunks = [];
    let total = 0;
    for (; ; ) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, options.maxBytes - total + 1));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes) throw new SigcheckError("FILE_TOO_LARGE", `${options.what} ${path}: grew past the ${options.maxBytes}-byte limit while it was read`);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

export {
  readRegularFile
};
