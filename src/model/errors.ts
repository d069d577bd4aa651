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
  // a node's containers-policy.json(5) or registries.d(5) that containers/image would refuse to load
  | 'POLICY_JSON'
  | 'REGISTRIES_D'
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
  // a Cincinnati graph API answer that is not a graph (src/cincinnati/graph.ts)
  | 'CINCINNATI_GRAPH'
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

export interface SigcheckErrorOptions {
  cause?: unknown;
  hint?: ErrorHint;
  /**
   * The option the user should change (its long name, e.g. `timeout`), when an option is the fix.
   * Lower layers name it here rather than in CLI words; each entry point renders it its own way (a
   * flag, an Action input, a config-file key).
   */
  option?: string;
  /** The file the error is about (a policy.json, a registries.d file), when it is one. */
  file?: string;
  /** Where in that file: a JSON path such as `transports.docker["quay.io/x"][0].keyPath`. */
  jsonPath?: string;
}

/** `--arch: unknown ...` reads better than `--arch unknown ...` for a message that is a reason, not a predicate. */
const joiner = (detail: string): string => (detail.startsWith(':') ? '' : ' ');

export class SigcheckError extends Error {
  readonly code: ErrorCode;
  readonly option?: string;
  readonly hint: ErrorHint | undefined;
  /** With `option`: the message without the option's name, for entry points that name it their way. */
  readonly detail?: string;
  readonly file?: string;
  readonly jsonPath?: string;

  constructor(code: ErrorCode, message: string, options?: SigcheckErrorOptions) {
    super(options?.option !== undefined ? `--${options.option}${joiner(message)}${message}` : message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'SigcheckError';
    this.code = code;
    this.hint = options?.hint;
    if (options?.option !== undefined) {
      this.option = options.option;
      this.detail = message;
    }
    if (options?.file !== undefined) this.file = options.file;
    if (options?.jsonPath !== undefined) this.jsonPath = options.jsonPath;
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
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['USAGE', 'CONFIG', 'GIT', 'INVALID_DIGEST', 'INVALID_REFERENCE', 'FILE_UNREADABLE', 'FILE_NOT_REGULAR', 'FILE_TOO_LARGE', 'REPORT_INVALID', 'POLICY_JSON', 'REGISTRIES_D']);

export function isUsageError(err: unknown): err is SigcheckError {
  return err instanceof SigcheckError && USAGE_CODES.has(err.code);
}

/** A short description of any thrown value, for reports; an option named in the entry point's words. */
export function describeError(err: unknown, wording: OptionWording = CLI_WORDING): string {
  if (err instanceof SigcheckError && err.option !== undefined && err.detail !== undefined) return `${wording(err.option)}${joiner(err.detail)}${err.detail}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
