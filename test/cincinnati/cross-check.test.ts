/**
 * The Cincinnati cross-check over the real stable-4.7 graphs and the stable-4.7 channel file of the
 * same graph-data revision: node results whose digests are the graph's agree; a digest that differs is
 * drift naming both; a promoted and resolved version the graph lacks is not served; a served version
 * the channel lacks is not promoted; a served node whose tag does not exist is tag-missing; a graph
 * that could not be read is unavailable; and stats() counts what was read and found.
 */
import { describe, expect, it } from 'vitest';
import type { Arch } from '../../src/model/arch.ts';
import type { Finding, NodeResult } from '../../src/model/results.ts';
import { parseCincinnatiGraph } from '../../src/cincinnati/graph.ts';
import type { GraphRead } from '../../src/cincinnati/read.ts';
import { CincinnatiCrossCheck, type ChannelGraph } from '../../src/cincinnati/cross-check.ts';
import type { ChannelFile } from '../../src/graph/channels.ts';
import { fakeDigest } from '../helpers/fakes.ts';
import { RELEASE_REPO, channelFile, graphBytes, nodeResult, rawGraph, type RawGraph } from './fixtures.ts';

const URL = 'https://api.openshift.com/api/upgrades_info/v1/graph';
const FILE = 'channels/stable-4.7.yaml';

function readOf(raw: RawGraph | Uint8Array, what = 'graph'): GraphRead {
  const bytes = raw instanceof Uint8Array ? raw : new TextEncoder().encode(JSON.stringify(raw));
  return { kind: 'read', url: `${URL}?channel=stable-4.7`, graph: parseCincinnatiGraph(bytes, what, RELEASE_REPO) };
}

function graphOf(arch: Arch, read?: GraphRead, channel = 'stable-4.7'): ChannelGraph {
  return { channel, arch, file: `channels/${channel}.yaml`, read: read ?? readOf(graphBytes(channel, arch)) };
}

/** The raw graph without `version`: its node, the edges touching it, indexes renumbered. */
function without(raw: RawGraph, version: string): RawGraph {
  const gone = raw.nodes.findIndex((n) => n.version === version);
  if (gone < 0) throw new Error(`${version} is not in the graph`);
  const renumber = (i: number) => (i > gone ? i - 1 : i);
  return {
    version: raw.version,
    nodes: raw.nodes.filter((_, i) => i !== gone),
    edges: raw.edges.filter(([f, t]) => f !== gone && t !== gone).map(([f, t]) => [renumber(f), renumber(t)]),
    conditionalEdges: (raw.conditionalEdges ?? []).map((c) => ({ ...c, edges: c.edges.filter((e) => e.from !== version && e.to !== version) })),
  };
}

const payloadDigest = (payload: string) => payload.slice(payload.indexOf('@') + 1);

/** A result for every entry of the channel, for `arch`, with the digest `digestOf` gives it. */
function resultsFor(channel: ChannelFile, arch: Arch, digestOf: (version: string) => string | null): NodeResult[] {
  return channel.entries.map((e) => nodeResult({ version: e.release.name, arch, digest: digestOf(e.release.version), places: [{ file: e.file, line: e.line, channel: e.channel }] }));
}

function run(graphs: ChannelGraph[], results: NodeResult[], channels: ChannelFile[] = [channelFile('stable-4.7')]): { check: CincinnatiCrossCheck; findings: Finding[] } {
  const check = new CincinnatiCrossCheck({ url: URL, graphs, channels });
  for (const r of results) check.node(r);
  return { check, findings: check.findings() };
}

const codes = (findings: Finding[]) => findings.map((f) => f.code);

describe('the real stable-4.7 graph against the stable-4.7 channel file', () => {
  const channel = channelFile('stable-4.7');
  const raw = rawGraph('stable-4.7', 'amd64');
  const served = new Map(raw.nodes.map((n) => [n.version, payloadDigest(n.payload)]));

  it('the channel and the graph hold the same versions (the base every case below starts from)', () => {
    expect(channel.file).toBe(FILE);
    expect(new Set(channel.entries.map((e) => e.release.version))).toEqual(new Set(served.keys()));
  });

  it('no finding when every digest is the graph\'s; every node compared', () => {
    const { check, findings } = run([graphOf('amd64')], resultsFor(channel, 'amd64', (v) => served.get(v)!));
    expect(findings).toEqual([]);
    expect(check.stats()).toEqual({
      url: URL,
      graphs: [{ channel: 'stable-4.7', arch: 'amd64', outcome: 'read', nodes: raw.nodes.length, edges: raw.edges.length, conditionalEdges: (raw.conditionalEdges ?? []).reduce((n, c) => n + c.edges.length, 0) }],
      nodes: 102,
      edges: raw.edges.length,
      conditionalEdges: 13,
      compared: channel.entries.length,
      drift: 0,
      notServed: 0,
      notPromoted: 0,
      tagMissing: 0,
    });
  });

  it('CINCINNATI_DRIFT (error) when one digest differs, naming both digests, the tag and the line', () => {
    const version = '4.7.4';
    const checked = fakeDigest('a tag that moved');
    const { check, findings } = run([graphOf('amd64')], resultsFor(channel, 'amd64', (v) => (v === version ? checked : served.get(v)!)));
    expect(codes(findings)).toEqual(['CINCINNATI_DRIFT']);
    const entry = channel.entries.find((e) => e.release.version === version)!;
    const f = findings[0]!;
    expect(f).toMatchObject({ severity: 'error', file: FILE, line: entry.line, subject: `${version}/amd64` });
    expect(f.message).toContain(served.get(version)!);
    expect(f.message).toContain(checked);
    expect(f.message).toContain('the tag 4.7.4-x86_64 resolves to');
    expect(f.message.indexOf(served.get(version)!)).toBeLessThan(f.message.indexOf(checked));
    expect(check.stats()).toMatchObject({ compared: channel.entries.length, drift: 1, notServed: 0, notPromoted: 0, tagMissing: 0 });
  });

  it('s390x is compared with the s390x graph: amd64 digests there are drift on every node', () => {
    const { check, findings } = run([graphOf('amd64'), graphOf('s390x')], [...resultsFor(channel, 'amd64', (v) => served.get(v)!), ...resultsFor(channel, 's390x', (v) => served.get(v)!)]);
    expect(findings).toHaveLength(102);
    expect(new Set(codes(findings))).toEqual(new Set(['CINCINNATI_DRIFT']));
    expect(findings.every((f) => f.subject?.endsWith('/s390x'))).toBe(true);
    expect(check.stats()).toMatchObject({ nodes: 204, compared: 204, drift: 102 });
  });

  it('CINCINNATI_NOT_SERVED (warning, on the channel line) for a promoted and resolved version the graph lacks', () => {
    const version = '4.7.9';
    const { check, findings } = run([graphOf('amd64', readOf(without(raw, version)))], resultsFor(channel, 'amd64', (v) => served.get(v)!));
    expect(codes(findings)).toEqual(['CINCINNATI_NOT_SERVED']);
    const entry = channel.entries.find((e) => e.release.version === version)!;
    expect(findings[0]).toMatchObject({ severity: 'warning', file: FILE, line: entry.line, subject: `${version}/amd64` });
    expect(findings[0]!.message).toMatch(new RegExp(`^${version.replace(/\./g, '\\.')} amd64 \\(${served.get(version)}\\) is promoted in stable-4\\.7, but the Cincinnati graph of stable-4\\.7 \\(amd64\\) does not serve it`));
    expect(check.stats()).toMatchObject({ nodes: 101, compared: 101, notServed: 1, drift: 0 });
  });

  it('a version the run could not resolve is neither compared nor reported as not served', () => {
    const { check, findings } = run([graphOf('amd64', readOf(without(raw, '4.7.9')))], resultsFor(channel, 'amd64', (v) => (v === '4.7.9' || v === '4.7.4' ? null : served.get(v)!)));
    expect(findings).toEqual([]);
    expect(check.stats().compared).toBe(100);
  });

  it('CINCINNATI_NOT_PROMOTED (warning) for a served version the channel does not list', () => {
    const version = '4.7.21';
    const trimmed: ChannelFile = { ...channel, entries: channel.entries.filter((e) => e.release.version !== version) };
    const { check, findings } = run([graphOf('amd64')], resultsFor(trimmed, 'amd64', (v) => served.get(v)!), [trimmed]);
    expect(codes(findings)).toEqual(['CINCINNATI_NOT_PROMOTED']);
    expect(findings[0]).toMatchObject({ severity: 'warning', file: FILE, subject: `${version}/amd64` });
    expect(findings[0]!.message).toContain(`serves ${version} (${served.get(version)}), which graph-data does not promote in stable-4.7 for amd64`);
    expect(check.stats()).toMatchObject({ compared: 101, notPromoted: 1 });
  });

  it('only public channel files promote: the same channel under internal-channels/ promotes nothing', () => {
    const internal: ChannelFile = { ...channel, file: 'internal-channels/stable-4.7.yaml' };
    const { check } = run([graphOf('amd64')], [], [internal]);
    expect(check.stats().notPromoted).toBe(102);
  });

  it('`4.7.0+amd64` in the channel promotes the amd64 node only', () => {
    const restricted: ChannelFile = {
      ...channel,
      entries: channel.entries.map((e) => (e.release.version === '4.7.0' ? { ...e, release: { ...e.release, name: '4.7.0+amd64', arch: 'amd64' as const } } : e)),
    };
    const s390x = new Map(rawGraph('stable-4.7', 's390x').nodes.map((n) => [n.version, payloadDigest(n.payload)]));
    const results = [...resultsFor(restricted, 'amd64', (v) => served.get(v)!), ...resultsFor(restricted, 's390x', (v) => s390x.get(v)!).filter((r) => r.version !== '4.7.0+amd64')];
    const { findings } = run([graphOf('amd64'), graphOf('s390x')], results, [restricted]);
    expect(findings.map((f) => `${f.code} ${f.subject}`)).toEqual(['CINCINNATI_NOT_PROMOTED 4.7.0/s390x']);
  });

  it('CINCINNATI_TAG_MISSING (error) for a node the graph serves whose tag does not exist', () => {
    const check = new CincinnatiCrossCheck({ url: URL, graphs: [graphOf('amd64')], channels: [channel] });
    for (const r of resultsFor(channel, 'amd64', (v) => served.get(v)!)) if (r.version !== '4.7.11') check.node(r);
    check.unpublished({ version: '4.7.11', arch: 'amd64', tag: '4.7.11-x86_64' });
    const findings = check.findings();
    expect(codes(findings)).toEqual(['CINCINNATI_TAG_MISSING']);
    expect(findings[0]).toMatchObject({ severity: 'error', file: FILE, subject: '4.7.11/amd64' });
    expect(findings[0]!.message).toContain(`serves 4.7.11 amd64 as ${served.get('4.7.11')}, but the tag 4.7.11-x86_64 does not exist`);
    expect(check.stats()).toMatchObject({ compared: 101, tagMissing: 1 });
  });

  it('CINCINNATI_UNUSABLE_NODE (error) for a served payload outside the release repository', () => {
    const hostile: RawGraph = { ...raw, nodes: raw.nodes.map((n) => (n.version === '4.7.5' ? { ...n, payload: `quay.io/attacker/release@${payloadDigest(n.payload)}` } : n)) };
    const { check, findings } = run([graphOf('amd64', readOf(hostile))], resultsFor(channel, 'amd64', (v) => served.get(v)!));
    // Not also reported as not served: the graph does serve the version.
    expect(codes(findings)).toEqual(['CINCINNATI_UNUSABLE_NODE']);
    expect(findings[0]).toMatchObject({ severity: 'error', file: FILE, subject: '4.7.5/amd64' });
    expect(findings[0]!.message).toContain('quay.io/attacker/release@');
    expect(check.stats()).toMatchObject({ nodes: 102, compared: 101 });
  });

  it('CINCINNATI_UNAVAILABLE (warning) for a graph that could not be read; stats say why', () => {
    const reason = 'GET https://api.openshift.com/api/upgrades_info/v1/graph: the graph API answered 503';
    const { check, findings } = run([graphOf('amd64', { kind: 'error', url: URL, reason }), graphOf('s390x')], resultsFor(channel, 'amd64', (v) => served.get(v)!));
    expect(codes(findings)).toEqual(['CINCINNATI_UNAVAILABLE']);
    expect(findings[0]).toMatchObject({ severity: 'warning', file: FILE, subject: 'stable-4.7/amd64' });
    expect(findings[0]!.message).toContain(reason);
    expect(check.stats()).toEqual({
      url: URL,
      graphs: [
        { channel: 'stable-4.7', arch: 'amd64', outcome: 'error', nodes: 0, edges: 0, conditionalEdges: 0, reason },
        { channel: 'stable-4.7', arch: 's390x', outcome: 'read', nodes: 102, edges: raw.edges.length, conditionalEdges: 13 },
      ],
      nodes: 102,
      edges: raw.edges.length,
      conditionalEdges: 13,
      compared: 0,
      drift: 0,
      notServed: 0,
      notPromoted: 0,
      tagMissing: 0,
    });
  });

  it('stats() before findings() counts what was read, and nothing compared yet', () => {
    const check = new CincinnatiCrossCheck({ url: URL, graphs: [graphOf('amd64')], channels: [channel] });
    for (const r of resultsFor(channel, 'amd64', () => fakeDigest('x'))) check.node(r);
    expect(check.stats()).toMatchObject({ nodes: 102, compared: 0, drift: 0 });
    check.findings();
    expect(check.stats()).toMatchObject({ compared: 102, drift: 102 });
  });
});

describe('candidate-4.12 multi: 35 channel versions, 5 in the multi graph', () => {
  it('the 30 not published for multi (their tags absent) are no finding; the 5 served agree', () => {
    const channel = channelFile('candidate-4.12');
    const raw = rawGraph('candidate-4.12', 'multi');
    const served = new Map(raw.nodes.map((n) => [n.version, payloadDigest(n.payload)]));
    const check = new CincinnatiCrossCheck({ url: URL, graphs: [graphOf('multi', undefined, 'candidate-4.12')], channels: [channel] });
    for (const e of channel.entries) {
      const digest = served.get(e.release.version);
      if (digest) check.node(nodeResult({ version: e.release.name, arch: 'multi', digest, places: [{ file: e.file, line: e.line, channel: e.channel }] }));
      else check.unpublished({ version: e.release.name, arch: 'multi', tag: `${e.release.version}-multi` });
    }
    expect(check.findings()).toEqual([]);
    expect(check.stats()).toMatchObject({ nodes: 5, edges: 10, conditionalEdges: 0, compared: 5 });
  });
});
