import { describe, expect, it } from 'vitest';
import { isSigcheckError } from '../../src/model/errors.ts';
import { blobUrl, describeReference, isTag, manifestUrl, parseRepository, referrersUrl, toManifestReference, toTag } from '../../src/registry/reference.ts';

const HEX = 'a'.repeat(64);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isSigcheckError(err) ? err.code : 'not a SigcheckError';
  }
  return undefined;
}

describe('parseRepository', () => {
  it('reads a bare repository as https', () => {
    expect(parseRepository('quay.io/openshift-release-dev/ocp-release')).toEqual({
      scheme: 'https',
      host: 'quay.io',
      name: 'openshift-release-dev/ocp-release',
      display: 'quay.io/openshift-release-dev/ocp-release',
      origin: 'https://quay.io',
    });
    expect(parseRepository('docker://Quay.IO/a/b/').origin).toBe('https://quay.io');
    expect(parseRepository('https://quay.io/a/b').scheme).toBe('https');
  });
  it('uses plain http only when the value says http://', () => {
    const r = parseRepository('http://127.0.0.1:5000/ocp/release');
    expect(r).toMatchObject({ scheme: 'http', host: '127.0.0.1:5000', name: 'ocp/release', display: '127.0.0.1:5000/ocp/release', origin: 'http://127.0.0.1:5000' });
    expect(parseRepository('127.0.0.1:5000/ocp/release').scheme).toBe('https');
  });
  it.each(['quay.io', 'quay.io/', 'ftp://quay.io/a', 'quay.io/Upper/case', 'quay.io/a/../b', 'quay.io/a b', 'quay.io:99999999/a', 'quay.io/a//b'])('rejects %s', (value) => {
    expect(codeOf(() => parseRepository(value))).toBe('INVALID_REFERENCE');
  });
});

describe('tags', () => {
  it.each(['4.18.3-x86_64', '4.2.10-s390x', 'latest', '_x', `sha256-${HEX}.sig`, 'a'.repeat(128)])('accepts %s', (tag) => {
    expect(isTag(tag)).toBe(true);
  });
  it.each(['', '-x', '.x', 'a/b', '../x', 'a:b', 'a b', 'a'.repeat(129), '4.18.3+amd64', 'ä'])('rejects %j', (tag) => {
    expect(isTag(tag)).toBe(false);
    expect(codeOf(() => toTag(tag))).toBe('INVALID_REFERENCE');
  });
});

describe('URLs are built only from validated digests and tags', () => {
  const repo = parseRepository('quay.io/openshift-release-dev/ocp-release');
  it('builds the distribution API paths', () => {
    expect(manifestUrl(repo, '4.18.3-x86_64').href).toBe('https://quay.io/v2/openshift-release-dev/ocp-release/manifests/4.18.3-x86_64');
    expect(manifestUrl(repo, `sha256:${HEX}`).pathname).toBe(`/v2/openshift-release-dev/ocp-release/manifests/sha256:${HEX}`);
    expect(blobUrl(repo, `sha256:${HEX}`).pathname).toBe(`/v2/openshift-release-dev/ocp-release/blobs/sha256:${HEX}`);
    expect(referrersUrl(repo, `sha256:${HEX}`).pathname).toBe(`/v2/openshift-release-dev/ocp-release/referrers/sha256:${HEX}`);
    expect(describeReference(repo, 'x')).toBe('quay.io/openshift-release-dev/ocp-release:x');
  });
  it.each(['sha256:../../x', `sha256:${'A'.repeat(64)}`, `sha256:${HEX.slice(1)}`, `sha256:${HEX}0`, `sha512:${HEX}`, 'sha256:', `sha256:${HEX}/../../x`])('rejects digest %s', (digest) => {
    expect(codeOf(() => blobUrl(repo, digest))).toBe('INVALID_DIGEST');
    expect(codeOf(() => referrersUrl(repo, digest))).toBe('INVALID_DIGEST');
    expect(codeOf(() => manifestUrl(repo, digest))).toBe('INVALID_DIGEST');
    expect(codeOf(() => toManifestReference(digest))).toBe('INVALID_DIGEST');
  });
  it('rejects a tag that would change the path', () => {
    expect(codeOf(() => manifestUrl(repo, '../../blobs/x'))).toBe('INVALID_REFERENCE');
    expect(codeOf(() => manifestUrl(repo, 'x?y'))).toBe('INVALID_REFERENCE');
  });
});
