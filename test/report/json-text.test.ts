import { describe, expect, it } from 'vitest';
import { JsonReporter, type JsonReport } from '../../src/report/json.ts';
import { RunTally, type NodeResult } from '../../src/model/results.ts';
import type { Reporter, RunInfo } from '../../src/model/reporter.ts';
import { TextReporter } from '../../src/report/text.ts';
import { Capture, PAYLOAD_OK, fakeDigest } from '../helpers/fakes.ts';

const info: RunInfo = { mode: 'audit', graphData: '/gd', pathPrefix: '', releaseRepo: 'quay.io/openshift-release-dev/ocp-release', require: ['openpgp', 'sigstore'], arches: ['amd64', 'multi'], total: 3 };

const nodes: NodeResult[] = [
  {
    version: '4.18.1',
    arch: 'amd64',
    digest: fakeDigest('a'),
    tag: '4.18.1-x86_64',
    places: [{ file: 'channels/stable-4.18.yaml', line: 3, channel: 'stable-4.18' }],
    openpgp: { outcome: 'verified', reason: 'signed by Red Hat release key 2', signer: '567E347AD0044ADE55BA8A5F199E2F91FD431D51', source: 'https://mirror.openshift.com/x/signature-1', identity: 'quay.io/openshift-release-dev/ocp-release:4.18.1-x86_64' },
    sigstore: { outcome: 'verified', reason: 'signed by Red Hat release key 3' },
    components: PAYLOAD_OK.components,
    metadata: PAYLOAD_OK.metadata,
  },
  {
    version: '4.18.1',
    arch: 'multi',
    digest: fakeDigest('m'),
    tag: '4.18.1-multi',
    places: [{ file: 'channels/stable-4.18.yaml', line: 3, channel: 'stable-4.18' }],
    openpgp: { outcome: 'verified', reason: 'ok' },
    sigstore: { outcome: 'invalid', reason: '1 of 4 instances not signed', instances: [{ digest: fakeDigest('i1'), arch: 'arm64', outcome: 'missing', reason: 'no .sig tag' }] },
    components: PAYLOAD_OK.components,
    metadata: PAYLOAD_OK.metadata,
  },
  {
    version: '4.18.2',
    arch: 'amd64',
    digest: null,
    places: [],
    openpgp: { outcome: 'error', reason: 'timeout' },
    sigstore: { outcome: 'error', reason: 'timeout' },
    components: PAYLOAD_OK.components,
    metadata: PAYLOAD_OK.metadata,
  },
];

async function feed(reporter: Reporter): Promise<void> {
  const tally = new RunTally();
  await reporter.begin?.(info);
  for (const n of nodes) {
    tally.addNode(n);
    await reporter.node(n);
  }
  await reporter.unpublished?.({ version: '4.18.2', arch: 'multi', tag: '4.18.2-multi' });
  tally.addUnpublished();
  await reporter.finding({ severity: 'warning', code: 'VERSION_DUPLICATE', message: 'dup', file: 'channels/x.yaml', line: 2 });
  tally.addFinding({ severity: 'warning', code: 'X', message: 'x' });
  await reporter.end({ status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, retries: 4, durationMs: 1234 });
}

describe('JsonReporter', () => {
  it('streams a valid report with the documented schema', async () => {
    const out = new Capture();
    await feed(new JsonReporter(out as never));
    const report = JSON.parse(out.text) as JsonReport;
    expect(report).toMatchObject({ schemaVersion: 1, tool: { name: 'release-sigcheck' }, mode: 'audit', releaseRepo: info.releaseRepo, status: 'failed', exitCode: 1, retries: 4 });
    expect(report.nodes.map((n) => [n.version, n.arch, n.status, n.openpgp.outcome, n.sigstore.outcome])).toEqual([
      ['4.18.1', 'amd64', 'passed', 'verified', 'verified'],
      ['4.18.1', 'multi', 'failed', 'verified', 'invalid'],
      ['4.18.2', 'amd64', 'error', 'error', 'error'],
    ]);
    expect(report.nodes[0]).toMatchObject({ digest: fakeDigest('a'), tag: '4.18.1-x86_64', places: [{ file: 'channels/stable-4.18.yaml', line: 3, channel: 'stable-4.18' }] });
    expect(report.nodes[1]!.sigstore.instances?.[0]).toMatchObject({ arch: 'arm64', outcome: 'missing' });
    expect(report.unpublished).toEqual([{ version: '4.18.2', arch: 'multi', tag: '4.18.2-multi' }]);
    expect(report.counts).toMatchObject({ nodes: 3, passed: 1, failed: 1, errored: 1, unpublished: 1 });
  });

  it('writes a valid document when there are no nodes', async () => {
    const out = new Capture();
    const r = new JsonReporter(out as never);
    await r.begin(info);
    await r.end({ status: 'passed', exitCode: 0, counts: new RunTally().counts, durationMs: 1 });
    expect(JSON.parse(out.text)).toMatchObject({ nodes: [], status: 'passed' });
  });
});

describe('TextReporter', () => {
  it('writes plain lines when not on a terminal: each node, where failures are, and a verdict', async () => {
    const out = new Capture();
    await feed(new TextReporter(out as never, { tty: false, color: false }));
    const text = out.text;
    expect(text.includes('\u001b[')).toBe(false);
    expect(text).toContain('ok   4.18.1 amd64 ' + fakeDigest('a').slice(0, 19) + ' (4.18.1-x86_64)');
    expect(text).toContain('FAIL 4.18.1 multi');
    expect(text).toContain('     Sigstore invalid: 1 of 4 instances not signed');
    expect(text).toContain('     at channels/stable-4.18.yaml:3 (stable-4.18)');
    expect(text).toContain('ERR  4.18.2 amd64 -');
    expect(text).toContain('warning channels/x.yaml:2: dup [VERSION_DUPLICATE]');
    expect(text).toContain('3 node(s): 1 passed, 1 failed, 1 could not be checked');
    expect(text).toContain('4 network retries spent');
    expect(text).toMatch(/FAILED: clusters would reject at least one release .*\(exit code 1, 1\.2 s\)/);
  });

  it('--quiet lists only nodes that did not pass', async () => {
    const out = new Capture();
    await feed(new TextReporter(out as never, { tty: false, color: false, quiet: true }));
    expect(out.text).not.toContain('ok   4.18.1');
    expect(out.text).toContain('FAIL 4.18.1 multi');
  });
});
