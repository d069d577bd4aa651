import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKey, readKeys } from 'openpgp';
import { isUsageError } from '../../src/model/errors.ts';
import { loadOpenPGPKeyring, normaliseArmor, OPENPGP_CONFIG, readBakedOpenPGPKeys, readOpenPGPKeys, splitArmoredKeyBlocks } from '../../src/openpgp/keys.ts';
import { REDHAT_RELEASE_2_ASC } from '../../src/trust/baked-keys.ts';
import { fixturePath } from './fixtures.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isUsageError(err)) return err.message;
    throw err;
  }
  throw new Error('expected a CONFIG error');
}

describe('normaliseArmor', () => {
  it('inserts the blank line graph-data\'s copy of release key 2 lacks, which openpgp.js otherwise refuses', async () => {
    const text = await readFile(fixturePath('keys/graph-data.verifier-public-key-redhat-release'), 'utf8');
    expect(text.split('\n')[1]).toMatch(/^mQINBE/);
    await expect(readKeys({ armoredKeys: text })).rejects.toThrow(/Mandatory blank line missing/);
    const normalised = normaliseArmor(text);
    expect(normalised.split('\n').slice(0, 3)).toEqual(['-----BEGIN PGP PUBLIC KEY BLOCK-----', '', text.split('\n')[1]]);
    const keys = await readKeys({ armoredKeys: normalised });
    expect(keys[0]!.getFingerprint().toUpperCase()).toBe('567E347AD0044ADE55BA8A5F199E2F91FD431D51');
  });

  it('drops the text before the armor and keeps armor headers followed by one blank line', () => {
    const text = 'pub   4096R/FD431D51 2009-10-22\r\nuid  Red Hat\r\n\r\n-----BEGIN PGP PUBLIC KEY BLOCK-----\r\nVersion: GnuPG v2\r\nComment: x: y\r\nmQINBE\r\n-----END PGP PUBLIC KEY BLOCK-----\r\ntrailer\r\n';
    expect(normaliseArmor(text)).toBe('-----BEGIN PGP PUBLIC KEY BLOCK-----\nVersion: GnuPG v2\nComment: x: y\n\nmQINBE\n-----END PGP PUBLIC KEY BLOCK-----\n');
    const already = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBE\n-----END PGP PUBLIC KEY BLOCK-----\n';
    expect(normaliseArmor(already)).toBe(already);
  });

  it('splits several armored blocks of one file', () => {
    const block = (body: string) => `-----BEGIN PGP PUBLIC KEY BLOCK-----\n${body}\n-----END PGP PUBLIC KEY BLOCK-----\n`;
    expect(splitArmoredKeyBlocks(`intro\n${block('AAAA')}between\n${block('BBBB')}`)).toEqual([
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----\n',
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nBBBB\n-----END PGP PUBLIC KEY BLOCK-----\n',
    ]);
  });
});

describe('readOpenPGPKeys and the keyring', () => {
  it('the baked-in keys are Red Hat release key 2 and beta key 2, named for people', async () => {
    const keys = await readBakedOpenPGPKeys();
    expect(keys.map((k) => [k.fingerprint, k.name, k.origin])).toEqual([
      ['567E347AD0044ADE55BA8A5F199E2F91FD431D51', 'Red Hat release key 2 (567E347A...FD431D51)', 'baked-in'],
      ['B08B659EE86AF623BC90E8DB938A80CAF21541EB', 'Red Hat beta key 2 (B08B659E...F21541EB)', 'baked-in'],
    ]);
    const ring = await loadOpenPGPKeyring();
    expect(ring.nameOf('199e2f91fd431d51')).toBe('Red Hat release key 2 (567E347A...FD431D51)');
    expect(ring.nameOf('B08B659EE86AF623BC90E8DB938A80CAF21541EB')).toBe('Red Hat beta key 2 (B08B659E...F21541EB)');
    expect(ring.nameOf('0000000000000000')).toBeUndefined();
    expect(ring.describe()).toBe('Red Hat release key 2 (567E347A...FD431D51), Red Hat beta key 2 (B08B659E...F21541EB)');
  });

  it('openpgp.js adds no policy of its own: key sizes, SHA-1 and DSA are the operator\'s to accept and the contract\'s to refuse', () => {
    expect(OPENPGP_CONFIG.minRSABits).toBe(0);
    expect([...OPENPGP_CONFIG.rejectHashAlgorithms]).not.toContain(2);
    expect([...OPENPGP_CONFIG.rejectMessageHashAlgorithms]).not.toContain(2);
    expect([...OPENPGP_CONFIG.rejectPublicKeyAlgorithms]).toEqual([]);
  });

  it('reads a ConfigMap-style armored block holding two keys, and a binary keyring of four', async () => {
    const cm = await readFile(fixturePath('cluster-update-keys.manifests.rhel.0000_90_cluster-update-keys_configmap.yaml'), 'utf8');
    const armored = cm.split('verifier-public-key-redhat: |')[1]!.replace(/^ {4}/gm, '');
    const two = await readOpenPGPKeys(armored, 'configmap');
    expect(two.map((k) => k.fingerprint)).toEqual(['567E347AD0044ADE55BA8A5F199E2F91FD431D51', 'B08B659EE86AF623BC90E8DB938A80CAF21541EB']);
    const binary = await readOpenPGPKeys(new Uint8Array(await readFile(fixturePath('containers-image/keys/pubring.gpg'))), 'pubring.gpg');
    expect(binary).toHaveLength(4);
    const withSubkey = binary.find((k) => k.fingerprint === 'B9F4CDB9FD8C475BFA340AC38D54A947EE396F36')!;
    expect(withSubkey.keyIds).toEqual(['8D54A947EE396F36', 'D75B3109B3BAAEAF']);
  });

  it('the keyring adds key files to the baked-in keys, and a file with several keys counts each', async () => {
    const ring = await loadOpenPGPKeyring({ keyFiles: [fixturePath('other-signers/keys/hongkliu.asc'), fixturePath('keys/graph-data.verifier-public-key-redhat-release')] });
    expect(ring.keys.map((k) => k.origin)).toEqual(['baked-in', 'baked-in', fixturePath('other-signers/keys/hongkliu.asc'), fixturePath('keys/graph-data.verifier-public-key-redhat-release')]);
    // The graph-data copy of release key 2 is the same key as the baked-in one: one fingerprint.
    expect(ring.fingerprints()).toEqual(['2D8AE332E83EDB1D24CCBD90C21DE04A3350BF4D', '567E347AD0044ADE55BA8A5F199E2F91FD431D51', 'B08B659EE86AF623BC90E8DB938A80CAF21541EB']);
    expect(ring.findByKeyId('199E2F91FD431D51')).toHaveLength(2);
    expect(ring.nameOf('C21DE04A3350BF4D')).toBe('Hongkai Liu <hongkliu@redhat.com> (2D8AE332...3350BF4D)');
  });

  it('a bad key file is a CONFIG error naming the file and what to do', async () => {
    const missing = join(dir, 'nope.asc');
    expect(await configError(loadOpenPGPKeyring({ keyFiles: [missing] }))).toBe(`OpenPGP key ${missing}: cannot be read: it does not exist. Pass the path of an armored (.asc) or binary (.gpg) public key file given to --openpgp-key.`);

    const garbage = join(dir, 'garbage.asc');
    await writeFile(garbage, 'this is not a key\n');
    expect(await configError(loadOpenPGPKeyring({ keyFiles: [garbage] }))).toMatch(new RegExp(`^OpenPGP key ${garbage}: is neither an armored nor a binary OpenPGP public key\\. Export the public key with \`gpg --export --armor KEYID > key.asc\``));

    const empty = join(dir, 'empty.gpg');
    await writeFile(empty, '');
    expect(await configError(loadOpenPGPKeyring({ keyFiles: [empty] }))).toContain(`${empty}: is empty`);

    const broken = join(dir, 'broken.asc');
    await writeFile(broken, '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot base64 !!!\n-----END PGP PUBLIC KEY BLOCK-----\n');
    expect(await configError(loadOpenPGPKeyring({ keyFiles: [broken] }))).toContain(`${broken}: cannot be read as an armored OpenPGP public key`);

    const truncated = join(dir, 'truncated.gpg');
    await writeFile(truncated, (await readFile(fixturePath('containers-image/keys/public-key-1.gpg'))).subarray(0, 100));
    expect(await configError(loadOpenPGPKeyring({ keyFiles: [truncated] }))).toContain(`${truncated}: cannot be read as a binary OpenPGP public key`);

    const pem = join(dir, 'cosign.pub');
    await writeFile(pem, '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n');
    expect(await configError(loadOpenPGPKeyring({ keyFiles: [pem] }))).toContain('pass them with --sigstore-key');

    const signature = join(dir, 'sig.asc');
    await writeFile(signature, '-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n');
    expect(await configError(loadOpenPGPKeyring({ keyFiles: [signature] }))).toContain('holds an armored signature, not a public key block');

    expect(await configError(loadOpenPGPKeyring({ keyFiles: [dir] }))).toContain(`${dir}: is a directory, not a regular file`);
    expect(await configError(loadOpenPGPKeyring({ baked: false }))).toContain('no OpenPGP keys to trust');
  });

  it('a private key is refused, armored or binary', async () => {
    const { privateKey } = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'secret' }], format: 'object' });
    const armoredFile = join(dir, 'secret.asc');
    await writeFile(armoredFile, privateKey.armor());
    expect(await configError(loadOpenPGPKeyring({ keyFiles: [armoredFile] }))).toContain('is a private key');
    const binaryFile = join(dir, 'secret.gpg');
    await writeFile(binaryFile, privateKey.write());
    expect(await configError(loadOpenPGPKeyring({ keyFiles: [binaryFile] }))).toContain('holds a private key');
  });

  it('the baked-in key text is the cluster-update-keys copy, with its plain-text preamble', () => {
    expect(REDHAT_RELEASE_2_ASC.startsWith('pub   4096R/FD431D51')).toBe(true);
  });
});
