/**
 * A pull request controls every name and byte of its head. These trees are built with real git the
 * way an attacker would build them; each must leave the added release selected (and so checked) and
 * say what was refused.
 */
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectNodes } from '../../src/check/select.ts';
import { CHANNEL_FILE_MAX_BYTES, directorySource, readGraphData } from '../../src/graph/walk.ts';
import { commitTree, git, initRepo } from '../helpers/git.ts';

const temps: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'sigcheck-hostile-'));
  temps.push(d);
  return d;
};
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

const BASE = 'name: stable-4.9\nversions:\n- 4.9.1\n';
const HEAD = 'name: stable-4.9\nversions:\n- 4.9.1\n- 4.9.2\n';

async function prRepo(): Promise<{ repo: string; base: string }> {
  const repo = await tmp();
  await initRepo(repo);
  const base = await commitTree(repo, 'base', { 'channels/stable-4.9.yaml': BASE });
  git(repo, 'checkout', '-q', '-b', 'pr');
  return { repo, base };
}

/** Adds a file with any name (bytes git accepts) to the index, with the given content, via plumbing. */
function addRawFile(repo: string, name: string, content: string, mode = '100644'): void {
  const oid = execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo, input: content }).toString().trim();
  execFileSync('git', ['update-index', '--add', '-z', '--index-info'], { cwd: repo, input: `${mode} ${oid}\t${name}\0` });
}

function commitIndex(repo: string, message: string): string {
  git(repo, 'commit', '-q', '-m', message);
  return git(repo, 'rev-parse', 'HEAD');
}

describe('PR scope: names and entries that must not confuse the reader', () => {
  it('a file named channels/a<newline><base blob id> does not make the head channel file read as the base one', async () => {
    const { repo, base } = await prRepo();
    const baseBlob = git(repo, 'rev-parse', `${base}:channels/stable-4.9.yaml`);
    await writeFile(join(repo, 'channels/stable-4.9.yaml'), HEAD);
    git(repo, 'add', '-A');
    addRawFile(repo, `channels/a\n${baseBlob}`, 'irrelevant');
    const head = commitIndex(repo, 'promote 4.9.2, hide it');
    const selected = await selectNodes({ graphData: repo, base: 'main', head });
    expect(selected.nodes.map((n) => n.name)).toEqual(['4.9.2']);
    const refused = selected.findings.filter((f) => f.code === 'CHANNEL_FILE_NAME');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.severity).toBe('error');
    expect(refused[0]!.message).toContain('\\n');
    expect(refused[0]!.message).not.toContain('\n');
  });

  it('a symlinked channel file and a symlinked channels/ folder are reported, never followed', async () => {
    const { repo } = await prRepo();
    await writeFile(join(repo, 'channels/stable-4.9.yaml'), HEAD);
    git(repo, 'add', '-A');
    addRawFile(repo, 'channels/evil.yaml', '/etc/passwd', '120000');
    addRawFile(repo, 'internal-channels', '../channels', '120000');
    const head = commitIndex(repo, 'links');
    const selected = await selectNodes({ graphData: repo, base: 'main', head });
    expect(selected.nodes.map((n) => n.name)).toEqual(['4.9.2']);
    expect(selected.findings.filter((f) => f.code === 'CHANNEL_FILE_REFUSED').map((f) => f.message)).toEqual([
      expect.stringMatching(/^channels\/"evil\.yaml" is a symbolic link; it is not read/),
      expect.stringMatching(/^internal-channels\/ is a symbolic link in commit [0-9a-f]{12}; it is not followed/),
    ]);
  });

  it('a channel file over the cap is a finding, and the other files are still read', async () => {
    const { repo } = await prRepo();
    await writeFile(join(repo, 'channels/stable-4.9.yaml'), HEAD);
    await writeFile(join(repo, 'channels/huge.yaml'), `name: huge\nversions:\n${'- 4.9.3\n'.repeat(CHANNEL_FILE_MAX_BYTES / 8 + 1)}`);
    const head = await commitTree(repo, 'huge');
    const selected = await selectNodes({ graphData: repo, base: 'main', head });
    expect(selected.nodes.map((n) => n.name)).toEqual(['4.9.2']);
    expect(selected.findings.map((f) => [f.code, f.file])).toContainEqual(['CHANNEL_FILE_TOO_LARGE', 'channels/huge.yaml']);
  });

  it('a hostile channel name: value never becomes the channel of a place', async () => {
    const { repo } = await prRepo();
    await writeFile(join(repo, 'channels/stable-4.9.yaml'), 'name: "stable-4.9\\n::warning ::pwned"\nversions:\n- 4.9.1\n- 4.9.2\n');
    const head = await commitTree(repo, 'name');
    const selected = await selectNodes({ graphData: repo, base: 'main', head });
    expect(selected.nodes.map((n) => n.name)).toEqual(['4.9.2']);
    expect(selected.nodes[0]!.places[0]!.channel).toBe('stable-4.9');
    expect(selected.findings.map((f) => f.code)).toContain('CHANNEL_NAME');
  });
});

describe('directory mode: only regular files inside the checkout', () => {
  it('refuses symlinks (to a file outside, to a folder), FIFOs and control characters in names', async () => {
    const dir = await tmp();
    const outside = await tmp();
    await writeFile(join(outside, 'secret.yaml'), 'name: secret\nversions:\n- 4.1.0\n');
    await mkdir(join(dir, 'channels'));
    await writeFile(join(dir, 'channels/stable-4.9.yaml'), HEAD);
    await symlink(join(outside, 'secret.yaml'), join(dir, 'channels/secret.yaml'));
    execFileSync('mkfifo', [join(dir, 'channels/fifo.yaml')]);
    await writeFile(join(dir, 'channels', 'bad\nname.yaml'), BASE);
    await symlink(outside, join(dir, 'internal-channels'));
    const started = Date.now();
    const graph = await readGraphData(directorySource(dir));
    expect(Date.now() - started).toBeLessThan(5000); // the FIFO is never opened for a blocking read
    expect(graph.channels.map((c) => c.file)).toEqual(['channels/stable-4.9.yaml']);
    expect(graph.findings.map((f) => f.code).sort()).toEqual(['CHANNEL_FILE_NAME', 'CHANNEL_FILE_REFUSED', 'CHANNEL_FILE_REFUSED', 'CHANNEL_FILE_REFUSED']);
    expect(graph.findings.every((f) => f.severity === 'error' && !f.message.includes('\n'))).toBe(true);
  });
});
