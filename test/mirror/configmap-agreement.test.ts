/**
 * `configmap FILE` and `mirror --configmaps` judge the same ConfigMaps with one implementation
 * (judgeConfigMapSignatures): the same verdict on the genuine signatures and on labelled, unlabelled,
 * wrong-namespace and namespace-less variants. The operator never reads an unlabelled ConfigMap or one
 * outside openshift-config-managed, so a valid signature there is invalid for both.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.ts';
import type { Digest } from '../../src/model/digest.ts';
import { checkConfigMapSignatures, loadConfigMapIndex } from '../../src/mirror/configmaps.ts';
import { Capture } from '../helpers/fakes.ts';
import { bakedKeyring, fixtureBytes, REAL_RELEASE_SIGNATURES } from '../openpgp/fixtures.ts';

const LABEL = 'release.openshift.io/verification-signatures';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-cm-agree-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configmapCommand(file: string): Promise<{ code: number; digests: { digest: string; outcome: string; reason: string }[] }> {
  const stdout = new Capture();
  const code = await main(['configmap', file, '--format', 'json'], { stdout: stdout as never, stderr: new Capture() as never, env: {} });
  return { code, digests: (JSON.parse(stdout.text) as { digests: { digest: string; outcome: string; reason: string }[] }).digests };
}

const variants: [string, { namespace?: string; labels?: Record<string, string> }, 'verified' | 'invalid'][] = [
  ['labelled, in openshift-config-managed', { namespace: 'openshift-config-managed', labels: { [LABEL]: '' } }, 'verified'],
  ['labelled with a value', { namespace: 'openshift-config-managed', labels: { [LABEL]: 'yes' } }, 'verified'],
  ['labelled, no namespace (applied with -n)', { labels: { [LABEL]: '' } }, 'verified'],
  ['unlabelled', { namespace: 'openshift-config-managed' }, 'invalid'],
  ['unlabelled, other labels', { namespace: 'openshift-config-managed', labels: { app: 'x' } }, 'invalid'],
  ['labelled, wrong namespace', { namespace: 'default', labels: { [LABEL]: '' } }, 'invalid'],
  ['unlabelled, wrong namespace', { namespace: 'openshift-config' }, 'invalid'],
];

describe('configmap and mirror --configmaps agree', () => {
  it.each(variants)('%s: both say %s, for every genuine release signature', async (name, meta, expected) => {
    for (const s of REAL_RELEASE_SIGNATURES) {
      const cm = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `sha256-${s.digest.slice(7)}`, ...meta },
        binaryData: { [`sha256-${s.digest.slice(7)}-1`]: Buffer.from(await fixtureBytes(s.file)).toString('base64') },
      };
      const file = join(dir, `${name.replace(/\W+/g, '-')}-${s.digest.slice(7, 15)}.yaml`);
      await writeFile(file, stringify(cm));
      const command = await configmapCommand(file);
      const mirror = await checkConfigMapSignatures(s.digest as Digest, await loadConfigMapIndex([file]), await bakedKeyring());
      expect(command.digests.map((d) => d.outcome)).toEqual([expected]);
      expect(mirror.outcome).toBe(expected);
      expect(command.code).toBe(expected === 'verified' ? 0 : 1);
      // One judgement: the same reason word for word.
      expect(command.digests[0]!.reason).toBe(mirror.reason);
      if (expected === 'invalid') expect(mirror.reason).toMatch(/will not read it: .*never reads this one/);
    }
  });
});
