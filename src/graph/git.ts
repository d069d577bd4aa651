/**
 * The few git operations PR scope needs: resolve refs, find their merge-base (GitHub's three-dot
 * diff), read files at a commit without touching the work tree, and cope with shallow clones.
 *
 * A pull request controls every name in its tree, so nothing here is ever keyed on a file name
 * that git prints in a line-oriented format: trees are listed NUL-delimited with their modes and
 * object ids (`ls-tree -z --long`), and blobs are read by object id alone (`cat-file --batch` takes
 * one 40-hex id per line, which no name can split). Only regular blobs (modes 100644 and 100755) are
 * ever read: symlinks (120000) and submodules (160000) are listed as what they are, never followed.
 */
import { execFile, spawn } from 'node:child_process';
import { SigcheckError } from '../model/errors.ts';

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/**
 * No prompt, no replacement objects, and paths taken literally (a name is never pathspec magic).
 */
const gitEnv = (): NodeJS.ProcessEnv => ({ ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_NO_REPLACE_OBJECTS: '1', GIT_LITERAL_PATHSPECS: '1', GIT_PAGER: 'cat' });

/** Git output is bounded: a listing of graph-data's two folders is a few KiB, blobs are read apart. */
const GIT_STDOUT_MAX_BYTES = 64 * 1024 * 1024;

export function runGit(cwd: string, args: string[], options: { allowFailure?: boolean } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'buffer', maxBuffer: GIT_STDOUT_MAX_BYTES, env: gitEnv() },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        const result = { stdout, stderr: stderr.toString('utf8'), code };
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new SigcheckError('GIT', 'git is not installed or not on PATH; PR scope with git refs needs it', { cause: err }));
          return;
        }
        if (err && (err as NodeJS.ErrnoException).code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          reject(new SigcheckError('GIT', `git ${args[0]} printed more than ${GIT_STDOUT_MAX_BYTES} bytes in ${cwd}; refusing to read further`, { cause: err }));
          return;
        }
        if (code !== 0 && !options.allowFailure) {
          reject(new SigcheckError('GIT', `git ${args.join(' ')} failed in ${cwd}: ${result.stderr.trim().slice(0, 500) || `exit code ${code}`}`));
          return;
        }
        resolve(result);
      },
    );
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

/** The top of the work tree that contains `dir`. */
export async function repoTop(dir: string): Promise<string> {
  return (await runGit(dir, ['rev-parse', '--show-toplevel'])).stdout.toString('utf8').trim();
}

export async function resolveCommit(dir: string, ref: string): Promise<string | undefined> {
  // `--end-of-options` keeps a ref that starts with `-` from being read as an option.
  const r = await runGit(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { allowFailure: true });
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

export type TreeEntryKind = 'file' | 'symlink' | 'submodule' | 'tree' | 'other';

/** One entry of a tree listing. `path` is the raw name as bytes decoded leniently; `rawPath` keeps the bytes. */
export interface TreeEntry {
  path: string;
  rawPath: Buffer;
  mode: string;
  kind: TreeEntryKind;
  oid: string;
  /** Blob size in bytes (blobs only). */
  size?: number;
}

const OID_RE = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

function kindOf(mode: string, type: string): TreeEntryKind {
  if (type === 'blob' && (mode === '100644' || mode === '100755')) return 'file';
  if (type === 'blob' && mode === '120000') return 'symlink';
  if (type === 'commit') return 'submodule';
  if (type === 'tree') return 'tree';
  return 'other';
}

/**
 * Lists the entries under `paths` at `commit` (recursively, paths relative to the repository top),
 * NUL-delimited: `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL`.
 */
export async function listTreeAt(dir: string, commit: string, paths: string[]): Promise<TreeEntry[]> {
  const r = await runGit(dir, ['ls-tree', '-r', '-z', '--long', '--full-tree', '--end-of-options', commit, '--', ...paths]);
  const out: TreeEntry[] = [];
  let pos = 0;
  const buf = r.stdout;
  while (pos < buf.length) {
    const end = buf.indexOf(0, pos);
    const record = buf.subarray(pos, end === -1 ? buf.length : end);
    pos = end === -1 ? buf.length : end + 1;
    if (record.length === 0) continue;
    const tab = record.indexOf(0x09);
    if (tab === -1) throw new SigcheckError('GIT', `git ls-tree printed a record without a path in ${dir}`);
    const meta = record.subarray(0, tab).toString('latin1').trim().split(/ +/);
    const [mode, type, oid, sizeText] = meta;
    if (mode === undefined || type === undefined || oid === undefined || !OID_RE.test(oid)) {
      throw new SigcheckError('GIT', `git ls-tree printed an unreadable record in ${dir}`);
    }
    const rawPath = Buffer.from(record.subarray(tab + 1));
    const entry: TreeEntry = { path: rawPath.toString('utf8'), rawPath, mode, kind: kindOf(mode, type), oid };
    if (sizeText !== undefined && /^\d+$/.test(sizeText)) entry.size = Number(sizeText);
    out.push(entry);
  }
  return out;
}

/**
 * Reads blobs by object id with one `git cat-file --batch`, refusing any over `maxBytes` (sizes are
 * checked in the listing first; this is the second line). Returns id -> content.
 */
export function readBlobs(dir: string, oids: readonly string[], maxBytes: number): Promise<Map<string, Buffer>> {
  for (const oid of oids) if (!OID_RE.test(oid)) return Promise.reject(new SigcheckError('INTERNAL', `not a git object id: ${JSON.stringify(oid.slice(0, 80))}`));
  const unique = [...new Set(oids)];
  if (unique.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], env: gitEnv() });
    const chunks: Buffer[] = [];
    let received = 0;
    const limit = unique.length * (maxBytes + 128);
    let stderr = '';
    let failed = false;
    const fail = (err: SigcheckError) => {
      if (failed) return;
      failed = true;
      child.kill();
      reject(err);
    };
    child.stdout.on('data', (c: Buffer) => {
      received += c.length;
      if (received > limit) fail(new SigcheckError('GIT', `git cat-file printed more than the ${unique.length} blob(s) asked for in ${dir}`));
      else chunks.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 4096) stderr += c.toString();
    });
    child.stdin.on('error', () => undefined);
    child.on('error', (err) => fail(new SigcheckError('GIT', `git cat-file failed: ${err.message}`, { cause: err })));
    child.on('close', (code) => {
      if (failed) return;
      if (code !== 0) {
        fail(new SigcheckError('GIT', `git cat-file failed in ${dir}: ${stderr.trim().slice(0, 500)}`));
        return;
      }
      const out = Buffer.concat(chunks);
      const result = new Map<string, Buffer>();
      let pos = 0;
      for (const oid of unique) {
        const nl = out.indexOf(0x0a, pos);
        if (nl === -1) return fail(new SigcheckError('GIT', `git cat-file ended early in ${dir}`));
        const header = out.subarray(pos, nl).toString('latin1').split(' ');
        pos = nl + 1;
        // `<oid> blob <size>`; anything else (missing, another type) is refused, not guessed at.
        if (header[0] !== oid || header[1] !== 'blob' || !/^\d+$/.test(header[2] ?? '')) {
          return fail(new SigcheckError('GIT', `git object ${oid} is not a readable blob in ${dir} (${header.slice(1).join(' ').slice(0, 80)})`));
        }
        const size = Number(header[2]);
        if (size > maxBytes) return fail(new SigcheckError('GIT', `git blob ${oid} has ${size} bytes, over the ${maxBytes}-byte cap`));
        result.set(oid, out.subarray(pos, pos + size));
        pos += size + 1; // content is followed by a newline
      }
      resolve(result);
    });
    child.stdin.end(unique.map((o) => `${o}\n`).join(''));
  });
}

/** Reads one regular file at `commit` (path relative to the repository top); undefined when there is none. */
export async function readFileAt(dir: string, commit: string, path: string, maxBytes: number): Promise<{ content: Buffer; oid: string } | { refused: string } | undefined> {
  const entries = (await listTreeAt(dir, commit, [path])).filter((e) => e.path === path);
  const entry = entries[0];
  if (!entry) return undefined;
  if (entry.kind !== 'file') return { refused: `${path} at ${commit.slice(0, 12)} is a ${entry.kind}, not a regular file` };
  if (entry.size !== undefined && entry.size > maxBytes) return { refused: `${path} at ${commit.slice(0, 12)} has ${entry.size} bytes, over the ${maxBytes}-byte cap` };
  const blobs = await readBlobs(dir, [entry.oid], maxBytes);
  return { content: blobs.get(entry.oid) as Buffer, oid: entry.oid };
}
