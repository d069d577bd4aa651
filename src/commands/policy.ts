/**
 * `release-sigcheck policy render`: the policy.json, per-namespace policies and registries.d file the
 * machine-config operator writes on every node from ClusterImagePolicy / ImagePolicy manifests and the
 * cluster image configuration (signedRegistries), so users can see and diff what their nodes enforce,
 * and pass the result to `check --policy-json --registries-d`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readRegularFile } from '../fs/regular-file.ts';
import { SigcheckError } from '../model/errors.ts';
import { ExitCode } from '../model/results.ts';
import { parseMirrorRules } from '../mirror/idms.ts';
import { optionsHelp, parseArgsSpec } from '../options/table.ts';
import { parseClusterManifests, type ClusterManifests } from '../policy/manifests.ts';
import { renderNodePolicy, type MirrorSource } from '../policy/render.ts';
import { list, parseCommandArgs, str } from './args.ts';
import type { CliIO } from './io.ts';

export const POLICY_HELP = `Usage: release-sigcheck policy render --manifests FILE [--manifests FILE ...] [options]

Renders what the machine-config operator writes on every node from the cluster's ClusterImagePolicy
and ImagePolicy objects and its image configuration (allowedRegistries, blockedRegistries and the
proposed signedRegistries): /etc/containers/policy.json, /etc/crio/policies/<namespace>.json and
/etc/containers/registries.d/sigstore-registries.yaml.

Examples:
  release-sigcheck policy render --manifests 0000_90_openshift-cluster-image-policy.yaml
  oc get clusterimagepolicy,imagepolicy -A -o yaml > policies.yaml
  oc get image.config.openshift.io cluster -o yaml > image.yaml
  release-sigcheck policy render --manifests policies.yaml --manifests image.yaml --idms idms.yaml --write node/
  release-sigcheck image quay.io/openshift-release-dev/ocp-release:4.22.11-multi \\
      --policy-json node/etc/containers/policy.json --registries-d node/etc/containers/registries.d

${optionsHelp('policy', ['Rendering node policies', 'Mirrors', 'Output'])}
Exit codes: 0 rendered, 2 usage or configuration error (a manifest the API server or the
machine-config operator would refuse).
`;

const MAX_MANIFEST_FILE_BYTES = 4 * 1024 * 1024;

export async function runPolicyCommand(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout.write(POLICY_HELP);
    return sub === undefined ? ExitCode.Usage : ExitCode.Passed;
  }
  if (sub !== 'render') throw new SigcheckError('USAGE', `policy has one subcommand, render (got ${JSON.stringify(sub.slice(0, 40))}); see \`release-sigcheck policy --help\``);
  const { values } = parseCommandArgs('policy render', rest, parseArgsSpec('policy'));
  if (values.help) {
    io.stdout.write(POLICY_HELP);
    return ExitCode.Passed;
  }
  const format = str(values, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new SigcheckError('USAGE', `--format must be text or json (got ${JSON.stringify(format)})`);
  const files = list(values, 'manifests') ?? [];
  if (files.length === 0) throw new SigcheckError('USAGE', 'policy render needs --manifests FILE: the ClusterImagePolicy, ImagePolicy or Image manifests to render');
  const manifests: ClusterManifests = { policies: [], skipped: [] };
  for (const file of files) parseClusterManifests((await readRegularFile(file, { what: 'manifest file', maxBytes: MAX_MANIFEST_FILE_BYTES })).toString('utf8'), file, manifests);
  const bySource = new Map<string, string[]>();
  for (const file of list(values, 'idms') ?? []) {
    const set = parseMirrorRules((await readRegularFile(file, { what: 'mirror manifest', maxBytes: MAX_MANIFEST_FILE_BYTES })).toString('utf8'), file);
    for (const r of set.rules) bySource.set(r.source, [...(bySource.get(r.source) ?? []), ...r.mirrors.filter((m) => !(bySource.get(r.source) ?? []).includes(m))]);
  }
  const mirrors: MirrorSource[] = [...bySource].map(([source, m]) => ({ source, mirrors: m }));
  const rendered = renderNodePolicy(manifests, { mirrors });
  for (const n of [...manifests.skipped.map((s) => `skipped ${s}`), ...rendered.notes]) io.stderr.write(`release-sigcheck: note: ${n}\n`);
  const out = str(values, 'write');
  if (out !== undefined) {
    for (const f of rendered.files) {
      const target = join(out, f.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content.endsWith('\n') ? f.content : `${f.content}\n`);
      io.stdout.write(`wrote ${target}\n`);
    }
    return ExitCode.Passed;
  }
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify({ files: Object.fromEntries(rendered.files.map((f) => [f.path, f.content])), notes: rendered.notes }, null, 2)}\n`);
  } else {
    for (const f of rendered.files) io.stdout.write(`# ${f.path}\n${f.content}${f.content.endsWith('\n') ? '' : '\n'}`);
  }
  return ExitCode.Passed;
}
