/**
 * The OpenPGP side of a disconnected cluster: signature ConfigMaps (what `oc adm release mirror` and
 * oc-mirror write, read by src/openpgp/configmap.ts), indexed by digest, and the verdict for one
 * release digest as the cluster-version operator would reach it from those ConfigMaps alone
 * (library-go store/configmap: every binaryData key starting with `sha256-<hex>` of a ConfigMap in
 * openshift-config-managed labelled release.openshift.io/verification-signatures).
 *
 * A signature that verifies but sits in a ConfigMap the operator never lists (no label, another
 * namespace) does not count: the cluster would refuse the update all the same.
 */
import { toConfigMapKeyPrefix, toDigest, type Digest } from '../model/digest.ts';
import {
  readSignatureConfigMaps,
  SIGNATURE_CONFIGMAP_LABEL,
  SIGNATURE_CONFIGMAP_NAMESPACE,
  type ConfigMapReadResult,
  type ConfigMapSignature,
} from '../openpgp/configmap.ts';
import { describeVerified } from '../openpgp/check.ts';
import type { OpenPGPKeyring } from '../openpgp/keys.ts';
import { verifyOpenPGPSignature } from '../openpgp/verify.ts';
import type { CheckResult, SignatureAttempt } from '../model/results.ts';

export interface IndexedSignature extends ConfigMapSignature {
  /** Why the cluster-version operator would never read this signature's ConfigMap; absent when it would. */
  unread?: string;
  /** Something to know that does not stop the operator (e.g. no namespace in the file). */
  warning?: string;
}

export interface ConfigMapIndex {
  /** The paths given (files and directories). */
  paths: string[];
  files: string[];
  notes: string[];
  signatures: number;
  byDigest: Map<Digest, IndexedSignature[]>;
}

/** `<where>: ConfigMap <ns/name>`: the label the reader prefixes its notes with for one ConfigMap. */
function configMapLabel(entry: ConfigMapSignature): string {
  const suffix = ` key ${entry.key}`;
  return entry.source.endsWith(suffix) ? entry.source.slice(0, -suffix.length) : entry.source;
}

/** Groups the signatures read by digest, marking those the operator would not read. Pure. */
export function indexConfigMaps(read: ConfigMapReadResult, paths: readonly string[]): ConfigMapIndex {
  const byDigest = new Map<Digest, IndexedSignature[]>();
  for (const entry of read.signatures) {
    const label = configMapLabel(entry);
    const indexed: IndexedSignature = { ...entry };
    const [namespace] = entry.configMap.includes('/') ? entry.configMap.split('/') : [undefined];
    if (read.notes.includes(`${label}: lacks the label ${SIGNATURE_CONFIGMAP_LABEL}; the cluster-version operator only reads labelled ConfigMaps`)) {
      indexed.unread = `ConfigMap ${entry.configMap} in ${entry.file} lacks the label ${SIGNATURE_CONFIGMAP_LABEL}, and the cluster-version operator lists ConfigMaps by that label`;
    } else if (namespace !== undefined && namespace !== SIGNATURE_CONFIGMAP_NAMESPACE) {
      indexed.unread = `ConfigMap ${entry.configMap} in ${entry.file} is in namespace ${namespace}; the cluster-version operator reads ${SIGNATURE_CONFIGMAP_NAMESPACE} only`;
    } else if (namespace === undefined) {
      indexed.warning = `ConfigMap ${entry.configMap} in ${entry.file} names no namespace: apply it with -n ${SIGNATURE_CONFIGMAP_NAMESPACE}`;
    }
    const list = byDigest.get(entry.digest) ?? [];
    list.push(indexed);
    byDigest.set(entry.digest, list);
  }
  return { paths: [...paths], files: read.files, notes: read.notes, signatures: read.signatures.length, byDigest };
}

/** Reads ConfigMap files and directories (the `oc adm release mirror --to-dir` layout, oc-mirror output, single files). */
export async function loadConfigMapIndex(paths: readonly string[]): Promise<ConfigMapIndex> {
  return indexConfigMaps(await readSignatureConfigMaps(paths), paths);
}

/**
 * The verdict for `digest` from the ConfigMaps: verified when a signature verifies in a ConfigMap the
 * operator reads; invalid when signatures exist and none of them counts; missing when no key of the
 * digest exists. No I/O.
 */
export async function checkConfigMapSignatures(digest: Digest, index: ConfigMapIndex, keyring: OpenPGPKeyring, options: { now?: Date } = {}): Promise<CheckResult> {
  const d = toDigest(digest, 'ConfigMap check digest');
  const entries = index.byDigest.get(d) ?? [];
  const where = index.paths.join(', ');
  if (entries.length === 0) {
    return {
      outcome: 'missing',
      reason: `no signature ConfigMap in ${where} holds a signature of ${d} (no binaryData key ${toConfigMapKeyPrefix(d)}-N in ${index.files.length} file(s)); the cluster-version operator of a disconnected cluster will refuse this update`,
      source: where,
      digests: [d],
    };
  }
  const attempts: SignatureAttempt[] = [];
  let unreadVerified: { entry: IndexedSignature; reason: string } | undefined;
  for (const entry of entries) {
    if (!entry.bytes) {
      attempts.push({ source: entry.source, outcome: 'invalid', reason: `MALFORMED: ${entry.problem ?? 'no signature bytes'}` });
      continue;
    }
    const verdict = await verifyOpenPGPSignature(entry.bytes, d, keyring, options.now ? { now: options.now } : {});
    if (verdict.ok && !entry.unread) {
      const result: CheckResult = {
        outcome: 'verified',
        reason: `${describeVerified(verdict)} (${entry.source})${entry.warning ? `; note: ${entry.warning}` : ''}`,
        source: entry.source,
        signer: verdict.signer.keyName,
        identity: verdict.identity,
        digests: [d],
      };
      return result;
    }
    if (verdict.ok) {
      const reason = `${describeVerified(verdict)}, but ${entry.unread}`;
      unreadVerified ??= { entry, reason };
      attempts.push({ source: entry.source, outcome: 'invalid', reason, signer: verdict.signer.keyName, identity: verdict.identity });
      continue;
    }
    const attempt: SignatureAttempt = { source: entry.source, outcome: 'invalid', reason: `${verdict.code}: ${verdict.reason}` };
    if (verdict.signer) attempt.signer = verdict.signer.keyName;
    if (verdict.identity !== undefined) attempt.identity = verdict.identity;
    attempts.push(attempt);
  }
  const details = attempts.map((a) => `${a.source}: ${a.reason}`).join('; ');
  return {
    outcome: 'invalid',
    reason: unreadVerified
      ? `the signature of ${d} verifies, but the cluster-version operator will not read it: ${unreadVerified.entry.unread}${attempts.length > 1 ? ` (all ${attempts.length}: ${details})` : ''}`
      : `${attempts.length} signature(s) of ${d} in the ConfigMaps, none valid (${details}); the cluster-version operator will refuse this update`,
    source: (unreadVerified?.entry ?? entries[0]!).source,
    digests: [d],
    attempts,
  };
}
