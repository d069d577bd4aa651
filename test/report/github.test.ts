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

describe('GithubReporter', () => {
  it('with 12 failing nodes emits exactly 9 error annotations on their lines, then one notice', async () => {
    const nodes = Array.from({ length: 12 }, (_, i) => failing(i + 1));
    const reporter = await run(nodes);
    const commands = stdout.join('').split('\n').filter((l) => l.startsWith('::error') || l.startsWith('::notice') || l.startsWith('::warning'));
    expect(commands.filter((l) => l.startsWith('::error'))).toHaveLength(9);
    expect(commands.filter((l) => l.startsWith('::notice'))).toHaveLength(1);
    expect(commands.filter((l) => l.startsWith('::warning'))).toHaveLength(0);
    for (let i = 1; i <= 9; i++) {
      const line = commands[i - 1]!;
      expect(line.startsWith(`::error file=graph-data/channels/candidate-4.18.yaml,line=${10 + i}::4.18.${i} is not signed the way clusters require:%0A- amd64 (${fakeDigest(`n${i}`).slice(0, 19)}): OpenPGP missing: no signature at https://mirror.openshift.com/sha256=${i}/signature-1 (404)`)).toBe(true);
    }
    expect(commands[0]).toBe(
      `::error file=graph-data/channels/candidate-4.18.yaml,line=11::4.18.1 is not signed the way clusters require:%0A- amd64 (${fakeDigest('n1').slice(0, 19)}): OpenPGP missing: no signature at https://mirror.openshift.com/sha256=1/signature-1 (404)%0A- amd64 (${fakeDigest('n1').slice(0, 19)}): Sigstore invalid: signed by an untrusted key <script>`,
    );
    expect(commands[9]).toBe('::notice::3 more error(s) not annotated: GitHub shows at most 10 annotations of each kind per step. The full list is in the job summary and the JSON report (/tmp/r.json).');
    expect(reporter.emitted).toEqual({ errors: 9, warnings: 0, notices: 1 });

    // the job summary lists all 12, HTML-escaped
    const summary = await readFile(join(dir, 'summary.md'), 'utf8');
    for (const n of nodes) expect(summary).toContain(`<td>${n.version}</td>`);
    expect(summary).toContain('signed by an untrusted key &lt;script&gt;');
    expect(summary).not.toContain('<script>');
    // outputs for counts and the report path
    const outputs = await readFile(join(dir, 'output'), 'utf8');
    expect(outputs).toMatch(/^failed<<.*\n12\n/m);
    expect(outputs).toMatch(/^report-path<<.*\n\/tmp\/r\.json\n/m);
    expect(outputs).toMatch(/^status<<.*\nfailed\n/m);
  });

  it('annotates one failing version once per added line, grouping its architectures', async () => {
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
    expect(errors.map((l) => l.slice(0, l.indexOf('::', 2)))).toEqual([
      '::error file=graph-data/channels/candidate-4.18.yaml,line=40',
      '::error file=graph-data/channels/candidate-4.19.yaml,line=12',
    ]);
    expect(errors[0]).toContain('%0A- amd64 (');
    expect(errors[0]).toContain('%0A- arm64 (');
  });

  it('reports network errors as warnings and passes quietly', async () => {
    const ok: NodeResult = { ...failing(2), openpgp: { outcome: 'verified', reason: 'ok' } };
    const err: NodeResult = { ...failing(3), openpgp: { outcome: 'error', reason: '503 after 5 retries' }, sigstore: { outcome: 'verified', reason: 'ok' } };
    await run([ok, err]);
    const lines = stdout.join('').split('\n').filter((l) => l.startsWith('::'));
    expect(lines.filter((l) => l.startsWith('::set-output') || l.startsWith('::error'))).toEqual([]);
    expect(lines).toEqual(['::warning file=graph-data/channels/candidate-4.18.yaml,line=13::4.18.3 amd64: could not be checked (OpenPGP: 503 after 5 retries); re-run the job']);
  });
});
