/**
 * The bench's servers: the real Debian docker-registry (test/harness/registry.ts) and the signature
 * store (test/harness/store.ts), each behind a delay proxy, all on 127.0.0.1, plus the CPU each of
 * them spends, so a run can tell the tool's share of a small machine from the servers'.
 *
 * Two settings make the registry a lighter stand-in for quay.io on a 2-core machine, where it shares
 * the cores with the tool: its storage (and the store's) goes to a memory file system when one is
 * available (pushes to ext4 were 3 times slower), and the Go runtime collects garbage less often
 * (GOGC, GOMEMLIMIT: at the default GOGC a blob GET cost the registry 1.5 to 2 times the CPU). Both only
 * reach the servers: the harness derives its directories from TMPDIR and passes its environment to
 * the registry, so they are set around the start and put back at once.
 */
import { access, constants } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startRegistry, type RegistryHarness } from '../test/harness/registry.ts';
import { startStore, type SignatureStore } from '../test/harness/store.ts';
import { listenOnLoopback, MemoryRegistry } from '../src/demo/servers.ts';
import { startDelayProxy, type DelayProxy, type DelayProxyOptions } from './delay-proxy.ts';
import { MemorySink, RegistryPusher, type ReleaseSink } from './load.ts';

export const MEMORY_FS = '/dev/shm';

export type RegistryKind = 'docker' | 'memory';

export interface BenchRegistry {
  kind: RegistryKind;
  /** `http://127.0.0.1:<port>`, the server itself (not the proxy). */
  url: string;
  port: number;
  /** Where the loader puts releases for `repo`. */
  sink(repo: string): ReleaseSink;
  stop(): Promise<void>;
}

export interface BenchServers {
  registry: BenchRegistry;
  store: SignatureStore;
  registryProxy: DelayProxy;
  storeProxy: DelayProxy;
  /** Where the servers keep their data. */
  storage: string;
  /** CPU time (user + system, ms) the registry process has used so far; undefined when it cannot be read or runs in this process. */
  registryCpuMs(): number | undefined;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  latencyMs: number;
  /** Directory for the servers' data; default a memory file system when writable, else the temp dir. */
  storage?: string;
  /**
   * `docker` (default): the real Debian docker-registry; `memory`: the read-only registry of
   * src/demo/servers.ts in this process, far cheaper per request, to tell the tool's limits from the
   * registry's on a small machine.
   */
  registry?: RegistryKind;
  registryProxy?: DelayProxyOptions;
}

async function writable(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The pid of the registry this harness started: the process whose command line names its directory. */
function findRegistryPid(dir: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
      if (cmdline.startsWith('/usr/bin/docker-registry\0') && cmdline.includes(dir)) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return undefined;
}

function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

interface DockerRegistry extends BenchRegistry {
  harness: RegistryHarness;
}

async function startDockerRegistry(storage: string): Promise<DockerRegistry> {
  const harness = await withEnv({ TMPDIR: storage, GOGC: '1000', GOMEMLIMIT: '1GiB', REGISTRY_STORAGE_CACHE_BLOBDESCRIPTOR: 'inmemory' }, () => startRegistry());
  return { kind: 'docker', harness, url: harness.url, port: harness.port, sink: (repo) => new RegistryPusher(harness.url, repo), stop: () => harness.stop() };
}

async function startMemoryRegistry(): Promise<BenchRegistry> {
  const memory = new MemoryRegistry();
  const server = await listenOnLoopback(memory);
  const port = Number(new URL(server.url).port);
  return { kind: 'memory', url: server.url, port, sink: (repo) => new MemorySink(memory, repo), stop: () => server.close() };
}

export async function startBenchServers(options: BenchServerOptions): Promise<BenchServers> {
  const storage = options.storage ?? ((await writable(MEMORY_FS)) ? MEMORY_FS : tmpdir());
  const started: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const s of [...started].reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const registry = options.registry === 'memory' ? await startMemoryRegistry() : await startDockerRegistry(storage);
    started.push(registry);
    const store = await withEnv({ TMPDIR: storage }, () => startStore());
    started.push(store);
    const registryProxy = await startDelayProxy({ host: '127.0.0.1', port: registry.port }, options.latencyMs, options.registryProxy);
    started.push({ stop: () => registryProxy.close() });
    const storeProxy = await startDelayProxy({ host: '127.0.0.1', port: store.port }, options.latencyMs);
    started.push({ stop: () => storeProxy.close() });
    const pid = registry.kind === 'docker' ? findRegistryPid((registry as DockerRegistry).harness.dir) : undefined;
    return {
      registry,
      store,
      registryProxy,
      storeProxy,
      storage,
      registryCpuMs: () => (pid === undefined ? undefined : processCpuMs(pid)),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
