/**
 * `release-sigcheck demo`: a complete run with nothing to set up and no network. It builds a small
 * graph-data, serves its releases from an in-process registry and signature store on 127.0.0.1,
 * signs them on the spot with throwaway keys (some deliberately unsigned, misfiled or signed by the
 * wrong key), and runs the real check against them, exactly as a user would see it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { executeCheck, prepareCheck } from '../../wiring/execute.ts';
import { buildDemoContent, generateDemoKeys } from '../../demo/content.ts';
import { listenOnLoopback, MemoryRegistry, MemoryStore } from '../../demo/servers.ts';
import { createReporter, openFileReporter, parseFormat, parseOutputSpec } from '../../report/outputs.ts';
import { MultiReporter, type Reporter } from '../../model/reporter.ts';
import { bool, list, parseCommandArgs, str } from '../args.ts';
import { optionsHelp, parseArgsSpec } from '../../options/table.ts';
import type { CliIO } from '../io.ts';

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

  const dir = await mkdtemp(join(tmpdir(), 'release-sigcheck-demo-'));
  const registry = new MemoryRegistry();
  const store = new MemoryStore();
  const reg = await listenOnLoopback(registry);
  const sto = await listenOnLoopback(store);
  try {
    const repoPath = 'openshift-release-dev/ocp-release';
    const identityRepo = `${reg.url.replace(/^http:\/\//, '')}/${repoPath}`;
    const keys = await generateDemoKeys();
    const content = await buildDemoContent(registry, store, repoPath, identityRepo, keys);
    const graphData = join(dir, 'graph-data');
    for (const [file, text] of Object.entries(content.channels)) {
      await mkdir(dirname(join(graphData, file)), { recursive: true });
      await writeFile(join(graphData, file), text);
    }
    const openpgpKey = join(dir, 'demo-openpgp.asc');
    const sigstoreKey = join(dir, 'demo-sigstore.pub');
    const imagePolicy = join(dir, 'demo-cluster-image-policy.yaml');
    await writeFile(openpgpKey, keys.openpgp.publicArmored);
    await writeFile(sigstoreKey, keys.sigstore.publicPem);
    await writeFile(imagePolicy, content.imagePolicy);

    say('release-sigcheck demo: a local registry and signature store on 127.0.0.1 with these releases:');
    for (const r of content.releases) say(`  ${r.version}  ${r.story}`);
    say(`Signatures were made just now with throwaway keys; the check trusts them in addition to the Red Hat keys,`);
    say(`under a ClusterImagePolicy like OpenShift's (release image and component repositories) with the demo key.\n`);

    const flags = {
      graphData,
      releaseRepo: `${reg.url}/${repoPath}`,
      signatureStore: [sto.url],
      openpgpKey: [openpgpKey],
      sigstoreKey: [sigstoreKey],
      imagePolicy,
      arch: 'amd64,arm64,multi',
      retries: '1',
      timeout: '10s',
      concurrency: '8',
    };
    const prepared = await prepareCheck(flags);
    const reporters: Reporter[] = [await createReporter(format, io.stdout)];
    for (const spec of outputs) reporters.push(await openFileReporter(spec));
    const summary = await executeCheck(prepared, { reporter: new MultiReporter(reporters) });

    say(`\nThe same check against your graph-data checkout and the real registry:\n  release-sigcheck --graph-data /path/to/cincinnati-graph-data`);
    if (bool(values, 'keep')) say(`Kept the demo's graph-data and keys in ${dir} (the servers are gone).`);
    return summary.exitCode;
  } finally {
    await reg.close();
    await sto.close();
    if (!bool(values, 'keep')) await rm(dir, { recursive: true, force: true });
  }
}
