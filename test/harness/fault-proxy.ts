/**
 * A reverse proxy on 127.0.0.1 between the tool and one harness server that breaks a chosen share
 * of requests, picked by a seeded random generator, in the ways registries and CDNs break:
 *   500 / 502 / 503, 429 with Retry-After, a reset connection, a stall past the client's timeout
 *   (no answer at all), and a body cut off halfway (the headers promise more bytes than come).
 * Everything else is forwarded untouched. It counts what it did, per kind.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { startServer, type TestServer } from './store.ts';

export const FAULT_KINDS = ['500', '502', '503', '429', 'reset', 'stall', 'truncate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultProxyOptions {
  /** Base URL of the server behind the proxy (may be set later with retarget()). */
  target?: string;
  /**
   * Other servers behind the same origin, by path prefix (`{'/token': issuer.url}`), so that a token
   * realm can live on the registry's own host as it does on quay.io.
   */
  routes?: Record<string, string>;
  /** Only requests whose path matches are broken (default: all). */
  faultPaths?: RegExp;
  /** Share of requests to break, 0..1. */
  rate?: number;
  seed?: number;
  kinds?: readonly FaultKind[];
  /** Retry-After of a 429, in seconds. */
  retryAfterSeconds?: number;
  /** How long a stalled request is held before its socket is dropped (set it past the client timeout). */
  stallMs?: number;
}

export interface FaultProxy extends TestServer {
  /** Requests that reached the proxy. */
  total(): number;
  /** Requests forwarded unharmed. */
  forwarded(): number;
  /** Faults injected, per kind. */
  faults: Record<FaultKind, number>;
  faultCount(): number;
  /** Changes the share of broken requests (and the kinds, and the paths) from now on. */
  configure(options: { rate?: number; kinds?: readonly FaultKind[]; faultPaths?: RegExp | undefined }): void;
  /** Breaks the next matching requests with these faults, in order, whatever the rate. */
  failNext(kinds: readonly FaultKind[], paths?: RegExp): void;
  /** Points the proxy at another default server. */
  retarget(target: string): void;
  resetCounts(): void;
}

/** mulberry32: a small, fast, seedable generator; good enough to spread faults. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let target = new URL(options.target ?? 'http://127.0.0.1:9');
  const routes = Object.entries(options.routes ?? {}).map(([prefix, url]) => [prefix, new URL(url)] as const);
  let faultPaths = options.faultPaths;
  const random = seededRandom(options.seed ?? 1);
  let rate = options.rate ?? 0;
  let kinds: readonly FaultKind[] = options.kinds ?? FAULT_KINDS;
  const retryAfter = options.retryAfterSeconds ?? 1;
  const stallMs = options.stallMs ?? 5000;
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  let total = 0;
  let forwarded = 0;
  const timers = new Set<NodeJS.Timeout>();
  const scripted: Array<{ kind: FaultKind; paths: RegExp | undefined }> = [];

  const forward = (req: IncomingMessage, res: ServerResponse, onResponse?: (upstream: IncomingMessage) => boolean) => {
    const to = routes.find(([prefix]) => (req.url ?? '/').startsWith(prefix))?.[1] ?? target;
    const headers = { ...req.headers, host: to.host };
    const up = httpRequest({ hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (upstream) => {
      if (onResponse?.(upstream)) return;
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  };

  const truncate = (req: IncomingMessage, res: ServerResponse) => {
    forward(req, res, (upstream) => {
      const chunks: Buffer[] = [];
      upstream.on('data', (c: Buffer) => chunks.push(c));
      upstream.on('end', () => {
        const body = Buffer.concat(chunks);
        if (body.byteLength < 2) {
          // Nothing to cut (HEAD, empty body): break the connection instead.
          (req.socket as Socket).resetAndDestroy();
          return;
        }
        const { 'transfer-encoding': _te, ...rest } = upstream.headers;
        res.writeHead(upstream.statusCode ?? 200, { ...rest, 'content-length': String(body.byteLength) });
        res.write(body.subarray(0, Math.floor(body.byteLength / 2)), () => {
          (req.socket as Socket).destroy();
        });
      });
      return true;
    });
  };

  const server = await startServer((req, res) => {
    total++;
    const path = req.url ?? '/';
    const next = scripted.findIndex((f) => !f.paths || f.paths.test(path));
    let kind: FaultKind;
    if (next >= 0) {
      kind = scripted.splice(next, 1)[0]!.kind;
    } else if ((faultPaths && !faultPaths.test(path)) || random() >= rate) {
      forwarded++;
      forward(req, res);
      return;
    } else {
      kind = kinds[Math.floor(random() * kinds.length)] as FaultKind;
    }
    faults[kind]++;
    switch (kind) {
      case '500':
      case '502':
      case '503':
        req.resume();
        res.writeHead(Number(kind), { 'content-type': 'text/html' }).end(`<html><body>${kind} injected by the fault proxy</body></html>`);
        return;
      case '429':
        req.resume();
        res.writeHead(429, { 'retry-after': String(retryAfter), 'content-type': 'application/json' }).end('{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}');
        return;
      case 'reset':
        (req.socket as Socket).resetAndDestroy();
        return;
      case 'stall': {
        req.resume();
        const timer = setTimeout(() => {
          timers.delete(timer);
          (req.socket as Socket).destroy();
        }, stallMs);
        timers.add(timer);
        return;
      }
      case 'truncate':
        truncate(req, res);
        return;
    }
  });

  return {
    ...server,
    total: () => total,
    forwarded: () => forwarded,
    faults,
    faultCount: () => Object.values(faults).reduce((a, b) => a + b, 0),
    configure: (o) => {
      if (o.rate !== undefined) rate = o.rate;
      if (o.kinds !== undefined) kinds = o.kinds;
      if ('faultPaths' in o) faultPaths = o.faultPaths;
    },
    failNext: (k, paths) => {
      for (const kind of k) scripted.push({ kind, paths });
    },
    retarget: (t) => {
      target = new URL(t);
    },
    resetCounts: () => {
      total = 0;
      forwarded = 0;
      for (const k of FAULT_KINDS) faults[k] = 0;
    },
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await server.stop();
    },
  };
}
