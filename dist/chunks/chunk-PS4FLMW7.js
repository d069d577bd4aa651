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
function describeError(err) {
  if (err instanceof Error) return err.message;
  return String(err);
}

export {
  SigcheckError,
  isSigcheckError,
  describeError
};
