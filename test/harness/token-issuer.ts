/**
 * A token issuer for the harness registry, speaking the distribution token protocol the way quay.io
 * does: `GET /token?service=S&scope=repository:<name>:pull[,push]` with optional Basic credentials
 * answers `{"token": <JWT>, "access_token": <JWT>, "expires_in": N, "issued_at": ...}`.
 *
 * Tokens are ES256 JWTs carrying the issuer's self-signed certificate in `x5c`; the registry trusts
 * that certificate through `auth.token.rootcertbundle`. The key and certificate are made with the
 * openssl command line. Every request is recorded, so tests can count token requests per scope.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeTempDir } from './registry.ts';

export interface TokenRequestRecord {
  scopes: string[];
  /** The `account` query parameter, as the client sent it. */
  accountParam: string | undefined;
  /** The user named by the Basic credentials sent, valid or not (never the password). */
  sentUser: string | undefined;
  service: string | undefined;
  /** The user of valid Basic credentials, or undefined for an anonymous request. */
  account: string | undefined;
  /** True when the request carried an Authorization header. */
  sentCredentials: boolean;
  status: number;
}

export interface TokenIssuerOptions {
  service?: string;
  issuer?: string;
  /** Users that may log in; a request with other credentials is refused with 401. */
  users?: Record<string, string>;
  /** Anonymous requests get pull access (as on quay.io for public repositories). Default true. */
  anonymousPull?: boolean;
  /** Token lifetime in seconds. */
  expiresIn?: number;
  /** Address to listen on (default 127.0.0.1; 127.0.0.2 gives a second loopback host). */
  host?: string;
  /** Serve https with this certificate (PEM) instead of plain http. */
  tls?: { cert: string; key: string };
}

export interface TokenIssuer {
  /** `http://127.0.0.1:<port>/token`: the realm to configure in the registry. */
  realm: string;
  url: string;
  port: number;
  service: string;
  issuer: string;
  /** Path of the PEM certificate the registry must trust. */
  rootCertBundle: string;
  requests: TokenRequestRecord[];
  /** Token requests for a scope (counted per scope string in a request). */
  countFor(scope: string, filter?: (r: TokenRequestRecord) => boolean): number;
  /** Mints a token directly (no request recorded), e.g. for the harness's own pushes. */
  mint(access: Array<{ name: string; actions: string[] }>, account?: string): string;
  reset(): void;
  stop(): Promise<void>;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export async function startTokenIssuer(options: TokenIssuerOptions = {}): Promise<TokenIssuer> {
  const dir = await makeTempDir('token-issuer');
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=sigcheck-test-token-issuer', '-days', '2', '-keyout', keyPath, '-out', certPath],
    { stdio: 'pipe' },
  );
  const key: KeyObject = createPrivateKey(await readFile(keyPath));
  const certPem = await readFile(certPath, 'utf8');
  const certDer = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const service = options.service ?? 'sigcheck-test-registry';
  const issuerName = options.issuer ?? 'sigcheck-test-issuer';
  const expiresIn = options.expiresIn ?? 300;
  const anonymousPull = options.anonymousPull ?? true;
  const requests: TokenRequestRecord[] = [];

  const mint = (access: Array<{ name: string; actions: string[] }>, account = ''): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c: [certDer.toString('base64')] };
    const claims = { iss: issuerName, sub: account, aud: service, exp: now + expiresIn, nbf: now - 10, iat: now, jti: randomUUID(), access: access.map((a) => ({ type: 'repository', ...a })) };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(signature)}`;
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const auth = req.headers.authorization;
    const basicUser = /^Basic (.+)$/.exec(auth ?? '');
    const record: TokenRequestRecord = {
      scopes: url.searchParams.getAll('scope'),
      accountParam: url.searchParams.get('account') ?? undefined,
      sentUser: basicUser ? Buffer.from(basicUser[1] as string, 'base64').toString('utf8').split(':')[0] : undefined,
      service: url.searchParams.get('service') ?? undefined,
      account: undefined,
      sentCredentials: auth !== undefined,
      status: 200,
    };
    requests.push(record);
    const reply = (status: number, body: unknown) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/token') return reply(404, { error: 'not found' });
    let account: string | undefined;
    if (auth !== undefined) {
      const m = /^Basic (.+)$/.exec(auth);
      const decoded = m ? Buffer.from(m[1] as string, 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      const user = decoded.slice(0, colon);
      if (colon <= 0 || options.users?.[user] === undefined || options.users[user] !== decoded.slice(colon + 1)) {
        return reply(401, { details: 'invalid username or password' });
      }
      account = user;
    } else if (!anonymousPull) {
      res.setHeader('www-authenticate', 'Basic realm="sigcheck-test-issuer"');
      return reply(401, { details: 'authentication required' });
    }
    record.account = account;
    const access: Array<{ name: string; actions: string[] }> = [];
    for (const scope of record.scopes) {
      for (const one of scope.split(' ')) {
        const m = /^repository:([^:]+):(.+)$/.exec(one);
        if (!m) continue;
        const wanted = (m[2] as string).split(',');
        const actions = account !== undefined ? wanted : wanted.filter((a) => a === 'pull');
        if (actions.length > 0) access.push({ name: m[1] as string, actions });
      }
    }
    const token = mint(access, account ?? '');
    reply(200, { token, access_token: token, expires_in: expiresIn, issued_at: new Date().toISOString() });
  };

  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handle) : createServer(handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
  return {
    realm: `${url}/token`,
    url,
    port,
    service,
    issuer: issuerName,
    rootCertBundle: certPath,
    requests,
    countFor: (scope, filter) => requests.filter((r) => r.scopes.includes(scope) && (filter ? filter(r) : true)).length,
    mint,
    reset: () => {
      requests.length = 0;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
