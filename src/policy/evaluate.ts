/**
 * The decision CRI-O makes for one image under a node's policy.json and registries.d, as
 * containers/image makes it (signature/policy_eval.go IsRunningImageAllowed, policy_eval_simple.go,
 * policy_eval_signedby.go, policy_eval_sigstore.go, policy_eval_baselayer.go):
 *
 *  - the requirements of the most specific scope (scope.ts) are evaluated in order and every one
 *    must allow the image; the first that denies decides;
 *  - insecureAcceptAnything allows without reading signatures; reject denies; signedBaseLayer denies
 *    ("not implemented yet"); a signedBy keyType other than GPGKeys denies every signature;
 *  - signedBy: the simple-signing signatures (lookaside, never the `.sig` tag); one that passes
 *    suffices: it verifies under one of the requirement's keys (the project's OpenPGP verifier),
 *    its payload parses as containers/image parses it (simple-payload.ts), signs the image's
 *    digest, and its identity passes the signedIdentity rule (matchRepoDigestOrExact by default);
 *  - sigstoreSigned: the sigstore signatures of media type simplesigning (the `.sig` tag where
 *    registries.d enables attachments, and sigstore-json lookaside blobs); one that passes suffices,
 *    judged by src/sigstore/verify.ts (annotation, Rekor SET when configured, signature, payload,
 *    digest, identity);
 *  - no signature of the needed kind: "A signature was required, but no signature exists" (missing).
 *
 * What this tool cannot evaluate is said so (code UNSUPPORTED), never verified: Fulcio (keyless) and
 * PKI roots of trust, Ed25519 keys. A requirement that cannot be decided (a transport failure) is
 * `error`; a later requirement that denies still makes the decision `invalid`, since the cluster
 * would deny whatever the undecided one said.
 *
 * No I/O: signatures are read through the PolicySources interface (signatures.ts).
 */
import type { Digest } from '../model/digest.ts';
import type { SignatureAttempt } from '../model/results.ts';
import type { OpenPGPKeyring } from '../openpgp/keys.ts';
import { verifyOpenPGPSignedData } from '../openpgp/verify.ts';
import type { SigstoreRequirement } from '../sigstore/policy.ts';
import { describeIdentityRule } from '../sigstore/policy.ts';
import { matchIdentity, referenceString, type DockerReference, type IdentityMatch } from '../sigstore/reference.ts';
import { SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE, verifySignatureLayer } from '../sigstore/verify.ts';
import type { PolicyJson, PolicyRequirement } from './policy-json.ts';
import type { RegistriesD } from './registries-d.ts';
import { describeScope, type ScopeMatch } from './scope.ts';
import { MAX_LOOKASIDE_SIGNATURE_BYTES, readSignatures, type PolicySources, type ReadSignature, type SignatureRead } from './signatures.ts';
import { parseSimpleSigningClaims } from './simple-payload.ts';

/** A requirement with its key material loaded (trust.ts). */
export interface ResolvedRequirement {
  requirement: PolicyRequirement;
  /** signedBy: a keyring of exactly the requirement's keys (possibly none). */
  openpgp?: OpenPGPKeyring;
  /** sigstoreSigned with public keys, in the form src/sigstore/verify.ts takes. */
  sigstore?: SigstoreRequirement;
  /** Why this tool cannot evaluate it (Fulcio, PKI, a key type it cannot verify with). */
  unsupported?: string;
}

export type RequirementOutcome = 'pass' | 'deny' | 'error' | 'unsupported';

export type RequirementCode =
  /** insecureAcceptAnything */
  | 'ACCEPT_ANYTHING'
  /** a signature passed */
  | 'SIGNATURE_ACCEPTED'
  /** reject */
  | 'REJECT'
  /** signedBaseLayer, or a signedBy keyType containers/image does not implement */
  | 'NOT_IMPLEMENTED'
  /** no signature of the kind the requirement reads */
  | 'NO_SIGNATURE'
  /** signatures exist, none passes */
  | 'SIGNATURES_REJECTED'
  /** reading the signatures failed in a way every read fails (the cluster rejects) */
  | 'SIGNATURES_UNREADABLE'
  /** reading the signatures failed (transport): undecided */
  | 'READ_ERROR'
  /** this tool cannot evaluate the requirement */
  | 'UNSUPPORTED';

export interface RequirementVerdict {
  /** JSON path of the requirement, e.g. `transports.docker["quay.io/x"][0]`. */
  at: string;
  type: PolicyRequirement['type'];
  outcome: RequirementOutcome;
  code: RequirementCode;
  reason: string;
  attempts: SignatureAttempt[];
  accepted?: { source: string; signer?: string; identity?: string };
}

export type PolicyVerdictCode =
  /** every requirement passed, at least one on a signature */
  | 'ALLOWED'
  /** every requirement is insecureAcceptAnything: allowed without signatures */
  | 'ALLOWED_UNSIGNED'
  | 'REJECTED'
  | 'NO_SIGNATURE'
  | 'SIGNATURES_REJECTED'
  | 'SIGNATURES_UNREADABLE'
  | 'READ_ERROR'
  | 'UNSUPPORTED';

export interface PolicyVerdict {
  outcome: 'verified' | 'missing' | 'invalid' | 'error';
  code: PolicyVerdictCode;
  reason: string;
  scope: ScopeMatch;
  requirements: RequirementVerdict[];
  /** The signature that passed (the first requirement that read one). */
  accepted?: { source: string; signer?: string; identity?: string };
  attempts: SignatureAttempt[];
}

export interface EvaluateInput {
  policy: PolicyJson;
  registriesD: RegistriesD;
  /** The reference CRI-O was asked to pull: it selects the scope and is what identities must match. */
  intended: DockerReference;
  /** Where the image is read from (a mirror, or `intended` itself): its registries.d entries apply. */
  physical: DockerReference;
  /** The digest of the manifest verified (an instance's, for a manifest list). */
  digest: Digest;
  scope: ScopeMatch;
  /** The scope's requirements with their keys, in order. */
  requirements: readonly ResolvedRequirement[];
}

const WEAK_CODES = new Set(['WEAK_HASH', 'WEAK_KEY']);

function verdict(at: string, type: PolicyRequirement['type'], outcome: RequirementOutcome, code: RequirementCode, reason: string, attempts: SignatureAttempt[] = []): RequirementVerdict {
  return { at, type, outcome, code, reason, attempts };
}

export type SimpleSignatureVerdict =
  | { ok: true; reason: string; signer: string; identity: string }
  | { ok: false; code: string; reason: string; signer?: string; identity?: string };

/**
 * One OpenPGP simple-signing signature as containers/image judges it (signature/simple.go
 * verifyAndExtractSignature): the signature verifies under one of `keyring`'s keys (a subkey counts
 * as its primary key), the payload parses strictly (simple-payload.ts), it signs exactly `digest`,
 * and `identity` accepts its docker-reference.
 */
export async function judgeSimpleSignature(blob: Uint8Array, keyring: OpenPGPKeyring, expected: { digest: string; identity: (signed: string) => IdentityMatch; describeRule?: string }): Promise<SimpleSignatureVerdict> {
  const verified = await verifyOpenPGPSignedData(blob, keyring, { maxBytes: MAX_LOOKASIDE_SIGNATURE_BYTES });
  if (!verified.ok) {
    const stricter = WEAK_CODES.has(verified.code) ? ' (containers/image would accept it; this tool refuses weak hashes and keys deliberately)' : '';
    return { ok: false, code: verified.code, reason: `${verified.reason}${stricter}` };
  }
  const signer = verified.signer.keyName;
  const unreadable = unreadableByXCrypto(keyring, verified.signer.fingerprint, verified.signer.signingKeyFingerprint);
  if (unreadable) return { ok: false, code: 'UNUSABLE_KEY', reason: `signed by ${signer} with an ${unreadable} key, which containers/image's OpenPGP mechanism (golang.org/x/crypto/openpgp) cannot read, so it accepts no signature of it` };
  const claims = parseSimpleSigningClaims(verified.payload);
  if (!claims.ok) return { ok: false, code: 'PAYLOAD_INVALID', reason: `valid signature by ${signer}, but ${claims.reason}`, signer };
  const { dockerManifestDigest, dockerReference } = claims.claims;
  if (dockerManifestDigest !== expected.digest) {
    return { ok: false, code: 'DIGEST_MISMATCH', reason: `valid signature by ${signer} of ${dockerManifestDigest}, not of the image ${expected.digest}`, signer, identity: dockerReference };
  }
  const identity = expected.identity(dockerReference);
  if (!identity.ok) return { ok: false, code: 'IDENTITY_MISMATCH', reason: `valid signature by ${signer}, but ${identity.reason}${expected.describeRule ? ` (${expected.describeRule})` : ''}`, signer, identity: dockerReference };
  return { ok: true, reason: `verified by ${signer}; ${identity.reason}`, signer, identity: dockerReference };
}

/** Public-key algorithms golang.org/x/crypto/openpgp does not implement (it skips such keys when reading a keyring). */
const X_CRYPTO_UNREADABLE = new Set(['eddsaLegacy', 'ed25519', 'ed448', 'x25519', 'x448']);

/** The algorithm that keeps x/crypto from reading the trusted key or the key that signed, if any. */
function unreadableByXCrypto(keyring: OpenPGPKeyring, primary: string, signing: string): string | undefined {
  const trusted = keyring.keys.find((k) => k.fingerprint === primary);
  if (!trusted) return undefined;
  for (const key of trusted.key.getKeys()) {
    const fingerprint = key.getFingerprint().toUpperCase();
    if (fingerprint !== primary && fingerprint !== signing.toUpperCase()) continue;
    const algorithm = key.getAlgorithmInfo().algorithm;
    if (X_CRYPTO_UNREADABLE.has(algorithm)) return algorithm === 'eddsaLegacy' ? 'EdDSA' : algorithm;
  }
  return undefined;
}

/** One signedBy signature (isSignatureAuthorAccepted). */
async function signedBySignature(r: ResolvedRequirement, sig: Extract<ReadSignature, { format: 'simple-signing' }>, input: EvaluateInput): Promise<SignatureAttempt> {
  const req = r.requirement as Extract<PolicyRequirement, { type: 'signedBy' }>;
  const attempt = (outcome: SignatureAttempt['outcome'], reason: string, extra: Partial<SignatureAttempt> = {}): SignatureAttempt => ({ source: sig.source, outcome, reason, ...extra });
  if (req.keyType !== 'GPGKeys') return attempt('invalid', `NOT_IMPLEMENTED: containers/image does not implement signedBy keyType ${JSON.stringify(req.keyType)} and rejects every signature`);
  const keyring = r.openpgp;
  if (!keyring || keyring.keys.length === 0) return attempt('invalid', `NO_KEYS: ${req.keys.at} imports no public key, so containers/image accepts no signature ("No public keys imported")`);
  const v = await judgeSimpleSignature(sig.blob, keyring, {
    digest: input.digest,
    identity: (signed) => matchIdentity(req.signedIdentity, input.intended, signed),
    describeRule: `rule ${describeIdentityRule(req.signedIdentity)} for ${referenceString(input.intended)}`,
  });
  const extra = { ...(v.signer ? { signer: v.signer } : {}), ...(v.identity ? { identity: v.identity } : {}) };
  return v.ok ? attempt('verified', v.reason, extra) : attempt('invalid', `${v.code}: ${v.reason}`, extra);
}

/** One sigstoreSigned signature (isSignatureAccepted). */
function sigstoreSignature(r: ResolvedRequirement, sig: Extract<ReadSignature, { format: 'sigstore' }>, input: EvaluateInput): SignatureAttempt | 'unsupported' {
  if (!r.sigstore) {
    // Fulcio / PKI / an unverifiable key: containers/image first wants the signature annotation.
    if (sig.annotations[SIGNATURE_ANNOTATION] === undefined) return { source: sig.source, outcome: 'invalid', reason: `MISSING_ANNOTATION: missing ${SIGNATURE_ANNOTATION} annotation` };
    return 'unsupported';
  }
  const v = verifySignatureLayer({ mediaType: sig.mediaType, annotations: sig.annotations, payload: sig.payload }, r.sigstore, { imageDigest: input.digest, intended: input.intended });
  const out: SignatureAttempt = { source: sig.source, outcome: v.code === 'VERIFIED' ? 'verified' : 'invalid', reason: v.code === 'VERIFIED' ? v.reason : `${v.code}: ${v.reason}` };
  if (v.signer) out.signer = v.signer;
  if (v.identity) out.identity = v.identity;
  return out;
}

function summarizeRejections(attempts: readonly SignatureAttempt[]): string {
  if (attempts.length === 1) return attempts[0]!.reason;
  return `none of the ${attempts.length} signatures was accepted: ${attempts.map((a, i) => `${i + 1}. ${a.source}: ${a.reason}`).join('; ')}`;
}

async function evaluateRequirement(r: ResolvedRequirement, input: EvaluateInput, signatures: () => Promise<SignatureRead>): Promise<RequirementVerdict> {
  const req = r.requirement;
  const at = req.at;
  switch (req.type) {
    case 'insecureAcceptAnything':
      return verdict(at, req.type, 'pass', 'ACCEPT_ANYTHING', `${at} is insecureAcceptAnything: any image is allowed, signed or not`);
    case 'reject':
      return verdict(at, req.type, 'deny', 'REJECT', `${at} is reject: every image is refused`);
    case 'signedBaseLayer':
      return verdict(at, req.type, 'deny', 'NOT_IMPLEMENTED', `${at} is signedBaseLayer, which containers/image does not implement: it refuses every image ("signedBaseLayer not implemented yet!")`);
    default:
      break;
  }
  const read = await signatures();
  if (!read.ok) {
    const notes = read.notes.length > 0 ? ` (${read.notes.join('; ')})` : '';
    return read.deterministic
      ? verdict(at, req.type, 'deny', 'SIGNATURES_UNREADABLE', `${read.reason}${notes}`)
      : verdict(at, req.type, 'error', 'READ_ERROR', `${read.reason}${notes}`);
  }
  const attempts: SignatureAttempt[] = [];
  let unsupported = 0;
  let considered = 0;
  const skipped = { other: 0, nonSignature: 0 };
  for (const sig of read.signatures) {
    let a: SignatureAttempt | 'unsupported';
    if (req.type === 'signedBy') {
      if (sig.format !== 'simple-signing') continue;
      considered++;
      a = await signedBySignature(r, sig, input);
    } else {
      if (sig.format !== 'sigstore') {
        skipped.other++;
        continue;
      }
      if (sig.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) {
        skipped.nonSignature++;
        continue;
      }
      considered++;
      a = sigstoreSignature(r, sig, input);
    }
    if (a === 'unsupported') {
      unsupported++;
      continue;
    }
    attempts.push(a);
    if (a.outcome === 'verified') {
      const accepted: RequirementVerdict['accepted'] = { source: a.source, ...(a.signer ? { signer: a.signer } : {}), ...(a.identity ? { identity: a.identity } : {}) };
      return { ...verdict(at, req.type, 'pass', 'SIGNATURE_ACCEPTED', `${at} (${req.type}): ${a.source}: ${a.reason}`, attempts), accepted };
    }
  }
  const kind = req.type === 'signedBy' ? 'OpenPGP simple-signing signature (registries.d lookaside)' : `sigstore signature (${SIMPLE_SIGNING_MEDIA_TYPE})`;
  if (considered === 0) {
    const counts = req.type === 'signedBy' ? (read.signatures.length > 0 ? ` (${read.signatures.length} sigstore signature(s) found, which signedBy does not read)` : '') : skipped.other + skipped.nonSignature > 0 ? ` (${skipped.other} non-sigstore signature(s), ${skipped.nonSignature} sigstore non-signature attachment(s))` : '';
    const notes = read.notes.length > 0 ? `; ${read.notes.join('; ')}` : '';
    return verdict(at, req.type, 'deny', 'NO_SIGNATURE', `${at} (${req.type}) needs a ${kind}, but no signature exists${counts}${notes}`);
  }
  if (unsupported > 0) {
    return verdict(at, req.type, 'unsupported', 'UNSUPPORTED', `${at} (${req.type}): ${r.unsupported ?? 'this tool cannot evaluate this requirement'}; ${unsupported} signature(s) could not be judged${attempts.length > 0 ? `, and ${summarizeRejections(attempts)}` : ''}`, attempts);
  }
  return verdict(at, req.type, 'deny', 'SIGNATURES_REJECTED', `${at} (${req.type}): ${summarizeRejections(attempts)}`, attempts);
}

const DENY_OUTCOME: Record<string, PolicyVerdict['outcome']> = { NO_SIGNATURE: 'missing' };

/** Decides whether CRI-O runs the image. Never throws for bad signatures: every failure is a verdict. */
export async function evaluatePolicy(input: EvaluateInput, sources: PolicySources): Promise<PolicyVerdict> {
  const scopeText = describeScope(input.policy, input.scope);
  let cached: Promise<SignatureRead> | undefined;
  const signatures = () => (cached ??= readSignatures({ physical: input.physical, digest: input.digest, registriesD: input.registriesD }, sources));
  const verdicts: RequirementVerdict[] = [];
  const base = (outcome: PolicyVerdict['outcome'], code: PolicyVerdictCode, reason: string): PolicyVerdict => ({
    outcome,
    code,
    reason,
    scope: input.scope,
    requirements: verdicts,
    attempts: verdicts.flatMap((v) => v.attempts),
  });
  for (const r of input.requirements) {
    if (r.unsupported && r.requirement.type !== 'sigstoreSigned') {
      verdicts.push(verdict(r.requirement.at, r.requirement.type, 'unsupported', 'UNSUPPORTED', `${r.requirement.at} (${r.requirement.type}): ${r.unsupported}`));
      continue;
    }
    const v = await evaluateRequirement(r, input, signatures);
    verdicts.push(v);
    if (v.outcome === 'deny') {
      const code: PolicyVerdictCode = v.code === 'REJECT' || v.code === 'NOT_IMPLEMENTED' ? 'REJECTED' : (v.code as PolicyVerdictCode);
      return base(DENY_OUTCOME[v.code] ?? 'invalid', code, `CRI-O refuses ${referenceString(input.intended)} under ${scopeText}: ${v.reason}`);
    }
  }
  const undecided = verdicts.filter((v) => v.outcome === 'error');
  if (undecided.length > 0) return base('error', 'READ_ERROR', `could not decide ${referenceString(input.intended)} under ${scopeText}: ${undecided.map((v) => v.reason).join('; ')}`);
  const unsupported = verdicts.filter((v) => v.outcome === 'unsupported');
  if (unsupported.length > 0) {
    return base('error', 'UNSUPPORTED', `UNSUPPORTED: cannot evaluate ${referenceString(input.intended)} under ${scopeText}, this is not a verdict: ${unsupported.map((v) => v.reason).join('; ')}`);
  }
  const accepted = verdicts.find((v) => v.accepted)?.accepted;
  if (!accepted) {
    return base('verified', 'ALLOWED_UNSIGNED', `CRI-O runs ${referenceString(input.intended)} without checking any signature: ${scopeText} is insecureAcceptAnything`);
  }
  const result = base('verified', 'ALLOWED', `CRI-O runs ${referenceString(input.intended)} under ${scopeText}: ${verdicts.map((v) => v.reason).join('; ')}`);
  result.accepted = accepted;
  return result;
}
