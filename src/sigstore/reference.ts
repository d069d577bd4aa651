/**
 * Docker references and the identity rules of a `sigstoreSigned` policy requirement, exactly as
 * containers/image (the library CRI-O uses) implements them:
 *  - parsing and normalisation: containers/image `docker/reference` (normalize.go, reference.go, regexp.go),
 *    a fork of distribution/reference that still uses the `[-]*` path separator and knows no IPv6 hosts;
 *  - identity rules: containers/image `signature/policy_reference_match.go`.
 *
 * Everything here is pure and never throws on bad input: an unparsable reference simply does not match,
 * as in containers/image (its matchers return false on parse errors).
 */
import { SigcheckError } from '../model/errors.ts';

/** A parsed, normalised reference (`reference.Named`, possibly with a tag and/or a digest). */
export interface DockerReference {
  /** `quay.io`, `docker.io`, `localhost:5000`. */
  readonly domain: string;
  /** `openshift-release-dev/ocp-release`, `library/busybox`. */
  readonly path: string;
  /** `domain/path`: what containers/image calls Name(). */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

export type ParsedReference = { ok: true; ref: DockerReference } | { ok: false; reason: string };

// --- grammar (containers/image docker/reference/regexp.go) -----------------------------------------
// The upstream expressions are run by Go's linear-time RE2. JavaScript backtracks, so the two
// ambiguous pieces are rewritten to equivalent languages without nested quantifiers:
//  - path component `[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*`: an empty `[-]*` separator only splits a run
//    of alphanumerics, so the language equals the one with `-+`;
//  - domain component `[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]` equals `[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?`.
// Inputs are also capped in length (no valid reference is longer; see MAX_REFERENCE_LENGTH).
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;

const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_NAME_RE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)$`);
const ANCHORED_IDENTIFIER_RE = /^[a-f0-9]{64}$/;
export const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const DOMAIN_PREFIX_RE = new RegExp(`^${DOMAIN}/`);
const NAME_RE = new RegExp(`^${NAME}$`);

/** reference.NameTotalLengthMax */
const NAME_TOTAL_LENGTH_MAX = 255;
/** Name (255) + ':' + tag (128) + '@' + the longest digest go-digest accepts (sha512, 7 + 128): anything longer is invalid. */
const MAX_REFERENCE_LENGTH = 600;

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_NAME = 'library';

/** Encoded lengths go-digest accepts per algorithm (the algorithms containers/image links in). */
const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/** go-digest `Digest.Validate`: a known algorithm and a lowercase hex encoding of its exact length. */
export function validateGoDigest(value: string): string | undefined {
  const i = value.indexOf(':');
  if (i <= 0 || i + 1 === value.length) return `${JSON.stringify(value)} is not of the form algorithm:hex`;
  const algorithm = value.slice(0, i);
  const encoded = value.slice(i + 1);
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) return `digest algorithm ${JSON.stringify(algorithm)} is not supported`;
  if (encoded.length !== length || !/^[a-f0-9]+$/.test(encoded)) return `${JSON.stringify(value)} is not a valid ${algorithm} digest`;
  return undefined;
}

/** reference.Parse (no normalisation). */
function parseReference(s: string): ParsedReference {
  if (s.length > MAX_REFERENCE_LENGTH) return { ok: false, reason: `reference is ${s.length} characters long` };
  const m = REFERENCE_RE.exec(s);
  if (!m) {
    if (s === '') return { ok: false, reason: 'repository name must have at least one component' };
    if (REFERENCE_RE.test(s.toLowerCase())) return { ok: false, reason: 'repository name must be lowercase' };
    return { ok: false, reason: 'invalid reference format' };
  }
  const name = m[1] ?? '';
  if (name.length > NAME_TOTAL_LENGTH_MAX) return { ok: false, reason: `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters` };
  const nm = ANCHORED_NAME_RE.exec(name);
  const domain = nm?.[1] ?? '';
  const path = nm ? (nm[2] ?? '') : name;
  const tag = m[2];
  const digest = m[3];
  if (digest !== undefined) {
    const bad = validateGoDigest(digest);
    if (bad) return { ok: false, reason: bad };
  }
  const ref: DockerReference = {
    domain,
    path,
    name: domain === '' ? path : `${domain}/${path}`,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
  return { ok: true, ref };
}

/** normalize.go splitDockerDomain, containers/image flavour (no lowercase test on the first component). */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  if (i === -1 || (!/[.:]/.test(name.slice(0, i)) && name.slice(0, i) !== 'localhost')) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = name.slice(0, i);
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = `${OFFICIAL_REPO_NAME}/${remainder}`;
  return { domain, remainder };
}

/** reference.ParseNormalizedNamed: `busybox` becomes `docker.io/library/busybox`. */
export function parseNormalizedNamed(s: string): ParsedReference {
  if (typeof s !== 'string') return { ok: false, reason: 'reference is not a string' };
  if (s.length > MAX_REFERENCE_LENGTH) return { ok: false, reason: `reference is ${s.length} characters long` };
  if (ANCHORED_IDENTIFIER_RE.test(s)) return { ok: false, reason: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` };
  const { domain, remainder } = splitDockerDomain(s);
  const tagSep = remainder.indexOf(':');
  const remoteName = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  if (remoteName.toLowerCase() !== remoteName) return { ok: false, reason: 'invalid reference format: repository name must be lowercase' };
  return parseReference(`${domain}/${remainder}`);
}

/** reference.ParseNamed: like parseNormalizedNamed, but the input must already be in canonical form. */
export function parseCanonicalNamed(s: string): ParsedReference {
  const parsed = parseNormalizedNamed(s);
  if (!parsed.ok) return parsed;
  if (referenceString(parsed.ref) !== s) return { ok: false, reason: `${JSON.stringify(s)} is not in canonical form (${referenceString(parsed.ref)})` };
  return parsed;
}

/** Parses a repository name given by a user or a configuration (no tag, no digest); throws INVALID_REFERENCE. */
export function toRepositoryReference(s: string, where: string): DockerReference {
  const parsed = parseNormalizedNamed(s);
  if (!parsed.ok) throw new SigcheckError('INVALID_REFERENCE', `${where}: ${JSON.stringify(s)} is not a valid repository: ${parsed.reason}`);
  if (!isNameOnly(parsed.ref)) throw new SigcheckError('INVALID_REFERENCE', `${where}: ${JSON.stringify(s)} must be a repository without a tag or digest`);
  return parsed.ref;
}

/** String(): name[:tag][@digest]. */
export function referenceString(ref: DockerReference): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

export function isNameOnly(ref: DockerReference): boolean {
  return ref.tag === undefined && ref.digest === undefined;
}

/** A repository with a digest: the reference CRI-O evaluates its policy against when an image is pulled by digest. */
export function withDigest(repo: DockerReference, digest: string): DockerReference {
  return { domain: repo.domain, path: repo.path, name: repo.name, digest };
}

// --- identity rules (signature/policy_reference_match.go) -------------------------------------------

/** A `signedIdentity` of a `sigstoreSigned` requirement (containers-policy.json(5)). */
export type IdentityRule =
  | { type: 'matchExact' }
  | { type: 'matchRepoDigestOrExact' }
  | { type: 'matchRepository' }
  | { type: 'exactReference'; dockerReference: string }
  | { type: 'exactRepository'; dockerRepository: string }
  | { type: 'remapIdentity'; prefix: string; signedPrefix: string };

export type IdentityMatch = { ok: true; reason: string } | { ok: false; reason: string };

function yes(reason: string): IdentityMatch {
  return { ok: true, reason };
}
function no(reason: string): IdentityMatch {
  return { ok: false, reason };
}

/** matchRepoDigestOrExactReferenceValues */
function matchRepoDigestOrExactValues(intended: DockerReference, signature: DockerReference, signatureText: string): IdentityMatch {
  if (isNameOnly(signature)) {
    return no(`identity ${JSON.stringify(signatureText)} names a repository without a tag or digest, which matchRepoDigestOrExact rejects (sign with --sign-container-identity <repo>@<digest> or <repo>:<tag>)`);
  }
  if (intended.tag !== undefined) {
    // reference.NamedTagged, including a reference with both a tag and a digest: exact match.
    const want = referenceString(intended);
    const got = referenceString(signature);
    return got === want ? yes(`identity ${got} equals the pulled reference`) : no(`identity ${JSON.stringify(got)} is not the pulled reference ${want}`);
  }
  if (intended.digest !== undefined) {
    return signature.name === intended.name
      ? yes(`identity ${referenceString(signature)} is in repository ${intended.name}`)
      : no(`identity ${JSON.stringify(referenceString(signature))} names repository ${signature.name}, not ${intended.name}`);
  }
  return no(`the pulled reference ${intended.name} has neither a tag nor a digest`);
}

function parseSignatureIdentity(signatureIdentity: string): ParsedReference {
  const parsed = parseNormalizedNamed(signatureIdentity);
  if (!parsed.ok) return { ok: false, reason: `identity ${JSON.stringify(signatureIdentity)} is not a valid reference: ${parsed.reason}` };
  return parsed;
}

/** remapIdentity: does the intended name start with `prefix` (exactly, or followed by '/')? */
function refMatchesPrefix(ref: DockerReference, prefix: string): boolean {
  const name = ref.name;
  if (name.length < prefix.length) return false;
  if (name.length === prefix.length) return name === prefix;
  return name.startsWith(prefix) && name[prefix.length] === '/';
}

/** Remaps the intended reference as prmRemapIdentity.remapReferencePrefix does; undefined when the result does not parse. */
export function remapReference(intended: DockerReference, prefix: string, signedPrefix: string): ParsedReference {
  if (!refMatchesPrefix(intended, prefix)) return { ok: true, ref: intended };
  const text = referenceString(intended);
  // strings.Replace(refString, prefix, signedPrefix, 1): the first occurrence is at 0, since the name starts with it.
  const rewritten = signedPrefix + text.slice(prefix.length);
  const parsed = parseCanonicalNamed(rewritten);
  if (!parsed.ok) return { ok: false, reason: `error rewriting reference from ${JSON.stringify(text)} to ${JSON.stringify(rewritten)}: ${parsed.reason}` };
  return parsed;
}

/**
 * Does a signature claiming `signatureIdentity` satisfy `rule` for an image pulled as `intended`?
 * Mirrors `matchesDockerReference` of each PolicyReferenceMatch in containers/image.
 */
export function matchIdentity(rule: IdentityRule, intended: DockerReference, signatureIdentity: string): IdentityMatch {
  const sig = parseSignatureIdentity(signatureIdentity);
  if (!sig.ok) return no(sig.reason);
  const signature = sig.ref;
  switch (rule.type) {
    case 'matchExact': {
      if (isNameOnly(intended) || isNameOnly(signature)) return no(`matchExact needs a tag or digest on both the pulled reference and identity ${JSON.stringify(signatureIdentity)}`);
      const want = referenceString(intended);
      const got = referenceString(signature);
      return got === want ? yes(`identity ${got} equals the pulled reference`) : no(`identity ${JSON.stringify(got)} is not ${want}`);
    }
    case 'matchRepoDigestOrExact':
      return matchRepoDigestOrExactValues(intended, signature, signatureIdentity);
    case 'matchRepository':
      return signature.name === intended.name
        ? yes(`identity ${referenceString(signature)} is in repository ${intended.name}`)
        : no(`identity ${JSON.stringify(signatureIdentity)} names repository ${signature.name}, not ${intended.name}`);
    case 'exactReference': {
      const configured = parseNormalizedNamed(rule.dockerReference);
      if (!configured.ok) return no(`exactReference ${JSON.stringify(rule.dockerReference)} is invalid: ${configured.reason}`);
      if (isNameOnly(configured.ref) || isNameOnly(signature)) return no(`exactReference needs a tag or digest on both ${rule.dockerReference} and identity ${JSON.stringify(signatureIdentity)}`);
      const want = referenceString(configured.ref);
      const got = referenceString(signature);
      return got === want ? yes(`identity ${got} equals ${want}`) : no(`identity ${JSON.stringify(got)} is not ${want}`);
    }
    case 'exactRepository': {
      const configured = parseNormalizedNamed(rule.dockerRepository);
      if (!configured.ok) return no(`exactRepository ${JSON.stringify(rule.dockerRepository)} is invalid: ${configured.reason}`);
      return signature.name === configured.ref.name
        ? yes(`identity ${referenceString(signature)} is in the configured repository ${configured.ref.name}`)
        : no(`identity ${JSON.stringify(signatureIdentity)} names repository ${signature.name}, not the configured ${configured.ref.name}`);
    }
    case 'remapIdentity': {
      const remapped = remapReference(intended, rule.prefix, rule.signedPrefix);
      if (!remapped.ok) return no(remapped.reason);
      const result = matchRepoDigestOrExactValues(remapped.ref, signature, signatureIdentity);
      const note = remapped.ref === intended ? ` (${intended.name} is not under prefix ${rule.prefix}, so it is not remapped)` : ` (after remapping ${rule.prefix} to ${rule.signedPrefix})`;
      return { ok: result.ok, reason: result.reason + note };
    }
  }
}

/**
 * validateIdentityRemappingPrefix (signature/policy_config.go): a host[:port], or a name that starts
 * with a host. Returns the reason when invalid.
 */
export function validateRemapPrefix(s: string): string | undefined {
  if (s.length <= MAX_REFERENCE_LENGTH && (DOMAIN_RE.test(s) || (NAME_RE.test(s) && DOMAIN_PREFIX_RE.test(s)))) return undefined;
  return `prefix ${JSON.stringify(s)} is not valid: it must be host[:port] or host[:port]/path, without a tag or digest`;
}

/**
 * The policy.json scopes that apply to a repository, most specific first (containers/image
 * docker/policyconfiguration/naming.go DockerReferenceNamespaces): the repository, each parent
 * namespace, the host, then `*.`-wildcards of the host's parent domains.
 */
export function policyNamespaces(repo: DockerReference): string[] {
  const out: string[] = [];
  let name = repo.name;
  for (;;) {
    out.push(name);
    const slash = name.lastIndexOf('/');
    if (slash === -1) break;
    name = name.slice(0, slash);
  }
  const colon = name.indexOf(':');
  if (colon !== -1) name = name.slice(0, colon);
  for (;;) {
    const dot = name.indexOf('.');
    if (dot === -1) break;
    name = name.slice(dot + 1);
    out.push(`*.${name}`);
  }
  return out;
}
