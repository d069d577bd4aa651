/**
 * containers-policy.json(5), parsed as containers/image parses it (signature/policy_config.go,
 * signature/policy_config_sigstore.go): a policy file either loads whole or not at all, and CRI-O
 * refuses to pull anything under a policy it cannot load. So every problem here is a configuration
 * error (code POLICY_JSON) naming the file and the JSON path, never a verdict.
 *
 * What containers/image checks, and this parser with it:
 *  - the top level has only `default` (required, a non-empty list) and `transports`; every object is
 *    read with ParanoidUnmarshalJSONObject: unknown keys and duplicate keys are errors;
 *  - a requirement list is non-empty; each requirement is an object whose `type` is one of
 *    insecureAcceptAnything, reject, signedBy, signedBaseLayer, sigstoreSigned ("Unknown policy
 *    requirement type" otherwise), with exactly the fields that type knows;
 *  - signedBy: `keyType` one of GPGKeys, signedByGPGKeys, X509Certificates, signedByX509CAs; exactly
 *    one of `keyPath` (non-empty), `keyPaths`, `keyData` (base64); `signedIdentity` optional
 *    (default matchRepoDigestOrExact);
 *  - sigstoreSigned: exactly one of `keyPath`, `keyPaths` (non-empty), `keyData`, `keyDatas`
 *    (non-empty), `fulcio`, `pki`; at most one of the four `rekorPublicKey*`; fulcio needs one, pki
 *    forbids them; `signedIdentity` optional (default matchRepoDigestOrExact);
 *  - signedIdentity: matchExact, matchRepoDigestOrExact, matchRepository (no other field),
 *    exactReference (`dockerReference`, with a tag or digest), exactRepository (`dockerRepository`),
 *    remapIdentity (`prefix`, `signedPrefix`, each host[:port] or host[:port]/path).
 *
 * Deliberately stricter (each is an error here where Go would read the value as absent or as a
 * replacement character): JSON `null` in place of any value, invalid UTF-8. Scope names are not
 * validated for the docker transport (containers/image does not either:
 * docker/docker_transport.go ValidatePolicyConfigurationScope accepts any string); scopes of other
 * transports are kept but not validated (only the docker transport is evaluated).
 *
 * Pure: bytes in, a typed policy out. Key files named by the policy are read by trust.ts.
 */
import { SigcheckError } from '../model/errors.ts';
import { JsonNumber, isJsonObject, parseStrictJson, type JsonObject, type JsonValue } from '../json/strict.ts';
import { decodeStdBase64 } from '../sigstore/encoding.ts';
import { isNameOnly, parseNormalizedNamed, validateRemapPrefix, type IdentityRule } from '../sigstore/reference.ts';

/** A policy.json is a few KiB; inline keys make it larger, never this large. */
export const MAX_POLICY_JSON_BYTES = 1024 * 1024;

export type SignedByKeyType = 'GPGKeys' | 'signedByGPGKeys' | 'X509Certificates' | 'signedByX509CAs';
const SIGNED_BY_KEY_TYPES: readonly SignedByKeyType[] = ['GPGKeys', 'signedByGPGKeys', 'X509Certificates', 'signedByX509CAs'];

/** Where key material comes from: files (read when the requirement is used) or inline data. */
export type KeySource =
  | { kind: 'paths'; field: string; paths: string[]; at: string }
  | { kind: 'data'; field: string; data: Uint8Array[]; at: string };

interface Located {
  /** The JSON path of this requirement, e.g. `transports.docker["quay.io/x"][0]`. */
  at: string;
}

export interface InsecureAcceptAnythingRequirement extends Located {
  type: 'insecureAcceptAnything';
}
export interface RejectRequirement extends Located {
  type: 'reject';
}
export interface SignedByRequirement extends Located {
  type: 'signedBy';
  keyType: SignedByKeyType;
  keys: KeySource;
  signedIdentity: IdentityRule;
}
export interface SignedBaseLayerRequirement extends Located {
  type: 'signedBaseLayer';
  baseLayerIdentity: IdentityRule;
}
export type SigstoreRoot =
  | { kind: 'keys'; keys: KeySource }
  /** Keyless (Fulcio certificates with a Rekor SET): this tool cannot evaluate it. */
  | { kind: 'fulcio'; at: string; oidcIssuer: string; subjectEmail: string }
  /** X.509 certificates from a configured PKI: this tool cannot evaluate it. */
  | { kind: 'pki'; at: string };
export interface SigstoreSignedRequirement extends Located {
  type: 'sigstoreSigned';
  root: SigstoreRoot;
  rekor?: KeySource;
  signedIdentity: IdentityRule;
}
export type PolicyRequirement = InsecureAcceptAnythingRequirement | RejectRequirement | SignedByRequirement | SignedBaseLayerRequirement | SigstoreSignedRequirement;

export interface RequirementList {
  /** JSON path of the list, e.g. `default` or `transports.docker["quay.io"]`. */
  at: string;
  requirements: PolicyRequirement[];
}

export interface PolicyJson {
  /** The file as the user named it, for messages. */
  file: string;
  default: RequirementList;
  /** transport name -> scope -> requirements (the scope "" is the transport's default). */
  transports: ReadonlyMap<string, ReadonlyMap<string, RequirementList>>;
}

// --- JSON paths ---------------------------------------------------------------------------------------

/** `a.b` for a plain key, `a["x.y"]` for anything else. */
export function childPath(at: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return at === '' ? key : `${at}.${key}`;
  return `${at}[${JSON.stringify(key)}]`;
}

export function indexPath(at: string, index: number): string {
  return `${at}[${index}]`;
}

/** A scope key is always bracketed, so `transports.docker["quay.io"]` reads as one scope. */
export function scopePath(transport: string, scope: string): string {
  return `${childPath('transports', transport)}[${JSON.stringify(scope)}]`;
}

// --- reading helpers ----------------------------------------------------------------------------------

class Reader {
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  fail(at: string, problem: string, fix = 'Fix the policy file: containers/image (CRI-O, podman) refuses to load it, and then refuses every image.'): never {
    throw new SigcheckError('POLICY_JSON', `${this.file}: ${at || '(top level)'}: ${problem}. ${fix}`, { file: this.file, jsonPath: at });
  }

  describe(v: JsonValue | undefined): string {
    if (v === undefined) return 'missing';
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'a list';
    if (v instanceof JsonNumber) return `the number ${v.text.slice(0, 30)}`;
    if (typeof v === 'object') return 'an object';
    if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 60))}`;
    return `${String(v)}`;
  }

  object(v: JsonValue | undefined, at: string): JsonObject {
    if (!isJsonObject(v)) this.fail(at, `must be a JSON object, not ${this.describe(v)}`);
    return v;
  }

  /** ParanoidUnmarshalJSONObject: only `allowed` keys. */
  keys(obj: JsonObject, at: string, allowed: readonly string[], what: string): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) this.fail(childPath(at, k), `unknown key ${JSON.stringify(k)} in ${what} (allowed: ${allowed.join(', ')})`, 'Remove or correct the key: containers/image refuses a policy with unknown keys, so CRI-O would refuse every image.');
    }
  }

  /** ParanoidUnmarshalJSONObjectExactFields: exactly `fields`. */
  exact(obj: JsonObject, at: string, fields: readonly string[], what: string): void {
    this.keys(obj, at, fields, what);
    for (const f of fields) if (!Object.hasOwn(obj, f)) this.fail(childPath(at, f), `${what} needs key ${JSON.stringify(f)}`);
  }

  string(v: JsonValue | undefined, at: string): string {
    if (typeof v !== 'string') this.fail(at, `must be a string, not ${this.describe(v)}`);
    return v;
  }

  stringList(v: JsonValue | undefined, at: string): string[] {
    if (!Array.isArray(v)) this.fail(at, `must be a list of strings, not ${this.describe(v)}`);
    return v.map((item, i) => this.string(item, indexPath(at, i)));
  }

  /** A Go []byte field: a standard base64 string (padding required, line breaks ignored). */
  bytes(v: JsonValue | undefined, at: string): Uint8Array {
    const text = this.string(v, at);
    const decoded = decodeStdBase64(text);
    if (!decoded) this.fail(at, 'is not valid base64 (a []byte field holds the base64 of the data, not a path or the data itself)', 'Put the base64 of the key file here (`base64 -w0 key.gpg`), or use keyPath with the file\'s path.');
    return new Uint8Array(decoded);
  }

  bytesList(v: JsonValue | undefined, at: string): Uint8Array[] {
    if (!Array.isArray(v)) this.fail(at, `must be a list of base64 strings, not ${this.describe(v)}`);
    return v.map((item, i) => this.bytes(item, indexPath(at, i)));
  }
}

// --- identities ---------------------------------------------------------------------------------------

const IDENTITY_TYPES = ['matchExact', 'matchRepoDigestOrExact', 'matchRepository', 'exactReference', 'exactRepository', 'remapIdentity'] as const;

/** newPolicyReferenceMatchFromJSON */
function readIdentity(r: Reader, v: JsonValue | undefined, at: string): IdentityRule {
  const obj = r.object(v, at);
  const type = obj.type;
  if (typeof type !== 'string' || !(IDENTITY_TYPES as readonly string[]).includes(type)) {
    r.fail(childPath(at, 'type'), `unknown policy reference match type ${type === undefined ? '(none)' : JSON.stringify(type)} (one of ${IDENTITY_TYPES.join(', ')})`);
  }
  switch (type) {
    case 'matchExact':
    case 'matchRepoDigestOrExact':
    case 'matchRepository':
      r.exact(obj, at, ['type'], `a ${type} identity`);
      return { type };
    case 'exactReference': {
      r.exact(obj, at, ['type', 'dockerReference'], 'an exactReference identity');
      const ref = r.string(obj.dockerReference, childPath(at, 'dockerReference'));
      const parsed = parseNormalizedNamed(ref);
      if (!parsed.ok) r.fail(childPath(at, 'dockerReference'), `invalid format of dockerReference ${JSON.stringify(ref)}: ${parsed.reason}`);
      if (isNameOnly(parsed.ref)) r.fail(childPath(at, 'dockerReference'), `dockerReference ${JSON.stringify(ref)} contains neither a tag nor digest`);
      return { type, dockerReference: ref };
    }
    case 'exactRepository': {
      r.exact(obj, at, ['type', 'dockerRepository'], 'an exactRepository identity');
      const repo = r.string(obj.dockerRepository, childPath(at, 'dockerRepository'));
      const parsed = parseNormalizedNamed(repo);
      if (!parsed.ok) r.fail(childPath(at, 'dockerRepository'), `invalid format of dockerRepository ${JSON.stringify(repo)}: ${parsed.reason}`);
      return { type, dockerRepository: repo };
    }
    default: {
      r.exact(obj, at, ['type', 'prefix', 'signedPrefix'], 'a remapIdentity identity');
      const prefix = r.string(obj.prefix, childPath(at, 'prefix'));
      const signedPrefix = r.string(obj.signedPrefix, childPath(at, 'signedPrefix'));
      for (const [field, value] of [['prefix', prefix], ['signedPrefix', signedPrefix]] as const) {
        const bad = validateRemapPrefix(value);
        if (bad) r.fail(childPath(at, field), bad);
      }
      return { type: 'remapIdentity', prefix, signedPrefix };
    }
  }
}

// --- requirements -------------------------------------------------------------------------------------

const REQUIREMENT_TYPES = ['insecureAcceptAnything', 'reject', 'signedBy', 'signedBaseLayer', 'sigstoreSigned'] as const;

function readSignedBy(r: Reader, obj: JsonObject, at: string): SignedByRequirement {
  r.keys(obj, at, ['type', 'keyType', 'keyPath', 'keyPaths', 'keyData', 'signedIdentity'], 'a signedBy requirement');
  const keyType = obj.keyType;
  if (typeof keyType !== 'string' || !(SIGNED_BY_KEY_TYPES as readonly string[]).includes(keyType)) {
    r.fail(childPath(at, 'keyType'), `${keyType === undefined ? 'is missing' : `${JSON.stringify(keyType)} is not a keyType`}: it must be one of ${SIGNED_BY_KEY_TYPES.join(', ')} (GPGKeys for OpenPGP keys)`);
  }
  const present = (['keyPath', 'keyPaths', 'keyData'] as const).filter((k) => Object.hasOwn(obj, k));
  if (present.length !== 1) {
    r.fail(at, present.length === 0 ? 'a signedBy requirement needs exactly one of keyPath, keyPaths and keyData, and has none' : `a signedBy requirement needs exactly one of keyPath, keyPaths and keyData, and has ${present.join(' and ')}`);
  }
  const field = present[0]!;
  const fieldAt = childPath(at, field);
  let keys: KeySource;
  if (field === 'keyPath') {
    const path = r.string(obj.keyPath, fieldAt);
    if (path === '') r.fail(fieldAt, 'is empty', 'Give the path of the OpenPGP public key file (armored or binary).');
    keys = { kind: 'paths', field, paths: [path], at: fieldAt };
  } else if (field === 'keyPaths') {
    keys = { kind: 'paths', field, paths: r.stringList(obj.keyPaths, fieldAt), at: fieldAt };
  } else {
    keys = { kind: 'data', field, data: [r.bytes(obj.keyData, fieldAt)], at: fieldAt };
  }
  const signedIdentity = Object.hasOwn(obj, 'signedIdentity') ? readIdentity(r, obj.signedIdentity, childPath(at, 'signedIdentity')) : { type: 'matchRepoDigestOrExact' as const };
  return { type: 'signedBy', at, keyType: keyType as SignedByKeyType, keys, signedIdentity };
}

function readFulcio(r: Reader, v: JsonValue | undefined, at: string): SigstoreRoot {
  const obj = r.object(v, at);
  r.keys(obj, at, ['caPath', 'caData', 'oidcIssuer', 'subjectEmail'], 'a fulcio root of trust');
  const caPath = Object.hasOwn(obj, 'caPath') ? r.string(obj.caPath, childPath(at, 'caPath')) : '';
  const caData = Object.hasOwn(obj, 'caData') ? r.bytes(obj.caData, childPath(at, 'caData')) : undefined;
  if (caPath !== '' && caData !== undefined) r.fail(at, 'caPath and caData cannot be used simultaneously');
  if (caPath === '' && caData === undefined) r.fail(at, 'at least one of caPath and caData must be specified');
  const oidcIssuer = Object.hasOwn(obj, 'oidcIssuer') ? r.string(obj.oidcIssuer, childPath(at, 'oidcIssuer')) : '';
  if (oidcIssuer === '') r.fail(childPath(at, 'oidcIssuer'), 'oidcIssuer not specified');
  const subjectEmail = Object.hasOwn(obj, 'subjectEmail') ? r.string(obj.subjectEmail, childPath(at, 'subjectEmail')) : '';
  if (subjectEmail === '') r.fail(childPath(at, 'subjectEmail'), 'subjectEmail not specified');
  return { kind: 'fulcio', at, oidcIssuer, subjectEmail };
}

function readPki(r: Reader, v: JsonValue | undefined, at: string): SigstoreRoot {
  const obj = r.object(v, at);
  r.keys(obj, at, ['caRootsPath', 'caRootsData', 'caIntermediatesPath', 'caIntermediatesData', 'subjectEmail', 'subjectHostname'], 'a pki root of trust');
  const str = (k: string) => (Object.hasOwn(obj, k) ? r.string(obj[k], childPath(at, k)) : '');
  const data = (k: string) => (Object.hasOwn(obj, k) ? r.bytes(obj[k], childPath(at, k)) : undefined);
  const rootsPath = str('caRootsPath');
  const rootsData = data('caRootsData');
  if (rootsPath !== '' && rootsData !== undefined) r.fail(at, 'caRootsPath and caRootsData cannot be used simultaneously');
  if (rootsPath === '' && rootsData === undefined) r.fail(at, 'at least one of caRootsPath and caRootsData must be specified');
  if (str('caIntermediatesPath') !== '' && data('caIntermediatesData') !== undefined) r.fail(at, 'caIntermediatesPath and caIntermediatesData cannot be used simultaneously');
  if (str('subjectEmail') === '' && str('subjectHostname') === '') r.fail(at, 'at least one of subjectEmail, subjectHostname must be specified');
  return { kind: 'pki', at };
}

function readSigstoreSigned(r: Reader, obj: JsonObject, at: string): SigstoreSignedRequirement {
  const rekorFields = ['rekorPublicKeyPath', 'rekorPublicKeyPaths', 'rekorPublicKeyData', 'rekorPublicKeyDatas'] as const;
  r.keys(obj, at, ['type', 'keyPath', 'keyPaths', 'keyData', 'keyDatas', 'fulcio', 'pki', ...rekorFields, 'signedIdentity'], 'a sigstoreSigned requirement');
  const roots = (['keyPath', 'keyPaths', 'keyData', 'keyDatas', 'fulcio', 'pki'] as const).filter((k) => Object.hasOwn(obj, k));
  // PRSigstoreSignedWithKeyPath(""), an empty keyPaths or keyDatas: not a key source.
  let root: SigstoreRoot | undefined;
  let count = 0;
  for (const field of roots) {
    const fieldAt = childPath(at, field);
    if (field === 'keyPath') {
      const path = r.string(obj.keyPath, fieldAt);
      if (path === '') continue;
      root = { kind: 'keys', keys: { kind: 'paths', field, paths: [path], at: fieldAt } };
    } else if (field === 'keyPaths') {
      const paths = r.stringList(obj.keyPaths, fieldAt);
      if (paths.length === 0) r.fail(fieldAt, '"keyPaths" contains no entries');
      root = { kind: 'keys', keys: { kind: 'paths', field, paths, at: fieldAt } };
    } else if (field === 'keyData') {
      root = { kind: 'keys', keys: { kind: 'data', field, data: [r.bytes(obj.keyData, fieldAt)], at: fieldAt } };
    } else if (field === 'keyDatas') {
      const data = r.bytesList(obj.keyDatas, fieldAt);
      if (data.length === 0) r.fail(fieldAt, '"keyDatas" contains no entries');
      root = { kind: 'keys', keys: { kind: 'data', field, data, at: fieldAt } };
    } else if (field === 'fulcio') {
      root = readFulcio(r, obj.fulcio, fieldAt);
    } else {
      root = readPki(r, obj.pki, fieldAt);
    }
    count++;
  }
  if (count !== 1 || !root) r.fail(at, `exactly one of keyPath, keyPaths, keyData, keyDatas, fulcio, and pki must be specified${count > 1 ? ` (found ${roots.join(', ')})` : ''}`);

  const rekorPresent = rekorFields.filter((k) => Object.hasOwn(obj, k));
  let rekor: KeySource | undefined;
  for (const field of rekorPresent) {
    const fieldAt = childPath(at, field);
    if (field === 'rekorPublicKeyPath') {
      const path = r.string(obj[field], fieldAt);
      if (path !== '') rekor = { kind: 'paths', field, paths: [path], at: fieldAt };
    } else if (field === 'rekorPublicKeyPaths') {
      const paths = r.stringList(obj[field], fieldAt);
      if (paths.length === 0) r.fail(fieldAt, '"rekorPublicKeyPaths" contains no entries');
      rekor = { kind: 'paths', field, paths, at: fieldAt };
    } else if (field === 'rekorPublicKeyData') {
      rekor = { kind: 'data', field, data: [r.bytes(obj[field], fieldAt)], at: fieldAt };
    } else {
      const data = r.bytesList(obj[field], fieldAt);
      if (data.length === 0) r.fail(fieldAt, '"rekorPublicKeyDatas" contains no entries');
      rekor = { kind: 'data', field, data, at: fieldAt };
    }
  }
  const rekorSources = rekorPresent.filter((k) => !(k === 'rekorPublicKeyPath' && obj[k] === '')).length;
  if (rekorSources > 1) r.fail(at, 'at most one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas can be used simultaneously');
  if (root.kind === 'fulcio' && !rekor) r.fail(at, 'at least one of rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas must be specified if fulcio is used');
  if (root.kind === 'pki' && rekor) r.fail(at, 'rekorPublicKeyPath, rekorPublicKeyPaths, rekorPublicKeyData and rekorPublicKeyDatas are not supported for pki');

  const signedIdentity = Object.hasOwn(obj, 'signedIdentity') ? readIdentity(r, obj.signedIdentity, childPath(at, 'signedIdentity')) : { type: 'matchRepoDigestOrExact' as const };
  return { type: 'sigstoreSigned', at, root, ...(rekor ? { rekor } : {}), signedIdentity };
}

/** newPolicyRequirementFromJSON */
function readRequirement(r: Reader, v: JsonValue, at: string): PolicyRequirement {
  const obj = r.object(v, at);
  const type = obj.type;
  if (typeof type !== 'string' || !(REQUIREMENT_TYPES as readonly string[]).includes(type)) {
    r.fail(
      childPath(at, 'type'),
      `unknown policy requirement type ${type === undefined ? '(none)' : JSON.stringify(typeof type === 'string' ? type.slice(0, 60) : type)}`,
      `Use one of ${REQUIREMENT_TYPES.join(', ')}: containers/image refuses the whole policy otherwise.`,
    );
  }
  switch (type) {
    case 'insecureAcceptAnything':
    case 'reject':
      r.exact(obj, at, ['type'], `a ${type} requirement`);
      return { type, at };
    case 'signedBy':
      return readSignedBy(r, obj, at);
    case 'signedBaseLayer':
      r.exact(obj, at, ['type', 'baseLayerIdentity'], 'a signedBaseLayer requirement');
      return { type, at, baseLayerIdentity: readIdentity(r, obj.baseLayerIdentity, childPath(at, 'baseLayerIdentity')) };
    default:
      return readSigstoreSigned(r, obj, at);
  }
}

function readRequirements(r: Reader, v: JsonValue | undefined, at: string): RequirementList {
  if (!Array.isArray(v)) r.fail(at, `must be a list of policy requirements, not ${r.describe(v)}`);
  if (v.length === 0) r.fail(at, 'the list of verification policy requirements must not be empty', 'Give at least one requirement, e.g. [{"type": "reject"}].');
  return { at, requirements: v.map((item, i) => readRequirement(r, item, indexPath(at, i))) };
}

/** `line L, column C` of a character offset, for syntax errors. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * Parses a policy.json. `file` names it in errors. Throws SigcheckError('POLICY_JSON') with `file`
 * and `jsonPath` set.
 */
export function parsePolicyJson(bytes: Uint8Array, file: string): PolicyJson {
  const r = new Reader(file);
  let root: JsonValue;
  try {
    root = parseStrictJson(bytes, { maxBytes: MAX_POLICY_JSON_BYTES, maxDepth: 32 });
  } catch (err) {
    const message = (err as Error).message;
    const offset = /offset (\d+)/.exec(message);
    const where = offset ? ` (${lineColumn(Buffer.from(bytes).toString('utf8'), Number(offset[1]))})` : '';
    return r.fail('', `is not valid JSON: ${message}${where}`, 'Fix the JSON syntax (duplicate keys are refused, as containers/image refuses them).');
  }
  const top = r.object(root, '');
  r.keys(top, '', ['default', 'transports'], 'the policy');
  if (!Object.hasOwn(top, 'default')) r.fail('default', 'the default policy is missing', 'Add "default": [{"type": "reject"}] (or the requirements every image without a more specific scope must meet).');
  const def = readRequirements(r, top.default, 'default');
  const transports = new Map<string, Map<string, RequirementList>>();
  if (Object.hasOwn(top, 'transports')) {
    const t = r.object(top.transports, 'transports');
    for (const [name, scopesValue] of Object.entries(t)) {
      const scopes = r.object(scopesValue, childPath('transports', name));
      const map = new Map<string, RequirementList>();
      for (const [scope, list] of Object.entries(scopes)) map.set(scope, readRequirements(r, list, scopePath(name, scope)));
      transports.set(name, map);
    }
  }
  return { file, default: def, transports };
}
