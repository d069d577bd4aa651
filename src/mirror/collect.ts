/**
 * Gathers every OpenPGP signature of a digest that verifies, from the signature stores, to put into a
 * signature ConfigMap. The walk is the cluster-version operator's (library-go store/sigstore):
 * `<base>/sha256=<hex>/signature-N`, N = 1..9, a not-found ends a store's walk, any other failure moves
 * on to N+1. Unlike a check it does not stop at the first good signature: a ConfigMap carries all of
 * them (the Red Hat stores are copies of each other, so identical blobs are kept once).
 *
 * An unverified blob is never returned for writing; each one is kept as an attempt with its reason.
 */
import { createHash } from 'node:crypto';
import type { FetchStoreSignature } from '../model/sources.ts';
import { toDigest, type Digest } from '../model/digest.ts';
import { SigcheckError, describeError } from '../model/errors.ts';
import { toSignatureAttempt } from '../openpgp/check.ts';
import { MAX_STORE_SIGNATURES, toStoreSignatureUrl } from '../openpgp/fetch.ts';
import type { OpenPGPKeyring } from '../openpgp/keys.ts';
import { verifyOpenPGPSignature, type OpenPGPAccepted } from '../openpgp/verify.ts';
import type { SignatureAttempt } from '../model/results.ts';

export interface VerifiedBlob {
  bytes: Uint8Array;
  /** Where it was read. */
  source: string;
  verdict: OpenPGPAccepted;
}

export interface CollectedSignatures {
  digest: Digest;
  /**
   * - verified: at least one signature verified (`signatures` holds every one, deduplicated);
   * - missing: every store answered, none has a signature of the digest;
   * - invalid: signatures exist, none verifies;
   * - error: no store answered definitively (a failed fetch might have been a valid signature).
   */
  outcome: 'verified' | 'missing' | 'invalid' | 'error';
  reason: string;
  signatures: VerifiedBlob[];
  attempts: SignatureAttempt[];
}

export interface CollectOptions {
  stores: readonly string[];
  fetch: FetchStoreSignature;
  keyring: OpenPGPKeyring;
  now?: Date;
}

interface StoreWalk {
  attempts: SignatureAttempt[];
  verified: VerifiedBlob[];
  /** True when a fetch failed: the store's answer is not definitive. */
  failed: boolean;
}

async function walkStore(base: string, digest: Digest, options: CollectOptions): Promise<StoreWalk> {
  const walk: StoreWalk = { attempts: [], verified: [], failed: false };
  for (let n = 1; n <= MAX_STORE_SIGNATURES; n++) {
    const url = toStoreSignatureUrl(base, digest, n);
    let fetched;
    try {
      fetched = await options.fetch(url);
    } catch (err) {
      fetched = { kind: 'error' as const, source: url, reason: describeError(err) };
    }
    const source = fetched.source || url;
    if (fetched.kind === 'not-found') break;
    if (fetched.kind === 'error') {
      walk.failed = true;
      walk.attempts.push({ source, outcome: 'error', reason: fetched.reason });
      continue;
    }
    const verdict = await verifyOpenPGPSignature(fetched.value, digest, options.keyring, options.now ? { now: options.now } : {});
    if (verdict.ok) walk.verified.push({ bytes: fetched.value, source, verdict });
    walk.attempts.push(toSignatureAttempt(source, verdict));
  }
  return walk;
}

/** Reads and verifies the signatures of `digest` in every store (in parallel); never rejects for a network failure. */
export async function collectStoreSignatures(digest: Digest, options: CollectOptions): Promise<CollectedSignatures> {
  const d = toDigest(digest, 'signature digest');
  if (options.stores.length === 0) {
    throw new SigcheckError('CONFIG', 'no OpenPGP signature store is configured; pass --signature-store URL or keep the default Red Hat stores');
  }
  const walks = await Promise.all(options.stores.map((base) => walkStore(base, d, options)));
  const attempts = walks.flatMap((w) => w.attempts);
  const seen = new Set<string>();
  const signatures: VerifiedBlob[] = [];
  for (const blob of walks.flatMap((w) => w.verified)) {
    const hash = createHash('sha256').update(blob.bytes).digest('hex');
    if (seen.has(hash)) continue;
    seen.add(hash);
    signatures.push(blob);
  }
  const stores = options.stores.join(', ');
  if (signatures.length > 0) {
    const signers = [...new Set(signatures.map((s) => s.verdict.signer.keyName))].join(', ');
    return { digest: d, outcome: 'verified', reason: `${signatures.length} verified signature(s) of ${d}, signed by ${signers}`, signatures, attempts };
  }
  // A store whose every fetch was answered decides; a failed fetch might have been the valid signature.
  const definitive = walks.filter((w) => !w.failed);
  if (definitive.length > 0) {
    const invalid = definitive.flatMap((w) => w.attempts).filter((a) => a.outcome === 'invalid');
    if (invalid.length > 0) {
      const codes = [...new Set(invalid.map((a) => a.reason.split(':')[0]))].join(', ');
      return { digest: d, outcome: 'invalid', reason: `${invalid.length} signature(s) of ${d} in ${stores}, none valid (${codes}; each listed in the attempts); nothing was written`, signatures, attempts };
    }
    return { digest: d, outcome: 'missing', reason: `no signature of ${d} in ${stores}; nothing was written. Check the digest, or that the release has been signed`, signatures, attempts };
  }
  const last = attempts.filter((a) => a.outcome === 'error').at(-1);
  return {
    digest: d,
    outcome: 'error',
    reason: `could not read the signatures of ${d}: ${last ? `${last.source}: ${last.reason}` : 'no store answered'}; nothing was written. Re-run later, or check access to ${stores}`,
    signatures,
    attempts,
  };
}
