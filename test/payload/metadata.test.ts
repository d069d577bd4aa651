/**
 * The release-metadata confirmation of a node, and the parsers of release-manifests/ files, on
 * the cases Cincinnati and oc distinguish.
 */
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import type { PayloadContents, PayloadRead } from '../../src/model/payload.ts';
import { verifyReleaseMetadata } from '../../src/payload/metadata.ts';
import { classifyManifest, parseImageReferences, parseReleaseMetadata } from '../../src/payload/parse.ts';
import { KEYS_CONFIGMAP_YAML, OPENSHIFT_POLICY_YAML } from '../harness/payload.ts';

const D = `sha256:${'a'.repeat(64)}` as Digest;
const enc = (s: string) => new TextEncoder().encode(s);

function read(version: string, configArch: string, metadata: Record<string, string> = {}): PayloadRead {
  const contents: PayloadContents = { digest: D, manifest: D, configArch, layer: { index: 1, digest: D }, metadata: { kind: 'cincinnati-metadata-v0', version, previous: [], next: [], metadata }, imagePolicies: [] };
  return { kind: 'read', contents };
}

const instances = [
  { digest: `sha256:${'1'.repeat(64)}` as Digest, arch: 'amd64' },
  { digest: `sha256:${'2'.repeat(64)}` as Digest, arch: 'arm64' },
];

describe('verifyReleaseMetadata', () => {
  it('confirms a payload whose version and architecture are the node\'s', () => {
    expect(verifyReleaseMetadata({ name: '4.2.14+amd64', version: '4.2.14', arch: 'amd64', tag: '4.2.14-x86_64', digest: D }, read('4.2.14', 'amd64')).result).toMatchObject({ outcome: 'verified', version: '4.2.14', arch: 'amd64' });
    expect(verifyReleaseMetadata({ name: '4.99.0', version: '4.99.0', arch: 'multi', tag: '4.99.0-multi', digest: D, instances }, read('4.99.0', 'amd64', { 'release.openshift.io/architecture': 'multi' })).result).toMatchObject({ outcome: 'verified', arch: 'multi' });
  });

  it('fails another version, another architecture, a shard, a one-image "multi", naming the tag, the digest and what the payload says', () => {
    const v = verifyReleaseMetadata({ name: '4.99.1', version: '4.99.1', arch: 'amd64', tag: '4.99.1-x86_64', digest: D }, read('4.99.0', 'amd64'));
    expect(v.result.outcome).toBe('invalid');
    expect(v.mismatch).toMatch(new RegExp(`^tag 4\\.99\\.1-x86_64 \\(${D}\\) is promoted as 4\\.99\\.1 amd64, but its release-metadata names version "4\\.99\\.0", not 4\\.99\\.1 \\(the payload says it is 4\\.99\\.0 amd64`));
    expect(verifyReleaseMetadata({ name: '4.99.1', version: '4.99.1', arch: 'arm64', digest: D }, read('4.99.1', 'amd64')).mismatch).toMatch(/its image is for "amd64", not arm64/);
    expect(verifyReleaseMetadata({ name: '4.99.1', version: '4.99.1', arch: 'amd64', digest: D }, read('4.99.1', 'amd64', { 'release.openshift.io/architecture': 'multi' })).mismatch).toMatch(/a shard/);
    const single = verifyReleaseMetadata({ name: '4.99.1', version: '4.99.1', arch: 'multi', digest: D, instances: instances.slice(0, 1) }, read('4.99.1', 'amd64', { 'release.openshift.io/architecture': 'multi' }));
    expect(single.mismatch).toMatch(/more than one image, but it lists 1/);
    expect(verifyReleaseMetadata({ name: '4.99.1', version: '4.99.1', arch: 'multi', digest: D, instances }, read('4.99.1', 'amd64')).mismatch).toMatch(/does not say release\.openshift\.io\/architecture: multi/);
  });

  it('is error when the payload could not be read, invalid when it is not a release payload', () => {
    expect(verifyReleaseMetadata({ name: '4.99.1', version: '4.99.1', arch: 'amd64', digest: D }, { kind: 'error', reason: 'HTTP 503' }).result.outcome).toBe('error');
    const v = verifyReleaseMetadata({ name: '4.99.1', version: '4.99.1', arch: 'amd64', digest: D }, { kind: 'invalid', code: 'PAYLOAD_NO_MANIFESTS', reason: 'no layer holds it' });
    expect(v.result.outcome).toBe('invalid');
    expect(v.mismatch).toContain('PAYLOAD_NO_MANIFESTS');
  });

  it('compares no version when the node has no release name (an image by digest)', () => {
    expect(verifyReleaseMetadata({ name: D, arch: 'amd64', digest: D }, read('4.99.0', 'amd64')).result).toMatchObject({ outcome: 'verified', reason: expect.stringMatching(/not compared/) });
  });
});

describe('parsers of release-manifests/', () => {
  it('reads release-metadata as Cincinnati does, strictly', () => {
    expect(parseReleaseMetadata(enc('{"kind":"cincinnati-metadata-v0","version":"4.16.15","previous":["4.16.14"],"metadata":{"url":"https://x"},"other":1}'))).toEqual({ kind: 'cincinnati-metadata-v0', version: '4.16.15', previous: ['4.16.14'], next: [], metadata: { url: 'https://x' } });
    expect(() => parseReleaseMetadata(enc('{"kind":"other","version":"4.16.15"}'))).toThrow(/kind is "other"/);
    expect(() => parseReleaseMetadata(enc('{"kind":"cincinnati-metadata-v0","version":"4.16"}'))).toThrow(/not a valid SemVer/);
    expect(() => parseReleaseMetadata(enc('{"kind":"cincinnati-metadata-v0","version":"4.16.1","version":"4.16.2"}'))).toThrow(/PAYLOAD_INVALID|not valid JSON/);
    expect(() => parseReleaseMetadata(enc('{"kind":"cincinnati-metadata-v0","version":"4.16.1","metadata":{"a":1}}'))).toThrow(/is not a string/);
  });

  it('reads image-references: DockerImage tags by digest; others kept as unreadable; YAML too', () => {
    const json = JSON.stringify({ kind: 'ImageStream', apiVersion: 'image.openshift.io/v1', spec: { tags: [{ name: 'a', from: { kind: 'DockerImage', name: `quay.io/x/y@sha256:${'1'.repeat(64)}` } }, { name: 'b', from: { kind: 'ImageStreamTag', name: 'b:latest' } }, { name: 'c', from: { kind: 'DockerImage', name: 'quay.io/x/y:latest' } }] } });
    const r = parseImageReferences(enc(json));
    expect(r.components).toEqual([{ name: 'a', reference: `quay.io/x/y@sha256:${'1'.repeat(64)}`, repository: 'quay.io/x/y', digest: `sha256:${'1'.repeat(64)}` }]);
    expect(r.unreadable.map((u) => u.name)).toEqual(['c']);
    const yaml = `kind: ImageStream\napiVersion: image.openshift.io/v1\nspec:\n  tags:\n  - name: a\n    from: {kind: DockerImage, name: "quay.io/x/y@sha256:${'1'.repeat(64)}"}\n`;
    expect(parseImageReferences(enc(yaml)).components).toHaveLength(1);
    expect(() => parseImageReferences(enc('{"kind":"List","apiVersion":"v1"}'))).toThrow(/unrecognized image-references/);
  });

  it('recognises the keys ConfigMap and the ClusterImagePolicy OpenShift ships by content', () => {
    expect(classifyManifest('release-manifests/x.yaml', enc(KEYS_CONFIGMAP_YAML))?.kind).toBe('update-keys');
    expect(classifyManifest('release-manifests/y.yaml', enc(OPENSHIFT_POLICY_YAML))?.kind).toBe('image-policy');
    expect(classifyManifest('release-manifests/z.yaml', enc('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: release-verification, namespace: elsewhere}\n'))).toBeUndefined();
    expect(classifyManifest('release-manifests/n.yaml', enc('kind: Namespace\n'))).toBeUndefined();
  });
});
