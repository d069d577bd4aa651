import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  toCheckFlags
} from "./chunk-KLK33CFV.js";
import {
  bool,
  list,
  parseCommandArgs,
  str
} from "./chunk-ZSOYOW2A.js";
import {
  BLOB_MAX_BYTES,
  executeCheck,
  isDigest,
  parseConfigArchitecture,
  parseManifest,
  toDigest,
  toInstances,
  wire
} from "./chunk-EMWE3HHO.js";
import "./chunk-POKWITQM.js";
import {
  ARCHES,
  MultiReporter,
  createReporter,
  fromPlatformArchitecture,
  openFileReporter,
  parseFormat,
  parseOutputSpec,
  parseReleaseName,
  toCheckConfig,
  toTagSuffix
} from "./chunk-NBE2HKWK.js";
import "./chunk-S5K3IP7C.js";
import "./chunk-F5KIXSS4.js";
import {
  optionsHelp,
  parseArgsSpec
} from "./chunk-SJK7R5BZ.js";
import "./chunk-ZYBZPEKE.js";
import "./chunk-VJFIUDJR.js";
import {
  ExitCode,
  SigcheckError,
  describeError
} from "./chunk-GOJHGAW3.js";
import "./chunk-YOB2P7JE.js";

// src/commands/image.ts
var IMAGE_HELP = `Usage: release-sigcheck image [options] REF

Checks one release image, by tag or digest, for both signatures clusters require: OpenPGP (the
cluster-version operator) and Sigstore (CRI-O); for a manifest list, every instance.

Examples:
  release-sigcheck image quay.io/openshift-release-dev/ocp-release:4.22.11-multi
  release-sigcheck image quay.io/openshift-release-dev/ocp-release@sha256:0da63164...
  release-sigcheck image http://127.0.0.1:5000/ocp/release:4.99.0-x86_64 --sigstore-key test.pub --format json

${optionsHelp("image", ["Scope", "Registry and signature stores", "Trust", "Output"])}
Exit codes: 0 verified, 1 missing or invalid, 2 usage or configuration error, 3 could not be checked.
`;
function parseImageReference(ref) {
  const at = ref.lastIndexOf("@");
  if (at > 0) {
    const digest = ref.slice(at + 1);
    if (!isDigest(digest)) throw new SigcheckError("USAGE", `image ${ref}: ${JSON.stringify(digest)} is not a sha256 digest`);
    return { repository: ref.slice(0, at), digest };
  }
  const schemeEnd = ref.indexOf("://");
  const lastSlash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > lastSlash && colon > schemeEnd + 2) return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  throw new SigcheckError("USAGE", `image ${ref}: give a tag or a digest, e.g. quay.io/openshift-release-dev/ocp-release:4.22.11-multi`);
}
function fromTag(tag) {
  for (const arch of ARCHES) {
    const suffix = `-${toTagSuffix(arch)}`;
    if (tag.endsWith(suffix)) return { version: tag.slice(0, -suffix.length), arch };
  }
  return { version: tag };
}
async function resolveImage(network, reference) {
  const registry = network.registry;
  const repo = network.repository;
  const manifest = await registry.getManifest(repo, reference);
  if (manifest.kind === "not-found") throw new SigcheckError("CONFIG", `${manifest.source} does not exist; check the tag or digest`);
  if (manifest.kind === "error") return { arch: "amd64", resolution: { kind: "error", tag: reference, reason: manifest.reason } };
  let parsed;
  try {
    parsed = parseManifest(manifest.value.bytes, manifest.value.mediaType, manifest.source);
  } catch (err) {
    return { arch: "amd64", resolution: { kind: "error", tag: reference, reason: describeError(err) } };
  }
  if (parsed.kind === "index") return { arch: "multi", resolution: { kind: "found", digest: manifest.value.digest, tag: reference, instances: toInstances(parsed) } };
  const byTag = isDigest(reference) ? void 0 : fromTag(reference).arch;
  if (byTag && byTag !== "multi") return { arch: byTag, resolution: { kind: "found", digest: manifest.value.digest, tag: reference } };
  const config = await registry.getBlob(repo, toDigest(parsed.config.digest, "config digest"), BLOB_MAX_BYTES);
  if (config.kind !== "found") return { arch: "amd64", resolution: { kind: "error", tag: reference, reason: config.kind === "error" ? config.reason : `config blob ${parsed.config.digest} is missing` } };
  const arch = fromPlatformArchitecture(parseConfigArchitecture(config.value, config.source)) ?? "amd64";
  return { arch, resolution: { kind: "found", digest: manifest.value.digest, tag: reference } };
}
async function runImageCommand(args, io) {
  const { values, positionals } = parseCommandArgs("image", args, parseArgsSpec("image"), true);
  if (values.help) {
    io.stdout.write(IMAGE_HELP);
    return ExitCode.Passed;
  }
  if (positionals.length !== 1) throw new SigcheckError("USAGE", "image takes exactly one image reference, e.g. quay.io/openshift-release-dev/ocp-release:4.22.11-multi");
  const ref = parseImageReference(positionals[0]);
  const format = parseFormat(str(values, "format"));
  const outputs = (list(values, "output") ?? []).map(parseOutputSpec);
  const flags = { ...toCheckFlags(values), releaseRepo: ref.repository };
  const config = toCheckConfig(flags);
  const reference = ref.digest ?? ref.tag;
  const wired = await wire(config);
  const network = wired.network;
  try {
    const { arch, resolution } = await resolveImage(network, reference);
    const named = ref.tag ? fromTag(ref.tag).version : reference;
    const parsed = parseReleaseName(named);
    const release = parsed.ok ? { ...parsed.release, arch } : { name: named, version: named, major: 0, minor: 0, patch: 0, prerelease: [], arch };
    const node = { name: positionals[0], release, places: [] };
    const resolver = { resolve: async () => resolution };
    const prepared = {
      config: { ...config, arches: [arch] },
      selected: { mode: "image", graph: { source: ref.repository, channels: [], findings: [] }, nodes: [node], findings: [], pathPrefix: "", sides: { kind: "checkout", graphDir: ".", inGit: false, pathPrefix: "" } },
      skip: []
    };
    const reporters = [await createReporter(format, io.stdout, { quiet: bool(values, "quiet") })];
    for (const spec of outputs) reporters.push(await openFileReporter(spec));
    const summary = await executeCheck(prepared, { reporter: new MultiReporter(reporters), deps: { ...wired, resolver } });
    return summary.exitCode;
  } finally {
    await wired.close();
  }
}
export {
  IMAGE_HELP,
  parseImageReference,
  runImageCommand
};
