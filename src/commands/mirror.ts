/**
 * `release-sigcheck mirror`: checks that a disconnected cluster's mirror will let it install and
 * update to releases: the release image and every instance at the same digest, the `.sig` tags
 * (verified with the identity of the original repository), and, with --configmaps, the OpenPGP
 * signature ConfigMaps. Every gap comes with the command that closes it (src/mirror).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { identityRepository, wire } from '../wiring/deps.ts';
import { toCheckConfig, type CheckFlags } from '../options/registry.ts';
import { selectNodes } from '../check/select.ts';
import { SigcheckError, describeError } from '../model/errors.ts';
import { toNodeTargets, type GraphNode } from '../graph/nodes.ts';
import { parseReleaseName } from '../model/version.ts';
import { toComponentRepository } from '../wiring/network.ts';
import { parseRepository, type RepositoryRef } from '../registry/reference.ts';
import { ExitCode } from '../model/results.ts';
import { loadConfigMapIndex, type ConfigMapIndex } from '../mirror/configmaps.ts';
import { describeSources, parseMirrorRules, toMirrorRepositories, type MirrorRule } from '../mirror/idms.ts';
import { formatMirrorText, toMirrorJson, type MirrorDescription } from '../mirror/report.ts';
import { runMirrorCheck } from '../mirror/run.ts';
import { optionsHelp, parseArgsSpec } from '../options/table.ts';
import { toReport } from '../mirror/results.ts';
import { MultiReporter, type Reporter } from '../model/reporter.ts';
import { RunTally } from '../model/results.ts';
import { createReporter, openFileReporter, parseFormat, parseOutputSpec } from '../report/outputs.ts';
import type { MirrorRunResult } from '../mirror/run.ts';
import type { CheckConfig } from '../options/registry.ts';
import { bool, list, parseCommandArgs, str, type OptionSpec } from './args.ts';
import type { CliIO } from './io.ts';
import { toCheckFlags } from './check.ts';
import { safeJsonStringify, safeLogText } from '../report/safe-text.ts';

export const MIRROR_OPTIONS: OptionSpec = parseArgsSpec('mirror');

export const MIRROR_HELP = `Usage: release-sigcheck mirror (--mirror REPO | --idms FILE)... [--configmaps PATH...]
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

${optionsHelp('mirror', ['Mirrors', 'Scope', 'Registry and signature stores', 'Trust', 'Output'])}`;

function usage(message: string): never {
  throw new SigcheckError('USAGE', `${message}\nRun \`release-sigcheck mirror --help\` for the options and examples.`);
}

const MAX_IDMS_FILE_BYTES = 4 * 1024 * 1024;

async function readMirrorRules(files: readonly string[], notes: string[]): Promise<MirrorRule[]> {
  const rules: MirrorRule[] = [];
  for (const file of files) {
    let text: string;
    try {
      const info = await stat(file);
      if (info.size > MAX_IDMS_FILE_BYTES) throw new Error(`${info.size} bytes, over the ${MAX_IDMS_FILE_BYTES}-byte limit`);
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new SigcheckError('CONFIG', `--idms ${file}: cannot be read (${describeError(err)}). Pass the ImageDigestMirrorSet or ImageContentSourcePolicy manifest.`);
    }
    const parsed = parseMirrorRules(text, file);
    rules.push(...parsed.rules);
    notes.push(...parsed.notes);
  }
  return rules;
}

function toMirrorRef(value: string, where: string, plainHttp: ReadonlySet<string>): RepositoryRef {
  let ref: RepositoryRef;
  try {
    ref = parseRepository(value, where);
  } catch (err) {
    throw new SigcheckError('USAGE', describeError(err));
  }
  if (ref.scheme === 'https' && plainHttp.has(ref.host)) return { ...ref, scheme: 'http', origin: `http://${ref.host}` };
  return ref;
}

async function selectTargets(values: Parameters<typeof str>[0], config: ReturnType<typeof toCheckConfig>, notes: string[]) {
  const graphData = str(values, 'graph-data');
  const channels = list(values, 'channel');
  const versions = list(values, 'release');
  let nodes: GraphNode[];
  if (graphData !== undefined || channels !== undefined) {
    const selected = await selectNodes({ graphData: graphData ?? '.', ...(versions ? { versions } : {}), ...(channels ? { channels } : {}) });
    for (const f of selected.findings) notes.push(`${f.severity} ${f.file ? `${selected.pathPrefix}${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.message} [${f.code}]`);
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

export async function runMirrorCommand(args: string[], io: CliIO): Promise<number> {
  const { values, notes: parseNotes } = parseCommandArgs('mirror', args, MIRROR_OPTIONS);
  for (const n of parseNotes) io.stderr.write(`release-sigcheck: note: ${n}\n`);
  if (values.help) {
    io.stdout.write(MIRROR_HELP);
    return ExitCode.Passed;
  }
  // text and json are the mirror's own (remedies as argv and shell lines); every other format is the
  // shared report of src/mirror/results.ts.
  const format = str(values, 'format') ?? 'text';
  const sharedFormat = format === 'text' || format === 'json' ? undefined : parseFormat(format);
  const outputs = (list(values, 'output') ?? []).map(parseOutputSpec);
  const mirrorValues = list(values, 'mirror') ?? [];
  const idmsFiles = list(values, 'idms') ?? [];
  if (mirrorValues.length === 0 && idmsFiles.length === 0) usage('mirror needs the mirror to check: --mirror REPO, or --idms FILE with the ImageDigestMirrorSet the cluster uses');
  if (!list(values, 'release') && str(values, 'graph-data') === undefined && !list(values, 'channel')) {
    usage('mirror needs the releases to check: --release V, or --graph-data DIR --channel GLOB');
  }

  // The check options this command shares (its --mirror is a list of mirrors, not the check's single one).
  const flags: CheckFlags = { ...toCheckFlags(values), mirror: undefined };
  const config = toCheckConfig(flags);

  const notes: string[] = [];
  const plainHttp = new Set((list(values, 'plain-http') ?? []).map((h) => h.trim().toLowerCase()));
  let source: RepositoryRef;
  try {
    source = parseRepository(config.network.releaseRepo, '--release-repo');
  } catch (err) {
    throw new SigcheckError('USAGE', describeError(err));
  }
  const identityRepo = identityRepository(config.network.releaseRepo);

  // The mirrors: given directly, and mapped from the IDMS/ICSP manifests.
  const mirrors = new Map<string, { ref: RepositoryRef; description: MirrorDescription }>();
  const addMirror = (ref: RepositoryRef, origin: string) => {
    const existing = mirrors.get(ref.display);
    if (existing) {
      if (!existing.description.origins.includes(origin)) existing.description.origins.push(origin);
      return;
    }
    mirrors.set(ref.display, { ref, description: { repository: ref.display, origins: [origin] } });
  };
  for (const value of mirrorValues) addMirror(toMirrorRef(value, '--mirror', plainHttp), '--mirror');
  let rules: MirrorRule[] = [];
  if (idmsFiles.length > 0) {
    rules = await readMirrorRules(idmsFiles, notes);
    const mapped = toMirrorRepositories(source.display, rules);
    if (mapped.length === 0) {
      throw new SigcheckError(
        'CONFIG',
        `--idms ${idmsFiles.join(', ')} maps no mirror for ${source.display}: its sources are ${describeSources(rules)}. A cluster with these manifests pulls the release from ${source.display} itself; pass the manifest that covers it, or --mirror REPO.`,
      );
    }
    for (const m of mapped) addMirror(toMirrorRef(m.repository, `--idms mirror ${m.repository}`, plainHttp), m.origins.join(', '));
  }
  for (const { ref } of mirrors.values()) {
    if (ref.display === source.display) notes.push(`mirror ${ref.display} is the source repository itself`);
  }

  const configMapPaths = list(values, 'configmaps') ?? [];
  let configMaps: ConfigMapIndex | undefined;
  let remedyDir = '.';
  if (configMapPaths.length > 0) {
    configMaps = await loadConfigMapIndex(configMapPaths);
    const first = configMapPaths[0]!;
    remedyDir = (await stat(first)).isDirectory() ? first : dirname(first);
  }

  const targets = await selectTargets(values, config, notes);
  if (targets.length === 0) usage('no release selected: check --release, --channel and --arch');

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
        ...(configMaps
          ? {
              configMaps: {
                index: configMaps,
                keyring: trust.openpgp,
                remedy: {
                  dir: remedyDir,
                  ...(flags.signatureStore ? { signatureStores: flags.signatureStore } : {}),
                  ...(flags.openpgpKey ? { openpgpKeys: flags.openpgpKey } : {}),
                },
              },
            }
          : {}),
      },
      concurrency: Math.min(8, config.network.concurrency),
      // Each component's mirrors: the --mirror repositories (oc adm release mirror --to puts every
      // component there), and what the IDMS/ICSP rules map the component's repository to.
      components: {
        registry: network.registry,
        source: network.releaseRepository,
        componentRepository: (name) => toComponentRepository(name, network.releaseRepository),
        mirrorsFor: (name) => {
          const out = new Map<string, RepositoryRef>();
          for (const value of mirrorValues) {
            const ref = toMirrorRef(value, '--mirror', plainHttp);
            out.set(ref.display, ref);
          }
          for (const m of toMirrorRepositories(name, rules)) {
            const ref = toMirrorRef(m.repository, `--idms mirror ${m.repository}`, plainHttp);
            out.set(ref.display, ref);
          }
          return [...out.values()];
        },
        trust: trust.components,
        read: { maxDownloadBytes: config.payload.maxDownloadBytes, maxUnpackedBytes: config.payload.maxUnpackedBytes, retries: config.network.retries },
      },
    });
    const input = { source: source.display, identityRepo, mirrors: [...mirrors.values()].map((m) => m.description), ...(configMaps ? { configMaps } : {}), notes, run };
    const reporters: Reporter[] = [];
    if (sharedFormat) reporters.push(await createReporter(sharedFormat, io.stdout, { quiet: bool(values, 'quiet') }));
    else if (format === 'json') io.stdout.write(`${safeJsonStringify(toMirrorJson(input), 2)}\n`);
    else io.stdout.write(safeLogText(formatMirrorText(input, { quiet: bool(values, 'quiet') })));
    for (const spec of outputs) reporters.push(await openFileReporter(spec));
    if (reporters.length > 0) await reportMirrorRun(run, config, source.display, new MultiReporter(reporters));
    return run.exitCode;
  } finally {
    await wired.close();
  }
}

/** Feeds a mirror run to the shared reporters (every format), with the mirror run's own exit code. */
async function reportMirrorRun(run: MirrorRunResult, config: CheckConfig, source: string, reporter: Reporter): Promise<void> {
  const started = Date.now();
  const { nodes, unpublished, findings } = toReport(run.releases);
  const tally = new RunTally();
  await reporter.begin?.({ mode: 'mirror', pathPrefix: '', releaseRepo: source, require: ['openpgp', 'sigstore', 'components'], arches: config.arches, total: nodes.length });
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
