/**
 * Remedy commands: the argv carries the real repository, digest and tag; TLS flags only for plain
 * HTTP; the shell line quotes what a shell would split or expand.
 */
import { describe, expect, it } from 'vitest';
import type { Digest } from '../../src/model/digest.ts';
import { parseRepository } from '../../src/registry/reference.ts';
import {
  copyImageRemedies,
  copyInstanceRemedies,
  copySignatureRemedies,
  shellQuote,
  toConfigMapFileName,
  writeConfigMapRemedies,
} from '../../src/mirror/remedy.ts';

const LIST: Digest = `sha256:${'ab'.repeat(32)}`;
const INSTANCE: Digest = `sha256:${'cd'.repeat(32)}`;
const source = parseRepository('quay.io/openshift-release-dev/ocp-release');
const mirror = parseRepository('registry.example.com:8443/ocp4/openshift4');

describe('mirror remedies', () => {
  it('copies a .sig tag from the source, named after the digest, over TLS', () => {
    const tag = `sha256-${'cd'.repeat(32)}.sig`;
    const [oc, skopeo] = copySignatureRemedies(source, mirror, INSTANCE);
    expect(oc!.command).toBe(`oc image mirror quay.io/openshift-release-dev/ocp-release:${tag} registry.example.com:8443/ocp4/openshift4:${tag}`);
    expect(skopeo!.argv).toEqual(['skopeo', 'copy', '--preserve-digests', `docker://quay.io/openshift-release-dev/ocp-release:${tag}`, `docker://registry.example.com:8443/ocp4/openshift4:${tag}`]);
  });

  it('adds the plain-HTTP flags only on the side that is plain HTTP', () => {
    const lab = parseRepository('http://127.0.0.1:5000/ocp/release');
    const [oc, skopeo] = copyImageRemedies(source, lab, LIST, '4.21.3-multi');
    expect(oc!.argv).toEqual(['oc', 'image', 'mirror', '--keep-manifest-list=true', '--insecure=true', `quay.io/openshift-release-dev/ocp-release@${LIST}`, '127.0.0.1:5000/ocp/release:4.21.3-multi']);
    expect(skopeo!.argv).toEqual(['skopeo', 'copy', '--all', '--preserve-digests', '--dest-tls-verify=false', `docker://quay.io/openshift-release-dev/ocp-release@${LIST}`, 'docker://127.0.0.1:5000/ocp/release:4.21.3-multi']);
    const [, instance] = copyInstanceRemedies(lab, mirror, INSTANCE, LIST, '4.21.3-multi');
    expect(instance!.argv).toEqual(['skopeo', 'copy', '--preserve-digests', '--src-tls-verify=false', `docker://127.0.0.1:5000/ocp/release@${INSTANCE}`, `docker://registry.example.com:8443/ocp4/openshift4@${INSTANCE}`]);
  });

  it('writes then applies the ConfigMap, in the oc adm release mirror file name', () => {
    expect(toConfigMapFileName(LIST)).toBe('signature-sha256-abababababababab.yaml');
    const [write, apply] = writeConfigMapRemedies(LIST, { dir: 'my mirror/config', signatureStores: ['https://s.example.com/sigs'], openpgpKeys: ['k.asc'] });
    expect(write!.argv).toEqual(['release-sigcheck', 'configmap', '--write', 'my mirror/config', '--digest', LIST, '--signature-store', 'https://s.example.com/sigs', '--openpgp-key', 'k.asc']);
    expect(write!.command).toBe(`release-sigcheck configmap --write 'my mirror/config' --digest ${LIST} --signature-store https://s.example.com/sigs --openpgp-key k.asc`);
    expect(apply).toMatchObject({ argv: ['oc', 'apply', '-f', 'my mirror/config/signature-sha256-abababababababab.yaml'], then: true });
  });

  it('quotes for a POSIX shell, and refuses a digest that is not one', () => {
    expect(shellQuote('plain/path:tag@sha256:00')).toBe('plain/path:tag@sha256:00');
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(shellQuote('')).toBe("''");
    expect(() => copySignatureRemedies(source, mirror, 'sha256:../../x' as Digest)).toThrow(/not a digest/);
  });
});
