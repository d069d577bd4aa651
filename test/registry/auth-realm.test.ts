/**
 * Which credential goes to which token realm (src/registry/auth.ts, module comment), asserted at the
 * receiving token issuer on a second loopback host (127.0.0.2): a hostile registry on 127.0.0.1 names
 * a realm on another registry of the auth file, with a push scope, and must not get a token minted
 * with that registry's credentials, nor any scope but pull on the repository the tool reads.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.ts';
import { RegistryAuth } from '../../src/registry/auth.ts';
import { RegistryClient } from '../../src/registry/client.ts';
import type { CredentialStore } from '../../src/registry/credentials.ts';
import { parseRepository } from '../../src/registry/reference.ts';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.ts';
import { buildImage } from '../harness/images.ts';
import { startServer, type TestServer } from '../harness/store.ts';
import { startTestCA, type TestCA } from '../harness/tls.ts';
import { startTokenIssuer, type TokenIssuer } from '../harness/token-issuer.ts';
import { credentialsFor } from './env.ts';

const REPO = 'ocp/release';
const PULL = `repository:${REPO}:pull`;
const image = buildImage({ arch: 'amd64', seed: 'realm' });

let dir: string;
/** The victim: a token issuer on another loopback host whose registry is also in the auth file. */
let victim: TokenIssuer;
/** The hostile registry; its challenge is set per test. */
let hostile: TestServer;
let hostileChallenge = '';
/** The hostile registry behind one origin with its own issuer at /token (a same-origin realm). */
let ownIssuer: TokenIssuer;
let ownRegistry: TestServer;
let sameOrigin: FaultProxy;
let credentials: CredentialStore;
let ca: TestCA;
/** The victim's token endpoint over https, on 127.0.0.2 too. */
let victimTls: TokenIssuer;
const clients: HttpClient[] = [];

function registryHandler(challenge: () => string) {
  return (req: { headers: Record<string, unknown> }, res: ServerResponse) => {
    const auth = req.headers['authorization'];
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
      res.writeHead(200, { 'content-type': image.mediaType }).end(image.manifest);
      return;
    }
    res.writeHead(401, { 'www-authenticate': challenge(), 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
  };
}

async function fetchFrom(repoUrl: string) {
  const http = new HttpClient({ retry: { retries: 0 }, tls: { extraCa: [ca.ca] } });
  clients.push(http);
  const client = new RegistryClient(http, new RegistryAuth(http, credentials));
  return client.getManifest(parseRepository(repoUrl), '4.99.1-x86_64');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-realm-'));
  victim = await startTokenIssuer({ host: '127.0.0.2', users: { 'victim-user': 'victim-secret', 'hostile-user': 'hostile-secret' } });
  ca = await startTestCA();
  victimTls = await startTokenIssuer({ host: '127.0.0.2', tls: ca.leaf('victim', ['IP:127.0.0.2']), users: { 'victim-user': 'victim-secret', 'hostile-user': 'hostile-secret' } });
  hostile = await startServer(registryHandler(() => hostileChallenge));
  ownIssuer = await startTokenIssuer({ users: { 'hostile-user': 'hostile-secret' } });
  ownRegistry = await startServer(registryHandler(() => `Bearer realm="${sameOrigin.url}/token?scope=repository:${REPO}:push,pull",service="own",scope="repository:${REPO}:push,pull"`));
  sameOrigin = await startFaultProxy({ target: ownRegistry.url, routes: { '/token': ownIssuer.url } });
  credentials = await credentialsFor(
    {
      [hostile.host]: { username: 'hostile-user', password: 'hostile-secret' },
      [sameOrigin.host]: { username: 'hostile-user', password: 'hostile-secret' },
      // The registry whose token endpoint the hostile registry names.
      [`127.0.0.2:${victim.port}`]: { username: 'victim-user', password: 'victim-secret' },
      [`127.0.0.2:${victimTls.port}`]: { username: 'victim-user', password: 'victim-secret' },
    },
    dir,
  );
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all([victim?.stop(), victimTls?.stop(), hostile?.stop(), ownIssuer?.stop(), sameOrigin?.stop(), ownRegistry?.stop()]);
  await ca?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('token realm chosen by the registry', () => {
  it('sends no credentials at all to a plain-http realm on another host, and asks only for pull', async () => {
    victim.reset();
    hostileChallenge = `Bearer realm="${victim.url}/token?scope=repository:${REPO}:push",service="victim",scope="repository:${REPO}:push,pull repository:other/repo:push"`;
    const r = await fetchFrom(`http://${hostile.host}/${REPO}`);
    expect(r.kind).toBe('found');
    expect(victim.requests).toHaveLength(1);
    const got = victim.requests[0]!;
    expect(got.sentCredentials).toBe(false);
    expect(got.sentUser).toBeUndefined();
    expect(got.accountParam).toBeUndefined();
    // The scope in the challenge and the one hidden in the realm's query are both dropped.
    expect(got.scopes).toEqual([PULL]);
    expect(got.service).toBe('victim');
  });

  it('sends the challenging registry its own credentials on its own origin, with the pull scope only', async () => {
    ownIssuer.reset();
    const r = await fetchFrom(`http://${sameOrigin.host}/${REPO}`);
    expect(r.kind).toBe('found');
    expect(ownIssuer.requests).toHaveLength(1);
    expect(ownIssuer.requests[0]).toMatchObject({ sentCredentials: true, sentUser: 'hostile-user', account: 'hostile-user', accountParam: 'hostile-user', scopes: [PULL] });
  });

  it('sends an https realm on another host the credential of the registry that challenged, never the realm host\'s', async () => {
    victimTls.reset();
    hostileChallenge = `Bearer realm="${victimTls.url}/token",service="victim",scope="repository:${REPO}:push"`;
    const r = await fetchFrom(`http://${hostile.host}/${REPO}`);
    expect(r.kind).toBe('found');
    expect(victimTls.requests).toHaveLength(1);
    expect(victimTls.requests[0]).toMatchObject({ sentCredentials: true, sentUser: 'hostile-user', account: 'hostile-user', accountParam: 'hostile-user', scopes: [PULL] });
  });

  it('never sends the credential stored for the realm host, whatever the challenge names', async () => {
    victim.reset();
    hostileChallenge = `Bearer realm="${victim.url}/token",service="victim",scope="repository:${REPO}:push"`;
    await fetchFrom(`http://${hostile.host}/${REPO}`);
    for (const r of victim.requests) {
      expect(r.sentUser).not.toBe('victim-user');
      expect(r.account).not.toBe('victim-user');
      expect(r.scopes.join(' ')).not.toContain('push');
    }
    expect(victim.requests.length).toBeGreaterThan(0);
  });
});
