import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSigcheckError } from '../../src/model/errors.ts';
import { credentialFiles, CredentialStore, normalizeAuthKey } from '../../src/registry/credentials.ts';

const auth = (u: string, p: string) => ({ auth: Buffer.from(`${u}:${p}`).toString('base64') });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-creds-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('credentialFiles', () => {
  it('uses REGISTRY_AUTH_FILE alone when set', () => {
    expect(credentialFiles({ REGISTRY_AUTH_FILE: '/x/auth.json', DOCKER_CONFIG: '/d' }, '/home/u')).toEqual({ files: ['/x/auth.json'], explicit: true });
  });
  it('otherwise looks where podman and docker write', () => {
    expect(credentialFiles({ XDG_RUNTIME_DIR: '/run/user/1', DOCKER_CONFIG: '/d' }, '/home/u').files).toEqual([
      '/run/user/1/containers/auth.json',
      '/home/u/.config/containers/auth.json',
      '/d/config.json',
      '/home/u/.dockercfg',
    ]);
    expect(credentialFiles({}, '/home/u').files).toContain('/home/u/.docker/config.json');
  });
});

describe('normalizeAuthKey', () => {
  it('strips schemes, API suffixes and trailing slashes', () => {
    expect(normalizeAuthKey('https://index.docker.io/v1/')).toBe('index.docker.io');
    expect(normalizeAuthKey('Quay.io/openshift-release-dev/')).toBe('quay.io/openshift-release-dev');
    expect(normalizeAuthKey('http://127.0.0.1:5000')).toBe('127.0.0.1:5000');
  });
});

describe('CredentialStore', () => {
  it('finds the most specific entry of a host, and only of that host', async () => {
    const file = join(dir, 'auth.json');
    await writeFile(file, JSON.stringify({ auths: { 'quay.io': auth('host', 'h'), 'quay.io/openshift-release-dev': auth('ns', 'n'), 'https://registry.example/v1/': { username: 'u', password: 'p' } } }));
    const store = await CredentialStore.load({ REGISTRY_AUTH_FILE: file }, dir);
    expect(store.lookup('quay.io', 'openshift-release-dev/ocp-release')).toMatchObject({ username: 'ns', password: 'n', source: file });
    expect(store.lookup('quay.io', 'other/repo')).toMatchObject({ username: 'host' });
    expect(store.lookup('QUAY.IO')).toMatchObject({ username: 'host' });
    expect(store.lookup('registry.example')).toMatchObject({ username: 'u', password: 'p' });
    expect(store.lookup('quay.io.evil.example')).toBeUndefined();
    expect(store.lookup('127.0.0.1:5000')).toBeUndefined();
  });

  it('takes the first file that has the host, in lookup order', async () => {
    const home = join(dir, 'home');
    await mkdir(join(home, '.config', 'containers'), { recursive: true });
    await mkdir(join(home, '.docker'), { recursive: true });
    await writeFile(join(home, '.config', 'containers', 'auth.json'), JSON.stringify({ auths: { 'a.example': auth('podman', '1') } }));
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { 'a.example': auth('docker', '2'), 'b.example': auth('docker', '3') } }));
    const store = await CredentialStore.load({}, home);
    expect(store.lookup('a.example')?.username).toBe('podman');
    expect(store.lookup('b.example')?.username).toBe('docker');
    expect(store.files).toHaveLength(2);
  });

  it('fails on a broken REGISTRY_AUTH_FILE without echoing it, and skips a broken default file with a warning', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{"auths": {"x": {"auth": "c2VjcmV0OnBhc3N3b3Jk"}');
    let message = '';
    try {
      await CredentialStore.load({ REGISTRY_AUTH_FILE: file }, dir);
    } catch (err) {
      expect(isSigcheckError(err, 'CONFIG')).toBe(true);
      message = (err as Error).message;
    }
    expect(message).toContain(file);
    expect(message).not.toContain('c2VjcmV0');
    const home = join(dir, 'home2');
    await mkdir(join(home, '.docker'), { recursive: true });
    await writeFile(join(home, '.docker', 'config.json'), 'not json');
    const store = await CredentialStore.load({}, home);
    expect(store.warnings[0]).toContain('is not valid JSON');
    expect(store.lookup('x')).toBeUndefined();
  });

  it('warns about a REGISTRY_AUTH_FILE that does not exist (podman login may not have written it yet), refuses a missing --authfile', async () => {
    const store = await CredentialStore.load({ REGISTRY_AUTH_FILE: join(dir, 'missing.json') }, dir);
    expect(store.warnings).toEqual([expect.stringContaining('does not exist; no registry credentials are used from it')]);
    await expect(CredentialStore.load({}, dir, { authFile: join(dir, 'missing.json') })).rejects.toThrow('does not exist');
  });
});
