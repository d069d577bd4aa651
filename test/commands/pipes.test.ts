/**
 * The CLI as a process in a pipeline: a reader that goes away ends the run quietly, and the demo's
 * temporary directory is removed however the run ends.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/paths.ts';

const CLI = join(PROJECT_ROOT, 'src', 'cli', 'index.ts');
const temps: string[] = [];
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

async function freshTmp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sigcheck-pipe-'));
  temps.push(dir);
  return dir;
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the CLI with its stdout a pipe whose reader is already gone, as after `| head` exits. */
function runWithClosedStdout(args: string[], env: NodeJS.ProcessEnv): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a closed pipe on stdout', () => {
  it('ends the demo quietly with status 141 (as git and grep report SIGPIPE) and removes its temp dir', async () => {
    const tmp = await freshTmp();
    const r = await runWithClosedStdout(['demo'], { TMPDIR: tmp });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
    expect(await readdir(tmp)).toEqual([]);
  }, 60_000);

  it('still finishes the report files it was asked for, with the usual exit code', async () => {
    const tmp = await freshTmp();
    const report = join(tmp, 'out', 'report.json');
    const r = await runWithClosedStdout(['demo', '--output', report], { TMPDIR: tmp });
    expect(r.stderr).not.toMatch(/\n\s+at |EPIPE/);
    expect(r.code).toBe(1);
    const doc = JSON.parse(await readFile(report, 'utf8')) as { status: string; nodes: unknown[] };
    expect(doc.status).toBe('failed');
    expect(doc.nodes.length).toBeGreaterThan(0);
    expect((await readdir(tmp)).filter((n) => n.startsWith('release-sigcheck-demo-'))).toEqual([]);
  }, 60_000);
});

describe('removeOnExit', () => {
  it('removes the directory on SIGINT and exits with 130', async () => {
    const tmp = await freshTmp();
    const dir = join(tmp, 'demo-like');
    const script = `
      import { mkdirSync } from 'node:fs';
      import { removeOnExit } from ${JSON.stringify(join(PROJECT_ROOT, 'src', 'commands', 'io.ts'))};
      mkdirSync(${JSON.stringify(dir)});
      removeOnExit(${JSON.stringify(dir)});
      process.stdout.write('ready\\n');
      setTimeout(() => {}, 60_000);
    `;
    const ended = await new Promise<{ code: number | null }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.once('data', () => child.kill('SIGINT'));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code }));
    });
    expect(ended.code).toBe(130);
    expect(await readdir(tmp)).toEqual([]);
  }, 30_000);
});
