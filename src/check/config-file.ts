/**
 * The optional `release-sigcheck.yaml` at the graph-data root: defaults for a repository's checks and
 * its skip entries, so the Action, the CLI and the audit agree without repeating flags. Keys are the
 * CLI's long option names that the option table lets the repository set (options.ts); flags given on
 * the command line (or as Action inputs) override them.
 *
 *   require: [openpgp, sigstore]
 *   sigstore-from: 4.16.0
 *   arch: [amd64, arm64, s390x, ppc64le, multi]
 *   skip:
 *     - { version: 4.1.0, arch: amd64, check: openpgp, reason: "signed with the CI key (ART-2397)" }
 *
 * The file is read from the trusted side (trusted.ts): in PR scope, as it is at the merge-base.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { yamlOverBudget } from '../yaml/budget.ts';
import { SigcheckError } from '../model/errors.ts';
import { CHECK_FLAG_NAMES, type CheckFlags, type ConfigKind } from '../options/registry.ts';
import { toSkipEntries, type SkipEntry } from './skip.ts';
import type { TrustedFiles } from './trusted.ts';

export const CONFIG_FILE_NAME = 'release-sigcheck.yaml';
/** A real configuration is a few KiB (a long skip list included). */
export const CONFIG_FILE_MAX_BYTES = 1024 * 1024;

export interface ConfigFile {
  path: string;
  flags: CheckFlags;
  skip: SkipEntry[];
}

/** Config-file keys: the options the table marks as settable by the repository. */
const KEYS: ReadonlyMap<string, [keyof CheckFlags, ConfigKind]> = new Map(
  (Object.entries(CHECK_FLAG_NAMES) as [keyof CheckFlags, (typeof CHECK_FLAG_NAMES)[keyof CheckFlags]][])
    .filter(([, spec]) => spec.config !== undefined)
    .map(([key, spec]) => [spec.name, [key, spec.config as ConfigKind]]),
);

/** Options only the workflow sets, with the reason shown when a file tries. */
const WORKFLOW_ONLY: Readonly<Record<string, string>> = {
  cache: 'the verified-result cache is chosen by the workflow only (--cache, Action input cache): a file in the repository must not point the check at results it did not verify',
};

/** Parses the text of a config file (pure); `path` names it in messages and anchors relative paths. */
export function parseConfigFile(path: string, text: string): ConfigFile {
  const over = yamlOverBudget(text);
  if (over) throw new SigcheckError('CONFIG', `config file ${path} is not read: ${over}`);
  let raw: unknown;
  try {
    raw = parse(text, { uniqueKeys: true, maxAliasCount: 50 });
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
    if (WORKFLOW_ONLY[key]) throw new SigcheckError('CONFIG', `config file ${path}: ${key} cannot be set here: ${WORKFLOW_ONLY[key]}`);
    const spec = KEYS.get(key);
    if (!spec) throw new SigcheckError('CONFIG', `config file ${path}: unknown option ${JSON.stringify(key.slice(0, 80))} (allowed: ${[...KEYS.keys(), 'skip'].join(', ')})`);
    const [flag, kind] = spec;
    const values = Array.isArray(value) ? value.map(String) : value === null || value === undefined ? [] : [String(value)];
    if ((kind === 'string' || kind === 'path') && values.length !== 1) throw new SigcheckError('CONFIG', `config file ${path}: ${key} takes one value`);
    if ((kind === 'list' || kind === 'paths') && values.length === 0) throw new SigcheckError('CONFIG', `config file ${path}: ${key} is empty; give at least one value or remove the key`);
    const abs = (p: string) => (isAbsolute(p) ? p : join(base, p));
    const set = flags as Record<string, unknown>;
    if (kind === 'string') set[flag] = values[0];
    else if (kind === 'path') set[flag] = abs(values[0]!);
    else if (kind === 'paths') set[flag] = values.map(abs);
    else set[flag] = flag === 'arch' || flag === 'require' ? values.join(',') : values;
  }
  return { path, flags, skip };
}

/** Reads the config file from the trusted side; `undefined` when the default file does not exist there. */
export async function readConfigFile(trusted: TrustedFiles, path: string, options: { required: boolean }): Promise<ConfigFile | undefined> {
  const bytes = await trusted.read(path, 'config file', CONFIG_FILE_MAX_BYTES);
  if (bytes === undefined) {
    if (!options.required) return undefined;
    throw new SigcheckError('FILE_UNREADABLE', `cannot read config file ${path}: it does not exist${trusted.side.kind === 'checkout' ? '' : ` in ${trusted.describe()}`}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SigcheckError('CONFIG', `config file ${path} is not UTF-8 text`);
  }
  return parseConfigFile(path, text);
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
