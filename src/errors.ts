/**
 * One error class for the whole tool, in the style of sigstore-js and undici: a stable string `code`
 * that callers and tests match on, a message written for the person who has to act on it, and the
 * underlying `cause` kept for debugging.
 */
export type ErrorCode =
  // usage and configuration (exit code 2)
  | 'USAGE'
  | 'CONFIG'
  // input that is not what it claims to be
  | 'INVALID_DIGEST'
  | 'INVALID_REFERENCE'
  | 'INVALID_JSON'
  | 'GRAPH_DATA'
  | 'GIT'
  // local files: absent or unreadable, not a regular file (a FIFO, a device, a directory), over a cap
  | 'FILE_UNREADABLE'
  | 'FILE_NOT_REGULAR'
  | 'FILE_TOO_LARGE'
  // a JSON report given as input (--previous, merge-reports) that is not one this tool wrote
  | 'REPORT_INVALID'
  // a limit of the run: --deadline passed
  | 'DEADLINE'
  // network and transport
  | 'HTTP_STATUS'
  | 'HTTP_TIMEOUT'
  | 'HTTP_NETWORK'
  | 'HTTP_BODY_TOO_LARGE'
  | 'HTTP_TRUNCATED'
  | 'HTTP_REDIRECT'
  | 'HTTP_AUTH'
  | 'DIGEST_MISMATCH'
  // everything else
  | 'INTERNAL';

export class SigcheckError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigcheckError';
    this.code = code;
  }
}

export function isSigcheckError(err: unknown, code?: ErrorCode): err is SigcheckError {
  return err instanceof SigcheckError && (code === undefined || err.code === code);
}

/**
 * The errors that mean "the run was asked for something it cannot do": the user fixes a flag, an
 * input, a file or the checkout (exit code 2). Everything else that escapes a run is a failure to
 * determine (exit code 3). One list, so the CLI and the Action cannot disagree.
 */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['USAGE', 'CONFIG', 'GIT', 'INVALID_DIGEST', 'INVALID_REFERENCE', 'FILE_UNREADABLE', 'FILE_NOT_REGULAR', 'FILE_TOO_LARGE', 'REPORT_INVALID']);

export function isUsageError(err: unknown): err is SigcheckError {
  return err instanceof SigcheckError && USAGE_CODES.has(err.code);
}

/** A short, single-line description of any thrown value, for reports. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
