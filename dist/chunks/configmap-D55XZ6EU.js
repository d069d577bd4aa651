import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  SIGNATURE_CONFIGMAP_LABEL,
  SIGNATURE_CONFIGMAP_NAMESPACE,
  formatSignatureConfigMap,
  judgeConfigMapSignatures,
  readSignatureConfigMaps,
  toConfigMapFileName,
  toRemedy,
  toSignatureConfigMap
} from "./chunk-G2SRHIA7.js";
import {
  toCheckFlags
} from "./chunk-KLK33CFV.js";
import {
  list,
  parseCommandArgs,
  str
} from "./chunk-ZSOYOW2A.js";
import {
  MAX_STORE_SIGNATURES,
  loadOpenPGPTrust,
  openNetwork,
  toDigest,
  toSignatureAttempt,
  toStoreSignatureUrl,
  verifyOpenPGPSignature
} from "./chunk-EMWE3HHO.js";
import "./chunk-POKWITQM.js";
import {
  toCheckConfig
} from "./chunk-NBE2HKWK.js";
import "./chunk-S5K3IP7C.js";
import {
  TOOL
} from "./chunk-F5KIXSS4.js";
import {
  optionsHelp,
  parseArgsSpec
} from "./chunk-SJK7R5BZ.js";
import "./chunk-ZYBZPEKE.js";
import {
  safeJsonStringify,
  safeLogText
} from "./chunk-VJFIUDJR.js";
import {
  ExitCode,
  SigcheckError,
  decideExitCode,
  describeError
} from "./chunk-GOJHGAW3.js";
import "./chunk-YOB2P7JE.js";

// src/mirror/collect.ts
import { createHash } from "node:crypto";
async function walkStore(base, digest, options) {
  const walk = { attempts: [], verified: [], failed: false };
  for (let n = 1; n <= MAX_STORE_SIGNATURES; n++) {
    const url = toStoreSignatureUrl(base, digest, n);
    let fetched;
    try {
      fetched = await options.fetch(url);
    } catch (err) {
      fetched = { kind: "error", source: url, reason: describeError(err) };
    }
    const source = fetched.source || url;
    if (fetched.kind === "not-found") break;
    if (fetched.kind === "error") {
      walk.failed = true;
      walk.attempts.push({ source, outcome: "error", reason: fetched.reason });
      continue;
    }
    const verdict = await verifyOpenPGPSignature(fetched.value, digest, options.keyring, options.now ? { now: options.now } : {});
    if (verdict.ok) walk.verified.push({ bytes: fetched.value, source, verdict });
    walk.attempts.push(toSignatureAttempt(source, verdict));
  }
  return walk;
}
async function collectStoreSignatures(digest, options) {
  const d = toDigest(digest, "signature digest");
  if (options.stores.length === 0) {
    throw new SigcheckError("CONFIG", "no OpenPGP signature store is configured; pass --signature-store URL or keep the default Red Hat stores");
  }
  const walks = await Promise.all(options.stores.map((base) => walkStore(base, d, options)));
  const attempts = walks.flatMap((w) => w.attempts);
  const seen = /* @__PURE__ */ new Set();
  const signatures = [];
  for (const blob of walks.flatMap((w) => w.verified)) {
    const hash = createHash("sha256").update(blob.bytes).digest("hex");
    if (seen.has(hash)) continue;
    seen.add(hash);
    signatures.push(blob);
  }
  const stores = options.stores.join(", ");
  if (signatures.length > 0) {
    const signers = [...new Set(signatures.map((s) => s.verdict.signer.keyName))].join(", ");
    return { digest: d, outcome: "verified", reason: `${signatures.length} verified signature(s) of ${d}, signed by ${signers}`, signatures, attempts };
  }
  const definitive = walks.filter((w) => !w.failed);
  if (definitive.length > 0) {
    const invalid = definitive.flatMap((w) => w.attempts).filter((a) => a.outcome === "invalid");
    if (invalid.length > 0) {
      const codes = [...new Set(invalid.map((a) => a.reason.split(":")[0]))].join(", ");
      return { digest: d, outcome: "invalid", reason: `${invalid.length} signature(s) of ${d} in ${stores}, none valid (${codes}; each listed in the attempts); nothing was written`, signatures, attempts };
    }
    return { digest: d, outcome: "missing", reason: `no signature of ${d} in ${stores}; nothing was written. Check the digest, or that the release has been signed`, signatures, attempts };
  }
  const last = attempts.filter((a) => a.outcome === "error").at(-1);
  return {
    digest: d,
    outcome: "error",
    reason: `could not read the signatures of ${d}: ${last ? `${last.source}: ${last.reason}` : "no store answered"}; nothing was written. Re-run later, or check access to ${stores}`,
    signatures,
    attempts
  };
}

// src/mirror/write.ts
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
async function writeSignatureConfigMap(dir, digest, signatures) {
  const d = toDigest(digest, "ConfigMap digest");
  if (signatures.length === 0) throw new Error(`internal error: no verified signature of ${d} to write`);
  const configMap = toSignatureConfigMap(d, signatures.map((s) => s.bytes));
  await mkdir(dir, { recursive: true });
  const file = join(dir, toConfigMapFileName(d));
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, formatSignatureConfigMap(configMap, "yaml"), { mode: 420 });
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
  return { file, configMap };
}

// src/commands/configmap.ts
var CONFIGMAP_OPTIONS = parseArgsSpec("configmap");
var CONFIGMAP_HELP = `Usage: release-sigcheck configmap [options] FILE|DIR...
       release-sigcheck configmap --write DIR (--release V [--arch LIST] | --digest D) [options]

Verifies the OpenPGP release signatures in signature ConfigMaps, as the cluster-version operator of a
disconnected cluster reads them before it starts an update. Reads the ConfigMaps written by
\`oc adm release mirror\` (sha256-<hex>, keys sha256-<hex>-1..), oc-mirror (mirrored-release-signatures)
and the operator itself (signatures-managed): YAML or JSON, one or many documents, kind: List too.
Directories are searched for *.yaml, *.yml and *.json files.

Every binaryData key that starts with sha256-<hex> is one signature of that digest; data entries are
ignored, as the operator ignores them. A digest passes when at least one of its signatures verifies.

With --write, fetches the OpenPGP signatures of a release from the signature stores (signature-1..9,
as the operator reads them), verifies each, and writes the signature ConfigMap the operator reads:
DIR/signature-sha256-<16 hex>.yaml, ConfigMap sha256-<hex> in openshift-config-managed with the
release.openshift.io/verification-signatures label and binaryData keys sha256-<hex>-1, -2, ...
Only verified signatures are written; with none, no file is written and the reason is printed.

Examples:
  release-sigcheck configmap --write mirror/config --release 4.21.3 --arch amd64
  oc apply -f mirror/config/signature-sha256-<16 hex>.yaml
      write the ConfigMap a disconnected cluster needs to update to 4.21.3, then apply it
  release-sigcheck configmap --write cms/ --digest sha256:0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363
      by payload digest (for multi releases, the manifest-list digest)
  release-sigcheck configmap mirror/config/
      check what \`oc adm release mirror --to-dir mirror\` wrote before applying it
  release-sigcheck configmap signatures.yaml --format json
      one file, a JSON report on stdout
  oc get configmap -n openshift-config-managed -l release.openshift.io/verification-signatures -o yaml > cms.yaml
  release-sigcheck configmap cms.yaml
      check the signatures a cluster already holds
  release-sigcheck configmap --openpgp-key my-ci-key.asc signatures.yaml
      also trust another public key (armored or binary; repeatable)

${optionsHelp("configmap", ["Trust", "Output", "Writing ConfigMaps", "Scope", "Registry and signature stores"])}
Exit codes: 0 every digest has a verified signature (with --write: every ConfigMap was written); 1 a
digest has no valid signature (or no signature was found; with --write, nothing written for it);
2 usage or configuration error (unreadable file, bad key); 3 (--write) the stores could not be read.
`;
function toReport(judged) {
  const { entry, attempt, verdict } = judged;
  const base = { source: entry.source, file: entry.file, configMap: entry.configMap, key: entry.key };
  const report = { ...base, outcome: attempt.outcome === "verified" ? "verified" : "invalid", reason: attempt.reason };
  if (attempt.code) report.code = attempt.code;
  if (attempt.deliberate) report.deliberate = true;
  if (judged.unread) report.unread = judged.unread;
  if (verdict?.signer) {
    report.signer = verdict.signer.keyName;
    report.fingerprint = verdict.signer.fingerprint;
  }
  if (attempt.identity !== void 0) report.identity = attempt.identity;
  if (verdict?.signatureVersion !== void 0) report.signatureVersion = verdict.signatureVersion;
  if (verdict?.ok) report.created = verdict.created.toISOString();
  return report;
}
async function runConfigMapCommand(args, io) {
  const { values, positionals, notes } = parseCommandArgs("configmap", args, CONFIGMAP_OPTIONS, true);
  for (const n of notes) io.stderr.write(`release-sigcheck: note: ${n}
`);
  if (values.help) {
    io.stdout.write(CONFIGMAP_HELP);
    return ExitCode.Passed;
  }
  const format = str(values, "format") ?? "text";
  if (format !== "text" && format !== "json") {
    throw new SigcheckError("USAGE", `--format must be text or json (got ${JSON.stringify(format)}).
Run \`release-sigcheck configmap --help\` for the options and examples.`);
  }
  const writeDir = str(values, "write");
  if (writeDir !== void 0) return runConfigMapWrite(writeDir, values, positionals, format, io);
  for (const option of ["release", "arch", "digest", "signature-store", "release-repo", "retries", "timeout", "ca-file", "tls-verify", "insecure-registry", "authfile", "deadline"]) {
    if (values[option] !== void 0) throw usageError(`--${option} belongs to --write mode; to write ConfigMaps, add --write DIR`);
  }
  if (positionals.length === 0) {
    throw new SigcheckError("USAGE", "configmap needs at least one ConfigMap file or directory, e.g. `release-sigcheck configmap mirror/config/`.\nRun `release-sigcheck configmap --help` for the options and examples.");
  }
  const keyring = await loadOpenPGPTrust(toCheckConfig(toCheckFlags(values)));
  const read = await readSignatureConfigMaps(positionals);
  const byDigest = /* @__PURE__ */ new Map();
  for (const entry of read.signatures) {
    const entries = byDigest.get(entry.digest) ?? [];
    entries.push(entry);
    byDigest.set(entry.digest, entries);
  }
  const digests = [];
  for (const [digest, entries] of byDigest) {
    const judged = await judgeConfigMapSignatures(digest, entries, keyring);
    digests.push({ digest, outcome: judged.result.outcome === "verified" ? "verified" : "invalid", reason: judged.result.reason, signatures: judged.signatures.map(toReport) });
  }
  const failed = digests.filter((d) => d.outcome !== "verified").length;
  const exitCode = decideExitCode({ failed, errored: 0, checked: digests.length, emptyIsFailure: true });
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
    io.stdout.write(`${safeJsonStringify(doc, 2)}
`);
    return exitCode;
  }
  for (const note of read.notes) io.stderr.write(safeLogText(`note: ${note}
`));
  for (const d of digests) {
    io.stdout.write(safeLogText(`${d.digest} ${d.outcome === "verified" ? "verified" : "NO VALID SIGNATURE"}
`));
    for (const s of d.signatures) {
      const detail = s.outcome === "verified" ? `${s.reason}, identity ${s.identity}` : s.reason;
      io.stdout.write(safeLogText(`  ${s.outcome === "verified" ? "ok     " : "invalid"} ${s.source}: ${detail}
`));
    }
  }
  if (digests.length === 0) {
    io.stdout.write(safeLogText(`no signatures found in ${read.files.length} file(s): a signature ConfigMap holds binaryData keys sha256-<hex>-N
`));
  } else {
    io.stdout.write(
      `${digests.length} digest(s), ${read.signatures.length} signature(s): ${digests.length - failed} verified, ${failed} without a valid signature${failed > 0 ? " (the cluster-version operator will refuse to update to these)" : ""}
`
    );
  }
  return exitCode;
}
function usageError(message) {
  return new SigcheckError("USAGE", `${message}.
Run \`release-sigcheck configmap --help\` for the options and examples.`);
}
function describeTarget(t) {
  const digest = t.digest ?? "(unresolved)";
  return t.release ? `${digest} (${t.release.version} ${t.release.arch})` : digest;
}
async function runConfigMapWrite(dir, values, positionals, format, io) {
  if (dir.trim() === "") throw usageError("--write needs a directory, e.g. --write mirror/config");
  if (positionals.length > 0) throw usageError(`--write takes no ConfigMap files (got ${positionals.join(" ")}); it writes them`);
  const versions = list(values, "release") ?? [];
  const digestValues = list(values, "digest") ?? [];
  if (versions.length === 0 && digestValues.length === 0) throw usageError("--write needs the release: --release V [--arch LIST], or --digest D");
  if (str(values, "arch") !== void 0 && versions.length === 0) throw usageError("--arch selects architectures of --release; with --digest the digest names the image");
  const flags = toCheckFlags(values);
  const config = toCheckConfig(flags);
  const targets = digestValues.map((d) => ({ digest: toDigest(d, "--digest") }));
  const keyring = await loadOpenPGPTrust(config);
  const network = await openNetwork(config);
  const notes = [];
  const items = [];
  try {
    for (const version of versions) {
      const resolutions = await Promise.all(config.arches.map(async (arch) => ({ arch, resolution: await network.resolver.resolve(version, arch) })));
      for (const { arch, resolution } of resolutions) {
        if (resolution.kind === "absent") notes.push(`${version} ${arch}: tag ${resolution.tag} does not exist in ${network.releaseRepository.display}; skipped`);
        else if (resolution.kind === "error") {
          items.push({
            digest: null,
            release: { version, arch, tag: resolution.tag },
            outcome: "error",
            reason: `could not resolve ${version} ${arch} (tag ${resolution.tag}) in ${network.releaseRepository.display}: ${resolution.reason}`
          });
        } else targets.push({ digest: resolution.digest, release: { version, arch, tag: resolution.tag } });
      }
    }
    const seen = /* @__PURE__ */ new Set();
    for (const target of targets) {
      if (seen.has(target.digest)) continue;
      seen.add(target.digest);
      const collected = await collectStoreSignatures(target.digest, { stores: config.network.signatureStores, fetch: network.fetchStoreSignature, keyring });
      const item = { ...target, outcome: collected.outcome, reason: collected.reason };
      if (collected.outcome !== "verified") {
        if (collected.attempts.length > 0) item.attempts = collected.attempts;
        items.push(item);
        continue;
      }
      try {
        const written2 = await writeSignatureConfigMap(dir, target.digest, collected.signatures);
        item.file = written2.file;
        item.configMap = `${SIGNATURE_CONFIGMAP_NAMESPACE}/${written2.configMap.metadata.name}`;
        item.keys = Object.keys(written2.configMap.binaryData);
        item.apply = toRemedy("oc", ["oc", "apply", "-f", written2.file]).command;
      } catch (err) {
        throw new SigcheckError("CONFIG", `--write ${dir}: cannot write the ConfigMap of ${target.digest} (${describeError(err)}). Pass a writable directory.`);
      }
      const left = collected.attempts.filter((a) => a.outcome !== "verified");
      if (left.length > 0) item.attempts = left;
      item.signatures = collected.signatures.map((s) => ({
        source: s.source,
        signer: s.verdict.signer.keyName,
        fingerprint: s.verdict.signer.fingerprint,
        identity: s.verdict.identity,
        signatureVersion: s.verdict.signatureVersion,
        created: s.verdict.created.toISOString()
      }));
      items.push(item);
    }
  } finally {
    await network.close();
  }
  const failed = items.filter((i) => i.outcome === "missing" || i.outcome === "invalid").length;
  const errored = items.filter((i) => i.outcome === "error").length;
  const written = items.filter((i) => i.file !== void 0);
  const exitCode = decideExitCode({ failed, errored, checked: written.length, emptyIsFailure: true });
  if (items.length === 0) notes.push(`none of ${versions.join(", ")} exists for ${config.arches.join(", ")} in ${network.releaseRepository.display}: nothing to write`);
  if (format === "json") {
    const doc = {
      tool: TOOL,
      dir,
      label: SIGNATURE_CONFIGMAP_LABEL,
      namespace: SIGNATURE_CONFIGMAP_NAMESPACE,
      stores: config.network.signatureStores,
      trustedKeys: keyring.keys.map((k) => ({ name: k.name, fingerprint: k.fingerprint, origin: k.origin })),
      items,
      notes,
      summary: { digests: items.length, written: written.length, failed, errored },
      exitCode
    };
    io.stdout.write(`${safeJsonStringify(doc, 2)}
`);
    return exitCode;
  }
  for (const note of notes) io.stderr.write(safeLogText(`note: ${note}
`));
  for (const item of items) {
    if (item.file) {
      io.stdout.write(safeLogText(`wrote ${item.file}: ConfigMap ${item.configMap} with ${item.keys.length} verified signature(s) of ${describeTarget(item)} (${item.reason.replace(/^.*?, signed by /, "signed by ")})
`));
      io.stdout.write(safeLogText(`  apply: ${item.apply}
`));
      for (const a of item.attempts ?? []) io.stdout.write(safeLogText(`  not written (${a.outcome}) ${a.source}: ${a.reason}
`));
    } else {
      io.stdout.write(safeLogText(`NOT WRITTEN ${describeTarget(item)}: ${item.reason}
`));
      for (const a of item.attempts ?? []) io.stdout.write(safeLogText(`  ${a.outcome.padEnd(8)} ${a.source}: ${a.reason}
`));
    }
  }
  io.stdout.write(safeLogText(`${written.length} ConfigMap(s) written to ${dir}${failed + errored > 0 ? `, ${failed + errored} not written` : ""}
`));
  return exitCode;
}
export {
  CONFIGMAP_HELP,
  CONFIGMAP_OPTIONS,
  runConfigMapCommand
};
