import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GithubReporter } from '../../src/report/github.ts';
import { RunTally, type NodeResult } from '../../src/model/results.ts';
import type { RunInfo } from '../../src/model/reporter.ts';
import { PAYLOAD_OK, fakeDigest } from '../helpers/fakes.ts';

const info: RunInfo = { mode: 'pr', pathPrefix: 'graph-data/', releaseRepo: 'quay.io/openshift-release-dev/ocp-release', require: ['openpgp', 'sigstore'], arches: ['amd64'], total: 12, reportPath: '/tmp/r.json' };

function failing(i: number): NodeResult {
  return {
    version: `4.18.${i}`,
    arch: 'amd64',
    digest: fakeDigest(`n${i}`),
    tag: `4.18.${i}-x86_64`,
    places: [{ file: 'channels/candidate-4.18.yaml', line: 10 + i, channel: 'candidate-4.18' }],
    openpgp: { outcome: 'missing', reason: `no signature at https://mirror.openshift.com/sha256=${i}/signature-1 (404)` },
    sigstore: { outcome: i % 2 === 0 ? 'verified' : 'invalid', reason: i % 2 === 0 ? 'ok' : 'signed by an untrusted key <script>' },
    components: PAYLOAD_OK.components,
    metadata: PAYLOAD_OK.metadata,
  };
}

let stdout: string[];
let dir: string;
// @actions/core remembers the summary file path for the process, so one directory serves every test.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-gh-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  await writeFile(join(dir, 'summary.md'), '');
  await writeFile(join(dir, 'output'), '');
  vi.stubEnv('GITHUB_STEP_SUMMARY', join(dir, 'summary.md'));
  vi.stubEnv('GITHUB_OUTPUT', join(dir, 'output'));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function run(nodes: NodeResult[]): Promise<GithubReporter> {
  const reporter = new GithubReporter();
  const tally = new RunTally();
  reporter.begin(info);
  for (const n of nodes) {
    tally.addNode(n);
    reporter.node(n);
  }
  await reporter.end({ status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, durationMs: 5 });
  return reporter;
}

const title = (l: string) => /title=([^,:]*)/.exec(l)?.[1];
const location = (l: string) => l.slice(l.indexOf(',file=') + 1, l.indexOf('::', 2));

describe('GithubReporter', () => {
  it('with 12 failing versions emits 9 titled error annotations on their lines, then one notice', async () => {
    const nodes = Array.from({ length: 12 }, (_, i) => failing(i + 1));
    const reporter = await run(nodes);
    const commands = stdout.join('').split('\n').filter((l) => l.startsWith('::error') || l.startsWith('::notice') || l.startsWith('::warning'));
    expect(commands.filter((l) => l.startsWith('::error'))).toHaveLength(9);
    expect(commands.filter((l) => l.startsWith('::notice'))).toHaveLength(1);
    expect(commands.filter((l) => l.startsWith('::warning'))).toHaveLength(0);
    for (let i = 1; i <= 9; i++) {
      const line = commands[i - 1]!;
      expect(location(line)).toBe(`file=graph-data/channels/candidate-4.18.yaml,line=${10 + i}`);
      expect(title(line)).toBe(i % 2 === 0 ? `4.18.${i} amd64%3A OpenPGP missing` : `4.18.${i} amd64%3A OpenPGP missing%2C Sigstore invalid`);
      expect(line).toContain(`::4.18.${i} is not signed the way clusters require:%0A- amd64 (${fakeDigest(`n${i}`).slice(0, 19)}): OpenPGP missing: no signature at https://mirror.openshift.com/sha256=${i}/signature-1 (404)`);
    }
    expect(commands[0]).toContain('%0A- amd64 (' + fakeDigest('n1').slice(0, 19) + '): Sigstore invalid: signed by an untrusted key <script>');
    expect(commands[9]).toBe(
      '::notice title=release-sigcheck%3A more problems than annotations::3 more failing version(s) or error(s) not annotated: GitHub shows at most 10 annotations of each kind per step. The full list is in the job summary and the JSON report (/tmp/r.json).',
    );
    expect(reporter.emitted).toEqual({ errors: 9, warnings: 0, notices: 1 });

    // the job summary has a row for each of the 12, HTML-escaped, with a mark per check
    const summary = await readFile(join(dir, 'summary.md'), 'utf8');
    for (const n of nodes) expect(summary).toContain(`<tr><td><code>${n.version}</code> amd64</td><td align="center" title="OpenPGP missing">❌</td>`);
    expect(summary).toContain('signed by an untrusted key &lt;script&gt;');
    expect(summary).not.toContain('<script>');
    // outputs for counts and the report path
    const outputs = await readFile(join(dir, 'output'), 'utf8');
    expect(outputs).toMatch(/^failed<<.*\n12\n/m);
    expect(outputs).toMatch(/^report-path<<.*\n\/tmp\/r\.json\n/m);
    expect(outputs).toMatch(/^status<<.*\nfailed\n/m);
  });

  it('spends the budget on distinct versions first: repeats of a version on other channels come last', async () => {
    // Versions 1 and 2 are each promoted in 5 channels; versions 3..9 in one. Before, the 9 annotations
    // went to the first two versions' repeats and 3..9 got none.
    const channels = ['candidate', 'fast', 'stable', 'eus', 'extra'];
    const nodes = Array.from({ length: 9 }, (_, i) => {
      const n = failing(i + 1);
      const places = i < 2 ? channels.map((c, k) => ({ file: `channels/${c}-4.18.yaml`, line: 10 + i + k, channel: `${c}-4.18` })) : n.places;
      return { ...n, places };
    });
    await run(nodes);
    const errors = stdout.join('').split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(9);
    // one annotation per distinct version, each at its first place
    expect(errors.map((l) => /::(4\.18\.\d+) is not signed/.exec(l)?.[1])).toEqual(nodes.map((n) => n.version));
    expect(location(errors[0]!)).toBe('file=graph-data/channels/candidate-4.18.yaml,line=10');
  });

  it('annotates one failing version once per added line when the budget allows, grouping its architectures in the title', async () => {
    const base = failing(2);
    const places = [
      { file: 'channels/candidate-4.18.yaml', line: 40, channel: 'candidate-4.18' },
      { file: 'channels/candidate-4.19.yaml', line: 12, channel: 'candidate-4.19' },
    ];
    await run([
      { ...base, arch: 'amd64', places },
      { ...base, arch: 'arm64', places, digest: fakeDigest('arm') },
    ]);
    const errors = stdout.join('').split('\n').filter((l) => l.startsWith('::error'));
    expect(errors.map(location)).toEqual(['file=graph-data/channels/candidate-4.18.yaml,line=40', 'file=graph-data/channels/candidate-4.19.yaml,line=12']);
    expect(errors.map(title)).toEqual(['4.18.2 amd64%2C arm64%3A OpenPGP missing', '4.18.2 amd64%2C arm64%3A OpenPGP missing']);
    expect(errors[0]).toContain('%0A- amd64 (');
    expect(errors[0]).toContain('%0A- arm64 (');
  });

  it('reports network errors as warnings and passes quietly', async () => {
    const ok: NodeResult = { ...failing(2), openpgp: { outcome: 'verified', reason: 'ok' } };
    const err: NodeResult = { ...failing(3), openpgp: { outcome: 'error', reason: '503 after 5 retries' }, sigstore: { outcome: 'verified', reason: 'ok' } };
    await run([ok, err]);
    const lines = stdout.join('').split('\n').filter((l) => l.startsWith('::'));
    expect(lines.filter((l) => l.startsWith('::set-output') || l.startsWith('::error'))).toEqual([]);
    expect(lines).toEqual(['::warning title=4.18.3 amd64%3A OpenPGP error,file=graph-data/channels/candidate-4.18.yaml,line=13::4.18.3 could not be checked; re-run the job:%0A- amd64: OpenPGP: 503 after 5 retries']);
  });
});
