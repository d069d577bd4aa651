import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  parseMirrorRules
} from "./chunk-KKRI7E5X.js";
import {
  list,
  parseCommandArgs,
  str
} from "./chunk-ZSOYOW2A.js";
import {
  decodeStdBase64,
  parseNormalizedNamed,
  require_dist,
  validateRemapPrefix
} from "./chunk-POKWITQM.js";
import {
  readRegularFile
} from "./chunk-S5K3IP7C.js";
import {
  optionsHelp,
  parseArgsSpec
} from "./chunk-SJK7R5BZ.js";
import {
  ExitCode,
  SigcheckError,
  describeError
} from "./chunk-GOJHGAW3.js";
import {
  __toESM
} from "./chunk-YOB2P7JE.js";

// src/commands/policy.ts
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

// src/policy/manifests.ts
var import_yaml = __toESM(require_dist(), 1);
var DC = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
var HOST = `(?:${DC}(?:\\.${DC})+(?::[0-9]+)?|localhost(?::[0-9]+)?)`;
var PATH = "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*";
var SCOPE_RE = new RegExp(`^${HOST}${PATH}(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,})?$`);
var WILDCARD_SCOPE_RE = new RegExp(`^\\*(?:\\.${DC})+$`);
var ManifestError = class extends Error {
};
function fail(where, problem) {
  throw new ManifestError(`${where}: ${problem}`);
}
function isRecord(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function record(v, where) {
  if (!isRecord(v)) fail(where, "must be an object");
  return v;
}
function fields(obj, where, allowed) {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`${where}.${k}`, `unknown field (expected ${allowed.join(", ")})`);
}
function str2(v, where) {
  if (typeof v !== "string" || v === "") fail(where, "must be a non-empty string");
  return v;
}
function strings(v, where) {
  if (v === void 0 || v === null) return [];
  if (!Array.isArray(v)) fail(where, "must be a list of strings");
  return v.map((s, i) => str2(s, `${where}[${i}]`));
}
function bytes(v, where, begin, end) {
  const text = str2(v, where);
  const decoded = decodeStdBase64(text.trim());
  if (!decoded) fail(where, "must be base64 (a Kubernetes []byte field)");
  const pem = decoded.toString("latin1");
  if (!pem.startsWith(begin)) fail(where, `must be the base64 of data starting with ${begin}`);
  if (!pem.endsWith(end) && !pem.endsWith(`${end}
`)) fail(where, `must be the base64 of data ending with ${end}`);
  return new Uint8Array(decoded);
}
var PUBLIC = ["-----BEGIN PUBLIC KEY-----", "-----END PUBLIC KEY-----"];
var CERT = ["-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"];
function scope(v, where) {
  const s = str2(v, where);
  if (s.length > 512) fail(where, "must be at most 512 characters");
  if (s.includes("*") ? !WILDCARD_SCOPE_RE.test(s) : !SCOPE_RE.test(s)) fail(where, `${JSON.stringify(s)} is not a valid scope (a fully qualified host or localhost, optionally a path and a tag or digest, or *.domain)`);
  return s;
}
function identity(v, where) {
  if (v === void 0 || v === null) return void 0;
  const si = record(v, where);
  fields(si, where, ["matchPolicy", "exactRepository", "remapIdentity"]);
  const prefix = (x, w) => {
    const s = str2(x, w);
    const bad = validateRemapPrefix(s);
    if (bad) fail(w, bad);
    return s;
  };
  switch (si.matchPolicy) {
    case "MatchRepoDigestOrExact":
      return { type: "matchRepoDigestOrExact" };
    case "MatchRepository":
      return { type: "matchRepository" };
    case "ExactRepository": {
      const er = record(si.exactRepository, `${where}.exactRepository`);
      fields(er, `${where}.exactRepository`, ["repository"]);
      const repository = prefix(er.repository, `${where}.exactRepository.repository`);
      if (!parseNormalizedNamed(repository).ok) fail(`${where}.exactRepository.repository`, `${JSON.stringify(repository)} is not a repository`);
      return { type: "exactRepository", dockerRepository: repository };
    }
    case "RemapIdentity": {
      const ri = record(si.remapIdentity, `${where}.remapIdentity`);
      fields(ri, `${where}.remapIdentity`, ["prefix", "signedPrefix"]);
      return { type: "remapIdentity", prefix: prefix(ri.prefix, `${where}.remapIdentity.prefix`), signedPrefix: prefix(ri.signedPrefix, `${where}.remapIdentity.signedPrefix`) };
    }
    default:
      return fail(`${where}.matchPolicy`, `must be MatchRepoDigestOrExact, MatchRepository, ExactRepository or RemapIdentity (got ${JSON.stringify(si.matchPolicy)})`);
  }
}
function rootOfTrust(v, where) {
  const root = record(v, where);
  fields(root, where, ["policyType", "publicKey", "fulcioCAWithRekor", "pki"]);
  switch (root.policyType) {
    case "PublicKey": {
      const pk = record(root.publicKey, `${where}.publicKey`);
      fields(pk, `${where}.publicKey`, ["keyData", "rekorKeyData"]);
      const keyData = bytes(pk.keyData, `${where}.publicKey.keyData`, ...PUBLIC);
      const rekor = pk.rekorKeyData === void 0 || pk.rekorKeyData === null || pk.rekorKeyData === "" ? void 0 : bytes(pk.rekorKeyData, `${where}.publicKey.rekorKeyData`, ...PUBLIC);
      return { policyType: "PublicKey", keyData, ...rekor ? { rekorKeyData: rekor } : {} };
    }
    case "FulcioCAWithRekor": {
      const f = record(root.fulcioCAWithRekor, `${where}.fulcioCAWithRekor`);
      fields(f, `${where}.fulcioCAWithRekor`, ["fulcioCAData", "rekorKeyData", "fulcioSubject"]);
      const subject = record(f.fulcioSubject, `${where}.fulcioCAWithRekor.fulcioSubject`);
      fields(subject, `${where}.fulcioCAWithRekor.fulcioSubject`, ["oidcIssuer", "signedEmail"]);
      return {
        policyType: "FulcioCAWithRekor",
        fulcioCAData: bytes(f.fulcioCAData, `${where}.fulcioCAWithRekor.fulcioCAData`, ...CERT),
        rekorKeyData: bytes(f.rekorKeyData, `${where}.fulcioCAWithRekor.rekorKeyData`, ...PUBLIC),
        oidcIssuer: str2(subject.oidcIssuer, `${where}.fulcioCAWithRekor.fulcioSubject.oidcIssuer`),
        signedEmail: str2(subject.signedEmail, `${where}.fulcioCAWithRekor.fulcioSubject.signedEmail`)
      };
    }
    case "PKI": {
      const p = record(root.pki, `${where}.pki`);
      fields(p, `${where}.pki`, ["caRootsData", "caIntermediatesData", "pkiCertificateSubject"]);
      const subject = record(p.pkiCertificateSubject, `${where}.pki.pkiCertificateSubject`);
      fields(subject, `${where}.pki.pkiCertificateSubject`, ["email", "hostname"]);
      const email = subject.email === void 0 ? void 0 : str2(subject.email, `${where}.pki.pkiCertificateSubject.email`);
      const hostname = subject.hostname === void 0 ? void 0 : str2(subject.hostname, `${where}.pki.pkiCertificateSubject.hostname`);
      if (!email && !hostname) fail(`${where}.pki.pkiCertificateSubject`, "needs email or hostname");
      const intermediates = p.caIntermediatesData === void 0 || p.caIntermediatesData === null ? void 0 : bytes(p.caIntermediatesData, `${where}.pki.caIntermediatesData`, ...CERT);
      return {
        policyType: "PKI",
        caRootsData: bytes(p.caRootsData, `${where}.pki.caRootsData`, ...CERT),
        ...intermediates ? { caIntermediatesData: intermediates } : {},
        ...email ? { email } : {},
        ...hostname ? { hostname } : {}
      };
    }
    default:
      return fail(`${where}.policyType`, `must be PublicKey, FulcioCAWithRekor or PKI (got ${JSON.stringify(root.policyType)})`);
  }
}
var API_VERSIONS = ["config.openshift.io/v1", "config.openshift.io/v1alpha1"];
function readPolicy(doc, where, file) {
  const kind = doc.kind;
  if (typeof doc.apiVersion !== "string" || !API_VERSIONS.includes(doc.apiVersion)) fail(where, `apiVersion ${JSON.stringify(doc.apiVersion)} is not ${API_VERSIONS.join(" or ")}`);
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const name = str2(metadata.name, `${where}.metadata.name`);
  const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : void 0;
  if (kind === "ImagePolicy" && !namespace) fail(`${where}.metadata.namespace`, "an ImagePolicy is namespaced: give metadata.namespace");
  const at = `${where} (${kind}/${name})`;
  const spec = record(doc.spec, `${at}.spec`);
  fields(spec, `${at}.spec`, ["scopes", "policy"]);
  if (!Array.isArray(spec.scopes) || spec.scopes.length === 0) fail(`${at}.spec.scopes`, "must be a non-empty list");
  const scopes = spec.scopes.map((s, i) => scope(s, `${at}.spec.scopes[${i}]`));
  const policy = record(spec.policy, `${at}.spec.policy`);
  fields(policy, `${at}.spec.policy`, ["rootOfTrust", "signedIdentity"]);
  const signedIdentity = identity(policy.signedIdentity, `${at}.spec.policy.signedIdentity`);
  return {
    kind,
    name,
    ...namespace && kind === "ImagePolicy" ? { namespace } : {},
    scopes,
    rootOfTrust: rootOfTrust(policy.rootOfTrust, `${at}.spec.policy.rootOfTrust`),
    ...signedIdentity ? { signedIdentity } : {},
    origin: `${kind}/${namespace && kind === "ImagePolicy" ? `${namespace}/` : ""}${name} (${file})`
  };
}
function readImage(doc, where, file) {
  if (doc.apiVersion !== "config.openshift.io/v1") fail(where, `apiVersion ${JSON.stringify(doc.apiVersion)} is not config.openshift.io/v1`);
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const name = str2(metadata.name, `${where}.metadata.name`);
  if (name !== "cluster") fail(`${where}.metadata.name`, `the machine-config operator reads only the Image named "cluster" (got ${JSON.stringify(name)})`);
  const spec = doc.spec === void 0 || doc.spec === null ? {} : record(doc.spec, `${where}.spec`);
  const sources = spec.registrySources === void 0 || spec.registrySources === null ? {} : record(spec.registrySources, `${where}.spec.registrySources`);
  fields(sources, `${where}.spec.registrySources`, ["allowedRegistries", "blockedRegistries", "insecureRegistries", "containerRuntimeSearchRegistries", "signedRegistries"]);
  const signed = sources.signedRegistries === void 0 || sources.signedRegistries === null ? [] : sources.signedRegistries;
  if (!Array.isArray(signed)) fail(`${where}.spec.registrySources.signedRegistries`, "must be a list");
  const signedRegistries = signed.map((entry, i) => {
    const at = `${where}.spec.registrySources.signedRegistries[${i}]`;
    const e = record(entry, at);
    fields(e, at, ["sigRequiredRegistriesOrImages", "gpgKeyPath"]);
    const scopes = strings(e.sigRequiredRegistriesOrImages, `${at}.sigRequiredRegistriesOrImages`);
    if (scopes.length === 0) fail(`${at}.sigRequiredRegistriesOrImages`, "needs at least one registry or image");
    return { scopes, gpgKeyPath: str2(e.gpgKeyPath, `${at}.gpgKeyPath`) };
  });
  const allowed = strings(sources.allowedRegistries, `${where}.spec.registrySources.allowedRegistries`);
  const blocked = strings(sources.blockedRegistries, `${where}.spec.registrySources.blockedRegistries`);
  if (allowed.length > 0 && blocked.length > 0) fail(`${where}.spec.registrySources`, "only one of allowedRegistries or blockedRegistries may be specified");
  return { name, allowedRegistries: allowed, blockedRegistries: blocked, signedRegistries, origin: `Image/${name} (${file})` };
}
function parseClusterManifests(text, file, into = { policies: [], skipped: [] }) {
  try {
    const docs = (0, import_yaml.parseAllDocuments)(text, { uniqueKeys: true, prettyErrors: false });
    const list2 = Array.isArray(docs) ? docs : [docs];
    list2.forEach((doc, index) => {
      const where = `${file} document ${index + 1}`;
      if (doc.errors.length > 0) fail(where, `invalid YAML: ${doc.errors[0]?.message ?? "unknown error"}`);
      const value = doc.toJS({ maxAliasCount: 100 });
      if (value === null || value === void 0) return;
      const visit = (obj, at) => {
        if (typeof obj.kind === "string" && obj.kind.endsWith("List") && Array.isArray(obj.items)) {
          obj.items.forEach((item, i) => visit(record(item, `${at} items[${i}]`), `${at} items[${i}]`));
          return;
        }
        if (obj.kind === "ClusterImagePolicy" || obj.kind === "ImagePolicy") into.policies.push(readPolicy(obj, at, file));
        else if (obj.kind === "Image") {
          if (into.image) fail(at, `a second Image configuration (the first is ${into.image.origin}); give one`);
          into.image = readImage(obj, at, file);
        } else into.skipped.push(`${at}: kind ${JSON.stringify(obj.kind)}`);
      };
      visit(record(value, where), where);
    });
    return into;
  } catch (err) {
    if (err instanceof ManifestError) throw new SigcheckError("CONFIG", err.message, { file });
    if (err instanceof SigcheckError) throw err;
    throw new SigcheckError("CONFIG", `${file}: cannot read: ${describeError(err)}`, { file });
  }
}

// src/policy/render.ts
var POLICY_JSON_PATH = "/etc/containers/policy.json";
var SIGSTORE_REGISTRIES_PATH = "/etc/containers/registries.d/sigstore-registries.yaml";
var CRIO_POLICIES_DIR = "/etc/crio/policies";
var GoMap = class {
  entries;
  constructor(entries = []) {
    this.entries = new Map(entries);
  }
};
function goString(s) {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
function goMarshalIndent(v, level = 0) {
  const pad = (n) => "  ".repeat(n);
  if (v === null || v === void 0) return "null";
  if (typeof v === "string") return goString(v);
  if (typeof v === "number" || typeof v === "boolean") return JSON.stringify(v);
  if (v instanceof Uint8Array) return goString(Buffer.from(v).toString("base64"));
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[
${v.map((x) => `${pad(level + 1)}${goMarshalIndent(x, level + 1)}`).join(",\n")}
${pad(level)}]`;
  }
  const entries = v instanceof GoMap ? [...v.entries].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0) : Object.entries(v).filter(([, x]) => x !== void 0);
  if (entries.length === 0) return "{}";
  return `{
${entries.map(([k, x]) => `${pad(level + 1)}${goString(k)}: ${goMarshalIndent(x, level + 1)}`).join(",\n")}
${pad(level)}}`;
}
function identityJson(rule) {
  const r = rule ?? { type: "matchRepoDigestOrExact" };
  switch (r.type) {
    case "exactRepository":
      return { type: r.type, dockerRepository: r.dockerRepository };
    case "exactReference":
      return { type: r.type, dockerReference: r.dockerReference };
    case "remapIdentity":
      return { type: r.type, prefix: r.prefix, signedPrefix: r.signedPrefix };
    default:
      return { type: r.type };
  }
}
function sigstoreRequirement(policy) {
  const root = policy.rootOfTrust;
  const signedIdentity = identityJson(policy.signedIdentity);
  switch (root.policyType) {
    case "PublicKey":
      return { type: "sigstoreSigned", keyData: root.keyData, rekorPublicKeyData: root.rekorKeyData, signedIdentity };
    case "FulcioCAWithRekor":
      return { type: "sigstoreSigned", fulcio: { caData: root.fulcioCAData, oidcIssuer: root.oidcIssuer, subjectEmail: root.signedEmail }, rekorPublicKeyData: root.rekorKeyData, signedIdentity };
    case "PKI":
      return {
        type: "sigstoreSigned",
        pki: { caRootsData: root.caRootsData, caIntermediatesData: root.caIntermediatesData, subjectEmail: root.email, subjectHostname: root.hostname },
        signedIdentity
      };
  }
}
var INSECURE = { type: "insecureAcceptAnything" };
var REJECT = { type: "reject" };
function scopeIsNestedInsideScope(sub, sup) {
  if (sub === sup) return true;
  if (sub.length > sup.length && sub.startsWith(sup) && sub[sup.length] === "/") return true;
  if (sup.startsWith("*.")) {
    if (sub.includes(":")) {
      const host = sub.split(":")[0] ?? "";
      return host.endsWith(sup.slice(1)) && !host.includes("/");
    }
    return (sub.split("/")[0] ?? "").endsWith(sup.slice(1));
  }
  return false;
}
function atomicScopes(scopes) {
  return new GoMap([...scopes.entries].filter(([scope2]) => (scope2.match(/\//g) ?? []).length < 3));
}
function template() {
  return { default: [INSECURE], transports: new GoMap([["docker-daemon", new GoMap([["", [INSECURE]]])]]) };
}
function prefixMatches(ref, prefix) {
  if (prefix.startsWith("*.")) {
    const host = ref.split("/")[0] ?? "";
    return host.endsWith(prefix.slice(1));
  }
  return ref === prefix || ref.startsWith(prefix) && ["/", ":", "@"].includes(ref[prefix.length] ?? "");
}
function endpointsOf(scope2, rule) {
  const rest = rule.source.startsWith("*.") ? "" : scope2.slice(rule.source.length);
  return [...rule.mirrors.map((m) => `${m}${rest}`), rule.source.startsWith("*.") ? void 0 : `${rule.source}${rest}`].filter((e) => e !== void 0);
}
function mirrorEndpoints(scope2, rules, notes) {
  if (scope2.startsWith("*.")) {
    const hits = rules.filter((r) => scopeIsNestedInsideScope(r.source, scope2));
    if (hits.length > 0) notes.push(`the mirrors of wildcard scope ${scope2} are not rendered: the operator resolves them through a dummy host name this rendering does not reproduce`);
    return [];
  }
  const out = [];
  const parent = rules.filter((r) => prefixMatches(scope2, r.source)).sort((a, b) => b.source.length - a.source.length)[0];
  if (parent) out.push(...endpointsOf(scope2, parent));
  for (const r of rules) if (r.source !== scope2 && scopeIsNestedInsideScope(r.source, scope2)) out.push(...endpointsOf(r.source, r));
  return out;
}
function renderNodePolicy(manifests, options = {}) {
  const notes = [];
  const byName = (a, b) => `${a.namespace ?? ""}/${a.name}`.localeCompare(`${b.namespace ?? ""}/${b.name}`);
  const cluster = manifests.policies.filter((p) => p.kind === "ClusterImagePolicy").sort(byName);
  const namespaced = manifests.policies.filter((p) => p.kind === "ImagePolicy").sort(byName);
  const clusterScopes = /* @__PURE__ */ new Map();
  for (const p of cluster) for (const s of p.scopes) clusterScopes.set(s, [...clusterScopes.get(s) ?? [], sigstoreRequirement(p)]);
  const namespaceScopes = /* @__PURE__ */ new Map();
  for (const p of namespaced) {
    const conflicts = [];
    for (const s of p.scopes) {
      if ([...clusterScopes.keys()].some((c) => scopeIsNestedInsideScope(s, c))) {
        conflicts.push(s);
        continue;
      }
      const ns = namespaceScopes.get(s) ?? /* @__PURE__ */ new Map();
      ns.set(p.namespace, [...ns.get(p.namespace) ?? [], sigstoreRequirement(p)]);
      namespaceScopes.set(s, ns);
    }
    if (conflicts.length > 0) notes.push(`${p.origin}: scope(s) ${conflicts.join(", ")} equal or nest inside a ClusterImagePolicy scope; the operator applies only the ClusterImagePolicy there (the ImagePolicy is Pending)`);
  }
  const image = manifests.image;
  const allowed = image?.allowedRegistries ?? [];
  const blocked = image?.blockedRegistries ?? [];
  const signed = /* @__PURE__ */ new Map();
  for (const entry of image?.signedRegistries ?? []) {
    for (const s of entry.scopes) signed.set(s, [...signed.get(s) ?? [], { type: "signedBy", keyType: "GPGKeys", keyPath: entry.gpgKeyPath, signedIdentity: identityJson(void 0) }]);
  }
  if (signed.size > 0) notes.push("signedRegistries is rendered as the signedRegistries enhancement proposes it (the machine-config operator does not implement it), with keyPath for the key file where the enhancement's example writes the path into keyData, which containers/image would refuse");
  const check = (scopes2, what) => {
    for (const s of scopes2) {
      if (allowed.length > 0 && !allowed.some((a) => scopeIsNestedInsideScope(s, a))) throw new SigcheckError("CONFIG", `${what} configured for the scope ${s} is not nested inside allowedRegistries; the machine-config operator refuses this configuration`);
      if (blocked.some((b) => scopeIsNestedInsideScope(s, b))) throw new SigcheckError("CONFIG", `${what} configured for the scope ${s} is nested inside blockedRegistries; the machine-config operator refuses this configuration`);
    }
  };
  check(clusterScopes.keys(), "clusterimagePolicy");
  check(namespaceScopes.keys(), "imagePolicy");
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
  for (const [s, reqs] of clusterScopes) scopes.entries.set(s, [...scopes.entries.get(s) ?? [], ...reqs]);
  for (const [s, reqs] of signed) scopes.entries.set(s, [...scopes.entries.get(s) ?? [], ...reqs]);
  if (scopes.entries.size > 0) {
    policy.transports.entries.set("docker", scopes);
    policy.transports.entries.set("atomic", atomicScopes(scopes));
  }
  if (!anything) notes.push("no image policy, allowed, blocked or signed registries: nodes keep the template policy.json the operator ships");
  const files = [{ path: POLICY_JSON_PATH, content: goMarshalIndent(policy) }];
  const perNamespace = /* @__PURE__ */ new Map();
  for (const [s, byNs] of namespaceScopes) for (const [ns, reqs] of byNs) perNamespace.set(ns, new Map([...perNamespace.get(ns) ?? [], [s, reqs]]));
  for (const ns of [...perNamespace.keys()].sort()) {
    const copy = { default: policy.default, transports: new GoMap([...policy.transports.entries].map(([t, m]) => [t, new GoMap(m.entries)])) };
    const dockerScopes = copy.transports.entries.get("docker") ?? new GoMap();
    const atomic = copy.transports.entries.get("atomic") ?? new GoMap();
    for (const [s, reqs] of perNamespace.get(ns)) {
      dockerScopes.entries.set(s, [...dockerScopes.entries.get(s) ?? [], ...reqs]);
      if ((s.match(/\//g) ?? []).length < 3) atomic.entries.set(s, [...atomic.entries.get(s) ?? [], ...reqs]);
    }
    copy.transports.entries.set("docker", dockerScopes);
    copy.transports.entries.set("atomic", atomic);
    files.push({ path: `${CRIO_POLICIES_DIR}/${ns}.json`, content: goMarshalIndent(copy) });
  }
  const policyScopes = [...clusterScopes.keys(), ...namespaceScopes.keys()];
  if (policyScopes.length > 0) {
    const attachments = /* @__PURE__ */ new Set();
    for (const s of policyScopes) {
      attachments.add(s);
      for (const e of mirrorEndpoints(s, options.mirrors ?? [], notes)) attachments.add(e);
    }
    const lines = ["docker:"];
    for (const s of [...attachments].sort()) lines.push(`  ${yamlKey(s)}:`, "    use-sigstore-attachments: true");
    files.push({ path: SIGSTORE_REGISTRIES_PATH, content: `${lines.join("\n")}
` });
  }
  return { files, notes };
}
function yamlKey(s) {
  if (/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(s) && !/:$/.test(s) && !/^(?:true|false|null|yes|no|on|off|y|n|~)$/i.test(s) && !/^[0-9.:+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, "''")}'`;
}

// src/commands/policy.ts
var POLICY_HELP = `Usage: release-sigcheck policy render --manifests FILE [--manifests FILE ...] [options]

Renders what the machine-config operator writes on every node from the cluster's ClusterImagePolicy
and ImagePolicy objects and its image configuration (allowedRegistries, blockedRegistries and the
proposed signedRegistries): /etc/containers/policy.json, /etc/crio/policies/<namespace>.json and
/etc/containers/registries.d/sigstore-registries.yaml.

Examples:
  release-sigcheck policy render --manifests 0000_90_openshift-cluster-image-policy.yaml
  oc get clusterimagepolicy,imagepolicy -A -o yaml > policies.yaml
  oc get image.config.openshift.io cluster -o yaml > image.yaml
  release-sigcheck policy render --manifests policies.yaml --manifests image.yaml --idms idms.yaml --write node/
  release-sigcheck image quay.io/openshift-release-dev/ocp-release:4.22.11-multi \\
      --policy-json node/etc/containers/policy.json --registries-d node/etc/containers/registries.d

${optionsHelp("policy", ["Rendering node policies", "Mirrors", "Output"])}
Exit codes: 0 rendered, 2 usage or configuration error (a manifest the API server or the
machine-config operator would refuse).
`;
var MAX_MANIFEST_FILE_BYTES = 4 * 1024 * 1024;
async function runPolicyCommand(args, io) {
  const [sub, ...rest] = args;
  if (sub === void 0 || sub === "--help" || sub === "-h") {
    io.stdout.write(POLICY_HELP);
    return sub === void 0 ? ExitCode.Usage : ExitCode.Passed;
  }
  if (sub !== "render") throw new SigcheckError("USAGE", `policy has one subcommand, render (got ${JSON.stringify(sub.slice(0, 40))}); see \`release-sigcheck policy --help\``);
  const { values } = parseCommandArgs("policy render", rest, parseArgsSpec("policy"));
  if (values.help) {
    io.stdout.write(POLICY_HELP);
    return ExitCode.Passed;
  }
  const format = str(values, "format") ?? "text";
  if (format !== "text" && format !== "json") throw new SigcheckError("USAGE", `--format must be text or json (got ${JSON.stringify(format)})`);
  const files = list(values, "manifests") ?? [];
  if (files.length === 0) throw new SigcheckError("USAGE", "policy render needs --manifests FILE: the ClusterImagePolicy, ImagePolicy or Image manifests to render");
  const manifests = { policies: [], skipped: [] };
  for (const file of files) parseClusterManifests((await readRegularFile(file, { what: "manifest file", maxBytes: MAX_MANIFEST_FILE_BYTES })).toString("utf8"), file, manifests);
  const bySource = /* @__PURE__ */ new Map();
  for (const file of list(values, "idms") ?? []) {
    const set = parseMirrorRules((await readRegularFile(file, { what: "mirror manifest", maxBytes: MAX_MANIFEST_FILE_BYTES })).toString("utf8"), file);
    for (const r of set.rules) bySource.set(r.source, [...bySource.get(r.source) ?? [], ...r.mirrors.filter((m) => !(bySource.get(r.source) ?? []).includes(m))]);
  }
  const mirrors = [...bySource].map(([source, m]) => ({ source, mirrors: m }));
  const rendered = renderNodePolicy(manifests, { mirrors });
  for (const n of [...manifests.skipped.map((s) => `skipped ${s}`), ...rendered.notes]) io.stderr.write(`release-sigcheck: note: ${n}
`);
  const out = str(values, "write");
  if (out !== void 0) {
    for (const f of rendered.files) {
      const target = join(out, f.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content.endsWith("\n") ? f.content : `${f.content}
`);
      io.stdout.write(`wrote ${target}
`);
    }
    return ExitCode.Passed;
  }
  if (format === "json") {
    io.stdout.write(`${JSON.stringify({ files: Object.fromEntries(rendered.files.map((f) => [f.path, f.content])), notes: rendered.notes }, null, 2)}
`);
  } else {
    for (const f of rendered.files) io.stdout.write(`# ${f.path}
${f.content}${f.content.endsWith("\n") ? "" : "\n"}`);
  }
  return ExitCode.Passed;
}
export {
  POLICY_HELP,
  runPolicyCommand
};
