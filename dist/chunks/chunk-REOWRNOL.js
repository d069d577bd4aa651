import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/errors.ts
var SigcheckError = class extends Error {
  code;
  constructor(code, message, options) {
    super(message, options);
    this.name = "SigcheckError";
    this.code = code;
  }
};
function isSigcheckError(err, code) {
  return err instanceof SigcheckError && (code === void 0 || err.code === code);
}
var USAGE_CODES = /* @__PURE__ */ new Set(["USAGE", "CONFIG", "GIT", "INVALID_DIGEST", "INVALID_REFERENCE", "FILE_UNREADABLE", "FILE_NOT_REGULAR", "FILE_TOO_LARGE"]);
function isUsageError(err) {
  return err instanceof SigcheckError && USAGE_CODES.has(err.code);
}
function describeError(err) {
  if (err instanceof Error) return err.message;
  return String(err);
}

export {
  SigcheckError,
  isSigcheckError,
  isUsageError,
  describeError
};
