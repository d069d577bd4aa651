/**
 * Reference parsing and the identity rules, against the tables of containers/image's own tests
 * (signature/policy_reference_match_test.go and docker/reference tests at df7e80d2), run through the
 * TypeScript port. Each row is what CRI-O decides for (pulled reference, signed identity).
 */
import { describe, expect, it } from 'vitest';
import {
  matchIdentity,
  parseCanonicalNamed,
  parseNormalizedNamed,
  policyNamespaces,
  referenceString,
  remapReference,
  toRepositoryReference,
  validateRemapPrefix,
  type DockerReference,
  type IdentityRule,
} from '../../src/sigstore/reference.ts';

const fullRHELRef = 'registry.access.redhat.com/rhel7/rhel:7.2.3';
const untaggedRHELRef = 'registry.access.redhat.com/rhel7/rhel';
const digestSuffix = '@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const digestSuffixOther = '@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

function parsed(s: string): DockerReference {
  const r = parseNormalizedNamed(s);
  if (!r.ok) throw new Error(`${s}: ${r.reason}`);
  return r.ref;
}
function tryParsed(s: string): DockerReference | undefined {
  const r = parseNormalizedNamed(s);
  return r.ok ? r.ref : undefined;
}

describe('parseNormalizedNamed', () => {
  const ok: [string, string, Partial<DockerReference>][] = [
    ['busybox', 'docker.io/library/busybox', { domain: 'docker.io', path: 'library/busybox' }],
    ['library/busybox:latest', 'docker.io/library/busybox:latest', { tag: 'latest' }],
    ['index.docker.io/foo', 'docker.io/library/foo', {}],
    ['docker.io/foo/bar', 'docker.io/foo/bar', {}],
    ['localhost/foo', 'localhost/foo', { domain: 'localhost' }],
    ['localhost:5000/foo:tag', 'localhost:5000/foo:tag', { domain: 'localhost:5000' }],
    ['test:5000/repo@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'test:5000/repo@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', {}],
    ['test:5000/repo:tag@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', 'test:5000/repo:tag@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', { tag: 'tag' }],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com/bar/baz/quux:some-long-tag', {}],
    ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io/test.example.com/my-app:test.example.com', {}],
    ['xn--7o8h.com/myimage:xn--7o8h.com@sha512:' + 'f'.repeat(128), 'xn--7o8h.com/myimage:xn--7o8h.com@sha512:' + 'f'.repeat(128), {}],
    ['Quay.io/openshift/release', 'Quay.io/openshift/release', { domain: 'Quay.io' }],
    ['quay.io/a--b/c__d/e.f/g_h/i---j', 'quay.io/a--b/c__d/e.f/g_h/i---j', {}],
    ['quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64', 'quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64', { name: 'quay.io/openshift-release-dev/ocp-release' }],
    [`x.io/${'a/'.repeat(124)}a:tag-puts-this-at-max`, `x.io/${'a/'.repeat(124)}a:tag-puts-this-at-max`, {}],
  ];
  for (const [input, string, fields] of ok) {
    it(`parses ${input.length > 60 ? `${input.slice(0, 60)}…` : input}`, () => {
      const ref = parsed(input);
      expect(referenceString(ref)).toBe(string);
      expect(ref).toMatchObject(fields);
    });
  }

  const bad: [string, RegExp][] = [
    ['', /invalid reference format/],
    [`${'a/'.repeat(127)}a:tag-over-max-once-normalized`, /not be more than 255/],
    [':justtag', /invalid reference format/],
    ['@sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', /invalid reference format/],
    ['repo@sha256:ffffffffffffffffffffffffffffffffff', /not a valid sha256 digest/],
    ['validname@invaliddigest:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff', /not supported/],
    ['Uppercase:tag', /lowercase/],
    ['test:5000/Uppercase/lowercase:tag', /lowercase/],
    ['UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES', /lowercase/],
    [`${'a/'.repeat(128)}a:tag`, /not be more than 255/],
    ['aa/asdf$$^/aa', /invalid reference format/],
    ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', /64-byte hexadecimal/],
    ['quay.io/a___b', /invalid reference format/],
    ['quay.io/a..b', /invalid reference format/],
    ['quay.io/-a', /invalid reference format/],
    [`quay.io/a:${'t'.repeat(129)}`, /invalid reference format/],
    ['quay.io/a@sha256:' + 'A'.repeat(64), /not a valid sha256 digest/],
  ];
  for (const [input, reason] of bad) {
    it(`rejects ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`, () => {
      const r = parseNormalizedNamed(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(reason);
    });
  }

  it('answers at once on inputs that make backtracking regular expressions explode', () => {
    const started = Date.now();
    for (const evil of ['a'.repeat(50_000) + '!', `quay.io/${'a'.repeat(200)}!`, `quay.io/${'a-'.repeat(120)}!`, `${'a'.repeat(30)}.`.repeat(8) + '-/x']) {
      expect(parseNormalizedNamed(evil).ok).toBe(false);
    }
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('parseCanonicalNamed wants the canonical form', () => {
    expect(parseCanonicalNamed('docker.io/library/busybox:latest').ok).toBe(true);
    expect(parseCanonicalNamed('busybox:latest').ok).toBe(false);
  });

  it('toRepositoryReference accepts a repository and refuses tags, digests and garbage with INVALID_REFERENCE', () => {
    expect(toRepositoryReference('quay.io/openshift-release-dev/ocp-release', 'x').name).toBe('quay.io/openshift-release-dev/ocp-release');
    expect(() => toRepositoryReference('quay.io/x/y:tag', '--release-repo')).toThrow(/--release-repo: .* without a tag or digest/);
    expect(() => toRepositoryReference('Not Valid', '--release-repo')).toThrow(/not a valid repository/);
  });
});

/** containers/image prmExactMatchTestTable: symmetric exact matches. */
const exactTable: [string, string, boolean][] = [
  ['busybox:latest', 'busybox:latest', true],
  [fullRHELRef, fullRHELRef, true],
  ['busybox' + digestSuffix, 'busybox' + digestSuffix, true],
  ['library/busybox:latest', 'busybox:latest', true],
  ['docker.io/library/busybox:latest', 'busybox:latest', true],
  ['library/busybox' + digestSuffix, 'busybox' + digestSuffix, true],
  ['busybox:latest', 'busybox:notlatest', false],
  ['busybox:latest', 'notbusybox:latest', false],
  ['busybox:latest', 'hostname/library/busybox:notlatest', false],
  ['hostname/library/busybox:latest', 'busybox:notlatest', false],
  ['busybox:latest', fullRHELRef, false],
  ['busybox' + digestSuffix, 'notbusybox' + digestSuffix, false],
  ['busybox:latest', 'busybox' + digestSuffix, false],
  ['busybox' + digestSuffix, 'busybox' + digestSuffixOther, false],
  ['busybox', 'busybox:latest', false],
  ['busybox', 'busybox' + digestSuffix, false],
  ['busybox', 'busybox', false],
  ['busybox:latest' + digestSuffix, 'busybox:latest' + digestSuffix, true],
  ['busybox:latest' + digestSuffix, 'busybox:latest' + digestSuffixOther, false],
  ['busybox:latest' + digestSuffix, 'busybox:notlatest' + digestSuffix, false],
  ['busybox:latest' + digestSuffix, 'busybox' + digestSuffix, false],
  ['busybox:latest' + digestSuffix, 'busybox:latest', false],
  ['UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES', 'busybox:latest', false],
  ['', 'UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES', false],
  ['INVALID', 'INVALID', false],
];

/** containers/image prmRepositoryMatchTestTable: symmetric repository matches. */
const repositoryTable: [string, string, boolean][] = [
  ['busybox:latest', 'busybox:latest', true],
  [fullRHELRef, fullRHELRef, true],
  ['busybox' + digestSuffix, 'busybox' + digestSuffix, true],
  ['library/busybox:latest', 'busybox:latest', true],
  ['docker.io/library/busybox:latest', 'busybox:latest', true],
  ['library/busybox' + digestSuffix, 'busybox' + digestSuffix, true],
  ['busybox:latest', 'busybox:notlatest', true],
  [fullRHELRef + 'tagsuffix', fullRHELRef, true],
  ['library/busybox:latest', 'busybox:notlatest', true],
  ['busybox:latest', 'library/busybox:notlatest', true],
  ['docker.io/library/busybox:notlatest', 'busybox:latest', true],
  ['busybox:notlatest', 'docker.io/library/busybox:latest', true],
  ['busybox:latest', 'busybox' + digestSuffix, true],
  ['busybox' + digestSuffix, 'busybox' + digestSuffixOther, true],
  ['busybox', 'busybox:notlatest', true],
  [fullRHELRef, untaggedRHELRef, true],
  ['busybox', 'busybox' + digestSuffix, true],
  ['library/busybox', 'busybox', true],
  ['docker.io/library/busybox', 'busybox', true],
  ['busybox:latest', 'notbusybox:latest', false],
  ['hostname/library/busybox:latest', 'busybox:notlatest', false],
  ['busybox:latest', fullRHELRef, false],
  ['busybox' + digestSuffix, 'notbusybox' + digestSuffix, false],
  ['busybox:latest' + digestSuffix, 'busybox:latest' + digestSuffix, true],
  ['busybox:latest' + digestSuffix, 'busybox:latest' + digestSuffixOther, true],
  ['busybox:latest' + digestSuffix, 'busybox:notlatest' + digestSuffix, true],
  ['busybox:latest' + digestSuffix, 'busybox' + digestSuffix, true],
  ['busybox:latest' + digestSuffix, 'busybox:latest', true],
  ['UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES', 'busybox:latest', false],
  ['', 'UPPERCASE_IS_INVALID_IN_DOCKER_REFERENCES', false],
  ['INVALID', 'INVALID', false],
];

/** containers/image matchRepoDigestOrExactTestTable (asymmetric: pulled image, signed identity). */
const repoDigestOrExactTable: [string, string, boolean][] = [
  ['busybox:latest', 'busybox:notlatest', false],
  [fullRHELRef + 'tagsuffix', fullRHELRef, false],
  ['library/busybox:latest', 'busybox:notlatest', false],
  ['busybox:latest', 'library/busybox:notlatest', false],
  ['docker.io/library/busybox:notlatest', 'busybox:latest', false],
  ['busybox:notlatest', 'docker.io/library/busybox:latest', false],
  ['busybox', 'busybox:latest', false],
  ['busybox:latest', 'busybox', false],
  ['busybox', 'busybox' + digestSuffix, false],
  ['busybox' + digestSuffix, 'busybox', false],
  [fullRHELRef, untaggedRHELRef, false],
  ['busybox', 'busybox', false],
  ['busybox:latest', 'busybox' + digestSuffix, false],
  ['busybox' + digestSuffix, 'busybox:latest', true],
  ['busybox' + digestSuffix, 'busybox' + digestSuffixOther, true],
  ['busybox:latest' + digestSuffix, 'busybox:latest', false],
  ['busybox:latest' + digestSuffix, 'busybox:notlatest', false],
  ['busybox:latest', 'busybox:latest' + digestSuffix, false],
  ['busybox:latest' + digestSuffix, 'busybox:latest' + digestSuffixOther, false],
  ['busybox:latest' + digestSuffix, 'busybox:notlatest' + digestSuffixOther, false],
];

function check(rule: IdentityRule, image: string, signature: string): boolean | undefined {
  const intended = tryParsed(image);
  if (!intended) return undefined; // an invalid pulled reference cannot happen in CRI-O
  return matchIdentity(rule, intended, signature).ok;
}

describe('identity rules (containers/image test tables)', () => {
  it('matchExact', () => {
    let n = 0;
    for (const [a, b, result] of exactTable) {
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const got = check({ type: 'matchExact' }, x, y);
        if (got === undefined) continue;
        expect(got, `${x} vs ${y}`).toBe(result);
        n++;
      }
    }
    expect(n).toBeGreaterThan(40);
  });

  it('matchRepository', () => {
    for (const [a, b, result] of repositoryTable) {
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const got = check({ type: 'matchRepository' }, x, y);
        if (got !== undefined) expect(got, `${x} vs ${y}`).toBe(result);
      }
    }
  });

  it('matchRepoDigestOrExact accepts what matchExact accepts, rejects what matchRepository rejects, and the asymmetric table', () => {
    const rule: IdentityRule = { type: 'matchRepoDigestOrExact' };
    for (const [a, b, result] of exactTable.filter((r) => r[2])) {
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const got = check(rule, x, y);
        if (got !== undefined) expect(got, `${x} vs ${y}`).toBe(result);
      }
    }
    for (const [a, b, result] of repositoryTable.filter((r) => !r[2])) {
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const got = check(rule, x, y);
        if (got !== undefined) expect(got, `${x} vs ${y}`).toBe(result);
      }
    }
    for (const [image, signature, result] of repoDigestOrExactTable) {
      expect(check(rule, image, signature), `${image} vs ${signature}`).toBe(result);
    }
  });

  it('exactReference and exactRepository compare with the configured value, not the pulled image', () => {
    const unrelated = parsed('unrelated.example/x:y');
    for (const [a, b, result] of exactTable) {
      for (const [x, y] of [[a, b], [b, a]] as const) expect(matchIdentity({ type: 'exactReference', dockerReference: x }, unrelated, y).ok, `${x} vs ${y}`).toBe(result);
    }
    for (const [a, b, result] of repositoryTable) {
      for (const [x, y] of [[a, b], [b, a]] as const) expect(matchIdentity({ type: 'exactRepository', dockerRepository: x }, unrelated, y).ok, `${x} vs ${y}`).toBe(result);
    }
  });

  it('remapIdentity: prefix matching on Name()', () => {
    const rows: [string, string, boolean][] = [
      ['docker.io/image', 'docker.io', true],
      ['docker.io/image', 'example.com', false],
      ['example.com:5000/image', 'example.com:5000', true],
      ['example.com:50000/image', 'example.com:5000', false],
      ['example.com:5000/image', 'example.com', false],
      ['example.com/foo', 'example.com', true],
      ['example.com/foo/bar', 'example.com', true],
      ['example.com/foo/bar:baz', 'example.com', true],
      ['example.com/foo/bar' + digestSuffix, 'example.com', true],
      ['docker.io/ns/image', 'docker.io/library', false],
      ['example.com/library', 'docker.io/library', false],
      ['docker.io/libraryy/image', 'docker.io/library', false],
      ['docker.io/library/busybox', 'docker.io/library', true],
      ['example.com/ns/image', 'example.com/ns', true],
      ['example.com/ns2/image', 'example.com/ns', false],
      ['example.com/n2/image', 'example.com/ns', false],
      ['example.com', 'example.com/library/busybox', false],
      ['example.com:5000/ns/image', 'example.com/ns', false],
      ['example.com/ns/image', 'example.com:5000/ns', false],
      ['docker.io/library/busybox', 'docker.io/library/busybox', true],
      ['example.com/library/busybox', 'docker.io/library/busybox', false],
      ['docker.io/library/busybox2', 'docker.io/library/busybox', false],
      ['example.com/ns/image', 'example.com/ns/image', true],
      ['example.com/ns/imag2', 'example.com/ns/image', false],
      ['example.com/ns/imagee', 'example.com/ns/image', false],
      ['example.com:5000/ns/image', 'example.com/ns/image', false],
      ['example.com/ns/image', 'example.com:5000/ns/image', false],
      ['example.com/ns/image:tag', 'example.com/ns/image', true],
      ['example.com/ns/image' + digestSuffix, 'example.com/ns/image', true],
      ['example.com/ns/image:tag' + digestSuffix, 'example.com/ns/image', true],
    ];
    for (const [ref, prefix, expected] of rows) {
      const r = remapReference(parsed(ref), prefix, 'docker.io/library/signed-prefix');
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.ref.name.startsWith('docker.io/library/signed-prefix'), `${ref} vs ${prefix}`).toBe(expected);
    }
  });

  it('remapIdentity: rewriting', () => {
    const rows: [string, string, string, string][] = [
      ['mirror.example', 'vendor.example', 'mirror.example/ns/image:tag', 'vendor.example/ns/image:tag'],
      ['mirror.example', 'vendor.example', 'different.com/ns/image:tag', 'different.com/ns/image:tag'],
      ['mirror.example/ns', 'vendor.example/vendor-ns', 'mirror.example/different-ns/image:tag', 'mirror.example/different-ns/image:tag'],
      ['docker.io', 'not-docker-signed.example/ns', 'busybox', 'not-docker-signed.example/ns/library/busybox'],
      ['example.com/mirror', 'example.com/vendor', 'example.com/mirror/image:tag', 'example.com/vendor/image:tag'],
      ['example.com/ns/mirror', 'example.com/ns/vendor', 'example.com/ns/mirror:tag', 'example.com/ns/vendor:tag'],
      ['mirror.example', 'vendor.example', 'prefixmirror.example/ns/image:tag', 'prefixmirror.example/ns/image:tag'],
      ['docker.io', 'not-docker-signed.example', 'busybox', 'not-docker-signed.example/library/busybox'],
      ['docker.io/library', 'not-docker-signed.example/ns', 'busybox', 'not-docker-signed.example/ns/busybox'],
      ['docker.io/library/busybox', 'not-docker-signed.example/ns/notbusybox', 'busybox', 'not-docker-signed.example/ns/notbusybox'],
      ['mirror.example', 'vendor.example', 'mirror.example/image', 'vendor.example/image'],
      ['mirror.example', 'vendor.example', 'mirror.example/image' + digestSuffix, 'vendor.example/image' + digestSuffix],
      ['mirror.example', 'vendor.example', 'mirror.example/image:tag' + digestSuffix, 'vendor.example/image:tag' + digestSuffix],
      ['mirror.example/ns/image', 'vendor.example:5000', 'mirror.example/ns/image:tag', ''],
      ['mirror.example/ns/image', 'vendor.example:5000', 'mirror.example/ns/image' + digestSuffix, ''],
      ['mirror.example/ns/image', 'notlocalhost', 'mirror.example/ns/image:tag', ''],
    ];
    for (const [prefix, signedPrefix, ref, expected] of rows) {
      const r = remapReference(parsed(ref), prefix, signedPrefix);
      if (expected === '') expect(r.ok, `${prefix} -> ${signedPrefix} on ${ref}`).toBe(false);
      else expect(r.ok && referenceString(r.ref), `${prefix} -> ${signedPrefix} on ${ref}`).toBe(expected);
    }
  });

  it('remapIdentity: matching', () => {
    const rows: [string, string, string, string, boolean][] = [
      ['does-not-match.com', 'does-not-match.rewritten', 'busybox:latest', 'busybox:latest', true],
      ['does-not-match.com', 'does-not-match.rewritten', 'busybox:latest', 'notbusybox:latest', false],
      ['mirror.example', 'public.com', 'mirror.example/busybox:1', 'public.com/busybox:1', true],
      ['mirror.example', 'public.com', 'mirror.example/busybox:1', 'public.com/busybox:not1', false],
      ['mirror.example', 'docker.io/library', 'mirror.example/busybox:latest', 'busybox:latest', true],
      ['mirror.example', 'docker.io/library', 'mirror.example/alpine:latest', 'busybox:latest', false],
      ['docker.io/library', 'original.com', 'copied:latest', 'original.com/copied:latest', true],
      ['docker.io/library', 'original.com', 'copied:latest', 'original.com/ns/copied:latest', false],
      ['busybox', 'example.com/busybox', 'busybox:latest', 'example.com/busybox:latest', false],
      ['docker.io/library/busybox', 'busybox', 'docker.io/library/busybox:latest', 'busybox:latest', false],
      ['UPPERCASE', 'example.com', 'example.com/foo:latest', 'example.com/foo:latest', true],
      ['example.com', 'UPPERCASE', 'example.com/foo:latest', 'UPPERCASE/foo:latest', false],
      // The release case: a mirror whose signatures name the original repository, pulled by digest.
      ['mirror.example.com/ocp', 'quay.io/openshift-release-dev', 'mirror.example.com/ocp/ocp-release' + digestSuffix, 'quay.io/openshift-release-dev/ocp-release:4.16.1-x86_64', true],
      ['mirror.example.com/ocp', 'quay.io/openshift-release-dev', 'mirror.example.com/ocp/ocp-release' + digestSuffix, 'quay.io/openshift-release-dev/ocp-release', false],
      ['mirror.example.com/ocp', 'quay.io/openshift-release-dev', 'mirror.example.com/ocp/ocp-release' + digestSuffix, 'quay.io/openshift-release-dev/other' + digestSuffix, false],
    ];
    for (const [prefix, signedPrefix, image, signature, result] of rows) {
      expect(check({ type: 'remapIdentity', prefix, signedPrefix }, image, signature), `${prefix}->${signedPrefix}: ${image} vs ${signature}`).toBe(result);
    }
  });
});

describe('the release rule matrix (matchRepoDigestOrExact, pulled as ocp-release@digest)', () => {
  const R = 'quay.io/openshift-release-dev/ocp-release';
  const D = 'sha256:2d5d3a0e' + '0'.repeat(56);
  const intended = parsed(`${R}@${D}`);
  const rows: [string, boolean, RegExp][] = [
    [`${R}@${D}`, true, /is in repository/],
    [`${R}@sha256:${'1'.repeat(64)}`, true, /is in repository/],
    [`${R}:4.16.1-multi`, true, /is in repository/],
    [R, false, /without a tag or digest/],
    [`quay.io/openshift-release-dev/ocp-v4.0-art-dev@${D}`, false, /names repository quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev/],
    [`mirror.example.com/ocp-release@${D}`, false, /not quay\.io/],
    [`QUAY.io/openshift-release-dev/ocp-release@${D}`, false, /names repository QUAY\.io/],
    ['', false, /not a valid reference/],
  ];
  for (const [identity, ok, reason] of rows) {
    it(`${identity || '(empty)'} -> ${ok ? 'accepted' : 'rejected'}`, () => {
      const m = matchIdentity({ type: 'matchRepoDigestOrExact' }, intended, identity);
      expect(m.ok).toBe(ok);
      expect(m.reason).toMatch(reason);
    });
  }
  it('exactRepository accepts the configured repository whatever was pulled; remap rewrites the mirror', () => {
    const mirror = parsed(`mirror.example.com/ocp/release@${D}`);
    expect(matchIdentity({ type: 'exactRepository', dockerRepository: R }, mirror, `${R}@${D}`).ok).toBe(true);
    expect(matchIdentity({ type: 'exactRepository', dockerRepository: R }, mirror, `mirror.example.com/ocp/release@${D}`).ok).toBe(false);
    expect(matchIdentity({ type: 'matchRepoDigestOrExact' }, mirror, `${R}@${D}`).ok).toBe(false);
    const remap: IdentityRule = { type: 'remapIdentity', prefix: 'mirror.example.com/ocp/release', signedPrefix: R };
    expect(matchIdentity(remap, mirror, `${R}:4.16.1-x86_64`).ok).toBe(true);
    expect(matchIdentity(remap, mirror, `${R}`).ok).toBe(false);
  });
});

describe('policy namespaces and remap prefixes', () => {
  it('lists the scopes containers/image consults, most specific first', () => {
    expect(policyNamespaces(parsed('quay.io/openshift-release-dev/ocp-release'))).toEqual([
      'quay.io/openshift-release-dev/ocp-release',
      'quay.io/openshift-release-dev',
      'quay.io',
      '*.io',
    ]);
    expect(policyNamespaces(parsed('registry.example.com:5000/a/b'))).toEqual(['registry.example.com:5000/a/b', 'registry.example.com:5000/a', 'registry.example.com:5000', '*.example.com', '*.com']);
    expect(policyNamespaces(parsed('localhost:5000/x'))).toEqual(['localhost:5000/x', 'localhost:5000']);
  });
  it('validates remapIdentity prefixes like validateIdentityRemappingPrefix', () => {
    // Like upstream, short names pass ("FIXME? This does not reject shortname"); the ClusterImagePolicy
    // API validation (policy.ts) is what requires a fully qualified domain.
    for (const ok of ['example.com', 'example.com:5000', 'example.com/ns', 'localhost/x', 'quay.io/openshift-release-dev', 'busybox', 'ns/image']) expect(validateRemapPrefix(ok), ok).toBeUndefined();
    for (const bad of ['example.com/ns:tag', 'example.com/NS', 'example.com/ns@sha256:' + '0'.repeat(64), '', 'a b']) expect(validateRemapPrefix(bad), bad).toBeDefined();
  });
});
