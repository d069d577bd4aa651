/**
 * `release-sigcheck demo`: a complete run with nothing to set up and no network. It builds a small
 * graph-data, serves its releases from an in-process registry and signature store on 127.0.0.1,
 * signs them on the spot with throwaway keys (some deliberately unsigned, misfiled or signed by the
 * wrong key), and runs the real check against them, exactly as a user would see it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeCheck, prepareCheck } from '../wiring/execute.ts';
import { withDemoWorld } from '../demo/world.ts';
import { createReporter, openFileReporter, parseFormat, parseOutputSpec } from '../report/outputs.ts';
import { ProgressReporter } from '../report/progress.ts';
import { MultiReporter, type Reporter } from '../model/reporter.ts';
import { bool, list, parseCommandArgs, str } from './args.ts';
import { optionsHelp, parseArgsSpec } from '../options/table.ts';
import { removeOnExit, type CliIO } from './io.ts';

export const DEMO_HELP = `Usage: release-sigcheck demo [options]

Runs the real check against a small, built-in set of releases served on 127.0.0.1: a release signed
both ways, and releases that are unsigned, misfiled, signed by the wrong key, partially signed across
a manifest list, signed only with a Sigstore bundle, signed but with an unsigned component image, or
tagged with another release's payload. Needs no network and no setup. It exits 1, because the broken
releases are found.

${optionsHelp('demo', ['Output'])}`;

export async function runDemoCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('demo', args, parseArgsSpec('demo'));
  if (values.help) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  const format = parseFormat(str(values, 'format'));
  const outputs = (list(values, 'output') ?? []).map(parseOutputSpec);
  const say = (text: string) => {
    // Narration goes to stderr when stdout carries a machine-readable report.
    (format === 'text' ? io.stdout : io.stderr).write(`${text}\n`);
  };

  const keep = bool(values, 'keep');
  const dir = await mkdtemp(join(tmpdir(), 'release-sigcheck-demo-'));
  // Removed however the demo ends: a return, an error, Ctrl-C, or a closed pipe (`demo | head`).
  const removeDir = keep ? () => undefined : removeOnExit(dir);
  try {
    return await withDemoWorld(dir, async (world) => {
      say('release-sigcheck demo: a local registry and signature store on 127.0.0.1 with these releases:');
      for (const r of world.releases) say(`  ${r.version}  ${r.story}`);
      say(`Signatures were made just now with throwaway keys; the check trusts them in addition to the Red Hat keys,`);
      say(`under a ClusterImagePolicy like OpenShift's (release image and component repositories) with the demo key.\n`);

      const prepared = await prepareCheck(world.flags);
      const reporters: Reporter[] = [new ProgressReporter(io.stderr, { sharesTerminal: io.stdout.isTTY === true }), await createReporter(format, io.stdout)];
      for (const spec of outputs) reporters.push(await openFileReporter(spec));
      const summary = await executeCheck(prepared, { reporter: new MultiReporter(reporters) });

      say(`\nThe same check against your graph-data checkout and the real registry:\n  release-sigcheck --graph-data /path/to/cincinnati-graph-data`);
      if (keep) say(`Kept the demo's graph-data and keys in ${dir} (the servers are gone).`);
      return summary.exitCode;
    });
  } finally {
    removeDir();
  }
}
