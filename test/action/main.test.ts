import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { commitTree, git, initRepo } from '../helpers/git.ts';
import { PROJECT_ROOT } from '../helpers/paths.ts';

const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

describe('applyEventScope', () => {
  it('uses the PR base and head on pull_request, audit otherwise, and respects explicit inputs', async () => {
    const { applyEventScope } = await import('../../src/action/main.ts');
    const pr = { eventName: 'pull_request', payload: { pull_request: { base: { sha: 'b'.repeat(40) }, head: { sha: 'h'.repeat(40) } } } };
    expect(applyEventScope({}, 'auto', pr)).toEqual({ base: 'b'.repeat(40), head: 'h'.repeat(40) });
    expect(applyEventScope({}, 'audit', pr)).toEqual({});
    expect(applyEventScope({ version: ['4.18.1'] }, 'auto', pr)).toEqual({ version: ['4.18.1'] });
    expect(applyEventScope({ base: 'origin/main' }, 'auto', pr)).toEqual({ base: 'origin/main' });
    expect(applyEventScope({}, 'auto', { eventName: 'schedule', payload: {} })).toEqual({});
    expect(() => applyEventScope({}, 'pr', { eventName: 'push', payload: {} })).toThrow(/mode: pr needs a pull_request event/);
    expect(() => applyEventScope({}, 'sometimes', pr)).toThrow(/input mode must be auto, pr or audit/);
  });
});

describe('run() on a pull_request event', () => {
  it('selects only what the PR adds (dry run) and writes nothing to GitHub on success', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'sigcheck-action-'));
    temps.push(repo);
    await initRepo(repo);
    const base = await commitTree(repo, 'init', { 'channels/stable-4.9.yaml': 'name: stable-4.9\nversions:\n- 4.9.1\n' });
    git(repo, 'checkout', '-q', '-b', 'pr');
    const head = await commitTree(repo, 'promote', { 'channels/stable-4.9.yaml': 'name: stable-4.9\nversions:\n- 4.9.1\n- 4.9.2\n' });
    const event = join(repo, 'event.json');
    await writeFile(event, JSON.stringify({ pull_request: { number: 7, base: { sha: base }, head: { sha: head } } }));
    vi.stubEnv('GITHUB_EVENT_NAME', 'pull_request');
    vi.stubEnv('GITHUB_EVENT_PATH', event);
    vi.stubEnv('INPUT_GRAPH-DATA', repo);
    vi.stubEnv('INPUT_DRY-RUN', 'true');
    vi.stubEnv('GITHUB_OUTPUT', '');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out.push(String(c));
      return true;
    });
    const { run } = await import('../../src/action/main.ts');
    await run();
    const text = out.join('');
    expect(text).toContain(`release-sigcheck: pr scope, 1 version(s) selected (base ${base} (merge-base ${base.slice(0, 12)}), head ${head} (${head.slice(0, 12)}))`);
    expect(text).toContain('4.9.2 amd64: channels/stable-4.9.yaml:4');
    expect(text).not.toContain('::set-output');
    expect(text).not.toContain('::error');
  });

  it('fails the step with the reason when the inputs are wrong', async () => {
    vi.stubEnv('GITHUB_EVENT_NAME', 'schedule');
    vi.stubEnv('INPUT_GRAPH-DATA', '/nonexistent/graph-data');
    vi.stubEnv('INPUT_DRY-RUN', 'true');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out.push(String(c));
      return true;
    });
    const { run } = await import('../../src/action/main.ts');
    await run();
    expect(out.join('')).toContain('::error::release-sigcheck: graph-data directory /nonexistent/graph-data does not exist');
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
  });
});

describe('the Action with its default inputs and a config file', () => {
  it('release-sigcheck.yaml says arch: [amd64]; GitHub sets every input default as INPUT_*: amd64 only', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'sigcheck-action-'));
    temps.push(repo);
    await initRepo(repo);
    await commitTree(repo, 'init', { 'channels/stable-4.9.yaml': 'name: stable-4.9\nversions:\n- 4.9.1\n', 'release-sigcheck.yaml': 'arch: [amd64]\n' });
    // The runner turns every default of action.yml into an INPUT_ variable, as GitHub does.
    const { parse } = await import('yaml');
    const action = parse(await readFile(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    for (const [name, spec] of Object.entries(action.inputs)) {
      if (spec.default !== undefined) vi.stubEnv(`INPUT_${name.toUpperCase()}`, spec.default.startsWith('${{') ? 'token' : spec.default);
    }
    vi.stubEnv('GITHUB_EVENT_NAME', 'schedule');
    vi.stubEnv('INPUT_GRAPH-DATA', repo);
    vi.stubEnv('INPUT_DRY-RUN', 'true');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out.push(String(c));
      return true;
    });
    const { run } = await import('../../src/action/main.ts');
    await run();
    const listed = out.join('').split('\n').filter((l) => l.startsWith('4.9.1 '));
    expect(listed).toEqual(['4.9.1 amd64: channels/stable-4.9.yaml:3']);
  });
});


describe('errors name the option in the words of where it was set', () => {
  it('an Action input is named as an input, a config-file key as the key of that file', async () => {
    const repo = await mkdtemp(join(tmpdir(), 'sigcheck-action-'));
    temps.push(repo);
    await initRepo(repo);
    await commitTree(repo, 'init', { 'channels/stable-4.9.yaml': 'name: stable-4.9\nversions:\n- 4.9.1\n' });
    vi.stubEnv('GITHUB_EVENT_NAME', 'schedule');
    vi.stubEnv('INPUT_GRAPH-DATA', repo);
    vi.stubEnv('INPUT_TIMEOUT', 'forever');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out.push(String(c));
      return true;
    });
    const { run } = await import('../../src/action/main.ts');
    await run();
    expect(out.join('')).toContain('::error::release-sigcheck: input timeout must be a duration such as 30s');
    process.exitCode = 0;

    await writeFile(join(repo, 'release-sigcheck.yaml'), 'timeout: forever\n');
    const { prepareCheck } = await import('../../src/wiring/execute.ts');
    await expect(prepareCheck({ graphData: repo })).rejects.toMatchObject({ code: 'CONFIG', message: `config file ${join(repo, 'release-sigcheck.yaml')}: timeout must be a duration such as 30s, 500ms or 2m (got "forever")` });
  });
});
