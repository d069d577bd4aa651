import { describe, expect, it } from 'vitest';
import { isSigcheckError } from '../../src/model/errors.ts';
import { BUILTIN_LOOKASIDE, lookasideFor, lookasideSignatureUrl, parseRegistriesD, sigstoreAttachmentsFor, type RegistriesDFile } from '../../src/policy/registries-d.ts';
import { parseNormalizedNamed, type DockerReference } from '../../src/sigstore/reference.ts';

const D = `sha256:${'a'.repeat(64)}` as const;
function ref(s: string): DockerReference {
  const r = parseNormalizedNamed(s);
  if (!r.ok) throw new Error(r.reason);
  return r.ref;
}
const parse = (files: RegistriesDFile[]) => parseRegistriesD(files, '/etc/containers/registries.d');

describe('registries.d: merging the directory (docker/registries_d.go loadAndMergeConfig)', () => {
  it('reads only *.yaml files and merges their scopes', () => {
    const c = parse([
      { name: 'a.yaml', text: 'docker:\n  quay.io:\n    lookaside: https://l.example.com/sigs\n' },
      { name: 'b.yaml', text: 'default-docker:\n  use-sigstore-attachments: true\n' },
      { name: 'c.yml', text: 'docker:\n  registry.example.com:\n    use-sigstore-attachments: true\n' },
    ]);
    expect([...c.docker.keys()]).toEqual(['quay.io']);
    expect(c.defaultDocker?.useSigstoreAttachments).toBe(true);
  });

  const fails: [string, RegistriesDFile[], string][] = [
    ['default-docker in two files', [{ name: 'a.yaml', text: 'default-docker:\n  lookaside: file:///a\n' }, { name: 'b.yaml', text: 'default-docker:\n  lookaside: file:///b\n' }], 'default-docker'],
    ['one scope in two files', [{ name: 'a.yaml', text: 'docker:\n  quay.io:\n    lookaside: file:///a\n' }, { name: 'b.yaml', text: 'docker:\n  quay.io:\n    use-sigstore-attachments: true\n' }], 'docker["quay.io"]'],
    ['a duplicate key', [{ name: 'a.yaml', text: 'docker:\n  quay.io: {}\n  quay.io: {}\n' }], ''],
    ['a section that is a list', [{ name: 'a.yaml', text: 'docker:\n  quay.io: [1]\n' }], 'docker["quay.io"]'],
    ['use-sigstore-attachments that is not a boolean', [{ name: 'a.yaml', text: 'docker:\n  quay.io:\n    use-sigstore-attachments: maybe\n' }], 'docker["quay.io"].use-sigstore-attachments'],
    ['a top level that is not a mapping', [{ name: 'a.yaml', text: '- a\n' }], ''],
  ];
  for (const [what, files, at] of fails) {
    it(`refuses ${what} (REGISTRIES_D naming the file and ${at || 'the top level'})`, () => {
      let err: unknown;
      try {
        parse(files);
      } catch (e) {
        err = e;
      }
      expect(isSigcheckError(err, 'REGISTRIES_D')).toBe(true);
      if (isSigcheckError(err)) {
        expect(err.jsonPath).toBe(at);
        expect(err.file).toMatch(/^\/etc\/containers\/registries\.d\/[ab]\.yaml$/);
      }
    });
  }

  it('reads YAML 1.1 booleans as yaml.v3 does for a bool field, and warns about unknown keys', () => {
    const c = parse([{ name: 'a.yaml', text: 'docker:\n  quay.io:\n    use-sigstore-attachments: yes\n    lookside: https://typo.example.com\n' }]);
    expect(c.docker.get('quay.io')?.useSigstoreAttachments).toBe(true);
    expect(c.warnings.join('\n')).toMatch(/lookside is not a registries.d key/);
  });
});

describe('registries.d: lookups by the physical reference', () => {
  const c = parse([
    {
      name: 'a.yaml',
      text: [
        'default-docker:',
        '  lookaside: https://default.example.com/sigs',
        'docker:',
        '  mirror.example.com:5000:',
        '    lookaside: https://host.example.com/sigs',
        '    use-sigstore-attachments: true',
        '  mirror.example.com:5000/ns/app:',
        '    use-sigstore-attachments: false',
        '  mirror.example.com:5000/ns/other:',
        '    sigstore: https://old-spelling.example.com',
        '  "*.example.org":',
        '    use-sigstore-attachments: true',
        '',
      ].join('\n'),
    },
  ]);
  it('falls through a more specific section that does not set the value', () => {
    expect(lookasideFor(c, ref(`mirror.example.com:5000/ns/app@${D}`))).toMatchObject({ base: 'https://host.example.com/sigs', builtIn: false });
    expect(sigstoreAttachmentsFor(c, ref(`mirror.example.com:5000/ns/app@${D}`)).enabled).toBe(false);
    expect(sigstoreAttachmentsFor(c, ref(`mirror.example.com:5000/ns/third@${D}`)).enabled).toBe(true);
  });
  it('reads the deprecated `sigstore` spelling, wildcards, and default-docker', () => {
    expect(lookasideFor(c, ref(`mirror.example.com:5000/ns/other@${D}`)).base).toBe('https://old-spelling.example.com');
    expect(sigstoreAttachmentsFor(c, ref(`a.b.example.org/x@${D}`)).enabled).toBe(true);
    expect(lookasideFor(c, ref(`quay.io/x/y@${D}`)).base).toBe('https://default.example.com/sigs');
    expect(sigstoreAttachmentsFor(c, ref(`quay.io/x/y@${D}`)).enabled).toBe(false);
  });
  it('without configuration: the node-local default lookaside, no attachments', () => {
    const empty = parse([]);
    expect(lookasideFor(empty, ref(`quay.io/x/y@${D}`))).toEqual({ base: BUILTIN_LOOKASIDE, from: 'built-in default', builtIn: true });
    expect(sigstoreAttachmentsFor(empty, ref(`quay.io/x/y@${D}`)).enabled).toBe(false);
  });
});

describe('lookaside signature URLs (lookasideStorageURL)', () => {
  const r = ref(`quay.io/openshift-release-dev/ocp-release@${D}`);
  const url = (base: string, n = 1) => lookasideSignatureUrl(base, r, D, n);
  it('appends the repository path without its host, @sha256=<hex>, and signature-N', () => {
    expect(url('https://l.example.com/sigs', 2)).toEqual({ ok: true, scheme: 'https', url: `https://l.example.com/sigs/openshift-release-dev/ocp-release@sha256=${'a'.repeat(64)}/signature-2` });
    expect(url('file:///var/lib/containers/sigstore')).toMatchObject({ ok: true, scheme: 'file', url: `file:///var/lib/containers/sigstore/openshift-release-dev/ocp-release@sha256=${'a'.repeat(64)}/signature-1` });
  });
  it('keeps Go url.Path semantics: no path, a trailing slash, a query', () => {
    expect(url('http://l.example.com')).toMatchObject({ url: `http://l.example.com/openshift-release-dev/ocp-release@sha256=${'a'.repeat(64)}/signature-1` });
    expect(url('http://l.example.com/')).toMatchObject({ url: `http://l.example.com//openshift-release-dev/ocp-release@sha256=${'a'.repeat(64)}/signature-1` });
    expect(url('http://l.example.com/s?token=1')).toMatchObject({ url: `http://l.example.com/s/openshift-release-dev/ocp-release@sha256=${'a'.repeat(64)}/signature-1?token=1` });
  });
  it('refuses what containers/image cannot read', () => {
    expect(url('ftp://l.example.com').ok).toBe(false);
    expect(url('/var/lib/containers/sigstore').ok).toBe(false);
  });
});
