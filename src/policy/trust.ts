/**
 * A node's policy as the trust of a check: the policy.json and registries.d read from disk, and the
 * key material each requirement names, loaded when a scope is first used (containers/image reads
 * keys when it evaluates a requirement: signature/policy_eval_signedby.go, policy_eval_sigstore.go
 * prepareTrustRoot), so a policy that names keys for registries this run never looks at loads fine
 * even where those key files do not exist.
 *
 *  - signedBy keys: OpenPGP keyrings, armored or binary (readOpenPGPKeys); an empty keyData imports no
 *    key (then every signature is refused, as containers/image refuses it);
 *  - sigstoreSigned keys: PEM public keys (src/sigstore/keys.ts), Rekor keys must be ECDSA; an
 *    Ed25519 key, Fulcio and PKI roots are things this tool cannot evaluate, reported as such;
 *  - a key file that cannot be read or parsed is a configuration error (POLICY_JSON) naming the
 *    policy file, the JSON path and the key file. containers/image would instead refuse every
 *    image of that scope; the run stops and says what to fix rather than report every release as
 *    unsigned.
 *
 * Key paths are read as containers/image reads them (relative to the working directory), through
 * the reader the caller gives, so in PR scope a key inside the repository is the merge-base's.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SigcheckError, describeError, isSigcheckError } from '../model/errors.ts';
import { readRegularFile } from '../fs/regular-file.ts';
import { OpenPGPKeyring, readOpenPGPKeys, type TrustedKey as OpenPGPTrustedKey } from '../openpgp/keys.ts';
import { decodeFirstPem } from '../sigstore/encoding.ts';
import { toTrustedKey, type TrustedKey } from '../sigstore/keys.ts';
import type { SigstoreRequirement } from '../sigstore/policy.ts';
import { withDigest, type DockerReference } from '../sigstore/reference.ts';
import { evaluatePolicy, type PolicyVerdict, type ResolvedRequirement } from './evaluate.ts';
import { MAX_POLICY_JSON_BYTES, indexPath, parsePolicyJson, type KeySource, type PolicyJson, type PolicyRequirement, type RequirementList } from './policy-json.ts';
import { EMPTY_REGISTRIES_D, MAX_REGISTRIES_D_FILE_BYTES, lookasideFor, parseRegistriesD, sigstoreAttachmentsFor, type RegistriesD, type RegistriesDFile } from './registries-d.ts';
import { DOCKER_TRANSPORT, resolveScope, type ScopeMatch } from './scope.ts';
import type { PolicySources } from './signatures.ts';
import type { Digest } from '../model/digest.ts';
import type { SigstoreTrust } from '../sigstore/policy.ts';

/** Reads a trusted file whole (a key file named by the policy); throws SigcheckError FILE_* codes. */
export type TrustedFileReader = (path: string, what: string, maxBytes: number) => Promise<Uint8Array>;

export const MAX_KEY_FILE_BYTES = 1024 * 1024;

const defaultReader: TrustedFileReader = (path, what, maxBytes) => readRegularFile(path, { what, maxBytes });

function keyError(policy: PolicyJson, at: string, problem: string, fix: string, cause?: unknown): SigcheckError {
  return new SigcheckError('POLICY_JSON', `${policy.file}: ${at}: ${problem}. ${fix}`, { file: policy.file, jsonPath: at, ...(cause !== undefined ? { cause } : {}) });
}

/** The raw key blobs of a key source, each with the JSON path that names it. */
async function keyBlobs(policy: PolicyJson, source: KeySource, read: TrustedFileReader, what: string): Promise<{ at: string; label: string; bytes: Uint8Array }[]> {
  if (source.kind === 'data') {
    return source.data.map((bytes, i) => {
      const at = source.field.endsWith('s') ? indexPath(source.at, i) : source.at;
      return { at, label: `${policy.file} ${at}`, bytes };
    });
  }
  return Promise.all(
    source.paths.map(async (path, i) => {
      const at = source.field.endsWith('s') ? indexPath(source.at, i) : source.at;
      try {
        return { at, label: path, bytes: await read(path, what, MAX_KEY_FILE_BYTES) };
      } catch (err) {
        throw keyError(
          policy,
          at,
          `cannot read the ${what} ${path}: ${describeError(err)}`,
          'A node policy names files on the node; put a copy of the key at this path (relative paths are read from the working directory, as containers/image reads them), or point the policy at one.',
          err,
        );
      }
    }),
  );
}

async function loadOpenPGP(policy: PolicyJson, source: KeySource, read: TrustedFileReader): Promise<OpenPGPKeyring> {
  const keys: OpenPGPTrustedKey[] = [];
  for (const blob of await keyBlobs(policy, source, read, 'OpenPGP key file')) {
    if (blob.bytes.byteLength === 0) continue; // no key imported, as x/crypto ReadKeyRing of nothing
    try {
      keys.push(...(await readOpenPGPKeys(blob.bytes, blob.label)));
    } catch (err) {
      throw keyError(policy, blob.at, describeError(err), 'signedBy with keyType GPGKeys takes OpenPGP public keys (armored or binary, `gpg --export`).', err);
    }
  }
  return new OpenPGPKeyring(keys);
}

type SigstoreKeys = { ok: true; keys: TrustedKey[] } | { ok: false; unsupported: string };

async function loadPem(policy: PolicyJson, source: KeySource, read: TrustedFileReader, what: string): Promise<SigstoreKeys> {
  const keys: TrustedKey[] = [];
  for (const blob of await keyBlobs(policy, source, read, what)) {
    const text = Buffer.from(blob.bytes).toString('latin1');
    const block = decodeFirstPem(text);
    if (block?.type === 'PUBLIC KEY') {
      try {
        if (createPublicKey({ key: block.bytes, format: 'der', type: 'spki' }).asymmetricKeyType === 'ed25519') {
          return { ok: false, unsupported: `${blob.label} is an Ed25519 key, which CRI-O accepts and this tool cannot verify with yet` };
        }
      } catch {
        // toTrustedKey below explains what is wrong with it.
      }
    }
    try {
      keys.push(toTrustedKey(blob.bytes, blob.label, blob.label));
    } catch (err) {
      throw keyError(policy, blob.at, describeError(err), 'sigstoreSigned takes PEM public keys (-----BEGIN PUBLIC KEY-----), e.g. cosign.pub; containers/image refuses every signature of this scope otherwise.', err);
    }
  }
  return { ok: true, keys };
}

async function resolveRequirement(policy: PolicyJson, req: PolicyRequirement, scope: string, read: TrustedFileReader): Promise<ResolvedRequirement> {
  if (req.type === 'signedBy') {
    // Only GPGKeys is implemented by containers/image; the others refuse every signature without reading keys.
    if (req.keyType !== 'GPGKeys') return { requirement: req };
    return { requirement: req, openpgp: await loadOpenPGP(policy, req.keys, read) };
  }
  if (req.type !== 'sigstoreSigned') return { requirement: req };
  if (req.root.kind === 'fulcio') return { requirement: req, unsupported: `${req.root.at}: Fulcio (keyless) signatures are not evaluated by this tool (certificate chains, OIDC issuer ${JSON.stringify(req.root.oidcIssuer)}, subject ${JSON.stringify(req.root.subjectEmail)})` };
  if (req.root.kind === 'pki') return { requirement: req, unsupported: `${req.root.at}: PKI (X.509 certificate) signatures are not evaluated by this tool` };
  const keys = await loadPem(policy, req.root.keys, read, 'Sigstore public key file');
  if (!keys.ok) return { requirement: req, unsupported: keys.unsupported };
  let rekorKeys: TrustedKey[] | undefined;
  if (req.rekor) {
    const loaded = await loadPem(policy, req.rekor, read, 'Rekor public key file');
    if (!loaded.ok) throw keyError(policy, req.rekor.at, loaded.unsupported.replace(/, which CRI-O accepts.*$/, ''), 'containers/image wants an ECDSA Rekor key ("Rekor public key is not using ECDSA").');
    for (const [i, k] of loaded.keys.entries()) {
      if (k.algorithm !== 'ecdsa') throw keyError(policy, req.rekor.at, `Rekor public key ${i + 1} (${k.name}) is not using ECDSA`, 'containers/image refuses every signature of this scope; give the Rekor log\'s ECDSA key.');
    }
    rekorKeys = loaded.keys;
  }
  const sigstore: SigstoreRequirement = { origin: `${policy.file} ${req.at}`, scope, keys: keys.keys, identity: req.signedIdentity, ...(rekorKeys ? { rekorKeys } : {}) };
  return { requirement: req, sigstore };
}

export interface PolicyTrustSources {
  policy: PolicyJson;
  registriesD: RegistriesD;
  /** The bytes the trust was read from, for a stable fingerprint (cache keys). */
  material: readonly Uint8Array[];
}

export class PolicyTrust {
  readonly policy: PolicyJson;
  readonly registriesD: RegistriesD;
  private readonly read: TrustedFileReader;
  private readonly loaded = new Map<string, Promise<ResolvedRequirement[]>>();
  private readonly hash = createHash('sha256');
  private digestCache: string | undefined;

  constructor(sources: PolicyTrustSources, read: TrustedFileReader = defaultReader) {
    this.policy = sources.policy;
    this.registriesD = sources.registriesD;
    this.read = async (path, what, max) => {
      const bytes = await read(path, what, max);
      this.hash.update(`${path}\n${bytes.byteLength}\n`).update(bytes);
      return bytes;
    };
    for (const m of sources.material) this.hash.update(`${m.byteLength}\n`).update(m);
  }

  /** Warnings about the configuration (keys containers/image ignores). */
  get warnings(): readonly string[] {
    return this.registriesD.warnings;
  }

  private load(list: RequirementList, scope: string): Promise<ResolvedRequirement[]> {
    let p = this.loaded.get(list.at);
    if (!p) {
      p = Promise.all(list.requirements.map((r) => resolveRequirement(this.policy, r, scope, this.read)));
      this.loaded.set(list.at, p);
    }
    return p;
  }

  /** The scope that applies to `intended` and its requirements with their keys. */
  async resolve(intended: DockerReference): Promise<{ scope: ScopeMatch; requirements: ResolvedRequirement[] }> {
    const scope = resolveScope(this.policy, intended);
    return { scope, requirements: await this.load(scope.requirements, scope.scope ?? 'default') };
  }

  /**
   * Loads the keys of every scope that can apply to an image of `repository` (its exact-image scopes,
   * and the one namespace, transport default or default its images fall under), so a key problem is a
   * configuration error before any request rather than an error verdict per node.
   */
  async prepare(repository: DockerReference): Promise<void> {
    const lists: { list: RequirementList; scope: string }[] = [];
    const scopes = this.policy.transports.get(DOCKER_TRANSPORT);
    for (const [scope, list] of scopes ?? []) if (scope.startsWith(`${repository.name}@`)) lists.push({ list, scope });
    const general = resolveScope(this.policy, repository);
    lists.push({ list: general.requirements, scope: general.scope ?? 'default' });
    for (const { list, scope } of lists) await this.load(list, scope);
  }

  /**
   * CRI-O's decision on one image: `intended` is the reference it was asked to pull (scope and
   * identities), `physical` where it reads the image from (registries.d), `digest` the manifest it
   * verifies (an instance's, for a manifest list). Signatures are read through `sources`.
   */
  async evaluate(intended: DockerReference, physical: DockerReference, digest: Digest, sources: PolicySources): Promise<PolicyVerdict> {
    const { scope, requirements } = await this.resolve(intended);
    return evaluatePolicy({ policy: this.policy, registriesD: this.registriesD, intended, physical, digest, scope, requirements }, sources);
  }

  /**
   * The policy as a SigstoreTrust for src/sigstore/check.ts, when that check decides exactly as the
   * policy does for images of `repository` read from `physical`: every requirement of their scope is
   * sigstoreSigned with public keys, registries.d enables the `.sig` tag for `physical`, and names no
   * lookaside (a lookaside is read too, and can hold or break signatures). Undefined otherwise: then
   * use evaluate() (src/policy/check.ts), which decides every requirement type.
   */
  async sigstoreTrust(repository: DockerReference, physical: DockerReference): Promise<SigstoreTrust | undefined> {
    const probe = withDigest(repository, `sha256:${'0'.repeat(64)}`);
    const physicalProbe = withDigest(physical, `sha256:${'0'.repeat(64)}`);
    if (!sigstoreAttachmentsFor(this.registriesD, physicalProbe).enabled || !lookasideFor(this.registriesD, physicalProbe).builtIn) return undefined;
    const scopes = this.policy.transports.get(DOCKER_TRANSPORT);
    // An exact-image scope would apply to some digests and not others.
    if ([...(scopes?.keys() ?? [])].some((s) => s.startsWith(`${repository.name}@`))) return undefined;
    const { requirements } = await this.resolve(probe);
    const out = requirements.map((r) => r.sigstore);
    if (out.length === 0 || out.some((r) => r === undefined)) return undefined;
    return { releaseRepo: repository.name, requirements: out as NonNullable<(typeof out)[number]>[] };
  }

  /** A hash of everything read so far (policy, registries.d, key files): call after prepare(). */
  fingerprint(): string {
    this.digestCache ??= this.hash.copy().digest('hex').slice(0, 32);
    return this.digestCache;
  }
}

export interface LoadPolicyOptions {
  /** `--policy-json FILE` */
  policyJson: string;
  /** `--registries-d DIR`; without it nothing is configured (no lookaside, no sigstore attachments). */
  registriesD?: string;
  /** How key files named by the policy are read (default: from disk, regular files only). */
  readFile?: TrustedFileReader;
}

async function readFileOrConfigError(path: string, what: string, max: number, code: 'POLICY_JSON' | 'REGISTRIES_D', option: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(path, { what, maxBytes: max });
  } catch (err) {
    if (isSigcheckError(err)) throw new SigcheckError(code, `--${option}: ${describeError(err)}`, { cause: err, file: path });
    throw err;
  }
}

/** Reads the `.yaml` files of a registries.d directory, as containers/image lists it. */
export async function readRegistriesDDirectory(dir: string): Promise<{ files: RegistriesDFile[]; material: Uint8Array[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is not a directory' : describeError(err);
    throw new SigcheckError('REGISTRIES_D', `--registries-d ${dir}: cannot list the directory: ${why}. Give the directory that holds the node's registries.d *.yaml files (e.g. a copy of /etc/containers/registries.d).`, { cause: err, file: dir });
  }
  const files: RegistriesDFile[] = [];
  const material: Uint8Array[] = [];
  for (const name of names.filter((n) => n.endsWith('.yaml')).sort()) {
    const bytes = await readFileOrConfigError(join(dir, name), 'registries.d file', MAX_REGISTRIES_D_FILE_BYTES, 'REGISTRIES_D', 'registries-d');
    files.push({ name, text: Buffer.from(bytes).toString('utf8') });
    material.push(Buffer.from(`${name}\n`), bytes);
  }
  return { files, material };
}

export async function loadPolicyTrust(options: LoadPolicyOptions): Promise<PolicyTrust> {
  const bytes = await readFileOrConfigError(options.policyJson, 'policy.json', MAX_POLICY_JSON_BYTES, 'POLICY_JSON', 'policy-json');
  const policy = parsePolicyJson(bytes, options.policyJson);
  let registriesD = EMPTY_REGISTRIES_D;
  const material: Uint8Array[] = [bytes];
  if (options.registriesD !== undefined) {
    const dir = await readRegistriesDDirectory(options.registriesD);
    registriesD = parseRegistriesD(dir.files, options.registriesD);
    material.push(Buffer.from('registries.d\n'), ...dir.material);
  }
  return new PolicyTrust({ policy, registriesD, material }, options.readFile);
}
