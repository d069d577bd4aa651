/**
 * The verdict for one digest from the signatures signature ConfigMaps hold for it, as the
 * cluster-version operator of a disconnected cluster reaches it (library-go store/configmap): it tries
 * every binaryData key `sha256-<hex>...` of every ConfigMap it lists (openshift-config-managed, the
 * verification-signatures label), each value read whole, until one verifies. A signature that verifies
 * in a ConfigMap the operator never lists does not count (operatorReadsConfigMap).
 *
 * One implementation for `configmap FILE...` and `mirror --configmaps`: both call this. Pure (no I/O).
 */
import type { Digest } from '../model/digest.ts';
import type { CheckResult, SignatureAttempt } from '../model/results.ts';
import { describeVerified, toSignatureAttempt } from './check.ts';
import { operatorReadsConfigMap, type ConfigMapSignature } from './configmap.ts';
import type { OpenPGPKeyring } from './keys.ts';
import { verifyOpenPGPSignature, type OpenPGPVerdict } from './verify.ts';

export interface JudgedConfigMapSignature {
  entry: ConfigMapSignature;
  /** The verdict as reported; `invalid` (with the reason) for a valid signature the operator never reads. */
  attempt: SignatureAttempt;
  /** The verifier's verdict, when the value could be decoded. */
  verdict?: OpenPGPVerdict;
  /** Why the operator never reads this ConfigMap, when it does not. */
  unread?: string;
  warning?: string;
}

export interface ConfigMapJudgement {
  /** verified, or invalid (signatures exist, none counts); callers decide `missing` when there are none. */
  result: CheckResult;
  signatures: JudgedConfigMapSignature[];
}

/** Judges every signature of `digest` (all of them, for reports), then the digest. `entries` must be non-empty. */
export async function judgeConfigMapSignatures(digest: Digest, entries: readonly ConfigMapSignature[], keyring: OpenPGPKeyring, options: { now?: Date } = {}): Promise<ConfigMapJudgement> {
  const signatures: JudgedConfigMapSignature[] = [];
  for (const entry of entries) {
    const reads = operatorReadsConfigMap(entry);
    const judged: Partial<JudgedConfigMapSignature> = { entry };
    if (!reads.reads) judged.unread = reads.reason;
    else if (reads.warning) judged.warning = reads.warning;
    if (!entry.bytes) {
      judged.attempt = { source: entry.source, outcome: 'invalid', reason: `MALFORMED: ${entry.problem ?? 'no signature bytes'}`, code: 'MALFORMED' };
      signatures.push(judged as JudgedConfigMapSignature);
      continue;
    }
    // The ConfigMap store hands the operator the whole value (no 50 KiB LimitReader there).
    const verdict = await verifyOpenPGPSignature(entry.bytes, digest, keyring, { readLimit: entry.bytes.length, ...(options.now ? { now: options.now } : {}) });
    judged.verdict = verdict;
    const attempt = toSignatureAttempt(entry.source, verdict);
    if (verdict.ok && judged.unread) {
      attempt.outcome = 'invalid';
      attempt.code = 'NOT_READ_BY_OPERATOR';
      attempt.reason = `${describeVerified(verdict)}, but ${judged.unread}`;
    }
    judged.attempt = attempt;
    signatures.push(judged as JudgedConfigMapSignature);
  }

  const counted = signatures.find((s) => s.attempt.outcome === 'verified');
  if (counted) {
    const verdict = counted.verdict as Extract<OpenPGPVerdict, { ok: true }>;
    return {
      result: {
        outcome: 'verified',
        reason: `${describeVerified(verdict)} (${counted.entry.source})${counted.warning ? `; note: ${counted.warning}` : ''}`,
        source: counted.entry.source,
        signer: verdict.signer.keyName,
        identity: verdict.identity,
        digests: [digest],
      },
      signatures,
    };
  }
  const attempts = signatures.map((s) => s.attempt);
  const unreadVerified = signatures.find((s) => s.verdict?.ok && s.unread);
  const details = attempts.map((a) => `${a.source}: ${a.reason}`).join('; ');
  return {
    result: {
      outcome: 'invalid',
      reason: unreadVerified
        ? `the signature of ${digest} verifies, but the cluster-version operator will not read it: ${unreadVerified.unread}${attempts.length > 1 ? ` (all ${attempts.length}: ${details})` : ''}`
        : `${attempts.length} signature(s) of ${digest} in the ConfigMaps, none valid (${details}); the cluster-version operator will refuse this update`,
      source: (unreadVerified ?? signatures[0]!).entry.source,
      digests: [digest],
      attempts,
    },
    signatures,
  };
}
