/**
 * createNetwork wires the configuration into every request: the run's deadline ends store and
 * registry requests alike as `error` (never `not-found`), and CA files are read up front.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkConfig } from '../../src/options/registry.ts';
import { isSigcheckError } from '../../src/model/errors.ts';
import { checkOpenPGP } from '../../src/openpgp/check.ts';
import { loadOpenPGPKeyring } from '../../src/openpgp/keys.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { createNetwork, type Network } from '../../src/wiring/network.ts';
import { startServer, type TestServer } from '../harness/store.ts';

const DIGEST = `sha256:${'ab'.repeat(32)}` as const;
let stalling: TestServer;
let dir: string;
const networks: Network[] = [];

async function network(overrides: Partial<NetworkConfig>): Promise<Network> {
  const n = await createNetwork(
    { releaseRepo: `http://${stalling.host}/ocp/release`, signatureStores: [`${stalling.url}/sigs`], concurrency: 4, retries: 3, timeoutMs: 20_000, ...overrides },
    { credentials: CredentialStore.empty(), env: {} },
  );
  networks.push(n);
  return n;
}

beforeAll(async () => {
  stalling = await startServer(() => undefined); // accepts, never answers
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-network-'));
});

afterAll(async () => {
  await Promise.all(networks.map((n) => n.close()));
  await stalling?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the run deadline', () => {
  it('ends a stalled store fetch and a stalled tag resolution as errors, and the OpenPGP check as error', async () => {
    const net = await network({ deadline: Date.now() + 500 });
    const [fetched, resolved] = await Promise.all([net.fetchStoreSignature(`${stalling.url}/sigs/sha256=${'ab'.repeat(32)}/signature-1`), net.resolver.resolve('4.99.1', 'amd64')]);
    expect(fetched.kind).toBe('error');
    expect(fetched.kind === 'error' && fetched.reason).toContain("the run's deadline passed");
    expect(resolved.kind).toBe('error');
    const keyring = await loadOpenPGPKeyring({ keyFiles: [] });
    const result = await checkOpenPGP(DIGEST, { stores: [`${stalling.url}/sigs`], fetch: net.fetchStoreSignature, keyring });
    expect(result.outcome).toBe('error');
    expect(result.reason).toContain("deadline has passed");
  });

  it('takes an AbortSignal as the deadline', async () => {
    const controller = new AbortController();
    const net = await network({ deadline: controller.signal });
    const pending = net.fetchStoreSignature(`${stalling.url}/sigs/x/signature-1`);
    setTimeout(() => controller.abort(), 100);
    const fetched = await pending;
    expect(fetched).toMatchObject({ kind: 'error' });
  });
});

describe('CA files', () => {
  it('refuses a CA file that holds no certificate, before any request', async () => {
    const file = join(dir, 'not-a-cert.pem');
    await writeFile(file, 'hello');
    const err = await network({ caFiles: [file] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSigcheckError(err, 'CONFIG')).toBe(true);
    expect((err as Error).message).toContain(`CA file ${file} holds no PEM certificate`);
  });

  it('refuses a proxy variable that is not a URL', async () => {
    const err = await createNetwork(
      { releaseRepo: 'quay.io/a/b', signatureStores: [], concurrency: 1, retries: 0, timeoutMs: 1000 },
      { credentials: CredentialStore.empty(), env: { HTTPS_PROXY: 'http://[bad' } },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSigcheckError(err, 'CONFIG')).toBe(true);
    expect((err as Error).message).toContain('HTTPS_PROXY is not a proxy URL');
  });
});
