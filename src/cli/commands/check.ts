/**
 * `release-sigcheck check`: the default command. Selects release nodes from graph-data and checks
 * (or, with --dry-run, lists) them.
 */
import { executeCheck, prepareCheck } from '../../check/execute.ts';
import { readCheckFlags, type CheckConfig, type CheckFlags } from '../../check/options.ts';
import type { Selected } from '../../check/select.ts';
import { toNodeTargets } from '../../graph/nodes.ts';
import { ExitCode } from '../../report/model.ts';
import { createReporter, openFileReporter, parseFormat, parseOutputSpec, type Format } from '../../report/outputs.ts';
import { MultiReporter, type Reporter } from '../../report/reporter.ts';
import { bool, list, parseCommandArgs, str, type OptionSpec } from '../args.ts';
import type { CliIO } from '../io.ts';

/** Options of every command that talks to registries and stores: TLS, credentials, the run's deadline. */
export const NETWORK_ACCESS_OPTIONS: OptionSpec = {
  'ca-file': { type: 'string', multiple: true },
  'tls-verify': { type: 'string' },
  'insecure-registry': { type: 'string', multiple: true },
  authfile: { type: 'string' },
  deadline: { type: 'string' },
};

export const CHECK_OPTIONS: OptionSpec = {
  ...NETWORK_ACCESS_OPTIONS,
  'graph-data': { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  version: { type: 'string', multiple: true },
  channel: { type: 'string', multiple: true },
  arch: { type: 'string' },
  require: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  deepen: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'release-repo': { type: 'string' },
  mirror: { type: 'string' },
  'signature-store': { type: 'string', multiple: true },
  concurrency: { type: 'string' },
  retries: { type: 'string' },
  timeout: { type: 'string' },
  rate: { type: 'string' },
  'openpgp-key': { type: 'string', multiple: true },
  'sigstore-key': { type: 'string', multiple: true },
  'image-policy': { type: 'string' },
  cache: { type: 'string' },
  skip: { type: 'string' },
  'sigstore-from': { type: 'string' },
  shard: { type: 'string' },
  config: { type: 'string' },
};

export const CHECK_HELP = `Usage: release-sigcheck [check] [options]

Checks that every release node graph-data promotes has an OpenPGP signature the cluster-version
operator accepts and a Sigstore signature CRI-O accepts. Without scope options it checks everything.

Examples:
  release-sigcheck --graph-data ~/cincinnati-graph-data
      audit every version in channels/ and internal-channels/
  release-sigcheck --base origin/master --head HEAD
      check only what the current branch adds (PR scope, like the Action on a pull request)
  release-sigcheck --base old-checkout/ --head new-checkout/
      the same with two directories (the head directory is the graph-data walked)
  release-sigcheck --version 4.22.11 --arch amd64,multi
      one release, two architectures
  release-sigcheck --channel 'stable-4.*' --format json --output report.json
      the stable channels, JSON on stdout and in a file
  release-sigcheck --dry-run --format json
      list the selected nodes and where each appears; check nothing

Scope:
  --graph-data DIR        graph-data checkout to walk (default: .)
  --base REF|DIR          PR scope: only (channel, version) pairs absent from REF's merge-base with
                          --head, or from directory DIR
  --head REF|DIR          the change's side (default: HEAD, or --graph-data when --base is a directory)
  --deepen                in a shallow clone, fetch history to find the merge-base
  --version V             check release V (repeatable); 4.18.3 also selects 4.18.3+<arch> entries
  --channel GLOB          only channels matching GLOB, e.g. 'fast-4.*' (repeatable)
  --arch LIST             architectures (default: amd64,arm64,s390x,ppc64le,multi)
  --require LIST          checks a node must pass (default: openpgp,sigstore)

Output:
  --format FORMAT         stdout format: text (default), json, github (annotations + job summary)
  --output [FORMAT:]FILE  also write a report file (repeatable); FORMAT from the extension if omitted
  --quiet, -q             text: list only nodes that did not pass
  --dry-run               list the selected nodes with their places, check nothing

Registry and signature stores:
  --release-repo REPO     release repository (default: quay.io/openshift-release-dev/ocp-release)
  --mirror URL            fetch images and .sig tags from http(s)://host[:port]/repo/path instead;
                          signature identities are still checked against --release-repo
  --signature-store URL   OpenPGP signature store (repeatable; default: the two Red Hat stores)
  --concurrency N         requests in flight per host (default: 16)
  --retries N             retries per request for 429, 5xx, resets and timeouts (default: 5)
  --timeout DURATION      per-request timeout, e.g. 30s (default: 30s)
  --rate N                at most N requests per second per host (adapts down on 429)
  --deadline DURATION     end the run after this long, e.g. 90m; what is left is an error (default: 30m)
  --ca-file FILE          also trust this CA certificate (PEM, repeatable); or NODE_EXTRA_CA_CERTS
  --tls-verify=false      do not verify TLS certificates (any host)
  --insecure-registry HOST[:PORT]
                          do not verify the TLS certificate of this host (repeatable)
  --authfile FILE         registry credentials file (default: REGISTRY_AUTH_FILE, then podman's and
                          docker's files); credHelpers and credsStore helpers are run
Proxies come from HTTPS_PROXY, HTTP_PROXY and NO_PROXY (loopback is always reached directly).

Trust:
  --openpgp-key FILE      also trust this OpenPGP public key (armored or binary, repeatable)
  --sigstore-key FILE     also trust this PEM public key for Sigstore (repeatable)
  --image-policy FILE     take Sigstore trust from a ClusterImagePolicy or ImagePolicy manifest

Audit:
  --cache FILE            reuse verified results keyed by digest and trusted keys
  --skip FILE             skip entries (version, arch, check, reason, expiry)
  --sigstore-from V       versions before V need only OpenPGP
  --shard K/N             check the K-th of N deterministic shards (join with merge-reports)
  --config FILE           options file (default: release-sigcheck.yaml in --graph-data, if any)

Exit codes: 0 every required check verified or skipped; 1 a signature is missing or invalid, or
graph-data has an error; 2 usage or configuration error; 3 nothing missing or invalid, but some
checks could not be completed (network errors after retries).
`;

export function toCheckFlags(values: Parameters<typeof str>[0]): CheckFlags {
  return readCheckFlags((name, kind) => (kind === 'list' ? list(values, name) : kind === 'boolean' ? bool(values, name) : str(values, name)));
}

/** The dry-run listing: the (name, arch) pairs that would be checked, with their places. */
export function writeDryRun(selected: Selected, config: CheckConfig, format: Format, io: CliIO): number {
  const targets = toNodeTargets(selected.nodes, config.arches);
  const errors = selected.findings.filter((f) => f.severity === 'error').length;
  if (format === 'json') {
    const doc = {
      dryRun: true,
      mode: selected.mode,
      graphData: selected.graph.source,
      arches: config.arches,
      versions: selected.nodes.length,
      nodes: targets.map((t) => ({ version: t.name, arch: t.arch, digest: null, places: t.places })),
      findings: selected.findings,
    };
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    for (const f of selected.findings) io.stdout.write(`${f.severity} ${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.message} [${f.code}]\n`);
    for (const t of targets) {
      io.stdout.write(`${t.name} ${t.arch}  ${t.places.map((p) => `${selected.pathPrefix}${p.file}:${p.line} (${p.channel})`).join(', ') || '(not in graph-data)'}\n`);
    }
    io.stdout.write(`${selected.nodes.length} version(s), ${targets.length} (version, arch) node(s) selected (${selected.mode}); nothing was checked (--dry-run)\n`);
  }
  return errors > 0 ? ExitCode.Failed : ExitCode.Passed;
}

export async function runCheckCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('check', args, CHECK_OPTIONS);
  if (values.help) {
    io.stdout.write(CHECK_HELP);
    return ExitCode.Passed;
  }
  const format = parseFormat(str(values, 'format'));
  const outputs = (list(values, 'output') ?? []).map(parseOutputSpec);
  const log = (m: string) => void io.stderr.write(`release-sigcheck: ${m}\n`);
  const configPath = str(values, 'config');
  const prepared = await prepareCheck(toCheckFlags(values), { ...(configPath ? { configPath } : {}), log });
  if (prepared.config.dryRun) return writeDryRun(prepared.selected, prepared.config, format, io);

  const reporters: Reporter[] = [await createReporter(format, io.stdout, { quiet: bool(values, 'quiet') })];
  for (const spec of outputs) reporters.push(await openFileReporter(spec));
  const jsonOut = outputs.find((o) => o.format === 'json');
  const summary = await executeCheck(prepared, { reporter: new MultiReporter(reporters), ...(jsonOut ? { reportPath: jsonOut.path } : {}), log });
  return summary.exitCode;
}
