import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  describeVerified,
  loadOpenPGPKeyring,
  require_dist,
  toDigest,
  verifyOpenPGPSignature
} from "./chunk-7OBQH7GJ.js";
import {
  TOOL
} from "./chunk-FZ5KPPID.js";
import {
  list,
  parseCommandArgs,
  str
} from "./chunk-AK3WTL7Y.js";
import {
  ExitCode,
  SigcheckError,
  __toESM
} from "./chunk-WUMOZROW.js";

// src/openpgp/configmap.ts
var import_yaml = __toESM(require_dist(), 1);
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
var SIGNATURE_CONFIGMAP_NAMESPACE = "openshift-config-managed";
var SIGNATURE_CONFIGMAP_LABEL = "release.openshift.io/verification-signatures";
var MAX_CONFIGMAP_FILE_BYTES = 16 * 1024 * 1024;
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
      const signature = { digest: toDigest(`sha256:${m[1]}`), key, configMap, file, source: `${label} key ${key}` };
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
  const labels = isObject(metadata.labels) ? metadata.labels : {};
  if (!Object.hasOwn(labels, SIGNATURE_CONFIGMAP_LABEL)) {
    notes.push(`${label}: lacks the label ${SIGNATURE_CONFIGMAP_LABEL}; the cluster-version operator only reads labelled ConfigMaps`);
  }
  if (namespace !== SIGNATURE_CONFIGMAP_NAMESPACE) {
    notes.push(`${label}: ${namespace ? `is in namespace ${namespace}` : "has no namespace"}; the cluster-version operator only reads ConfigMaps in ${SIGNATURE_CONFIGMAP_NAMESPACE}`);
  }
}
function parseSignatureConfigMaps(text, file) {
  const signatures = [];
  const notes = [];
  const parsed = (0, import_yaml.parseAllDocuments)(text, { uniqueKeys: true, prettyErrors: true });
  const documents = Array.isArray(parsed) ? parsed : [];
  documents.forEach((document, index) => {
    const where = documents.length > 1 ? `${file} document ${index + 1}` : file;
    for (const error of document.errors) {
      const line = error.linePos?.[0]?.line;
      const message = error.message.split("\n")[0].replace(/:$/, "");
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
  const info = await stat(file);
  if (info.size > MAX_CONFIGMAP_FILE_BYTES) {
    throw new SigcheckError("CONFIG", `${file}: ${info.size} bytes, over the ${MAX_CONFIGMAP_FILE_BYTES}-byte limit for a ConfigMap file. Pass the signature ConfigMaps only.`);
  }
  return readFile(file, "utf8");
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
  result.signatures.push(...parsed.signatures);
  result.notes.push(...parsed.notes);
}

// src/cli/commands/configmap.ts
var CONFIGMAP_OPTIONS = {
  "openpgp-key": { type: "string", multiple: true },
  format: { type: "string" }
};
var CONFIGMAP_HELP = `Usage: release-sigcheck configmap [options] FILE|DIR...

Verifies the OpenPGP release signatures in signature ConfigMaps, as the cluster-version operator of a
disconnected cluster reads them before it starts an update. Reads the ConfigMaps written by
\`oc adm release mirror\` (sha256-<hex>, keys sha256-<hex>-1..), oc-mirror (mirrored-release-signatures)
and the operator itself (signatures-managed): YAML or JSON, one or many documents, kind: List too.
Directories are searched for *.yaml, *.yml and *.json files.

Every binaryData key that starts with sha256-<hex> is one signature of that digest; data entries are
ignored, as the operator ignores them. A digest passes when at least one of its signatures verifies.

Examples:
  release-sigcheck configmap mirror/config/
      check what \`oc adm release mirror --to-dir mirror\` wrote before applying it
  release-sigcheck configmap signatures.yaml --format json
      one file, a JSON report on stdout
  oc get configmap -n openshift-config-managed -l release.openshift.io/verification-signatures -o yaml > cms.yaml
  release-sigcheck configmap cms.yaml
      check the signatures a cluster already holds
  release-sigcheck configmap --openpgp-key my-ci-key.asc signatures.yaml
      also trust another public key (armored or binary; repeatable)

Options:
  --openpgp-key FILE   also trust this OpenPGP public key (the Red Hat release key 2 and beta key 2
                       are always trusted; repeatable)
  --format FORMAT      text (default) or json

Exit codes: 0 every digest has a verified signature; 1 a digest has no valid signature (or no
signature was found); 2 usage or configuration error (unreadable file, bad key).
`;
async function verifyEntry(entry, keyring) {
  const base = { source: entry.source, file: entry.file, configMap: entry.configMap, key: entry.key };
  if (!entry.bytes) return { ...base, outcome: "invalid", code: "MALFORMED", reason: entry.problem ?? "no signature bytes" };
  const verdict = await verifyOpenPGPSignature(entry.bytes, entry.digest, keyring);
  if (verdict.ok) {
    return {
      ...base,
      outcome: "verified",
      reason: describeVerified(verdict),
      signer: verdict.signer.keyName,
      fingerprint: verdict.signer.fingerprint,
      identity: verdict.identity,
      signatureVersion: verdict.signatureVersion,
      created: verdict.created.toISOString()
    };
  }
  const report = { ...base, outcome: "invalid", code: verdict.code, reason: verdict.reason };
  if (verdict.signer) {
    report.signer = verdict.signer.keyName;
    report.fingerprint = verdict.signer.fingerprint;
  }
  if (verdict.identity !== void 0) report.identity = verdict.identity;
  if (verdict.signatureVersion !== void 0) report.signatureVersion = verdict.signatureVersion;
  return report;
}
async function runConfigMapCommand(args, io) {
  const { values, positionals } = parseCommandArgs("configmap", args, CONFIGMAP_OPTIONS, true);
  if (values.help) {
    io.stdout.write(CONFIGMAP_HELP);
    return ExitCode.Passed;
  }
  const format = str(values, "format") ?? "text";
  if (format !== "text" && format !== "json") {
    throw new SigcheckError("USAGE", `--format must be text or json (got ${JSON.stringify(format)}).
Run \`release-sigcheck configmap --help\` for the options and examples.`);
  }
  if (positionals.length === 0) {
    throw new SigcheckError("USAGE", "configmap needs at least one ConfigMap file or directory, e.g. `release-sigcheck configmap mirror/config/`.\nRun `release-sigcheck configmap --help` for the options and examples.");
  }
  const keyring = await loadOpenPGPKeyring({ keyFiles: list(values, "openpgp-key") ?? [] });
  const read = await readSignatureConfigMaps(positionals);
  const byDigest = /* @__PURE__ */ new Map();
  for (const entry of read.signatures) {
    const report = await verifyEntry(entry, keyring);
    const reports = byDigest.get(entry.digest) ?? [];
    reports.push(report);
    byDigest.set(entry.digest, reports);
  }
  const digests = [...byDigest].map(([digest, signatures]) => ({
    digest,
    outcome: signatures.some((s) => s.outcome === "verified") ? "verified" : "invalid",
    signatures
  }));
  const failed = digests.filter((d) => d.outcome !== "verified").length;
  const exitCode = digests.length > 0 && failed === 0 ? ExitCode.Passed : ExitCode.Failed;
  if (format === "json") {
    const doc = {
      tool: TOOL,
      trustedKeys: keyring.keys.map((k) => ({ name: k.name, fingerprint: k.fingerprint, origin: k.origin })),
      files: read.files,
      digests,
      notes: read.notes,
      summary: { digests: digests.length, verified: digests.length - failed, failed, signatures: read.signatures.length },
      exitCode
    };
    io.stdout.write(`${JSON.stringify(doc, null, 2)}
`);
    return exitCode;
  }
  for (const note of read.notes) io.stderr.write(`note: ${note}
`);
  for (const d of digests) {
    io.stdout.write(`${d.digest} ${d.outcome === "verified" ? "verified" : "NO VALID SIGNATURE"}
`);
    for (const s of d.signatures) {
      const detail = s.outcome === "verified" ? `${s.reason}, identity ${s.identity}` : `${s.code}: ${s.reason}`;
      io.stdout.write(`  ${s.outcome === "verified" ? "ok     " : "invalid"} ${s.source}: ${detail}
`);
    }
  }
  if (digests.length === 0) {
    io.stdout.write(`no signatures found in ${read.files.length} file(s): a signature ConfigMap holds binaryData keys sha256-<hex>-N
`);
  } else {
    io.stdout.write(
      `${digests.length} digest(s), ${read.signatures.length} signature(s): ${digests.length - failed} verified, ${failed} without a valid signature${failed > 0 ? " (the cluster-version operator will refuse to update to these)" : ""}
`
    );
  }
  return exitCode;
}
export {
  CONFIGMAP_HELP,
  CONFIGMAP_OPTIONS,
  runConfigMapCommand
};
