/**
 * Which edges lead into a node: graphEdgeSources over the real graphs (audit), against the sources
 * computed independently from the raw JSON; metadataEdgeSources over release-metadata `previous`,
 * restricted to the public channels the node is in and to its architecture (PR scope).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Arch } from '../../src/model/arch.ts';
import type { EdgeTarget } from '../../src/model/edges.ts';
import type { ReleaseMetadata } from '../../src/model/payload.ts';
import type { Place } from '../../src/model/results.ts';
import { parseCincinnatiGraph } from '../../src/cincinnati/graph.ts';
import type { GraphRead } from '../../src/cincinnati/read.ts';
import { graphEdgeSources, metadataEdgeSources } from '../../src/cincinnati/sources.ts';
import { parseChannelFile, type ChannelFile } from '../../src/graph/channels.ts';
import { fakeDigest } from '../helpers/fakes.ts';
import { CINCINNATI_GRAPH } from '../helpers/paths.ts';
import { RELEASE_REPO, channelFile, graphBytes, rawGraph, rawInto } from './fixtures.ts';

const ok = { outcome: 'verified' as const, reason: 'verified' };

function target(o: { version: string; arch: Arch; places: Place[]; metadata?: ReleaseMetadata; name?: string }): EdgeTarget {
  const t: EdgeTarget = { name: o.name ?? o.version, version: o.version, arch: o.arch, digest: fakeDigest(`${o.version}/${o.arch}`), places: o.places, openpgp: ok, sigstore: ok, skip: {} };
  if (o.metadata) t.metadata = o.metadata;
  return t;
}

function read(channel: string, arch: Arch): GraphRead {
  return { kind: 'read', url: `https://api.example/graph?channel=${channel}&arch=${arch}`, graph: parseCincinnatiGraph(graphBytes(channel, arch), `${channel} ${arch}`, RELEASE_REPO) };
}

/** A place of `version` in a channel file, as the project parses it. */
function placeOf(file: ChannelFile, version: string): Place {
  const e = file.entries.find((x) => x.release.name === version);
  if (!e) throw new Error(`${version} is not in ${file.file}`);
  return { file: e.file, line: e.line, channel: e.channel };
}

const metadata = (version: string, previous: string[]): ReleaseMetadata => ({ kind: 'cincinnati-metadata-v0', version, previous, next: [], metadata: {} });

describe('graphEdgeSources (audit): the graph of every public channel the node is promoted in', () => {
  const s47 = channelFile('stable-4.7');
  const graphs = new Map<string, Map<Arch, GraphRead>>([['stable-4.7', new Map<Arch, GraphRead>([['amd64', read('stable-4.7', 'amd64')], ['s390x', read('stable-4.7', 's390x')]])]]);
  const sourcesOf = graphEdgeSources(graphs);

  it.each(['4.7.4', '4.7.0', '4.7.60', '4.6.59'])('into %s (amd64): the raw JSON edges plus conditional edges, each once, with the graph digests', (version) => {
    const raw = rawGraph('stable-4.7', 'amd64');
    const expected = rawInto(raw).get(version) ?? new Set<string>();
    const list = sourcesOf(target({ version, arch: 'amd64', places: [placeOf(s47, version)] }))!;
    expect(list.unknown).toEqual([]);
    expect(list.absentIsUnpublished).toBe(false);
    expect(new Set(list.sources.map((s) => s.version))).toEqual(expected);
    expect(list.sources).toHaveLength(expected.size);
    for (const s of list.sources) expect(s.via).toEqual(['stable-4.7']);
    const payloads = new Map(raw.nodes.map((n) => [n.version, n.payload.slice(n.payload.indexOf('@') + 1)]));
    expect(list.served).toEqual(new Map([...expected].map((v) => [v, payloads.get(v)])));
  });

  it('4.7.4 has conditional sources: they are edges too', () => {
    const raw = rawGraph('stable-4.7', 'amd64');
    const conditional = new Set((raw.conditionalEdges ?? []).flatMap((c) => c.edges.filter((e) => e.to === '4.7.4').map((e) => e.from)));
    expect(conditional.size).toBe(13);
    const list = sourcesOf(target({ version: '4.7.4', arch: 'amd64', places: [placeOf(s47, '4.7.4')] }))!;
    const versions = new Set(list.sources.map((s) => s.version));
    for (const v of conditional) expect(versions.has(v)).toBe(true);
  });

  it('the architecture selects the graph: s390x sources come with the s390x digests', () => {
    const rawS = rawGraph('stable-4.7', 's390x');
    const list = sourcesOf(target({ version: '4.7.4', arch: 's390x', places: [placeOf(s47, '4.7.4')] }))!;
    expect(new Set(list.sources.map((s) => s.version))).toEqual(rawInto(rawS).get('4.7.4'));
    const payloads = new Map(rawS.nodes.map((n) => [n.version, n.payload.slice(n.payload.indexOf('@') + 1)]));
    for (const [v, d] of list.served!) expect(d).toBe(payloads.get(v));
  });

  it('an architecture whose graph was not read: no sources and nothing unknown', () => {
    const list = sourcesOf(target({ version: '4.7.4', arch: 'arm64', places: [placeOf(s47, '4.7.4')] }))!;
    expect(list).toMatchObject({ sources: [], unknown: [] });
  });

  it('a node promoted only in internal channels is offered nothing: undefined', () => {
    expect(sourcesOf(target({ version: '4.7.4', arch: 'amd64', places: [{ file: 'internal-channels/candidate.yaml', line: 3, channel: 'stable-4.7' }] }))).toBeUndefined();
    expect(sourcesOf(target({ version: '4.7.4', arch: 'amd64', places: [] }))).toBeUndefined();
  });

  it('two channels: a source in both names both, once', () => {
    // The same graph served under two channel names: every source is via both.
    const both = graphEdgeSources(new Map([
      ['stable-4.7', new Map<Arch, GraphRead>([['amd64', read('stable-4.7', 'amd64')]])],
      ['fast-4.7', new Map<Arch, GraphRead>([['amd64', read('stable-4.7', 'amd64')]])],
    ]));
    const places = [placeOf(s47, '4.7.4'), { file: 'channels/fast-4.7.yaml', line: 9, channel: 'fast-4.7' }];
    const list = both(target({ version: '4.7.4', arch: 'amd64', places }))!;
    expect(list.sources).toHaveLength(rawInto(rawGraph('stable-4.7', 'amd64')).get('4.7.4')!.size);
    for (const s of list.sources) expect(s.via).toEqual(['stable-4.7', 'fast-4.7']);
  });

  it('a graph that could not be read: its edges are unknown, saying why', () => {
    const failing = graphEdgeSources(new Map([['stable-4.7', new Map<Arch, GraphRead>([['amd64', { kind: 'error', url: 'https://api.example/graph', reason: 'HTTP 503' }]])]]));
    const list = failing(target({ version: '4.7.4', arch: 'amd64', places: [placeOf(s47, '4.7.4')] }))!;
    expect(list.sources).toEqual([]);
    expect(list.unknown).toEqual(['the Cincinnati graph of stable-4.7 (amd64) could not be read (HTTP 503), so the edges it serves into 4.7.4 are unknown']);
  });
});

describe('metadataEdgeSources (PR scope): release-metadata previous, restricted to the channels', () => {
  const s47 = channelFile('stable-4.7');
  const s49 = channelFile('stable-4.9');

  it('only the previous versions listed in the channels the node is added to', () => {
    const sourcesOf = metadataEdgeSources([s47, s49]);
    const channelVersions = new Set(s47.entries.map((e) => e.release.version));
    const previous = ['4.6.59', '4.7.59', '4.7.58', '4.6.99', '4.5.1', '4.9.0'];
    const list = sourcesOf(target({ version: '4.7.60', arch: 'amd64', places: [placeOf(s47, '4.7.60')], metadata: metadata('4.7.60', previous) }))!;
    const expected = previous.filter((v) => channelVersions.has(v));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(previous.length);
    expect(list.sources.map((s) => s.version).sort()).toEqual(expected.sort());
    for (const s of list.sources) expect(s.via).toEqual(['release-metadata', 'stable-4.7']);
    expect(list).toMatchObject({ unknown: [], absentIsUnpublished: true });
    // 4.9.0 is in stable-4.9, a channel the node is not added to.
    expect(s49.entries.some((e) => e.release.version === '4.9.0')).toBe(true);
    expect(list.sources.some((s) => s.version === '4.9.0')).toBe(false);
  });

  it('`4.2.14+amd64` is a source for amd64 only; a plain name for every architecture', () => {
    const dir = join(CINCINNATI_GRAPH, 'cincinnati-secondary-metadata-20200319.204124', 'cincinnati-graph-data', 'channels');
    const fast = parseChannelFile('channels/fast-4.2.yaml', readFileSync(join(dir, 'fast-4.2.yaml'), 'utf8')).channel!;
    const names = fast.entries.map((e) => e.release.name);
    expect(names).toContain('4.2.14+amd64');
    expect(names).not.toContain('4.2.14');
    const plain = fast.entries.find((e) => e.release.arch === undefined && e.release.version !== '4.2.14')!.release.version;
    const sourcesOf = metadataEdgeSources([fast]);
    const places = [{ file: 'channels/fast-4.2.yaml', line: 1, channel: 'fast-4.2' }];
    const of = (arch: Arch) => sourcesOf(target({ version: '4.2.16', arch, places, metadata: metadata('4.2.16', ['4.2.14', plain]) }))!.sources.map((s) => s.version).sort();
    expect(of('amd64')).toEqual(['4.2.14', plain].sort());
    expect(of('s390x')).toEqual([plain]);
  });

  it('internal channels do not count, neither as the node\'s places nor as listings', () => {
    const internal: ChannelFile = { ...s47, file: 'internal-channels/stable-4.7.yaml', entries: s47.entries.map((e) => ({ ...e, file: 'internal-channels/stable-4.7.yaml' })) };
    const onlyInternal = metadataEdgeSources([internal]);
    const list = onlyInternal(target({ version: '4.7.60', arch: 'amd64', places: [placeOf(s47, '4.7.60')], metadata: metadata('4.7.60', ['4.7.59']) }))!;
    expect(list.sources).toEqual([]);
    expect(metadataEdgeSources([s47])(target({ version: '4.7.60', arch: 'amd64', places: [{ file: 'internal-channels/stable-4.7.yaml', line: 2, channel: 'stable-4.7' }], metadata: metadata('4.7.60', ['4.7.59']) }))).toBeUndefined();
  });

  it('no release-metadata: the edges are unknown (an error), never none', () => {
    const list = metadataEdgeSources([s47])(target({ version: '4.7.60', arch: 'amd64', places: [placeOf(s47, '4.7.60')] }))!;
    expect(list.sources).toEqual([]);
    expect(list.unknown).toEqual(['the release-metadata of 4.7.60 could not be read, so its previous list (the update edges into it) is unknown']);
  });

  it('a version listed twice in a channel is one source', () => {
    const twice: ChannelFile = { ...s47, entries: [...s47.entries, ...s47.entries] };
    const list = metadataEdgeSources([twice])(target({ version: '4.7.60', arch: 'amd64', places: [placeOf(s47, '4.7.60')], metadata: metadata('4.7.60', ['4.7.59']) }))!;
    expect(list.sources).toEqual([{ version: '4.7.59', via: ['release-metadata', 'stable-4.7'] }]);
  });
});
