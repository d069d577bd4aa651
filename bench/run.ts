/**
 * `npm run bench`: the tool against a registry and a signature store that are a round trip away.
 *
 * Starts the real Debian docker-registry and a signature store on 127.0.0.1, each behind a delay
 * proxy (delay-proxy.ts, default 25 ms per request), loads N signed release nodes (load.ts), writes a
 * graph-data for them (graph.ts), then runs the tool as a child process (child.ts, bundled as dist/ is:
 * the CLI in-process, reporting its own CPU time and peak RSS) and prints throughput, requests per
 * node, the bound the latency sets, CPU per node and peak RSS, and what the servers and the machine
 * did meanwhile. Last, it replays commit 448329fa1 of cincinnati-graph-data (fixtures/pr-replay: base/
 * and head/ directories) and times the whole child run.
 *
 *   npm run bench -- [--nodes 2000] [--latency 25] [--concurrency 64[,16,...]] [--pr-runs 3]
 *                    [--profile] [--registry docker|memory] [--tool bundle|src] [--keep] [--serve]
 *                    [--components]
 *
 * With --components: 50 versions x 5 architectures (250 nodes; --nodes changes it), each payload
 * naming 200 component images, 80% shared with the previous z-stream, each signed with ART's
 * two-layer .sig; it prints the unique components, requests per unique component, nodes/s against
 * the wire bound, CPU per component check, peak RSS and the PR replay of one version with components.
 *
 * Only 127.0.0.1 is used. Every process and temporary directory is removed at the end, also on
 * failure and on SIGINT/SIGTERM/SIGHUP.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleChild } from './bundle.ts';
import { killRunningChild, readReport, runChild, type ChildOptions } from './child-run.ts';
import { benchVersions, writeGraphData } from './graph.ts';
import { BENCH_ART4, BENCH_ART5, BENCH_REPO, COMPONENTS, REBUILD_EVERY, ReleaseLoader } from './load.ts';
import { formatProfile, readProfile, summariseProfile } from './profile.ts';
import { startBenchServers, type BenchServers, type RegistryKind } from './servers.ts';
import { generateBenchKeys, SigningPool } from './signing.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const PR_REPLAY = fileURLToPath(new URL('../test/fixtures/pr-replay', import.meta.url));
const PR_COMMIT = '448329fa1';
/** The release commit 448329fa1 adds to candidate-4.22. */
const PR_VERSION = '4.22.11';
const ARCH_COUNT = 5;

const USAGE = `Usage: npm run bench -- [options]

  --nodes N          release nodes to load and check (default 2000; 5 per version)
  --latency MS       delay the proxies add to every request (default 25)
  --concurrency LIST the tool's --concurrency (requests in flight per host); a list such as
                     16,32,64 runs the audit once per value (default 64)
  --pr-runs N        times to run the PR replay; the median is reported (default 3; 0 skips it)
  --pr-dir DIR       the pr-replay fixtures (default ${PR_REPLAY})
  --profile          also run the audit under --cpu-prof and print where the CPU time goes
  --node-options=STR options for the tool's node process (mind the =; default --max-semi-space-size=8, as the
                     CLI restarts itself with), e.g.
                     --node-options="--max-semi-space-size=4 --max-old-space-size=128"
  --registry KIND    docker (default): the real Debian docker-registry; memory: an in-process
                     read-only registry (src/demo/servers.ts), to see the tool without the Go
                     registry's CPU cost on a small machine
  --tool KIND        bundle (default): src/ bundled as dist/ is, what users run; src: bench/child.ts
                     on the TypeScript sources (adds Node's type stripping to every start)
  --storage DIR      where the registry and store keep their data (default /dev/shm when writable)
  --keep             keep the work directory (graph-data, keys, reports, profiles) and print its path
  --serve            after the runs, keep the servers up and print the command that checks against
                     them (for profiling by hand); stop with Ctrl-C
  --components       payloads with ${COMPONENTS} component images each (${100 - 100 / REBUILD_EVERY}% shared between z-streams), all signed;
                     default --nodes 250 and --concurrency 16, and the component figures
`;

interface Options {
  nodes: number;
  latency: number;
  concurrency: number[];
  prRuns: number;
  prDir: string;
  profile: boolean;
  nodeOptions: string[];
  registry: RegistryKind;
  tool: 'bundle' | 'src';
  storage?: string;
  keep: boolean;
  serve: boolean;
  components: boolean;
}

function whole(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new Error(`--${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return Number(value);
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) return allowed[0] as T;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`--${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return value as T;
}

function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      nodes: { type: 'string' },
      latency: { type: 'string' },
      concurrency: { type: 'string' },
      'pr-runs': { type: 'string' },
      'pr-dir': { type: 'string' },
      profile: { type: 'boolean' },
      'node-options': { type: 'string' },
      registry: { type: 'string' },
      tool: { type: 'string' },
      storage: { type: 'string' },
      keep: { type: 'boolean' },
      serve: { type: 'boolean' },
      components: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const components = values.components ?? false;
  const concurrency = (values.concurrency ?? (components ? '16' : '64')).split(',').map((c) => whole('concurrency', c.trim(), 64, 1, 512));
  return {
    nodes: whole('nodes', values.nodes, components ? 250 : 2000, ARCH_COUNT, 100_000),
    latency: whole('latency', values.latency, 25, 0, 10_000),
    concurrency,
    prRuns: whole('pr-runs', values['pr-runs'], 3, 0, 50),
    prDir: values['pr-dir'] ?? PR_REPLAY,
    profile: values.profile ?? false,
    // The CLI restarts itself with --max-semi-space-size=8 (src/cli/index.ts); the bench's child runs the
    // CLI in-process, so it gets the same flag unless --node-options says otherwise.
    nodeOptions: (values['node-options'] ?? '--max-semi-space-size=8').split(/\s+/).filter(Boolean),
    registry: oneOf('registry', values.registry, ['docker', 'memory'] as const),
    tool: oneOf('tool', values.tool, ['bundle', 'src'] as const),
    ...(values.storage ? { storage: values.storage } : {}),
    keep: values.keep ?? false,
    serve: values.serve ?? false,
    components,
  };
}

// --- cleanup ------------------------------------------------------------------------------------------

/** Cleanup steps, run last-in first-out exactly once, on success, failure or a signal. */
class Cleanup {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  private running: Promise<void> | undefined;

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        try {
          await step.run();
        } catch (err) {
          process.stderr.write(`bench: cleanup of ${step.name} failed: ${String(err)}\n`);
        }
      }
    })();
    return this.running;
  }
}

// --- request accounting -------------------------------------------------------------------------------

/** What a request the tool sent to the registry was for, from its path. */
function classifyRegistryRequest(method: string, target: string): string {
  const path = target.replace(/\?.*$/, '');
  if (path === '/v2/' || path === '/v2') return 'ping /v2/';
  if (path.startsWith(`/v2/${BENCH_ART4}/`) || path.startsWith(`/v2/${BENCH_ART5}/`)) {
    if (/\/manifests\/sha256-[0-9a-f]{64}\.sig$/.test(path)) return `component: ${method} .sig manifest`;
    if (/\/manifests\//.test(path)) return `component: ${method} manifest`;
    if (/\/blobs\//.test(path)) return `component: ${method} blob`;
    return `component: ${method} other`;
  }
  if (/\/manifests\/sha256-[0-9a-f]{64}\.sig$/.test(path)) return `${method} .sig manifest`;
  if (/\/manifests\/sha256-[0-9a-f]{64}$/.test(path)) return `${method} referrers tag (fallback)`;
  if (/\/manifests\//.test(path)) return `${method} release manifest`;
  if (/\/blobs\//.test(path)) return `${method} blob`;
  if (/\/referrers\//.test(path)) return `${method} referrers`;
  return `${method} other`;
}

/** CPU time of the whole machine so far, from /proc/stat (ms): busy and total, all processes. */
function machineCpu(): { busyMs: number; totalMs: number } | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'latin1').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ..., in clock ticks (100 per second).
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0) * 10;
    const idle = ((fields[3] ?? 0) + (fields[4] ?? 0)) * 10;
    return { busyMs: total - idle, totalMs: total };
  } catch {
    return undefined;
  }
}

// --- formatting ---------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const say = (text = '') => {
  if (process.stdout.writable) process.stdout.write(`${text}\n`);
};
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

// --- one audit ------------------------------------------------------------------------------------------

interface AuditSetup {
  servers: BenchServers;
  registryKinds: Map<string, number>;
  entry: string;
  child: ChildOptions;
  args: (concurrency: number, report: string) => string[];
  nodes: number;
  latency: number;
  work: string;
  /** With --components: the (repository, digest) pairs the tool has to verify. */
  uniqueComponents?: number;
}

interface AuditResult {
  ok: boolean;
  concurrency: number;
  wallMs: number;
  perSec: number;
  ratio: number;
  cpuPerNode: number;
  rssMB: number;
}

async function audit(setup: AuditSetup, concurrency: number): Promise<AuditResult> {
  const { servers, nodes, latency } = setup;
  const { registryProxy: regProxy, storeProxy } = servers;
  const reportPath = join(setup.work, `report-c${concurrency}.json`);
  say(`\naudit at --concurrency ${concurrency}`);
  regProxy.reset();
  storeProxy.reset();
  setup.registryKinds.clear();
  const registryCpu0 = servers.registryCpuMs();
  const benchCpu0 = process.cpuUsage();
  const machine0 = machineCpu();
  // Requests outstanding at the proxies, sampled through the run: does the tool keep its limit busy?
  const samples: { registry: number; store: number }[] = [];
  const sampler = setInterval(() => samples.push({ registry: regProxy.stats.outstanding, store: storeProxy.stats.outstanding }), 20);
  const run = await runChild(setup.entry, setup.args(concurrency, reportPath), setup.child);
  clearInterval(sampler);
  const registryCpu1 = servers.registryCpuMs();
  const machine1 = machineCpu();
  const registryCpuMs = registryCpu0 !== undefined && registryCpu1 !== undefined ? registryCpu1 - registryCpu0 : undefined;
  const benchCpu = process.cpuUsage(benchCpu0);
  const benchCpuMs = (benchCpu.user + benchCpu.system) / 1000;
  const failed: AuditResult = { ok: false, concurrency, wallMs: run.wallMs, perSec: 0, ratio: 0, cpuPerNode: 0, rssMB: 0 };
  if (!run.rusage || run.exitCode === null) {
    say(`  the tool did not finish normally (exit ${run.exitCode ?? run.signal}):\n${run.stderr.slice(-4000)}`);
    return failed;
  }

  // Verdicts first: figures of a run that did not verify everything measure nothing.
  const report = await readReport(reportPath).catch((err: unknown) => {
    say(`  no readable report at ${reportPath}: ${String(err)}\n${run.stderr.slice(-4000)}`);
    return undefined;
  });
  if (!report) return failed;
  const valid = report.nodes === nodes && report.passed === nodes && run.exitCode === 0 && (setup.uniqueComponents === undefined || report.componentsVerified === nodes);
  say(
    `  verdicts        ${fmt(report.nodes)} nodes: ${fmt(report.passed)} passed (OpenPGP verified ${fmt(report.openpgpVerified)}, Sigstore verified ${fmt(report.sigstoreVerified)}, components verified ${fmt(report.componentsVerified)}), exit ${run.exitCode}` +
      (valid ? '' : `  <-- expected ${fmt(nodes)} passed: the figures below do not measure a good run`),
  );
  if (!valid) {
    for (const p of report.problems) say(`    ${p}`);
    for (const f of report.findings.slice(0, 5)) say(`    ${f}`);
    if (run.stderr.trim()) say(`    stderr: ${run.stderr.trim().slice(-2000)}`);
  }

  const regReq = regProxy.stats.requests;
  const storeReq = storeProxy.stats.requests;
  const requests = regReq + storeReq;
  const rpn = requests / nodes;
  const perSecWall = nodes / (run.wallMs / 1000);
  const perSecCheck = nodes / (report.durationMs / 1000);
  const latencyS = latency / 1000;
  const bound = latencyS > 0 ? concurrency / (rpn * latencyS) : Infinity;
  // Each host has its own limit of --concurrency requests in flight: the busier host sets the real bound.
  const busiest = Math.max(regReq, storeReq) / nodes;
  const hostBound = latencyS > 0 ? concurrency / (busiest * latencyS) : Infinity;
  const serverMs = { registry: regProxy.stats.serverMs / (regProxy.stats.answered || 1), store: storeProxy.stats.serverMs / (storeProxy.stats.answered || 1) };
  const tenths = (pick: (x: { registry: number; store: number }) => number) =>
    Array.from({ length: 10 }, (_, i) => {
      const part = samples.slice(Math.floor((i * samples.length) / 10), Math.floor(((i + 1) * samples.length) / 10));
      return part.length ? (part.reduce((a, x) => a + pick(x), 0) / part.length).toFixed(0) : '-';
    }).join(' ');
  const meanOutstanding = samples.length ? samples.reduce((a, x) => a + x.registry, 0) / samples.length : 0;
  const usage = run.rusage;
  const cpuMs = usage.userMs + usage.systemMs;
  const cpuPerNode = cpuMs / nodes;
  const machineMs = availableParallelism() * run.wallMs;
  const usedMs = cpuMs + benchCpuMs + (registryCpuMs ?? 0);
  const rssMB = (usage.maxRssKiB * 1024) / 1e6;
  const ratio = perSecWall / bound;

  say(`  time            whole child run ${secs(run.wallMs)}; check phase ${secs(report.durationMs)} (the report's durationMs: without start-up, graph walk and key loading)`);
  say(`  throughput      ${fmt(perSecWall, 1)} nodes/s over the whole run (${fmt(perSecCheck, 1)} over the check phase)`);
  say(`  requests        ${fmt(requests)} = ${rpn.toFixed(2)} per node (counted at the proxies): registry ${fmt(regReq)} (${(regReq / nodes).toFixed(2)}/node), store ${fmt(storeReq)} (${(storeReq / nodes).toFixed(2)}/node)`);
  say(`                  registry: ${[...setup.registryKinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${fmt(n)}`).join(', ')}`);
  const boundTarget = setup.uniqueComponents !== undefined ? 0.8 : 0.7;
  say(
    `  bound           concurrency / (requests per node x latency) = ${concurrency} / (${rpn.toFixed(2)} x ${latency} ms) = ${fmt(bound, 1)} nodes/s; ` +
      `reached ${pct(ratio)} over the whole run (${pct(perSecCheck / bound)} over the check phase)   [target >= ${pct(boundTarget)}: ${verdict(ratio >= boundTarget)}]`,
  );
  say(`                  (each host has its own limit, so the busier host's bound is higher: ${concurrency} / (${busiest.toFixed(2)} x ${latency} ms) = ${fmt(hostBound, 1)} nodes/s, reached ${pct(perSecWall / hostBound)})`);
  say(`  CPU             ${fmt(cpuMs)} ms (user ${fmt(usage.userMs)} + system ${fmt(usage.systemMs)}) = ${cpuPerNode.toFixed(2)} ms per node, both checks, start-up included   [target <= 3 ms: ${verdict(cpuPerNode <= 3)}]`);
  const atPeak = usage.atPeakRss;
  say(
    `  peak RSS        ${(usage.maxRssKiB / 1024).toFixed(0)} MiB = ${rssMB.toFixed(0)} MB for ${fmt(nodes)} nodes   [target <= 200 MB at 6,000 nodes${nodes >= 6000 ? `: ${verdict(rssMB <= 200)}` : ': run --nodes 6000'}]` +
      (atPeak ? `\n                  at the highest RSS sampled (${atPeak.rssMiB} MiB): V8 heap ${atPeak.heapTotalMiB} MiB reserved, ${atPeak.heapUsedMiB} MiB used (live and garbage); buffers outside the heap ${atPeak.externalMiB} MiB` : ''),
  );
  if (setup.uniqueComponents !== undefined) {
    const componentRequests = [...setup.registryKinds].filter(([k]) => k.startsWith('component:')).reduce((n, [, c]) => n + c, 0);
    const perUnique = componentRequests / (setup.uniqueComponents || 1);
    const perCheck = cpuMs / (report.componentChecks || 1);
    const perUniqueCpu = cpuMs / (setup.uniqueComponents || 1);
    say(`  components      ${fmt(report.componentChecks)} component checks (${COMPONENTS} per payload) of ${fmt(setup.uniqueComponents)} unique (repository, digest) pairs (lists and their instances)`);
    say(`                  ${fmt(componentRequests)} requests to the component repositories = ${perUnique.toFixed(2)} per unique component   [target <= 3: ${verdict(perUnique <= 3)}]`);
    say(`                  CPU ${perCheck.toFixed(3)} ms per component check, ${perUniqueCpu.toFixed(3)} ms per unique component (the whole run's CPU, release checks and start-up included)   [target <= 1 ms per component check: ${verdict(perCheck <= 1)}]`);
    say(`                  peak RSS ${rssMB.toFixed(0)} MB   [target <= 250 MB: ${verdict(rssMB <= 250)}]`);
  }
  say('  where the time goes');
  say(
    `    servers       answered ${serverMs.registry.toFixed(1)} ms (registry) and ${serverMs.store.toFixed(1)} ms (store) after the proxy forwarded a request, on average (latency excluded)`,
  );
  say(`    in flight     registry requests outstanding at the proxy, mean ${meanOutstanding.toFixed(1)} of ${concurrency}; per tenth of the run: ${tenths((x) => x.registry)} (store: ${tenths((x) => x.store)})`);
  say(`    connections   opened: registry ${regProxy.stats.connections} (at most ${regProxy.stats.peakConnections} at once), store ${storeProxy.stats.connections} (at most ${storeProxy.stats.peakConnections})`);
  const loop = usage.loopDelayMs;
  if (loop) say(`    event loop    the tool's timers ran ${loop.mean.toFixed(1)} ms late on average (p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms): a busy loop reads answers late`);
  say(
    `    machine CPU   tool ${fmt(cpuMs)} ms + ${servers.registry.kind === 'docker' ? `docker-registry ${registryCpuMs === undefined ? '(unknown)' : `${fmt(registryCpuMs)} ms (${(registryCpuMs / (regReq || 1)).toFixed(2)} ms per request)`} + ` : ''}` +
      `bench process (proxies, store${servers.registry.kind === 'memory' ? ', memory registry' : ''}) ${fmt(benchCpuMs)} ms = ${fmt(usedMs)} of ${fmt(machineMs)} ms (${availableParallelism()} CPUs x the run): ${pct(usedMs / machineMs)} busy`,
  );
  if (machine0 && machine1) {
    // Anything else running on the machine (another build, another test run) slows the servers and the tool alike.
    const busy = machine1.busyMs - machine0.busyMs;
    const total = machine1.totalMs - machine0.totalMs;
    say(`                  the whole machine (/proc/stat) was ${pct(busy / (total || 1))} busy; other processes used about ${fmt(Math.max(0, busy - usedMs))} ms of it`);
  }
  return { ok: valid, concurrency, wallMs: run.wallMs, perSec: perSecWall, ratio, cpuPerNode, rssMB };
}

// --- main ---------------------------------------------------------------------------------------------

async function bench(options: Options, cleanup: Cleanup): Promise<boolean> {
  const versionsCount = Math.ceil(options.nodes / ARCH_COUNT);
  const nodes = versionsCount * ARCH_COUNT;
  const prBase = join(options.prDir, PR_COMMIT, 'base');
  const prHead = join(options.prDir, PR_COMMIT, 'head');
  say(`release-sigcheck bench: ${fmt(nodes)} nodes (${fmt(versionsCount)} versions x ${ARCH_COUNT} architectures), latency ${options.latency} ms, --concurrency ${options.concurrency.join(',')}`);
  say(`  node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown CPU'})`);

  const work = await mkdtemp(join(tmpdir(), 'sigcheck-bench-'));
  cleanup.add('work directory', async () => {
    if (options.keep) process.stderr.write(`bench: kept ${work}\n`);
    else await rm(work, { recursive: true, force: true });
  });

  const registryKinds = new Map<string, number>();
  const servers = await startBenchServers({
    latencyMs: options.latency,
    ...(options.storage ? { storage: options.storage } : {}),
    registry: options.registry,
    registryProxy: {
      onRequest: (method, target) => {
        const kind = classifyRegistryRequest(method, target);
        registryKinds.set(kind, (registryKinds.get(kind) ?? 0) + 1);
      },
    },
  });
  cleanup.add('servers', () => servers.stop());
  const { store, registryProxy, storeProxy } = servers;
  say(
    `  servers: ${servers.registry.kind === 'docker' ? 'docker-registry' : 'in-process memory registry'} ${servers.registry.url} and signature store ${store.url} ` +
      `(data in ${servers.storage}), behind delay proxies ${registryProxy.url} and ${storeProxy.url}`,
  );

  // Signatures name the repository as the tool is told it (the proxy's address), as they name quay.io.
  const releaseRepo = `${registryProxy.url}/${BENCH_REPO}`;
  const identityRepo = `127.0.0.1:${registryProxy.port}/${BENCH_REPO}`;

  // --- load -------------------------------------------------------------------------------------------
  let t = performance.now();
  const keys = await generateBenchKeys();
  const keyMs = performance.now() - t;
  const signer = new SigningPool(keys);
  cleanup.add('signing threads', () => signer.close());
  const loader = new ReleaseLoader(
    { sink: servers.registry.sink(BENCH_REPO), ...(options.components ? { componentSink: (repo: string) => servers.registry.sink(repo) } : {}), identityRepo, putStoreSignature: (d, n, b) => store.put(d, n, b) },
    signer,
  );
  cleanup.add('pusher', () => loader.close());
  const versions = benchVersions(versionsCount);
  const all = versions.includes(PR_VERSION) ? versions : [...versions, PR_VERSION];
  const extra = all.slice(versions.length);
  t = performance.now();
  let shown = 0;
  await loader.load(versions, 8, (done) => {
    const tenth = Math.floor((done / all.length) * 10);
    if (tenth > shown) {
      shown = tenth;
      process.stderr.write(`bench: loaded ${done}/${all.length} versions (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
    }
  });
  // What the audit has to verify; the PR replay's version comes after, with components of its own.
  const uniqueInAudit = loader.uniqueComponents.size;
  if (extra.length > 0) await loader.load(extra, 1);
  const loadMs = performance.now() - t;
  await signer.close();
  await loader.close();
  const c = loader.counts;
  say(
    `load: ${fmt(c.versions)} versions (with ${PR_VERSION} for the PR replay) in ${secs(loadMs)}, keys ${secs(keyMs)} before: ` +
      `${fmt(c.images)} images, ${fmt(c.lists)} manifest lists, ${fmt(c.sigTags)} .sig tags with ${fmt(c.cosignSignatures)} RSA-4096 cosign signatures, ` +
      `${fmt(c.openpgpSignatures)} RSA-4096 OpenPGP signatures (signed on ${availableParallelism()} threads); ${fmt(c.pushRequests)} push requests` +
      (options.components ? `; components: ${fmt(c.componentImages)} images and ${fmt(c.componentLists)} lists in ${BENCH_ART4} and ${BENCH_ART5}` : ''),
  );

  const graphDir = join(work, 'graph-data');
  const channelFiles = await writeGraphData(graphDir, versions);
  const openpgpKeyFile = join(work, 'bench-openpgp.asc');
  const sigstoreKeyFile = join(work, 'bench-cosign.pub');
  await writeFile(openpgpKeyFile, keys.openpgp.publicArmored);
  await writeFile(sigstoreKeyFile, keys.cosign.publicPem);
  // No credentials of the user's reach the bench: an empty auth file is the only one the tool reads.
  const authFile = join(work, 'auth.json');
  await writeFile(authFile, '{"auths":{}}\n');
  const cwd = join(work, 'cwd');
  await mkdir(cwd);
  const child: ChildOptions = { cwd, env: { ...process.env, REGISTRY_AUTH_FILE: authFile, RELEASE_SIGCHECK_DEBUG: '1' }, nodeArgs: options.nodeOptions };
  cleanup.add('child process', () => killRunningChild());

  // The tool as users run it (bundled like dist/), or straight from the TypeScript sources.
  const entry = options.tool === 'bundle' ? await bundleChild(join(work, 'tool')) : CHILD;
  // The openshift ClusterImagePolicy's three scopes, on the proxy's address, with the bench key.
  const policyFile = join(work, 'bench-cluster-image-policy.yaml');
  const host = `127.0.0.1:${registryProxy.port}`;
  await writeFile(
    policyFile,
    `apiVersion: config.openshift.io/v1\nkind: ClusterImagePolicy\nmetadata:\n  name: openshift\nspec:\n  scopes:\n  - ${host}/${BENCH_REPO}\n  - ${host}/${BENCH_ART4}\n  - ${host}/${BENCH_ART5}\n` +
      `  policy:\n    rootOfTrust:\n      policyType: PublicKey\n      publicKey:\n        keyData: ${Buffer.from(keys.cosign.publicPem.trim()).toString('base64')}\n`,
  );
  const trustArgs = options.components ? ['--image-policy', policyFile] : ['--sigstore-key', sigstoreKeyFile];
  const common = (concurrency: number) => ['--release-repo', releaseRepo, '--signature-store', `${storeProxy.url}/signatures`, '--openpgp-key', openpgpKeyFile, ...trustArgs, '--concurrency', String(concurrency)];
  const auditArgs = (concurrency: number, report: string) => ['--graph-data', graphDir, ...common(concurrency), '--quiet', '--output', report];
  say(
    `tool: ${options.tool === 'bundle' ? 'src/ bundled as scripts/bundle.mjs builds dist/' : 'bench/child.ts on the TypeScript sources'}, run as ` +
      `node ${options.nodeOptions.join(' ')}${options.nodeOptions.length ? ' ' : ''}${options.tool === 'bundle' ? '<bundle>/child.js' : 'bench/child.ts'} ` +
      `--graph-data <${channelFiles} channel files> ${common(options.concurrency[0] as number).join(' ')} --quiet --output report.json`,
  );

  // --- audits -----------------------------------------------------------------------------------------
  const setup: AuditSetup = { servers, registryKinds, entry, child, args: auditArgs, nodes, latency: options.latency, work, ...(options.components ? { uniqueComponents: uniqueInAudit } : {}) };
  const results: AuditResult[] = [];
  for (const concurrency of options.concurrency) results.push(await audit(setup, concurrency));
  let ok = results.every((r) => r.ok);
  if (results.length > 1) {
    say(`\nby concurrency (bound = concurrency / (requests per node x latency)):`);
    say(`  concurrency   whole run   nodes/s   of bound   CPU ms/node   peak RSS MB`);
    for (const r of results) {
      say(`  ${String(r.concurrency).padStart(11)}   ${secs(r.wallMs).padStart(9)}   ${fmt(r.perSec, 1).padStart(7)}   ${pct(r.ratio).padStart(8)}   ${r.cpuPerNode.toFixed(2).padStart(11)}   ${r.rssMB.toFixed(0).padStart(11)}`);
    }
  }

  // --- profile ------------------------------------------------------------------------------------------
  if (options.profile) {
    const profDir = join(work, 'profile');
    await mkdir(profDir);
    const concurrency = options.concurrency[0] as number;
    // The sources, not the bundle, so that every function keeps its file and line (type stripping keeps
    // positions); their start-up also pays for the type stripping (wasm://, node:internal/modules).
    const profiled = await runChild(CHILD, auditArgs(concurrency, join(work, 'report-profiled.json')), { ...child, nodeArgs: [...options.nodeOptions, '--cpu-prof', '--cpu-prof-dir', profDir] });
    const files = (await readdir(profDir)).filter((f) => f.endsWith('.cpuprofile'));
    say(
      `\nprofile: the audit at --concurrency ${concurrency} from the sources (bench/child.ts) under --cpu-prof (${secs(profiled.wallMs)}, exit ${profiled.exitCode})` +
        `${options.keep ? `: ${files.map((f) => join(profDir, f)).join(', ')}` : ''}`,
    );
    for (const f of files) say(formatProfile(summariseProfile(await readProfile(join(profDir, f)), 25)));
  }

  // --- PR replay ---------------------------------------------------------------------------------------
  if (options.prRuns > 0) {
    const prReport = join(work, 'report-pr.json');
    const prArgs = ['--base', prBase, '--head', prHead, ...common(options.concurrency[0] as number), '--output', prReport];
    say(`\nPR replay of ${PR_COMMIT} (adds ${PR_VERSION} to candidate-4.22): --base ${prBase} --head ${prHead}`);
    const times: number[] = [];
    const rss: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < options.prRuns; i++) {
      const run = await runChild(entry, prArgs, child);
      times.push(run.wallMs);
      if (run.rusage) {
        rss.push(run.rusage.maxRssKiB / 1024);
        cpu.push(run.rusage.userMs + run.rusage.systemMs);
      }
      const pr = await readReport(prReport).catch(() => undefined);
      if (!pr || pr.nodes !== ARCH_COUNT || pr.passed !== ARCH_COUNT || run.exitCode !== 0) {
        ok = false;
        say(`  run ${i + 1}: ${pr ? `${pr.passed}/${pr.nodes} nodes passed` : 'no report'}, exit ${run.exitCode}  <-- expected the ${ARCH_COUNT} nodes of ${PR_VERSION}, all passed`);
        for (const p of pr?.problems ?? []) say(`    ${p}`);
        for (const f of pr?.findings.slice(0, 5) ?? []) say(`    ${f}`);
        if (run.stderr.trim()) say(`    stderr: ${run.stderr.trim().slice(-2000)}`);
      }
    }
    const m = median(times);
    const prTarget = options.components ? 10_000 : 2000;
    say(`  whole child run ${secs(m)}, median of ${times.length} (${times.map((x) => secs(x)).join(', ')}); the ${ARCH_COUNT} nodes of ${PR_VERSION} checked${options.components ? `, with their ${COMPONENTS} components each` : ''}   [target < ${prTarget / 1000} s: ${verdict(m < prTarget)}]`);
    if (cpu.length > 0) say(`  CPU ${fmt(median(cpu))} ms, peak RSS ${median(rss).toFixed(0)} MiB (medians): mostly the tool's fixed cost of starting, loading modules and keys`);
  }

  if (options.serve) {
    say(`\nserving until Ctrl-C; check against these releases with:`);
    say(`  cd ${cwd} && REGISTRY_AUTH_FILE=${authFile} ${process.execPath} ${entry} ${auditArgs(options.concurrency[0] as number, join(work, 'report.json')).join(' ')}`);
    await new Promise<void>(() => undefined);
  }
  return ok;
}

const cleanup = new Cleanup();
let exiting = false;
const stopNow = (why: string, code: number) => {
  if (exiting) return;
  exiting = true;
  process.stderr.write(`bench: ${why}, cleaning up\n`);
  void cleanup.run().finally(() => process.exit(code));
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stopNow(signal, signal === 'SIGINT' ? 130 : 143));
// Whatever goes wrong, the servers and directories go too: a reader that closed stdout (`| head`) only
// silences the output, and an unexpected exception still runs the cleanup.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') stopNow(`stdout: ${err.message}`, 1);
});
process.on('uncaughtException', (err) => stopNow(`unexpected error: ${err.stack ?? String(err)}`, 1));
process.on('unhandledRejection', (err) => stopNow(`unexpected error: ${(err as Error)?.stack ?? String(err)}`, 1));

let options: Options | undefined;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!options) {
  process.stdout.write(USAGE);
} else {
  try {
    process.exitCode = (await bench(options, cleanup)) ? 0 : 1;
  } catch (err) {
    // After a signal, the cleanup closing the servers under the run is what made it fail.
    if (!exiting) process.stderr.write(`bench: failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}
