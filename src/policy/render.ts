/**
 * The files the machine-config operator writes on every node from the cluster's image policy
 * objects (openshift/machine-config-operator pkg/controller/container-runtime-config:
 * container_runtime_config_controller.go registriesConfigIgnition and getValidScopePolicies;
 * helpers.go policyItemFromSpec, updatePolicyJSON, updateNamespacedPolicyJSONs,
 * generateSigstoreRegistriesdConfig, addScopeMirrorsSigstoreRegistriesdConfig,
 * validateImagePolicyWithAllowedBlockedRegistries):
 *
 *  - /etc/containers/policy.json: the template the operator ships
 *    (templates/.../01-worker-container-runtime/_base/files/policy.yaml: default insecureAcceptAnything,
 *    docker-daemon "" insecureAcceptAnything); with allowedRegistries the default becomes reject and
 *    each allowed registry insecureAcceptAnything (unless a ClusterImagePolicy scope names it); with
 *    blockedRegistries each is reject; every ClusterImagePolicy scope gets one sigstoreSigned
 *    requirement per policy (policyItemFromSpec: keyData, rekorPublicKeyData when rekorKeyData is set,
 *    fulcio, pki; signedIdentity MatchRepoDigestOrExact when absent); the same scopes are copied to the
 *    `atomic` transport when they have fewer than three slashes; written as Go's
 *    json.MarshalIndent(policy, "", "  ") writes it (struct field order, map keys sorted);
 *  - /etc/crio/policies/<namespace>.json for ImagePolicies: the cluster file plus the namespace's
 *    scopes (an ImagePolicy scope equal to or inside a ClusterImagePolicy scope is dropped);
 *  - /etc/containers/registries.d/sigstore-registries.yaml: use-sigstore-attachments for every policy
 *    scope and every mirror of it (the digest mirrors of ImageDigestMirrorSets / ICSPs).
 *
 * signedRegistries is a proposal (openshift/enhancements 6624aaec add-signedRegistries.md) that the
 * operator does not implement; it is rendered as the enhancement describes it, one signedBy GPGKeys
 * requirement per listed registry or image, in docker and atomic, with one correction: the
 * enhancement writes the key file's path into `keyData`, which containers/image reads as base64 key
 * bytes and refuses; the rendering uses `keyPath`, the field that takes a path. Pure.
 */
import { SigcheckError } from '../model/errors.ts';
import type { IdentityRule } from '../sigstore/reference.ts';
import type { ClusterManifests, ImagePolicyObject } from './manifests.ts';

/** A mirror rule of registries.conf (from an ImageDigestMirrorSet or ImageContentSourcePolicy). */
export interface MirrorSource {
  source: string;
  mirrors: string[];
}

export interface RenderedFile {
  /** Absolute path on the node. */
  path: string;
  content: string;
}

export interface Rendered {
  files: RenderedFile[];
  notes: string[];
}

export const POLICY_JSON_PATH = '/etc/containers/policy.json';
export const SIGSTORE_REGISTRIES_PATH = '/etc/containers/registries.d/sigstore-registries.yaml';
export const CRIO_POLICIES_DIR = '/etc/crio/policies';

// --- Go encoding/json -------------------------------------------------------------------------------

/** A Go map: marshalled with its keys sorted. Plain objects are structs: fields in the order given. */
class GoMap {
  readonly entries: Map<string, unknown>;
  constructor(entries: Iterable<[string, unknown]> = []) {
    this.entries = new Map(entries);
  }
}

type Requirement = Record<string, unknown>;

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** json.MarshalIndent(v, "", "  "). */
export function goMarshalIndent(v: unknown, level = 0): string {
  const pad = (n: number) => '  '.repeat(n);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Uint8Array) return goString(Buffer.from(v).toString('base64'));
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => `${pad(level + 1)}${goMarshalIndent(x, level + 1)}`).join(',\n')}\n${pad(level)}]`;
  }
  const entries = v instanceof GoMap ? [...v.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${pad(level + 1)}${goString(k)}: ${goMarshalIndent(x, level + 1)}`).join(',\n')}\n${pad(level)}}`;
}

// --- requirements -----------------------------------------------------------------------------------

function identityJson(rule: IdentityRule | undefined): Record<string, unknown> {
  const r = rule ?? { type: 'matchRepoDigestOrExact' };
  switch (r.type) {
    case 'exactRepository':
      return { type: r.type, dockerRepository: r.dockerRepository };
    case 'exactReference':
      return { type: r.type, dockerReference: r.dockerReference };
    case 'remapIdentity':
      return { type: r.type, prefix: r.prefix, signedPrefix: r.signedPrefix };
    default:
      return { type: r.type };
  }
}

/** policyItemFromSpec, marshalled in prSigstoreSigned's field order. */
export function sigstoreRequirement(policy: ImagePolicyObject): Requirement {
  const root = policy.rootOfTrust;
  const signedIdentity = identityJson(policy.signedIdentity);
  switch (root.policyType) {
    case 'PublicKey':
      return { type: 'sigstoreSigned', keyData: root.keyData, rekorPublicKeyData: root.rekorKeyData, signedIdentity };
    case 'FulcioCAWithRekor':
      return { type: 'sigstoreSigned', fulcio: { caData: root.fulcioCAData, oidcIssuer: root.oidcIssuer, subjectEmail: root.signedEmail }, rekorPublicKeyData: root.rekorKeyData, signedIdentity };
    case 'PKI':
      return {
        type: 'sigstoreSigned',
        pki: { caRootsData: root.caRootsData, caIntermediatesData: root.caIntermediatesData, subjectEmail: root.email, subjectHostname: root.hostname },
        signedIdentity,
      };
  }
}

const INSECURE: Requirement = { type: 'insecureAcceptAnything' };
const REJECT: Requirement = { type: 'reject' };

/** runtime-utils ScopeIsNestedInsideScope. */
export function scopeIsNestedInsideScope(sub: string, sup: string): boolean {
  if (sub === sup) return true;
  if (sub.length > sup.length && sub.startsWith(sup) && sub[sup.length] === '/') return true;
  if (sup.startsWith('*.')) {
    if (sub.includes(':')) {
      const host = sub.split(':')[0] ?? '';
      return host.endsWith(sup.slice(1)) && !host.includes('/');
    }
    return (sub.split('/')[0] ?? '').endsWith(sup.slice(1));
  }
  return false;
}

/** The `atomic` transport takes only scopes with fewer than three slashes. */
function atomicScopes(scopes: GoMap): GoMap {
  return new GoMap([...scopes.entries].filter(([scope]) => (scope.match(/\//g) ?? []).length < 3));
}

function template(): { default: Requirement[]; transports: GoMap } {
  return { default: [INSECURE], transports: new GoMap([['docker-daemon', new GoMap([['', [INSECURE]]])]]) };
}

// --- mirrors (registries.conf) ----------------------------------------------------------------------

/** sysregistriesv2 refMatchingPrefix: does `prefix` match `ref` at a path boundary? */
function prefixMatches(ref: string, prefix: string): boolean {
  if (prefix.startsWith('*.')) {
    const host = ref.split('/')[0] ?? '';
    return host.endsWith(prefix.slice(1));
  }
  return ref === prefix || (ref.startsWith(prefix) && ['/', ':', '@'].includes(ref[prefix.length] ?? ''));
}

/** The digest-pull endpoints of `scope` (mirrors first, then the source), as addScopeMirrorsSigstoreRegistriesdConfig collects them. */
function endpointsOf(scope: string, rule: MirrorSource): string[] {
  const rest = rule.source.startsWith('*.') ? '' : scope.slice(rule.source.length);
  return [...rule.mirrors.map((m) => `${m}${rest}`), rule.source.startsWith('*.') ? undefined : `${rule.source}${rest}`].filter((e): e is string => e !== undefined);
}

function mirrorEndpoints(scope: string, rules: readonly MirrorSource[], notes: string[]): string[] {
  if (scope.startsWith('*.')) {
    const hits = rules.filter((r) => scopeIsNestedInsideScope(r.source, scope));
    if (hits.length > 0) notes.push(`the mirrors of wildcard scope ${scope} are not rendered: the operator resolves them through a dummy host name this rendering does not reproduce`);
    return [];
  }
  const out: string[] = [];
  // FindRegistry: the rule with the longest prefix matching the scope.
  const parent = rules.filter((r) => prefixMatches(scope, r.source)).sort((a, b) => b.source.length - a.source.length)[0];
  if (parent) out.push(...endpointsOf(scope, parent));
  // Rules for scopes nested inside the policy scope: their own endpoints.
  for (const r of rules) if (r.source !== scope && scopeIsNestedInsideScope(r.source, scope)) out.push(...endpointsOf(r.source, r));
  return out;
}

// --- the rendering ----------------------------------------------------------------------------------

export interface RenderOptions {
  /** Digest mirror rules (ImageDigestMirrorSet / ImageContentSourcePolicy), merged by source. */
  mirrors?: readonly MirrorSource[];
}

export function renderNodePolicy(manifests: ClusterManifests, options: RenderOptions = {}): Rendered {
  const notes: string[] = [];
  const byName = (a: ImagePolicyObject, b: ImagePolicyObject) => `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`);
  const cluster = manifests.policies.filter((p) => p.kind === 'ClusterImagePolicy').sort(byName);
  const namespaced = manifests.policies.filter((p) => p.kind === 'ImagePolicy').sort(byName);

  // getValidScopePolicies
  const clusterScopes = new Map<string, Requirement[]>();
  for (const p of cluster) for (const s of p.scopes) clusterScopes.set(s, [...(clusterScopes.get(s) ?? []), sigstoreRequirement(p)]);
  const namespaceScopes = new Map<string, Map<string, Requirement[]>>();
  for (const p of namespaced) {
    const conflicts: string[] = [];
    for (const s of p.scopes) {
      if ([...clusterScopes.keys()].some((c) => scopeIsNestedInsideScope(s, c))) {
        conflicts.push(s);
        continue;
      }
      const ns = namespaceScopes.get(s) ?? new Map<string, Requirement[]>();
      ns.set(p.namespace!, [...(ns.get(p.namespace!) ?? []), sigstoreRequirement(p)]);
      namespaceScopes.set(s, ns);
    }
    if (conflicts.length > 0) notes.push(`${p.origin}: scope(s) ${conflicts.join(', ')} equal or nest inside a ClusterImagePolicy scope; the operator applies only the ClusterImagePolicy there (the ImagePolicy is Pending)`);
  }

  const image = manifests.image;
  const allowed = image?.allowedRegistries ?? [];
  const blocked = image?.blockedRegistries ?? [];
  const signed = new Map<string, Requirement[]>();
  for (const entry of image?.signedRegistries ?? []) {
    for (const s of entry.scopes) signed.set(s, [...(signed.get(s) ?? []), { type: 'signedBy', keyType: 'GPGKeys', keyPath: entry.gpgKeyPath, signedIdentity: identityJson(undefined) }]);
  }
  if (signed.size > 0) notes.push('signedRegistries is rendered as the signedRegistries enhancement proposes it (the machine-config operator does not implement it), with keyPath for the key file where the enhancement\'s example writes the path into keyData, which containers/image would refuse');

  // validateImagePolicyWithAllowedBlockedRegistries
  const check = (scopes: Iterable<string>, what: string) => {
    for (const s of scopes) {
      if (allowed.length > 0 && !allowed.some((a) => scopeIsNestedInsideScope(s, a))) throw new SigcheckError('CONFIG', `${what} configured for the scope ${s} is not nested inside allowedRegistries; the machine-config operator refuses this configuration`);
      if (blocked.some((b) => scopeIsNestedInsideScope(s, b))) throw new SigcheckError('CONFIG', `${what} configured for the scope ${s} is nested inside blockedRegistries; the machine-config operator refuses this configuration`);
    }
  };
  check(clusterScopes.keys(), 'clusterimagePolicy');
  check(namespaceScopes.keys(), 'imagePolicy');

  // updatePolicyJSON
  const policy = template();
  const anything = allowed.length > 0 || blocked.length > 0 || clusterScopes.size > 0 || namespaceScopes.size > 0 || signed.size > 0;
  const scopes = new GoMap();
  if (allowed.length > 0) {
    policy.default = [REJECT];
    for (const reg of allowed) if (!clusterScopes.has(reg) && !signed.has(reg)) scopes.entries.set(reg, [INSECURE]);
  }
  if (blocked.length > 0) {
    policy.default = [INSECURE];
    for (const reg of blocked) scopes.entries.set(reg, [REJECT]);
  }
  for (const [s, reqs] of clusterScopes) scopes.entries.set(s, [...((scopes.entries.get(s) as Requirement[] | undefined) ?? []), ...reqs]);
  for (const [s, reqs] of signed) scopes.entries.set(s, [...((scopes.entries.get(s) as Requirement[] | undefined) ?? []), ...reqs]);
  if (scopes.entries.size > 0) {
    policy.transports.entries.set('docker', scopes);
    policy.transports.entries.set('atomic', atomicScopes(scopes));
  }
  if (!anything) notes.push('no image policy, allowed, blocked or signed registries: nodes keep the template policy.json the operator ships');
  const files: RenderedFile[] = [{ path: POLICY_JSON_PATH, content: goMarshalIndent(policy) }];

  // updateNamespacedPolicyJSONs
  const perNamespace = new Map<string, Map<string, Requirement[]>>();
  for (const [s, byNs] of namespaceScopes) for (const [ns, reqs] of byNs) perNamespace.set(ns, new Map([...(perNamespace.get(ns) ?? []), [s, reqs]]));
  for (const ns of [...perNamespace.keys()].sort()) {
    const copy = { default: policy.default, transports: new GoMap([...policy.transports.entries].map(([t, m]) => [t, new GoMap((m as GoMap).entries)])) };
    const dockerScopes = (copy.transports.entries.get('docker') as GoMap | undefined) ?? new GoMap();
    const atomic = (copy.transports.entries.get('atomic') as GoMap | undefined) ?? new GoMap();
    for (const [s, reqs] of perNamespace.get(ns)!) {
      dockerScopes.entries.set(s, [...((dockerScopes.entries.get(s) as Requirement[] | undefined) ?? []), ...reqs]);
      if ((s.match(/\//g) ?? []).length < 3) atomic.entries.set(s, [...((atomic.entries.get(s) as Requirement[] | undefined) ?? []), ...reqs]);
    }
    copy.transports.entries.set('docker', dockerScopes);
    copy.transports.entries.set('atomic', atomic);
    files.push({ path: `${CRIO_POLICIES_DIR}/${ns}.json`, content: goMarshalIndent(copy) });
  }

  // generateSigstoreRegistriesdConfig
  const policyScopes = [...clusterScopes.keys(), ...namespaceScopes.keys()];
  if (policyScopes.length > 0) {
    const attachments = new Set<string>();
    for (const s of policyScopes) {
      attachments.add(s);
      for (const e of mirrorEndpoints(s, options.mirrors ?? [], notes)) attachments.add(e);
    }
    const lines = ['docker:'];
    for (const s of [...attachments].sort()) lines.push(`  ${yamlKey(s)}:`, '    use-sigstore-attachments: true');
    files.push({ path: SIGSTORE_REGISTRIES_PATH, content: `${lines.join('\n')}\n` });
  }
  return { files, notes };
}

/** A mapping key as yaml.v2 writes it: plain when it can be, else single-quoted. */
function yamlKey(s: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(s) && !/:$/.test(s) && !/^(?:true|false|null|yes|no|on|off|y|n|~)$/i.test(s) && !/^[0-9.:+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, "''")}'`;
}
