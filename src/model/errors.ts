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
  // release payloads (the same on every read: a node's verdict, never a transient error)
  /** A layer of a media type the payload reader cannot decompress. */
  | 'PAYLOAD_MEDIA_TYPE'
  /** A layer, or the bytes read or unpacked for one payload, over a cap (payload-max-download / payload-max-unpacked). */
  | 'PAYLOAD_TOO_LARGE'
  /** A layer that is not the compressed tar its media type says. */
  | 'PAYLOAD_CORRUPT'
  /** No layer holds `release-manifests/` with release-metadata and image-references. */
  | 'PAYLOAD_NO_MANIFESTS'
  /** release-metadata or image-references is there but unreadable or malformed. */
  | 'PAYLOAD_INVALID'
  // everything else
  | 'INTERNAL';

export interface SigcheckErrorOptions {
  cause?: unknown;
  /**
   * The option the user should change (its long name, e.g. `timeout`), when an option is the fix.
   * Lower layers name it here rather than in CLI words; each entry point renders it its own way (a
   * flag, an Action input, a config-file key).
   */
  option?: string;
}

/** `--arch: unknown ...` reads better than `--arch unknown ...` for a message that is a reason, not a predicate. */
const joiner = (detail: string): string => (detail.startsWith(':') ? '' : ' ');

export class SigcheckError extends Error {
  readonly code: ErrorCode;
  readonly option?: string;
  /** With `option`: the message without the option's name, for entry points that name it their way. */
  readonly detail?: string;

  constructor(code: ErrorCode, message: string, options?: SigcheckErrorOptions) {
    super(options?.option !== undefined ? `--${options.option}${joiner(message)}${message}` : message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'SigcheckError';
    this.code = code;
    if (options?.option !== undefined) {
      this.option = options.option;
      this.detail = message;
    }
  }
}

/** How an entry point names an option: the CLI says `--timeout`, the Action `input "timeout"`. */
export type OptionWording = (option: string) => string;

export const CLI_WORDING: OptionWording = (option) => `--${option}`;
export const ACTION_WORDING: OptionWording = (option) => `input ${option}`;

export function isSigcheckError(err: unknown, code?: ErrorCode): err is SigcheckError {
  return err instanceof SigcheckError && (code === undefined || err.code === code);
}

/**
 * The errors that mean "the run was asked for something it cannot do": the user fixes a flag, an
 * input, a file or the checkout (exit code 2). Everything else that escapes a run is a failure to
 * determine (exit code 3). One list, so the CLI and the Action cannot disagree.
 */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['USAGE', 'CONFIG', 'GIT', 'INVALID_DIGEST', 'INVALID_REFERENCE', 'FILE_UNREADABLE', 'FILE_NOT_REGULAR', 'FILE_TOO_LARGE']);

export function isUsageError(err: unknown): err is SigcheckError {
  return err instanceof SigcheckError && USAGE_CODES.has(err.code);
}

/** A short description of any thrown value, for reports; an option named in the entry point's words. */
export function describeError(err: unknown, wording: OptionWording = CLI_WORDING): string {
  if (err instanceof SigcheckError && err.option !== undefined && err.detail !== undefined) return `${wording(err.option)}${joiner(err.detail)}${err.detail}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
