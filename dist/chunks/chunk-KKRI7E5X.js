import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-POKWITQM.js";
import {
  SigcheckError
} from "./chunk-GOJHGAW3.js";
import {
  __toESM
} from "./chunk-YOB2P7JE.js";

// src/mirror/idms.ts
var import_yaml = __toESM(require_dist(), 1);
var DC = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
var HOST = `(?:${DC}(?:\\.${DC})*(?::[0-9]+)?)`;
var PATH = "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*";
var SOURCE_RE = new RegExp(`^(?:\\*(?:\\.${DC})+|${HOST}${PATH})$`);
var MIRROR_RE = new RegExp(`^${HOST}${PATH}$`);
var KINDS = {
  ImageDigestMirrorSet: { field: "imageDigestMirrors", apiVersions: ["config.openshift.io/v1"] },
  ImageContentSourcePolicy: { field: "repositoryDigestMirrors", apiVersions: ["operator.openshift.io/v1alpha1"] }
};
function isRecord(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function configError(where, message) {
  throw new SigcheckError("CONFIG", `${where}: ${message}`);
}
function readDocument(doc, where, file, out, depth = 0) {
  if (!isRecord(doc)) {
    if (doc !== null && doc !== void 0) out.notes.push(`${where}: not a Kubernetes object, ignored`);
    return;
  }
  const kind = doc.kind;
  if (kind === "List" && Array.isArray(doc.items) && depth < 4) {
    doc.items.forEach((item, i) => readDocument(item, `${where} items[${i}]`, file, out, depth + 1));
    return;
  }
  if (kind === "ImageTagMirrorSet") {
    out.notes.push(`${where}: ImageTagMirrorSet applies to pulls by tag; release images are pulled by digest, so it is ignored`);
    return;
  }
  const shape = typeof kind === "string" ? KINDS[kind] : void 0;
  if (!shape) {
    out.notes.push(`${where}: ${typeof kind === "string" ? `kind ${kind}` : "an object without a kind"}, not an ImageDigestMirrorSet or ImageContentSourcePolicy, ignored`);
    return;
  }
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const name = typeof metadata.name === "string" && metadata.name !== "" ? metadata.name : "(unnamed)";
  const origin = `${kind}/${name} (${file})`;
  const at = `${where} (${kind}/${name})`;
  if (typeof doc.apiVersion !== "string" || !shape.apiVersions.includes(doc.apiVersion)) {
    out.notes.push(`${at}: apiVersion ${JSON.stringify(doc.apiVersion)}, expected ${shape.apiVersions.join(" or ")}; read anyway`);
  }
  const spec = isRecord(doc.spec) ? doc.spec : configError(at, "has no spec");
  const entries = spec[shape.field];
  if (entries === void 0 || entries === null) {
    out.notes.push(`${at}: spec.${shape.field} is empty`);
    return;
  }
  if (!Array.isArray(entries)) configError(at, `spec.${shape.field} must be a list`);
  entries.forEach((entry, i) => {
    const ew = `${at} spec.${shape.field}[${i}]`;
    if (!isRecord(entry)) configError(ew, "must be an object with source and mirrors");
    const source = entry.source;
    if (typeof source !== "string" || !SOURCE_RE.test(source)) {
      configError(ew, `source ${JSON.stringify(source)} is not a repository, namespace, registry or *.domain wildcard`);
    }
    const mirrors = entry.mirrors ?? [];
    if (!Array.isArray(mirrors)) configError(ew, "mirrors must be a list");
    const checked = mirrors.map((m, j) => {
      if (typeof m !== "string" || !MIRROR_RE.test(m)) configError(`${ew} mirrors[${j}]`, `${JSON.stringify(m)} is not host[:port][/path] (no scheme, tag or digest)`);
      return m;
    });
    if (checked.length === 0) out.notes.push(`${ew}: source ${source} has no mirrors`);
    out.rules.push({ source, mirrors: checked, origin });
  });
}
function parseMirrorRules(text, file) {
  const out = { rules: [], notes: [] };
  const documents = (0, import_yaml.parseAllDocuments)(text, { uniqueKeys: true, prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [];
  list.forEach((document, index) => {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      configError(`${file}${line ? `:${line}` : ""}`, `not valid YAML or JSON (${error.message.split("\n")[0]}). Pass the ImageDigestMirrorSet or ImageContentSourcePolicy manifest oc-mirror or oc adm release mirror wrote.`);
    }
    readDocument(document.toJS({ maxAliasCount: 100 }), list.length > 1 ? `${file} document ${index + 1}` : file, file, out);
  });
  return out;
}
function matchingPrefixLength(ref, prefix) {
  if (prefix.startsWith("*.")) {
    const suffix = prefix.slice(1);
    const index = ref.indexOf(suffix);
    if (index === -1 || ref.slice(0, index).includes("/")) return -1;
    const end = index + suffix.length;
    if (end === ref.length) return end;
    return ":/@".includes(ref[end]) ? end : -1;
  }
  if (ref.length < prefix.length || !ref.startsWith(prefix)) return -1;
  if (ref.length === prefix.length) return prefix.length;
  return ":/@".includes(ref[prefix.length]) ? prefix.length : -1;
}
function toMirrorRepositories(repository, rules) {
  let best;
  for (const rule of rules) {
    const length = matchingPrefixLength(repository, rule.source);
    if (length !== -1 && (!best || rule.source.length > best.source.length)) best = { source: rule.source, length };
  }
  if (!best) return [];
  const chosen = best;
  const rest = repository.slice(chosen.length);
  const out = /* @__PURE__ */ new Map();
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
function describeSources(rules) {
  const sources = [...new Set(rules.map((r) => r.source))];
  return sources.length === 0 ? "(none)" : sources.length > 8 ? `${sources.slice(0, 8).join(", ")}, \u2026 (${sources.length})` : sources.join(", ");
}

export {
  parseMirrorRules,
  toMirrorRepositories,
  describeSources
};
