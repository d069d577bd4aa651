/**
 * Throwaway GnuPG homes for tests: real `gpg` (another OpenPGP implementation than the one under
 * test) makes keys and simple-signing signatures, and `skopeo standalone-sign` signs the way
 * `skopeo copy --sign-by` does. Every home is a fresh mkdtemp directory, keys have no passphrase
 * (`--batch --pinentry-mode loopback --passphrase ''`), and close() stops the home's gpg-agent
 * (`gpgconf --kill all`) and removes the directory.
 *
 *   const gpg = await GpgHome.create();
 *   const key = await gpg.generateKey({ name: 'Test release key' });
 *   const blob = await gpg.sign(simpleSigningPayload({ digest, reference }), { key: key.fingerprint });
 *   const publicKey = await gpg.exportPublicKey(key.fingerprint);
 *   await gpg.close();
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GPG_BIN = '/usr/bin/gpg';
export const GPGCONF_BIN = '/usr/bin/gpgconf';
export const SKOPEO_BIN = '/usr/bin/skopeo';

const BATCH = ['--batch', '--no-tty', '--pinentry-mode', 'loopback', '--passphrase', ''];

export type GpgKeyAlgo = 'rsa1024' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'ed25519';
export type GpgCompression = 'zip' | 'zlib' | 'none';
export type GpgDigest = 'SHA1' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512';

export interface GpgSubkey {
  fingerprint: string;
  keyId: string;
  /** gpg capability letters, e.g. `s` (sign), `e` (encrypt). */
  usage: string;
  revoked: boolean;
  expired: boolean;
}

export interface GpgKey extends GpgSubkey {
  userId: string;
  subkeys: GpgSubkey[];
}

export interface GenerateKeyOptions {
  /** User ID name (default `Sigcheck Test Key`); the email is `test@example.com` unless given. */
  name?: string;
  email?: string;
  /** Primary key algorithm (default rsa2048: fast, and at the 2048-bit minimum). */
  algo?: GpgKeyAlgo;
  /** Expiry as gpg takes it: `never` (default), `1y`, `30d`, an ISO date. */
  expire?: string;
  /** Also add a signing subkey (the primary key then certifies only, so the subkey must sign). */
  signingSubkey?: boolean | { algo?: GpgKeyAlgo; expire?: string };
  /** Make the key as if the clock said this (`--faked-system-time`), e.g. for keys that expired since. */
  at?: Date;
}

export interface SignOptions {
  /** Fingerprint of the primary key or subkey that signs; exactly that key is used (`FPR!`). */
  key: string;
  /** Compression of the signed message (default zip, as Red Hat's signatures). */
  compress?: GpgCompression;
  /** Message digest (default SHA256, as Red Hat's signatures). */
  digest?: GpgDigest;
  /** Sign as if the clock said this (`--faked-system-time`). */
  at?: Date;
  /** Signature expiry (`--default-sig-expire`), e.g. `1d`; combine with `at` for an expired signature. */
  expire?: string;
  /** Canonical-text signature (`--textmode`, signature class 0x01). */
  textMode?: boolean;
}

export interface GpgRunResult {
  stdout: Buffer;
  stderr: string;
}

/** gpg's `--faked-system-time` form, frozen (`!`) so every timestamp of one call is the same. */
function fakedTime(at: Date): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '')}!`;
}

function timeArgs(at: Date | undefined): string[] {
  return at ? ['--faked-system-time', fakedTime(at), '--ignore-time-conflict'] : [];
}

/**
 * The payload ART signs, byte for byte as Python's json.dumps writes it (pyartcd signatory.py):
 * `{"critical": {"image": {...}, "type": "atomic container signature", "identity": {...}}, "optional": {...}}`.
 */
export function simpleSigningPayload(options: { digest: string; reference: string; creator?: string; timestamp?: number }): string {
  const optional: Record<string, unknown> = { creator: options.creator ?? 'Red Hat OpenShift Signing Authority 0.0.1' };
  if (options.timestamp !== undefined) optional.timestamp = options.timestamp;
  return pythonJsonDumps({
    critical: { image: { 'docker-manifest-digest': options.digest }, type: 'atomic container signature', identity: { 'docker-reference': options.reference } },
    optional,
  });
}

/** Python's json.dumps with default arguments: `", "` and `": "` separators, non-ASCII escaped. */
export function pythonJsonDumps(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export class GpgHome {
  readonly dir: string;
  private closed = false;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async create(): Promise<GpgHome> {
    // Short path: the agent's socket path must stay under the 108-byte limit of a Unix socket.
    const dir = await mkdtemp(join(tmpdir(), 'sigcheck-gpg-'));
    await writeFile(join(dir, 'gpg.conf'), 'no-auto-key-locate\nno-auto-key-retrieve\nno-greeting\n');
    return new GpgHome(dir);
  }

  private env(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.dir, GNUPGHOME: this.dir, LC_ALL: 'C' };
  }

  /** Runs a program with this home; rejects with its stderr on a non-zero exit. */
  async exec(bin: string, args: string[], input?: Uint8Array | string): Promise<GpgRunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(bin, args, { env: this.env(), stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        const stderr = Buffer.concat(err).toString('utf8');
        if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
        else reject(new Error(`${bin} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
      });
      child.stdin.on('error', () => {});
      child.stdin.end(input ?? '');
    });
  }

  /** `gpg --batch ... ARGS` in this home. */
  async gpg(args: string[], input?: Uint8Array | string): Promise<GpgRunResult> {
    return this.exec(GPG_BIN, [...BATCH, ...args], input);
  }

  /** A key as gpg lists it now (revocation and expiry included). */
  async getKey(fingerprint: string): Promise<GpgKey> {
    const { stdout } = await this.gpg(['--with-colons', '--with-subkey-fingerprints', '--list-keys', fingerprint]);
    let key: GpgKey | undefined;
    let current: GpgSubkey | undefined;
    for (const line of stdout.toString('utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === 'pub' || f[0] === 'sub') {
        current = { fingerprint: '', keyId: f[4]!, usage: f[11] ?? '', revoked: f[1] === 'r', expired: f[1] === 'e' };
        if (f[0] === 'pub') key = { ...current, userId: '', subkeys: [] };
        else key?.subkeys.push(current);
      } else if (f[0] === 'fpr' && current) {
        current.fingerprint = f[9]!;
        if (key && key.keyId === current.keyId) key.fingerprint = f[9]!;
      } else if (f[0] === 'uid' && key && key.userId === '') {
        key.userId = f[9]!;
      }
    }
    if (!key) throw new Error(`gpg has no key ${fingerprint}`);
    return key;
  }

  /** Generates a key (RSA-2048 signing key by default). */
  async generateKey(options: GenerateKeyOptions = {}): Promise<GpgKey> {
    const userId = `${options.name ?? 'Sigcheck Test Key'} <${options.email ?? 'test@example.com'}>`;
    const usage = options.signingSubkey ? 'cert' : 'sign';
    const { stderr } = await this.gpg([...timeArgs(options.at), '--status-fd', '2', '--quick-gen-key', userId, options.algo ?? 'rsa2048', usage, options.expire ?? 'never']);
    const created = /KEY_CREATED [BP] ([0-9A-F]{40})/.exec(stderr);
    if (!created) throw new Error(`gpg did not report the new key: ${stderr}`);
    const fingerprint = created[1]!;
    if (options.signingSubkey) {
      const sub = options.signingSubkey === true ? {} : options.signingSubkey;
      await this.addSigningSubkey(fingerprint, { ...sub, ...(options.at ? { at: options.at } : {}) });
    }
    return this.getKey(fingerprint);
  }

  /** Adds a signing subkey to a key; returns the new subkey. */
  async addSigningSubkey(primary: string, options: { algo?: GpgKeyAlgo; expire?: string; at?: Date } = {}): Promise<GpgSubkey> {
    const before = new Set((await this.getKey(primary)).subkeys.map((s) => s.fingerprint));
    await this.gpg([...timeArgs(options.at), '--quick-add-key', primary, options.algo ?? 'rsa2048', 'sign', options.expire ?? 'never']);
    const added = (await this.getKey(primary)).subkeys.find((s) => !before.has(s.fingerprint));
    if (!added) throw new Error(`gpg did not add a subkey to ${primary}`);
    return added;
  }

  /** Revokes a subkey (reason: no reason given), through `gpg --edit-key` driven on --command-fd. */
  async revokeSubkey(primary: string, subkey: string): Promise<void> {
    const commands = `key ${subkey}\nrevkey\ny\n0\n\ny\nsave\n`;
    await this.gpg(['--command-fd', '0', '--status-fd', '2', '--edit-key', primary], commands);
    const key = await this.getKey(primary);
    if (!key.subkeys.find((s) => s.fingerprint === subkey)?.revoked) throw new Error(`gpg did not revoke subkey ${subkey}`);
  }

  /** `gpg --sign`: a binary one-pass signed message, as simple signing stores them. */
  async sign(payload: Uint8Array | string, options: SignOptions): Promise<Uint8Array> {
    const args = [
      ...timeArgs(options.at),
      '--local-user', `${options.key}!`,
      '--compress-algo', options.compress ?? 'zip',
      '--digest-algo', options.digest ?? 'SHA256',
      ...(options.expire ? ['--default-sig-expire', options.expire] : []),
      ...(options.textMode ? ['--textmode'] : []),
      '--sign', '--output', '-',
    ];
    const { stdout } = await this.gpg(args, payload);
    return new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength);
  }

  /** The public key (with subkeys and revocations), binary or armored. */
  async exportPublicKey(fingerprint: string, options: { armor?: boolean } = {}): Promise<Uint8Array> {
    const { stdout } = await this.gpg([...(options.armor ? ['--armor'] : []), '--export', fingerprint]);
    if (stdout.length === 0) throw new Error(`gpg exported nothing for ${fingerprint}`);
    return new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength);
  }

  /** Writes the public key to a file in this home and returns its path (for --openpgp-key). */
  async exportPublicKeyFile(fingerprint: string, options: { armor?: boolean; name?: string } = {}): Promise<string> {
    const path = join(this.dir, options.name ?? `${fingerprint}.${options.armor ? 'asc' : 'gpg'}`);
    await writeFile(path, await this.exportPublicKey(fingerprint, options));
    return path;
  }

  /**
   * `skopeo standalone-sign MANIFEST REFERENCE FINGERPRINT --output FILE`: containers/image's simple
   * signing signer, the code path of `skopeo copy --sign-by`. The digest signed is the manifest's.
   */
  async skopeoStandaloneSign(manifest: Uint8Array | string, reference: string, fingerprint: string): Promise<Uint8Array> {
    const manifestPath = join(this.dir, `manifest-${process.hrtime.bigint()}.json`);
    const outputPath = `${manifestPath}.sig`;
    await writeFile(manifestPath, manifest);
    await this.exec(SKOPEO_BIN, ['standalone-sign', manifestPath, reference, fingerprint, '--output', outputPath]);
    return new Uint8Array(await readFile(outputPath));
  }

  /** Stops this home's gpg-agent and removes the directory. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.exec(GPGCONF_BIN, ['--kill', 'all']).catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Runs `fn` with a fresh home and always closes it. */
export async function withGpgHome<T>(fn: (gpg: GpgHome) => Promise<T>): Promise<T> {
  const gpg = await GpgHome.create();
  try {
    return await fn(gpg);
  } finally {
    await gpg.close();
  }
}
