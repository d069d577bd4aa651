/**
 * Source-to-mirror mapping from ImageDigestMirrorSet / ImageContentSourcePolicy manifests, matched the
 * way containers/image matches registries.conf prefixes (longest prefix, path boundaries, subdomain
 * wildcards, the rest of the path appended to each mirror).
 */
import { describe, expect, it } from 'vitest';
import { isSigcheckError } from '../../src/model/errors.ts';
import { matchingPrefixLength, parseMirrorRules, toMirrorRepositories } from '../../src/mirror/idms.ts';

const RELEASE = 'quay.io/openshift-release-dev/ocp-release';

// Shaped like what `oc adm release mirror --to=registry.example.com/ocp4/openshift4` prints.
const ICSP = `apiVersion: operator.openshift.io/v1alpha1
kind: ImageContentSourcePolicy
metadata:
  name: example
spec:
  repositoryDigestMirrors:
  - mirrors:
    - registry.example.com/ocp4/openshift4
    source: quay.io/openshift-release-dev/ocp-release
  - mirrors:
    - registry.example.com/ocp4/openshift4
    source: quay.io/openshift-release-dev/ocp-v4.0-art-dev
`;

// Shaped like oc-mirror v2's cluster-resources/idms-oc-mirror.yaml, with an ImageTagMirrorSet beside it.
const IDMS = `---
apiVersion: config.openshift.io/v1
kind: ImageDigestMirrorSet
metadata:
  name: idms-release-0
spec:
  imageDigestMirrors:
  - mirrors:
    - registry.example.com:8443/openshift/release
    source: quay.io/openshift-release-dev/ocp-v4.0-art-dev
  - mirrors:
    - registry.example.com:8443/openshift/release-images
    source: quay.io/openshift-release-dev/ocp-release
---
apiVersion: config.openshift.io/v1
kind: ImageTagMirrorSet
metadata:
  name: itms-release-0
spec:
  imageTagMirrors:
  - mirrors:
    - registry.example.com:8443/openshift/release-images
    source: quay.io/openshift-release-dev/ocp-release
`;

function idms(name: string, entries: { source: string; mirrors: string[] }[]): string {
  return JSON.stringify({ apiVersion: 'config.openshift.io/v1', kind: 'ImageDigestMirrorSet', metadata: { name }, spec: { imageDigestMirrors: entries } });
}

describe('parseMirrorRules', () => {
  it('reads an ImageContentSourcePolicy as oc adm release mirror writes it', () => {
    const set = parseMirrorRules(ICSP, 'icsp.yaml');
    expect(set.notes).toEqual([]);
    expect(set.rules).toEqual([
      { source: RELEASE, mirrors: ['registry.example.com/ocp4/openshift4'], origin: 'ImageContentSourcePolicy/example (icsp.yaml)' },
      { source: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', mirrors: ['registry.example.com/ocp4/openshift4'], origin: 'ImageContentSourcePolicy/example (icsp.yaml)' },
    ]);
    expect(toMirrorRepositories(RELEASE, set.rules)).toEqual([{ repository: 'registry.example.com/ocp4/openshift4', source: RELEASE, origins: ['ImageContentSourcePolicy/example (icsp.yaml)'] }]);
  });

  it('reads the ImageDigestMirrorSet oc-mirror writes, and ignores the ImageTagMirrorSet with a note', () => {
    const set = parseMirrorRules(IDMS, 'idms.yaml');
    expect(set.rules.map((r) => [r.source, r.mirrors])).toEqual([
      ['quay.io/openshift-release-dev/ocp-v4.0-art-dev', ['registry.example.com:8443/openshift/release']],
      [RELEASE, ['registry.example.com:8443/openshift/release-images']],
    ]);
    expect(set.notes).toEqual(['idms.yaml document 2: ImageTagMirrorSet applies to pulls by tag; release images are pulled by digest, so it is ignored']);
    expect(toMirrorRepositories(RELEASE, set.rules).map((m) => m.repository)).toEqual(['registry.example.com:8443/openshift/release-images']);
  });

  it('reads kind: List and notes documents that are not mirror sets', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [JSON.parse(idms('a', [{ source: 'quay.io', mirrors: ['m.example.com/q'] }])), { kind: 'ConfigMap' }] });
    const set = parseMirrorRules(text, 'list.json');
    expect(set.rules).toEqual([{ source: 'quay.io', mirrors: ['m.example.com/q'], origin: 'ImageDigestMirrorSet/a (list.json)' }]);
    expect(set.notes).toEqual(['list.json items[1]: kind ConfigMap, not an ImageDigestMirrorSet or ImageContentSourcePolicy, ignored']);
  });

  it('refuses a mirror with a scheme or tag, a malformed source, and text that is not YAML', () => {
    const cases: [string, RegExp][] = [
      [idms('x', [{ source: RELEASE, mirrors: ['https://m.example.com/ocp'] }]), /mirrors\[0\]: "https:\/\/m.example.com\/ocp" is not host\[:port\]\[\/path\]/],
      [idms('x', [{ source: RELEASE, mirrors: ['m.example.com/ocp:latest'] }]), /is not host\[:port\]\[\/path\]/],
      [idms('x', [{ source: 'quay.io/UPPER', mirrors: ['m.example.com/ocp'] }]), /source "quay.io\/UPPER" is not a repository/],
      ['spec: [unclosed', /not valid YAML or JSON/],
    ];
    for (const [text, message] of cases) {
      let caught: unknown;
      try {
        parseMirrorRules(text, 'bad.yaml');
      } catch (err) {
        caught = err;
      }
      expect(isSigcheckError(caught, 'CONFIG'), String(caught)).toBe(true);
      expect((caught as Error).message).toMatch(message);
    }
  });
});

describe('toMirrorRepositories (containers/image prefix rules)', () => {
  const rules = (...docs: string[]) => docs.flatMap((d, i) => parseMirrorRules(d, `f${i}.json`).rules);

  it('maps a namespace or registry source to the mirror plus the rest of the path', () => {
    expect(toMirrorRepositories(RELEASE, rules(idms('ns', [{ source: 'quay.io/openshift-release-dev', mirrors: ['m.example.com/ocp'] }]))).map((m) => m.repository)).toEqual([
      'm.example.com/ocp/ocp-release',
    ]);
    expect(toMirrorRepositories(RELEASE, rules(idms('reg', [{ source: 'quay.io', mirrors: ['m.example.com:5000/quay', 'n.example.com'] }]))).map((m) => m.repository)).toEqual([
      'm.example.com:5000/quay/openshift-release-dev/ocp-release',
      'n.example.com/openshift-release-dev/ocp-release',
    ]);
  });

  it('uses only the longest matching source, merging every document that names it, in order', () => {
    const set = rules(
      idms('broad', [{ source: 'quay.io', mirrors: ['broad.example.com/q'] }]),
      idms('a', [{ source: RELEASE, mirrors: ['a.example.com/r', 'b.example.com/r'] }]),
      idms('b', [{ source: RELEASE, mirrors: ['b.example.com/r', 'c.example.com/r'] }]),
    );
    const mapped = toMirrorRepositories(RELEASE, set);
    expect(mapped.map((m) => m.repository)).toEqual(['a.example.com/r', 'b.example.com/r', 'c.example.com/r']);
    expect(mapped[1]!.origins).toEqual(['ImageDigestMirrorSet/a (f1.json)', 'ImageDigestMirrorSet/b (f2.json)']);
  });

  it('matches at path boundaries only, and *.domain wildcards on the host', () => {
    expect(matchingPrefixLength(RELEASE, 'quay.io/openshift-release-dev/ocp-rel')).toBe(-1);
    expect(matchingPrefixLength('quay.io/openshift-release-dev/ocp-release-nightly', RELEASE)).toBe(-1);
    expect(matchingPrefixLength(RELEASE, RELEASE)).toBe(RELEASE.length);
    expect(matchingPrefixLength(`${RELEASE}@sha256:00`, RELEASE)).toBe(RELEASE.length);
    expect(matchingPrefixLength('registry.example.com/ns/repo', '*.example.com')).toBe('registry.example.com'.length);
    expect(matchingPrefixLength('example.com/ns/repo', '*.example.com')).toBe(-1);
    expect(matchingPrefixLength('quay.io/registry.example.com/repo', '*.example.com')).toBe(-1);
    const wildcard = rules(idms('w', [{ source: '*.example.com', mirrors: ['mirror.local:5000/ex'] }]));
    expect(toMirrorRepositories('registry.example.com/ns/repo', wildcard).map((m) => m.repository)).toEqual(['mirror.local:5000/ex/ns/repo']);
    expect(toMirrorRepositories(RELEASE, wildcard)).toEqual([]);
  });
});
