import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigcheckError } from '../../src/model/errors.ts';
import { describeKey, loadKeyFile, redHatReleaseKey3, toTrustedKey } from '../../src/sigstore/keys.ts';
import { REDHAT_RELEASE_3_PEM } from '../../src/trust/baked-keys.ts';

function configError(fn: () => unknown): SigcheckError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SigcheckError);
    expect((err as SigcheckError).code).toBe('CONFIG');
    return err as SigcheckError;
  }
  throw new Error('expected a CONFIG error');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('keys', () => {
  it('Red Hat release key 3 is RSA-4096, fingerprinted by the sha256 of its SPKI DER', () => {
    const key = redHatReleaseKey3();
    expect(key).toMatchObject({ name: 'Red Hat release key 3', algorithm: 'rsa', description: 'RSA-4096' });
    const der = Buffer.from(REDHAT_RELEASE_3_PEM.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(key.fingerprint).toBe(`sha256:${createHash('sha256').update(der).digest('hex')}`);
    expect(key.spki.equals(der)).toBe(true);
    expect(describeKey(key)).toMatch(/^Red Hat release key 3 \(RSA-4096, sha256:[0-9a-f]{16}\)$/);
  });

  it('reads PKIX and PKCS#1 RSA keys, and P-256, P-384 and P-521 EC keys', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const spki = toTrustedKey(rsa.export({ type: 'spki', format: 'pem' }).toString(), 'spki');
    const pkcs1 = toTrustedKey(rsa.export({ type: 'pkcs1', format: 'pem' }).toString(), 'pkcs1');
    expect(spki.fingerprint).toBe(pkcs1.fingerprint);
    expect(pkcs1.description).toBe('RSA-2048');
    for (const [curve, name] of [['P-256', 'ECDSA P-256'], ['P-384', 'ECDSA P-384'], ['P-521', 'ECDSA P-521']] as const) {
      const ec = generateKeyPairSync('ec', { namedCurve: curve }).publicKey;
      expect(toTrustedKey(ec.export({ type: 'spki', format: 'pem' }).toString(), curve).description).toBe(name);
    }
  });

  it('uses only the first PEM block, as containers/image does', () => {
    const a = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const b = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(toTrustedKey(`# comment\n${a}${b}`, 'two').fingerprint).toBe(toTrustedKey(a, 'a').fingerprint);
  });

  it('accepts Ed25519 keys, as CRI-O\'s verifier loads them', () => {
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(toTrustedKey(ed, 'ed', 'policy keyData')).toMatchObject({ algorithm: 'ed25519', description: 'Ed25519' });
  });

  it('refuses what CRI-O cannot verify, with CONFIG errors naming the source', () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(configError(() => toTrustedKey(pss, 'pss')).message).toMatch(/RSA-PSS keys are not supported/);
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(configError(() => toTrustedKey(k1, 'k1')).message).toMatch(/curve secp256k1 is not supported/);
    expect(configError(() => toTrustedKey('hello', 'x')).message).toMatch(/no PEM block found/);
    const priv = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(configError(() => toTrustedKey(priv, 'x')).message).toMatch(/"PRIVATE KEY", expected "PUBLIC KEY"/);
    expect(configError(() => toTrustedKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', 'x')).message).toMatch(/cannot be parsed/);
  });

  it('loads key files, and says which file failed', async () => {
    const path = join(dir, 'cosign.pub');
    await writeFile(path, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
    expect((await loadKeyFile(path)).name).toBe(path);
    await expect(loadKeyFile(join(dir, 'missing.pub'))).rejects.toThrow(/--sigstore-key .*missing\.pub: cannot be read: it does not exist/);
    const garbage = join(dir, 'garbage.pub');
    await writeFile(garbage, 'not a key');
    await expect(loadKeyFile(garbage)).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/--sigstore-key .*garbage\.pub: no PEM block/) });
  });
});
