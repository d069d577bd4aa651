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
  // network and transport
  | 'HTTP_STATUS'
  | 'HTTP_TIMEOUT'
  | 'HTTP_NETWORK'
  | 'HTTP_BODY_TOO_LARGE'
  | 'HTTP_TRUNCATED'
  | 'HTTP_REDIRECT'
  | 'HTTP_AUTH'
  | 'DIGEST_MISMATCH'
  // files
  | 'FILE_TOO_LARGE'
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

/** A short, single-line description of any thrown value, for reports. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
