import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { Capture } from '../helpers/fakes.ts';
import { GRAPH_DATA, PROJECT_ROOT } from '../helpers/paths.ts';

const exec = promisify(execFile);
const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

async function brokenGraphData(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sigcheck-cli-'));
  temps.push(dir);
  await mkdir(join(dir, 'channels'));
  await writeFile(join(dir, 'channels', 'stable-4.9.yaml'), 'name: stable-4.9\nversions:\n- 4.9.1\n- 4.9.x\n');
  await writeFile(join(dir, 'channels', 'fast-4.9.yaml'), 'name: fast-4.8\nversions:\n- 4.9.1\n');
  await writeFile(join(dir, 'channels', 'candidate-4.9.yaml'), 'name: candidate-4.9\nversions:\n  - 4.9.1\n - 4.9.2\n');
  return dir;
}

describe('release-sigcheck check --dry-run', () => {
  it('lists the 1,383 unique version names of the graph-data snapshot', async () => {
    const r = await cli('check', '--dry-run', '--format', 'json', '--graph-data', GRAPH_DATA);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { nodes: { version: string; arch: string; digest: null; places: unknown[] }[] };
    expect(new Set(doc.nodes.map((n) => n.version)).size).toBe(1383);
    expect(doc.nodes.every((n) => n.digest === null && n.places.length > 0)).toBe(true);
    expect(doc.nodes.filter((n) => n.version === '4.2.14+amd64').map((n) => n.arch)).toEqual(['amd64']);
  });

  it('is the default command, and lists places in text', async () => {
    const r = await cli('--dry-run', '--graph-data', GRAPH_DATA, '--release', '4.22.11', '--arch', 'multi');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4.22.11 multi  ');
    expect(r.stdout).toContain('channels/candidate-4.22.yaml:112 (candidate-4.22)');
    expect(r.stdout).toContain('1 version(s), 1 (version, arch) node(s) selected (versions)');
  });

  it('reports malformed channel files as findings with file:line and exit code 1, no stack trace', async () => {
    const dir = await brokenGraphData();
    const r = await cli('--dry-run', '--graph-data', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error channels/candidate-4.9.yaml:4: not valid YAML');
    expect(r.stdout).toContain('error channels/fast-4.9.yaml:1: channel name "fast-4.8" differs from the file name "fast-4.9.yaml"');
    expect(r.stdout).toContain('error channels/stable-4.9.yaml:4: "4.9.x" is not a valid SemVer version [VERSION_NOT_SEMVER]');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    const json = await cli('--dry-run', '--format', 'json', '--graph-data', dir);
    expect(JSON.parse(json.stdout).findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'channels/stable-4.9.yaml', line: 4, code: 'VERSION_NOT_SEMVER', severity: 'error' })]),
    );
  });
});

describe('--version', () => {
  it('alone prints the tool version; with a value it is the old spelling of --release, with a note', async () => {
    const alone = await cli('--version');
    expect(alone.stdout).toBe(`${JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')).version}\n`);
    const old = await cli('--dry-run', '--graph-data', GRAPH_DATA, '--version', '4.22.11', '--arch', 'multi');
    const now = await cli('--dry-run', '--graph-data', GRAPH_DATA, '--release', '4.22.11', '--arch', 'multi');
    expect(old.code).toBe(0);
    expect(old.stdout).toBe(now.stdout);
    expect(old.stderr).toContain('--version V is now spelled --release V');
    expect(now.stderr).toBe('');
  });
});

describe('usage errors exit 2 and say what to do', () => {
  it.each([
    [['check', '--nope'], /unknown option --nope for check\n.*release-sigcheck check --help/s],
    [['check', '--relase', '4.1.0'], /unknown option --relase for check; did you mean --release\?/],
    [['--graph-dta', '.'], /unknown option --graph-dta for check; did you mean --graph-data\?/],
    [['chekc'], /unknown command "chekc"; did you mean check\?/],
    [['--arch', 'sparc', '--dry-run'], /--arch: unknown architecture "sparc"/],
    [['--format', 'yaml', '--dry-run'], /--format must be one of text, json, github/],
    [['--head', 'HEAD'], /--head needs --base/],
    [['--release', '4.2', '--dry-run'], /--release: "4.2" is not a valid SemVer version/],
    [['--concurrency', 'many'], /--concurrency must be a whole number/],
    [['--graph-data', '/nonexistent/gd', '--dry-run'], /graph-data directory \/nonexistent\/gd does not exist/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['--output', 'report.xyz', '--dry-run'], /cannot tell the format/],
  ])('%j', async (argv, message) => {
    const r = await cli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('help teaches by example', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('release-sigcheck demo');
    const check = await cli('check', '--help');
    expect(check.stdout).toMatch(/Examples:\n {2}release-sigcheck --graph-data/);
    expect(check.stdout).toContain('Exit codes:');
  });
});

describe('the bundled CLI (dist/)', () => {
  it('runs without node_modules: --help and a dry run over broken graph-data (finding, exit 1, no stack trace)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sigcheck-dist-'));
    temps.push(dir);
    await cp(join(PROJECT_ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    const help = await exec(process.execPath, [join(dir, 'dist', 'cli.js'), '--help'], { cwd: dir });
    expect(help.stdout).toContain('Usage: release-sigcheck [command] [options]');
    const broken = await brokenGraphData();
    const r = await exec(process.execPath, [join(dir, 'dist', 'cli.js'), '--dry-run', '--graph-data', broken], { cwd: dir }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('channels/stable-4.9.yaml:4');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
