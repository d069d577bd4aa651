/**
 * The cluster objects the machine-config operator renders node policies from, read as the API
 * server would have admitted them (openshift/api config/v1 types_image_policy.go, types_image.go):
 *
 *  - ClusterImagePolicy / ImagePolicy (config.openshift.io/v1 or v1alpha1): spec.scopes,
 *    spec.policy.rootOfTrust (PublicKey: keyData, rekorKeyData; FulcioCAWithRekor: fulcioCAData,
 *    rekorKeyData, fulcioSubject {oidcIssuer, signedEmail}; PKI: caRootsData, caIntermediatesData,
 *    pkiCertificateSubject {email, hostname}), spec.policy.signedIdentity;
 *  - Image (config.openshift.io/v1, the cluster-wide image configuration): spec.registrySources
 *    allowedRegistries, blockedRegistries and signedRegistries, the field the signedRegistries
 *    enhancement proposes (openshift/enhancements 6624aaec, enhancements/api-review/add-signedRegistries.md:
 *    `[{sigRequiredRegistriesOrImages: [...], gpgKeyPath: FILE}]`).
 *
 * Unknown fields are errors (a typo must not silently change what nodes enforce). Byte fields keep
 * their decoded bytes, since the rendered policy.json carries them again. Pure.
 */
import { parseAllDocuments } from 'yaml';
import { SigcheckError, describeError } from '../model/errors.ts';
import { decodeStdBase64 } from '../sigstore/encoding.ts';
import { parseNormalizedNamed, validateRemapPrefix, type IdentityRule } from '../sigstore/reference.ts';

export type RootOfTrust =
  | { policyType: 'PublicKey'; keyData: Uint8Array; rekorKeyData?: Uint8Array }
  | { policyType: 'FulcioCAWithRekor'; fulcioCAData: Uint8Array; rekorKeyData: Uint8Array; oidcIssuer: string; signedEmail: string }
  | { policyType: 'PKI'; caRootsData: Uint8Array; caIntermediatesData?: Uint8Array; email?: string; hostname?: string };

export interface ImagePolicyObject {
  kind: 'ClusterImagePolicy' | 'ImagePolicy';
  name: string;
  namespace?: string;
  scopes: string[];
  rootOfTrust: RootOfTrust;
  /** Undefined: the default (MatchRepoDigestOrExact). */
  signedIdentity?: IdentityRule;
  origin: string;
}

export interface SignedRegistry {
  scopes: string[];
  gpgKeyPath: string;
}

export interface ImageConfigObject {
  name: string;
  allowedRegistries: string[];
  blockedRegistries: string[];
  signedRegistries: SignedRegistry[];
  origin: string;
}

export interface ClusterManifests {
  policies: ImagePolicyObject[];
  image?: ImageConfigObject;
  /** Documents of other kinds that were skipped (IDMS/ICSP are read separately). */
  skipped: string[];
}

const DC = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST = `(?:${DC}(?:\\.${DC})+(?::[0-9]+)?|localhost(?::[0-9]+)?)`;
const PATH = '(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*';
/** openshift/api ImageScope validation, without nested quantifiers. */
const SCOPE_RE = new RegExp(`^${HOST}${PATH}(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,})?$`);
const WILDCARD_SCOPE_RE = new RegExp(`^\\*(?:\\.${DC})+$`);

class ManifestError extends Error {}
function fail(where: string, problem: string): never {
  throw new ManifestError(`${where}: ${problem}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function record(v: unknown, where: string): Record<string, unknown> {
  if (!isRecord(v)) fail(where, 'must be an object');
  return v;
}
function fields(obj: Record<string, unknown>, where: string, allowed: readonly string[]): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`${where}.${k}`, `unknown field (expected ${allowed.join(', ')})`);
}
function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') fail(where, 'must be a non-empty string');
  return v;
}
function strings(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail(where, 'must be a list of strings');
  return v.map((s, i) => str(s, `${where}[${i}]`));
}
/** A Kubernetes []byte field: base64 in YAML/JSON. */
function bytes(v: unknown, where: string, begin: string, end: string): Uint8Array {
  const text = str(v, where);
  const decoded = decodeStdBase64(text.trim());
  if (!decoded) fail(where, 'must be base64 (a Kubernetes []byte field)');
  const pem = decoded.toString('latin1');
  if (!pem.startsWith(begin)) fail(where, `must be the base64 of data starting with ${begin}`);
  if (!pem.endsWith(end) && !pem.endsWith(`${end}\n`)) fail(where, `must be the base64 of data ending with ${end}`);
  return new Uint8Array(decoded);
}
const PUBLIC = ['-----BEGIN PUBLIC KEY-----', '-----END PUBLIC KEY-----'] as const;
const CERT = ['-----BEGIN CERTIFICATE-----', '-----END CERTIFICATE-----'] as const;

function scope(v: unknown, where: string): string {
  const s = str(v, where);
  if (s.length > 512) fail(where, 'must be at most 512 characters');
  if (s.includes('*') ? !WILDCARD_SCOPE_RE.test(s) : !SCOPE_RE.test(s)) fail(where, `${JSON.stringify(s)} is not a valid scope (a fully qualified host or localhost, optionally a path and a tag or digest, or *.domain)`);
  return s;
}

function identity(v: unknown, where: string): IdentityRule | undefined {
  if (v === undefined || v === null) return undefined;
  const si = record(v, where);
  fields(si, where, ['matchPolicy', 'exactRepository', 'remapIdentity']);
  const prefix = (x: unknown, w: string) => {
    const s = str(x, w);
    const bad = validateRemapPrefix(s);
    if (bad) fail(w, bad);
    return s;
  };
  switch (si.matchPolicy) {
    case 'MatchRepoDigestOrExact':
      return { type: 'matchRepoDigestOrExact' };
    case 'MatchRepository':
      return { type: 'matchRepository' };
    case 'ExactRepository': {
      const er = record(si.exactRepository, `${where}.exactRepository`);
      fields(er, `${where}.exactRepository`, ['repository']);
      const repository = prefix(er.repository, `${where}.exactRepository.repository`);
      if (!parseNormalizedNamed(repository).ok) fail(`${where}.exactRepository.repository`, `${JSON.stringify(repository)} is not a repository`);
      return { type: 'exactRepository', dockerRepository: repository };
    }
    case 'RemapIdentity': {
      const ri = record(si.remapIdentity, `${where}.remapIdentity`);
      fields(ri, `${where}.remapIdentity`, ['prefix', 'signedPrefix']);
      return { type: 'remapIdentity', prefix: prefix(ri.prefix, `${where}.remapIdentity.prefix`), signedPrefix: prefix(ri.signedPrefix, `${where}.remapIdentity.signedPrefix`) };
    }
    default:
      return fail(`${where}.matchPolicy`, `must be MatchRepoDigestOrExact, MatchRepository, ExactRepository or RemapIdentity (got ${JSON.stringify(si.matchPolicy)})`);
  }
}

function rootOfTrust(v: unknown, where: string): RootOfTrust {
  const root = record(v, where);
  fields(root, where, ['policyType', 'publicKey', 'fulcioCAWithRekor', 'pki']);
  switch (root.policyType) {
    case 'PublicKey': {
      const pk = record(root.publicKey, `${where}.publicKey`);
      fields(pk, `${where}.publicKey`, ['keyData', 'rekorKeyData']);
      const keyData = bytes(pk.keyData, `${where}.publicKey.keyData`, ...PUBLIC);
      const rekor = pk.rekorKeyData === undefined || pk.rekorKeyData === null || pk.rekorKeyData === '' ? undefined : bytes(pk.rekorKeyData, `${where}.publicKey.rekorKeyData`, ...PUBLIC);
      return { policyType: 'PublicKey', keyData, ...(rekor ? { rekorKeyData: rekor } : {}) };
    }
    case 'FulcioCAWithRekor': {
      const f = record(root.fulcioCAWithRekor, `${where}.fulcioCAWithRekor`);
      fields(f, `${where}.fulcioCAWithRekor`, ['fulcioCAData', 'rekorKeyData', 'fulcioSubject']);
      const subject = record(f.fulcioSubject, `${where}.fulcioCAWithRekor.fulcioSubject`);
      fields(subject, `${where}.fulcioCAWithRekor.fulcioSubject`, ['oidcIssuer', 'signedEmail']);
      return {
        policyType: 'FulcioCAWithRekor',
        fulcioCAData: bytes(f.fulcioCAData, `${where}.fulcioCAWithRekor.fulcioCAData`, ...CERT),
        rekorKeyData: bytes(f.rekorKeyData, `${where}.fulcioCAWithRekor.rekorKeyData`, ...PUBLIC),
        oidcIssuer: str(subject.oidcIssuer, `${where}.fulcioCAWithRekor.fulcioSubject.oidcIssuer`),
        signedEmail: str(subject.signedEmail, `${where}.fulcioCAWithRekor.fulcioSubject.signedEmail`),
      };
    }
    case 'PKI': {
      const p = record(root.pki, `${where}.pki`);
      fields(p, `${where}.pki`, ['caRootsData', 'caIntermediatesData', 'pkiCertificateSubject']);
      const subject = record(p.pkiCertificateSubject, `${where}.pki.pkiCertificateSubject`);
      fields(subject, `${where}.pki.pkiCertificateSubject`, ['email', 'hostname']);
      const email = subject.email === undefined ? undefined : str(subject.email, `${where}.pki.pkiCertificateSubject.email`);
      const hostname = subject.hostname === undefined ? undefined : str(subject.hostname, `${where}.pki.pkiCertificateSubject.hostname`);
      if (!email && !hostname) fail(`${where}.pki.pkiCertificateSubject`, 'needs email or hostname');
      const intermediates = p.caIntermediatesData === undefined || p.caIntermediatesData === null ? undefined : bytes(p.caIntermediatesData, `${where}.pki.caIntermediatesData`, ...CERT);
      return {
        policyType: 'PKI',
        caRootsData: bytes(p.caRootsData, `${where}.pki.caRootsData`, ...CERT),
        ...(intermediates ? { caIntermediatesData: intermediates } : {}),
        ...(email ? { email } : {}),
        ...(hostname ? { hostname } : {}),
      };
    }
    default:
      return fail(`${where}.policyType`, `must be PublicKey, FulcioCAWithRekor or PKI (got ${JSON.stringify(root.policyType)})`);
  }
}

const API_VERSIONS = ['config.openshift.io/v1', 'config.openshift.io/v1alpha1'];

function readPolicy(doc: Record<string, unknown>, where: string, file: string): ImagePolicyObject {
  const kind = doc.kind as 'ClusterImagePolicy' | 'ImagePolicy';
  if (typeof doc.apiVersion !== 'string' || !API_VERSIONS.includes(doc.apiVersion)) fail(where, `apiVersion ${JSON.stringify(doc.apiVersion)} is not ${API_VERSIONS.join(' or ')}`);
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const name = str(metadata.name, `${where}.metadata.name`);
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  if (kind === 'ImagePolicy' && !namespace) fail(`${where}.metadata.namespace`, 'an ImagePolicy is namespaced: give metadata.namespace');
  const at = `${where} (${kind}/${name})`;
  const spec = record(doc.spec, `${at}.spec`);
  fields(spec, `${at}.spec`, ['scopes', 'policy']);
  if (!Array.isArray(spec.scopes) || spec.scopes.length === 0) fail(`${at}.spec.scopes`, 'must be a non-empty list');
  const scopes = spec.scopes.map((s, i) => scope(s, `${at}.spec.scopes[${i}]`));
  const policy = record(spec.policy, `${at}.spec.policy`);
  fields(policy, `${at}.spec.policy`, ['rootOfTrust', 'signedIdentity']);
  const signedIdentity = identity(policy.signedIdentity, `${at}.spec.policy.signedIdentity`);
  return {
    kind,
    name,
    ...(namespace && kind === 'ImagePolicy' ? { namespace } : {}),
    scopes,
    rootOfTrust: rootOfTrust(policy.rootOfTrust, `${at}.spec.policy.rootOfTrust`),
    ...(signedIdentity ? { signedIdentity } : {}),
    origin: `${kind}/${namespace && kind === 'ImagePolicy' ? `${namespace}/` : ''}${name} (${file})`,
  };
}

function readImage(doc: Record<string, unknown>, where: string, file: string): ImageConfigObject {
  if (doc.apiVersion !== 'config.openshift.io/v1') fail(where, `apiVersion ${JSON.stringify(doc.apiVersion)} is not config.openshift.io/v1`);
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const name = str(metadata.name, `${where}.metadata.name`);
  if (name !== 'cluster') fail(`${where}.metadata.name`, `the machine-config operator reads only the Image named "cluster" (got ${JSON.stringify(name)})`);
  const spec = doc.spec === undefined || doc.spec === null ? {} : record(doc.spec, `${where}.spec`);
  const sources = spec.registrySources === undefined || spec.registrySources === null ? {} : record(spec.registrySources, `${where}.spec.registrySources`);
  fields(sources, `${where}.spec.registrySources`, ['allowedRegistries', 'blockedRegistries', 'insecureRegistries', 'containerRuntimeSearchRegistries', 'signedRegistries']);
  const signed = sources.signedRegistries === undefined || sources.signedRegistries === null ? [] : sources.signedRegistries;
  if (!Array.isArray(signed)) fail(`${where}.spec.registrySources.signedRegistries`, 'must be a list');
  const signedRegistries = signed.map((entry, i) => {
    const at = `${where}.spec.registrySources.signedRegistries[${i}]`;
    const e = record(entry, at);
    fields(e, at, ['sigRequiredRegistriesOrImages', 'gpgKeyPath']);
    const scopes = strings(e.sigRequiredRegistriesOrImages, `${at}.sigRequiredRegistriesOrImages`);
    if (scopes.length === 0) fail(`${at}.sigRequiredRegistriesOrImages`, 'needs at least one registry or image');
    return { scopes, gpgKeyPath: str(e.gpgKeyPath, `${at}.gpgKeyPath`) };
  });
  const allowed = strings(sources.allowedRegistries, `${where}.spec.registrySources.allowedRegistries`);
  const blocked = strings(sources.blockedRegistries, `${where}.spec.registrySources.blockedRegistries`);
  if (allowed.length > 0 && blocked.length > 0) fail(`${where}.spec.registrySources`, 'only one of allowedRegistries or blockedRegistries may be specified');
  return { name, allowedRegistries: allowed, blockedRegistries: blocked, signedRegistries, origin: `Image/${name} (${file})` };
}

/** Reads every relevant document of a YAML/JSON text (several documents, or a List). Throws CONFIG naming the file and document. */
export function parseClusterManifests(text: string, file: string, into: ClusterManifests = { policies: [], skipped: [] }): ClusterManifests {
  try {
    const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((doc, index) => {
      const where = `${file} document ${index + 1}`;
      if (doc.errors.length > 0) fail(where, `invalid YAML: ${doc.errors[0]?.message ?? 'unknown error'}`);
      const value: unknown = doc.toJS({ maxAliasCount: 100 });
      if (value === null || value === undefined) return;
      const visit = (obj: Record<string, unknown>, at: string) => {
        if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
          obj.items.forEach((item, i) => visit(record(item, `${at} items[${i}]`), `${at} items[${i}]`));
          return;
        }
        if (obj.kind === 'ClusterImagePolicy' || obj.kind === 'ImagePolicy') into.policies.push(readPolicy(obj, at, file));
        else if (obj.kind === 'Image') {
          if (into.image) fail(at, `a second Image configuration (the first is ${into.image.origin}); give one`);
          into.image = readImage(obj, at, file);
        } else into.skipped.push(`${at}: kind ${JSON.stringify(obj.kind)}`);
      };
      visit(record(value, where), where);
    });
    return into;
  } catch (err) {
    if (err instanceof ManifestError) throw new SigcheckError('CONFIG', err.message, { file });
    if (err instanceof SigcheckError) throw err;
    throw new SigcheckError('CONFIG', `${file}: cannot read: ${describeError(err)}`, { file });
  }
}
