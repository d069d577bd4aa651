import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.ts';
import type { GraphNode } from '../../src/graph/nodes.ts';
import { parseReleaseName } from '../../src/model/version.ts';
import type { Finding, NodeResult, RunSummary, UnpublishedNode } from '../../src/model/results.ts';
import type { Reporter } from '../../src/model/reporter.ts';
import { orderedPool } from '../../src/check/pool.ts';
import { FakeChecker, FakeResolver, fakeDigest } from '../helpers/fakes.ts';

function node(name: string, line = 1): GraphNode {
  const p = parseReleaseName(name);
  if (!p.ok) throw new Error(p.reason);
  return { name, release: p.release, places: [{ file: 'channels/c.yaml', line, channel: 'c' }] };
}

class Recorder implements Reporter {
  nodes: NodeResult[] = [];
  unpublishedNodes: UnpublishedNode[] = [];
  findings: Finding[] = [];
  summary?: RunSummary;
  node(r: NodeResult) {
    this.nodes.push(r);
  }
  unpublished(u: UnpublishedNode) {
    this.unpublishedNodes.push(u);
  }
  finding(f: Finding) {
    this.findings.push(f);
  }
  end(s: RunSummary) {
    this.summary = s;
  }
}

const info = { mode: 'audit' as const, pathPrefix: '', releaseRepo: 'quay.io/openshift-release-dev/ocp-release' };

describe('runCheck with in-memory stand-ins', () => {
  it('reports every (name, arch) in graph order, whatever order they finish in', async () => {
    const nodes = Array.from({ length: 40 }, (_, i) => node(`4.${10 + (i % 7)}.${i}`, i + 1));
    const rec = new Recorder();
    const summary = await runCheck({ nodes, findings: [], arches: ['amd64', 'arm64'], info }, { resolver: new FakeResolver(), checker: new FakeChecker() }, { concurrency: 8, require: ['openpgp', 'sigstore'] }, rec);
    expect(rec.nodes.map((n) => `${n.version}/${n.arch}`)).toEqual(nodes.flatMap((n) => [`${n.name}/amd64`, `${n.name}/arm64`]));
    expect(summary).toMatchObject({ status: 'passed', exitCode: 0, counts: { nodes: 80, passed: 80, failed: 0, errored: 0 } });
    expect(summary.counts.openpgp.verified).toBe(80);
    expect(rec.nodes[0]).toMatchObject({ digest: fakeDigest(`${nodes[0]!.name}/amd64`), tag: `${nodes[0]!.name}-x86_64`, places: nodes[0]!.places });
  });

  it('maps outcomes to exit codes: missing/invalid -> 1, only errors -> 3', async () => {
    const bad = fakeDigest('4.18.1/arm64');
    const failing = new FakeChecker({ [bad]: { outcome: 'missing', reason: 'no signature at https://store/sha256=x/signature-1' } });
    const rec = new Recorder();
    const s1 = await runCheck({ nodes: [node('4.18.1')], findings: [], arches: ['amd64', 'arm64'], info }, { resolver: new FakeResolver(), checker: failing }, { concurrency: 4, require: ['openpgp', 'sigstore'] }, rec);
    expect(s1).toMatchObject({ status: 'failed', exitCode: 1, counts: { failed: 1, passed: 1 } });
    expect(rec.nodes[1]!.openpgp.outcome).toBe('missing');

    const erroring = new FakeChecker({}, { [fakeDigest('4.18.1/amd64')]: { outcome: 'error', reason: '502 Bad Gateway after 5 retries' } });
    const s3 = await runCheck({ nodes: [node('4.18.1')], findings: [], arches: ['amd64'], info }, { resolver: new FakeResolver(), checker: erroring }, { concurrency: 4, require: ['openpgp', 'sigstore'] }, new Recorder());
    expect(s3).toMatchObject({ status: 'error', exitCode: 3, counts: { errored: 1 } });

    // a failing check that is not required does not fail the run
    const s0 = await runCheck({ nodes: [node('4.18.1')], findings: [], arches: ['arm64'], info }, { resolver: new FakeResolver(), checker: failing }, { concurrency: 4, require: ['sigstore'] }, rec);
    expect(s0.exitCode).toBe(0);
    expect(rec.nodes.at(-1)!.openpgp).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('--require sigstore') });
  });

  it('reports unpublished architectures without failing, and a name published for none as a finding', async () => {
    const resolver = new FakeResolver({ '4.1.0/arm64': 'absent', '4.1.0/multi': 'absent', '4.99.0/amd64': 'absent', '4.99.0/arm64': 'absent', '4.99.0/multi': 'absent' });
    const rec = new Recorder();
    const s = await runCheck({ nodes: [node('4.1.0'), node('4.99.0', 7)], findings: [], arches: ['amd64', 'arm64', 'multi'], info }, { resolver, checker: new FakeChecker() }, { concurrency: 4, require: ['openpgp', 'sigstore'] }, rec);
    expect(rec.nodes.map((n) => `${n.version}/${n.arch}`)).toEqual(['4.1.0/amd64']);
    expect(rec.unpublishedNodes.map((u) => u.tag)).toEqual(['4.1.0-aarch64', '4.1.0-multi', '4.99.0-x86_64', '4.99.0-aarch64', '4.99.0-multi']);
    expect(rec.findings).toEqual([expect.objectContaining({ severity: 'error', code: 'NOT_PUBLISHED', file: 'channels/c.yaml', line: 7 })]);
    expect(s).toMatchObject({ exitCode: 1, counts: { unpublished: 5, nodes: 1, passed: 1 } });
  });

  it('a registry error is an error on both checks, never missing', async () => {
    const resolver = new FakeResolver({ '4.18.2/amd64': { error: '503 Service Unavailable after 5 retries' } });
    const rec = new Recorder();
    const s = await runCheck({ nodes: [node('4.18.2')], findings: [], arches: ['amd64'], info }, { resolver, checker: new FakeChecker() }, { concurrency: 1, require: ['openpgp', 'sigstore'] }, rec);
    expect(rec.nodes[0]).toMatchObject({ digest: null, openpgp: { outcome: 'error' }, sigstore: { outcome: 'error' } });
    expect(rec.nodes[0]!.openpgp.reason).toMatch(/could not resolve 4.18.2-x86_64: 503/);
    expect(s.exitCode).toBe(3);
  });

  it('checks a digest once however many names resolve to it, and honours skips and --sigstore-from', async () => {
    const shared = fakeDigest('shared');
    const resolver = new FakeResolver({ '4.2.14/amd64': { digest: shared } });
    const checker = new FakeChecker();
    const rec = new Recorder();
    await runCheck(
      { nodes: [node('4.2.14'), node('4.2.14+amd64'), node('4.16.1')], findings: [], arches: ['amd64'], info },
      { resolver, checker },
      { concurrency: 4, require: ['openpgp', 'sigstore'], sigstoreFrom: '4.16.0', skip: (name, arch, check) => (name === '4.16.1' && check === 'openpgp' ? { reason: 'signed with the CI key (ART-2397)' } : undefined) },
      rec,
    );
    expect(checker.openpgpCalls.filter((d) => d === shared)).toHaveLength(1);
    expect(rec.nodes.map((n) => [n.version, n.openpgp.outcome, n.sigstore.outcome])).toEqual([
      ['4.2.14', 'verified', 'skipped'],
      ['4.2.14+amd64', 'verified', 'skipped'],
      ['4.16.1', 'skipped', 'verified'],
    ]);
    expect(rec.nodes[0]!.sigstore.reason).toMatch(/not required before 4.16.0/);
    expect(rec.nodes[2]!.openpgp.reason).toBe('skip entry: signed with the CI key (ART-2397)');
  });

  it('turns a checker that throws into an error outcome, not a crash', async () => {
    const checker = new FakeChecker();
    checker.openpgp = async () => {
      throw new Error('boom');
    };
    const rec = new Recorder();
    const s = await runCheck({ nodes: [node('4.18.3')], findings: [], arches: ['amd64'], info }, { resolver: new FakeResolver(), checker }, { concurrency: 1, require: ['openpgp', 'sigstore'] }, rec);
    expect(rec.nodes[0]!.openpgp).toEqual({ outcome: 'error', reason: 'internal error: boom' });
    expect(s.exitCode).toBe(3);
  });
});

describe('orderedPool', () => {
  it('keeps at most `limit` items in flight, goes on past a slow one within the backlog, and emits in order', async () => {
    let started = 0;
    let finished = 0;
    let emitted = 0;
    let maxInFlight = 0;
    let maxWindow = 0;
    let startedWhileFirstRan = 0;
    let firstDone = false;
    const out: number[] = [];
    await orderedPool(
      Array.from({ length: 200 }, (_, i) => i),
      5,
      async (i) => {
        started++;
        if (!firstDone && i > 0) startedWhileFirstRan++;
        maxInFlight = Math.max(maxInFlight, started - finished);
        maxWindow = Math.max(maxWindow, started - emitted);
        // Item 0 is slow: the pool must not idle behind it.
        await new Promise((r) => setTimeout(r, i === 0 ? 40 : i % 3 === 0 ? 4 : 0));
        if (i === 0) firstDone = true;
        finished++;
        return i * 2;
      },
      (r) => {
        emitted++;
        out.push(r);
      },
      4,
    );
    expect(out).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    expect(maxInFlight).toBeLessThanOrEqual(5);
    expect(maxWindow).toBeLessThanOrEqual(20);
    // Past the slow first item, up to the backlog (5 x 4 = 20 started, one of them the slow one).
    expect(startedWhileFirstRan).toBe(19);
  });

  it('propagates a worker failure after the in-flight work settles', async () => {
    await expect(orderedPool([1, 2, 3], 2, async (i) => { if (i === 2) throw new Error('bad item'); return i; }, () => undefined)).rejects.toThrow('bad item');
  });
});
