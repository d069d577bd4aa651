/**
 * The commands that close a gap in a mirror, with the real repository, digest and tag filled in.
 * Pure: values in, argv out; `command` is the argv quoted for a POSIX shell.
 *
 *  - a missing `.sig` tag (or one that does not verify): copy the tag from the source, where the
 *    signature's identity names it (`oc image mirror SRC:sha256-<hex>.sig MIRROR:sha256-<hex>.sig`, the
 *    step Red Hat documents for `oc adm release mirror` users, or `skopeo copy` of the same tag);
 *  - a missing image or manifest list: copy it with every instance, digests preserved;
 *  - a missing instance of a list: copy that instance by digest (skopeo), or the list again (oc, which
 *    copies only what the mirror lacks);
 *  - a missing signature ConfigMap: write it with `release-sigcheck configmap --write`, then `oc apply`.
 * A repository read over plain HTTP gets `--src-tls-verify=false` / `--dest-tls-verify=false`
 * (skopeo) or `--insecure=true` (oc), as those tools need for it.
 */
import { join } from 'node:path';
import { digestHex, toDigest, toSignatureTag, type Digest } from '../model/digest.ts';
import type { RepositoryRef } from '../registry/reference.ts';

export type RemedyTool = 'skopeo' | 'oc' | 'release-sigcheck';

export interface Remedy {
  tool: RemedyTool;
  argv: string[];
  /** `argv` quoted for a POSIX shell, to print and paste. */
  command: string;
  /** What the command does, when not obvious. */
  note?: string;
  /** A second step of the remedy before it (run after it), rather than an alternative to it. */
  then?: true;
}

const SAFE_ARG = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument quoted for a POSIX shell (single quotes unless it needs none). */
export function shellQuote(arg: string): string {
  if (arg !== '' && SAFE_ARG.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function toRemedy(tool: RemedyTool, argv: string[], note?: string): Remedy {
  const remedy: Remedy = { tool, argv, command: argv.map(shellQuote).join(' ') };
  if (note !== undefined) remedy.note = note;
  return remedy;
}

function skopeoTls(source: RepositoryRef, mirror: RepositoryRef): string[] {
  const out: string[] = [];
  if (source.scheme === 'http') out.push('--src-tls-verify=false');
  if (mirror.scheme === 'http') out.push('--dest-tls-verify=false');
  return out;
}

function ocTls(source: RepositoryRef, mirror: RepositoryRef): string[] {
  return source.scheme === 'http' || mirror.scheme === 'http' ? ['--insecure=true'] : [];
}

/** Copies the `.sig` tag of `digest` from the source repository to the mirror. */
export function copySignatureRemedies(source: RepositoryRef, mirror: RepositoryRef, digest: Digest): Remedy[] {
  const tag = toSignatureTag(toDigest(digest, 'signature digest'));
  return [
    toRemedy('oc', ['oc', 'image', 'mirror', ...ocTls(source, mirror), `${source.display}:${tag}`, `${mirror.display}:${tag}`]),
    toRemedy('skopeo', ['skopeo', 'copy', '--preserve-digests', ...skopeoTls(source, mirror), `docker://${source.display}:${tag}`, `docker://${mirror.display}:${tag}`]),
  ];
}

/** Copies a release image (a manifest list with every instance) to the mirror under its release tag. */
export function copyImageRemedies(source: RepositoryRef, mirror: RepositoryRef, digest: Digest, tag: string): Remedy[] {
  const d = toDigest(digest, 'image digest');
  return [
    toRemedy('oc', ['oc', 'image', 'mirror', '--keep-manifest-list=true', ...ocTls(source, mirror), `${source.display}@${d}`, `${mirror.display}:${tag}`]),
    toRemedy('skopeo', ['skopeo', 'copy', '--all', '--preserve-digests', ...skopeoTls(source, mirror), `docker://${source.display}@${d}`, `docker://${mirror.display}:${tag}`]),
  ];
}

/** Copies one missing instance of a manifest list: by digest (skopeo), or the list again (oc copies only what is missing). */
export function copyInstanceRemedies(source: RepositoryRef, mirror: RepositoryRef, instance: Digest, list: Digest, tag: string): Remedy[] {
  const i = toDigest(instance, 'instance digest');
  const l = toDigest(list, 'manifest list digest');
  return [
    toRemedy('oc', ['oc', 'image', 'mirror', '--keep-manifest-list=true', ...ocTls(source, mirror), `${source.display}@${l}`, `${mirror.display}:${tag}`], 'copies the instances the mirror lacks'),
    toRemedy('skopeo', ['skopeo', 'copy', '--preserve-digests', ...skopeoTls(source, mirror), `docker://${source.display}@${i}`, `docker://${mirror.display}@${i}`]),
  ];
}

/** The file `configmap --write` writes for a digest: `signature-sha256-<16 hex>.yaml`, the name `oc adm release mirror --to-dir` uses. */
export function toConfigMapFileName(digest: Digest): string {
  return `signature-sha256-${digestHex(toDigest(digest, 'ConfigMap digest')).slice(0, 16)}.yaml`;
}

export interface ConfigMapRemedyOptions {
  /** Directory the ConfigMap is written to. */
  dir: string;
  /** Signature stores to read (omitted: the command's defaults, the Red Hat stores). */
  signatureStores?: readonly string[];
  /** Extra trusted OpenPGP keys, as given to the run that found the gap. */
  openpgpKeys?: readonly string[];
}

/** Writes the signature ConfigMap of `digest` from the signature stores, then applies it. */
export function writeConfigMapRemedies(digest: Digest, options: ConfigMapRemedyOptions): Remedy[] {
  const d = toDigest(digest, 'ConfigMap digest');
  const argv = ['release-sigcheck', 'configmap', '--write', options.dir, '--digest', d];
  for (const store of options.signatureStores ?? []) argv.push('--signature-store', store);
  for (const key of options.openpgpKeys ?? []) argv.push('--openpgp-key', key);
  return [
    toRemedy('release-sigcheck', argv, 'fetches the signatures from the signature stores, verifies them, writes the ConfigMap'),
    { ...toRemedy('oc', ['oc', 'apply', '-f', join(options.dir, toConfigMapFileName(d))]), then: true },
  ];
}
