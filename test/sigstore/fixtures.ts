/**
 * Readers for the shared Sigstore fixtures (test/fixtures/sigstore, read-only copies): containers/image
 * `signature-N` blobs (`0x00 "sigstore-json\n" {mimeType, payload (base64), annotations}`), their image
 * manifests, and the oc-mirror OCI layouts of `.sig` manifests captured from quay.io.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/paths.ts';
import type { Digest } from '../../src/model/digest.ts';
import { toTrustedKey, type TrustedKey } from '../../src/sigstore/keys.ts';
import { publicKeyPemFromRekorBundle } from '../../src/sigstore/rekor.ts';
import type { SignatureLayer } from '../../src/sigstore/verify.ts';

export const SIGSTORE_FIXTURES = join(FIXTURES, 'sigstore');
export const CI = join(SIGSTORE_FIXTURES, 'containers-image');
export const OC = join(SIGSTORE_FIXTURES, 'oc-mirror');

export function sha256Of(bytes: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function fixtureKey(path: string, name = path): TrustedKey {
  return toTrustedKey(readFileSync(path), name);
}

/** Parses a containers/image `signature-N` file into the layer it came from. */
export function readSignatureFile(path: string): SignatureLayer {
  const raw = readFileSync(path);
  const prefix = '\x00sigstore-json\n';
  if (raw.subarray(0, prefix.length).toString('latin1') !== prefix) throw new Error(`${path} is not a containers/image sigstore-json blob`);
  const json = JSON.parse(raw.subarray(prefix.length).toString('utf8')) as { mimeType: string; payload: string; annotations: Record<string, string> };
  return { mediaType: json.mimeType, payload: Buffer.from(json.payload, 'base64'), annotations: json.annotations };
}

export interface CiFixtureDir {
  name: string;
  dir: string;
  /** sha256 of manifest.json; undefined when the directory has none. */
  manifestDigest?: Digest;
  signatures: { file: string; layer: SignatureLayer }[];
}

export function readCiDir(name: string): CiFixtureDir {
  const dir = join(CI, name);
  const manifestPath = join(dir, 'manifest.json');
  const out: CiFixtureDir = {
    name,
    dir,
    signatures: readdirSync(dir)
      .filter((f) => f.startsWith('signature-'))
      .sort()
      .map((file) => ({ file, layer: readSignatureFile(join(dir, file)) })),
  };
  if (existsSync(manifestPath)) out.manifestDigest = sha256Of(readFileSync(manifestPath));
  return out;
}

export interface OcMirrorLayout {
  name: string;
  dir: string;
  /** The digest the `.sig` belongs to (from the directory name, or the payload for single-arch). */
  digest: Digest;
  manifestDigest: Digest;
  manifest: Uint8Array;
  layer: { mediaType: string; digest: string; annotations: Record<string, string> };
  payload: Uint8Array;
  config: Uint8Array;
  /** The ECDSA key in the hashedrekord body of the layer's Rekor bundle annotation. */
  embeddedKey: TrustedKey;
}

export function readOcMirrorLayouts(): OcMirrorLayout[] {
  return readdirSync(OC)
    .filter((n) => n.endsWith('-sig'))
    .sort()
    .map((name) => {
      const dir = join(OC, name);
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
      const manifestDigest = index.manifests[0]?.digest as Digest;
      const manifest = readFileSync(join(dir, 'blobs', 'sha256', manifestDigest.slice(7)));
      const parsed = JSON.parse(manifest.toString('utf8')) as { config: { digest: string }; layers: { mediaType: string; digest: string; annotations: Record<string, string> }[] };
      const layer = parsed.layers[0];
      if (!layer) throw new Error(`${name}: no layer`);
      const payload = readFileSync(join(dir, 'blobs', 'sha256', layer.digest.slice(7)));
      const config = readFileSync(join(dir, 'blobs', 'sha256', parsed.config.digest.slice(7)));
      const fromName = /sha256-([0-9a-f]{64})-sig$/.exec(name)?.[1];
      const payloadDigest = (JSON.parse(payload.toString('utf8')) as { critical: { image: { 'docker-manifest-digest': string } } }).critical.image['docker-manifest-digest'];
      const pem = publicKeyPemFromRekorBundle(layer.annotations['dev.sigstore.cosign/bundle'] ?? '');
      if (!pem) throw new Error(`${name}: no key in the Rekor bundle`);
      return {
        name,
        dir,
        digest: (fromName ? `sha256:${fromName}` : payloadDigest) as Digest,
        manifestDigest,
        manifest,
        layer,
        payload,
        config,
        embeddedKey: toTrustedKey(pem, `${name} Rekor-body key`),
      };
    });
}

/** Counts cases across the fixture test files, printed at the end. */
export const caseCounter = { count: 0 };
