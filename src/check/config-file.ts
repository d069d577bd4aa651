/**
 * The optional `release-sigcheck.yaml` at the graph-data root: defaults for a repository's checks and
 * its skip entries, so the Action, the CLI and the audit agree without repeating flags. Keys are the
 * CLI's long option names; flags given on the command line (or as Action inputs) override them.
 *
 *   require: [openpgp, sigstore]
 *   sigstore-from: 4.16.0
 *   arch: [amd64, arm64, s390x, ppc64le, multi]
 *   skip:
 *     - { version: 4.1.0, arch: amd64, check: openpgp, reason: "signed with the CI key (ART-2397)" }
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SigcheckError } from '../errors.ts';
import type { CheckFlags } from './options.ts';
import { toSkipEntries, type SkipEntry } from './skip.ts';

export const CONFIG_FILE_NAME = 'release-sigcheck.yaml';

export interface ConfigFile {
  path: string;
  flags: CheckFlags;
  skip: SkipEntry[];
}

type Kind = 'string' | 'list' | 'path' | 'paths';
const KEYS: Record<string, [keyof CheckFlags, Kind]> = {
  arch: ['arch', 'list'],
  require: ['require', 'list'],
  channel: ['channel', 'list'],
  'release-repo': ['releaseRepo', 'string'],
  mirror: ['mirror', 'string'],
  'signature-store': ['signatureStore', 'list'],
  concurrency: ['concurrency', 'string'],
  retries: ['retries', 'string'],
  timeout: ['timeout', 'string'],
  rate: ['rate', 'string'],
  'openpgp-key': ['openpgpKey', 'paths'],
  'sigstore-key': ['sigstoreKey', 'paths'],
  'image-policy': ['imagePolicy', 'path'],
  cache: ['cache', 'path'],
  'sigstore-from': ['sigstoreFrom', 'string'],
};

/** Reads the config file; `undefined` when the default file does not exist. */
export async function readConfigFile(path: string, options: { required: boolean }): Promise<ConfigFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !options.required) return undefined;
    throw new SigcheckError('CONFIG', `cannot read config file ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new SigcheckError('CONFIG', `config file ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (raw === null || raw === undefined) return { path, flags: {}, skip: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new SigcheckError('CONFIG', `config file ${path} must be a YAML mapping of option names to values`);
  const base = dirname(resolve(path));
  const flags: CheckFlags = {};
  let skip: SkipEntry[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === 'skip') {
      skip = toSkipEntries(value, path);
      continue;
    }
    const spec = KEYS[key];
    if (!spec) throw new SigcheckError('CONFIG', `config file ${path}: unknown option ${JSON.stringify(key)} (allowed: ${[...Object.keys(KEYS), 'skip'].join(', ')})`);
    const [flag, kind] = spec;
    const values = Array.isArray(value) ? value.map(String) : value === null || value === undefined ? [] : [String(value)];
    if ((kind === 'string' || kind === 'path') && values.length !== 1) throw new SigcheckError('CONFIG', `config file ${path}: ${key} takes one value`);
    const abs = (p: string) => (isAbsolute(p) ? p : join(base, p));
    const set = flags as Record<string, unknown>;
    if (kind === 'string') set[flag] = values[0];
    else if (kind === 'path') set[flag] = abs(values[0]!);
    else if (kind === 'paths') set[flag] = values.map(abs);
    else set[flag] = flag === 'arch' || flag === 'require' ? values.join(',') : values;
  }
  return { path, flags, skip };
}

/** Flags given explicitly win over the config file's. */
export function mergeFlags(fromFile: CheckFlags, given: CheckFlags): CheckFlags {
  const out: CheckFlags = { ...fromFile };
  for (const [k, v] of Object.entries(given) as [keyof CheckFlags, unknown][]) {
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
