/**
 * The undici dispatchers behind the HTTP client, composed from small pieces: one keep-alive Agent
 * per way of connecting - directly or through a forwarding proxy (proxy.ts), verifying certificates
 * or not (tls.ts) - created when first needed and shared by every request that connects that way.
 * All of them carry the same timeouts, connection limit and trusted CAs.
 */
import type { LookupFunction } from 'node:net';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { displayProxy, ProxyRoutes, type ProxyConfig } from './proxy.ts';
import type { TlsPolicy } from './tls.ts';

export interface DispatcherOptions {
  timeoutMs: number;
  /** Connections per origin. */
  connections: number;
  tls: TlsPolicy;
  proxy?: ProxyConfig;
  /** Name resolution for direct connections (default: the system's); replaceable in tests. */
  lookup?: LookupFunction;
}

export interface Route {
  dispatcher: Dispatcher;
  /** The proxy the request goes through, for messages (`http://proxy:3128`), if any. */
  proxy?: string;
}

export class Dispatchers {
  private readonly options: DispatcherOptions;
  private readonly routes: ProxyRoutes;
  private readonly made = new Map<string, Dispatcher>();

  constructor(options: DispatcherOptions) {
    this.options = options;
    this.routes = new ProxyRoutes(options.proxy ?? {});
  }

  /** How a request to `url` connects. */
  for(url: URL): Route {
    const proxy = this.routes.proxyFor(url);
    const verify = this.options.tls.verifies(url.host);
    const key = `${proxy?.href ?? 'direct'} ${verify ? 'verify' : 'no-verify'}`;
    let dispatcher = this.made.get(key);
    if (!dispatcher) {
      dispatcher = this.make(proxy, verify);
      this.made.set(key, dispatcher);
    }
    return proxy ? { dispatcher, proxy: displayProxy(proxy) } : { dispatcher };
  }

  async close(): Promise<void> {
    await Promise.all([...this.made.values()].map((d) => d.close()));
  }

  private make(proxy: URL | undefined, verify: boolean): Dispatcher {
    const { timeoutMs, connections, tls } = this.options;
    const tlsOptions = tls.connectOptions(verify);
    const common = {
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connections,
    };
    const connectTimeout = Math.min(timeoutMs, 10_000);
    if (!proxy) return new Agent({ ...common, connect: { timeout: connectTimeout, ...tlsOptions, ...(this.options.lookup ? { lookup: this.options.lookup } : {}) } });
    // The proxy itself is verified whatever the target's setting: turning verification off for one
    // registry does not extend to the proxy every request passes through.
    return new ProxyAgent({ ...common, uri: proxy.href, connectTimeout, requestTls: tlsOptions, proxyTls: tls.connectOptions(true) });
  }
}
