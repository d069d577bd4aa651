/**
 * A real forwarding proxy for tests: Debian's squid on 127.0.0.1, in the foreground, with no cache,
 * its own `hosts_file` (names such as `registry.sigcheck.test` that only the proxy can resolve, to
 * loopback, so a request that reaches its target proved it went through the proxy) and no DNS server
 * it could reach (`dns_nameservers 127.0.0.1`), so it never leaves the machine.
 *
 * In front of squid sits a small TCP relay that counts the connections clients open to "the proxy";
 * squid's access log says what it forwarded (`CONNECT host:port` for https, `GET http://...` for
 * http).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort, makeTempDir } from './registry.ts';

export const SQUID_BIN = '/usr/sbin/squid';

export interface SquidProxy {
  /** `http://127.0.0.1:<port>`: the relay in front of squid, what HTTPS_PROXY/HTTP_PROXY name. */
  url: string;
  /** TCP connections clients opened to the proxy. */
  connections(): number;
  /** squid's access log lines so far (each: method, URL, status). */
  accessLog(): Promise<Array<{ method: string; url: string; status: string }>>;
  stop(): Promise<void>;
}

async function waitForPort(port: number, ms: number, isDead: () => string | undefined): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const dead = isDead();
    if (dead !== undefined) throw new Error(`squid exited before it listened: ${dead}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`squid did not listen on 127.0.0.1:${port} within ${ms} ms`);
}

/** Starts squid; `hosts` maps names only the proxy resolves (to 127.0.0.1 unless given). */
export async function startSquid(hosts: string[] | Record<string, string>): Promise<SquidProxy> {
  const dir = await makeTempDir('squid');
  // squid started as root switches to its own user, which must write the logs here.
  await chmod(dir, 0o777);
  const squidPort = await freePort();
  const entries = Array.isArray(hosts) ? hosts.map((h) => [h, '127.0.0.1'] as const) : Object.entries(hosts);
  await writeFile(join(dir, 'hosts'), entries.map(([name, ip]) => `${ip} ${name}\n`).join(''));
  const accessLog = join(dir, 'access.log');
  const conf = [
    `http_port 127.0.0.1:${squidPort}`,
    'acl loopback src 127.0.0.0/8',
    'http_access allow loopback',
    'http_access deny all',
    'cache deny all',
    'cache_mem 8 MB',
    `hosts_file ${join(dir, 'hosts')}`,
    'dns_nameservers 127.0.0.1',
    'dns_timeout 2 seconds',
    'connect_timeout 5 seconds',
    `access_log stdio:${accessLog} squid`,
    `cache_log ${join(dir, 'cache.log')}`,
    'logfile_rotate 0',
    'pid_filename none',
    `coredump_dir ${dir}`,
    'shutdown_lifetime 0 seconds',
    'visible_hostname sigcheck-test-proxy',
    'forwarded_for delete',
  ];
  const confPath = join(dir, 'squid.conf');
  await writeFile(confPath, `${conf.join('\n')}\n`);
  const child: ChildProcess = spawn(SQUID_BIN, ['-N', '-f', confPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exited: string | undefined;
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-10_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-10_000)));
  child.on('exit', (code, signal) => (exited = `exit ${code ?? signal}: ${output.slice(-2000)}`));
  try {
    await waitForPort(squidPort, 20_000, () => exited);
  } catch (err) {
    child.kill('SIGKILL');
    const log = await readFile(join(dir, 'cache.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${log.slice(-2000)}`, { cause: err });
  }

  let connections = 0;
  const sockets = new Set<Socket>();
  const relay: Server = createServer((client) => {
    connections++;
    const upstream = connect(squidPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
  const relayPort = (relay.address() as { port: number }).port;

  return {
    url: `http://127.0.0.1:${relayPort}`,
    connections: () => connections,
    accessLog: async () => {
      const text = await readFile(accessLog, 'utf8').catch(() => '');
      // squid native format: time elapsed client code/status bytes method URL ...
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => {
          const f = l.trim().split(/\s+/);
          return { method: f[5] ?? '', url: f[6] ?? '', status: (f[3] ?? '').split('/')[1] ?? '' };
        });
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
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
