import { readFile, mkdtemp, rm, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectNodes } from '../../src/check/select.ts';
import { commitTree, git, initRepo } from '../helpers/git.ts';
import { GRAPH_DATA, PR_REPLAY } from '../helpers/paths.ts';

interface ReplayCommit {
  commit: string;
  added: { file: string; channel: string; version: string }[];
  base_dir: string;
  head_dir: string;
}
const manifest = JSON.parse(await readFile(join(PR_REPLAY, 'manifest.json'), 'utf8')) as { commits: ReplayCommit[] };

const temps: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'sigcheck-select-'));
  temps.push(d);
  return d;
};
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

/** The added (file, channel, version) pairs of a selection, from the places of its nodes. */
function addedPairs(selected: Awaited<ReturnType<typeof selectNodes>>) {
  return selected.nodes.flatMap((n) => n.places.map((p) => ({ file: p.file, channel: p.channel, version: n.name })));
}

describe('PR scope on the four real promotion commits', () => {
  it.each(manifest.commits.map((c) => [c.commit.slice(0, 9), c] as const))('%s with base/ and head/ directories yields exactly the added pairs', async (_id, c) => {
    const selected = await selectNodes({ graphData: '.', base: join(PR_REPLAY, c.base_dir), head: join(PR_REPLAY, c.head_dir) });
    expect(selected.mode).toBe('pr');
    expect(addedPairs(selected)).toEqual(c.added);
    expect(selected.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // the line points at the added entry in the head file
    const place = selected.nodes[0]!.places[0]!;
    const lines = (await readFile(join(PR_REPLAY, c.head_dir, place.file), 'utf8')).split('\n');
    expect(lines[place.line - 1]).toBe(`- ${c.added[0]!.version}`);
  });

  it.each(manifest.commits.map((c) => [c.commit.slice(0, 9), c] as const))('%s with git refs in a checkout of the full snapshot yields exactly the added pairs', async (_id, c) => {
    const repo = await tmp();
    await initRepo(repo);
    await commitTree(repo, 'graph-data', {}, [
      [join(GRAPH_DATA, 'channels'), 'channels'],
      [join(GRAPH_DATA, 'internal-channels'), 'internal-channels'],
    ]);
    await commitTree(repo, 'base of the promotion', {}, [[join(PR_REPLAY, c.base_dir), '.']]);
    git(repo, 'checkout', '-q', '-b', 'promote');
    const head = await commitTree(repo, 'promotion', {}, [[join(PR_REPLAY, c.head_dir), '.']]);
    const selected = await selectNodes({ graphData: repo, base: 'main', head });
    expect(addedPairs(selected)).toEqual(c.added);
    expect(selected.pathPrefix).toBe('');
  });
});

describe('PR scope with git refs', () => {
  let repo: string;
  beforeAll(async () => {
    // main: graph-data in a subdirectory; pr branches off, adds 4.9.2 to stable and 4.9.3 to fast;
    // afterwards main also gains 4.9.3 in fast. GitHub's diff compares with the merge-base, so 4.9.3 is added by the PR.
    repo = await tmp();
    await initRepo(repo);
    await commitTree(repo, 'init', {
      'graph-data/channels/stable-4.9.yaml': 'name: stable-4.9\nversions:\n- 4.9.1\n',
      'graph-data/channels/fast-4.9.yaml': 'name: fast-4.9\nversions:\n- 4.9.1\n',
    });
    git(repo, 'checkout', '-q', '-b', 'pr');
    await commitTree(repo, 'promote', {
      'graph-data/channels/stable-4.9.yaml': 'name: stable-4.9\nversions:\n- 4.9.1\n- 4.9.2\n',
      'graph-data/channels/fast-4.9.yaml': 'name: fast-4.9\nversions:\n- 4.9.1\n# a comment\n- 4.9.3\n',
    });
    git(repo, 'checkout', '-q', 'main');
    await commitTree(repo, 'main moves on', { 'graph-data/channels/fast-4.9.yaml': 'name: fast-4.9\nversions:\n- 4.9.1\n- 4.9.3\n' });
  });

  it('compares the head with the merge-base, reads files from the commits and prefixes paths', async () => {
    const selected = await selectNodes({ graphData: join(repo, 'graph-data'), base: 'main', head: 'pr' });
    expect(addedPairs(selected)).toEqual([
      { file: 'channels/stable-4.9.yaml', channel: 'stable-4.9', version: '4.9.2' },
      { file: 'channels/fast-4.9.yaml', channel: 'fast-4.9', version: '4.9.3' },
    ].sort((a, b) => a.version.localeCompare(b.version)));
    expect(selected.nodes.find((n) => n.name === '4.9.3')!.places[0]!.line).toBe(5);
    expect(selected.pathPrefix).toBe('graph-data/');
    expect(selected.baseLabel).toMatch(/^main \(merge-base [0-9a-f]{12}\)$/);
  });

  it('reports only findings the change introduces', async () => {
    const r = await tmp();
    await initRepo(r);
    await commitTree(r, 'init', { 'channels/a.yaml': 'name: a\nversions:\n- 4.1.x\n- 4.1.0\n' });
    git(r, 'checkout', '-q', '-b', 'pr');
    await commitTree(r, 'bad', { 'channels/a.yaml': 'name: a\nversions:\n- 4.1.x\n- 4.1.0\n- 4.1.1\n- nope\n' });
    const selected = await selectNodes({ graphData: r, base: 'main', head: 'pr' });
    expect(selected.findings.map((f) => [f.code, f.line])).toEqual([['VERSION_NOT_SEMVER', 6]]);
    expect(selected.nodes.map((n) => n.name)).toEqual(['4.1.1']);
  });

  it('in a shallow clone, fails with the fetch-depth hint, or deepens when allowed', async () => {
    const origin = await tmp();
    git(origin, 'clone', '-q', '--bare', repo, join(origin, 'origin.git'));
    const clone = join(await tmp(), 'clone');
    git(tmpdir(), 'clone', '-q', '--depth', '1', '--no-single-branch', `file://${join(origin, 'origin.git')}`, clone);
    expect(git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    await expect(selectNodes({ graphData: join(clone, 'graph-data'), base: 'origin/main', head: 'origin/pr' })).rejects.toThrow(/fetch-depth: 0/);
    const logs: string[] = [];
    const selected = await selectNodes({ graphData: join(clone, 'graph-data'), base: 'origin/main', head: 'origin/pr', deepen: true, log: (m) => logs.push(m) });
    expect(selected.nodes.map((n) => n.name)).toEqual(['4.9.2', '4.9.3']);
    expect(logs[0]).toMatch(/shallow checkout: fetching history/);
  });

  it('explains refs that do not exist', async () => {
    await expect(selectNodes({ graphData: repo, base: 'no-such-branch', head: 'pr' })).rejects.toThrow(/--base no-such-branch is neither a directory nor a commit/);
    await expect(selectNodes({ graphData: repo, head: 'pr' })).rejects.toThrow(/--head needs --base/);
  });
});

describe('version and channel scope', () => {
  it('selects versions (with their +arch variants) and channel globs; a glob that matches nothing is a usage error', async () => {
    const v = await selectNodes({ graphData: GRAPH_DATA, versions: ['4.2.14', '4.99.0'] });
    expect(v.mode).toBe('versions');
    expect(v.nodes.map((n) => n.name)).toEqual(['4.2.14', '4.2.14+amd64', '4.99.0']);
    expect(v.findings.map((f) => f.code)).toContain('VERSION_NOT_IN_GRAPH');
    const c = await selectNodes({ graphData: GRAPH_DATA, channels: ['stable-4.1?'] });
    const channels = new Set(c.nodes.flatMap((n) => n.places.map((p) => p.channel)));
    expect([...channels].sort()).toEqual(['stable-4.10', 'stable-4.11', 'stable-4.12', 'stable-4.13', 'stable-4.14', 'stable-4.15', 'stable-4.16', 'stable-4.17', 'stable-4.18', 'stable-4.19']);
    // Checking nothing would pass: a glob that matches no channel stops the run instead.
    await expect(selectNodes({ graphData: GRAPH_DATA, channels: ['stable-4.1?', 'nothing-*'] })).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('--channel "nothing-*" matches no channel') });
    const both = await selectNodes({ graphData: GRAPH_DATA, channels: ['fast-4.2'], versions: ['4.2.14+amd64'] });
    expect(both.nodes.map((n) => [n.name, n.places.map((p) => p.channel)])).toEqual([['4.2.14+amd64', ['fast-4.2']]]);
  });

  it('copies of the fixture tree keep their findings local to the run', async () => {
    const d = await tmp();
    await cp(join(GRAPH_DATA, 'channels'), join(d, 'channels'), { recursive: true });
    const s = await selectNodes({ graphData: d });
    expect(s.mode).toBe('audit');
    expect(s.findings).toEqual([]);
  });
});
