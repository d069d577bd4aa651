/**
 * Registry credentials from the files podman, skopeo and docker write (containers-auth.json(5)):
 * `REGISTRY_AUTH_FILE` when set (and then only that file), else
 * `$XDG_RUNTIME_DIR/containers/auth.json`, `$XDG_CONFIG_HOME/containers/auth.json`
 * (`~/.config/...`), `$DOCKER_CONFIG/config.json` (`~/.docker/config.json`), `~/.dockercfg`.
 *
 * A credential belongs to one registry host (or a namespace of it, `quay.io/openshift-release-dev`)
 * and is only ever handed out for that host. Secrets never appear in messages: only the file they
 * came from does. Credential helpers (`credsStore`, `credHelpers`) are not run.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SigcheckError, describeError } from '../model/errors.ts';

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

export interface CredentialFiles {
  /** Files in lookup order; the first file with an entry for a host wins. */
  files: string[];
  /** True when REGISTRY_AUTH_FILE named the only file (an error reading it is fatal). */
  explicit: boolean;
}

/** Where credentials are looked for, in order, given an environment. */
export function credentialFiles(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): CredentialFiles {
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

export class CredentialStore {
  private readonly entries: Entry[];
  /** Files that were read, in order, for messages. */
  readonly files: readonly string[];
  /** Problems with files that were skipped (a malformed ~/.docker/config.json), for the user. */
  readonly warnings: readonly string[];

  constructor(entries: Entry[] = [], files: string[] = [], warnings: string[] = []) {
    this.entries = entries;
    this.files = files;
    this.warnings = warnings;
  }

  static empty(): CredentialStore {
    return new CredentialStore();
  }

  /** Reads the credential files of `env`. A missing file is skipped; a broken REGISTRY_AUTH_FILE is an error. */
  static async load(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): Promise<CredentialStore> {
    const { files, explicit } = credentialFiles(env, home);
    const entries: Entry[] = [];
    const read: string[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          if (explicit) throw new SigcheckError('CONFIG', `REGISTRY_AUTH_FILE ${file} does not exist; unset it or point it at an auth.json`);
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
        const message = `registry credentials file ${file} is not valid JSON; fix it or set REGISTRY_AUTH_FILE to another file`;
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
    }
    return new CredentialStore(entries, read, warnings);
  }

  /**
   * The credential for a repository on `host`: the most specific key wins (`host/ns/repo`, then
   * `host/ns`, then `host`), and the first file that has one wins. Only keys for exactly `host`
   * ever match.
   */
  lookup(host: string, repository?: string): RegistryCredential | undefined {
    const h = host.toLowerCase();
    const candidates: string[] = [];
    if (repository) {
      const parts = repository.split('/');
      for (let n = parts.length; n > 0; n--) candidates.push(`${h}/${parts.slice(0, n).join('/')}`);
    }
    candidates.push(h);
    for (const file of new Set(this.entries.map((e) => e.credential.source))) {
      for (const c of candidates) {
        const hit = this.entries.find((e) => e.credential.source === file && e.key === c);
        if (hit) return hit.credential;
      }
    }
    return undefined;
  }
}
