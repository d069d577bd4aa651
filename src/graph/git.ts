/**
 * The few git operations PR scope needs: resolve refs, find their merge-base (GitHub's three-dot
 * diff), read files at a commit without touching the work tree, and cope with shallow clones.
 */
import { execFile, spawn } from 'node:child_process';
import { SigcheckError } from '../errors.ts';

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export function runGit(cwd: string, args: string[], options: { allowFailure?: boolean } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      const result = { stdout, stderr: stderr.toString('utf8'), code };
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new SigcheckError('GIT', 'git is not installed or not on PATH; PR scope with git refs needs it', { cause: err }));
        return;
      }
      if (code !== 0 && !options.allowFailure) {
        reject(new SigcheckError('GIT', `git ${args.join(' ')} failed in ${cwd}: ${result.stderr.trim() || `exit code ${code}`}`));
        return;
      }
      resolve(result);
    });
  });
}

export async function isGitCheckout(dir: string): Promise<boolean> {
  const r = await runGit(dir, ['rev-parse', '--is-inside-work-tree'], { allowFailure: true }).catch(() => undefined);
  return r !== undefined && r.code === 0 && r.stdout.toString().trim() === 'true';
}

/** The path of `dir` inside its repository, e.g. `graph-data/` or `` at the top. */
export async function repoPrefix(dir: string): Promise<string> {
  return (await runGit(dir, ['rev-parse', '--show-prefix'])).stdout.toString('utf8').trim();
}

export async function resolveCommit(dir: string, ref: string): Promise<string | undefined> {
  const r = await runGit(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
}

export async function mergeBase(dir: string, a: string, b: string): Promise<string | undefined> {
  const r = await runGit(dir, ['merge-base', a, b], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
}

export async function isShallow(dir: string): Promise<boolean> {
  const r = await runGit(dir, ['rev-parse', '--is-shallow-repository'], { allowFailure: true });
  return r.stdout.toString('utf8').trim() === 'true';
}

/** Fetches more history from `remote` (all of it), plus the given commits in case they are not on a branch. */
export async function deepen(dir: string, remote: string, commits: string[]): Promise<boolean> {
  const unshallow = await runGit(dir, ['fetch', '--no-tags', '--quiet', '--unshallow', remote], { allowFailure: true });
  if (unshallow.code !== 0) return false;
  if (commits.length > 0) await runGit(dir, ['fetch', '--no-tags', '--quiet', remote, ...commits], { allowFailure: true });
  return true;
}

/** Lists files (paths relative to the repository top) under the given paths at a commit. */
export async function listFilesAt(dir: string, commit: string, paths: string[]): Promise<string[]> {
  const r = await runGit(dir, ['ls-tree', '-r', '--name-only', '-z', '--full-tree', commit, '--', ...paths]);
  return r.stdout.toString('utf8').split('\0').filter((p) => p !== '');
}

/** Reads many blobs at one commit with a single `git cat-file --batch`. Missing paths map to undefined. */
export function readFilesAt(dir: string, commit: string, paths: string[]): Promise<Map<string, Buffer | undefined>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) => reject(new SigcheckError('GIT', `git cat-file failed: ${err.message}`, { cause: err })));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new SigcheckError('GIT', `git cat-file failed in ${dir}: ${stderr.trim()}`));
        return;
      }
      const out = Buffer.concat(chunks);
      const result = new Map<string, Buffer | undefined>();
      let pos = 0;
      for (const path of paths) {
        const nl = out.indexOf(0x0a, pos);
        const header = out.subarray(pos, nl).toString('utf8');
        pos = nl + 1;
        if (header.endsWith(' missing')) {
          result.set(path, undefined);
          continue;
        }
        const size = Number(header.split(' ')[2]);
        result.set(path, out.subarray(pos, pos + size));
        pos += size + 1; // content is followed by a newline
      }
      resolve(result);
    });
    child.stdin.end(paths.map((p) => `${commit}:${p}\n`).join(''));
  });
}
