/**
 * Signing for the bench loader, in-process but spread over worker threads (sign-worker.ts), one per
 * core: an RSA-4096 private-key operation costs ~2 ms with node:crypto and ~4 ms through openpgp.js,
 * and a 6,000-node load makes ~25,000 of them.
 *
 * The keys are like the real ones: an RSA-4096 OpenPGP key (Red Hat release key 2 is RSA-4096) and an
 * RSA-4096 cosign key (Red Hat release key 3 is RSA-4096).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as openpgp from 'openpgp';
import { generateRsaKey, type TestKey } from '../test/harness/cosign.ts';

export interface SignerKeyData {
  cosignPrivatePem: string;
  openpgpPrivateArmored: string;
}

export type SignJob = { id: number; kind: 'cosign' | 'openpgp'; payload: Uint8Array };
export type SignResult = { id: number; bytes: Uint8Array; error?: undefined } | { id: number; error: string; bytes?: undefined };

export interface BenchKeys {
  cosign: TestKey;
  openpgp: { privateArmored: string; publicArmored: string; fingerprint: string };
}

export async function generateBenchKeys(): Promise<BenchKeys> {
  const cosign = generateRsaKey('release-sigcheck bench cosign key', 4096);
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'rsa',
    rsaBits: 4096,
    userIDs: [{ name: 'release-sigcheck bench release key', email: 'bench@example.invalid' }],
    format: 'armored',
  });
  const fingerprint = (await openpgp.readKey({ armoredKey: publicKey })).getFingerprint().toUpperCase();
  return { cosign, openpgp: { privateArmored: privateKey, publicArmored: publicKey, fingerprint } };
}

export class SigningPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();
  private readonly load: number[];
  private nextId = 0;
  /** Set when a thread died: later jobs fail at once instead of waiting for an answer that never comes. */
  private failure: Error | undefined;
  /** Signatures made, by kind. */
  readonly made = { cosign: 0, openpgp: 0 };

  constructor(keys: BenchKeys, threads = Math.max(1, availableParallelism())) {
    const data: SignerKeyData = {
      cosignPrivatePem: keys.cosign.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      openpgpPrivateArmored: keys.openpgp.privateArmored,
    };
    this.load = new Array<number>(threads).fill(0);
    this.workers = Array.from({ length: threads }, (_, i) => {
      const worker = new Worker(new URL('./sign-worker.ts', import.meta.url), { workerData: data });
      worker.on('message', (result: SignResult) => {
        this.load[i]!--;
        const waiter = this.pending.get(result.id);
        this.pending.delete(result.id);
        if (!waiter) return;
        if (result.error !== undefined) waiter.reject(new Error(`signing thread: ${result.error}`));
        else waiter.resolve(result.bytes);
      });
      worker.on('error', (err) => {
        this.failure ??= err;
        for (const w of this.pending.values()) w.reject(err);
        this.pending.clear();
      });
      return worker;
    });
  }

  private submit(kind: SignJob['kind'], payload: Uint8Array): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(new Error(`a signing thread failed: ${this.failure.message}`));
    const id = this.nextId++;
    // The least busy thread takes the job.
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    this.load[best]!++;
    this.made[kind]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[best]!.postMessage({ id, kind, payload } satisfies SignJob);
    });
  }

  /** RSA PKCS#1 v1.5 over SHA-256 of `payload`, base64, as cosign writes the annotation. */
  async cosign(payload: Uint8Array): Promise<string> {
    return Buffer.from(await this.submit('cosign', payload)).toString('base64');
  }

  /** A binary OpenPGP signed message over `payload`, ZIP-compressed like Red Hat's. */
  openpgp(payload: Uint8Array): Promise<Uint8Array> {
    return this.submit('openpgp', payload);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
