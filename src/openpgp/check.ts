/**
 * The OpenPGP check of one release digest against HTTP signature stores, walking each store as the
 * cluster-version operator does (library-go store/sigstore): `<base>/sha256=<hex>/signature-N` for
 * N = 1..9; a not-found ends the store's walk, any other failure moves on to N+1, and the walk stops at
 * the first signature that verifies. Stores are asked in parallel.
 *
 * Deciding among stores (docs/verdicts.md, "Outcome of each check"):
 *  - a verified signature from any store wins;
 *  - otherwise, if any store could not be read completely (a fetch failed after the retries: 5xx, 429,
 *    a stall or timeout), `error`: the signature that store did not deliver might have been the valid
 *    one, so neither `missing` nor `invalid` would be true;
 *  - otherwise, every store answered completely: `invalid` when any of them had signatures (none passed),
 *    `missing` only when every store answered not found for signature-1.
 */
import { toDigest, type Digest } from '../model/digest.ts';
import { SigcheckError } from '../model/errors.ts';
import type { FetchStoreSignature } from '../model/sources.ts';
import type { CheckResult, SignatureAttempt } from '../model/results.ts';
import { MAX_STORE_SIGNATURES, toStoreSignatureUrl } from './fetch.ts';
import type { OpenPGPKeyring } from './keys.ts';
import { verifyOpenPGPSignature, type OpenPGPAccepted, type OpenPGPVerdict } from './verify.ts';

export interface CheckOpenPGPOptions {
  /** Store base URLs, e.g. https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release */
  stores: string[];
  fetch: FetchStoreSignature;
  keyring: OpenPGPKeyring;
  /** The current time, for signature expiry (default: now). */
  now?: Date;
}

type StoreWalk =
  | { kind: 'verified'; url: string; verdict: OpenPGPAccepted; attempts: SignatureAttempt[] }
  /** The walk ended without a failed fetch: `invalid` signatures were all looked at, or there were none. */
  | { kind: 'definitive'; attempts: SignatureAttempt[]; notFoundUrl: string | undefined }
  | { kind: 'error'; attempts: SignatureAttempt[]; lastError: SignatureAttempt };

/**
 * The one mapping from a verifier verdict to a reported attempt, for every source of OpenPGP
 * signatures (stores, ConfigMaps, the signature command): the outcome, the stable code, `deliberate`
 * when the cluster would have accepted, the signer and identity once known.
 */
export function toSignatureAttempt(source: string, verdict: OpenPGPVerdict): SignatureAttempt {
  if (verdict.ok) {
    return { source, outcome: 'verified', reason: describeVerified(verdict), code: 'VERIFIED', signer: verdict.signer.keyName, identity: verdict.identity };
  }
  const attempt: SignatureAttempt = { source, outcome: 'invalid', reason: `${verdict.code}: ${verdict.reason}`, code: verdict.code };
  if (verdict.deliberate) attempt.deliberate = true;
  if (verdict.signer) attempt.signer = verdict.signer.keyName;
  if (verdict.identity !== undefined) attempt.identity = verdict.identity;
  return attempt;
}

/** `signed by Red Hat release key 2 (567E347A...FD431D51), v4 signature of 2024-02-26`. */
export function describeVerified(verdict: OpenPGPAccepted): string {
  return `signed by ${verdict.signer.keyName}, v${verdict.signatureVersion} signature of ${verdict.created.toISOString().slice(0, 10)}`;
}

async function walkStore(
  base: string,
  digest: Digest,
  options: CheckOpenPGPOptions,
  stopped: () => boolean,
): Promise<StoreWalk> {
  const attempts: SignatureAttempt[] = [];
  let lastError: SignatureAttempt | undefined;
  // signature-1 .. signature-9, as the operator's `maxSignatureSearch = 10` loop.
  for (let n = 1; n <= MAX_STORE_SIGNATURES; n++) {
    if (stopped()) break;
    const url = toStoreSignatureUrl(base, digest, n);
    let fetched;
    try {
      fetched = await options.fetch(url);
    } catch (err) {
      // The fetcher contract is to resolve, never reject; a rejection is still only a failed fetch.
      fetched = { kind: 'error' as const, source: url, reason: (err as Error)?.message ?? String(err) };
    }
    if (fetched.kind === 'not-found') {
      return lastError ? { kind: 'error', attempts, lastError } : { kind: 'definitive', attempts, notFoundUrl: fetched.source || url };
    }
    if (fetched.kind === 'error') {
      lastError = { source: fetched.source || url, outcome: 'error', reason: fetched.reason };
      attempts.push(lastError);
      continue;
    }
    const verdict = await verifyOpenPGPSignature(fetched.value, digest, options.keyring, options.now ? { now: options.now } : {});
    const source = fetched.source || url;
    attempts.push(toSignatureAttempt(source, verdict));
    if (verdict.ok) return { kind: 'verified', url: source, verdict, attempts };
  }
  if (lastError) return { kind: 'error', attempts, lastError };
  return { kind: 'definitive', attempts, notFoundUrl: undefined };
}

/**
 * Checks one digest against the signature stores. Resolves with `verified`, `missing`, `invalid` or
 * `error`; throws only for a caller error (no store, an invalid digest).
 */
export async function checkOpenPGP(digest: Digest, options: CheckOpenPGPOptions): Promise<CheckResult> {
  toDigest(digest, 'OpenPGP check digest');
  if (options.stores.length === 0) {
    throw new SigcheckError('CONFIG', 'no OpenPGP signature store is configured; pass --signature-store URL or keep the default Red Hat stores');
  }
  let winner: Extract<StoreWalk, { kind: 'verified' }> | undefined;
  const walks = options.stores.map((base) =>
    walkStore(base, digest, options, () => winner !== undefined).then((walk) => {
      if (walk.kind === 'verified') winner ??= walk;
      return walk;
    }),
  );
  // A verified signature from any store decides at once; the other walks stop before their next fetch.
  const firstVerified = new Promise<void>((resolve) => {
    for (const w of walks) void w.then((walk) => walk.kind === 'verified' && resolve());
  });
  await Promise.race([firstVerified, Promise.all(walks)]);
  if (winner) {
    const v = winner.verdict;
    return { outcome: 'verified', reason: describeVerified(v), source: winner.url, signer: v.signer.keyName, identity: v.identity };
  }

  const results = await Promise.all(walks);
  const attempts = results.flatMap((r) => r.attempts);
  const withAttempts = (result: CheckResult): CheckResult => (attempts.length > 0 ? { ...result, attempts } : result);

  const errors = results.filter((r): r is Extract<StoreWalk, { kind: 'error' }> => r.kind === 'error');
  if (errors.length === 0) {
    const invalid = results.flatMap((walk, i) => walk.attempts.filter((a) => a.outcome === 'invalid').map((a) => ({ a, store: options.stores[i]! })));
    if (invalid.length > 0) {
      const first = invalid[0]!;
      const details = invalid.map(({ a }) => `${a.source.slice(a.source.lastIndexOf('/') + 1)}: ${a.reason}`).join('; ');
      const stores = [...new Set(invalid.map((i) => i.store))].join(', ');
      return withAttempts({
        outcome: 'invalid',
        reason: `${invalid.length} signature(s) in ${stores}, none valid for ${digest} (${details}). The cluster-version operator will refuse this update; publish a valid signature of this digest, signed by a trusted key`,
        source: first.a.source,
      });
    }
    const walk = results[0] as Extract<StoreWalk, { kind: 'definitive' }>;
    const where = walk.notFoundUrl ?? toStoreSignatureUrl(options.stores[0]!, digest, 1);
    const stores = options.stores.length === 1 ? options.stores[0]! : `any of the ${options.stores.length} stores (${options.stores.join(', ')})`;
    return withAttempts({
      outcome: 'missing',
      reason: `no signature for ${digest} in ${stores} (${where} answered not found${options.stores.length > 1 ? ', and so did every other store' : ''}). The cluster-version operator will refuse this update; publish the release signature to the store before promoting this release`,
      source: where,
    });
  }

  const last = errors[errors.length - 1]?.lastError;
  return withAttempts({
    outcome: 'error',
    reason: `could not determine whether ${digest} is signed: ${last ? `${last.source}: ${last.reason}` : 'no store answered'}. Re-run later, or check network access to the signature stores`,
    ...(last ? { source: last.source } : {}),
  });
}
