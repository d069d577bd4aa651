/**
 * A TCP proxy on 127.0.0.1 that adds a fixed latency to every request: each chunk from the client is
 * held for `latencyMs` before it reaches the server, so every HTTP request on a keep-alive connection
 * costs one round trip of `latencyMs` more, as a distant registry would. Answers flow back at once;
 * connection set-up is not delayed (a real TCP or TLS handshake would add round trips the tool's
 * keep-alive pool is there to avoid). Working at the TCP level keeps the proxy's own CPU cost
 * negligible next to the tool's.
 *
 * It counts connections, chunks and HTTP/1.1 requests: a request is a request line (`GET /path
 * HTTP/1.1`) at the start of a chunk or after a CRLF. The tool sends only bodiless GET and HEAD
 * requests, each one in a single write, so this count is exact for it; `onRequest` lets the caller
 * classify requests by path.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface DelayProxyStats {
  connections: number;
  chunks: number;
  /** HTTP requests seen (request lines). */
  requests: number;
  /** Most connections open at once. */
  peakConnections: number;
  /**
   * Time from forwarding a request to the server until its first answer bytes came back, summed over
   * `answered` requests (ms): how long the server took, latency excluded.
   */
  serverMs: number;
  answered: number;
  /** Requests seen and not yet answered, now: delayed, at the server, or answering. */
  outstanding: number;
}

export interface DelayProxy {
  url: string;
  port: number;
  stats: DelayProxyStats;
  /** Zeroes the counters (between runs). */
  reset(): void;
  close(): Promise<void>;
}

export interface DelayProxyOptions {
  /** Called for every request line, with its method and request target (path and query). */
  onRequest?: (method: string, target: string) => void;
}

const REQUEST_LINE = /(?:^|\r\n)([A-Z]{3,7}) (\S+) HTTP\/1\.[01]\r\n/g;

export async function startDelayProxy(target: { host: string; port: number }, latencyMs: number, options: DelayProxyOptions = {}): Promise<DelayProxy> {
  if (target.host !== '127.0.0.1') throw new Error(`the delay proxy forwards to 127.0.0.1 only, not ${target.host}`);
  const stats: DelayProxyStats = { connections: 0, chunks: 0, requests: 0, peakConnections: 0, serverMs: 0, answered: 0, outstanding: 0 };
  const sockets = new Set<Socket>();
  let open = 0;
  const server: Server = createServer((client) => {
    stats.connections++;
    open++;
    stats.peakConnections = Math.max(stats.peakConnections, open);
    const upstream = createConnection(target);
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    // One request at a time per connection (no pipelining): the first answer bytes after a forward answer it.
    let forwardedAt: number | undefined;
    let unanswered = 0;
    client.on('data', (chunk: Buffer) => {
      stats.chunks++;
      // Request lines are ASCII; latin1 decoding never fails and costs little for these small chunks.
      const text = chunk.toString('latin1', 0, Math.min(chunk.length, 64 * 1024));
      for (const m of text.matchAll(REQUEST_LINE)) {
        stats.requests++;
        stats.outstanding++;
        unanswered++;
        options.onRequest?.(m[1] as string, m[2] as string);
      }
      setTimeout(() => {
        forwardedAt ??= performance.now();
        upstream.write(chunk);
      }, latencyMs);
    });
    upstream.on('data', () => {
      if (unanswered > 0) {
        unanswered--;
        stats.outstanding--;
      }
      if (forwardedAt === undefined) return;
      stats.serverMs += performance.now() - forwardedAt;
      stats.answered++;
      forwardedAt = undefined;
    });
    upstream.pipe(client);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      open--;
      stats.outstanding -= unanswered;
      unanswered = 0;
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    reset: () => {
      stats.connections = 0;
      stats.chunks = 0;
      stats.requests = 0;
      stats.peakConnections = open;
      stats.serverMs = 0;
      stats.answered = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
