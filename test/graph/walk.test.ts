import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toGraphNodes, toNodeTargets } from '../../src/graph/nodes.ts';
import { directorySource, readGraphData } from '../../src/graph/walk.ts';
import { ARCHES } from '../../src/model/arch.ts';
import { GRAPH_DATA } from '../helpers/paths.ts';

const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

describe('readGraphData on the real graph-data snapshot (731d04247)', () => {
  it('reads every channel file and finds the 1,383 unique release names of research/graph-data.md', async () => {
    const graph = await readGraphData(directorySource(GRAPH_DATA));
    expect(graph.channels.filter((c) => c.file.startsWith('channels/'))).toHaveLength(76);
    expect(graph.channels.filter((c) => c.file.startsWith('internal-channels/'))).toHaveLength(3);
    const entries = graph.channels.flatMap((c) => c.entries);
    expect(entries.filter((e) => e.file.startsWith('channels/'))).toHaveLength(8876);
    const nodes = toGraphNodes(entries);
    expect(nodes).toHaveLength(1383);
    expect(new Set(nodes.map((n) => n.release.version)).size).toBe(1369);
    // by kind, as the research notes count them
    expect(nodes.filter((n) => n.release.arch === 'amd64')).toHaveLength(14);
    expect(nodes.filter((n) => n.release.prerelease[0] === 'rc')).toHaveLength(146);
    expect(nodes.filter((n) => n.release.prerelease[0] === 's390x')).toHaveLength(4);
    // the one known duplicate is a warning, nothing else is wrong
    expect(graph.findings).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'VERSION_DUPLICATE', file: 'internal-channels/candidate.yaml', line: 1757 }),
    ]);
    // 4.22.11 appears in three places, line-exact
    const v = nodes.find((n) => n.name === '4.22.11');
    expect(v?.places).toEqual([
      { file: 'channels/candidate-4.22.yaml', line: 112, channel: 'candidate-4.22' },
      { file: 'channels/candidate-5.0.yaml', line: 30, channel: 'candidate-5.0' },
      { file: 'internal-channels/candidate.yaml', line: 1918, channel: 'candidate' },
    ]);
  });

  it('expands +arch names to their architecture only', async () => {
    const graph = await readGraphData(directorySource(GRAPH_DATA));
    const nodes = toGraphNodes(graph.channels.flatMap((c) => c.entries)).filter((n) => n.release.version === '4.2.14');
    expect(nodes.map((n) => n.name)).toEqual(['4.2.14', '4.2.14+amd64']);
    const targets = toNodeTargets(nodes, ARCHES);
    expect(targets.map((t) => `${t.name}/${t.arch}`)).toEqual(['4.2.14/amd64', '4.2.14/arm64', '4.2.14/s390x', '4.2.14/ppc64le', '4.2.14/multi', '4.2.14+amd64/amd64']);
    expect(toNodeTargets(nodes, ['s390x']).map((t) => t.name)).toEqual(['4.2.14']);
  });
});

describe('readGraphData on partial and broken trees', () => {
  it('accepts a graph-data with only channels/, and reports a non-UTF-8 file and a .yml file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sigcheck-walk-'));
    temps.push(dir);
    await mkdir(join(dir, 'channels'));
    await writeFile(join(dir, 'channels', 'stable-4.1.yaml'), 'name: stable-4.1\nversions:\n- 4.1.0\n');
    await writeFile(join(dir, 'channels', 'fast-4.1.yml'), 'name: fast-4.1\nversions: []\n');
    await writeFile(join(dir, 'channels', 'candidate-4.1.yaml'), Buffer.from([0x6e, 0x3a, 0xff, 0xfe]));
    const graph = await readGraphData(directorySource(dir));
    expect(graph.channels.map((c) => c.channel)).toEqual(['stable-4.1']);
    expect(graph.findings.map((f) => [f.file, f.code, f.severity])).toEqual([
      ['channels/candidate-4.1.yaml', 'YAML_SYNTAX', 'error'],
      ['channels/fast-4.1.yml', 'CHANNEL_EXTENSION', 'warning'],
    ]);
  });

  it('refuses a directory that is not graph-data, saying what to pass', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sigcheck-walk-'));
    temps.push(dir);
    await expect(readGraphData(directorySource(dir))).rejects.toThrow(/does not look like graph-data.*--graph-data/);
    await expect(readGraphData(directorySource(join(dir, 'nope')))).rejects.toThrow(/does not exist/);
  });
});
