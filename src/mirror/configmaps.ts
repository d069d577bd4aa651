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
import { operatorReadsConfigMap, readSignatureConfigMaps, type ConfigMapReadResult, type ConfigMapSignature } from '../openpgp/configmap.ts';
import { judgeConfigMapSignatures } from '../openpgp/configmap-judge.ts';
import type { OpenPGPKeyring } from '../openpgp/keys.ts';
import type { CheckResult } from '../model/results.ts';

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

/** Groups the signatures read by digest, marking those the operator would not read (operatorReadsConfigMap). Pure. */
export function indexConfigMaps(read: ConfigMapReadResult, paths: readonly string[]): ConfigMapIndex {
  const byDigest = new Map<Digest, IndexedSignature[]>();
  for (const entry of read.signatures) {
    const indexed: IndexedSignature = { ...entry };
    const reads = operatorReadsConfigMap(entry);
    if (!reads.reads) indexed.unread = reads.reason;
    else if (reads.warning) indexed.warning = reads.warning;
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
 * The verdict for `digest` from the ConfigMaps: missing when no key of the digest exists, else the
 * shared judgement (judgeConfigMapSignatures), which `configmap FILE` uses too. No I/O.
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
  return (await judgeConfigMapSignatures(d, entries, keyring, options)).result;
}
