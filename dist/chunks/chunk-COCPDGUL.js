import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/model/errors.ts
var joiner = (detail) => detail.startsWith(":") ? "" : " ";
var SigcheckError = class extends Error {
  code;
  option;
  /** With `option`: the message without the option's name, for entry points that name it their way. */
  detail;
  constructor(code, message, options) {
    super(options?.option !== void 0 ? `--${options.option}${joiner(message)}${message}` : message, options?.cause !== void 0 ? { cause: options.cause } : void 0);
    this.name = "SigcheckError";
    this.code = code;
    if (options?.option !== void 0) {
      this.option = options.option;
      this.detail = message;
    }
  }
};
var CLI_WORDING = (option) => `--${option}`;
var ACTION_WORDING = (option) => `input ${option}`;
function isSigcheckError(err, code) {
  return err instanceof SigcheckError && (code === void 0 || err.code === code);
}
var USAGE_CODES = /* @__PURE__ */ new Set(["USAGE", "CONFIG", "GIT", "INVALID_DIGEST", "INVALID_REFERENCE", "FILE_UNREADABLE", "FILE_NOT_REGULAR", "FILE_TOO_LARGE"]);
function isUsageError(err) {
  return err instanceof SigcheckError && USAGE_CODES.has(err.code);
}
function describeError(err, wording = CLI_WORDING) {
  if (err instanceof SigcheckError && err.option !== void 0 && err.detail !== void 0) return `${wording(err.option)}${joiner(err.detail)}${err.detail}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

export {
  SigcheckError,
  ACTION_WORDING,
  isSigcheckError,
  isUsageError,
  describeError
};
