/**
 * containers-registries.d(5): where containers/image reads signatures for an image, as
 * containers/image docker/registries_d.go reads and merges the directory (loadAndMergeConfig) and
 * looks a reference up (signatureTopLevel, useSigstoreAttachments, lookasideStorageURL):
 *
 *  - every file whose name ends in `.yaml` is read (other names are ignored); each holds a mapping with
 *    `default-docker` (a section) and `docker` (scope -> section); a section has `lookaside`
 *    (`sigstore`, its deprecated spelling), `lookaside-staging`, `sigstore-staging` and
 *    `use-sigstore-attachments`; unknown keys are ignored (yaml.v3 without KnownFields);
 *  - `default-docker` in two files, or the same `docker` scope in two files, is an error;
 *  - lookups use the reference being read (the *physical* one: a mirror's, when pulling from a
 *    mirror): its exact identity (`name@digest`), then its namespaces most specific first (the
 *    repository, parent namespaces, host[:port], `*.`-wildcards of the host), then `default-docker`;
 *    the first section that *sets* the value wins, a section without it does not stop the search;
 *  - no lookaside anywhere: the built-in default `file:///var/lib/containers/sigstore` (for root, which
 *    is what CRI-O runs as); no use-sigstore-attachments anywhere: false, so `.sig` tags are not read;
 *  - signature N (1-based) of digest D is `<lookaside>/<repository path>@sha256=<hex>/signature-N`,
 *    the repository path without its host.
 *
 * Deliberately stricter (an error here, where yaml.v3 might read a value): several YAML documents in
 * one file, a section or value of an unexpected YAML type. Pure: file contents in, answers out.
 */
import { parseAllDocuments } from 'yaml';
import { SigcheckError, describeError } from '../model/errors.ts';
import { digestHex, type Digest } from '../model/digest.ts';
import { policyNamespaces, type DockerReference } from '../sigstore/reference.ts';

/** What CRI-O (running as root) reads when no lookaside is configured. */
export const BUILTIN_LOOKASIDE = 'file:///var/lib/containers/sigstore';
/** A registries.d file is a few lines. */
export const MAX_REGISTRIES_D_FILE_BYTES = 1024 * 1024;
/** containers/image stops after this many lookaside signatures (docker_image_src.go maxLookasideSignatures). */
export const MAX_LOOKASIDE_SIGNATURES = 128;

export interface RegistriesDSection {
  lookaside?: string;
  /** The deprecated spelling of lookaside, used when lookaside is absent. */
  sigstore?: string;
  useSigstoreAttachments?: boolean;
  /** `file` and the YAML path of the section, for reports. */
  from: string;
}

export interface RegistriesD {
  /** The directory, as the user named it; undefined when none was given (nothing configured). */
  dir?: string;
  defaultDocker?: RegistriesDSection;
  docker: ReadonlyMap<string, RegistriesDSection>;
  /** Keys containers/image ignores (likely typos), to show the user. */
  warnings: string[];
}

export interface RegistriesDFile {
  /** The file name inside the directory. */
  name: string;
  text: string;
}

export const EMPTY_REGISTRIES_D: RegistriesD = { docker: new Map(), warnings: [] };

const SECTION_KEYS = ['lookaside', 'lookaside-staging', 'sigstore', 'sigstore-staging', 'use-sigstore-attachments'];
const YAML11_TRUE = ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'];
const YAML11_FALSE = ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'];

function fail(file: string, path: string, problem: string, fix = 'Fix the file: containers/image refuses to read the directory, and then every pull fails.'): never {
  throw new SigcheckError('REGISTRIES_D', `${file}: ${path || '(top level)'}: ${problem}. ${fix}`, { file, jsonPath: path });
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** yaml.v3 decoding a scalar into a Go string: the scalar's text; null is "". */
function goString(v: unknown, file: string, path: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return fail(file, path, 'must be a string (a URL)');
}

/** yaml.v3 decoding into *bool: true/false, and the YAML 1.1 spellings (yes, on, ...). */
function goBool(v: unknown, file: string, path: string): boolean | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && YAML11_TRUE.includes(v)) return true;
  if (typeof v === 'string' && YAML11_FALSE.includes(v)) return false;
  return fail(file, path, `must be true or false, not ${JSON.stringify(v)}`);
}

function readSection(v: unknown, file: string, path: string, warnings: string[]): RegistriesDSection {
  const section: RegistriesDSection = { from: `${file} ${path}` };
  if (v === null || v === undefined) return section;
  if (!isMapping(v)) return fail(file, path, 'must be a mapping with lookaside and/or use-sigstore-attachments');
  for (const key of Object.keys(v)) {
    if (!SECTION_KEYS.includes(key)) warnings.push(`${file}: ${path}.${key} is not a registries.d key; containers/image ignores it (known keys: ${SECTION_KEYS.join(', ')})`);
  }
  const lookaside = goString(v.lookaside, file, `${path}.lookaside`);
  const sigstore = goString(v.sigstore, file, `${path}.sigstore`);
  const use = goBool(v['use-sigstore-attachments'], file, `${path}.use-sigstore-attachments`);
  goString(v['lookaside-staging'], file, `${path}.lookaside-staging`);
  goString(v['sigstore-staging'], file, `${path}.sigstore-staging`);
  if (lookaside !== undefined && lookaside !== '') section.lookaside = lookaside;
  if (sigstore !== undefined && sigstore !== '') section.sigstore = sigstore;
  if (use !== undefined) section.useSigstoreAttachments = use;
  return section;
}

/**
 * Merges the `.yaml` files of a registries.d directory (the caller lists and reads them; names not
 * ending in `.yaml` are ignored here too). Throws SigcheckError('REGISTRIES_D') naming the file.
 */
export function parseRegistriesD(files: readonly RegistriesDFile[], dir: string): RegistriesD {
  const docker = new Map<string, RegistriesDSection>();
  const origin = new Map<string, string>();
  let defaultDocker: RegistriesDSection | undefined;
  let defaultFrom = '';
  const warnings: string[] = [];
  for (const { name, text } of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!name.endsWith('.yaml')) continue;
    const file = `${dir.replace(/\/+$/, '')}/${name}`;
    let docs;
    try {
      docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, schema: 'core' });
    } catch (err) {
      return fail(file, '', `is not valid YAML: ${describeError(err)}`);
    }
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.length > 1) fail(file, '', `holds ${list.length} YAML documents; containers/image reads one mapping per file`);
    const doc = list[0];
    if (!doc) continue;
    if (doc.errors.length > 0) fail(file, '', `is not valid YAML: ${doc.errors[0]?.message ?? 'unknown error'}`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      fail(file, '', `is not valid YAML: ${describeError(err)}`);
    }
    if (value === null || value === undefined) continue;
    if (!isMapping(value)) fail(file, '', 'must be a YAML mapping with default-docker and/or docker');
    for (const key of Object.keys(value)) {
      if (key !== 'default-docker' && key !== 'docker') warnings.push(`${file}: ${key} is not a registries.d key; containers/image ignores it (known: default-docker, docker)`);
    }
    if (value['default-docker'] !== undefined && value['default-docker'] !== null) {
      if (defaultDocker) fail(file, 'default-docker', `"default-docker" is defined both in ${defaultFrom} and ${file}`, 'Keep one default-docker section in the whole directory.');
      defaultDocker = readSection(value['default-docker'], file, 'default-docker', warnings);
      defaultFrom = file;
    }
    const scopes = value.docker;
    if (scopes === null || scopes === undefined) continue;
    if (!isMapping(scopes)) fail(file, 'docker', 'must be a mapping of scopes to sections');
    for (const [scope, section] of Object.entries(scopes)) {
      const path = `docker[${JSON.stringify(scope)}]`;
      const before = origin.get(scope);
      if (before !== undefined) fail(file, path, `the "docker" namespace ${JSON.stringify(scope)} is defined both in ${before} and ${file}`, 'Configure each scope in one file only.');
      docker.set(scope, readSection(section, file, path, warnings));
      origin.set(scope, file);
    }
  }
  return { dir, ...(defaultDocker ? { defaultDocker } : {}), docker, warnings };
}

/** The reference's identity within the docker transport: `name:tag` or `name@digest`. */
export function dockerIdentity(ref: DockerReference): string {
  if (ref.digest !== undefined) return `${ref.name}@${ref.digest}`;
  if (ref.tag !== undefined) return `${ref.name}:${ref.tag}`;
  return ref.name;
}

/** The sections to consult for `ref`, in containers/image's order (identity, namespaces, default-docker). */
function sectionsFor(config: RegistriesD, ref: DockerReference): { scope: string; section: RegistriesDSection }[] {
  const out: { scope: string; section: RegistriesDSection }[] = [];
  const identity = dockerIdentity(ref);
  const exact = config.docker.get(identity);
  if (exact && identity !== ref.name) out.push({ scope: identity, section: exact });
  for (const ns of policyNamespaces(ref)) {
    const s = config.docker.get(ns);
    if (s) out.push({ scope: ns, section: s });
  }
  if (config.defaultDocker) out.push({ scope: 'default-docker', section: config.defaultDocker });
  return out;
}

export interface LookasideChoice {
  /** The lookaside base URL as configured (or the built-in default). */
  base: string;
  /** Where it was configured, or `built-in default`. */
  from: string;
  builtIn: boolean;
}

/** signatureTopLevel(ref, write=false): the first section that names a lookaside. */
export function lookasideFor(config: RegistriesD, ref: DockerReference): LookasideChoice {
  for (const { section } of sectionsFor(config, ref)) {
    const url = section.lookaside ?? section.sigstore;
    if (url !== undefined) return { base: url, from: section.from, builtIn: false };
  }
  return { base: BUILTIN_LOOKASIDE, from: 'built-in default', builtIn: true };
}

/** useSigstoreAttachments(ref): the first section that sets it; false when none does. */
export function sigstoreAttachmentsFor(config: RegistriesD, ref: DockerReference): { enabled: boolean; from: string } {
  for (const { section } of sectionsFor(config, ref)) {
    if (section.useSigstoreAttachments !== undefined) return { enabled: section.useSigstoreAttachments, from: section.from };
  }
  return { enabled: false, from: config.dir === undefined ? 'no registries.d given' : `no section of ${config.dir} sets it` };
}

export type LookasideUrl = { ok: true; url: string; scheme: 'http' | 'https' | 'file' } | { ok: false; reason: string };

/**
 * lookasideStorageURL: `<base>/<repository path>@sha256=<hex>/signature-<index>` (index 1-based),
 * built as Go's net/url does (the path is extended, the query kept). A base containers/image could
 * not read from (another scheme, an unparsable URL) is a reason: every signature read then fails.
 */
export function lookasideSignatureUrl(base: string, ref: DockerReference, digest: Digest, index: number): LookasideUrl {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return { ok: false, reason: `lookaside ${JSON.stringify(base.slice(0, 200))} is not an absolute URL; containers/image reads only http://, https:// and file:// lookasides ("Unsupported scheme")` };
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'file') {
    return { ok: false, reason: `lookaside ${url.protocol} is not supported; containers/image reads only http://, https:// and file:// lookasides ("Unsupported scheme")` };
  }
  // Go's url.Parse gives "http://host" an empty path and "http://host/" the path "/"; WHATWG gives both "/".
  const emptyPath = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*(?:[?#].*)?$/.test(base);
  url.pathname = `${emptyPath ? '' : url.pathname}/${ref.path}@sha256=${digestHex(digest)}/signature-${index}`;
  url.hash = '';
  return { ok: true, url: url.href, scheme };
}
