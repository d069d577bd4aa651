/**
 * The Action on a pull request whose head controls every byte: channel file names and `name:` values
 * with workflow commands after a newline, ANSI escapes, U+2028, `%0A`, and a 3 MB entry. Run in-process
 * (run(), as GitHub sets the environment) and as GitHub runs it (dist/index.js as a child process with
 * INPUT_* variables): no line of stdout may be a workflow command the tool did not write, the run still
 * fails on the unsigned releases, and every output stays bounded.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDemoContent, generateDemoKeys } from '../../src/demo/content.ts';
import { listenOnLoopback, MemoryRegistry, MemoryStore } from '../../src/demo/servers.ts';
import { commitTree, git, initRepo } from '../helpers/git.ts';
import { commandLines, OWN_COMMAND } from '../helpers/hostile.ts';
import { PROJECT_ROOT } from '../helpers/paths.ts';

const HUGE = `4.${'9'.repeat(3 * 1024 * 1024)}`;
const BIG = `4.99.3\n::warning::${'x'.repeat(900 * 1024)}`;
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

let dir: string;
let servers: { close: () => Promise<void> }[] = [];
let env: Record<string, string>;
let newlineEnv: Record<string, string>;

/** A git repository whose head adds `files` to a base with 4.99.0, and the environment GitHub sets for the PR. */
async function pullRequest(name: string, common: Record<string, string>, files: Record<string, string>): Promise<Record<string, string>> {
  const repo = join(dir, name);
  await initRepo(repo);
  const base = await commitTree(repo, 'base', { 'channels/candidate-4.99.yaml': 'name: candidate-4.99\nversions:\n- 4.99.0\n' });
  git(repo, 'checkout', '-q', '-b', 'pr');
  const head = await commitTree(repo, 'promote', files);
  const event = join(dir, `${name}.event.json`);
  await writeFile(event, JSON.stringify({ pull_request: { number: 5, base: { sha: base }, head: { sha: head } } }));
  return { ...common, GITHUB_EVENT_PATH: event, 'INPUT_GRAPH-DATA': repo };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-action-hostile-'));
  const registry = new MemoryRegistry();
  const store = new MemoryStore();
  const reg = await listenOnLoopback(registry);
  const sto = await listenOnLoopback(store);
  servers = [reg, sto];
  const repoPath = 'openshift-release-dev/ocp-release';
  const keys = await generateDemoKeys();
  await buildDemoContent(registry, store, repoPath, `${reg.url.replace(/^http:\/\//, '')}/${repoPath}`, keys);
  await writeFile(join(dir, 'key.asc'), keys.openpgp.publicArmored);
  await writeFile(join(dir, 'key.pub'), keys.sigstore.publicPem);

  const entries = ['4.99.3\n::warning file=x::pwned', '::stop-commands::token', '4.99.3%0A::warning::pct', '4.99.3\u001b[2J', '4.99.3\u2028::warning::ls'];
  const common = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REPOSITORY: 'openshift/cincinnati-graph-data',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: 'f'.repeat(40),
    RUNNER_TEMP: dir,
    'INPUT_RELEASE-REPO': `${reg.url}/${repoPath}`,
    'INPUT_SIGNATURE-STORE': sto.url,
    'INPUT_OPENPGP-KEY': join(dir, 'key.asc'),
    'INPUT_SIGSTORE-KEY': join(dir, 'key.pub'),
    INPUT_ARCH: 'amd64',
    INPUT_RETRIES: '1',
    INPUT_TIMEOUT: '10s',
    INPUT_MODE: 'auto',
  };
  env = await pullRequest('gd', common, {
    'channels/candidate-4.99.yaml': `name: candidate-4.99\nversions:\n- 4.99.0\n- 4.99.1\n- 4.99.3\n${entries.map((e) => `- ${JSON.stringify(e)}`).join('\n')}\n`,
    'channels/fast-4.99.yaml': `name: ${JSON.stringify('fast-4.99\n::stop-commands::tok')}\nversions:\n- 4.99.1\n`,
    'channels/stable-4.99.yaml': `name: ${JSON.stringify('stable-4.99\n::warning::name-pwned\u001b[31m')}\nversions:\n- 4.99.3\n`,
    'channels/eus\u2028::error::ls-pwned.yaml': 'name: eus-4.99\nversions:\n- 4.99.1\n',
    // Just under the per-file cap, so it is read: one entry of ~900 kB.
    'channels/big-4.99.yaml': `name: big-4.99\nversions:\n- 4.99.1\n- ${JSON.stringify(BIG)}\n`,
    // Over the cap: not read, a finding.
    'channels/huge-4.99.yaml': `name: huge-4.99\nversions:\n- ${JSON.stringify(HUGE)}\n`,
  });
  // A file name with a newline in it: however the graph reader treats it, nothing it says may become a command.
  newlineEnv = await pullRequest('gd-newline', common, {
    'channels/candidate-4.99.yaml': 'name: candidate-4.99\nversions:\n- 4.99.0\n- 4.99.1\n',
    'channels/x\n::warning file=x::pwned.yaml': `name: ${JSON.stringify('x\n::warning::name-pwned')}\nversions:\n- 4.99.3\n`,
    'channels/y\n::stop-commands::token.yaml': 'name: y\nversions:\n- 4.99.3\n',
  });
}, 60_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await rm(dir, { recursive: true, force: true });
});

async function outputsOf(name: string): Promise<{ summary: string; outputs: string }> {
  return { summary: await readFile(join(dir, `${name}.summary`), 'utf8'), outputs: await readFile(join(dir, `${name}.outputs`), 'utf8') };
}

/** No workflow command but the tool's own, no raw control, nothing unbounded. */
function expectNoInjection(stdout: string): void {
  const commands = commandLines(stdout);
  expect(commands.length).toBeGreaterThan(0);
  for (const line of commands) expect(line).toMatch(OWN_COMMAND);
  expect(stdout).not.toMatch(/^\s*::stop-commands/m);
  expect(stdout).not.toMatch(RAW_CONTROL);
  for (const line of stdout.split('\n')) expect(line.length).toBeLessThan(20_000);
  expect(stdout.length).toBeLessThan(300_000);
}

function expectSafe(stdout: string, summary: string): void {
  expectNoInjection(stdout);
  const longest = Math.max(...stdout.split('\n').map((l) => l.length));
  console.log(`hostile PR: stdout ${stdout.length} chars, ${commandLines(stdout).length} workflow commands (all the tool's own), longest line ${longest}; summary ${Buffer.byteLength(summary)} bytes`);
  // the unsigned releases are still checked and fail the step
  expect(stdout).toMatch(/^::error title=4\.99\.1 amd64%3A OpenPGP missing,file=channels\/[a-z]+-4\.99\.yaml,line=\d+::/m);
  expect(stdout).toMatch(/^::error title=4\.99\.3 amd64%3A Sigstore invalid,/m);
  expect(stdout).toMatch(/^::error::release-sigcheck: \d+ node\(s\) are not signed/m);
  expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024);
  expect(summary).not.toMatch(RAW_CONTROL);
  expect(summary).toContain('## ❌ release-sigcheck');
  expect(summary).toContain('<code>VERSION_NOT_SEMVER</code>');
  expect(summary).toContain('4.99.1</code> amd64');
}

/** dist/index.js as the runner starts it: node, the INPUT_* and GITHUB_* variables, stdout a pipe. */
async function runDist(name: string, vars: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  await writeFile(join(dir, `${name}.summary`), '');
  await writeFile(join(dir, `${name}.outputs`), '');
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'index.js')], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...vars, GITHUB_STEP_SUMMARY: join(dir, `${name}.summary`), GITHUB_OUTPUT: join(dir, `${name}.outputs`), INPUT_REPORT: join(dir, `${name}.json`) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

describe('the Action on a hostile pull request', () => {
  it('run(): only its own workflow commands reach stdout; bounded summary; exit code 1', async () => {
    await writeFile(join(dir, 'inproc.summary'), '');
    await writeFile(join(dir, 'inproc.outputs'), '');
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    vi.stubEnv('GITHUB_STEP_SUMMARY', join(dir, 'inproc.summary'));
    vi.stubEnv('GITHUB_OUTPUT', join(dir, 'inproc.outputs'));
    vi.stubEnv('INPUT_REPORT', join(dir, 'inproc.json'));
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out.push(String(c));
      return true;
    });
    try {
      const { run } = await import('../../src/action/main.ts');
      const summary = await run();
      expect(summary?.exitCode).toBe(1);
    } finally {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    const { summary, outputs } = await outputsOf('inproc');
    expectSafe(out.join(''), summary);
    expect(outputs).toMatch(/^status<<.*\nfailed\n/m);
  }, 60_000);

  const HAVE_DIST = existsSync(join(PROJECT_ROOT, 'dist', 'index.js'));

  it.skipIf(!HAVE_DIST)('dist/index.js as GitHub runs it: the same', async () => {
    const r = await runDist('dist', env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const { summary } = await outputsOf('dist');
    expectSafe(r.stdout, summary);
  }, 60_000);

  it.skipIf(!HAVE_DIST)('file names with a newline and a command: the step fails, and no command but its own reaches stdout', async () => {
    const r = await runDist('newline', newlineEnv);
    expect(r.code).not.toBe(0);
    expectNoInjection(r.stdout);
    const summary = await readFile(join(dir, 'newline.summary'), 'utf8');
    expect(summary).not.toMatch(RAW_CONTROL);
  }, 60_000);
});
