import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionLogReporter } from '../../src/report/action-log.ts';
import { RunTally, type NodeResult } from '../../src/model/results.ts';
import type { RunInfo } from '../../src/model/reporter.ts';
import { commandLines, hostileNode, HOSTILE_STRINGS, OWN_COMMAND } from '../helpers/hostile.ts';
import { PAYLOAD_OK } from '../helpers/fakes.ts';

const info: RunInfo = { mode: 'audit', pathPrefix: '', releaseRepo: 'quay.io/openshift-release-dev/ocp-release', require: ['openpgp', 'sigstore'], arches: ['amd64'], total: 600 };

function errored(i: number, host: string, status: number): NodeResult {
  return {
    version: `4.18.${i}`,
    arch: 'amd64',
    digest: null,
    places: [{ file: 'channels/a.yaml', line: i, channel: 'a' }],
    openpgp: { outcome: 'error', reason: `could not determine whether it is signed: https://${host}/x/sha256=${i}/signature-1: the server answered ${status} (gave up after 6 attempts)`, source: `https://${host}/x/sha256=${i}/signature-1` },
    sigstore: { outcome: 'verified', reason: 'ok' },
    ...PAYLOAD_OK,
  };
}

afterEach(() => vi.restoreAllMocks());

describe('ActionLogReporter', () => {
  it('one group, one line per distinct network failure per host, counts at the end, progress now and then', () => {
    const stdout: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      stdout.push(String(c));
      return true;
    });
    let now = 0;
    const r = new ActionLogReporter({ now: () => now });
    const tally = new RunTally();
    r.begin(info);
    for (let i = 0; i < 600; i++) {
      const n = errored(i, i % 3 === 0 ? 'quay.io' : 'mirror.openshift.com', i % 2 === 0 ? 503 : 502);
      tally.addNode(n);
      r.node(n);
      now += 100;
      r.progress(i + 1, 600);
    }
    r.end({ status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, durationMs: now });
    const lines = stdout.join('').split('\n').filter(Boolean);
    expect(lines[0]).toBe('::group::release-sigcheck: checking 600 (version, architecture) pair(s) promoted by graph-data');
    const network = lines.filter((l) => l.startsWith('network: '));
    expect(network.map((l) => l.slice(0, l.indexOf(' (first'))).sort()).toEqual(['network: mirror.openshift.com: answered 502', 'network: mirror.openshift.com: answered 503', 'network: quay.io: answered 502', 'network: quay.io: answered 503']);
    expect(lines).toContain('  quay.io: answered 503: 100 check(s)');
    expect(lines).toContain('  mirror.openshift.com: answered 502: 200 check(s)');
    expect(lines.filter((l) => l.startsWith('progress: '))).toHaveLength(1);
    expect(lines).toContain('progress: 300/600 nodes (50%) · 10/s · ETA 30s · 30s elapsed');
    expect(lines.indexOf('::endgroup::')).toBe(lines.length - 2);
    expect(lines.at(-1)).toMatch(/^release-sigcheck: 600 node\(s\): 0 passed, 0 failed, 600 could not be checked/);
  });

  it('no PR-controlled text becomes a workflow command', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      lines.push(String(c));
      return true;
    });
    const r = new ActionLogReporter();
    r.begin(info);
    Object.values(HOSTILE_STRINGS).forEach((t, i) => {
      r.node(hostileNode(t, i));
      r.finding({ severity: 'error', code: 'X', message: `${t}`, file: `channels/${t}`, line: 1 });
    });
    r.end({ status: 'failed', exitCode: 1, counts: new RunTally().counts, durationMs: 1 });
    const out = lines.join('');
    for (const l of commandLines(out)) expect(l).toMatch(OWN_COMMAND);
    expect(out).toContain('FAIL 4.99.3\\n::warning file=x::pwned amd64: OpenPGP missing, Sigstore invalid');
  });
});
