/**
 * The demo's world, for the demo command and the summary preview: a registry and a signature store on
 * 127.0.0.1 serving the built-in releases, a graph-data promoting them, and the check options that
 * point at them. The servers live as long as `use` runs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CheckFlags } from '../options/registry.ts';
import { buildDemoContent, generateDemoKeys, type DemoRelease } from './content.ts';
import { listenOnLoopback, MemoryRegistry, MemoryStore } from './servers.ts';

export interface DemoWorld {
  graphData: string;
  releases: DemoRelease[];
  /** Check options that read the demo's registry and store and trust its throwaway keys. */
  flags: CheckFlags;
}

/** Builds the world into `dir` (which the caller owns and removes), runs `use`, and stops the servers. */
export async function withDemoWorld<T>(dir: string, use: (world: DemoWorld) => Promise<T>): Promise<T> {
  const registry = new MemoryRegistry();
  const store = new MemoryStore();
  let reg: Awaited<ReturnType<typeof listenOnLoopback>> | undefined;
  let sto: Awaited<ReturnType<typeof listenOnLoopback>> | undefined;
  try {
    reg = await listenOnLoopback(registry);
    sto = await listenOnLoopback(store);
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
    // A ClusterImagePolicy like OpenShift's (release image and component repositories) with the demo key.
    const imagePolicy = join(dir, 'demo-cluster-image-policy.yaml');
    await writeFile(openpgpKey, keys.openpgp.publicArmored);
    await writeFile(sigstoreKey, keys.sigstore.publicPem);
    await writeFile(imagePolicy, content.imagePolicy);
    const flags: CheckFlags = {
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
    return await use({ graphData, releases: content.releases, flags });
  } finally {
    await reg?.close();
    await sto?.close();
  }
}
