/**
 * Writes the signature ConfigMap of a digest, exactly as the cluster-version operator reads it
 * (src/openpgp/configmap.ts toSignatureConfigMap: name `sha256-<hex>`, namespace
 * openshift-config-managed, label release.openshift.io/verification-signatures, binaryData keys
 * `sha256-<hex>-1`, `-2`, ...), from signatures that were verified first. The file is
 * `signature-sha256-<16 hex>.yaml`, the name `oc adm release mirror --to-dir` gives it, written
 * atomically (a temporary file renamed into place).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toDigest, type Digest } from '../model/digest.ts';
import { formatSignatureConfigMap, toSignatureConfigMap, type SignatureConfigMap } from '../openpgp/configmap.ts';
import type { VerifiedBlob } from './collect.ts';
import { toConfigMapFileName } from './remedy.ts';

export interface WrittenConfigMap {
  file: string;
  configMap: SignatureConfigMap;
}

/** Writes the ConfigMap of `digest` holding `signatures` (every one already verified) into `dir`. */
export async function writeSignatureConfigMap(dir: string, digest: Digest, signatures: readonly VerifiedBlob[]): Promise<WrittenConfigMap> {
  const d = toDigest(digest, 'ConfigMap digest');
  if (signatures.length === 0) throw new Error(`internal error: no verified signature of ${d} to write`);
  const configMap = toSignatureConfigMap(d, signatures.map((s) => s.bytes));
  await mkdir(dir, { recursive: true });
  const file = join(dir, toConfigMapFileName(d));
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, formatSignatureConfigMap(configMap, 'yaml'), { mode: 0o644 });
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
  return { file, configMap };
}
