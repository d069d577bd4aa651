/**
 * Does the payload behind a tag say it is the release graph-data names? Cincinnati builds its graph
 * from what each payload's release-metadata says, not from tags (openshift/cincinnati
 * release_scrape_dockerv2/registry/mod.rs: the node is `version` from release-metadata, with the
 * architecture of the manifest as build metadata; a manifest list of more than one image is `multi`;
 * a single image whose metadata says `release.openshift.io/architecture: multi` is a shard of a multi
 * release and is dropped). So a tag `4.99.1-x86_64` holding 4.99.0's payload is checked and "passed"
 * under a name clusters never get from it. Pure: the node and the payload read in, a verdict out.
 *
 * - version: release-metadata `version` equals the graph-data name without `+arch`;
 * - single-architecture node: the image config's architecture is the node's, and the metadata does
 *   not say `multi`;
 * - multi node: the tag is a list of more than one image, and the metadata says `multi`.
 */
import { fromPlatformArchitecture, type Arch } from '../model/arch.ts';
import type { Digest } from '../model/digest.ts';
import type { ImageInstance } from '../model/checkers.ts';
import { ARCHITECTURE_KEY, type PayloadRead } from '../model/payload.ts';
import type { MetadataResult } from '../model/results.ts';

export interface MetadataExpectation {
  /** The graph-data name, e.g. `4.2.14+amd64`. */
  name: string;
  /** The name without build metadata; undefined when there is no release name to compare (a digest). */
  version?: string;
  arch: Arch;
  tag?: string;
  digest: Digest;
  instances?: readonly ImageInstance[];
}

export interface MetadataVerdict {
  result: MetadataResult;
  /** For a mismatch: one sentence naming the tag, the digest and what the payload says, for a finding. */
  mismatch?: string;
}

/** What the payload is: `multi` for a release whose metadata says so, else its config's architecture (GOARCH). */
function payloadArch(configArch: string, metadata: Record<string, string>): string {
  return metadata[ARCHITECTURE_KEY] === 'multi' ? 'multi' : (fromPlatformArchitecture(configArch) ?? configArch);
}

export function verifyReleaseMetadata(expected: MetadataExpectation, read: PayloadRead): MetadataVerdict {
  const subject = `${expected.tag ? `tag ${expected.tag}` : expected.name} (${expected.digest})`;
  if (read.kind === 'error') return { result: { outcome: 'error', reason: `the payload could not be read: ${read.reason}` } };
  if (read.kind === 'invalid') {
    const reason = `the payload of ${subject} has no readable release metadata (${read.code}): ${read.reason}`;
    return { result: { outcome: 'invalid', reason }, mismatch: reason };
  }
  const contents = read.contents;
  const meta = contents.metadata;
  const arch = payloadArch(contents.configArch, meta.metadata);
  const result = (outcome: MetadataResult['outcome'], reason: string): MetadataResult => ({ outcome, reason, version: meta.version, arch, ...(read.cached ? { cached: true } : {}) });

  const problems: string[] = [];
  if (expected.version !== undefined && meta.version !== expected.version) {
    problems.push(`its release-metadata names version ${JSON.stringify(meta.version)}, not ${expected.version}`);
  }
  const declared = meta.metadata[ARCHITECTURE_KEY];
  if (expected.arch === 'multi') {
    const count = expected.instances?.length ?? 0;
    if (count < 2) problems.push(`a multi release is a manifest list of more than one image, but it lists ${count}`);
    if (declared !== 'multi') problems.push(`its release-metadata does not say ${ARCHITECTURE_KEY}: multi${declared !== undefined ? ` (it says ${JSON.stringify(declared)})` : ''}`);
  } else {
    const configArch = fromPlatformArchitecture(contents.configArch);
    if (configArch !== expected.arch) problems.push(`its image is for ${JSON.stringify(contents.configArch)}, not ${expected.arch}`);
    if (declared === 'multi') problems.push(`its release-metadata says ${ARCHITECTURE_KEY}: multi: it is one architecture of a multi release (a shard), which Cincinnati does not take for a release`);
    else if (declared !== undefined && fromPlatformArchitecture(declared) !== expected.arch) problems.push(`its release-metadata says ${ARCHITECTURE_KEY}: ${JSON.stringify(declared)}`);
  }
  const says = `the payload says it is ${meta.version} ${arch}`;
  if (problems.length > 0) {
    const mismatch = `${subject} is promoted as ${expected.name} ${expected.arch}, but ${problems.join('; ')} (${says}; read from ${contents.layer.digest}). Cincinnati serves the payload under the name its metadata gives, so clusters asking for ${expected.name} would not get this image: re-tag the right payload, or fix the graph-data entry`;
    return { result: result('invalid', mismatch), mismatch };
  }
  const version = expected.version === undefined ? `version ${meta.version} (not compared: no release name was given)` : `version ${meta.version}`;
  return { result: result('verified', `release-metadata confirms ${version}, ${arch}${expected.arch === 'multi' ? ` (a manifest list of ${expected.instances?.length ?? 0} images)` : ''}`) };
}
