import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSigcheckError } from '../../src/model/errors.ts';
import { parseClusterManifests } from '../../src/policy/manifests.ts';
import { parsePolicyJson } from '../../src/policy/policy-json.ts';
import { POLICY_JSON_PATH, SIGSTORE_REGISTRIES_PATH, goMarshalIndent, renderNodePolicy, scopeIsNestedInsideScope } from '../../src/policy/render.ts';
import { FIXTURES } from '../helpers/paths.ts';

const CIP = readFileSync(join(FIXTURES, 'openpgp', 'cluster-update-keys.manifests.rhel.0000_90_openshift-cluster-image-policy.yaml'), 'utf8');
const RELEASE_KEY_3 = readFileSync(join(FIXTURES, 'sigstore', 'redhat-release-3-sigstore.pub'));
const PEM = Buffer.from('-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n').toString('base64');

const render = (...texts: string[]) => {
  const m = { policies: [], skipped: [] };
  texts.forEach((t, i) => parseClusterManifests(t, `m${i}.yaml`, m));
  return renderNodePolicy(m);
};
const fileOf = (r: ReturnType<typeof render>, path: string) => r.files.find((f) => f.path === path)?.content;
const policyOf = (r: ReturnType<typeof render>, path = POLICY_JSON_PATH) => JSON.parse(fileOf(r, path) ?? 'null') as { default: unknown[]; transports: Record<string, Record<string, unknown[]>> };

const cip = (name: string, scopes: string[], extra = '') => `apiVersion: config.openshift.io/v1
kind: ClusterImagePolicy
metadata:
  name: ${name}
spec:
  scopes: [${scopes.map((s) => JSON.stringify(s)).join(', ')}]
  policy:
    rootOfTrust:
      policyType: PublicKey
      publicKey:
        keyData: ${PEM}
${extra}`;

describe('policy render of the openshift ClusterImagePolicy (research/sigstore.md 2.4)', () => {
  const r = render(CIP);
  it('gives the entry the machine-config operator\'s code derives, for each of its scopes', () => {
    const expected = [{ type: 'sigstoreSigned', keyData: RELEASE_KEY_3.toString('base64'), signedIdentity: { type: 'matchRepoDigestOrExact' } }];
    const p = policyOf(r);
    expect(p.transports.docker?.['quay.io/openshift-release-dev/ocp-release']).toEqual(expected);
    expect(Object.keys(p.transports.docker ?? {})).toEqual(['quay.io/openshift-release-dev/ocp-release', 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', 'quay.io/openshift-release-dev/ocp-v5.0-art-dev']);
    // The same scopes in `atomic` (fewer than three slashes), the template's docker-daemon kept, default unchanged.
    expect(p.transports.atomic).toEqual(p.transports.docker);
    expect(p.transports['docker-daemon']).toEqual({ '': [{ type: 'insecureAcceptAnything' }] });
    expect(p.default).toEqual([{ type: 'insecureAcceptAnything' }]);
  });
  it('writes sigstore-registries.yaml with use-sigstore-attachments for every scope', () => {
    expect(fileOf(r, SIGSTORE_REGISTRIES_PATH)).toBe(
      'docker:\n  quay.io/openshift-release-dev/ocp-release:\n    use-sigstore-attachments: true\n  quay.io/openshift-release-dev/ocp-v4.0-art-dev:\n    use-sigstore-attachments: true\n  quay.io/openshift-release-dev/ocp-v5.0-art-dev:\n    use-sigstore-attachments: true\n',
    );
  });
  it('is a policy containers/image loads (this tool\'s strict parser reads it back)', () => {
    expect(() => parsePolicyJson(new TextEncoder().encode(fileOf(r, POLICY_JSON_PATH)), 'rendered')).not.toThrow();
  });
});

describe('goMarshalIndent: json.MarshalIndent(v, "", "  ")', () => {
  it('indents by two spaces, writes empty objects and lists inline, escapes like Go', () => {
    expect(goMarshalIndent({ a: [], b: {}, c: ['<&>'], d: { e: 1 } })).toBe('{\n  "a": [],\n  "b": {},\n  "c": [\n    "\\u003c\\u0026\\u003e"\n  ],\n  "d": {\n    "e": 1\n  }\n}');
  });
});

describe('policy render: the operator\'s other rules', () => {
  it('one requirement per ClusterImagePolicy on a shared scope; rekorKeyData and signedIdentity carried over', () => {
    const r = render(cip('a', ['quay.io/x']), cip('b', ['quay.io/x'], `    signedIdentity:\n      matchPolicy: RemapIdentity\n      remapIdentity:\n        prefix: quay.io/x\n        signedPrefix: registry.example.com/y\n`));
    expect(policyOf(r).transports.docker?.['quay.io/x']).toEqual([
      { type: 'sigstoreSigned', keyData: PEM, signedIdentity: { type: 'matchRepoDigestOrExact' } },
      { type: 'sigstoreSigned', keyData: PEM, signedIdentity: { type: 'remapIdentity', prefix: 'quay.io/x', signedPrefix: 'registry.example.com/y' } },
    ]);
  });
  it('leaves scopes with three slashes out of atomic', () => {
    const p = policyOf(render(cip('a', ['quay.io/a/b/c', 'quay.io/a/b'])));
    expect(Object.keys(p.transports.atomic ?? {})).toEqual(['quay.io/a/b']);
  });
  it('renders ImagePolicies per namespace, dropping scopes inside a ClusterImagePolicy scope', () => {
    const ip = cip('team', ['quay.io/team/app', 'quay.io/x/inner']).replace('kind: ClusterImagePolicy', 'kind: ImagePolicy').replace('  name: team', '  name: team\n  namespace: apps');
    const r = render(cip('a', ['quay.io/x']), ip);
    const ns = policyOf(r, '/etc/crio/policies/apps.json');
    expect(Object.keys(ns.transports.docker ?? {})).toEqual(['quay.io/team/app', 'quay.io/x']);
    expect(Object.keys(policyOf(r).transports.docker ?? {})).toEqual(['quay.io/x']);
    expect(r.notes.join('\n')).toMatch(/quay.io\/x\/inner equal or nest inside a ClusterImagePolicy scope/);
    expect(fileOf(r, SIGSTORE_REGISTRIES_PATH)).toMatch(/quay.io\/team\/app:\n {4}use-sigstore-attachments: true/);
  });
  it('allowedRegistries: default reject, allowed registries insecureAcceptAnything, policy scopes must be inside them', () => {
    const image = 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    allowedRegistries: [quay.io, registry.example.com]\n';
    const p = policyOf(render(image, cip('a', ['quay.io/x'])));
    expect(p.default).toEqual([{ type: 'reject' }]);
    expect(p.transports.docker?.['quay.io']).toEqual([{ type: 'insecureAcceptAnything' }]);
    expect(p.transports.docker?.['quay.io/x']?.[0]).toMatchObject({ type: 'sigstoreSigned' });
    expect(() => render(image, cip('a', ['other.example.com/x']))).toThrow(/not nested inside allowedRegistries/);
  });
  it('blockedRegistries: reject for each, and a policy scope inside one is refused', () => {
    const image = 'apiVersion: config.openshift.io/v1\nkind: Image\nmetadata:\n  name: cluster\nspec:\n  registrySources:\n    blockedRegistries: [bad.example.com]\n';
    expect(policyOf(render(image)).transports.docker).toEqual({ 'bad.example.com': [{ type: 'reject' }] });
    expect(() => render(image, cip('a', ['bad.example.com/x']))).toThrow(/nested inside blockedRegistries/);
  });
  it('signedRegistries (the enhancement): signedBy GPGKeys with keyPath, in docker and atomic', () => {
    const r = render(readFileSync(join(FIXTURES, 'policy', 'signed-registries-enhancement.image.yaml'), 'utf8'));
    const p = policyOf(r);
    expect(p.default).toEqual([{ type: 'reject' }]);
    expect(p.transports.docker?.['example.com']).toEqual([{ type: 'signedBy', keyType: 'GPGKeys', keyPath: '/tmp/key2.gpg', signedIdentity: { type: 'matchRepoDigestOrExact' } }]);
    expect(p.transports.docker?.['quay.io/allowed']).toEqual([{ type: 'insecureAcceptAnything' }]);
    expect(Object.keys(p.transports.atomic ?? {}).sort()).toEqual(Object.keys(p.transports.docker ?? {}).sort());
    expect(r.notes.join('\n')).toMatch(/keyPath for the key file where the enhancement's example writes the path into keyData/);
    expect(fileOf(r, SIGSTORE_REGISTRIES_PATH)).toBeUndefined();
  });
  it('agrees with the enhancement\'s own policy.json, but for keyData/keyPath, the default identity, the template and its // typo', () => {
    const rendered = policyOf(render(readFileSync(join(FIXTURES, 'policy', 'signed-registries-enhancement.image.yaml'), 'utf8')));
    const example = JSON.parse(readFileSync(join(FIXTURES, 'policy', 'signed-registries-enhancement.policy.json'), 'utf8')) as typeof rendered;
    const normal = (p: typeof rendered) =>
      Object.fromEntries(
        ['docker', 'atomic'].map((t) => [
          t,
          Object.fromEntries(Object.entries(p.transports[t] ?? {}).map(([s, reqs]) => [s, reqs.map((q) => { const r = q as Record<string, string>; return r.type === 'signedBy' ? { type: r.type, keyType: r.keyType, key: (r.keyPath ?? r.keyData)!.replace(/^\/+/, '/') } : { type: r.type }; })])),
        ]),
      );
    expect(normal(rendered)).toEqual(normal(example));
    expect(rendered.default).toEqual(example.default);
  });
  it('adds the digest mirrors of each scope to registries.d', () => {
    const m = { policies: [], skipped: [] };
    parseClusterManifests(cip('a', ['quay.io/openshift-release-dev/ocp-release']), 'm.yaml', m);
    const r = renderNodePolicy(m, { mirrors: [{ source: 'quay.io/openshift-release-dev', mirrors: ['mirror.example.com:5000/ocp'] }] });
    expect(fileOf(r, SIGSTORE_REGISTRIES_PATH)).toContain("mirror.example.com:5000/ocp/ocp-release:\n    use-sigstore-attachments: true");
  });
  it('refuses what the API server refuses, naming the document', () => {
    let err: unknown;
    try {
      render(cip('a', ['quay.io/x']).replace('policyType: PublicKey', 'policyType: Keyless'));
    } catch (e) {
      err = e;
    }
    expect(isSigcheckError(err, 'CONFIG') && err.message).toMatch(/^m0\.yaml document 1 \(ClusterImagePolicy\/a\)\.spec\.policy\.rootOfTrust\.policyType: must be PublicKey/);
    expect(() => render(cip('a', ['quay.io/UPPER']))).toThrow(/is not a valid scope/);
  });
});

describe('scopeIsNestedInsideScope (runtime-utils)', () => {
  it('matches the scope itself, path children and wildcard subdomains, not name prefixes', () => {
    expect(scopeIsNestedInsideScope('quay.io/a/b', 'quay.io/a')).toBe(true);
    expect(scopeIsNestedInsideScope('quay.io/ab', 'quay.io/a')).toBe(false);
    expect(scopeIsNestedInsideScope('r.example.com/x', '*.example.com')).toBe(true);
    expect(scopeIsNestedInsideScope('r.example.com:5000', '*.example.com')).toBe(true);
    expect(scopeIsNestedInsideScope('quay.io/x.example.com', '*.example.com')).toBe(false);
  });
});
