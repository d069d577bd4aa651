/**
 * A mirror with a private CA: docker-registry over TLS with a certificate from a throwaway CA. Without
 * the CA the release is an error that names the host and the fix (never "absent", never retried);
 * with `caFiles` or the host marked insecure, it resolves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkConfig } from '../../src/options/registry.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { createNetwork, type Network } from '../../src/wiring/network.ts';
import { buildImage, type Digest } from '../harness/images.ts';
import { startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { skopeoPush } from '../harness/skopeo.ts';
import { startTestCA, type TestCA } from '../harness/tls.ts';

const REPO = 'ocp/release';
let ca: TestCA;
let registry: RegistryHarness;
let digest: Digest;
const networks: Network[] = [];

async function network(overrides: Partial<NetworkConfig> = {}): Promise<Network> {
  const n = await createNetwork({ releaseRepo: `${registry.host}/${REPO}`, signatureStores: [], concurrency: 4, retries: 3, timeoutMs: 5000, ...overrides }, { credentials: CredentialStore.empty(), env: {} });
  networks.push(n);
  return n;
}

beforeAll(async () => {
  ca = await startTestCA();
  const leaf = ca.leaf('registry', ['IP:127.0.0.1']);
  registry = await startRegistry({ kind: 'none' }, { tls: { certPath: leaf.certPath, keyPath: leaf.keyPath, ca: ca.ca } });
  digest = await skopeoPush(buildImage({ arch: 'amd64', seed: 'tls' }), registry.host, REPO, '4.99.1-x86_64');
});

afterAll(async () => {
  await Promise.all(networks.map((n) => n.close()));
  await registry?.stop();
  await ca?.stop();
});

describe('a TLS registry with a private CA', () => {
  it('is an error naming the host and the fix without the CA, after one attempt', async () => {
    const net = await network();
    const r = await net.resolver.resolve('4.99.1', 'amd64');
    expect(r.kind).toBe('error');
    const reason = r.kind === 'error' ? r.reason : '';
    expect(reason).toContain(`${registry.host}: its TLS certificate is not signed by a trusted CA (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`);
    expect(reason).toContain('trust that CA with the ca-file option (or NODE_EXTRA_CA_CERTS)');
    expect(net.stats().retries).toBe(0);
  });

  it('resolves with the CA file', async () => {
    const net = await network({ caFiles: [ca.caPath] });
    expect(await net.resolver.resolve('4.99.1', 'amd64')).toEqual({ kind: 'found', digest, tag: '4.99.1-x86_64', manifest: expect.objectContaining({ digest }) });
    expect(await net.resolver.resolve('4.99.1', 'arm64')).toEqual({ kind: 'absent', tag: '4.99.1-aarch64' });
  });

  it('resolves with verification off for that registry only', async () => {
    const net = await network({ insecureRegistries: [registry.host] });
    expect(await net.resolver.resolve('4.99.1', 'amd64')).toMatchObject({ kind: 'found', digest });
  });
});
