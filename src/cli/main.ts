/**
 * The CLI dispatcher: `release-sigcheck [command] [options]`. Commands are loaded on demand so that
 * `--help` and small commands start fast and do not load the cryptography.
 */
import { SigcheckError, describeError } from '../model/errors.ts';
import { ExitCode, exitCodeForError } from '../model/results.ts';
import { TOOL } from '../model/tool.ts';
import { didYouMean } from '../options/table.ts';
import { COMMANDS } from '../commands/index.ts';
import { endRun, EXIT_PIPE_CLOSED, type CliIO } from '../commands/io.ts';

/** Options that make a command write files, which must be finished even when nobody reads stdout. */
function writesFiles(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--output' || a.startsWith('--output=') || a === '--write' || a.startsWith('--write=') || a === '--cache' || a.startsWith('--cache='));
}

export function topLevelHelp(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return `release-sigcheck ${TOOL.version}: will OpenShift clusters accept these releases?

Checks that every OpenShift release image has a valid OpenPGP signature (checked by the
cluster-version operator before an update) and a valid Sigstore signature (checked by CRI-O under
the openshift ClusterImagePolicy), reporting failures on the graph-data line that promotes them.

Usage: release-sigcheck [command] [options]

Commands:
${names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!.summary}`).join('\n')}

Start here:
  release-sigcheck demo                      see a full run against a built-in local registry
  release-sigcheck --graph-data DIR          audit a graph-data checkout
  release-sigcheck --base origin/master      check what the current branch adds
  release-sigcheck <command> --help          options and examples of a command

Exit codes: 0 passed, 1 missing or invalid signature (or bad graph-data), 2 usage or configuration
error, 3 some checks could not be completed (network).
`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  // `release-sigcheck ... | head`: once head has what it wants, end quietly, as git and grep do; a
  // run that still writes report files (or a cache) finishes them, with stdout silenced.
  if (io.stdoutClosed && !writesFiles(argv)) void io.stdoutClosed.then(() => endRun(EXIT_PIPE_CLOSED));
  // `--version` alone prints the tool's version; `--version V` is the check command's option.
  if ((first === '--version' && argv.length === 1) || first === '-V') {
    io.stdout.write(`${TOOL.version}\n`);
    return ExitCode.Passed;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] && COMMANDS[rest[0]]) return main([rest[0], '--help'], io);
    io.stdout.write(topLevelHelp());
    return ExitCode.Passed;
  }
  try {
    let name = 'check';
    let args = argv;
    if (!first.startsWith('-')) {
      if (!COMMANDS[first]) {
        const guess = didYouMean(first, Object.keys(COMMANDS));
        throw new SigcheckError('USAGE', `unknown command ${JSON.stringify(first.slice(0, 80))}${guess ? `; did you mean ${guess}?` : ''}. Commands: ${Object.keys(COMMANDS).join(', ')}. Run \`release-sigcheck --help\`.`);
      }
      name = first;
      args = rest;
    }
    const run = await COMMANDS[name]!.load();
    return await run(args, io);
  } catch (err) {
    const code = exitCodeForError(err);
    if (code === ExitCode.Usage) {
      io.stderr.write(`release-sigcheck: ${describeError(err)}\n`);
      return code;
    }
    io.stderr.write(`release-sigcheck: unexpected error: ${describeError(err)}\n`);
    if (io.env.RELEASE_SIGCHECK_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    else io.stderr.write('This is a bug in release-sigcheck; re-run with RELEASE_SIGCHECK_DEBUG=1 for details and report it.\n');
    return code;
  }
}
