/**
 * The v4 fast path against openpgp.js's own verify on the same inputs: genuine Red Hat signatures,
 * gpg-made signatures (expired, SHA-512, subkey) and tampered copies must get the same answer.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMessage, readSignature, verify as openpgpVerify, type SignaturePacket } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOpenPGPKeyring, type OpenPGPKeyring } from '../../src/openpgp/keys.ts';
import { readPackets, inflateCompressedBody } from '../../src/openpgp/packets.ts';
import { selectSigningKey } from '../../src/openpgp/signer.ts';
import { canVerifyV4Fast, verifyV4Fast } from '../../src/openpgp/v4.ts';
import { GpgHome, simpleSigningPayload } from '../harness/gpg.ts';
import { FIXTURES } from '../helpers/paths.ts';

/** The literal data and the signature packet of a (possibly ZIP-compressed) one-pass signed message. */
function split(blob: Uint8Array): { literal: Uint8Array; signature: Uint8Array } {
  let packets = readPackets(blob);
  if (packets[0]!.tag === 8) {
    const inflated = inflateCompressedBody(packets[0]!.body, 1 << 20);
    if (!inflated.ok) throw new Error(inflated.reason);
    packets = readPackets(inflated.data);
  }
  const lit = packets[1]!.body;
  return { literal: lit.subarray(6 + lit[1]!), signature: packets[2]!.raw };
}

async function bothPaths(keyring: OpenPGPKeyring, literal: Uint8Array, signatureBytes: Uint8Array, date: Date): Promise<[string, string]> {
  const sig = (await readSignature({ binarySignature: signatureBytes, config: keyring.config })).packets[0] as SignaturePacket;
  const keyId = sig.issuerKeyID.toHex().toUpperCase();
  const trusted = keyring.findByKeyId(keyId)[0]!;
  const selected = await selectSigningKey(trusted, keyId, sig.created!, keyring.config);
  if (!selected.ok) throw new Error(selected.reason);
  expect(canVerifyV4Fast(sig, selected.signingKey)).toBe(true);
  const fast = await verifyV4Fast(sig, literal, selected.signingKey, date, keyring.config).then(() => 'ok', (e: Error) => e.message);
  const slow = await (async () => {
    const message = await createMessage({ binary: literal });
    const signature = await readSignature({ binarySignature: signatureBytes, config: keyring.config });
    const r = await openpgpVerify({ message, signature, verificationKeys: [trusted.key], expectSigned: true, format: 'binary', date, config: keyring.config });
    await r.signatures[0]!.verified;
  })().then(() => 'ok', (e: Error) => e.message);
  return [fast, slow];
}

let gpg: GpgHome;
beforeAll(async () => {
  gpg = await GpgHome.create();
});
afterAll(async () => {
  await gpg?.close();
});

describe('verifyV4Fast agrees with openpgp.js', () => {
  it('on every genuine Red Hat v4 release signature, and on tampered copies', async () => {
    const keyring = await loadOpenPGPKeyring();
    const names = ['ocp-4.15.0-x86_64.sha256-0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363.sig', 'ocp-4.16.37-x86_64.sha256-0065822bf39b11e3a3113eb2dee4bddf0a07fe0967892498771bd9728e145ad0.sig'];
    for (const name of names) {
      const { literal, signature } = split(new Uint8Array(await readFile(join(FIXTURES, 'openpgp', 'real', name))));
      expect(await bothPaths(keyring, literal, signature, new Date())).toEqual(['ok', 'ok']);
      const altered = Uint8Array.from(literal);
      altered[20] = altered[20]! ^ 1;
      const [fast, slow] = await bothPaths(keyring, altered, signature, new Date());
      expect(fast).toMatch(/Signed digest did not match|Signature verification failed/);
      expect(slow).toMatch(/Signed digest did not match|Signature verification failed/);
      const badSig = Uint8Array.from(signature);
      badSig[badSig.length - 5] = badSig[badSig.length - 5]! ^ 1;
      expect((await bothPaths(keyring, literal, badSig, new Date()))[0]).toBe('Signature verification failed');
    }
  });

  it('on gpg signatures: SHA-512, a signing subkey, and an expired signature', async () => {
    const key = await gpg.generateKey({ algo: 'rsa2048', signingSubkey: true, at: new Date(Date.now() - 30 * 86400_000) });
    const real = await loadOpenPGPKeyring({ baked: false, keyFiles: [await gpg.exportPublicKeyFile(key.fingerprint)] });
    const payload = new TextEncoder().encode(simpleSigningPayload({ digest: `sha256:${'1'.repeat(64)}`, reference: 'quay.io/openshift-release-dev/ocp-release:4.99.0-x86_64' }));
    const signer = key.subkeys.find((k) => k.usage.toLowerCase().includes('s'))!.fingerprint;
    const sha512 = split(await gpg.sign(payload, { key: signer, digest: 'SHA512', compress: 'zlib' }));
    expect(await bothPaths(real, sha512.literal, sha512.signature, new Date())).toEqual(['ok', 'ok']);
    const past = new Date(Date.now() - 10 * 86400_000);
    const expired = split(await gpg.sign(payload, { key: signer, at: past, expire: '1d' }));
    const [fast, slow] = await bothPaths(real, expired.literal, expired.signature, new Date());
    expect(fast).toBe('Signature is expired');
    expect(slow).toMatch(/Signature is expired$/);
    expect(await bothPaths(real, expired.literal, expired.signature, new Date(past.getTime() + 3600_000))).toEqual(['ok', 'ok']);
  });
});
