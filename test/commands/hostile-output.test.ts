/** The CLI's JSON outputs keep hostile strings exact while their text shows no invisible character or workflow command. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { RunTally } from '../../src/model/results.ts';
import { Capture } from '../helpers/fakes.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('merge-reports over a report with hostile strings', () => {
  it('writes them \\u-escaped, and they parse back unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sigcheck-hostile-cli-'));
    dirs.push(dir);
    const version = '4.99.3\u2028##[error]pwned\u202e';
    const counts = new RunTally().counts;
    const report = {
      schemaVersion: 1,
      tool: { name: 'release-sigcheck', version: '0.1.0' },
      mode: 'audit',
      releaseRepo: 'quay.io/openshift-release-dev/ocp-release',
      require: ['openpgp'],
      arches: ['amd64'],
      nodes: [{ version, arch: 'amd64', digest: null, status: 'error', places: [], openpgp: { outcome: 'error', reason: 'x' }, sigstore: { outcome: 'skipped', reason: 'y' } }],
      unpublished: [],
      findings: [],
      status: 'error',
      exitCode: 3,
      counts,
      durationMs: 1,
    };
    await writeFile(join(dir, 'a.json'), JSON.stringify(report));
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['merge-reports', join(dir, 'a.json')], { stdout: stdout as never, stderr: stderr as never, env: {} });
    expect(stderr.text).toBe('');
    expect(code).toBe(3);
    expect(stdout.text).not.toMatch(/[\u2028\u202e]|##\[/);
    expect(stdout.text).toContain('4.99.3\\u2028#\\u0023[error]pwned\\u202e');
    expect((JSON.parse(stdout.text) as { nodes: { version: string }[] }).nodes[0]!.version).toBe(version);
  });
});
