/**
 * Sigstore trust: which keys and identity rule CRI-O applies to the release repository, read from
 * ClusterImagePolicy / ImagePolicy manifests (config.openshift.io/v1 and v1alpha1) the way the
 * machine-config operator turns them into /etc/containers/policy.json
 * (openshift/machine-config-operator pkg/controller/container-runtime-config: getValidScopePolicies,
 * policyItemFromSpec, updatePolicyJSON), and the way containers/image then picks the requirements for an
 * image: the most specific matching scope wins, and every requirement listed under it must be satisfied.
 *
 * - rootOfTrust.policyType PublicKey: publicKey.keyData (base64 of a PEM public key), optional
 *   rekorKeyData (then every signature needs a Rekor SET, see rekor.ts). FulcioCAWithRekor and PKI are
 *   refused: this tool does not implement certificate-based verification.
 * - signedIdentity.matchPolicy: MatchRepoDigestOrExact (also when signedIdentity is absent),
 *   MatchRepository, ExactRepository (exactRepository.repository), RemapIdentity (remapIdentity.prefix,
 *   signedPrefix).
 * - ClusterImagePolicies take precedence over ImagePolicies: the operator drops ImagePolicy scopes that
 *   equal or nest inside a ClusterImagePolicy scope, and a less specific one loses anyway.
 *
 * Default trust: the `openshift` ClusterImagePolicy OpenShift ships (src/trust/baked-keys.ts).
 */
import { readRegularFile } from '../fs/regular-file.ts';
import { parseAllDocuments } from 'yaml';
import { yamlOverBudget } from '../yaml/budget.ts';
import { SigcheckError, describeError } from '../model/errors.ts';
import { OPENSHIFT_CLUSTER_IMAGE_POLICY_YAML } from '../trust/baked-keys.ts';
import { decodeStdBase64 } from './encoding.ts';
import { REDHAT_RELEASE_3_NAME, describeKey, loadKeyFile, redHatReleaseKey3, toTrustedKey, type TrustedKey } from './keys.ts';
import {
  parseNormalizedNamed,
  policyNamespaces,
  toRepositoryReference,
  validateRemapPrefix,
  type DockerReference,
  type IdentityRule,
} from './reference.ts';

/** One `sigstoreSigned` requirement of policy.json, as generated from one policy document. */
export interface SigstoreRequirement {
  /** `ClusterImagePolicy/openshift (built in)`, `ImagePolicy/ns/name (policy.yaml)`. */
  origin: string;
  /** The policy.json scope this requirement sits under (the most specific one covering the repository). */
  scope: string;
  /** Any one of these keys suffices (keyData plus every `--sigstore-key`). */
  keys: TrustedKey[];
  /** When set, each signature also needs a Rekor SET signed by one of these keys. */
  rekorKeys?: TrustedKey[];
  identity: IdentityRule;
}

export interface SigstoreTrust {
  /** The repository the requirements were selected for (normalised name). */
  releaseRepo: string;
  /** Every one must be satisfied, each by any one signature (containers/image policy evaluation). */
  requirements: SigstoreRequirement[];
}

export interface ImagePolicyDocument {
  kind: 'ClusterImagePolicy' | 'ImagePolicy';
  apiVersion: string;
  name: string;
  namespace?: string;
  scopes: string[];
  keys: TrustedKey[];
  rekorKeys?: TrustedKey[];
  identity: IdentityRule;
  /** e.g. `ClusterImagePolicy/openshift (policy.yaml)`. */
  origin: string;
}

const API_VERSIONS = ['config.openshift.io/v1', 'config.openshift.io/v1alpha1'];
const MAX_POLICY_FILE_BYTES = 1024 * 1024;
const BUILT_IN = 'built in';

// openshift/api config/v1 ImageScope and IdentityRepositoryPrefix validation (CEL), rewritten without
// nested quantifiers (see reference.ts).
const DC = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST = `(?:${DC}(?:\\.${DC})+(?::[0-9]+)?|localhost(?::[0-9]+)?)`;
const PATH = '(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*';
const SCOPE_RE = new RegExp(`^${HOST}${PATH}(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,})?$`);
const WILDCARD_SCOPE_RE = new RegExp(`^\\*(?:\\.${DC})+$`);
const REPOSITORY_PREFIX_RE = new RegExp(`^${HOST}${PATH}$`);

function configError(where: string, message: string): never {
  throw new SigcheckError('CONFIG', `${where}: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** kubectl's strict field validation: an unknown field is an error (a typo must not silently change the policy). */
function expectFields(obj: Record<string, unknown>, where: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) configError(where, `unknown field ${JSON.stringify(key)} (expected ${allowed.join(', ')})`);
  }
}

function requireRecord(v: unknown, where: string): Record<string, unknown> {
  if (!isRecord(v)) configError(where, 'must be an object');
  return v;
}

function requireString(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') configError(where, 'must be a non-empty string');
  return v;
}

/** keyData / rekorKeyData: a Kubernetes []byte field, i.e. base64 of a PEM public key. */
function readKeyData(v: unknown, where: string, name: string): TrustedKey {
  const text = requireString(v, where);
  const bytes = decodeStdBase64(text.trim());
  if (!bytes) configError(where, 'must be base64-encoded PEM (the field is a Kubernetes []byte); encode the PEM file with `base64 -w0`');
  const pem = bytes.toString('latin1');
  if (!pem.startsWith('-----BEGIN PUBLIC KEY-----')) configError(where, "must be the base64 encoding of a PEM block starting with '-----BEGIN PUBLIC KEY-----'");
  if (!pem.endsWith('-----END PUBLIC KEY-----') && !pem.endsWith('-----END PUBLIC KEY-----\n')) {
    configError(where, "must be the base64 encoding of a PEM block ending with '-----END PUBLIC KEY-----'");
  }
  // containers/image reads only the first PEM block of keyData.
  return toTrustedKey(pem, name, where);
}

function validateScope(scope: unknown, where: string): string {
  const s = requireString(scope, where);
  if (s.length > 512) configError(where, 'must be at most 512 characters');
  if (s.includes('*')) {
    if (!WILDCARD_SCOPE_RE.test(s)) configError(where, `${JSON.stringify(s)}: a wildcard is only allowed as a leading "*." of a domain`);
    return s;
  }
  if (!SCOPE_RE.test(s)) configError(where, `${JSON.stringify(s)} is not a valid scope: it must start with a fully qualified domain or localhost, e.g. quay.io/openshift-release-dev/ocp-release`);
  return s;
}

function validateRepositoryPrefix(v: unknown, where: string): string {
  const s = requireString(v, where);
  if (s.length > 512 || !REPOSITORY_PREFIX_RE.test(s)) {
    configError(where, `${JSON.stringify(s)} must be host[:port] or host[:port]/path (a fully qualified domain or localhost), without a tag or digest`);
  }
  return s;
}

function readIdentity(v: unknown, where: string): IdentityRule {
  if (v === undefined || v === null) return { type: 'matchRepoDigestOrExact' };
  const si = requireRecord(v, where);
  expectFields(si, where, ['matchPolicy', 'exactRepository', 'remapIdentity']);
  const policy = si.matchPolicy;
  const has = (k: string): boolean => si[k] !== undefined && si[k] !== null;
  if (policy !== 'ExactRepository' && has('exactRepository')) configError(where, 'exactRepository is required when matchPolicy is ExactRepository, and forbidden otherwise');
  if (policy !== 'RemapIdentity' && has('remapIdentity')) configError(where, 'remapIdentity is required when matchPolicy is RemapIdentity, and forbidden otherwise');
  switch (policy) {
    case undefined:
    case null:
      return configError(`${where}.matchPolicy`, 'is required when signedIdentity is set (MatchRepoDigestOrExact, MatchRepository, ExactRepository or RemapIdentity)');
    case 'MatchRepoDigestOrExact':
      return { type: 'matchRepoDigestOrExact' };
    case 'MatchRepository':
      return { type: 'matchRepository' };
    case 'ExactRepository': {
      const er = requireRecord(si.exactRepository, `${where}.exactRepository`);
      expectFields(er, `${where}.exactRepository`, ['repository']);
      const repository = validateRepositoryPrefix(er.repository, `${where}.exactRepository.repository`);
      const parsed = parseNormalizedNamed(repository);
      if (!parsed.ok) configError(`${where}.exactRepository.repository`, `invalid format of dockerRepository ${JSON.stringify(repository)}: ${parsed.reason}`);
      return { type: 'exactRepository', dockerRepository: repository };
    }
    case 'RemapIdentity': {
      const ri = requireRecord(si.remapIdentity, `${where}.remapIdentity`);
      expectFields(ri, `${where}.remapIdentity`, ['prefix', 'signedPrefix']);
      const prefix = validateRepositoryPrefix(ri.prefix, `${where}.remapIdentity.prefix`);
      const signedPrefix = validateRepositoryPrefix(ri.signedPrefix, `${where}.remapIdentity.signedPrefix`);
      for (const [field, value] of [['prefix', prefix], ['signedPrefix', signedPrefix]] as const) {
        const bad = validateRemapPrefix(value);
        if (bad) configError(`${where}.remapIdentity.${field}`, bad);
      }
      return { type: 'remapIdentity', prefix, signedPrefix };
    }
    default:
      return configError(`${where}.matchPolicy`, `unknown match policy ${JSON.stringify(policy)} (MatchRepoDigestOrExact, MatchRepository, ExactRepository or RemapIdentity)`);
  }
}

function keyName(key: TrustedKey, fallback: string): string {
  return key.fingerprint === redHatReleaseKey3().fingerprint ? REDHAT_RELEASE_3_NAME : fallback;
}

function readPolicyDocument(doc: Record<string, unknown>, where: string, fileLabel: string): ImagePolicyDocument {
  const apiVersion = doc.apiVersion;
  const kind = doc.kind;
  if (kind !== 'ClusterImagePolicy' && kind !== 'ImagePolicy') {
    configError(where, `kind is ${JSON.stringify(kind)}, expected ClusterImagePolicy or ImagePolicy`);
  }
  if (typeof apiVersion !== 'string' || !API_VERSIONS.includes(apiVersion)) {
    configError(where, `apiVersion is ${JSON.stringify(apiVersion)}, expected ${API_VERSIONS.join(' or ')}`);
  }
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : '(unnamed)';
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
  const origin = `${kind}/${kind === 'ImagePolicy' && namespace ? `${namespace}/` : ''}${name} (${fileLabel})`;
  const at = `${where} (${kind}/${name})`;

  const spec = requireRecord(doc.spec, `${at} spec`);
  expectFields(spec, `${at} spec`, ['scopes', 'policy']);
  if (!Array.isArray(spec.scopes) || spec.scopes.length === 0) configError(`${at} spec.scopes`, 'must be a non-empty list');
  if (spec.scopes.length > 256) configError(`${at} spec.scopes`, 'holds more than 256 scopes');
  const scopes = spec.scopes.map((s, i) => validateScope(s, `${at} spec.scopes[${i}]`));

  const policy = requireRecord(spec.policy, `${at} spec.policy`);
  expectFields(policy, `${at} spec.policy`, ['rootOfTrust', 'signedIdentity']);
  const root = requireRecord(policy.rootOfTrust, `${at} spec.policy.rootOfTrust`);
  expectFields(root, `${at} spec.policy.rootOfTrust`, ['policyType', 'publicKey', 'fulcioCAWithRekor', 'pki']);
  const policyType = root.policyType;
  if (policyType === 'FulcioCAWithRekor' || policyType === 'PKI') {
    configError(`${at} spec.policy.rootOfTrust.policyType`, `${policyType} is not supported by release-sigcheck, which verifies PublicKey policies only (the policy OpenShift ships for its release images)`);
  }
  if (policyType !== 'PublicKey') configError(`${at} spec.policy.rootOfTrust.policyType`, `must be PublicKey, FulcioCAWithRekor or PKI (got ${JSON.stringify(policyType)})`);
  if (root.fulcioCAWithRekor !== undefined || root.pki !== undefined) configError(`${at} spec.policy.rootOfTrust`, 'fulcioCAWithRekor and pki are forbidden when policyType is PublicKey');
  const publicKey = requireRecord(root.publicKey, `${at} spec.policy.rootOfTrust.publicKey`);
  expectFields(publicKey, `${at} spec.policy.rootOfTrust.publicKey`, ['keyData', 'rekorKeyData']);
  const key = readKeyData(publicKey.keyData, `${at} spec.policy.rootOfTrust.publicKey.keyData`, `${kind}/${name} keyData`);
  const named: TrustedKey = { ...key, name: keyName(key, key.name) };

  const result: ImagePolicyDocument = {
    kind,
    apiVersion,
    name,
    scopes,
    keys: [named],
    identity: readIdentity(policy.signedIdentity, `${at} spec.policy.signedIdentity`),
    origin,
  };
  if (namespace) result.namespace = namespace;
  if (publicKey.rekorKeyData !== undefined && publicKey.rekorKeyData !== null && publicKey.rekorKeyData !== '') {
    const rekorKey = readKeyData(publicKey.rekorKeyData, `${at} spec.policy.rootOfTrust.publicKey.rekorKeyData`, `${kind}/${name} rekorKeyData`);
    if (rekorKey.algorithm !== 'ecdsa') configError(`${at} spec.policy.rootOfTrust.publicKey.rekorKeyData`, 'the Rekor public key is not using ECDSA (containers/image refuses it)');
    result.rekorKeys = [rekorKey];
  }
  return result;
}

/**
 * Parses every ClusterImagePolicy / ImagePolicy in a YAML or JSON text: several documents, or a `List`
 * (as `oc get clusterimagepolicy -o yaml` prints). Throws CONFIG naming the file and document.
 */
export function parseImagePolicies(text: string, fileLabel: string): ImagePolicyDocument[] {
  const over = yamlOverBudget(text);
  if (over) return configError(fileLabel, `not parsed: ${over}`);
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  } catch (err) {
    return configError(fileLabel, `cannot parse YAML: ${describeError(err)}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const out: ImagePolicyDocument[] = [];
  list.forEach((doc, index) => {
    const where = `${fileLabel} document ${index + 1}`;
    if (doc.errors.length > 0) configError(where, `invalid YAML: ${doc.errors[0]?.message ?? 'unknown error'}`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      configError(where, `invalid YAML: ${describeError(err)}`);
    }
    if (value === null || value === undefined) return;
    const obj = requireRecord(value, where);
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      obj.items.forEach((item, i) => out.push(readPolicyDocument(requireRecord(item, `${where} items[${i}]`), `${where} items[${i}]`, fileLabel)));
      return;
    }
    out.push(readPolicyDocument(obj, where, fileLabel));
  });
  if (out.length === 0) configError(fileLabel, 'holds no ClusterImagePolicy or ImagePolicy');
  return out;
}

/** The scopes of `docs` that cover `repo`, most specific first. */
function coveringScope(docs: readonly ImagePolicyDocument[], repo: DockerReference): { scope: string; docs: ImagePolicyDocument[] } | undefined {
  for (const namespace of policyNamespaces(repo)) {
    const matching = docs.filter((d) => d.scopes.includes(namespace));
    if (matching.length > 0) return { scope: namespace, docs: matching };
  }
  return undefined;
}

/**
 * The requirements CRI-O applies to images of `releaseRepo` under `docs`, or undefined when no scope
 * covers it. Extra keys are added to every requirement (any one key of a requirement suffices).
 */
export function selectRequirements(
  docs: readonly ImagePolicyDocument[],
  releaseRepo: DockerReference,
  extraKeys: readonly TrustedKey[] = [],
): SigstoreRequirement[] | undefined {
  const cluster = docs.filter((d) => d.kind === 'ClusterImagePolicy');
  const namespaced = docs.filter((d) => d.kind === 'ImagePolicy');
  const chosen = coveringScope(cluster, releaseRepo) ?? coveringScope(namespaced, releaseRepo);
  if (!chosen) return undefined;
  return chosen.docs.map((d) => {
    const req: SigstoreRequirement = {
      origin: d.origin,
      scope: chosen.scope,
      keys: [...d.keys, ...extraKeys],
      identity: d.identity,
    };
    if (d.rekorKeys) req.rekorKeys = d.rekorKeys;
    return req;
  });
}

function describeScopes(docs: readonly ImagePolicyDocument[]): string {
  const scopes = [...new Set(docs.flatMap((d) => d.scopes))];
  return scopes.length > 6 ? `${scopes.slice(0, 6).join(', ')}, … (${scopes.length} scopes)` : scopes.join(', ');
}

export interface LoadSigstoreTrustOptions {
  /** `--sigstore-key FILE` (PEM), added to the policy's keys. */
  keyFiles?: string[];
  /** `--image-policy FILE`: replaces the built-in `openshift` ClusterImagePolicy. */
  imagePolicyFile?: string;
  /** The repository CRI-O pulls releases from, as named in the policy (not a mirror). */
  releaseRepo: string;
}

/** The policy documents in force: the file given, else the built-in `openshift` ClusterImagePolicy. */
async function readPolicyDocuments(imagePolicyFile: string | undefined): Promise<ImagePolicyDocument[]> {
  if (imagePolicyFile === undefined) return parseImagePolicies(OPENSHIFT_CLUSTER_IMAGE_POLICY_YAML, BUILT_IN);
  const file = imagePolicyFile;
  const bytes = await readRegularFile(file, { maxBytes: MAX_POLICY_FILE_BYTES, what: '--image-policy' });
  return parseImagePolicies(Buffer.from(bytes).toString('utf8'), file);
}

/**
 * Sigstore trust for the component images of releases (docs/verdicts.md, "Components"): for each
 * component repository, the requirements of the scope that covers it, as for the release repository,
 * or none when no scope does (clusters do not verify such an image). The `openshift` ClusterImagePolicy
 * covers ocp-release, ocp-v4.0-art-dev and ocp-v5.0-art-dev (since 2026-02; research/sigstore.md 2.4).
 * A `--sigstore-key` without a policy that covers the release repository trusts that key for the
 * release repository only: it says nothing about where components live.
 */
export interface ComponentTrust {
  /** The requirements CRI-O applies to images of `repository` (`host/path`), or undefined when no scope covers it. */
  trustFor(repository: string): SigstoreTrust | undefined;
  /** Stable text of everything the verdicts depend on (documents, scopes, keys, identity rules), for cache keys. */
  readonly fingerprint: string;
}

export async function loadComponentTrust(options: Omit<LoadSigstoreTrustOptions, 'releaseRepo'>): Promise<ComponentTrust> {
  const extraKeys = await Promise.all((options.keyFiles ?? []).map((f) => loadKeyFile(f)));
  const docs = await readPolicyDocuments(options.imagePolicyFile);
  const byRepo = new Map<string, SigstoreTrust | undefined>();
  const fingerprint = JSON.stringify(
    docs.map((d) => ({ kind: d.kind, origin: d.origin, scopes: d.scopes, keys: [...d.keys, ...extraKeys].map((k) => k.fingerprint).sort(), rekor: d.rekorKeys?.map((k) => k.fingerprint), identity: d.identity })),
  );
  return {
    fingerprint,
    trustFor(repository: string): SigstoreTrust | undefined {
      if (byRepo.has(repository)) return byRepo.get(repository);
      const parsed = parseNormalizedNamed(repository);
      let trust: SigstoreTrust | undefined;
      if (parsed.ok) {
        const requirements = selectRequirements(docs, parsed.ref, extraKeys);
        if (requirements) trust = { releaseRepo: parsed.ref.name, requirements };
      }
      if (byRepo.size < 1024) byRepo.set(repository, trust);
      return trust;
    },
  };
}

export async function loadSigstoreTrust(options: LoadSigstoreTrustOptions): Promise<SigstoreTrust> {
  let repo: DockerReference;
  try {
    repo = toRepositoryReference(options.releaseRepo, 'release repository');
  } catch (err) {
    throw new SigcheckError('CONFIG', describeError(err), { cause: err });
  }
  const extraKeys = await Promise.all((options.keyFiles ?? []).map((f) => loadKeyFile(f)));

  const docs = await readPolicyDocuments(options.imagePolicyFile);
  const requirements = selectRequirements(docs, repo, extraKeys);
  if (requirements) return { releaseRepo: repo.name, requirements };

  if (options.imagePolicyFile === undefined && extraKeys.length > 0) {
    // No policy for this repository, but keys were given: check signatures like a ClusterImagePolicy with
    // those keys and the default identity rule would.
    return {
      releaseRepo: repo.name,
      requirements: [{ origin: '--sigstore-key', scope: repo.name, keys: extraKeys, identity: { type: 'matchRepoDigestOrExact' } }],
    };
  }
  const source = options.imagePolicyFile !== undefined ? `--image-policy ${options.imagePolicyFile}` : 'the built-in openshift ClusterImagePolicy';
  throw new SigcheckError(
    'CONFIG',
    `${source} does not cover ${repo.name}: its scopes are ${describeScopes(docs)}. ` +
      (options.imagePolicyFile !== undefined
        ? `Add a scope that covers ${repo.name} (the repository itself, a parent namespace or its host), or check another repository.`
        : `Pass --image-policy FILE with a ClusterImagePolicy whose scopes cover ${repo.name}, or --sigstore-key FILE.`),
  );
}

/** One line describing the trust, for reports and `--verbose` output. */
export function describeTrust(trust: SigstoreTrust): string {
  return trust.requirements
    .map((r) => `${r.origin} [scope ${r.scope}]: ${r.keys.map(describeKey).join(' or ')}; identity ${describeIdentityRule(r.identity)}${r.rekorKeys ? '; Rekor SET required' : ''}`)
    .join(' AND ');
}

export function describeIdentityRule(rule: IdentityRule): string {
  switch (rule.type) {
    case 'exactRepository':
      return `exactRepository ${rule.dockerRepository}`;
    case 'exactReference':
      return `exactReference ${rule.dockerReference}`;
    case 'remapIdentity':
      return `remapIdentity ${rule.prefix} -> ${rule.signedPrefix}`;
    default:
      return rule.type;
  }
}
