/**
 * A signing thread of the bench loader (signing.ts): RSA-4096 cosign signatures with node:crypto and
 * OpenPGP signed messages with openpgp.js, compressed (ZIP) as Red Hat's release signatures are.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';
import * as openpgp from 'openpgp';
import type { SignJob, SignResult, SignerKeyData } from './signing.ts';

const keys = workerData as SignerKeyData;
const cosignKey: KeyObject = createPrivateKey(keys.cosignPrivatePem);
const openpgpKey = await openpgp.readPrivateKey({ armoredKey: keys.openpgpPrivateArmored });

/** An old-format compressed data packet (tag 8, indeterminate length) holding `inner`, deflated (ZIP), as gpg writes it. */
function compressZip(inner: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from([0x80 | (8 << 2) | 3, 1]), deflateRawSync(inner)]);
}

async function run(job: SignJob): Promise<SignResult> {
  if (job.kind === 'cosign') return { id: job.id, bytes: sign('sha256', job.payload, cosignKey) };
  const message = await openpgp.createMessage({ binary: job.payload });
  const signed = (await openpgp.sign({ message, signingKeys: openpgpKey, format: 'binary' })) as Uint8Array;
  return { id: job.id, bytes: compressZip(signed) };
}

parentPort!.on('message', (job: SignJob) => {
  void run(job).then(
    (result) => parentPort!.postMessage(result),
    (err: unknown) => parentPort!.postMessage({ id: job.id, error: String((err as Error)?.stack ?? err) } satisfies SignResult),
  );
});
