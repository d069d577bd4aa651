import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  describeVerified,
  digestHex,
  toConfigMapKeyPrefix,
  toDigest,
  toSignatureAttempt,
  toSignatureTag,
  verifyOpenPGPSignature,
  yamlOverBudget
} from "./chunk-EMWE3HHO.js";
import {
  require_dist
} from "./chunk-POKWITQM.js";
import {
  readRegularFile
} from "./chunk-S5K3IP7C.js";
import {
  SigcheckError
} from "./chunk-GOJHGAW3.js";
import {
  __toESM
} from "./chunk-YOB2P7JE.js";

// src/openpgp/configmap.ts
var import_yaml = __toESM(require_dist(), 1);
import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
var SIGNATURE_CONFIGMAP_NAMESPACE = "openshift-config-managed";
var SIGNATURE_CONFIGMAP_LABEL = "release.openshift.io/verification-signatures";
var MAX_CONFIGMAP_FILE_BYTES = 16 * 1024 * 1024;
var MAX_CONFIGMAP_DOCUMENTS = 1e4;
var MAX_CONFIGMAP_YAML_VALUES = 20 * MAX_CONFIGMAP_DOCUMENTS;
var CONFIGMAP_EXTENSIONS = [".yaml", ".yml", ".json"];
var SIGNATURE_KEY = /^sha256-([0-9a-f]{64})/;
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}
function decodeBase64Strict(value) {
  const compact = value.replace(/\s+/g, "");
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return void 0;
  const bytes = Buffer.from(compact, "base64");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
function visitConfigMaps(value, where, visit, notes, depth = 0) {
  if (!isObject(value)) {
    if (value !== null && value !== void 0) notes.push(`${where}: not a Kubernetes object, ignored`);
    return;
  }
  const kind = value.kind;
  if ((kind === "List" || kind === "ConfigMapList") && Array.isArray(value.items) && depth < 4) {
    value.items.forEach((item, i) => visitConfigMaps(item, `${where} items[${i}]`, visit, notes, depth + 1));
    return;
  }
  if (kind !== "ConfigMap") {
    notes.push(`${where}: ${typeof kind === "string" ? `kind ${kind}` : "an object without a kind"}, not a ConfigMap, ignored`);
    return;
  }
  visit(value, where);
}
function readConfigMap(doc, where, file, signatures, notes) {
  const metadata = isObject(doc.metadata) ? doc.metadata : {};
  const name = typeof metadata.name === "string" ? metadata.name : "(unnamed)";
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : void 0;
  const configMap = namespace ? `${namespace}/${name}` : name;
  const label = `${where}: ConfigMap ${configMap}`;
  const labels = isObject(metadata.labels) ? metadata.labels : {};
  const labelled = Object.hasOwn(labels, SIGNATURE_CONFIGMAP_LABEL);
  let found = 0;
  if (isObject(doc.data)) {
    for (const key of Object.keys(doc.data)) {
      if (key.startsWith("sha256-")) {
        notes.push(`${label}: data entry ${JSON.stringify(key)} ignored: the cluster-version operator reads signatures from binaryData only`);
      }
    }
  }
  if (isObject(doc.binaryData)) {
    for (const [key, value] of Object.entries(doc.binaryData)) {
      const m = SIGNATURE_KEY.exec(key);
      if (!m) {
        notes.push(`${label}: binaryData key ${JSON.stringify(key.slice(0, 100))} ignored: it does not start with sha256-<64 lowercase hex>`);
        continue;
      }
      found++;
      const signature = { digest: toDigest(`sha256:${m[1]}`), key, configMap, labelled, file, source: `${label} key ${key}` };
      if (namespace !== void 0) signature.namespace = namespace;
      if (value instanceof Uint8Array) signature.bytes = value;
      else if (typeof value === "string") {
        const bytes = decodeBase64Strict(value);
        if (bytes) signature.bytes = bytes;
        else signature.problem = "the binaryData value is not valid base64";
      } else signature.problem = "the binaryData value is not a base64 string";
      signatures.push(signature);
    }
  }
  if (found === 0) {
    notes.push(`${label}: holds no signatures (no binaryData key starting with sha256-<hex>)`);
    return;
  }
  if (!labelled) {
    notes.push(`${label}: lacks the label ${SIGNATURE_CONFIGMAP_LABEL}; the cluster-version operator only reads labelled ConfigMaps`);
  }
  if (namespace !== SIGNATURE_CONFIGMAP_NAMESPACE) {
    notes.push(`${label}: ${namespace ? `is in namespace ${namespace}` : "has no namespace"}; the cluster-version operator only reads ConfigMaps in ${SIGNATURE_CONFIGMAP_NAMESPACE}`);
  }
}
function operatorReadsConfigMap(signature) {
  if (!signature.labelled) {
    return { reads: false, reason: `ConfigMap ${signature.configMap} in ${signature.file} lacks the label ${SIGNATURE_CONFIGMAP_LABEL}, and the cluster-version operator lists ConfigMaps by that label, so it never reads this one` };
  }
  if (signature.namespace !== void 0 && signature.namespace !== SIGNATURE_CONFIGMAP_NAMESPACE) {
    return { reads: false, reason: `ConfigMap ${signature.configMap} in ${signature.file} is in namespace ${signature.namespace}; the cluster-version operator reads ${SIGNATURE_CONFIGMAP_NAMESPACE} only, so it never reads this one` };
  }
  if (signature.namespace === void 0) return { reads: true, warning: `ConfigMap ${signature.configMap} in ${signature.file} names no namespace: apply it with -n ${SIGNATURE_CONFIGMAP_NAMESPACE}` };
  return { reads: true };
}
function parseSignatureConfigMaps(text, file) {
  const signatures = [];
  const notes = [];
  const over = yamlOverBudget(text, MAX_CONFIGMAP_YAML_VALUES);
  if (over) {
    const documents2 = (text.match(/^---/gm) ?? []).length + 1;
    if (documents2 > MAX_CONFIGMAP_DOCUMENTS) throw new SigcheckError("USAGE", `${file}: more than ${MAX_CONFIGMAP_DOCUMENTS} YAML/JSON documents; a signature ConfigMap file holds a few. Pass the signature ConfigMaps only.`);
    throw new SigcheckError("USAGE", `${file}: not read: ${over}. Pass the signature ConfigMaps only.`);
  }
  const lines = new import_yaml.LineCounter();
  const documents = [];
  for (const document of new import_yaml.Composer({ uniqueKeys: true }).compose(new import_yaml.Parser(lines.addNewLine).parse(text))) {
    if (documents.length >= MAX_CONFIGMAP_DOCUMENTS) {
      throw new SigcheckError("USAGE", `${file}: more than ${MAX_CONFIGMAP_DOCUMENTS} YAML/JSON documents; a signature ConfigMap file holds a few. Pass the signature ConfigMaps only.`);
    }
    documents.push(document);
  }
  documents.forEach((document, index) => {
    const where = documents.length > 1 ? `${file} document ${index + 1}` : file;
    for (const error of document.errors) {
      const at = error.pos?.[0] !== void 0 ? lines.linePos(error.pos[0]) : void 0;
      const line = at?.line;
      const message = `${error.message.split("\n")[0].replace(/:$/, "")}${at ? ` at line ${at.line}, column ${at.col}` : ""}`;
      if (error.code === "DUPLICATE_KEY") {
        notes.push(`${file}${line ? `:${line}` : ""}: duplicate key (${message}); the last value counts, as Kubernetes reads it`);
        continue;
      }
      throw new SigcheckError("CONFIG", `${file}${line ? `:${line}` : ""}: not valid YAML or JSON (${message}). Pass signature ConfigMaps as written by oc adm release mirror, oc-mirror or the cluster-version operator.`);
    }
    visitConfigMaps(document.toJS({ maxAliasCount: 100 }), where, (doc, at) => readConfigMap(doc, at, file, signatures, notes), notes);
  });
  return { signatures, notes };
}
async function listConfigMapFiles(dir, out, depth = 0) {
  if (depth > 16) return;
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await listConfigMapFiles(path, out, depth + 1);
    else if ((entry.isFile() || entry.isSymbolicLink()) && CONFIGMAP_EXTENSIONS.includes(extname(entry.name).toLowerCase())) out.push(path);
  }
}
async function readTextFile(file) {
  const bytes = await readRegularFile(file, { maxBytes: MAX_CONFIGMAP_FILE_BYTES, what: "ConfigMap file", hint: "Pass signature ConfigMap files (YAML or JSON) or the directories that hold them." });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}
async function readSignatureConfigMaps(paths) {
  const result = { signatures: [], notes: [], files: [] };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      throw new SigcheckError("CONFIG", `${path}: cannot be read (${err.code ?? err.message}). Pass ConfigMap files or directories that hold them.`);
    }
    if (info.isDirectory()) {
      const files = [];
      await listConfigMapFiles(path, files);
      if (files.length === 0) throw new SigcheckError("CONFIG", `${path}: no *.yaml, *.yml or *.json files in this directory. Pass signature ConfigMap files or the directory oc adm release mirror --to-dir wrote.`);
      for (const file of files) {
        try {
          addFile(result, file, parseSignatureConfigMaps(await readTextFile(file), file));
        } catch (err) {
          if (!(err instanceof SigcheckError)) throw err;
          result.notes.push(`${err.message.split(". ")[0]}; skipped`);
        }
      }
    } else {
      addFile(result, path, parseSignatureConfigMaps(await readTextFile(path), path));
    }
  }
  return result;
}
function addFile(result, file, parsed) {
  result.files.push(file);
  for (const s of parsed.signatures) result.signatures.push(s);
  for (const n of parsed.notes) result.notes.push(n);
}
function toSignatureConfigMap(digest, signatures) {
  const prefix = toConfigMapKeyPrefix(toDigest(digest, "ConfigMap digest"));
  const binaryData = {};
  signatures.forEach((bytes, i) => {
    binaryData[`${prefix}-${i + 1}`] = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  });
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: prefix, namespace: SIGNATURE_CONFIGMAP_NAMESPACE, labels: { [SIGNATURE_CONFIGMAP_LABEL]: "" } },
    binaryData
  };
}
function formatSignatureConfigMap(configMap, format = "yaml") {
  return format === "json" ? `${JSON.stringify(configMap, null, 2)}
` : (0, import_yaml.stringify)(configMap, { lineWidth: 0 });
}

// src/openpgp/configmap-judge.ts
async function judgeConfigMapSignatures(digest, entries, keyring, options = {}) {
  const signatures = [];
  for (const entry of entries) {
    const reads = operatorReadsConfigMap(entry);
    const judged = { entry };
    if (!reads.reads) judged.unread = reads.reason;
    else if (reads.warning) judged.warning = reads.warning;
    if (!entry.bytes) {
      judged.attempt = { source: entry.source, outcome: "invalid", reason: `MALFORMED: ${entry.problem ?? "no signature bytes"}`, code: "MALFORMED" };
      signatures.push(judged);
      continue;
    }
    const verdict = await verifyOpenPGPSignature(entry.bytes, digest, keyring, { readLimit: entry.bytes.length, ...options.now ? { now: options.now } : {} });
    judged.verdict = verdict;
    const attempt = toSignatureAttempt(entry.source, verdict);
    if (verdict.ok && judged.unread) {
      attempt.outcome = "invalid";
      attempt.code = "NOT_READ_BY_OPERATOR";
      attempt.reason = `${describeVerified(verdict)}, but ${judged.unread}`;
    }
    judged.attempt = attempt;
    signatures.push(judged);
  }
  const counted = signatures.find((s) => s.attempt.outcome === "verified");
  if (counted) {
    const verdict = counted.verdict;
    return {
      result: {
        outcome: "verified",
        reason: `${describeVerified(verdict)} (${counted.entry.source})${counted.warning ? `; note: ${counted.warning}` : ""}`,
        source: counted.entry.source,
        signer: verdict.signer.keyName,
        identity: verdict.identity,
        digests: [digest]
      },
      signatures
    };
  }
  const attempts = signatures.map((s) => s.attempt);
  const unreadVerified = signatures.find((s) => s.verdict?.ok && s.unread);
  const details = attempts.map((a) => `${a.source}: ${a.reason}`).join("; ");
  return {
    result: {
      outcome: "invalid",
      reason: unreadVerified ? `the signature of ${digest} verifies, but the cluster-version operator will not read it: ${unreadVerified.unread}${attempts.length > 1 ? ` (all ${attempts.length}: ${details})` : ""}` : `${attempts.length} signature(s) of ${digest} in the ConfigMaps, none valid (${details}); the cluster-version operator will refuse this update`,
      source: (unreadVerified ?? signatures[0]).entry.source,
      digests: [digest],
      attempts
    },
    signatures
  };
}

// src/mirror/remedy.ts
import { join as join2 } from "node:path";
var SAFE_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/;
function shellQuote(arg) {
  if (arg !== "" && SAFE_ARG.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
function toRemedy(tool, argv, note) {
  const remedy = { tool, argv, command: argv.map(shellQuote).join(" ") };
  if (note !== void 0) remedy.note = note;
  return remedy;
}
function skopeoTls(source, mirror) {
  const out = [];
  if (source.scheme === "http") out.push("--src-tls-verify=false");
  if (mirror.scheme === "http") out.push("--dest-tls-verify=false");
  return out;
}
function ocTls(source, mirror) {
  return source.scheme === "http" || mirror.scheme === "http" ? ["--insecure=true"] : [];
}
function copySignatureRemedies(source, mirror, digest) {
  const tag = toSignatureTag(toDigest(digest, "signature digest"));
  return [
    toRemedy("oc", ["oc", "image", "mirror", ...ocTls(source, mirror), `${source.display}:${tag}`, `${mirror.display}:${tag}`]),
    toRemedy("skopeo", ["skopeo", "copy", "--preserve-digests", ...skopeoTls(source, mirror), `docker://${source.display}:${tag}`, `docker://${mirror.display}:${tag}`])
  ];
}
function copyImageRemedies(source, mirror, digest, tag) {
  const d = toDigest(digest, "image digest");
  return [
    toRemedy("oc", ["oc", "image", "mirror", "--keep-manifest-list=true", ...ocTls(source, mirror), `${source.display}@${d}`, `${mirror.display}:${tag}`]),
    toRemedy("skopeo", ["skopeo", "copy", "--all", "--preserve-digests", ...skopeoTls(source, mirror), `docker://${source.display}@${d}`, `docker://${mirror.display}:${tag}`])
  ];
}
function copyInstanceRemedies(source, mirror, instance, list, tag) {
  const i = toDigest(instance, "instance digest");
  const l = toDigest(list, "manifest list digest");
  return [
    toRemedy("oc", ["oc", "image", "mirror", "--keep-manifest-list=true", ...ocTls(source, mirror), `${source.display}@${l}`, `${mirror.display}:${tag}`], "copies the instances the mirror lacks"),
    toRemedy("skopeo", ["skopeo", "copy", "--preserve-digests", ...skopeoTls(source, mirror), `docker://${source.display}@${i}`, `docker://${mirror.display}@${i}`])
  ];
}
function toConfigMapFileName(digest) {
  return `signature-sha256-${digestHex(toDigest(digest, "ConfigMap digest")).slice(0, 16)}.yaml`;
}
function writeConfigMapRemedies(digest, options) {
  const d = toDigest(digest, "ConfigMap digest");
  const argv = ["release-sigcheck", "configmap", "--write", options.dir, "--digest", d];
  for (const store of options.signatureStores ?? []) argv.push("--signature-store", store);
  for (const key of options.openpgpKeys ?? []) argv.push("--openpgp-key", key);
  return [
    toRemedy("release-sigcheck", argv, "fetches the signatures from the signature stores, verifies them, writes the ConfigMap"),
    { ...toRemedy("oc", ["oc", "apply", "-f", join2(options.dir, toConfigMapFileName(d))]), then: true }
  ];
}

export {
  SIGNATURE_CONFIGMAP_NAMESPACE,
  SIGNATURE_CONFIGMAP_LABEL,
  operatorReadsConfigMap,
  readSignatureConfigMaps,
  toSignatureConfigMap,
  formatSignatureConfigMap,
  judgeConfigMapSignatures,
  toRemedy,
  copySignatureRemedies,
  copyImageRemedies,
  copyInstanceRemedies,
  toConfigMapFileName,
  writeConfigMapRemedies
};
