/**
 * A real OCI registry for tests: Debian's `docker-registry` (CNCF distribution 2.8) on 127.0.0.1, on
 * a free port, with its storage in a temporary directory, in one of three modes:
 *   - no auth;
 *   - token auth, trusting the certificate of a harness token issuer (token-issuer.ts);
 *   - htpasswd (bcrypt hashes made by perl's crypt(), which on Debian is libxcrypt and knows `$2b$`;
 *     perl-base and libcrypt1 are Essential packages, so nothing extra is installed).
 * Optionally over TLS, with a certificate from a test CA (tls.ts): `url` is then https://.
 * stop() kills the process and removes the directory.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface RegistryTls {
  certPath: string;
  keyPath: string;
  /** PEM of the CA the harness trusts while waiting for the registry to start. */
  ca: string;
}

export interface RegistryHarness {
  /** `http://127.0.0.1:<port>` (https:// with TLS) */
  url: string;
  /** `127.0.0.1:<port>` */
  host: string;
  port: number;
  dir: string;
  /** What the registry printed (errors only), for failing tests. */
  output(): string;
  stop(): Promise<void>;
}

export type RegistryAuthMode =
  | { kind: 'none' }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertBundle: string }
  | { kind: 'htpasswd'; users: Record<string, string> };

/** A free TCP port on 127.0.0.1 (closed again, so a process can take it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `sigcheck-${prefix}-`));
}

/** Polls `url` until it answers anything at all (the server is listening), or fails after `ms`. */
export async function waitForHttp(url: string, ms = 15_000, isDead?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    const dead = isDead?.();
    if (dead !== undefined) throw new Error(`${url}: the server exited before it answered: ${dead}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not answer within ${ms} ms: ${String(last)}`);
}

/** A bcrypt hash (`$2b$`, cost 5) through perl's crypt(), i.e. the system's libxcrypt. */
export function bcryptHash(password: string): string {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(22);
  let salt = '';
  for (let i = 0; i < 21; i++) salt += alphabet[(bytes[i] as number) % 64];
  // The 22nd salt character carries only 2 bits; bcrypt implementations want one of these four.
  salt += '.Oeu'[(bytes[21] as number) % 4];
  const out = execFileSync('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', password, `$2b$05$${salt}`], { encoding: 'utf8' });
  if (!out.startsWith('$2b$05$') || out.length !== 60) {
    throw new Error(`perl crypt() did not produce a bcrypt hash (got ${JSON.stringify(out.slice(0, 20))}); the system libcrypt lacks bcrypt`);
  }
  return out;
}

function configYaml(dir: string, port: number, auth: RegistryAuthMode, htpasswdPath: string, tls?: RegistryTls): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
  ];
  if (tls) lines.push('  tls:', `    certificate: ${tls.certPath}`, `    key: ${tls.keyPath}`);
  if (auth.kind === 'token') {
    lines.push('auth:', '  token:', `    realm: ${auth.realm}`, `    service: ${auth.service}`, `    issuer: ${auth.issuer}`, `    rootcertbundle: ${auth.rootCertBundle}`);
  } else if (auth.kind === 'htpasswd') {
    lines.push('auth:', '  htpasswd:', '    realm: sigcheck-test', `    path: ${htpasswdPath}`);
  }
  return lines.join('\n') + '\n';
}

/** Polls an https URL, trusting `ca`, until it answers. */
async function waitForHttps(url: string, ca: string, ms: number, isDead: () => string | undefined): Promise<void> {
  const { get } = await import('node:https');
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    const dead = isDead();
    if (dead !== undefined) throw new Error(`${url}: the server exited before it answered: ${dead}`);
    try {
      await new Promise<void>((resolve, reject) => {
        const req = get(url, { ca, timeout: 1000 }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        });
        req.on('error', reject);
        req.on('timeout', () => req.destroy(new Error('timeout')));
      });
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not answer within ${ms} ms: ${String(last)}`);
}

export async function startRegistry(auth: RegistryAuthMode = { kind: 'none' }, options: { tls?: RegistryTls } = {}): Promise<RegistryHarness> {
  const dir = await makeTempDir('registry');
  const port = await freePort();
  const htpasswdPath = join(dir, 'htpasswd');
  if (auth.kind === 'htpasswd') {
    await writeFile(htpasswdPath, Object.entries(auth.users).map(([u, p]) => `${u}:${bcryptHash(p)}\n`).join(''));
  }
  const configPath = join(dir, 'config.yml');
  await writeFile(configPath, configYaml(dir, port, auth, htpasswdPath, options.tls));
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited: string | undefined;
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.on('exit', (code, signal) => (exited = `exit ${code ?? signal}: ${output.slice(-2000)}`));
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  try {
    if (options.tls) await waitForHttps(`${url}/v2/`, options.tls.ca, 15_000, () => exited);
    else await waitForHttp(`${url}/v2/`, 15_000, () => exited);
  } catch (err) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    host: `127.0.0.1:${port}`,
    port,
    dir,
    output: () => output,
    stop: async () => {
      if (exited === undefined) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await gone;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
