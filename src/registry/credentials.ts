/**
 * Registry credentials from the files podman, skopeo and docker write (containers-auth.json(5)):
 * `REGISTRY_AUTH_FILE` when set (and then only that file), else
 * `$XDG_RUNTIME_DIR/containers/auth.json`, `$XDG_CONFIG_HOME/containers/auth.json`
 * (`~/.config/...`), `$DOCKER_CONFIG/config.json` (`~/.docker/config.json`), `~/.dockercfg`.
 *
 * `--authfile FILE` (NetworkConfig.authFile) replaces all of them, as podman's `--authfile` does.
 *
 * In each file, in order, the first that applies:
 *   1. `credHelpers` naming a helper for the host: `docker-credential-<name> get` (cred-helper.ts);
 *      a helper with nothing for the host lets the lookup go on to the next file, as podman does;
 *   2. an `auths` entry, the most specific key first (`host/ns/repo`, `host/ns`, `host`);
 *   3. `credsStore`, docker's default helper for every host without an entry of its own.
 * Helpers are run only when a registry asks for credentials, once per (helper, host) in a run.
 *
 * A credential belongs to one registry host (or a namespace of it, `quay.io/openshift-release-dev`)
 * and is only ever handed out for that host. Secrets never appear in messages: only the file they
 * came from does.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SigcheckError, describeError } from '../model/errors.ts';
import { readRegularFile } from '../fs/regular-file.ts';

/** Real auth files are a few KiB. */
const AUTH_FILE_MAX_BYTES = 4 * 1024 * 1024;
import { isHelperName, runCredentialHelper, type HelperOptions } from './cred-helper.ts';

export interface RegistryCredential {
  username: string;
  password: string;
  /** The file the credential came from, for messages. */
  source: string;
}

interface Entry {
  key: string;
  credential: RegistryCredential;
}

/** The helpers one file names. */
interface FileHelpers {
  source: string;
  /** Normalized host -> helper name. */
  perHost: Map<string, string>;
  /** `credsStore`. */
  store?: string;
}

/** Runs a helper; replaceable in tests. */
export type HelperRunner = (name: string, host: string, options: HelperOptions) => ReturnType<typeof runCredentialHelper>;

export interface CredentialFiles {
  /** Files in lookup order; the first file with an entry for a host wins. */
  files: string[];
  /** True when REGISTRY_AUTH_FILE named the only file (an error reading it is fatal). */
  explicit: boolean;
}

/** Where credentials are looked for, in order, given an environment (and an `authfile` option). */
export function credentialFiles(env: NodeJS.ProcessEnv = process.env, home: string = homedir(), authFile?: string): CredentialFiles {
  if (authFile) return { files: [authFile], explicit: true };
  if (env['REGISTRY_AUTH_FILE']) return { files: [env['REGISTRY_AUTH_FILE']], explicit: true };
  const files: string[] = [];
  if (env['XDG_RUNTIME_DIR']) files.push(join(env['XDG_RUNTIME_DIR'], 'containers', 'auth.json'));
  files.push(join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'containers', 'auth.json'));
  files.push(join(env['DOCKER_CONFIG'] || join(home, '.docker'), 'config.json'));
  files.push(join(home, '.dockercfg'));
  return { files, explicit: false };
}

/** `https://quay.io/v1/` -> `quay.io`; `quay.io/ns/` -> `quay.io/ns`. */
export function normalizeAuthKey(key: string): string {
  let k = key.trim().replace(/^[a-z]+:\/\//i, '');
  k = k.replace(/\/+$/, '');
  // docker's legacy index keys: https://index.docker.io/v1/
  k = k.replace(/\/v[12]$/, '');
  const slash = k.indexOf('/');
  return slash < 0 ? k.toLowerCase() : `${k.slice(0, slash).toLowerCase()}${k.slice(slash)}`;
}

function decodeEntry(value: unknown, source: string): RegistryCredential | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v['auth'] === 'string' && v['auth'] !== '') {
    const decoded = Buffer.from(v['auth'], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return undefined;
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), source };
  }
  if (typeof v['username'] === 'string' && typeof v['password'] === 'string' && v['username'] !== '') {
    return { username: v['username'], password: v['password'], source };
  }
  return undefined;
}

export interface LoadOptions {
  /** The auth file to use instead of the default locations (the `authfile` option). */
  authFile?: string;
  /** Runs credential helpers (default: runCredentialHelper with `env`). */
  runHelper?: HelperRunner;
}

export class CredentialStore {
  private readonly entries: Entry[];
  private readonly helpers: FileHelpers[];
  private readonly env: NodeJS.ProcessEnv;
  private readonly runHelper: HelperRunner;
  private readonly helperAnswers = new Map<string, Promise<RegistryCredential | undefined>>();
  /** Files that were read, in order, for messages. */
  readonly files: readonly string[];
  /** Problems with files that were skipped (a malformed ~/.docker/config.json), for the user. */
  readonly warnings: readonly string[];

  constructor(entries: Entry[] = [], files: string[] = [], warnings: string[] = [], helpers: FileHelpers[] = [], env: NodeJS.ProcessEnv = process.env, runHelper: HelperRunner = runCredentialHelper) {
    this.entries = entries;
    this.files = files;
    this.warnings = warnings;
    this.helpers = helpers;
    this.env = env;
    this.runHelper = runHelper;
  }

  static empty(): CredentialStore {
    return new CredentialStore();
  }

  /** Reads the credential files of `env`. A missing file is skipped; a broken explicit file (authfile, REGISTRY_AUTH_FILE) is an error. */
  static async load(env: NodeJS.ProcessEnv = process.env, home: string = homedir(), options: LoadOptions = {}): Promise<CredentialStore> {
    const { files, explicit } = credentialFiles(env, home, options.authFile);
    const label = (file: string) => (options.authFile ? `auth file ${file} (the authfile option)` : `REGISTRY_AUTH_FILE ${file}`);
    const entries: Entry[] = [];
    const helpers: FileHelpers[] = [];
    const read: string[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        // Only a regular file, and a small one: an auth file never needs more than a few KiB.
        text = (await readRegularFile(file, { what: 'registry credentials file', maxBytes: AUTH_FILE_MAX_BYTES })).toString('utf8');
      } catch (err) {
        const code = ((err as { cause?: NodeJS.ErrnoException }).cause ?? (err as NodeJS.ErrnoException)).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          // A file named with the authfile option must be there; REGISTRY_AUTH_FILE, as podman treats it,
          // may name one that `podman login` has not written yet: no credentials, said once.
          if (explicit && options.authFile) throw new SigcheckError('CONFIG', `${label(file)} does not exist; point it at an auth.json`);
          if (explicit) {
            warnings.push(`${label(file)} does not exist; no registry credentials are used from it`);
            continue;
          }
          continue;
        }
        const message = `cannot read registry credentials from ${file}: ${describeError(err)}`;
        if (explicit) throw new SigcheckError('CONFIG', message);
        warnings.push(message);
        continue;
      }
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        // Never echo the file: it holds secrets.
        const message = `registry credentials file ${file} is not valid JSON; fix it${explicit ? '' : ' or set REGISTRY_AUTH_FILE to another file'}`;
        if (explicit) throw new SigcheckError('CONFIG', message);
        warnings.push(message);
        continue;
      }
      read.push(file);
      if (typeof doc !== 'object' || doc === null) continue;
      const d = doc as Record<string, unknown>;
      // auth.json and config.json keep entries under `auths`; the legacy ~/.dockercfg at the top level.
      const auths = typeof d['auths'] === 'object' && d['auths'] !== null ? (d['auths'] as Record<string, unknown>) : file.endsWith('.dockercfg') ? d : {};
      for (const [key, value] of Object.entries(auths)) {
        const credential = decodeEntry(value, file);
        if (credential) entries.push({ key: normalizeAuthKey(key), credential });
      }
      const fileHelpers: FileHelpers = { source: file, perHost: new Map() };
      if (typeof d['credHelpers'] === 'object' && d['credHelpers'] !== null) {
        for (const [key, name] of Object.entries(d['credHelpers'] as Record<string, unknown>)) {
          if (typeof name !== 'string' || !isHelperName(name)) {
            warnings.push(`${file}: credHelpers entry for ${normalizeAuthKey(key)} does not name a helper (a plain word such as "pass"); ignored`);
            continue;
          }
          fileHelpers.perHost.set(normalizeAuthKey(key).replace(/\/.*$/, ''), name);
        }
      }
      if (typeof d['credsStore'] === 'string' && d['credsStore'] !== '') {
        if (isHelperName(d['credsStore'])) fileHelpers.store = d['credsStore'];
        else warnings.push(`${file}: credsStore does not name a helper (a plain word such as "desktop"); ignored`);
      }
      if (fileHelpers.perHost.size > 0 || fileHelpers.store !== undefined) helpers.push(fileHelpers);
    }
    return new CredentialStore(entries, read, warnings, helpers, env, options.runHelper);
  }

  /**
   * The credential written in the files for a repository on `host`: the most specific key wins
   * (`host/ns/repo`, then `host/ns`, then `host`), and the first file that has one wins. Only keys for
   * exactly `host` ever match. Helpers are not consulted (see find()).
   */
  lookup(host: string, repository?: string): RegistryCredential | undefined {
    return this.lookupIn(undefined, host, repository);
  }

  /**
   * The credential for a repository on `host`, helpers included (module comment). Rejects with
   * HTTP_AUTH when a helper the files name cannot be run.
   */
  async find(host: string, repository?: string): Promise<RegistryCredential | undefined> {
    const h = host.toLowerCase();
    for (const file of this.files) {
      const helpers = this.helpers.find((f) => f.source === file);
      const perHost = helpers?.perHost.get(h);
      if (perHost !== undefined) {
        const found = await this.fromHelper(perHost, h, file, `credHelpers for ${h} in ${file}`);
        if (found) return found;
        continue;
      }
      const written = this.lookupIn(file, h, repository);
      if (written) return written;
      if (helpers?.store !== undefined) {
        const found = await this.fromHelper(helpers.store, h, file, `credsStore in ${file}`);
        if (found) return found;
      }
    }
    return undefined;
  }

  private lookupIn(onlyFile: string | undefined, host: string, repository?: string): RegistryCredential | undefined {
    const h = host.toLowerCase();
    const candidates: string[] = [];
    if (repository) {
      const parts = repository.split('/');
      for (let n = parts.length; n > 0; n--) candidates.push(`${h}/${parts.slice(0, n).join('/')}`);
    }
    candidates.push(h);
    const files = onlyFile !== undefined ? [onlyFile] : [...new Set(this.entries.map((e) => e.credential.source))];
    for (const file of files) {
      for (const c of candidates) {
        const hit = this.entries.find((e) => e.credential.source === file && e.key === c);
        if (hit) return hit.credential;
      }
    }
    return undefined;
  }

  /** One run of a helper per (helper, host); every request for the host shares its answer. */
  private fromHelper(name: string, host: string, file: string, origin: string): Promise<RegistryCredential | undefined> {
    const key = `${name}\n${host}`;
    let answer = this.helperAnswers.get(key);
    if (!answer) {
      answer = this.runHelper(name, host, { env: this.env, origin }).then((c) => (c ? { ...c, source: `${file} (docker-credential-${name})` } : undefined));
      this.helperAnswers.set(key, answer);
    }
    return answer;
  }
}
