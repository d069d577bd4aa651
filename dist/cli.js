#!/usr/bin/env node
import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  COMMANDS
} from "./chunks/chunk-I3CGHFCP.js";
import {
  EXIT_PIPE_CLOSED,
  endRun,
  processIO
} from "./chunks/chunk-A5JPGACY.js";
import {
  TOOL
} from "./chunks/chunk-F5KIXSS4.js";
import {
  didYouMean
} from "./chunks/chunk-SJK7R5BZ.js";
import {
  ExitCode,
  SigcheckError,
  describeError,
  exitCodeForError
} from "./chunks/chunk-GOJHGAW3.js";
import "./chunks/chunk-YOB2P7JE.js";

// src/cli/index.ts
import { spawn } from "node:child_process";

// src/cli/main.ts
function writesFiles(argv2) {
  return argv2.some((a) => a === "--output" || a.startsWith("--output=") || a === "--write" || a.startsWith("--write=") || a === "--cache" || a.startsWith("--cache="));
}
function topLevelHelp() {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return `release-sigcheck ${TOOL.version}: will OpenShift clusters accept these releases?

Checks that every OpenShift release image has a valid OpenPGP signature (checked by the
cluster-version operator before an update) and a valid Sigstore signature (checked by CRI-O under
the openshift ClusterImagePolicy), reporting failures on the graph-data line that promotes them.

Usage: release-sigcheck [command] [options]

Commands:
${names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`).join("\n")}

Start here:
  release-sigcheck demo                      see a full run against a built-in local registry
  release-sigcheck --graph-data DIR          audit a graph-data checkout
  release-sigcheck --base origin/master      check what the current branch adds
  release-sigcheck <command> --help          options and examples of a command

Exit codes: 0 passed, 1 missing or invalid signature (or bad graph-data), 2 usage or configuration
error, 3 some checks could not be completed (network).
`;
}
async function main(argv2, io) {
  const [first, ...rest] = argv2;
  if (io.stdoutClosed && !writesFiles(argv2)) void io.stdoutClosed.then(() => endRun(EXIT_PIPE_CLOSED));
  if (first === "--version" && argv2.length === 1 || first === "-V") {
    io.stdout.write(`${TOOL.version}
`);
    return ExitCode.Passed;
  }
  if (first === void 0 || first === "--help" || first === "-h" || first === "help") {
    if (first === "help" && rest[0] && COMMANDS[rest[0]]) return main([rest[0], "--help"], io);
    io.stdout.write(topLevelHelp());
    return ExitCode.Passed;
  }
  try {
    let name = "check";
    let args = argv2;
    if (!first.startsWith("-")) {
      if (!COMMANDS[first]) {
        const guess = didYouMean(first, Object.keys(COMMANDS));
        throw new SigcheckError("USAGE", `unknown command ${JSON.stringify(first.slice(0, 80))}${guess ? `; did you mean ${guess}?` : ""}. Commands: ${Object.keys(COMMANDS).join(", ")}. Run \`release-sigcheck --help\`.`);
      }
      name = first;
      args = rest;
    }
    const run = await COMMANDS[name].load();
    return await run(args, io);
  } catch (err) {
    const code = exitCodeForError(err);
    if (code === ExitCode.Usage) {
      io.stderr.write(`release-sigcheck: ${describeError(err)}
`);
      return code;
    }
    io.stderr.write(`release-sigcheck: unexpected error: ${describeError(err)}
`);
    if (io.env.RELEASE_SIGCHECK_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}
`);
    else io.stderr.write("This is a bug in release-sigcheck; re-run with RELEASE_SIGCHECK_DEBUG=1 for details and report it.\n");
    return code;
  }
}

// src/cli/index.ts
var HEAP_FLAG = "--max-semi-space-size=8";
function shouldRestart(argv2) {
  if (process.env.RELEASE_SIGCHECK_CHILD === "1") return false;
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => a.includes("--max-semi-space-size"))) return false;
  if (argv2.length === 0 || argv2.some((a) => a === "--help" || a === "-h" || a === "--dry-run") || argv2.length === 1 && (argv2[0] === "--version" || argv2[0] === "-V")) return false;
  return process.argv[1] !== void 0;
}
var argv = process.argv.slice(2);
if (shouldRestart(argv)) {
  const child = spawn(process.execPath, [HEAP_FLAG, ...process.execArgv, process.argv[1], ...argv], {
    stdio: "inherit",
    env: { ...process.env, RELEASE_SIGCHECK_CHILD: "1" }
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("error", (err) => {
    process.stderr.write(`release-sigcheck: could not start: ${err.message}
`);
    process.exitCode = 3;
  });
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal ? 3 : 0);
  });
} else {
  process.exitCode = await main(argv, processIO());
}
