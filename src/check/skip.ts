/**
 * Skip entries: explicit, reasoned exclusions of a version (optionally one architecture, one check),
 * optionally until an expiry date. An entry without a reason is refused: every skipped check in a
 * report must say why. Expired entries stop applying and are reported so someone removes them.
 */
import { parse } from 'yaml';
import { SigcheckError } from '../model/errors.ts';
import { readRegularFile } from '../fs/regular-file.ts';
import { isArch, type Arch } from '../model/arch.ts';
import { parseReleaseName } from '../model/version.ts';
import type { CheckName, Finding } from '../model/results.ts';
import type { SkipMatcher } from './pipeline.ts';

export interface SkipEntry {
  /** Release version without build metadata, e.g. `4.1.0-rc.0`. */
  version: string;
  arch?: Arch;
  check?: CheckName;
  reason: string;
  /** Last day the entry applies (UTC, inclusive). */
  expires?: string;
  /** Where the entry came from, for messages. */
  source: string;
}

function bad(source: string, message: string): never {
  throw new SigcheckError('CONFIG', `${source}: ${message}`);
}

/** Validates raw skip entries (from a skip file or the config file's `skip:` list). */
export function toSkipEntries(raw: unknown, source: string): SkipEntry[] {
  if (raw === null || raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : typeof raw === 'object' && Array.isArray((raw as { skip?: unknown }).skip) ? (raw as { skip: unknown[] }).skip : undefined;
  if (!list) bad(source, 'a skip file is a YAML list of entries, or a mapping with a "skip:" list');
  return list.map((item, i) => {
    const where = `${source}: skip entry ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) bad(source, `skip entry ${i + 1} must be a mapping with version and reason`);
    const e = item as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (!['version', 'arch', 'check', 'reason', 'expires'].includes(key)) throw new SigcheckError('CONFIG', `${where}: unknown key ${JSON.stringify(key)} (allowed: version, arch, check, reason, expires)`);
    }
    const version = typeof e.version === 'string' ? e.version : typeof e.version === 'number' ? String(e.version) : undefined;
    if (!version) throw new SigcheckError('CONFIG', `${where}: "version" is required`);
    const parsed = parseReleaseName(version);
    if (!parsed.ok) throw new SigcheckError('CONFIG', `${where}: ${parsed.reason}`);
    if (typeof e.reason !== 'string' || e.reason.trim() === '') throw new SigcheckError('CONFIG', `${where} (${version}): "reason" is required: say why this release may go unsigned`);
    const entry: SkipEntry = { version: parsed.release.version, reason: e.reason.trim(), source };
    const arch = e.arch ?? parsed.release.arch;
    if (arch !== undefined) {
      if (typeof arch !== 'string' || !isArch(arch)) throw new SigcheckError('CONFIG', `${where} (${version}): arch must be one of amd64, arm64, s390x, ppc64le, multi`);
      if (parsed.release.arch && parsed.release.arch !== arch) throw new SigcheckError('CONFIG', `${where}: ${version} names ${parsed.release.arch} but arch says ${arch}`);
      entry.arch = arch;
    }
    if (e.check !== undefined) {
      if (e.check !== 'openpgp' && e.check !== 'sigstore' && e.check !== 'components') throw new SigcheckError('CONFIG', `${where} (${version}): check must be openpgp, sigstore or components`);
      entry.check = e.check;
    }
    if (e.expires !== undefined) {
      const text = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : String(e.expires);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw new SigcheckError('CONFIG', `${where} (${version}): expires must be a date YYYY-MM-DD`);
      entry.expires = text;
    }
    return entry;
  });
}

/** graph-data's own skip list is a few KiB. */
export const SKIP_FILE_MAX_BYTES = 1024 * 1024;

export async function readSkipFile(path: string): Promise<SkipEntry[]> {
  const bytes = await readRegularFile(path, { what: 'skip file', maxBytes: SKIP_FILE_MAX_BYTES });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SigcheckError('CONFIG', `skip file ${path} is not UTF-8 text`);
  }
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 50 });
  } catch (err) {
    throw new SigcheckError('CONFIG', `skip file ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return toSkipEntries(raw, path);
}

/** Builds the pipeline's matcher; expired entries become warnings instead of skips. */
export function toSkipMatcher(entries: readonly SkipEntry[], today = new Date()): { matcher: SkipMatcher; findings: Finding[] } {
  const day = today.toISOString().slice(0, 10);
  const active: SkipEntry[] = [];
  const findings: Finding[] = [];
  for (const e of entries) {
    if (e.expires !== undefined && e.expires < day) {
      findings.push({ severity: 'warning', code: 'SKIP_EXPIRED', message: `skip entry for ${e.version}${e.arch ? ` ${e.arch}` : ''}${e.check ? ` (${e.check})` : ''} in ${e.source} expired on ${e.expires} and no longer applies; remove it or extend it` });
      continue;
    }
    active.push(e);
  }
  const matcher: SkipMatcher = (name, arch, check) => {
    const parsed = parseReleaseName(name);
    const version = parsed.ok ? parsed.release.version : name;
    const hit = active.find((e) => e.version === version && (e.arch === undefined || e.arch === arch) && (e.check === undefined || e.check === check));
    return hit ? { reason: hit.expires ? `${hit.reason} (until ${hit.expires})` : hit.reason } : undefined;
  };
  return { matcher, findings };
}
