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
  // the name does not resolve (ENOTFOUND, EAI_AGAIN): retried at most once
  | 'HTTP_DNS'
  // the host refused or could not be reached (ECONNREFUSED, EHOSTUNREACH, connect timeout): retried at most once
  | 'HTTP_CONNECT'
  // the forwarding proxy refused to open a tunnel to the host: retried at most once
  | 'HTTP_PROXY'
  // the TLS handshake failed (untrusted or expired certificate, wrong name): never retried
  | 'HTTP_TLS'
  // several connection attempts in a row to one host failed; its other requests are not sent
  | 'HTTP_UNREACHABLE'
  // the run's deadline passed: requests in flight are aborted, new ones are not sent
  | 'HTTP_DEADLINE'
  | 'HTTP_BODY_TOO_LARGE'
  | 'HTTP_TRUNCATED'
  | 'HTTP_REDIRECT'
  | 'HTTP_AUTH'
  | 'DIGEST_MISMATCH'
  // everything else
  | 'INTERNAL';

/**
 * What the user can do about an error, as data: the options (by their long name, which is both the
 * CLI flag and the Action input) and environment variables that change the outcome. Lower layers
 * attach it instead of writing flag syntax into messages, so each entry point can render it its own
 * way; messages still say in words what to do.
 */
export interface ErrorHint {
  options?: readonly string[];
  env?: readonly string[];
}

export class SigcheckError extends Error {
  readonly code: ErrorCode;
  readonly hint: ErrorHint | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; hint?: ErrorHint }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'SigcheckError';
    this.code = code;
    this.hint = options?.hint;
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
