/**
 * The registry set-up the registry tests share, shaped like quay.io: a token-auth docker-registry and
 * its token issuer behind one origin (a fault proxy that routes `/token` to the issuer and the rest to
 * the registry), so the realm is on the registry's own host. The proxy counts every request that
 * reaches the registry side and can break a share of them.
 */
import { CredentialStore } from '../../src/registry/credentials.ts';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.ts';
import { HttpPusher } from '../harness/images.ts';
import { startRegistry, type RegistryHarness } from '../harness/registry.ts';
import { startTokenIssuer, type TokenIssuer, type TokenIssuerOptions } from '../harness/token-issuer.ts';

export interface TokenRegistryEnv {
  issuer: TokenIssuer;
  registry: RegistryHarness;
  /** The origin clients use: `/v2/...` goes to the registry, `/token` to the issuer. */
  proxy: FaultProxy;
  /** A pusher straight to the registry (not through the proxy), with a minted push token. */
  pusher(repo: string): HttpPusher;
  stop(): Promise<void>;
}

export async function startTokenRegistry(options: TokenIssuerOptions & { seed?: number } = {}): Promise<TokenRegistryEnv> {
  const issuer = await startTokenIssuer({ users: { pusher: 'push-pw', ...options.users }, ...options });
  const proxy = await startFaultProxy({ routes: { '/token': issuer.url }, seed: options.seed ?? 7 });
  let registry: RegistryHarness;
  try {
    registry = await startRegistry({ kind: 'token', realm: `${proxy.url}/token`, service: issuer.service, issuer: issuer.issuer, rootCertBundle: issuer.rootCertBundle });
  } catch (err) {
    await proxy.stop();
    await issuer.stop();
    throw err;
  }
  proxy.retarget(registry.url);
  return {
    issuer,
    registry,
    proxy,
    pusher: (repo) => new HttpPusher(registry.url, repo, `Bearer ${issuer.mint([{ name: repo, actions: ['pull', 'push'] }], 'pusher')}`),
    stop: async () => {
      await proxy.stop();
      await registry.stop();
      await issuer.stop();
    },
  };
}

/** Credentials held only in memory, as if read from an auth file. */
export async function credentialsFor(entries: Record<string, { username: string; password: string }>, dir: string): Promise<CredentialStore> {
  const { writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const file = join(dir, `auth-${Math.random().toString(36).slice(2)}.json`);
  const auths = Object.fromEntries(Object.entries(entries).map(([host, c]) => [host, { auth: Buffer.from(`${c.username}:${c.password}`).toString('base64') }]));
  await writeFile(file, JSON.stringify({ auths }));
  return CredentialStore.load({ REGISTRY_AUTH_FILE: file });
}
