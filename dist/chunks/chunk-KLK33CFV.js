import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  bool,
  list,
  parseCommandArgs,
  str
} from "./chunk-ZSOYOW2A.js";
import {
  ProgressReporter,
  executeCheck,
  prepareCheck,
  toNodeTargets
} from "./chunk-EMWE3HHO.js";
import {
  MultiReporter,
  createReporter,
  openFileReporter,
  parseFormat,
  parseOutputSpec,
  readCheckFlags
} from "./chunk-NBE2HKWK.js";
import {
  optionsHelp,
  parseArgsSpec
} from "./chunk-SJK7R5BZ.js";
import {
  safeJsonStringify,
  untrusted
} from "./chunk-VJFIUDJR.js";
import {
  ExitCode,
  decideExitCode
} from "./chunk-GOJHGAW3.js";

// src/commands/check.ts
var CHECK_OPTIONS = parseArgsSpec("check");
var CHECK_HELP = `Usage: release-sigcheck [check] [options]

Checks that every release node graph-data promotes has an OpenPGP signature the cluster-version
operator accepts and a Sigstore signature CRI-O accepts. Without scope options it checks everything.

Examples:
  release-sigcheck --graph-data ~/cincinnati-graph-data
      audit every version in channels/ and internal-channels/
  release-sigcheck --base origin/master --head HEAD
      check only what the current branch adds (PR scope, like the Action on a pull request)
  release-sigcheck --base old-checkout/ --head new-checkout/
      the same with two directories (the head directory is the graph-data walked)
  release-sigcheck --release 4.22.11 --arch amd64,multi
      one release, two architectures
  release-sigcheck --channel 'stable-4.*' --format json --output report.json
      the stable channels, JSON on stdout and in a file
  release-sigcheck --dry-run --format json
      list the selected nodes and where each appears; check nothing
  release-sigcheck --previous last.json --fail-on new --output report.json --output report.html
      audit, say what changed since the last report, fail only on new problems, write a page

${optionsHelp("check", ["Scope", "Output", "Registry and signature stores", "Trust", "Audit", "What changed"])}
Progress (count, rate, ETA, elapsed) is drawn on stderr whenever stderr is a terminal, whatever
stdout and --format are. When stdout's reader goes away (| head), the run ends quietly with status
141, as git and grep do, unless --output files are still being written.

Exit codes: 0 every required check verified or skipped; 1 a signature is missing or invalid, or
graph-data has an error; 2 usage or configuration error; 3 nothing missing or invalid, but some
checks could not be completed (network errors after retries).
`;
function toCheckFlags(values) {
  return readCheckFlags((name, kind) => kind === "list" ? list(values, name) : kind === "boolean" ? bool(values, name) : str(values, name));
}
function writeDryRun(selected, config, format, io) {
  const targets = toNodeTargets(selected.nodes, config.arches);
  const errors = selected.findings.filter((f) => f.severity === "error").length;
  if (format === "json") {
    const doc = {
      dryRun: true,
      mode: selected.mode,
      graphData: selected.graph.source,
      arches: config.arches,
      versions: selected.nodes.length,
      nodes: targets.map((t) => ({ version: t.name, arch: t.arch, digest: null, places: t.places })),
      findings: selected.findings
    };
    io.stdout.write(`${safeJsonStringify(doc, 2)}
`);
  } else {
    for (const f of selected.findings) io.stdout.write(`${f.severity} ${f.file ? `${untrusted(f.file, 300)}${f.line ? `:${f.line}` : ""}: ` : ""}${untrusted(f.message, 1e3)} [${untrusted(f.code, 60)}]
`);
    for (const t of targets) {
      io.stdout.write(`${untrusted(t.name)} ${t.arch}  ${t.places.map((p) => `${untrusted(selected.pathPrefix + p.file, 300)}:${p.line} (${untrusted(p.channel)})`).join(", ") || "(not in graph-data)"}
`);
    }
    io.stdout.write(`${selected.nodes.length} version(s), ${targets.length} (version, arch) node(s) selected (${selected.mode}); nothing was checked (--dry-run)
`);
  }
  return decideExitCode({ failed: errors, errored: 0 });
}
async function runCheckCommand(args, io) {
  const { values, notes } = parseCommandArgs("check", args, CHECK_OPTIONS);
  for (const n of notes) io.stderr.write(`release-sigcheck: note: ${n}
`);
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return ExitCode.Passed;
  }
  const format = parseFormat(str(values, "format"));
  const outputs = (list(values, "output") ?? []).map(parseOutputSpec);
  const progress = new ProgressReporter(io.stderr, { sharesTerminal: io.stdout.isTTY === true });
  const log = (m) => {
    progress.clear();
    io.stderr.write(`release-sigcheck: ${m}
`);
  };
  const configPath = str(values, "config");
  const prepared = await prepareCheck(toCheckFlags(values), { ...configPath ? { configPath } : {}, log });
  try {
    if (prepared.config.dryRun) return writeDryRun(prepared.selected, prepared.config, format, io);
    const reporters = [progress, await createReporter(format, io.stdout, { quiet: bool(values, "quiet") })];
    for (const spec of outputs) reporters.push(await openFileReporter(spec));
    const jsonOut = outputs.find((o) => o.format === "json");
    const summary = await executeCheck(prepared, { reporter: new MultiReporter(reporters), ...jsonOut ? { reportPath: jsonOut.path } : {}, log });
    return summary.exitCode;
  } finally {
    await prepared.dispose?.();
  }
}

export {
  CHECK_OPTIONS,
  CHECK_HELP,
  toCheckFlags,
  writeDryRun,
  runCheckCommand
};
