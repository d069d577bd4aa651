import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  list,
  parseCommandArgs,
  str
} from "./chunk-ZSOYOW2A.js";
import {
  MultiReporter,
  compareReleaseNames,
  createReporter,
  isArch,
  loadPreviousReport,
  openFileReporter,
  parseFailOn,
  parseFormat,
  parseOutputSpec,
  parseReleaseName,
  readReportFile,
  sortFindings
} from "./chunk-NBE2HKWK.js";
import "./chunk-S5K3IP7C.js";
import "./chunk-F5KIXSS4.js";
import {
  optionsHelp,
  parseArgsSpec
} from "./chunk-SJK7R5BZ.js";
import {
  CHANGE_KINDS,
  compareReports,
  exitCodeWithChanges,
  findingKey
} from "./chunk-ZYBZPEKE.js";
import {
  safeJsonStringify,
  untrusted
} from "./chunk-VJFIUDJR.js";
import {
  RunTally,
  SigcheckError,
  noComponents
} from "./chunk-GOJHGAW3.js";
import "./chunk-YOB2P7JE.js";

// src/report/merge.ts
function nameOrder(a, b) {
  const pa = parseReleaseName(a);
  const pb = parseReleaseName(b);
  if (pa.ok && pb.ok) return compareReleaseNames(pa.release, pb.release);
  return a < b ? -1 : a > b ? 1 : 0;
}
function toNodeResult(n) {
  if (!isArch(n.arch)) throw new SigcheckError("CONFIG", `report node ${untrusted(n.version)} has unknown arch ${untrusted(JSON.stringify(n.arch), 60)}`);
  const r = {
    version: n.version,
    arch: n.arch,
    digest: n.digest,
    places: n.places,
    openpgp: n.openpgp,
    sigstore: n.sigstore,
    // Reports written before payloads were read have neither.
    components: n.components ?? noComponents("skipped", "not in this report (written by a release-sigcheck that did not check components)"),
    metadata: n.metadata ?? { outcome: "skipped", reason: "not in this report (written by a release-sigcheck that did not read payloads)" }
  };
  if (n.tag) r.tag = n.tag;
  if (n.edges) r.edges = n.edges;
  return r;
}
function checkShards(reports, label) {
  const sharded = reports.map((r, i) => ({ i, shard: r.shard })).filter((x) => x.shard !== void 0);
  if (sharded.length === 0) return;
  if (sharded.length !== reports.length) {
    const plain = reports.findIndex((r) => r.shard === void 0);
    throw new SigcheckError("CONFIG", `${label(plain)} is not a shard report but ${label(sharded[0].i)} is (shard ${sharded[0].shard.index}/${sharded[0].shard.count}): merge the reports of one sharded audit`);
  }
  const count = sharded[0].shard.count;
  const byIndex = /* @__PURE__ */ new Map();
  for (const { i, shard } of sharded) {
    if (shard.count !== count) throw new SigcheckError("CONFIG", `${label(i)} is shard ${shard.index}/${shard.count}, ${label(sharded[0].i)} is shard ${sharded[0].shard.index}/${count}: they are not shards of one audit`);
    const before = byIndex.get(shard.index);
    if (before !== void 0) throw new SigcheckError("CONFIG", `${label(before)} and ${label(i)} are both shard ${shard.index}/${count}`);
    byIndex.set(shard.index, i);
  }
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) {
    throw new SigcheckError("CONFIG", `shard${missing.length === 1 ? "" : "s"} ${missing.map((k) => `${k}/${count}`).join(", ")} missing: got ${[...byIndex.keys()].sort((a, b) => a - b).map((k) => `${k}/${count}`).join(", ")}; a partial merge would pass releases that no shard checked. Pass every shard's report (did a shard job fail?)`);
  }
}
function mergeReports(reports, sources = [], options = {}) {
  if (reports.length === 0) throw new SigcheckError("USAGE", "merge-reports needs at least one report");
  const first = reports[0];
  const label = (i) => sources[i] ?? `report ${i + 1}`;
  reports.forEach((r, i) => {
    if (r.schemaVersion !== first.schemaVersion) throw new SigcheckError("CONFIG", `${label(i)} has schemaVersion ${r.schemaVersion}, ${label(0)} has ${first.schemaVersion}`);
    if (r.releaseRepo !== first.releaseRepo) throw new SigcheckError("CONFIG", `${label(i)} checked ${r.releaseRepo}, ${label(0)} checked ${first.releaseRepo}: they are not shards of one run`);
    if (r.arches.join(",") !== first.arches.join(",") || r.require.join(",") !== first.require.join(",")) {
      throw new SigcheckError("CONFIG", `${label(i)} was run with other --arch or --require options than ${label(0)}: they are not shards of one run`);
    }
  });
  checkShards(reports, label);
  const archOrder = (a) => first.arches.indexOf(a);
  const byNode = (a, b) => nameOrder(a.version, b.version) || archOrder(a.arch) - archOrder(b.arch);
  const seen = /* @__PURE__ */ new Map();
  const nodes = [];
  reports.forEach((r, i) => {
    for (const n of r.nodes) {
      const key = `${n.version}\0${n.arch}`;
      const before = seen.get(key);
      if (before !== void 0) throw new SigcheckError("CONFIG", `${untrusted(n.version)} ${untrusted(n.arch, 20)} is in both ${label(before)} and ${label(i)}: shards overlap`);
      seen.set(key, i);
      nodes.push(n);
    }
  });
  nodes.sort(byNode);
  const unpublished = reports.flatMap((r) => r.unpublished).sort(byNode);
  const findingKeys = /* @__PURE__ */ new Set();
  const findings = sortFindings(
    reports.flatMap((r) => r.findings).filter((f) => {
      const key = JSON.stringify([f.severity, f.code, f.file, f.line, f.message]);
      if (findingKeys.has(key)) return false;
      findingKeys.add(key);
      return true;
    })
  );
  const tally = new RunTally();
  for (const n of nodes) tally.addNode(toNodeResult(n));
  for (let i = 0; i < unpublished.length; i++) tally.addUnpublished();
  for (const f of findings) tally.addFinding(f);
  const merged = {
    schemaVersion: first.schemaVersion,
    tool: first.tool,
    mode: first.mode,
    releaseRepo: first.releaseRepo,
    require: first.require,
    arches: first.arches,
    nodes,
    unpublished,
    findings,
    status: tally.status(),
    exitCode: tally.exitCode(),
    counts: tally.counts,
    durationMs: Math.max(...reports.map((r) => r.durationMs))
  };
  if (first.graphData) merged.graphData = first.graphData;
  const retries = reports.reduce((n, r) => n + (r.retries ?? 0), 0);
  if (reports.some((r) => r.retries !== void 0)) merged.retries = retries;
  const withGraphs = reports.filter((r) => r.cincinnati !== void 0).map((r) => r.cincinnati);
  if (withGraphs.length > 0) {
    const sum = (k) => withGraphs.reduce((n, c) => n + c[k], 0);
    const graphs = /* @__PURE__ */ new Map();
    for (const c of withGraphs) {
      for (const g of c.graphs) {
        const key = `${g.channel}\0${g.arch}`;
        const known = graphs.get(key);
        if (!known || known.outcome === "error" && g.outcome === "read") graphs.set(key, g);
      }
    }
    const archIndex = (a) => first.arches.indexOf(a);
    const list2 = [...graphs.values()].sort((a, b) => a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : archIndex(a.arch) - archIndex(b.arch));
    const total = (k) => list2.reduce((n, g) => n + g[k], 0);
    merged.cincinnati = {
      url: withGraphs[0].url,
      graphs: list2,
      nodes: total("nodes"),
      edges: total("edges"),
      conditionalEdges: total("conditionalEdges"),
      compared: sum("compared"),
      drift: sum("drift"),
      notServed: sum("notServed"),
      notPromoted: findings.filter((f) => f.code === "CINCINNATI_NOT_PROMOTED").length,
      tagMissing: sum("tagMissing")
    };
  }
  const withEdges = reports.filter((r) => r.edgeCheck !== void 0).map((r) => r.edgeCheck);
  if (withEdges.length > 0) {
    const sum = (k) => withEdges.reduce((n, e) => n + e[k], 0);
    merged.edgeCheck = { nodes: sum("nodes"), edges: sum("edges"), sources: sum("sources"), payloadsRead: sum("payloadsRead"), trustSets: Math.max(...withEdges.map((e) => e.trustSets)), evaluations: sum("evaluations"), signatureFetches: sum("signatureFetches") };
  }
  const withChanges = reports.filter((r) => r.changes !== void 0).length;
  if (options.previous) {
    merged.changes = compareReports(options.previous, merged, options.failOn ?? "any");
    merged.exitCode = exitCodeWithChanges(merged.exitCode, merged.changes);
  } else if (withChanges > 0) {
    if (withChanges !== reports.length) throw new SigcheckError("CONFIG", "some of the reports were run with --previous and others without: run every shard the same way, or give merge-reports --previous to compare after merging");
    merged.changes = mergeChanges(reports.map((r) => r.changes), byNode, reports.map((_, i) => label(i)));
    merged.exitCode = exitCodeWithChanges(merged.exitCode, merged.changes);
  }
  return merged;
}
function mergeChanges(list2, order, labels = []) {
  const first = list2[0];
  list2.forEach((c, i) => {
    if (c.failOn !== first.failOn || c.previous.file !== first.previous.file) {
      throw new SigcheckError("CONFIG", `${labels[i] ?? `report ${i + 1}`} compared with ${c.previous.file} (--fail-on ${c.failOn}), ${labels[0] ?? "report 1"} with ${first.previous.file} (--fail-on ${first.failOn}): they are not shards of one run`);
    }
  });
  const seen = /* @__PURE__ */ new Set();
  const merged = {
    previous: first.previous,
    failOn: first.failOn,
    compared: list2.reduce((n, c) => n + c.compared, 0),
    added: list2.reduce((n, c) => n + c.added, 0),
    newlyFailing: [],
    newlyPassing: [],
    newlyErrored: [],
    digestChanged: [],
    signaturesDisappeared: [],
    newFindings: sortFindings(
      list2.flatMap((c) => c.newFindings).filter((f) => {
        const key = findingKey(f);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
    ),
    knownFailures: list2.reduce((n, c) => n + c.knownFailures, 0)
  };
  for (const kind of CHANGE_KINDS) merged[kind] = list2.flatMap((c) => c[kind]).sort(order);
  return merged;
}

// src/commands/merge-reports.ts
var MERGE_HELP = `Usage: release-sigcheck merge-reports [options] REPORT.json...

Joins the JSON reports of the shards of one audit into the report an unsharded run would write,
and exits with the exit code that run would have had.

Examples:
  release-sigcheck merge-reports shard-*/report.json --output merged.json
  release-sigcheck merge-reports a.json b.json --format github      annotations and job summary
  release-sigcheck merge-reports *.json --output junit:results.xml --output merged.sarif
  release-sigcheck merge-reports shard-*.json --previous last.json --fail-on new       --output merged.json --output report.html      what changed since the last audit, and a page

${optionsHelp("merge-reports", ["Output", "What changed"])}`;
async function runMergeReportsCommand(args, io) {
  const { values, positionals } = parseCommandArgs("merge-reports", args, parseArgsSpec("merge-reports"), true);
  if (values.help) {
    io.stdout.write(MERGE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new SigcheckError("USAGE", "merge-reports needs the JSON report files of the shards; see `release-sigcheck merge-reports --help`");
  const format = parseFormat(str(values, "format") ?? "json");
  const outputs = (list(values, "output") ?? []).map(parseOutputSpec);
  const previousPath = str(values, "previous");
  const failOn = parseFailOn(str(values, "fail-on"), previousPath);
  const reports = [];
  for (const path of positionals) reports.push(await readReportFile(path));
  const previous = previousPath ? await loadPreviousReport(previousPath, { log: (m) => void io.stderr.write(`release-sigcheck: ${m}
`) }) : void 0;
  const merged = mergeReports(reports, positionals, { ...previous ? { previous } : {}, failOn });
  const reporters = [];
  if (format === "json") io.stdout.write(`${safeJsonStringify(merged, 2)}
`);
  else reporters.push(await createReporter(format, io.stdout));
  for (const spec of outputs) reporters.push(await openFileReporter(spec));
  if (reporters.length > 0) {
    const r = new MultiReporter(reporters);
    await r.begin({ mode: merged.mode, pathPrefix: "", releaseRepo: merged.releaseRepo, require: merged.require, arches: merged.arches, total: merged.nodes.length, ...merged.graphData ? { graphData: merged.graphData } : {} });
    for (const f of merged.findings) await r.finding(f);
    for (const n of merged.nodes) await r.node(toNodeResult(n));
    for (const u of merged.unpublished) await r.unpublished(u);
    await r.end({ status: merged.status, exitCode: merged.exitCode, counts: merged.counts, ...merged.retries !== void 0 ? { retries: merged.retries } : {}, durationMs: merged.durationMs, ...merged.changes ? { changes: merged.changes } : {} });
  }
  return merged.exitCode;
}
export {
  MERGE_HELP,
  runMergeReportsCommand
};
