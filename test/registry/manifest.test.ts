import { describe, expect, it } from 'vitest';
import { isSigcheckError } from '../../src/model/errors.ts';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, MANIFEST_ACCEPT, OCI_INDEX, OCI_MANIFEST, parseConfigArchitecture, parseManifest } from '../../src/registry/manifest.ts';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isSigcheckError(err)) return err.message;
  }
  throw new Error('expected a SigcheckError');
}

describe('parseManifest', () => {
  it('asks for all four manifest media types', () => {
    expect(MANIFEST_ACCEPT.split(', ').sort()).toEqual([DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST].sort());
  });

  it('reads a Docker manifest list with platforms', () => {
    const m = parseManifest(
      enc({ schemaVersion: 2, mediaType: DOCKER_MANIFEST_LIST, manifests: [{ mediaType: DOCKER_MANIFEST, digest: D('a'), size: 10, platform: { architecture: 'amd64', os: 'linux' } }] }),
      `${DOCKER_MANIFEST_LIST}; charset=utf-8`,
      'x',
    );
    expect(m).toEqual({ kind: 'index', mediaType: DOCKER_MANIFEST_LIST, manifests: [{ mediaType: DOCKER_MANIFEST, digest: D('a'), size: 10, platform: { architecture: 'amd64', os: 'linux' } }] });
  });

  it('reads an OCI manifest without mediaType from its Content-Type or shape', () => {
    const doc = { schemaVersion: 2, config: { mediaType: 'c', digest: D('b'), size: 1 }, layers: [{ mediaType: 'l', digest: D('c'), size: 2, annotations: { k: 'v' } }] };
    expect(parseManifest(enc(doc), OCI_MANIFEST, 'x')).toMatchObject({ kind: 'image', mediaType: OCI_MANIFEST, layers: [{ annotations: { k: 'v' } }] });
    expect(parseManifest(enc(doc), 'application/octet-stream', 'x').mediaType).toBe(OCI_MANIFEST);
  });

  it('refuses a Content-Type that contradicts the body', () => {
    const doc = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'c', digest: D('b'), size: 1 }, layers: [] };
    expect(failure(() => parseManifest(enc(doc), OCI_INDEX, 'x'))).toContain('Content-Type');
  });

  it('refuses schema 1, invalid digests, duplicate keys and non-JSON', () => {
    expect(failure(() => parseManifest(enc({ schemaVersion: 1, name: 'x' }), undefined, 'x'))).toContain('schemaVersion 1');
    expect(failure(() => parseManifest(enc({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: 'sha256:../../x', size: 1 }] }), undefined, 'x'))).toContain('sha256:<64 lowercase hex');
    expect(failure(() => parseManifest(enc('{"schemaVersion":2,"schemaVersion":2,"manifests":[]}'), undefined, 'x'))).toContain('not valid JSON');
    expect(failure(() => parseManifest(enc('<html>'), undefined, 'x'))).toContain('not valid JSON');
    expect(failure(() => parseManifest(enc({ schemaVersion: 2, mediaType: 'application/vnd.x' }), undefined, 'x'))).toContain('not a manifest type');
  });

  it('reads the architecture of an image config', () => {
    expect(parseConfigArchitecture(enc({ architecture: 's390x', os: 'linux' }), 'c')).toBe('s390x');
    expect(failure(() => parseConfigArchitecture(enc({ os: 'linux' }), 'c'))).toContain('no architecture');
  });
});
