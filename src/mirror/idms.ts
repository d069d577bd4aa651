/**
 * Source-to-mirror mapping, from the manifests a disconnected cluster is configured with:
 *  - ImageDigestMirrorSet (config.openshift.io/v1): spec.imageDigestMirrors[].{source, mirrors[]};
 *  - ImageContentSourcePolicy (operator.openshift.io/v1alpha1): spec.repositoryDigestMirrors[].{source, mirrors[]}.
 * The machine-config operator writes both into /etc/containers/registries.conf, one `[[registry]]` per
 * source with its mirrors (entries with the same source merged, in order), and containers/image picks
 * the entry whose prefix is the longest match of the pulled reference (sysregistriesv2
 * `findRegistryWithParsedConfig`, `refMatchingPrefix`): a prefix matches at a path boundary (`/`, `:`,
 * `@` or the end), `*.example.com` matches any subdomain's host, and the rest of the reference after
 * the match is appended to each mirror (`rewriteReference`). So a source that names a namespace or a
 * registry maps the rest of the repository path.
 *
 * ImageTagMirrorSet entries apply to pulls by tag only; releases are pulled by digest, so they are
 * noted and ignored. Pure: text in, rules out.
 */
import { parseAllDocuments } from 'yaml';
import { SigcheckError } from '../model/errors.ts';

export interface MirrorRule {
  /** The repository, namespace or registry users pull from, e.g. `quay.io/openshift-release-dev/ocp-release`. */
  source: string;
  /** Mirror locations in the order the cluster tries them. */
  mirrors: string[];
  /** `ImageDigestMirrorSet/name (file)`. */
  origin: string;
}

export interface MirrorRuleSet {
  rules: MirrorRule[];
  notes: string[];
}

/** A mirror repository the release repository maps to, and the rule(s) that said so. */
export interface MappedMirror {
  /** `host[:port]/path` of the mirror repository. */
  repository: string;
  /** The source prefix that matched. */
  source: string;
  origins: string[];
}

const DC = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST = `(?:${DC}(?:\\.${DC})*(?::[0-9]+)?)`;
const PATH = '(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*';
/** openshift/api ImageDigestMirrors.source: a host, optionally a path, or a `*.domain` wildcard. */
const SOURCE_RE = new RegExp(`^(?:\\*(?:\\.${DC})+|${HOST}${PATH})$`);
/** openshift/api ImageMirror: a host, optionally a path; no tag, no digest, no wildcard. */
const MIRROR_RE = new RegExp(`^${HOST}${PATH}$`);

const KINDS: Record<string, { field: string; apiVersions: string[] }> = {
  ImageDigestMirrorSet: { field: 'imageDigestMirrors', apiVersions: ['config.openshift.io/v1'] },
  ImageContentSourcePolicy: { field: 'repositoryDigestMirrors', apiVersions: ['operator.openshift.io/v1alpha1'] },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function configError(where: string, message: string): never {
  throw new SigcheckError('CONFIG', `${where}: ${message}`);
}

function readDocument(doc: unknown, where: string, file: string, out: MirrorRuleSet, depth = 0): void {
  if (!isRecord(doc)) {
    if (doc !== null && doc !== undefined) out.notes.push(`${where}: not a Kubernetes object, ignored`);
    return;
  }
  const kind = doc.kind;
  if (kind === 'List' && Array.isArray(doc.items) && depth < 4) {
    doc.items.forEach((item, i) => readDocument(item, `${where} items[${i}]`, file, out, depth + 1));
    return;
  }
  if (kind === 'ImageTagMirrorSet') {
    out.notes.push(`${where}: ImageTagMirrorSet applies to pulls by tag; release images are pulled by digest, so it is ignored`);
    return;
  }
  const shape = typeof kind === 'string' ? KINDS[kind] : undefined;
  if (!shape) {
    out.notes.push(`${where}: ${typeof kind === 'string' ? `kind ${kind}` : 'an object without a kind'}, not an ImageDigestMirrorSet or ImageContentSourcePolicy, ignored`);
    return;
  }
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : '(unnamed)';
  const origin = `${kind}/${name} (${file})`;
  const at = `${where} (${kind}/${name})`;
  if (typeof doc.apiVersion !== 'string' || !shape.apiVersions.includes(doc.apiVersion)) {
    out.notes.push(`${at}: apiVersion ${JSON.stringify(doc.apiVersion)}, expected ${shape.apiVersions.join(' or ')}; read anyway`);
  }
  const spec = isRecord(doc.spec) ? doc.spec : configError(at, 'has no spec');
  const entries = spec[shape.field];
  if (entries === undefined || entries === null) {
    out.notes.push(`${at}: spec.${shape.field} is empty`);
    return;
  }
  if (!Array.isArray(entries)) configError(at, `spec.${shape.field} must be a list`);
  entries.forEach((entry, i) => {
    const ew = `${at} spec.${shape.field}[${i}]`;
    if (!isRecord(entry)) configError(ew, 'must be an object with source and mirrors');
    const source = entry.source;
    if (typeof source !== 'string' || !SOURCE_RE.test(source)) {
      configError(ew, `source ${JSON.stringify(source)} is not a repository, namespace, registry or *.domain wildcard`);
    }
    const mirrors = entry.mirrors ?? [];
    if (!Array.isArray(mirrors)) configError(ew, 'mirrors must be a list');
    const checked = mirrors.map((m, j) => {
      if (typeof m !== 'string' || !MIRROR_RE.test(m)) configError(`${ew} mirrors[${j}]`, `${JSON.stringify(m)} is not host[:port][/path] (no scheme, tag or digest)`);
      return m;
    });
    if (checked.length === 0) out.notes.push(`${ew}: source ${source} has no mirrors`);
    out.rules.push({ source, mirrors: checked, origin });
  });
}

/** Reads every ImageDigestMirrorSet and ImageContentSourcePolicy in a YAML or JSON text (many documents, kind: List too). */
export function parseMirrorRules(text: string, file: string): MirrorRuleSet {
  const out: MirrorRuleSet = { rules: [], notes: [] };
  const documents = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [];
  list.forEach((document, index) => {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      configError(`${file}${line ? `:${line}` : ''}`, `not valid YAML or JSON (${error.message.split('\n')[0]}). Pass the ImageDigestMirrorSet or ImageContentSourcePolicy manifest oc-mirror or oc adm release mirror wrote.`);
    }
    readDocument(document.toJS({ maxAliasCount: 100 }), list.length > 1 ? `${file} document ${index + 1}` : file, file, out);
  });
  return out;
}

/**
 * containers/image `refMatchingPrefix`: the length of `ref` that `prefix` matches, or -1. The match
 * must end at a path boundary; `*.domain` matches the host of any subdomain.
 */
export function matchingPrefixLength(ref: string, prefix: string): number {
  if (prefix.startsWith('*.')) {
    const suffix = prefix.slice(1);
    const index = ref.indexOf(suffix);
    if (index === -1 || ref.slice(0, index).includes('/')) return -1;
    const end = index + suffix.length;
    if (end === ref.length) return end;
    return ':/@'.includes(ref[end] as string) ? end : -1;
  }
  if (ref.length < prefix.length || !ref.startsWith(prefix)) return -1;
  if (ref.length === prefix.length) return prefix.length;
  return ':/@'.includes(ref[prefix.length] as string) ? prefix.length : -1;
}

/**
 * The mirror repositories a cluster uses for `repository` (`host/path`, no scheme): the rules of the
 * longest matching source, merged in order, each mirror with the rest of the path appended.
 * Empty when no rule covers the repository.
 */
export function toMirrorRepositories(repository: string, rules: readonly MirrorRule[]): MappedMirror[] {
  let best: { source: string; length: number } | undefined;
  for (const rule of rules) {
    const length = matchingPrefixLength(repository, rule.source);
    // containers/image compares the lengths of the prefixes themselves.
    if (length !== -1 && (!best || rule.source.length > best.source.length)) best = { source: rule.source, length };
  }
  if (!best) return [];
  const chosen = best;
  const rest = repository.slice(chosen.length);
  const out = new Map<string, MappedMirror>();
  for (const rule of rules) {
    if (rule.source !== chosen.source) continue;
    for (const mirror of rule.mirrors) {
      const mapped = `${mirror}${rest}`;
      const existing = out.get(mapped);
      if (existing) {
        if (!existing.origins.includes(rule.origin)) existing.origins.push(rule.origin);
      } else {
        out.set(mapped, { repository: mapped, source: chosen.source, origins: [rule.origin] });
      }
    }
  }
  return [...out.values()];
}

/** The distinct sources of a rule set, for messages. */
export function describeSources(rules: readonly MirrorRule[]): string {
  const sources = [...new Set(rules.map((r) => r.source))];
  return sources.length === 0 ? '(none)' : sources.length > 8 ? `${sources.slice(0, 8).join(', ')}, … (${sources.length})` : sources.join(', ');
}
