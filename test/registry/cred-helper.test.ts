/**
 * Credential helpers: a `docker-credential-sigtest` script on PATH in a temporary directory, which
 * answers by host as real helpers do (a credential, "credentials not found", a hang, a flood, a
 * failure that prints a secret), then the lookup order of auth files, then a real token registry
 * whose credentials only the helper knows.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSigcheckError } from '../../src/model/errors.ts';
import { runCredentialHelper } from '../../src/registry/cred-helper.ts';
import { CredentialStore } from '../../src/registry/credentials.ts';
import { createNetwork } from '../../src/wiring/network.ts';
import { buildImage } from '../harness/images.ts';
import { startTokenRegistry, type TokenRegistryEnv } from './env.ts';

const HELPER = `#!/bin/sh
# A docker credential helper for tests: answers by the host read from stdin.
[ "$1" = get ] || { echo "unknown action $1" >&2; exit 2; }
read -r host
echo "$host" >> "$SIGTEST_LOG"
if [ -f "$SIGTEST_CREDS/$host" ]; then cat "$SIGTEST_CREDS/$host"; exit 0; fi
case "$host" in
  none.example) echo "credentials not found in native keychain"; exit 1 ;;
  slow.example) sleep 30 ;;
  big.example) head -c 200000 /dev/zero | tr '\\0' 'x' ;;
  fail.example) echo "leaked-secret-on-stderr" >&2; echo "leaked-secret-on-stdout"; exit 3 ;;
  token.example) echo '{"ServerURL":"token.example","Username":"<token>","Secret":"refresh-secret"}' ;;
  junk.example) echo "not json leaked-secret" ;;
  *) echo "credentials not found in native keychain"; exit 1 ;;
esac
`;

let dir: string;
let bin: string;
let creds: string;
let log: string;
let env: NodeJS.ProcessEnv;
let registry: TokenRegistryEnv;
const image = buildImage({ arch: 'amd64', seed: 'helper' });

async function setCredential(host: string, username: string, secret: string): Promise<void> {
  await writeFile(join(creds, host), JSON.stringify({ ServerURL: host, Username: username, Secret: secret }));
}

async function helperRuns(): Promise<string[]> {
  return (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
}

async function authFile(name: string, doc: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(doc));
  return file;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-helper-'));
  bin = join(dir, 'bin');
  creds = join(dir, 'creds');
  log = join(dir, 'helper.log');
  await mkdir(bin);
  await mkdir(creds);
  await writeFile(join(bin, 'docker-credential-sigtest'), HELPER);
  await chmod(join(bin, 'docker-credential-sigtest'), 0o755);
  env = { PATH: `${bin}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`, SIGTEST_LOG: log, SIGTEST_CREDS: creds };
  await setCredential('registry.example', 'helper-user', 'helper-secret');
  registry = await startTokenRegistry({ anonymousPull: false, users: { reader: 'reader-secret' } });
  await registry.pusher('ocp/release').image(image, '4.99.1-x86_64');
});

afterAll(async () => {
  await registry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('runCredentialHelper', () => {
  it('runs `docker-credential-<name> get` with the host on stdin', async () => {
    expect(await runCredentialHelper('sigtest', 'registry.example', { env })).toEqual({ username: 'helper-user', password: 'helper-secret' });
    expect((await helperRuns()).at(-1)).toBe('registry.example');
  });

  it('answers none for "credentials not found"', async () => {
    expect(await runCredentialHelper('sigtest', 'none.example', { env })).toBeUndefined();
  });

  it.each([
    ['slow.example', 'did not answer within 300 ms'],
    ['big.example', 'printed more than 1024 bytes'],
    ['fail.example', 'exited with status 3'],
    ['token.example', 'returned an identity token'],
    ['junk.example', 'printed something that is not the credentials JSON'],
  ])('fails %s as HTTP_AUTH without quoting the helper (%s)', async (host, problem) => {
    const err = await failure(runCredentialHelper('sigtest', host, { env, timeoutMs: 300, maxBytes: 1024, origin: 'credHelpers in auth.json' }));
    expect(isSigcheckError(err, 'HTTP_AUTH')).toBe(true);
    expect(err.message).toContain(`credential helper docker-credential-sigtest (credHelpers in auth.json): ${problem}`);
    expect(err.message).toContain(`no credentials for ${host}`);
    const shown = `${err.message} ${JSON.stringify(err)} ${String(err.cause ?? '')}`;
    expect(shown).not.toMatch(/leaked-secret|refresh-secret/);
  });

  it('says when the helper is not installed, and never runs a name that is a path', async () => {
    expect((await failure(runCredentialHelper('absent', 'registry.example', { env }))).message).toContain('is not installed (no docker-credential-absent on PATH)');
    const before = (await helperRuns()).length;
    expect((await failure(runCredentialHelper('../bin/sigtest', 'registry.example', { env }))).message).toContain('is not a valid helper name');
    expect((await helperRuns()).length).toBe(before);
  });
});

describe('CredentialStore with helpers', () => {
  it('credHelpers for the host wins over auths; credsStore serves hosts without an entry; each helper runs once per host', async () => {
    const file = await authFile('helpers.json', {
      auths: { 'registry.example': { auth: Buffer.from('file-user:file-secret').toString('base64') }, 'written.example': { auth: Buffer.from('w:w').toString('base64') } },
      credHelpers: { 'registry.example': 'sigtest' },
      credsStore: 'sigtest',
    });
    await setCredential('stored.example', 'store-user', 'store-secret');
    const store = await CredentialStore.load(env, dir, { authFile: file });
    const before = (await helperRuns()).length;
    const found = await Promise.all([store.find('registry.example', 'a/b'), store.find('registry.example'), store.find('stored.example'), store.find('written.example'), store.find('nobody.example')]);
    expect(found.map((c) => c?.username)).toEqual(['helper-user', 'helper-user', 'store-user', 'w', undefined]);
    expect(found[0]!.source).toBe(`${file} (docker-credential-sigtest)`);
    expect((await helperRuns()).slice(before).sort()).toEqual(['nobody.example', 'registry.example', 'stored.example']);
    // The synchronous lookup sees what is written in the files only.
    expect(store.lookup('registry.example')?.username).toBe('file-user');
  });

  it('goes on to the next file when a helper has nothing for the host, as podman does', async () => {
    const first = await authFile('first.json', { credHelpers: { 'none.example': 'sigtest' } });
    const xdg = join(dir, 'xdg');
    await mkdir(join(xdg, 'containers'), { recursive: true });
    await writeFile(join(xdg, 'containers', 'auth.json'), JSON.stringify({ auths: { 'none.example': { auth: Buffer.from('second:s').toString('base64') } } }));
    const home = join(dir, 'home');
    const docker = join(home, '.docker');
    await mkdir(docker, { recursive: true });
    await writeFile(join(docker, 'config.json'), await readFile(first, 'utf8'));
    const store = await CredentialStore.load({ ...env, XDG_RUNTIME_DIR: xdg }, home);
    expect((await store.find('none.example'))?.username).toBe('second');
  });

  it('warns about a helper name that is not a plain word, and never runs it', async () => {
    const file = await authFile('bad.json', { credHelpers: { 'registry.example': '/bin/sh -c id' }, credsStore: '../x' });
    const store = await CredentialStore.load(env, dir, { authFile: file });
    expect(store.warnings.join('\n')).toContain('credHelpers entry for registry.example does not name a helper');
    expect(store.warnings.join('\n')).toContain('credsStore does not name a helper');
    expect(await store.find('registry.example')).toBeUndefined();
  });

  it('refuses an authfile that does not exist, naming the option', async () => {
    const err = await failure(CredentialStore.load(env, dir, { authFile: join(dir, 'missing.json') }));
    expect(isSigcheckError(err, 'CONFIG')).toBe(true);
    expect(err.message).toContain('(the authfile option) does not exist');
  });
});

describe('a private registry whose credentials only the helper knows', () => {
  it('pulls with the helper\'s credentials through --authfile, and never shows them', async () => {
    await setCredential(registry.proxy.host, 'reader', 'reader-secret');
    const file = await authFile('registry.json', { credHelpers: { [registry.proxy.host]: 'sigtest' } });
    registry.issuer.reset();
    const net = await createNetwork({ releaseRepo: `http://${registry.proxy.host}/ocp/release`, signatureStores: [], concurrency: 4, retries: 1, timeoutMs: 5000, authFile: file }, { env });
    try {
      expect(await net.resolver.resolve('4.99.1', 'amd64')).toEqual({ kind: 'found', digest: image.digest, tag: '4.99.1-x86_64', manifest: expect.objectContaining({ digest: image.digest }) });
      expect(registry.issuer.requests.map((r) => r.account)).toEqual(['reader']);
      expect(JSON.stringify(net.warnings)).not.toContain('reader-secret');
    } finally {
      await net.close();
    }
  });

  it('reports a broken helper as an error of the check, not as an unsigned release', async () => {
    const file = await authFile('broken.json', { credHelpers: { [registry.proxy.host]: 'absent' } });
    const net = await createNetwork({ releaseRepo: `http://${registry.proxy.host}/ocp/release`, signatureStores: [], concurrency: 4, retries: 1, timeoutMs: 5000, authFile: file }, { env });
    try {
      const r = await net.resolver.resolve('4.99.1', 'amd64');
      expect(r.kind).toBe('error');
      expect(r.kind === 'error' && r.reason).toContain('docker-credential-absent');
    } finally {
      await net.close();
    }
  });
});
