/**
 * Public keys trusted for Sigstore signatures. A key is read like containers/image reads `keyData` /
 * `keyPath` (sigstore cryptoutils.UnmarshalPEMToPublicKey: the first PEM block, `PUBLIC KEY` (PKIX) or
 * `RSA PUBLIC KEY` (PKCS#1)) and named by the sha256 of its SubjectPublicKeyInfo DER, the fingerprint
 * cosign and Rekor use.
 *
 * Accepted, as sigstore/sigstore LoadVerifier accepts them for CRI-O (pkg/signature/verifier.go): RSA
 * (verified with PKCS#1 v1.5 + SHA-256), ECDSA on P-256, P-384 and P-521 (SHA-256), and Ed25519 (pure
 * Ed25519, no prehash). Refused with a CONFIG error: RSA-PSS-only keys and anything else, which CRI-O
 * cannot load either.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { readRegularFile } from '../fs/regular-file.ts';
import { SigcheckError, describeError } from '../model/errors.ts';
import { REDHAT_RELEASE_3_PEM } from '../trust/baked-keys.ts';
import { decodeFirstPem } from './encoding.ts';

export type KeyAlgorithm = 'rsa' | 'ecdsa' | 'ed25519';

export interface TrustedKey {
  /** Where the key came from, for reports: `Red Hat release key 3`, a file path, a policy name. */
  name: string;
  /** `sha256:<hex>` of the SubjectPublicKeyInfo DER. */
  fingerprint: string;
  algorithm: KeyAlgorithm;
  /** `RSA-4096`, `ECDSA P-256`. */
  description: string;
  key: KeyObject;
  /** SubjectPublicKeyInfo DER, as Go's x509.MarshalPKIXPublicKey writes it (compared with Rekor entries). */
  spki: Buffer;
}

export const REDHAT_RELEASE_3_NAME = 'Red Hat release key 3';

const CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

export function fingerprintOf(key: KeyObject): string {
  return `sha256:${createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

/** A short form for one-line reports: the first 16 hex digits of the fingerprint. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 'sha256:'.length + 16);
}

/** How a key is shown in reports: `Red Hat release key 3 (RSA-4096, sha256:3f2b…)`. */
export function describeKey(key: TrustedKey): string {
  return `${key.name} (${key.description}, ${shortFingerprint(key.fingerprint)})`;
}

/** Describes a KeyObject the tool can verify with, or says why it cannot. */
export function classifyKey(key: KeyObject): { ok: true; algorithm: KeyAlgorithm; description: string } | { ok: false; reason: string } {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return { ok: true, algorithm: 'rsa', description: `RSA-${bits}` };
  }
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    const name = CURVES[curve];
    if (!name) return { ok: false, reason: `ECDSA curve ${curve || '(unknown)'} is not supported (P-256, P-384 or P-521)` };
    return { ok: true, algorithm: 'ecdsa', description: `ECDSA ${name}` };
  }
  if (type === 'ed25519') return { ok: true, algorithm: 'ed25519', description: 'Ed25519' };
  if (type === 'rsa-pss') return { ok: false, reason: 'RSA-PSS keys are not supported: containers/image cannot parse them, and CRI-O verifies RSA signatures with PKCS#1 v1.5' };
  return { ok: false, reason: `${type ?? 'unknown'} keys are not supported by CRI-O's verifier (RSA, ECDSA P-256/P-384/P-521, Ed25519)` };
}

/**
 * Reads a PEM public key. `where` names it in errors (a file, a policy field). Throws CONFIG when the
 * text holds no usable public key.
 */
export function toTrustedKey(pem: string | Uint8Array, name: string, where = name): TrustedKey {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('latin1');
  const block = decodeFirstPem(text);
  if (!block) throw new SigcheckError('CONFIG', `${where}: no PEM block found; expected a public key starting with -----BEGIN PUBLIC KEY-----`);
  if (block.type !== 'PUBLIC KEY' && block.type !== 'RSA PUBLIC KEY') {
    throw new SigcheckError('CONFIG', `${where}: the PEM block is "${block.type}", expected "PUBLIC KEY" (or "RSA PUBLIC KEY")`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: block.bytes, format: 'der', type: block.type === 'PUBLIC KEY' ? 'spki' : 'pkcs1' });
  } catch (err) {
    throw new SigcheckError('CONFIG', `${where}: the public key cannot be parsed: ${describeError(err)}`, { cause: err });
  }
  const kind = classifyKey(key);
  if (!kind.ok) throw new SigcheckError('CONFIG', `${where}: ${kind.reason}`);
  const spki = key.export({ type: 'spki', format: 'der' });
  return {
    name,
    fingerprint: `sha256:${createHash('sha256').update(spki).digest('hex')}`,
    algorithm: kind.algorithm,
    description: kind.description,
    key,
    spki,
  };
}

/** Reads a PEM public key file (`--sigstore-key FILE`). */
export async function loadKeyFile(path: string): Promise<TrustedKey> {
  const bytes = await readRegularFile(path, { maxBytes: 64 * 1024, what: '--sigstore-key' });
  return toTrustedKey(bytes, path, `--sigstore-key ${path}`);
}

/** Red Hat release key 3 (RSA-4096), the key of the `openshift` ClusterImagePolicy OpenShift ships. */
let bakedKey: TrustedKey | undefined;
export function redHatReleaseKey3(): TrustedKey {
  bakedKey ??= toTrustedKey(REDHAT_RELEASE_3_PEM, REDHAT_RELEASE_3_NAME);
  return bakedKey;
}
