import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  toCheckFlags
} from "./chunk-KLK33CFV.js";
import {
  parseCommandArgs,
  str
} from "./chunk-ZSOYOW2A.js";
import {
  MAX_MANIFEST_BYTES,
  MAX_SIGNATURE_BYTES,
  checkSigstore,
  digestHex,
  identityRepository,
  isDigest,
  loadOpenPGPTrust,
  loadSigstoreTrustOf,
  toDigest,
  toSignatureAttempt,
  toSignatureTag,
  verifyOpenPGPSignature
} from "./chunk-EMWE3HHO.js";
import "./chunk-POKWITQM.js";
import {
  toCheckConfig
} from "./chunk-NBE2HKWK.js";
import {
  readRegularFile
} from "./chunk-S5K3IP7C.js";
import "./chunk-F5KIXSS4.js";
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
  describeError,
  exitCodeForOutcome
} from "./chunk-GOJHGAW3.js";
import "./chunk-YOB2P7JE.js";

// src/sigstore/layout.ts
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
var REF_NAME = "org.opencontainers.image.ref.name";
var MAX_INDEX_BYTES = 4 * 1024 * 1024;
var MANIFEST_TYPES = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"];
async function readCapped(path, max) {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "not-found" };
    return { kind: "error", reason: describeError(err) };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { kind: "error", reason: `${path} is not a regular file` };
    if (stat.size > max) return { kind: "error", reason: `${path} is ${stat.size} bytes, over the ${max}-byte limit`, code: "FILE_TOO_LARGE" };
    const buffer = Buffer.alloc(max + 1);
    let total = 0;
    for (; ; ) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > max) return { kind: "error", reason: `${path} is over the ${max}-byte limit`, code: "FILE_TOO_LARGE" };
    }
    return { kind: "found", bytes: buffer.subarray(0, total) };
  } catch (err) {
    return { kind: "error", reason: describeError(err) };
  } finally {
    await handle.close();
  }
}
function isRecord(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
var OciLayoutSource = class {
  repository;
  dir;
  constructor(dir, repository = `oci:${dir}`) {
    this.dir = dir;
    this.repository = repository;
  }
  blobPath(digest) {
    return join(this.dir, "blobs", "sha256", digestHex(digest));
  }
  /** The entries of index.json, after checking the `oci-layout` marker. */
  async index() {
    const marker = await readCapped(join(this.dir, "oci-layout"), 4096);
    if (marker.kind !== "found") {
      return { ok: false, reason: `${this.dir} is not an OCI image layout: ${marker.kind === "error" ? marker.reason : "no oci-layout file"}` };
    }
    try {
      const layout = JSON.parse(marker.bytes.toString("utf8"));
      if (!isRecord(layout) || typeof layout.imageLayoutVersion !== "string") throw new Error("no imageLayoutVersion");
    } catch (err) {
      return { ok: false, reason: `${join(this.dir, "oci-layout")} is not a valid layout marker: ${describeError(err)}` };
    }
    const index = await readCapped(join(this.dir, "index.json"), MAX_INDEX_BYTES);
    if (index.kind !== "found") return { ok: false, reason: `${join(this.dir, "index.json")}: ${index.kind === "error" ? index.reason : "does not exist"}` };
    let parsed;
    try {
      parsed = JSON.parse(index.bytes.toString("utf8"));
    } catch (err) {
      return { ok: false, reason: `${join(this.dir, "index.json")} is not valid JSON: ${describeError(err)}` };
    }
    if (!isRecord(parsed) || !Array.isArray(parsed.manifests)) return { ok: false, reason: `${join(this.dir, "index.json")} has no "manifests" list` };
    const entries = [];
    for (const m of parsed.manifests) {
      if (!isRecord(m) || typeof m.digest !== "string") continue;
      const entry = { mediaType: typeof m.mediaType === "string" ? m.mediaType : "", digest: m.digest };
      if (typeof m.artifactType === "string") entry.artifactType = m.artifactType;
      const annotations = isRecord(m.annotations) ? m.annotations : {};
      if (typeof annotations[REF_NAME] === "string") entry.refName = annotations[REF_NAME];
      entries.push(entry);
    }
    return { ok: true, entries };
  }
  async getSignatureManifest(digest) {
    const tag = toSignatureTag(digest);
    const where = `oci:${this.dir}:${tag}`;
    const index = await this.index();
    if (!index.ok) return { kind: "error", source: where, reason: index.reason };
    const named = index.entries.filter((e) => e.refName === tag || e.refName?.endsWith(`:${tag}`) === true);
    let entry = named[0];
    if (!entry && index.entries.every((e) => e.refName === void 0)) {
      const manifests = index.entries.filter((e) => e.mediaType === "" || MANIFEST_TYPES.includes(e.mediaType));
      if (manifests.length === 1) entry = manifests[0];
    }
    if (!entry) return { kind: "not-found", source: where };
    if (!isDigest(entry.digest)) return { kind: "error", source: where, reason: `index.json names manifest digest ${JSON.stringify(entry.digest.slice(0, 100))}, not a sha256 digest` };
    const blob = await this.getBlob(entry.digest, MAX_MANIFEST_BYTES);
    if (blob.kind !== "found") return blob.kind === "error" ? { kind: "error", source: where, reason: blob.reason } : { kind: "error", source: where, reason: `index.json names manifest ${entry.digest}, whose blob is missing` };
    let mediaType = entry.mediaType;
    if (mediaType === "") {
      try {
        const m = JSON.parse(Buffer.from(blob.value).toString("utf8"));
        if (isRecord(m) && typeof m.mediaType === "string") mediaType = m.mediaType;
      } catch {
      }
    }
    return { kind: "found", source: `${where} (${entry.digest})`, value: { mediaType, bytes: blob.value, digest: entry.digest } };
  }
  async getBlob(digest, maxBytes) {
    if (!isDigest(digest)) return { kind: "error", source: String(digest), reason: "not a sha256 digest" };
    const path = this.blobPath(digest);
    const read = await readCapped(path, maxBytes);
    if (read.kind === "not-found") return { kind: "not-found", source: path };
    if (read.kind === "error") return { kind: "error", source: path, reason: read.reason, ...read.code ? { code: read.code } : {} };
    const actual = `sha256:${createHash("sha256").update(read.bytes).digest("hex")}`;
    if (actual !== digest) return { kind: "error", source: path, reason: `the file hashes to ${actual}, not ${digest}: the layout is corrupt`, code: "DIGEST_MISMATCH" };
    return { kind: "found", source: path, value: read.bytes };
  }
  async getReferrers(digest) {
    const where = `oci:${this.dir}`;
    const index = await this.index();
    if (!index.ok) return { kind: "error", source: where, reason: index.reason };
    const out = [];
    for (const entry of index.entries) {
      if (!isDigest(entry.digest)) continue;
      const blob = await this.getBlob(entry.digest, MAX_MANIFEST_BYTES);
      if (blob.kind !== "found") continue;
      let manifest;
      try {
        manifest = JSON.parse(Buffer.from(blob.value).toString("utf8"));
      } catch {
        continue;
      }
      if (!isRecord(manifest) || !isRecord(manifest.subject) || manifest.subject.digest !== digest) continue;
      const artifactType = typeof manifest.artifactType === "string" ? manifest.artifactType : entry.artifactType;
      const referrer = { mediaType: entry.mediaType, digest: entry.digest };
      if (artifactType) referrer.artifactType = artifactType;
      out.push(referrer);
    }
    return out.length > 0 ? { kind: "found", source: where, value: out } : { kind: "not-found", source: where };
  }
};
function createLayoutSource(dir, repository) {
  return new OciLayoutSource(dir, repository);
}
async function verifySigstoreLayout(dir, image, options) {
  const resolved = typeof image === "string" ? { digest: image } : image;
  return checkSigstore(resolved, { source: createLayoutSource(dir), trust: options.trust, identityRepo: options.identityRepo });
}

// src/commands/signature.ts
var SIGNATURE_HELP = `Usage: release-sigcheck signature --digest DIGEST (--openpgp FILE | --sigstore-layout DIR) [options]

Verifies one signature offline, exactly as the checks do, and prints one verdict.

Examples:
  release-sigcheck signature --digest sha256:0da63164... --openpgp signature-1
      an OpenPGP signature file (from a store, a ConfigMap, removable media) against the Red Hat keys
  release-sigcheck signature --digest sha256:0da63164... --openpgp sig --openpgp-key ci.asc --format json
  release-sigcheck signature --digest sha256:0da63164... --sigstore-layout ./ocp-release-sig
      the .sig tag stored in an OCI layout (skopeo copy docker://...:sha256-<hex>.sig oci:DIR)

${optionsHelp("signature", ["Signatures", "Trust", "Registry and signature stores", "Output"])}
Exit codes: 0 verified, 1 missing or invalid, 2 usage or configuration error, 3 could not be read.
`;
var exitCodeOf = exitCodeForOutcome;
async function runSignatureCommand(args, io) {
  const { values } = parseCommandArgs("signature", args, parseArgsSpec("signature"));
  if (values.help) {
    io.stdout.write(SIGNATURE_HELP);
    return ExitCode.Passed;
  }
  const format = str(values, "format") ?? "text";
  if (format !== "text" && format !== "json") throw new SigcheckError("USAGE", `--format must be text or json (got ${JSON.stringify(format)})`);
  const digestArg = str(values, "digest");
  if (!digestArg) throw new SigcheckError("USAGE", "signature needs --digest sha256:<hex>, the digest the signature must sign; see `release-sigcheck signature --help`");
  const digest = toDigest(digestArg, "--digest");
  const openpgpFile = str(values, "openpgp");
  const layout = str(values, "sigstore-layout");
  if (openpgpFile === void 0 === (layout === void 0)) throw new SigcheckError("USAGE", "give exactly one of --openpgp FILE or --sigstore-layout DIR");
  let result;
  if (openpgpFile !== void 0) {
    const keyring = await loadOpenPGPTrust(toCheckConfig(toCheckFlags(values)));
    const bytes = await readRegularFile(openpgpFile, { maxBytes: 16 * MAX_SIGNATURE_BYTES, what: "--openpgp", hint: "Pass an OpenPGP signature file (signature-N from a store)." });
    const attempt = toSignatureAttempt(openpgpFile, await verifyOpenPGPSignature(bytes, digest, keyring));
    result = { outcome: attempt.outcome, reason: attempt.reason, source: openpgpFile, attempts: [attempt], ...attempt.signer ? { signer: attempt.signer } : {}, ...attempt.identity ? { identity: attempt.identity } : {} };
  } else {
    const config = toCheckConfig(toCheckFlags(values));
    const trust = await loadSigstoreTrustOf(config);
    result = await verifySigstoreLayout(layout, digest, { trust, identityRepo: identityRepository(config.network.releaseRepo) });
  }
  if (format === "json") {
    const doc = { outcome: result.outcome, reason: result.reason, signer: result.signer ?? null, identity: result.identity ?? null };
    if (result.attempts) doc.attempts = result.attempts;
    io.stdout.write(`${safeJsonStringify(doc, 2)}
`);
  } else {
    io.stdout.write(safeLogText(`${result.outcome}: ${result.reason}
`));
    if (result.signer) io.stdout.write(safeLogText(`signer: ${result.signer}
`));
    if (result.identity) io.stdout.write(safeLogText(`identity: ${result.identity}
`));
    if (result.attempts?.length === 1 && result.attempts[0].deliberate) io.stdout.write('deliberate: the cluster would accept this signature; the tool refuses it (docs/verdicts.md, "Deliberately stricter")\n');
    if ((result.attempts?.length ?? 0) > 1) {
      for (const a of result.attempts ?? []) if (a.outcome !== "verified") io.stdout.write(safeLogText(`  ${a.source}: ${a.outcome}: ${a.reason}
`));
    }
  }
  return exitCodeOf(result.outcome);
}
export {
  SIGNATURE_HELP,
  runSignatureCommand
};
