/**
 * Repository names, tags and the URLs of the distribution API built from them. Every tag and digest
 * is checked here before it becomes part of a URL: a digest like `sha256:../../x` or a tag with a
 * slash must never reach a path.
 */
import { isDigest, toDigest, type Digest } from '../model/digest.ts';
import { SigcheckError } from '../model/errors.ts';

export interface RepositoryRef {
  /** `https`, unless the repository was given as an explicit `http://` URL. */
  scheme: 'https' | 'http';
  /** `host[:port]`, lower-case. */
  host: string;
  /** The repository path inside the registry, e.g. `openshift-release-dev/ocp-release`. */
  name: string;
  /** `host/name`, as image references and signature identities spell it. */
  display: string;
  /** `https://quay.io`: the origin the distribution API lives under. */
  origin: string;
}

/** Distribution spec: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`. */
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** Distribution spec repository name: path components of lower-case alphanumerics and separators. */
const NAME_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const HOST_RE = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d{1,5})?$/;

export function isTag(value: unknown): value is string {
  return typeof value === 'string' && TAG_RE.test(value);
}

export function toTag(value: unknown, where = 'tag'): string {
  if (isTag(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 140)) : typeof value;
  throw new SigcheckError('INVALID_REFERENCE', `${where}: ${shown} is not a valid tag ([A-Za-z0-9_][A-Za-z0-9._-], at most 128 characters)`);
}

/** A manifest reference is a digest or a tag; anything that looks like a digest must be a well-formed one. */
export function toManifestReference(value: unknown, where = 'manifest reference'): Digest | string {
  if (isDigest(value)) return value;
  if (typeof value === 'string' && value.includes(':')) return toDigest(value, where);
  return toTag(value, where);
}

/**
 * Parses a repository as the user gives it: `quay.io/openshift-release-dev/ocp-release` (https),
 * `docker://host/path` (https), `https://host/path`, or `http://host[:port]/path`, the only way to ask
 * for plain HTTP.
 */
export function parseRepository(value: string, where = 'repository'): RepositoryRef {
  const raw = value.trim();
  let scheme: 'https' | 'http' = 'https';
  let rest = raw;
  const m = /^([a-z]+):\/\/(.*)$/i.exec(raw);
  if (m) {
    const given = (m[1] as string).toLowerCase();
    if (given === 'http') scheme = 'http';
    else if (given !== 'https' && given !== 'docker') {
      throw new SigcheckError('INVALID_REFERENCE', `${where}: ${JSON.stringify(raw)} has scheme ${given}://; use host/path, https://host/path or http://host/path`);
    }
    rest = m[2] as string;
  }
  rest = rest.replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const name = slash < 0 ? '' : rest.slice(slash + 1);
  if (!HOST_RE.test(host) || !NAME_RE.test(name) || name.length > 255) {
    throw new SigcheckError(
      'INVALID_REFERENCE',
      `${where}: ${JSON.stringify(raw)} is not a repository such as quay.io/openshift-release-dev/ocp-release or http://127.0.0.1:5000/ocp/release (host, then lower-case path components)`,
    );
  }
  const lowerHost = host.toLowerCase();
  return { scheme, host: lowerHost, name, display: `${lowerHost}/${name}`, origin: `${scheme}://${lowerHost}` };
}

/** `/v2/<name>/manifests/<reference>`, from a validated reference. */
export function manifestUrl(repo: RepositoryRef, reference: string): URL {
  const ref = toManifestReference(reference);
  return new URL(`${repo.origin}/v2/${repo.name}/manifests/${ref}`);
}

export function blobUrl(repo: RepositoryRef, digest: string): URL {
  const d = toDigest(digest, `blob of ${repo.display}`);
  return new URL(`${repo.origin}/v2/${repo.name}/blobs/${d}`);
}

export function referrersUrl(repo: RepositoryRef, digest: string): URL {
  const d = toDigest(digest, `referrers of ${repo.display}`);
  return new URL(`${repo.origin}/v2/${repo.name}/referrers/${d}`);
}

/** `host/name:tag` or `host/name@digest`, for reports. */
export function describeReference(repo: RepositoryRef, reference: string): string {
  return isDigest(reference) ? `${repo.display}@${reference}` : `${repo.display}:${reference}`;
}

/** The token scope that lets a client read a repository. */
export function pullScope(repo: RepositoryRef): string {
  return `repository:${repo.name}:pull`;
}
