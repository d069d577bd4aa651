/**
 * Forwarding proxies from the environment, as curl, Go's net/http (skopeo, podman, cosign, oc) and
 * @actions/http-client read them: `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy`/
 * `HTTP_PROXY` for http URLs (the lower-case name wins when both are set), and `no_proxy`/`NO_PROXY`,
 * a list of hosts reached directly:
 *   - `example.com` and `.example.com` match the name and every name under it; `*.example.com` only
 *     the names under it; a bare `*` matches every host;
 *   - `host:port` matches that port only; IP addresses match literally; `10.0.0.0/8` (CIDR) matches
 *     the IPv4 or IPv6 addresses of that network, as Go and curl 7.86+ do.
 *
 * Loopback is never proxied: `localhost`, `*.localhost`, 127.0.0.0/8 and ::1 always go direct, as
 * Go's net/http and @actions/http-client decide (curl would send them to the proxy unless NO_PROXY
 * lists them). A proxy cannot reach this machine's loopback; sent there, a request would reach the
 * proxy's own loopback instead, and the demo, a local mirror or a port-forward would break for every
 * user whose environment sets a proxy.
 *
 * A proxy URL without a scheme (`proxy.example.com:3128`) means http://, as curl and Go read it.
 * Proxy credentials in the URL (`http://user:pass@proxy:3128`) are sent to the proxy only, and never
 * shown: messages name the proxy by `displayProxy`.
 */
import { isIP } from 'node:net';
import { SigcheckError } from '../model/errors.ts';

export interface ProxyConfig {
  /** Proxy for http:// URLs. */
  httpProxy?: string;
  /** Proxy for https:// URLs. */
  httpsProxy?: string;
  /** Hosts reached directly (the NO_PROXY syntax above). */
  noProxy?: string;
}

function pick(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

/** The proxy settings of an environment (default: the process's). */
export function proxyFromEnv(env: NodeJS.ProcessEnv = process.env): ProxyConfig {
  const out: ProxyConfig = {};
  const http = pick(env, 'http_proxy');
  const https = pick(env, 'https_proxy');
  const no = pick(env, 'no_proxy');
  if (http !== undefined) out.httpProxy = http;
  if (https !== undefined) out.httpsProxy = https;
  if (no !== undefined) out.noProxy = no;
  return out;
}

/** Parses a proxy URL; a value without a scheme is http://. Throws CONFIG naming `variable`. */
export function parseProxyUrl(value: string, variable: string): URL {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new SigcheckError('CONFIG', `${variable} is not a proxy URL such as http://proxy.example.com:3128`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SigcheckError('CONFIG', `${variable}: ${url.protocol}// proxies are not supported; use an http:// or https:// proxy`);
  }
  if (url.hostname === '') throw new SigcheckError('CONFIG', `${variable} names no proxy host`);
  return url;
}

/** A proxy URL fit for messages: scheme, host and port, never its credentials. */
export function displayProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

interface NoProxyEntry {
  /** Lower-case name or address, without brackets, leading dot or `*.`. */
  host: string;
  port?: number;
  /** `*.example.com`: names under it only. */
  subdomainsOnly: boolean;
  cidr?: { bits: number; address: bigint; family: 4 | 6 };
  any: boolean;
}

function toBigInt(address: string, family: 4 | 6): bigint | undefined {
  if (family === 4) {
    const parts = address.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
  }
  // Expand `::` and an embedded IPv4 tail, then read eight groups.
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = toBigInt(v4[1] as string, 4);
    if (n === undefined) return undefined;
    text = `${text.slice(0, v4.index)}${((n >> 16n) & 0xffffn).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const a = head === '' ? [] : head.split(':');
  const b = tail === undefined ? [] : tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? a : [...a, ...Array<string>(8 - a.length - b.length).fill('0'), ...b];
  if (groups.length !== 8) return undefined;
  let out = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    out = (out << 16n) | BigInt(parseInt(g, 16));
  }
  return out;
}

export function parseNoProxy(value: string | undefined): NoProxyEntry[] {
  const out: NoProxyEntry[] = [];
  for (const raw of (value ?? '').split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') {
      out.push({ host: '*', subdomainsOnly: false, any: true });
      continue;
    }
    const cidr = /^\[?([0-9a-f:.]+)\]?\/(\d{1,3})$/.exec(entry);
    if (cidr) {
      const family = isIP(cidr[1] as string);
      const bits = Number(cidr[2]);
      const address = family === 4 || family === 6 ? toBigInt(cidr[1] as string, family) : undefined;
      if ((family === 4 || family === 6) && address !== undefined && bits <= (family === 4 ? 32 : 128)) {
        out.push({ host: cidr[1] as string, subdomainsOnly: false, any: false, cidr: { bits, address, family } });
      }
      continue;
    }
    let port: number | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      entry = bracketed[1] as string;
      if (bracketed[2]) port = Number(bracketed[2]);
    } else if (isIP(entry) !== 6) {
      const m = /^(.*):(\d+)$/.exec(entry);
      if (m) {
        entry = m[1] as string;
        port = Number(m[2]);
      }
    }
    const subdomainsOnly = entry.startsWith('*.');
    entry = entry.replace(/^\*?\./, '').replace(/\.$/, '');
    if (entry === '') continue;
    out.push({ host: entry, ...(port !== undefined ? { port } : {}), subdomainsOnly, any: false });
  }
  return out;
}

/** True for a host this machine reaches on its own loopback: never sent to a proxy. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) {
    const n = toBigInt(h, 6);
    // ::1, and ::ffff:127.x.y.z (IPv4-mapped loopback).
    return n === 1n || (n !== undefined && n >> 24n === 0xffff7fn);
  }
  return false;
}

function matches(entry: NoProxyEntry, host: string, port: number): boolean {
  if (entry.port !== undefined && entry.port !== port) return false;
  if (entry.any) return true;
  if (entry.cidr) {
    const family = isIP(host);
    if (family !== entry.cidr.family) return false;
    const address = toBigInt(host, entry.cidr.family);
    if (address === undefined) return false;
    const width = entry.cidr.family === 4 ? 32 : 128;
    const shift = BigInt(width - entry.cidr.bits);
    return address >> shift === entry.cidr.address >> shift;
  }
  if (host === entry.host) return !entry.subdomainsOnly;
  return host.endsWith(`.${entry.host}`);
}

export class ProxyRoutes {
  private readonly http: URL | undefined;
  private readonly https: URL | undefined;
  private readonly noProxy: NoProxyEntry[];

  constructor(config: ProxyConfig = {}) {
    this.http = config.httpProxy !== undefined ? parseProxyUrl(config.httpProxy, 'HTTP_PROXY') : undefined;
    this.https = config.httpsProxy !== undefined ? parseProxyUrl(config.httpsProxy, 'HTTPS_PROXY') : undefined;
    this.noProxy = parseNoProxy(config.noProxy);
  }

  /** The proxy a request to `url` goes through, or undefined to connect directly. */
  proxyFor(url: URL): URL | undefined {
    const proxy = url.protocol === 'https:' ? this.https : url.protocol === 'http:' ? this.http : undefined;
    if (proxy === undefined) return undefined;
    const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
    if (isLoopbackHost(host)) return undefined;
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    if (this.noProxy.some((e) => matches(e, host, port))) return undefined;
    return proxy;
  }
}
