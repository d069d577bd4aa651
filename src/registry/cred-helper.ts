/**
 * Docker credential helpers (docker-credential-helpers protocol), as podman, skopeo and docker run
 * them: `docker-credential-<name> get` with the registry host on stdin answers
 * `{"ServerURL": ..., "Username": ..., "Secret": ...}` on stdout, or exits non-zero printing
 * `credentials not found in native keychain` when it holds none for that host.
 *
 * The helper is run without a shell (execFile: no word splitting, no expansion of anything an auth
 * file says), found on PATH, killed after a timeout, and its output is capped. What it prints is a
 * secret: no message ever quotes its stdout or stderr, only its name, the host and how it failed.
 */
import { execFile } from 'node:child_process';
import { SigcheckError } from '../model/errors.ts';

export interface HelperCredential {
  username: string;
  password: string;
}

export interface HelperOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  maxBytes?: number;
  /** For messages: where the helper was named (`credHelpers for quay.io in ~/.docker/config.json`). */
  origin?: string;
}

/** `docker-credential-<name>`: a name is a plain word, never a path (an auth file must not run /bin/sh). */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** docker-credential-helpers' ErrCredentialsNotFound text: the protocol's only "none here" signal. */
const NOT_FOUND = 'credentials not found';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 64 * 1024;

export function isHelperName(name: string): boolean {
  return HELPER_NAME.test(name);
}

/**
 * Runs `docker-credential-<name> get` for `host`. Resolves with the credential, or undefined when the
 * helper has none for the host; rejects with HTTP_AUTH when it cannot be run or answers nonsense.
 */
export function runCredentialHelper(name: string, host: string, options: HelperOptions = {}): Promise<HelperCredential | undefined> {
  const program = `docker-credential-${name}`;
  const where = `credential helper ${program}${options.origin ? ` (${options.origin})` : ''}`;
  // Never the helper's output in a message, nor as a cause: it may hold the secret.
  const fail = (problem: string) => new SigcheckError('HTTP_AUTH', `${where}: ${problem}; no credentials for ${host}`);
  if (!isHelperName(name)) return Promise.reject(fail('is not a valid helper name (letters, digits, dot, dash and underscore only)'));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      ['get'],
      { env: options.env ?? process.env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: maxBytes, encoding: 'utf8', windowsHide: true, shell: false },
      (err, stdout) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: string | number | null };
          if (e.code === 'ENOENT') return reject(fail(`is not installed (no ${program} on PATH)`));
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return reject(fail(`printed more than ${maxBytes} bytes`));
          if (e.killed || e.signal) return reject(fail(e.killed ? `did not answer within ${timeoutMs} ms` : `was killed by ${e.signal}`));
          if (typeof stdout === 'string' && stdout.toLowerCase().includes(NOT_FOUND)) return resolve(undefined);
          return reject(fail(`exited with status ${String(e.code)}`));
        }
        let doc: unknown;
        try {
          doc = JSON.parse(stdout);
        } catch {
          return reject(fail('printed something that is not the credentials JSON ({"Username", "Secret"})'));
        }
        const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
        const username = typeof d['Username'] === 'string' ? d['Username'] : '';
        const secret = typeof d['Secret'] === 'string' ? d['Secret'] : '';
        if (username === '' && secret === '') return resolve(undefined);
        // Docker's marker for an OAuth2 refresh token, exchanged with a POST this tool does not make.
        if (username === '<token>') return reject(fail('returned an identity token, which release-sigcheck cannot use; store a username and password (or token) for this registry instead'));
        if (username === '' || secret === '') return reject(fail('returned a credential without a username or without a secret'));
        resolve({ username, password: secret });
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(host);
  });
}

