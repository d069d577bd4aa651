/**
 * Registry authentication as the distribution token spec and quay.io do it:
 *
 *   GET /v2/<repo>/manifests/x        -> 401, WWW-Authenticate: Bearer realm=R,service=S,scope=P
 *   GET R?service=S&scope=P           -> {"token": T, "expires_in": N}   (Basic credentials if any)
 *   GET /v2/<repo>/manifests/x        -> Authorization: Bearer T
 *
 * Tokens are cached per (registry, scope) until shortly before they expire, and concurrent requests
 * for one scope share one token request (fluxcd/source-controller#2098: a token exchange per request
 * multiplies token-endpoint traffic). The token endpoint goes through the same HTTP client, so its
 * 5xx and 429 answers are retried like any other. Registries that ask for Basic get the credential
 * of their host.
 *
 * Which credential goes where. The registry that sent the challenge chooses the realm, and may be
 * hostile (anything a pull request names, a mirror that was taken over), so nothing the challenge
 * says may choose a credential or widen what a token allows:
 *   - the credential sent is the one of the registry R that challenged, looked up by R's host and
 *     repository; never the credential stored for the realm's host (else a registry could name a
 *     realm on another registry of the auth file and have a token minted with that one's secret);
 *   - it goes to R's realm only when the realm is https, or on R's own origin; a realm over plain
 *     HTTP on another host gets no credentials at all (a request in clear to a host R picked);
 *   - a registry reached over https may not send the client to a plain-http realm at all;
 *   - the token is asked for with the tool's own scope, `repository:<name>:pull` for the
 *     repository it reads, never the scope the challenge names (a `push` or another repository's
 *     scope would turn the read-only tool into a way to mint write tokens).
 */
import { SigcheckError } from '../model/errors.ts';
import type { HttpClient } from '../http/client.ts';
import { TOKEN_MAX_BYTES } from '../http/limits.ts';
import { parseChallenges } from './challenge.ts';
import type { CredentialStore, RegistryCredential } from './credentials.ts';
import type { RepositoryRef } from './reference.ts';

type HostAuth = { scheme: 'bearer'; realm: string; service?: string; scope?: string } | { scheme: 'basic' };

interface CachedToken {
  value: string;
  expiresAt: number;
}

/** What a request was sent with; `fresh` means a 401 to it is final (no newer authorization to try). */
export interface Authorization {
  header: string;
  fresh: boolean;
  token?: CachedToken;
}

const LOGIN_HINT = { options: ['authfile'], env: ['REGISTRY_AUTH_FILE'] } as const;

/** Tokens are renewed this long before they expire. */
const EXPIRY_MARGIN_MS = 10_000;
/** The token spec: "a minimum of 60 seconds should be assumed" when expires_in is absent or lower. */
const MIN_TOKEN_LIFETIME_S = 60;
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/**
 * True when the credential of `repo` may be sent to its token realm: over https, or to the
 * registry's own origin (which already receives it). See the module comment.
 */
export function credentialMayGo(repo: RepositoryRef, realm: URL): boolean {
  return realm.protocol === 'https:' || realm.origin === repo.origin;
}

function basic(credential: RegistryCredential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64')}`;
}

export class RegistryAuth {
  private readonly http: HttpClient;
  private readonly credentials: CredentialStore;
  private readonly now: () => number;
  private readonly hosts = new Map<string, HostAuth>();
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();
  private tokenRequestCount = 0;

  constructor(http: HttpClient, credentials: CredentialStore, now: () => number = Date.now) {
    this.http = http;
    this.credentials = credentials;
    this.now = now;
  }

  /** Token requests sent (one per scope and token lifetime when all goes well). */
  get tokenRequests(): number {
    return this.tokenRequestCount;
  }

  /**
   * The authorization for a request, from what is already known about the registry; undefined
   * before its first challenge (the first request goes out anonymous and learns the scheme).
   */
  async authorization(repo: RepositoryRef, scope: string): Promise<Authorization | undefined> {
    const host = this.hosts.get(repo.origin);
    if (!host) return undefined;
    if (host.scheme === 'basic') return await this.basicAuthorization(repo);
    const key = this.tokenKey(repo, host, scope);
    const cached = this.validToken(key);
    if (cached) return { header: `Bearer ${cached.value}`, fresh: false, token: cached };
    const token = await this.fetchToken(repo, host, scope, key);
    return { header: `Bearer ${token.value}`, fresh: true, token };
  }

  /**
   * After a 401: reads the challenge and returns a newer authorization to retry with. Throws
   * HTTP_AUTH when there is none (no credentials for Basic, an unknown scheme, a refused token).
   */
  async answerChallenge(repo: RepositoryRef, scope: string, header: string | undefined, previous: Authorization | undefined): Promise<Authorization> {
    const challenges = parseChallenges(header);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    if (bearer) {
      const realm = bearer.params['realm'];
      if (!realm) throw new SigcheckError('HTTP_AUTH', `${repo.display}: the registry asked for a Bearer token but named no realm to get it from`);
      const host: HostAuth = { scheme: 'bearer', realm, ...(bearer.params['service'] !== undefined ? { service: bearer.params['service'] } : {}) };
      this.hosts.set(repo.origin, host);
      const key = this.tokenKey(repo, host, scope);
      const cached = this.validToken(key);
      // Another request may already have replaced the token this one was refused with.
      if (cached && cached !== previous?.token) return { header: `Bearer ${cached.value}`, fresh: true, token: cached };
      if (cached) this.tokens.delete(key);
      // The challenge's own `scope` is ignored on purpose: see the module comment.
      const token = await this.fetchToken(repo, host, scope, key);
      return { header: `Bearer ${token.value}`, fresh: true, token };
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      this.hosts.set(repo.origin, { scheme: 'basic' });
      return await this.basicAuthorization(repo);
    }
    const schemes = challenges.map((c) => c.scheme).join(', ') || 'none';
    throw new SigcheckError('HTTP_AUTH', `${repo.display}: the registry answered 401 with authentication scheme(s) ${schemes}; only Bearer tokens and Basic credentials are supported`);
  }

  private async basicAuthorization(repo: RepositoryRef): Promise<Authorization> {
    const credential = await this.credentials.find(repo.host, repo.name);
    if (!credential) {
      throw new SigcheckError(
        'HTTP_AUTH',
        `${repo.display}: the registry requires credentials (Basic) and none were found for ${repo.host} in ${this.describeFiles()}; log in with \`podman login ${repo.host}\`, or name an auth file with the authfile option or REGISTRY_AUTH_FILE`,
        { hint: LOGIN_HINT },
      );
    }
    return { header: basic(credential), fresh: true };
  }

  private describeFiles(): string {
    return this.credentials.files.length > 0 ? this.credentials.files.join(', ') : 'any credentials file (REGISTRY_AUTH_FILE, ~/.config/containers/auth.json, ~/.docker/config.json)';
  }

  private tokenKey(repo: RepositoryRef, host: Extract<HostAuth, { scheme: 'bearer' }>, scope: string): string {
    return `${repo.origin}\n${host.realm}\n${host.service ?? ''}\n${scope}`;
  }

  private validToken(key: string): CachedToken | undefined {
    const t = this.tokens.get(key);
    if (t && t.expiresAt - EXPIRY_MARGIN_MS > this.now()) return t;
    if (t) this.tokens.delete(key);
    return undefined;
  }

  /** One token request per key at a time; every waiter shares its answer. */
  private fetchToken(repo: RepositoryRef, host: Extract<HostAuth, { scheme: 'bearer' }>, scope: string, key: string): Promise<CachedToken> {
    let p = this.pending.get(key);
    if (!p) {
      p = this.requestToken(repo, host, scope).then(
        (token) => {
          this.tokens.set(key, token);
          this.pending.delete(key);
          return token;
        },
        (err: unknown) => {
          this.pending.delete(key);
          throw err;
        },
      );
      this.pending.set(key, p);
    }
    return p;
  }

  private async requestToken(repo: RepositoryRef, host: Extract<HostAuth, { scheme: 'bearer' }>, scope: string): Promise<CachedToken> {
    let realm: URL;
    try {
      realm = new URL(host.realm);
    } catch {
      throw new SigcheckError('HTTP_AUTH', `${repo.display}: the token realm ${JSON.stringify(host.realm.slice(0, 200))} is not a URL`);
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      throw new SigcheckError('HTTP_AUTH', `${repo.display}: the token realm ${realm.origin} is not an http(s) URL`);
    }
    if (repo.scheme === 'https' && realm.protocol !== 'https:') {
      throw new SigcheckError('HTTP_AUTH', `${repo.display}: the registry sent a plain-http token realm (${realm.origin}); refusing to ask for a token without TLS`);
    }
    const credential = credentialMayGo(repo, realm) ? await this.credentials.find(repo.host, repo.name) : undefined;
    // A realm may carry its own query; a scope or account in it would ride along with ours.
    realm.searchParams.delete('scope');
    realm.searchParams.delete('account');
    if (host.service !== undefined) realm.searchParams.set('service', host.service);
    realm.searchParams.append('scope', scope);
    if (credential) realm.searchParams.set('account', credential.username);
    this.tokenRequestCount++;
    const started = this.now();
    const res = await this.http.request({
      url: realm,
      maxBytes: TOKEN_MAX_BYTES,
      what: 'token',
      headers: { accept: 'application/json' },
      ...(credential ? { authorization: basic(credential) } : {}),
    });
    const where = `token for ${scope} from ${realm.origin}${realm.pathname}`;
    if (res.status === 401 || res.status === 403) {
      throw new SigcheckError(
        'HTTP_AUTH',
        credential
          ? `${where}: the token endpoint answered ${res.status} to the credentials for ${repo.host} from ${credential.source}; log in again or fix that file`
          : `${where}: the token endpoint answered ${res.status} to an anonymous request; the repository may be private: log in with \`podman login ${repo.host}\`, or name an auth file with the authfile option or REGISTRY_AUTH_FILE`,
        { hint: LOGIN_HINT },
      );
    }
    if (res.status !== 200) {
      throw new SigcheckError('HTTP_AUTH', `${where}: the token endpoint answered ${res.status}`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(res.body));
    } catch {
      throw new SigcheckError('HTTP_AUTH', `${where}: the token endpoint's answer is not JSON`);
    }
    const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
    const value = typeof d['token'] === 'string' && d['token'] !== '' ? d['token'] : d['access_token'];
    if (typeof value !== 'string' || !TOKEN_CHARS.test(value)) {
      throw new SigcheckError('HTTP_AUTH', `${where}: the token endpoint's answer holds no usable token`);
    }
    const expiresIn = typeof d['expires_in'] === 'number' && Number.isFinite(d['expires_in']) ? Math.max(MIN_TOKEN_LIFETIME_S, d['expires_in']) : MIN_TOKEN_LIFETIME_S;
    return { value, expiresAt: started + expiresIn * 1000 };
  }
}
