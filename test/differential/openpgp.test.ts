/**
 * Differential test of the OpenPGP verifier against the cluster-version operator's own code
 * (`oracle cvo`: library-go pkg/verify over golang.org/x/crypto/openpgp). A seeded generator makes
 * the corpus: valid signatures from throwaway keys (gpg, and messages built byte by byte where no
 * signer writes them), then systematic mutations of every rule in docs/verdicts.md ("OpenPGP") and its
 * negation, then seeded random mutations of the bytes. Each case is decided by the oracle and by
 * verifyOpenPGPSignature; a disagreement outside the contract's "Deliberately stricter" list fails.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { OpenPGPKeyring, readOpenPGPKeys } from '../../src/openpgp/keys.ts';
import { verifyOpenPGPSignature } from '../../src/openpgp/verify.ts';
import { GpgHome, pythonJsonDumps, simpleSigningPayload, type GpgKeyAlgo } from '../harness/gpg.ts';
import { b, buildV3Signature, compressedPacket, makeTestRsaKey, newPacket, oldPacket, splitPackets, subpacket, v4Message, type TestRsaKey, type V4Options } from '../openpgp/builder.ts';
import { compare, expectNoDisagreement, HAVE_ORACLE, ORACLE, runOracle, SEED, seeded, summaryLine, type CaseResult } from './oracle.ts';

const DIGEST: Digest = `sha256:${createHash('sha256').update('differential openpgp').digest('hex')}`;
const REFERENCE = 'quay.io/openshift-release-dev/ocp-release:4.99.7-x86_64';
const PAYLOAD = simpleSigningPayload({ digest: DIGEST, reference: REFERENCE });

interface Signer {
  keyFile: string;
  ring: OpenPGPKeyring;
}

interface Case {
  cls: string;
  name: string;
  blob: Uint8Array;
  signer: Signer;
  digest?: Digest;
}

let dir: string;
let gpg: GpgHome;
const signers = new Map<string, Signer & { fingerprint: string }>();
let built: TestRsaKey & Signer;
let untrusted: TestRsaKey;
const results: CaseResult[] = [];
const cases = new Map<string, Case[]>();

async function signerFile(name: string, bytes: Uint8Array): Promise<Signer> {
  const keyFile = join(dir, `${name}.pub`);
  await writeFile(keyFile, bytes);
  return { keyFile, ring: new OpenPGPKeyring(await readOpenPGPKeys(bytes, name)) };
}

async function gpgSigner(name: string, algo: GpgKeyAlgo | string, extra?: (fpr: string) => Promise<void>): Promise<Signer & { fingerprint: string }> {
  const key = await gpg.generateKey({ name: `diff ${name}`, algo: algo as GpgKeyAlgo });
  if (extra) await extra(key.fingerprint);
  const s = { ...(await signerFile(name, await gpg.exportPublicKey(key.fingerprint))), fingerprint: key.fingerprint };
  signers.set(name, s);
  return s;
}

function add(cls: string, name: string, blob: Uint8Array, signer: Signer, digest?: Digest): void {
  const list = cases.get(cls) ?? [];
  list.push({ cls, name, blob, signer, ...(digest ? { digest } : {}) });
  cases.set(cls, list);
}

// --- the corpus -------------------------------------------------------------------------------------------

async function buildCorpus(): Promise<void> {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-diff-openpgp-'));
  gpg = await GpgHome.create();
  const rsa = await gpgSigner('rsa2048', 'rsa2048');
  const sign = (payload: string | Uint8Array, opts: Partial<Parameters<GpgHome['sign']>[1]> = {}, key = rsa) => gpg.sign(payload, { key: key.fingerprint, ...opts });

  // keys and algorithms: the operator reads RSA, DSA and ECDSA on NIST curves, nothing else
  for (const [name, algo] of [['dsa2048', 'dsa2048'], ['dsa1024', 'dsa1024'], ['rsa1024', 'rsa1024'], ['rsa3072', 'rsa3072'], ['nistp256', 'nistp256'], ['nistp384', 'nistp384'], ['ed25519', 'ed25519'], ['brainpoolP256r1', 'brainpoolP256r1'], ['secp256k1', 'secp256k1']] as const) {
    const s = await gpgSigner(name, algo);
    // gpg needs a hash at least as long as a DSA subgroup or an ECC curve's order
    const digest = name === 'dsa1024' ? 'SHA1' : name.startsWith('rsa') || name === 'dsa2048' ? 'SHA256' : 'SHA512';
    add('algorithms', `${name} key (${digest})`, await sign(PAYLOAD, { digest: digest as never }, s), s);
  }
  const withCv = await gpgSigner('rsa+cv25519', 'rsa2048', async (fpr) => {
    await gpg.gpg(['--quick-add-key', fpr, 'cv25519', 'encr', 'never']);
  });
  add('algorithms', 'RSA key with a Curve25519 encryption subkey', await sign(PAYLOAD, {}, withCv), withCv);
  const sub = await gpgSigner('rsa-subkey', 'rsa2048', async (fpr) => {
    await gpg.addSigningSubkey(fpr, { algo: 'rsa2048' });
  });
  add('algorithms', 'signing subkey', await sign(PAYLOAD, {}, { ...sub, fingerprint: (await gpg.getKey(sub.fingerprint)).subkeys.find((k) => k.usage.includes('s'))!.fingerprint }), sub);
  for (const digest of ['MD5', 'SHA1', 'RIPEMD160', 'SHA224', 'SHA256', 'SHA384', 'SHA512'] as const) {
    add('algorithms', `message hash ${digest}`, await sign(PAYLOAD, { digest: digest as never }), rsa);
  }

  // packaging
  for (const compress of ['zip', 'zlib', 'bzip2', 'none'] as const) add('packaging', `compression ${compress}`, await sign(PAYLOAD, { compress: compress as never }), rsa);
  add('packaging', 'text mode (class 0x01)', await sign(PAYLOAD, { textMode: true }), rsa);
  add('packaging', 'text mode, multi-line payload', await sign(`${JSON.stringify(JSON.parse(PAYLOAD), null, 2)}\n`, { textMode: true }), rsa);
  const plain = await sign(PAYLOAD, { compress: 'none' });
  const zipped = await sign(PAYLOAD);
  const [op, lit, sig] = splitPackets(plain) as [ReturnType<typeof splitPackets>[0], ReturnType<typeof splitPackets>[0], ReturnType<typeof splitPackets>[0]];
  add('packaging', 'a marker packet after the signature', b(plain, oldPacket(10, b('PGP'))), rsa);
  add('packaging', 'a marker packet before the message', b(oldPacket(10, b('PGP')), plain), rsa);
  add('packaging', 'a marker packet between literal and signature', b(op.raw, lit.raw, oldPacket(10, b('PGP')), sig.raw), rsa);
  add('packaging', 'two messages concatenated', b(plain, plain), rsa);
  add('packaging', 'two compressed messages concatenated', b(zipped, zipped), rsa);
  add('packaging', 'a byte after the ZIP stream', b(zipped, 'x'), rsa);
  add('packaging', 'a kilobyte after the ZIP stream', b(zipped, new Uint8Array(1024).fill(7)), rsa);
  add('packaging', 'a definite-length compressed packet', oldPacket(8, b([1], deflateRawSync(plain)), 4), rsa);
  add('packaging', 'compressed twice', compressedPacket(compressedPacket(plain, 'zip'), 'zlib'), rsa);
  add('packaging', 'the signature packet outside a definite compressed packet', b(oldPacket(8, b([1], deflateRawSync(b(op.raw, lit.raw))), 4), sig.raw), rsa);
  add('packaging', '"uncompressed" (0) compressed packet', oldPacket(8, b([0], plain), 'indeterminate'), rsa);
  add('packaging', 'unknown compression algorithm 9', oldPacket(8, b([9], plain), 'indeterminate'), rsa);
  add('packaging', 'two one-pass packets, two signatures', b(op.raw, op.raw, lit.raw, sig.raw, sig.raw), rsa);
  add('packaging', 'signature before the literal data (old style)', b(sig.raw, lit.raw), rsa);
  add('packaging', 'literal data only', lit.raw, rsa);
  add('packaging', 'one-pass and literal, no signature', b(op.raw, lit.raw), rsa);
  add('packaging', 'valid message followed by 60 KiB', b(zipped, new Uint8Array(60 * 1024).fill(0x41)), rsa);
  add('packaging', 'empty', new Uint8Array(0), rsa);
  add('packaging', 'armored', (await gpg.gpg(['--local-user', `${rsa.fingerprint}!`, '--armor', '--sign', '--output', '-'], PAYLOAD)).stdout, rsa);
  add('packaging', 'cleartext-signed', (await gpg.gpg(['--local-user', `${rsa.fingerprint}!`, '--clearsign', '--output', '-'], PAYLOAD)).stdout, rsa);
  add('packaging', 'detached signature', (await gpg.gpg(['--local-user', `${rsa.fingerprint}!`, '--detach-sign', '--output', '-'], PAYLOAD)).stdout, rsa);
  add('packaging', 'new-format packets with partial lengths', b(op.raw, newPacket(11, lit.body), sig.raw), rsa);
  add('packaging', 'last byte of the ZIP stream cut', zipped.subarray(0, zipped.length - 1), rsa);
  add('packaging', 'last two bytes of the ZIP stream cut', zipped.subarray(0, zipped.length - 2), rsa);

  // payloads: every rule of the operator's JSON decoding, and its negation
  const art = JSON.parse(PAYLOAD) as Record<string, never>;
  const payloads: [string, string | Uint8Array][] = [
    ['optional missing', pythonJsonDumps({ critical: art.critical })],
    ['optional null', PAYLOAD.replace(/"optional": \{.*\}\}$/, '"optional": null}')],
    ['optional empty', PAYLOAD.replace(/"optional": \{.*\}\}$/, '"optional": {}}')],
    ['creator null', PAYLOAD.replace('"Red Hat OpenShift Signing Authority 0.0.1"', 'null')],
    ['timestamp null', PAYLOAD.replace('0.0.1"}', '0.0.1", "timestamp": null}')],
    ['timestamp integer', PAYLOAD.replace('0.0.1"}', '0.0.1", "timestamp": 1700000000}')],
    ['timestamp 1.5', PAYLOAD.replace('0.0.1"}', '0.0.1", "timestamp": 1.5}')],
    ['timestamp 1e3', PAYLOAD.replace('0.0.1"}', '0.0.1", "timestamp": 1e3}')],
    ['timestamp over int64', PAYLOAD.replace('0.0.1"}', '0.0.1", "timestamp": 9223372036854775808}')],
    ['timestamp as string', PAYLOAD.replace('0.0.1"}', '0.0.1", "timestamp": "1"}')],
    ['creator as number', PAYLOAD.replace('"Red Hat OpenShift Signing Authority 0.0.1"', '5')],
    ['unknown optional key', PAYLOAD.replace('0.0.1"}', '0.0.1", "expires": 1}')],
    ['unknown top-level key', PAYLOAD.replace(/\}$/, ', "extra": 1}')],
    ['unknown critical key', PAYLOAD.replace('"type":', '"extra": 1, "type":')],
    ['keys in upper case', PAYLOAD.replace('"critical"', '"CRITICAL"').replace('"docker-manifest-digest"', '"Docker-Manifest-Digest"').replace('"optional"', '"Optional"')],
    ['key with the Kelvin sign', PAYLOAD.replace('"docker-reference"', '"doc\u212Aer-reference"')],
    ['key with the long s', PAYLOAD.replace('"type"', '"\u017Fype"').replace('"\u017Fype"', '"type"').replace('"optional"', '"optional"').replace('"critical"', '"critical"').replace('"signature"', '"\u017Fignature"')],
    ['duplicate type key', PAYLOAD.replace('"type": "atomic container signature"', '"type": "atomic container signature", "type": "atomic container signature"')],
    ['duplicate digest, last one right', PAYLOAD.replace(`"docker-manifest-digest": "${DIGEST}"`, `"docker-manifest-digest": "sha256:${'0'.repeat(64)}", "docker-manifest-digest": "${DIGEST}"`)],
    ['duplicate digest, last one wrong', PAYLOAD.replace(`"docker-manifest-digest": "${DIGEST}"`, `"docker-manifest-digest": "${DIGEST}", "docker-manifest-digest": "sha256:${'0'.repeat(64)}"`)],
    ['case-folded duplicate critical', PAYLOAD.replace(/\}$/, `, "Critical": ${JSON.stringify(art.critical)}}`)],
    ['data after the JSON', `${PAYLOAD} trailing`],
    ['a second JSON value after it', `${PAYLOAD}{}`],
    ['leading whitespace', `\n\t ${PAYLOAD}`],
    ['byte-order mark', b([0xef, 0xbb, 0xbf], PAYLOAD)],
    ['invalid UTF-8 in creator', Buffer.from(PAYLOAD.replace('Red Hat', '\u0000ed Hat')).map((c) => (c === 0 ? 0xc3 : c))],
    ['invalid UTF-8 in identity', Buffer.from(PAYLOAD.replace('quay.io', '\u0000uay.io')).map((c) => (c === 0 ? 0xff : c))],
    ['invalid UTF-8 outside a string', b([0xff], PAYLOAD)],
    ['wrong type', PAYLOAD.replace('atomic container signature', 'cosign container image signature')],
    ['type in upper case', PAYLOAD.replace('atomic container signature', 'Atomic Container Signature')],
    ['type as number', PAYLOAD.replace('"atomic container signature"', '1')],
    ['empty identity', PAYLOAD.replace(`"docker-reference": "${REFERENCE}"`, '"docker-reference": ""')],
    ['whitespace identity', PAYLOAD.replace(`"docker-reference": "${REFERENCE}"`, '"docker-reference": " "')],
    ['identity null', PAYLOAD.replace(`"docker-reference": "${REFERENCE}"`, '"docker-reference": null')],
    ['identity of another version', PAYLOAD.replace('4.99.7', '4.1.0')],
    ['identity missing', PAYLOAD.replace(`"identity": {"docker-reference": "${REFERENCE}"}`, '"identity": {}')],
    ['critical null', pythonJsonDumps({ critical: null, optional: {} })],
    ['digest of another image', PAYLOAD.replace(DIGEST, `sha256:${'1'.repeat(64)}`)],
    ['digest in upper case', PAYLOAD.replace(DIGEST.slice(7), DIGEST.slice(7).toUpperCase())],
    ['digest with a trailing space', PAYLOAD.replace(DIGEST, `${DIGEST} `)],
    ['digest written with \\u escapes', PAYLOAD.replace(DIGEST, DIGEST.replace('sha256', '\\u0073ha256'))],
    ['not JSON', 'This is not JSON'],
    ['a JSON array', '[]'],
    ['null', 'null'],
    ['truncated JSON', PAYLOAD.slice(0, -1)],
    ['trailing comma', PAYLOAD.replace(/\}\}$/, '},}')],
    ['deeply nested unknown value', PAYLOAD.replace('0.0.1"}', `0.0.1", "x": ${'['.repeat(200)}${']'.repeat(200)}}`)],
  ];
  for (const [name, payload] of payloads) add('payload', name, await sign(payload), rsa);

  // fields no signer lets one choose, built byte by byte with an RSA key made by openpgp.js
  const k = await makeTestRsaKey({ name: 'diff built key', date: new Date('2021-01-01T00:00:00Z') });
  built = { ...k, ...(await signerFile('built', k.privateKey.toPublic().write())) };
  untrusted = await makeTestRsaKey({ name: 'diff untrusted key' });
  const v4 = (name: string, o: Partial<V4Options>) => add('construction', name, v4Message({ key: built, payload: PAYLOAD, ...o }), built);
  v4('v4 as built', {});
  v4('v4 without an issuer subpacket', { issuer: null });
  v4('v4 issuer naming another key', { issuer: untrusted.keyId });
  v4('one-pass naming an untrusted key', { onePassKeyId: untrusted.keyId });
  v4('one-pass hash SHA-512, signature SHA-256', { onePassHash: 10 });
  v4('one-pass text mode, binary signature', { onePassClass: 1 });
  v4('one-pass binary, text signature', { onePassClass: 0, sigClass: 1 });
  v4('signature class 0x13 over the document', { sigClass: 0x13, onePassClass: 0 });
  v4('one-pass class 0x13', { sigClass: 0x13, onePassClass: 0x13 });
  v4('expiration 0 (never, per RFC 4880)', { lifetime: 0 });
  v4('expired an hour ago', { created: new Date(Date.now() - 7200_000), lifetime: 3600 });
  v4('expires in an hour', { lifetime: 7200 });
  v4('created before the key', { created: new Date('2020-01-01T00:00:00Z') });
  v4('created in the future', { created: new Date(Date.now() + 86_400_000) });
  v4('creation time in the unhashed area', { createdUnhashed: true });
  v4('unknown critical hashed subpacket', { extraHashed: subpacket(40, b('x'), true) });
  v4('unknown non-critical hashed subpacket', { extraHashed: subpacket(40, b('x')) });
  v4('critical notation', { extraHashed: subpacket(20, b([0x80, 0, 0, 0], [0, 1, 0, 1], 'ab'), true) });
  v4('issuer fingerprint subpacket', { extraHashed: subpacket(33, b([4], Buffer.from(built.fingerprint, 'hex'))) });
  v4('SHA3-256 (hash 12)', { hash: 12 });
  v4('signature version 5', { version: 5 });
  add('construction', 'v3 signature', buildV3Signature({ key: built, payload: PAYLOAD }), built);
  add('construction', 'v2 signature', (() => {
    const m = Buffer.from(buildV3Signature({ key: built, payload: PAYLOAD, compress: 'none' }));
    const packets = splitPackets(m);
    const sigBody = Buffer.from(packets[2]!.body);
    sigBody[0] = 2;
    return b(packets[0]!.raw, packets[1]!.raw, oldPacket(2, sigBody, 2));
  })(), built);
  add('construction', 'v3 MD5', buildV3Signature({ key: built, payload: PAYLOAD, hash: 'md5' }), built);
  add('construction', 'v3 text class', buildV3Signature({ key: built, payload: PAYLOAD, sigClass: 1 }), built);
  add('construction', 'v3 created before the key', buildV3Signature({ key: built, payload: PAYLOAD, created: new Date('2019-01-01T00:00:00Z') }), built);

  // random mutations of valid blobs: bytes flipped, cut, inserted
  const rand = seeded(SEED);
  const bases: [string, Uint8Array, Signer][] = [
    ['gpg ZIP', zipped, rsa],
    ['gpg uncompressed', plain, rsa],
    ['v3 ZIP', buildV3Signature({ key: built, payload: PAYLOAD }), built],
  ];
  for (let i = 0; i < 150; i++) {
    const [baseName, base, signer] = bases[i % bases.length]!;
    const m = Buffer.from(base);
    const kind = Math.floor(rand() * 3);
    const at = Math.floor(rand() * m.length);
    let blob: Uint8Array;
    let what: string;
    if (kind === 0) {
      m[at]! ^= 1 << Math.floor(rand() * 8);
      blob = m;
      what = `bit flipped at ${at}`;
    } else if (kind === 1) {
      blob = m.subarray(0, at);
      what = `cut to ${at} bytes`;
    } else {
      blob = b(m.subarray(0, at), [Math.floor(rand() * 256)], m.subarray(at));
      what = `byte inserted at ${at}`;
    }
    add('random', `${baseName}, ${what}`, blob, signer);
  }
}

beforeAll(async () => {
  if (!HAVE_ORACLE) return;
  await buildCorpus();
}, 240_000);

afterAll(async () => {
  if (HAVE_ORACLE && results.length > 0) console.log(summaryLine('OpenPGP (oracle cvo)', results));
  await gpg?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const CLASSES = ['algorithms', 'packaging', 'payload', 'construction', 'random'];

if (!HAVE_ORACLE) {
  console.log(`differential OpenPGP suite skipped: the oracle ${ORACLE} is absent (it ships beside the project in its workplace, not in a clone)`);
}

describe.skipIf(!HAVE_ORACLE)(`OpenPGP verdicts equal the cluster-version operator's (oracle cvo), seed ${SEED}`, () => {
  it.each(CLASSES)('class %s: every case agrees with the oracle, or is a deliberate refusal', async (cls) => {
    const list = cases.get(cls) ?? [];
    expect(list.length).toBeGreaterThan(0);
    const batch: CaseResult[] = [];
    let n = 0;
    for (const c of list) {
      const file = join(dir, `case-${cls}-${n++}.sig`);
      await writeFile(file, c.blob);
      const digest = c.digest ?? DIGEST;
      const [oracle, verdict] = await Promise.all([
        runOracle(['cvo', '--keyring', c.signer.keyFile, '--sig', file, '--digest', digest]),
        verifyOpenPGPSignature(c.blob, digest, c.signer.ring),
      ]);
      const tool = verdict.ok
        ? { accept: true, code: 'VERIFIED', reason: verdict.signer.keyName, deliberate: false }
        : { accept: false, code: verdict.code, reason: verdict.reason, deliberate: verdict.deliberate === true };
      batch.push({ cls, name: c.name, oracle, tool, ...compare(oracle, tool) });
    }
    results.push(...batch);
    expectNoDisagreement(batch);
  }, 240_000);
});
