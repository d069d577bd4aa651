import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  describeSources,
  parseMirrorRules,
  toMirrorRepositories
} from "./chunk-KKRI7E5X.js";
import {
  copyImageRemedies,
  copyInstanceRemedies,
  copySignatureRemedies,
  judgeConfigMapSignatures,
  operatorReadsConfigMap,
  readSignatureConfigMaps,
  toRemedy,
  writeConfigMapRemedies
} from "./chunk-G2SRHIA7.js";
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
  RegistryPayloadSource,
  RegistrySigstoreSource,
  checkSigstore,
  identityRepository,
  orderedPool,
  parseManifest,
  parseRepository,
  readPayload,
  selectNodes,
  toComponentRepository,
  toConfigMapKeyPrefix,
  toDigest,
  toInstances,
  toNodeTargets,
  wire
} from "./chunk-EMWE3HHO.js";
import "./chunk-POKWITQM.js";
import {
  MultiReporter,
  createReporter,
  openFileReporter,
  parseFormat,
  parseOutputSpec,
  parseReleaseName,
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
  RunTally,
  SigcheckError,
  decideExitCode,
  describeError,
  isFailure,
  noComponents
} from "./chunk-GOJHGAW3.js";
import "./chunk-YOB2P7JE.js";

// src/commands/mirror.ts
import { readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";

// src/mirror/configmaps.ts
function indexConfigMaps(read, paths) {
  const byDigest = /* @__PURE__ */ new Map();
  for (const entry of read.signatures) {
    const indexed = { ...entry };
    const reads = operatorReadsConfigMap(entry);
    if (!reads.reads) indexed.unread = reads.reason;
    else if (reads.warning) indexed.warning = reads.warning;
    const list2 = byDigest.get(entry.digest) ?? [];
    list2.push(indexed);
    byDigest.set(entry.digest, list2);
  }
  return { paths: [...paths], files: read.files, notes: read.notes, signatures: read.signatures.length, byDigest };
}
async function loadConfigMapIndex(paths) {
  return indexConfigMaps(await readSignatureConfigMaps(paths), paths);
}
async function checkConfigMapSignatures(digest, index, keyring, options = {}) {
  const d = toDigest(digest, "ConfigMap check digest");
  const entries = index.byDigest.get(d) ?? [];
  const where = index.paths.join(", ");
  if (entries.length === 0) {
    return {
      outcome: "missing",
      reason: `no signature ConfigMap in ${where} holds a signature of ${d} (no binaryData key ${toConfigMapKeyPrefix(d)}-N in ${index.files.length} file(s)); the cluster-version operator of a disconnected cluster will refuse this update`,
      source: where,
      digests: [d]
    };
  }
  return (await judgeConfigMapSignatures(d, entries, keyring, options)).result;
}

// src/mirror/report.ts
var STATUS_WORD = { passed: "PASS", failed: "FAIL", error: "ERROR", unpublished: "-" };
function passedLine(r) {
  const parts = r.mirrors.map((m) => {
    const signer = m.sigstore.signer ? ` (${m.sigstore.signer})` : "";
    return `${m.mirror}: ${m.image.reason}, .sig verified${signer}`;
  });
  if (r.components) parts.push(`components: ${r.components.complete} of ${r.components.total} present with their signatures`);
  if (r.openpgp) parts.push(`ConfigMap: ${r.openpgp.reason}`);
  return parts.join("; ");
}
function formatMirrorText(input, options = {}) {
  const lines = [];
  lines.push(`source:  ${input.source} (signature identities must name ${input.identityRepo})`);
  for (const m of input.mirrors) lines.push(`mirror:  ${m.repository}${m.origins.length > 0 ? ` (${m.origins.join(", ")})` : ""}`);
  if (input.configMaps) {
    lines.push(`configmaps: ${input.configMaps.signatures} signature(s) of ${input.configMaps.byDigest.size} digest(s) in ${input.configMaps.files.length} file(s) under ${input.configMaps.paths.join(", ")}`);
  }
  for (const note of [...input.notes, ...input.configMaps?.notes ?? []]) lines.push(`note: ${note}`);
  lines.push("");
  for (const r of input.run.releases) {
    if (options.quiet && (r.status === "passed" || r.status === "unpublished")) continue;
    if (r.status === "unpublished" || r.digest === null) {
      lines.push(`${STATUS_WORD[r.status].padEnd(5)} ${r.version} ${r.arch}: ${r.reason ?? "not published"}`);
      continue;
    }
    const head = `${STATUS_WORD[r.status].padEnd(5)} ${r.version} ${r.arch} ${r.digest} (${r.tag})`;
    if (r.status === "passed") {
      lines.push(`${head}: ${passedLine(r)}`);
      continue;
    }
    lines.push(head);
    for (const f of r.findings) {
      lines.push(`  ${f.outcome.padEnd(8)} ${f.message}`);
      f.remedies.forEach((remedy, i) => {
        const label2 = i === 0 ? "fix: " : remedy.then ? "then:" : "or:  ";
        lines.push(`    ${label2} ${remedy.command}${remedy.note ? `    # ${remedy.note}` : ""}`);
      });
    }
  }
  const s = input.run.summary;
  const mirrors = input.mirrors.length;
  lines.push("");
  lines.push(
    `${s.releases} release(s) on ${mirrors} mirror(s)${input.configMaps ? " and the signature ConfigMaps" : ""}: ${s.passed} complete, ${s.failed} with gaps, ${s.errored} could not be checked, ${s.unpublished} not published` + (s.findings.missing + s.findings.invalid > 0 ? ` (${s.findings.missing} missing, ${s.findings.invalid} invalid)` : "")
  );
  if (s.failed > 0) lines.push("A cluster pulling from these mirrors will refuse the releases marked FAIL; run the commands above, then run this check again.");
  else if (s.passed === 0 && s.errored === 0) lines.push(`None of the selected releases exists in ${input.source}: check --release, --arch and --release-repo.`);
  return `${lines.join("\n")}
`;
}
function toMirrorJson(input) {
  return {
    tool: TOOL,
    source: input.source,
    identityRepository: input.identityRepo,
    mirrors: input.mirrors,
    configMaps: input.configMaps ? { paths: input.configMaps.paths, files: input.configMaps.files, signatures: input.configMaps.signatures, digests: input.configMaps.byDigest.size, notes: input.configMaps.notes } : null,
    notes: input.notes,
    releases: input.run.releases,
    summary: input.run.summary,
    exitCode: input.run.exitCode
  };
}

// src/mirror/check.ts
function statusOf(findings) {
  if (findings.some((f) => f.outcome !== "error")) return "failed";
  return findings.length > 0 ? "error" : "passed";
}
function instanceLabel(instance) {
  return `${instance.digest}${instance.arch ? ` (${instance.arch})` : ""}`;
}
function releaseLabel(release) {
  return `${release.version} ${release.arch}`;
}
async function checkImagePresence(release, mirror, context) {
  const instances = release.instances ?? [];
  const [own, ...perInstance] = await Promise.all([
    context.registry.headManifest(mirror, release.digest),
    ...instances.map((i) => context.registry.headManifest(mirror, i.digest))
  ]);
  if (!own) throw new Error("unreachable: no HEAD result");
  const findings = [];
  const missingInstances = instances.filter((_, i) => perInstance[i]?.kind === "not-found");
  const what = `release image ${release.digest} (${releaseLabel(release)}, tag ${release.tag} in ${context.source.display})`;
  if (own.kind === "error") {
    findings.push({
      outcome: "error",
      kind: "mirror-error",
      mirror: mirror.display,
      digest: release.digest,
      message: `could not determine whether ${mirror.display} holds ${what}: ${own.reason}. Re-run later, or check access and credentials for ${mirror.host}`,
      remedies: []
    });
  } else if (own.kind === "not-found") {
    const partial = instances.length > 0 ? `, and ${missingInstances.length} of its ${instances.length} instances` : "";
    findings.push({
      outcome: "missing",
      kind: "image-missing",
      mirror: mirror.display,
      digest: release.digest,
      message: `${mirror.display} does not hold ${what}${partial}: HEAD ${mirror.display}@${release.digest} answered 404; a cluster pulling from this mirror cannot install or update to it`,
      remedies: copyImageRemedies(context.source, mirror, release.digest, release.tag)
    });
  }
  instances.forEach((instance, i) => {
    const head = perInstance[i];
    if (!head) return;
    if (head.kind === "error") {
      findings.push({
        outcome: "error",
        kind: "mirror-error",
        mirror: mirror.display,
        digest: instance.digest,
        ...instance.arch ? { arch: instance.arch } : {},
        message: `could not determine whether ${mirror.display} holds instance ${instanceLabel(instance)} of manifest list ${release.digest}: ${head.reason}`,
        remedies: []
      });
    } else if (head.kind === "not-found" && own.kind === "found") {
      findings.push({
        outcome: "missing",
        kind: "instance-missing",
        mirror: mirror.display,
        digest: instance.digest,
        ...instance.arch ? { arch: instance.arch } : {},
        message: `${mirror.display} holds manifest list ${release.digest} (${releaseLabel(release)}) but not its instance ${instanceLabel(instance)}: HEAD ${mirror.display}@${instance.digest} answered 404; nodes of that architecture cannot pull the release`,
        remedies: copyInstanceRemedies(context.source, mirror, instance.digest, release.digest, release.tag)
      });
    }
  });
  let state;
  if (own.kind === "error" || perInstance.some((h) => h?.kind === "error")) {
    state = { outcome: "error", reason: findings.find((f) => f.outcome === "error")?.message ?? "error", missingInstances };
  } else if (own.kind === "not-found" || missingInstances.length > 0) {
    state = {
      outcome: "missing",
      reason: own.kind === "not-found" ? `${release.digest} is not in ${mirror.display}` : `${missingInstances.length} of ${instances.length} instances are not in ${mirror.display}: ${missingInstances.map(instanceLabel).join(", ")}`,
      missingInstances
    };
  } else {
    state = {
      outcome: "present",
      reason: instances.length > 0 ? `manifest list ${release.digest} and all ${instances.length} instances present` : `${release.digest} present`,
      missingInstances
    };
  }
  return { state, findings };
}
function verdictFor(result, digest) {
  if (result.instances) return result.instances.find((i) => i.digest === digest);
  return { outcome: result.outcome, reason: result.reason };
}
async function checkSignatures(release, mirror, context, sourceVerdict) {
  const image = release.instances ? { digest: release.digest, instances: release.instances } : { digest: release.digest };
  const source = context.sigstoreSourceFor ? context.sigstoreSourceFor(mirror) : new RegistrySigstoreSource(context.registry, mirror);
  const sigstore = await checkSigstore(image, { source, trust: context.trust, identityRepo: context.identityRepo });
  const pulled = release.instances ?? [{ digest: release.digest }];
  const findings = [];
  for (const target of pulled) {
    const verdict = verdictFor(sigstore, target.digest);
    if (!verdict || verdict.outcome === "verified" || verdict.outcome === "skipped") continue;
    const subject = release.instances ? `instance ${instanceLabel(target)} of ${releaseLabel(release)}` : `${target.digest} (${releaseLabel(release)})`;
    const base = { mirror: mirror.display, digest: target.digest, ...target.arch ? { arch: target.arch } : {} };
    if (verdict.outcome === "error") {
      findings.push({ ...base, outcome: "error", kind: "mirror-error", message: `could not check the Sigstore signature of ${subject} in ${mirror.display}: ${verdict.reason}`, remedies: [] });
      continue;
    }
    const reason = verdict.reason.replace(/^no Sigstore signature: /, "").replace(/; sign the image with cosign \(it writes [^)]*\), or copy the tag to this repository$/, "");
    const what = verdict.outcome === "missing" ? `${mirror.display} lacks the Sigstore signature of ${subject}` : `the Sigstore signature of ${subject} in ${mirror.display} is not accepted under the policy of ${context.identityRepo}`;
    const consequence = "CRI-O will refuse to run the release from this mirror (install hangs, updates block)";
    const fromSource = verdictFor(await sourceVerdict(), target.digest);
    if (fromSource?.outcome === "verified") {
      findings.push({
        ...base,
        outcome: verdict.outcome,
        kind: verdict.outcome === "missing" ? "signature-missing" : "signature-invalid",
        message: `${what}: ${reason}. ${consequence}; ${context.source.display} holds an accepted signature, copy its tag`,
        remedies: copySignatureRemedies(context.source, mirror, target.digest)
      });
    } else {
      const sourceState = fromSource ? `${fromSource.outcome}: ${fromSource.reason}` : "not checked";
      findings.push({
        ...base,
        outcome: verdict.outcome,
        kind: verdict.outcome === "missing" ? "signature-missing" : "signature-invalid",
        message: `${what}: ${reason}. ${consequence}. The source ${context.source.display} has no accepted signature for it either (${sourceState}), so copying cannot fix this; the release must be signed first`,
        remedies: []
      });
    }
  }
  return { sigstore, findings };
}
async function checkConfigMaps(release, context) {
  if (!context.configMaps) return { findings: [] };
  const { index, keyring, remedy } = context.configMaps;
  const openpgp = await checkConfigMapSignatures(release.digest, index, keyring, context.now ? { now: context.now } : {});
  if (openpgp.outcome === "verified") return { openpgp, findings: [] };
  const outcome = openpgp.outcome === "missing" ? "missing" : openpgp.outcome === "invalid" ? "invalid" : "error";
  return {
    openpgp,
    findings: [
      {
        outcome,
        kind: outcome === "missing" ? "configmap-missing" : outcome === "invalid" ? "configmap-invalid" : "configmap-error",
        digest: release.digest,
        message: `OpenPGP, ${releaseLabel(release)}: ${openpgp.reason}`,
        remedies: outcome === "error" ? [] : writeConfigMapRemedies(release.digest, remedy)
      }
    ]
  };
}
async function checkReleaseMirrors(release, mirrors, context) {
  let sourceResult;
  const sourceVerdict = () => {
    sourceResult ??= checkSigstore(release.instances ? { digest: release.digest, instances: release.instances } : { digest: release.digest }, {
      source: context.sourceSigstore,
      trust: context.trust,
      identityRepo: context.identityRepo
    });
    return sourceResult;
  };
  const [perMirror, configMaps] = await Promise.all([
    Promise.all(
      mirrors.map(async (mirror) => {
        const [presence, signatures] = await Promise.all([checkImagePresence(release, mirror, context), checkSignatures(release, mirror, context, sourceVerdict)]);
        const findings2 = [...presence.findings, ...signatures.findings];
        const result = { mirror: mirror.display, image: presence.state, sigstore: signatures.sigstore, status: statusOf(findings2) };
        return { result, findings: findings2 };
      })
    ),
    checkConfigMaps(release, context)
  ]);
  const findings = [...perMirror.flatMap((m) => m.findings), ...configMaps.findings];
  const out = {
    name: release.name,
    version: release.version,
    arch: release.arch,
    tag: release.tag,
    places: release.places,
    status: statusOf(findings),
    digest: release.digest,
    mirrors: perMirror.map((m) => m.result),
    findings
  };
  if (release.instances) out.instances = release.instances;
  if (configMaps.openpgp) out.openpgp = configMaps.openpgp;
  return out;
}

// src/mirror/components.ts
function skopeoTls(source, mirror) {
  return [...source.scheme === "http" ? ["--src-tls-verify=false"] : [], ...mirror.scheme === "http" ? ["--dest-tls-verify=false"] : []];
}
function copyComponentRemedies(source, mirror, digest) {
  const insecure = source.scheme === "http" || mirror.scheme === "http" ? ["--insecure=true"] : [];
  return [
    toRemedy("oc", ["oc", "image", "mirror", "--keep-manifest-list=true", ...insecure, `${source.display}@${digest}`, `${mirror.display}`], "pushed by digest, as release mirroring does"),
    toRemedy("skopeo", ["skopeo", "copy", "--all", "--preserve-digests", ...skopeoTls(source, mirror), `docker://${source.display}@${digest}`, `docker://${mirror.display}@${digest}`])
  ];
}
function label(c, instance) {
  return `component ${c.name} (${c.digest})${instance ? `, instance ${instance.digest}${instance.arch ? ` (${instance.arch})` : ""}` : ""}`;
}
async function instancesOf(registry, repo, digest) {
  const m = await registry.getManifest(repo, digest);
  if (m.kind !== "found") return void 0;
  try {
    const parsed = parseManifest(m.value.bytes, m.value.mediaType, m.source);
    return parsed.kind === "index" ? toInstances(parsed) : [];
  } catch {
    return void 0;
  }
}
async function checkComponent(c, context, releaseLabel2) {
  const findings = [];
  const origin = context.componentRepository(c.repository);
  const trust = context.trust.trustFor(c.repository);
  const instances = await instancesOf(context.registry, origin, c.digest);
  const pulled = instances && instances.length > 0 ? instances.map((i) => ({ digest: i.digest, instance: i })) : [{ digest: c.digest }];
  let sourceVerdicts;
  const sourceVerdict = () => sourceVerdicts ??= (async () => {
    const out = /* @__PURE__ */ new Map();
    for (const p of pulled) {
      const r = await checkSigstore({ digest: p.digest }, { source: new RegistrySigstoreSource(context.registry, origin), trust, identityRepo: c.repository });
      out.set(p.digest, r.outcome);
    }
    return out;
  })();
  for (const mirror of context.mirrorsFor(c.repository)) {
    const base = { mirror: mirror.display };
    const head = await context.registry.headManifest(mirror, c.digest);
    if (head.kind === "error") {
      findings.push({ ...base, outcome: "error", kind: "component-error", digest: c.digest, message: `could not determine whether ${mirror.display} holds ${label(c)} of ${releaseLabel2}: ${head.reason}`, remedies: [] });
      continue;
    }
    if (head.kind === "not-found") {
      findings.push({
        ...base,
        outcome: "missing",
        kind: "component-missing",
        digest: c.digest,
        message: `${mirror.display} does not hold ${label(c)} of ${releaseLabel2} (from ${origin.display}): pods of the release that run it cannot start on a cluster pulling from this mirror`,
        // The image, then (where a scope covers it) the .sig of each image CRI-O pulls.
        remedies: [...copyComponentRemedies(origin, mirror, c.digest), ...trust ? pulled.flatMap((p) => copySignatureRemedies(origin, mirror, p.digest).map((r) => ({ ...r, then: true }))) : []]
      });
      continue;
    }
    if (!trust) continue;
    const image = { digest: c.digest };
    for (const p of pulled) {
      const r = await checkSigstore(p.instance ? { digest: p.digest } : image, { source: new RegistrySigstoreSource(context.registry, mirror), trust, identityRepo: c.repository });
      if (r.outcome === "verified" || r.outcome === "skipped") continue;
      if (r.outcome === "error") {
        findings.push({ ...base, outcome: "error", kind: "component-error", digest: p.digest, message: `could not check the Sigstore signature of ${label(c, p.instance)} in ${mirror.display}: ${r.reason}`, remedies: [] });
        continue;
      }
      const fromSource = (await sourceVerdict()).get(p.digest);
      const what = r.outcome === "missing" ? `${mirror.display} lacks the Sigstore signature of ${label(c, p.instance)} of ${releaseLabel2}` : `the Sigstore signature of ${label(c, p.instance)} in ${mirror.display} is not accepted under the policy of ${c.repository}`;
      const kind = r.outcome === "missing" ? "component-signature-missing" : "component-signature-invalid";
      if (fromSource === "verified") {
        findings.push({ ...base, outcome: r.outcome, kind, digest: p.digest, message: `${what}. CRI-O will refuse to run it from this mirror; ${origin.display} holds an accepted signature, copy its tag`, remedies: copySignatureRemedies(origin, mirror, p.digest) });
      } else {
        findings.push({ ...base, outcome: r.outcome, kind, digest: p.digest, message: `${what}. The source ${origin.display} has no accepted signature for it either (${fromSource ?? "not checked"}), so copying cannot fix this; the component must be signed first`, remedies: [] });
      }
    }
  }
  return findings;
}
async function checkComponentMirrors(image, releaseLabel2, context) {
  const read = await readPayload(image, new RegistryPayloadSource(context.registry, context.source), context.read);
  if (read.kind !== "read") {
    const reason = `the payload could not be read in ${context.source.display}, so its components are unknown: ${read.reason}`;
    return {
      summary: { total: 0, complete: 0, reason },
      findings: [{ outcome: read.kind === "error" ? "error" : "invalid", kind: read.kind === "error" ? "source-error" : "component-error", digest: image.digest, message: `${releaseLabel2}: ${reason}`, remedies: [] }]
    };
  }
  const components = read.contents.components ?? [];
  const perComponent = await Promise.all(components.map((c) => checkComponent(c, context, releaseLabel2)));
  return { summary: { total: components.length, complete: perComponent.filter((f) => f.length === 0).length }, findings: perComponent.flat() };
}

// src/mirror/run.ts
async function checkTarget(target, options) {
  const base = { name: target.name, version: target.release.version, arch: target.arch, places: target.places, mirrors: [], findings: [] };
  let resolution;
  try {
    resolution = await options.resolver.resolve(target.release.version, target.arch);
  } catch (err) {
    resolution = { kind: "error", tag: target.release.version, reason: `internal error: ${describeError(err)}` };
  }
  if (resolution.kind === "absent") {
    return { ...base, tag: resolution.tag, status: "unpublished", digest: null, reason: `tag ${resolution.tag} does not exist in ${options.context.source.display}: not published for this architecture` };
  }
  if (resolution.kind === "error") {
    const reason = `could not resolve ${target.release.version} ${target.arch} (tag ${resolution.tag}) in ${options.context.source.display}: ${resolution.reason}`;
    return {
      ...base,
      tag: resolution.tag,
      status: "error",
      digest: null,
      reason,
      findings: [{ outcome: "error", kind: "source-error", digest: null, message: reason, remedies: [] }]
    };
  }
  const image = { digest: resolution.digest, ...resolution.instances ? { instances: resolution.instances } : {}, ...resolution.manifest ? { manifest: resolution.manifest } : {} };
  const [result, components] = await Promise.all([
    checkReleaseMirrors(
      {
        name: target.name,
        version: target.release.version,
        arch: target.arch,
        tag: resolution.tag,
        places: target.places,
        digest: resolution.digest,
        ...resolution.instances ? { instances: resolution.instances } : {}
      },
      options.mirrors,
      options.context
    ),
    options.components ? checkComponentMirrors(image, `${target.release.version} ${target.arch}`, options.components) : void 0
  ]);
  if (!components) return result;
  const findings = [...result.findings, ...components.findings];
  return { ...result, components: components.summary, findings, status: statusOf(findings) };
}
function summarize(releases) {
  const summary = { releases: releases.length, passed: 0, failed: 0, errored: 0, unpublished: 0, findings: { missing: 0, invalid: 0, error: 0 } };
  for (const r of releases) {
    if (r.status === "passed") summary.passed++;
    else if (r.status === "failed") summary.failed++;
    else if (r.status === "error") summary.errored++;
    else summary.unpublished++;
    for (const f of r.findings) summary.findings[f.outcome]++;
  }
  const exitCode = decideExitCode({ failed: summary.failed, errored: summary.errored, checked: summary.passed, emptyIsFailure: true });
  return { summary, exitCode };
}
async function runMirrorCheck(options) {
  const releases = [];
  await orderedPool(
    options.targets,
    Math.max(1, options.concurrency ?? 4),
    (target) => checkTarget(target, options),
    (result) => {
      releases.push(result);
      options.onResult?.(result);
    }
  );
  return { releases, ...summarize(releases) };
}

// src/mirror/results.ts
var SEVERITY = { missing: "missing", invalid: "invalid", error: "error" };
function worst(outcomes) {
  if (outcomes.some(isFailure)) return outcomes.includes("invalid") ? "invalid" : "missing";
  if (outcomes.includes("error")) return "error";
  if (outcomes.length > 0 && outcomes.every((o) => o === "skipped")) return "skipped";
  return "verified";
}
function sigstoreOf(r) {
  if (r.mirrors.length === 0) return { outcome: r.status === "error" ? "error" : "skipped", reason: r.reason ?? "no mirror was checked" };
  const perMirror = r.mirrors.map((m) => m.image.outcome === "missing" ? "missing" : m.image.outcome === "error" ? "error" : m.sigstore.outcome);
  const outcome = worst(perMirror);
  const reason = r.mirrors.map((m) => `mirror ${m.mirror}: ${m.image.outcome === "present" ? `${m.sigstore.outcome}: ${m.sigstore.reason}` : `image ${m.image.outcome}: ${m.image.reason}`}`).join("; ");
  return { outcome, reason, source: r.mirrors.map((m) => m.mirror).join(", ") };
}
function componentsOf(r) {
  if (!r.components) return noComponents("skipped", "component images were not checked in the mirrors");
  const gaps = r.findings.filter((f) => f.kind.startsWith("component-"));
  const outcome = gaps.length === 0 ? r.components.reason ? "error" : "verified" : worst(gaps.map((f) => SEVERITY[f.outcome]));
  const reason = r.components.reason ?? `${r.components.complete} of ${r.components.total} component images are in every mirror with an accepted .sig`;
  return { ...noComponents(outcome, reason), total: r.components.total, verified: r.components.complete };
}
function toNodeResult(r) {
  if (r.status === "unpublished") return void 0;
  return {
    version: r.name,
    arch: r.arch,
    digest: r.digest,
    tag: r.tag,
    places: r.places,
    openpgp: r.openpgp ?? { outcome: "skipped", reason: "no signature ConfigMaps were given (--configmaps)" },
    sigstore: sigstoreOf(r),
    components: componentsOf(r),
    metadata: { outcome: "skipped", reason: "the mirror check does not read release metadata" }
  };
}
function toUnpublished(r) {
  return r.status === "unpublished" ? { version: r.name, arch: r.arch, tag: r.tag } : void 0;
}
function toFindings(r) {
  const place = r.places[0];
  return r.findings.map((f) => {
    const remedy = f.remedies[0];
    const finding = {
      severity: f.outcome === "error" ? "warning" : "error",
      code: `MIRROR_${f.kind.toUpperCase().replace(/-/g, "_")}`,
      message: `${r.name} ${r.arch}${f.mirror ? ` in ${f.mirror}` : ""}: ${f.message}${remedy ? `; to fix: ${remedy.command}` : ""}`,
      subject: `${r.name} ${r.arch} ${f.mirror ?? ""} ${f.digest ?? ""}`
    };
    if (place) {
      finding.file = place.file;
      finding.line = place.line;
    }
    return finding;
  });
}
function toReport(releases) {
  const nodes = [];
  const unpublished = [];
  const findings = [];
  for (const r of releases) {
    const node = toNodeResult(r);
    if (node) nodes.push(node);
    const u = toUnpublished(r);
    if (u) unpublished.push(u);
    findings.push(...toFindings(r));
  }
  return { nodes, unpublished, findings };
}

// src/commands/mirror.ts
var MIRROR_OPTIONS = parseArgsSpec("mirror");
var MIRROR_HELP = `Usage: release-sigcheck mirror (--mirror REPO | --idms FILE)... [--configmaps PATH...]
                              (--release V... | --graph-data DIR --channel GLOB...) [options]

Checks a disconnected cluster's mirror before the cluster meets it. Since OpenShift 4.21 the openshift
ClusterImagePolicy makes CRI-O verify the Sigstore signature of the release image, and a cluster reads
it from the mirror it pulls from: a mirror without the sha256-<hex>.sig tag hangs an install and blocks
an update. The OpenPGP signature reaches such a cluster only as a signature ConfigMap.

For each release (version, arch), resolved in the source repository (--release-repo), and each mirror:
  - the mirror holds the release image at the same digest, and every instance of a manifest list;
  - every component image the payload references (release-manifests/image-references) is in the
    mirror its repository maps to (--mirror: the one repository oc adm release mirror --to fills;
    --idms: the ocp-v4.0-art-dev and ocp-v5.0-art-dev rules), with its .sig verified with the identity
    of its original repository when a scope of the policy covers it;
  - the mirror holds the .sig tag of each image CRI-O pulls (every instance of a list), and it verifies
    with the identity of the ORIGINAL repository, as CRI-O checks it;
  - with --configmaps: a signature ConfigMap holds a valid OpenPGP signature of the release digest
    (the list digest for multi) in openshift-config-managed, with the verification-signatures label.
Each gap is reported with the mirror, digest and instance, and the command that closes it: the
oc image mirror line, an equivalent skopeo copy, or the ConfigMap to write and apply.

Examples:
  release-sigcheck mirror --mirror registry.example.com:5000/ocp4/openshift4 --release 4.21.3 --arch amd64
      the repository oc adm release mirror --to=... filled, one release
  release-sigcheck mirror --idms oc-mirror-workspace/working-dir/cluster-resources/idms-oc-mirror.yaml \\
      --configmaps oc-mirror-workspace/working-dir/cluster-resources/ --release 4.21.3 --arch multi
      the mirrors the cluster will use, from the ImageDigestMirrorSet oc-mirror wrote, and its signature ConfigMaps
  release-sigcheck mirror --mirror registry.example.com:5000/ocp4/openshift4 --configmaps /media/usb/mirror/config/ \\
      --release 4.21.3 --arch amd64
      check removable media written by oc adm release mirror --to-dir before carrying it across
  release-sigcheck mirror --idms idms.yaml --graph-data ~/cincinnati-graph-data --channel 'stable-4.21'
      every release of a channel
  release-sigcheck mirror --mirror http://127.0.0.1:5000/ocp/release --release-repo http://127.0.0.1:5000/src/release \\
      --sigstore-key test.pub --release 4.99.0 --format json
      a lab registry over plain HTTP, a test key

${optionsHelp("mirror", ["Mirrors", "Scope", "Registry and signature stores", "Trust", "Output"])}`;
function usage(message) {
  throw new SigcheckError("USAGE", `${message}
Run \`release-sigcheck mirror --help\` for the options and examples.`);
}
var MAX_IDMS_FILE_BYTES = 4 * 1024 * 1024;
async function readMirrorRules(files, notes) {
  const rules = [];
  for (const file of files) {
    let text;
    try {
      const info = await stat(file);
      if (info.size > MAX_IDMS_FILE_BYTES) throw new Error(`${info.size} bytes, over the ${MAX_IDMS_FILE_BYTES}-byte limit`);
      text = await readFile(file, "utf8");
    } catch (err) {
      throw new SigcheckError("CONFIG", `--idms ${file}: cannot be read (${describeError(err)}). Pass the ImageDigestMirrorSet or ImageContentSourcePolicy manifest.`);
    }
    const parsed = parseMirrorRules(text, file);
    rules.push(...parsed.rules);
    notes.push(...parsed.notes);
  }
  return rules;
}
function toMirrorRef(value, where, plainHttp) {
  let ref;
  try {
    ref = parseRepository(value, where);
  } catch (err) {
    throw new SigcheckError("USAGE", describeError(err));
  }
  if (ref.scheme === "https" && plainHttp.has(ref.host)) return { ...ref, scheme: "http", origin: `http://${ref.host}` };
  return ref;
}
async function selectTargets(values, config, notes) {
  const graphData = str(values, "graph-data");
  const channels = list(values, "channel");
  const versions = list(values, "release");
  let nodes;
  if (graphData !== void 0 || channels !== void 0) {
    const selected = await selectNodes({ graphData: graphData ?? ".", ...versions ? { versions } : {}, ...channels ? { channels } : {} });
    for (const f of selected.findings) notes.push(`${f.severity} ${f.file ? `${selected.pathPrefix}${f.file}${f.line ? `:${f.line}` : ""}: ` : ""}${f.message} [${f.code}]`);
    nodes = selected.nodes;
  } else {
    nodes = [];
    for (const v of versions ?? []) {
      const parsed = parseReleaseName(v);
      if (!parsed.ok) usage(`--release: ${parsed.reason}`);
      if (!nodes.some((n) => n.name === v)) nodes.push({ name: v, release: parsed.release, places: [] });
    }
  }
  return toNodeTargets(nodes, config.arches);
}
async function runMirrorCommand(args, io) {
  const { values, notes: parseNotes } = parseCommandArgs("mirror", args, MIRROR_OPTIONS);
  for (const n of parseNotes) io.stderr.write(`release-sigcheck: note: ${n}
`);
  if (values.help) {
    io.stdout.write(MIRROR_HELP);
    return ExitCode.Passed;
  }
  const format = str(values, "format") ?? "text";
  const sharedFormat = format === "text" || format === "json" ? void 0 : parseFormat(format);
  const outputs = (list(values, "output") ?? []).map(parseOutputSpec);
  const mirrorValues = list(values, "mirror") ?? [];
  const idmsFiles = list(values, "idms") ?? [];
  if (mirrorValues.length === 0 && idmsFiles.length === 0) usage("mirror needs the mirror to check: --mirror REPO, or --idms FILE with the ImageDigestMirrorSet the cluster uses");
  if (!list(values, "release") && str(values, "graph-data") === void 0 && !list(values, "channel")) {
    usage("mirror needs the releases to check: --release V, or --graph-data DIR --channel GLOB");
  }
  const flags = { ...toCheckFlags(values), mirror: void 0 };
  const config = toCheckConfig(flags);
  const notes = [];
  const plainHttp = new Set((list(values, "plain-http") ?? []).map((h) => h.trim().toLowerCase()));
  let source;
  try {
    source = parseRepository(config.network.releaseRepo, "--release-repo");
  } catch (err) {
    throw new SigcheckError("USAGE", describeError(err));
  }
  const identityRepo = identityRepository(config.network.releaseRepo);
  const mirrors = /* @__PURE__ */ new Map();
  const addMirror = (ref, origin) => {
    const existing = mirrors.get(ref.display);
    if (existing) {
      if (!existing.description.origins.includes(origin)) existing.description.origins.push(origin);
      return;
    }
    mirrors.set(ref.display, { ref, description: { repository: ref.display, origins: [origin] } });
  };
  for (const value of mirrorValues) addMirror(toMirrorRef(value, "--mirror", plainHttp), "--mirror");
  let rules = [];
  if (idmsFiles.length > 0) {
    rules = await readMirrorRules(idmsFiles, notes);
    const mapped = toMirrorRepositories(source.display, rules);
    if (mapped.length === 0) {
      throw new SigcheckError(
        "CONFIG",
        `--idms ${idmsFiles.join(", ")} maps no mirror for ${source.display}: its sources are ${describeSources(rules)}. A cluster with these manifests pulls the release from ${source.display} itself; pass the manifest that covers it, or --mirror REPO.`
      );
    }
    for (const m of mapped) addMirror(toMirrorRef(m.repository, `--idms mirror ${m.repository}`, plainHttp), m.origins.join(", "));
  }
  for (const { ref } of mirrors.values()) {
    if (ref.display === source.display) notes.push(`mirror ${ref.display} is the source repository itself`);
  }
  const configMapPaths = list(values, "configmaps") ?? [];
  let configMaps;
  let remedyDir = ".";
  if (configMapPaths.length > 0) {
    configMaps = await loadConfigMapIndex(configMapPaths);
    const first = configMapPaths[0];
    remedyDir = (await stat(first)).isDirectory() ? first : dirname(first);
  }
  const targets = await selectTargets(values, config, notes);
  if (targets.length === 0) usage("no release selected: check --release, --channel and --arch");
  const wired = await wire(config);
  const { network, trustMaterial: trust } = wired;
  try {
    for (const w of network.warnings) notes.push(w);
    const run = await runMirrorCheck({
      targets,
      mirrors: [...mirrors.values()].map((m) => m.ref),
      resolver: network.resolver,
      context: {
        registry: network.registry,
        source: network.releaseRepository,
        sourceSigstore: network.sigstoreSource,
        sigstoreSourceFor: network.sigstoreSourceFor,
        trust: trust.sigstore,
        identityRepo,
        ...configMaps ? {
          configMaps: {
            index: configMaps,
            keyring: trust.openpgp,
            remedy: {
              dir: remedyDir,
              ...flags.signatureStore ? { signatureStores: flags.signatureStore } : {},
              ...flags.openpgpKey ? { openpgpKeys: flags.openpgpKey } : {}
            }
          }
        } : {}
      },
      concurrency: Math.min(8, config.network.concurrency),
      // Each component's mirrors: the --mirror repositories (oc adm release mirror --to puts every
      // component there), and what the IDMS/ICSP rules map the component's repository to.
      components: {
        registry: network.registry,
        source: network.releaseRepository,
        componentRepository: (name) => toComponentRepository(name, network.releaseRepository),
        mirrorsFor: (name) => {
          const out = /* @__PURE__ */ new Map();
          for (const value of mirrorValues) {
            const ref = toMirrorRef(value, "--mirror", plainHttp);
            out.set(ref.display, ref);
          }
          for (const m of toMirrorRepositories(name, rules)) {
            const ref = toMirrorRef(m.repository, `--idms mirror ${m.repository}`, plainHttp);
            out.set(ref.display, ref);
          }
          return [...out.values()];
        },
        trust: trust.components,
        read: { maxDownloadBytes: config.payload.maxDownloadBytes, maxUnpackedBytes: config.payload.maxUnpackedBytes, retries: config.network.retries }
      }
    });
    const input = { source: source.display, identityRepo, mirrors: [...mirrors.values()].map((m) => m.description), ...configMaps ? { configMaps } : {}, notes, run };
    const reporters = [];
    if (sharedFormat) reporters.push(await createReporter(sharedFormat, io.stdout, { quiet: bool(values, "quiet") }));
    else if (format === "json") io.stdout.write(`${safeJsonStringify(toMirrorJson(input), 2)}
`);
    else io.stdout.write(safeLogText(formatMirrorText(input, { quiet: bool(values, "quiet") })));
    for (const spec of outputs) reporters.push(await openFileReporter(spec));
    if (reporters.length > 0) await reportMirrorRun(run, config, source.display, new MultiReporter(reporters));
    return run.exitCode;
  } finally {
    await wired.close();
  }
}
async function reportMirrorRun(run, config, source, reporter) {
  const started = Date.now();
  const { nodes, unpublished, findings } = toReport(run.releases);
  const tally = new RunTally();
  await reporter.begin?.({ mode: "mirror", pathPrefix: "", releaseRepo: source, require: ["openpgp", "sigstore", "components"], arches: config.arches, total: nodes.length });
  for (const n of nodes) {
    tally.addNode(n);
    await reporter.node(n);
  }
  for (const u of unpublished) {
    tally.addUnpublished();
    await reporter.unpublished?.(u);
  }
  for (const f of findings) {
    tally.addFinding(f);
    await reporter.finding(f);
  }
  await reporter.end({ status: tally.status(), exitCode: run.exitCode, counts: tally.counts, durationMs: Date.now() - started });
}
export {
  MIRROR_HELP,
  MIRROR_OPTIONS,
  runMirrorCommand
};
