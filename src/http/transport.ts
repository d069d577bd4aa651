/**
 * Turns what undici, node:net and node:tls throw into SigcheckError codes, by `code` (the bundle may
 * carry two undicis, so never by class), with messages that say what failed, where, and what to do:
 *   - HTTP_DEADLINE: the run's deadline aborted it;
 *   - HTTP_TIMEOUT: no complete answer within the attempt's timeout;
 *   - HTTP_DNS, HTTP_CONNECT, HTTP_PROXY: no connection at all (retried at most once, counted by the
 *     host's circuit breaker); their messages are about the host, not one URL, so a dead host reads
 *     as one message however many requests it failed;
 *   - HTTP_TLS: the handshake failed (never retried: the certificate will be the same next time);
 *   - HTTP_TRUNCATED: the connection broke while the body was read; HTTP_NETWORK: anything else.
 */
import { SigcheckError, describeError, type ErrorHint } from '../model/errors.ts';

export interface TransportContext {
  /** `GET https://host/path`, without the query. */
  where: string;
  /** `host[:port]` of the URL. */
  host: string;
  phase: 'request' | 'body';
  timeoutMs: number;
  /** The attempt's own signal (timeout and deadline). */
  signal?: AbortSignal;
  /** The run's deadline signal, when there is one. */
  deadline?: AbortSignal;
  /** The proxy the request went through (`http://proxy:3128`), if any. */
  proxy?: string;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TRUNCATION_CODES = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA', 'EAI_ADDRFAMILY']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
/** OpenSSL's verification results, as node:tls reports them in `code`. */
const CERT_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  // undici's wrapper for a proxy whose certificate names another host
  'UND_ERR_PRX_TLS',
]);

const PROXY_ENV = ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY'];
export const NETWORK_HINT: ErrorHint = { env: PROXY_ENV };
export const TLS_HINT: ErrorHint = { options: ['ca-file', 'tls-verify', 'insecure-registry'], env: ['NODE_EXTRA_CA_CERTS'] };

function codesOf(err: unknown): string[] {
  const out: string[] = [];
  let e = err as { code?: unknown; cause?: unknown; errors?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string') out.push(e.code);
    // An AggregateError (happy eyeballs: every address refused) carries one error per address.
    if (Array.isArray(e.errors)) for (const inner of e.errors as Array<{ code?: unknown }>) if (typeof inner?.code === 'string') out.push(inner.code);
    e = e.cause as typeof e;
  }
  return out;
}

function certProblem(code: string): string {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return 'its TLS certificate has expired';
    case 'CERT_NOT_YET_VALID':
      return 'its TLS certificate is not valid yet (check this machine\'s clock)';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH':
    case 'UND_ERR_PRX_TLS':
      return 'its TLS certificate is for another name';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'its TLS certificate is self-signed';
    case 'CERT_REVOKED':
      return 'its TLS certificate is revoked';
    default:
      return 'its TLS certificate is not signed by a trusted CA';
  }
}

/** A TLS failure of `host`, or undefined when `codes` hold none. */
function tlsError(codes: string[], ctx: TransportContext, err: unknown): SigcheckError | undefined {
  const cert = codes.find((c) => CERT_CODES.has(c));
  const via = ctx.proxy ? ` (through the proxy ${ctx.proxy})` : '';
  if (cert) {
    const fix =
      cert === 'CERT_HAS_EXPIRED' || cert === 'CERT_NOT_YET_VALID' || cert === 'CERT_REVOKED'
        ? 'the server must renew it; only for a host you trust otherwise, turn verification off for it with the insecure-registry option'
        : 'if a private CA signed it, trust that CA with the ca-file option (or NODE_EXTRA_CA_CERTS); only for a host you trust otherwise, turn verification off for it with the insecure-registry option';
    return new SigcheckError('HTTP_TLS', `${ctx.host}: ${certProblem(cert)}${via} (${cert}); ${fix}`, { cause: err, hint: TLS_HINT });
  }
  const ssl = codes.find((c) => c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_'));
  if (ssl) {
    const fix = ssl === 'ERR_SSL_WRONG_VERSION_NUMBER' || ssl === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ? 'the server does not speak TLS on this port; if it serves plain HTTP, write the URL as http://' : 'check the server\'s TLS set-up';
    return new SigcheckError('HTTP_TLS', `${ctx.host}: the TLS handshake failed${via} (${ssl}); ${fix}`, { cause: err, hint: TLS_HINT });
  }
  return undefined;
}

export function toTransportError(err: unknown, ctx: TransportContext): SigcheckError {
  const e = err as { name?: unknown; message?: unknown } | undefined;
  const codes = codesOf(err);
  const via = ctx.proxy ? ` through the proxy ${ctx.proxy}` : '';
  if (ctx.deadline?.aborted) {
    return new SigcheckError('HTTP_DEADLINE', `${ctx.where}: aborted: the run's deadline passed; what is left is reported as error (the deadline option sets it)`, {
      cause: err,
      hint: { options: ['deadline'] },
    });
  }
  const tls = tlsError(codes, ctx, err);
  if (tls) return tls;
  const dns = codes.find((c) => DNS_CODES.has(c));
  if (dns) {
    const what = dns === 'EAI_AGAIN' ? 'the name could not be resolved (the DNS server did not answer)' : 'the name does not resolve';
    return new SigcheckError('HTTP_DNS', `${ctx.host}: ${what} (${dns})${via}; check the host name, this machine's DNS, and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)`, {
      cause: err,
      hint: NETWORK_HINT,
    });
  }
  const connect = codes.find((c) => CONNECT_CODES.has(c));
  if (connect) {
    const what =
      connect === 'ECONNREFUSED'
        ? 'the connection was refused (nothing listens on that port)'
        : connect === 'UND_ERR_CONNECT_TIMEOUT'
          ? `no connection within ${Math.min(ctx.timeoutMs, 10_000)} ms (the host may be down, or a firewall drops the traffic)`
          : 'the host cannot be reached';
    if (ctx.proxy) {
      return new SigcheckError('HTTP_PROXY', `${ctx.host}: cannot connect to the proxy ${ctx.proxy}: ${what} (${connect}); check the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)`, {
        cause: err,
        hint: NETWORK_HINT,
      });
    }
    return new SigcheckError('HTTP_CONNECT', `${ctx.host}: ${what} (${connect}); check the host and port, the network, and the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)`, {
      cause: err,
      hint: NETWORK_HINT,
    });
  }
  // A proxy that answers CONNECT with anything but 200 (it cannot reach the host, or refuses it)
  // surfaces as an aborted request that nobody aborted; undici carries the status only in its text.
  if (ctx.proxy && ctx.phase === 'request' && !ctx.signal?.aborted && codes.some((c) => c === 'UND_ERR_ABORTED' || c === 'UND_ERR_PRX_CONN')) {
    const status = /\((\d{3})\)/.exec(typeof e?.message === 'string' ? e.message : '')?.[1];
    return new SigcheckError(
      'HTTP_PROXY',
      `${ctx.host}: the proxy ${ctx.proxy} would not open a connection to it${status ? ` (it answered ${status} to CONNECT)` : ''}; the proxy cannot reach the host or does not allow it: check the host name, or list the host in NO_PROXY if it is reached directly`,
      { cause: err, hint: NETWORK_HINT },
    );
  }
  if (codes.some((c) => TIMEOUT_CODES.has(c)) || e?.name === 'TimeoutError' || ctx.signal?.aborted) {
    return new SigcheckError('HTTP_TIMEOUT', `${ctx.where}: no complete answer within ${ctx.timeoutMs} ms (${ctx.phase === 'body' ? 'while reading the body' : 'waiting for the server'})`, { cause: err });
  }
  if (codes.some((c) => TRUNCATION_CODES.has(c)) || ctx.phase === 'body') {
    return new SigcheckError('HTTP_TRUNCATED', `${ctx.where}: the connection broke while reading the body (${describeError(err)})`, { cause: err });
  }
  const code = codes[0];
  return new SigcheckError('HTTP_NETWORK', `${ctx.where}${via}: ${code ? `${code}: ` : ''}${describeError(err)}`, { cause: err });
}
