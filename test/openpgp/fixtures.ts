/**
 * Access to the shared OpenPGP fixtures (../shared/fixtures/openpgp, read-only): the manifest's cases
 * and keyrings, fixture bytes, and keyrings built from the manifest's key lists.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOpenPGPKeyring, type OpenPGPKeyring } from '../../src/openpgp/keys.ts';
import type { Digest } from '../../src/model/digest.ts';
import { FIXTURES } from '../helpers/paths.ts';

export const OPENPGP_FIXTURES = join(FIXTURES, 'openpgp');

export interface ManifestCase {
  file: string;
  keyring: string;
  digest: Digest;
  expect: 'ACCEPT' | 'REJECT';
  why: string;
}

export interface Manifest {
  keyrings: Record<string, string[]>;
  cases: ManifestCase[];
}

export const MANIFEST: Manifest = JSON.parse(readFileSync(join(OPENPGP_FIXTURES, 'manifest.json'), 'utf8')) as Manifest;

export function fixturePath(file: string): string {
  return join(OPENPGP_FIXTURES, file);
}

export async function fixtureBytes(file: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(fixturePath(file)));
}

const keyrings = new Map<string, Promise<OpenPGPKeyring>>();

/** A keyring of the manifest (only its files: the baked-in keys are not added). */
export function manifestKeyring(name: string): Promise<OpenPGPKeyring> {
  let ring = keyrings.get(name);
  if (!ring) {
    const files = MANIFEST.keyrings[name];
    if (!files) throw new Error(`manifest.json has no keyring ${name}`);
    ring = loadOpenPGPKeyring({ baked: false, keyFiles: files.map(fixturePath) });
    keyrings.set(name, ring);
  }
  return ring;
}

/** The baked-in Red Hat keys only. */
export function bakedKeyring(): Promise<OpenPGPKeyring> {
  let ring = keyrings.get('(baked)');
  if (!ring) {
    ring = loadOpenPGPKeyring({});
    keyrings.set('(baked)', ring);
  }
  return ring;
}

/** The six genuine Red Hat release-payload signatures in real/, with the digest each signs. */
export const REAL_RELEASE_SIGNATURES: { file: string; digest: Digest; version: 3 | 4; identity: string }[] = [
  { file: 'real/ocp-4.15.0-x86_64.sha256-0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363.sig', digest: 'sha256:0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363', version: 4, identity: 'quay.io/openshift-release-dev/ocp-release:4.15.0-x86_64' },
  { file: 'real/ocp-4.16.0-x86_64.sha256-3717338045df06e31effea46761b2c7e90f543cc4f00547af8158dd6aea868c3.sig', digest: 'sha256:3717338045df06e31effea46761b2c7e90f543cc4f00547af8158dd6aea868c3', version: 4, identity: 'quay.io/openshift-release-dev/ocp-release:4.16.0-x86_64' },
  { file: 'real/ocp-4.15.46-x86_64.sha256-ea0429e14dc9ff007f56d5db2b75209c2510d81e6869194e33a53352d2b6a4fa.sig', digest: 'sha256:ea0429e14dc9ff007f56d5db2b75209c2510d81e6869194e33a53352d2b6a4fa', version: 4, identity: 'quay.io/openshift-release-dev/ocp-release:4.15.46-x86_64' },
  { file: 'real/ocp-4.15.49-x86_64.sha256-7039e7bd34fd024ff619df914528c8d85e62b847291f6684096fd4ca8dba2bbd.sig', digest: 'sha256:7039e7bd34fd024ff619df914528c8d85e62b847291f6684096fd4ca8dba2bbd', version: 4, identity: 'quay.io/openshift-release-dev/ocp-release:4.15.49-x86_64' },
  { file: 'real/ocp-4.16.37-x86_64.sha256-0065822bf39b11e3a3113eb2dee4bddf0a07fe0967892498771bd9728e145ad0.sig', digest: 'sha256:0065822bf39b11e3a3113eb2dee4bddf0a07fe0967892498771bd9728e145ad0', version: 4, identity: 'quay.io/openshift-release-dev/ocp-release:4.16.37-x86_64' },
  { file: 'real/ocp-4.10.x-x86_64.v3sig.sha256-195de2a5ef3af1083620a62a45ea61ac1233ffa27bbce7b30609a69775aeca19.sig', digest: 'sha256:195de2a5ef3af1083620a62a45ea61ac1233ffa27bbce7b30609a69775aeca19', version: 3, identity: 'quay.io/openshift-release-dev/ocp-release:4.10.18-x86_64' },
];

export const RELEASE_KEY_2 = '567E347AD0044ADE55BA8A5F199E2F91FD431D51';
