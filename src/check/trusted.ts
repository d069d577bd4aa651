/**
 * Where trusted files are read from. In PR scope the checkout on disk is the pull request's head, so
 * every byte of it is the pull request's; what decides trust, sources, exemptions, scope and state
 * must come from the workflow or from the repository as it is at the merge-base (SECURITY.md):
 *
 *  - commits (PR scope with git refs, and the Action on any pull_request event): a file inside the
 *    repository is read from the merge-base commit by object id, never from the work tree; a file
 *    outside it (the runner's temp, /etc) is read from disk, where the pull request cannot write;
 *  - directories (`--base DIR --head DIR`): the configuration is the base directory's; files named
 *    by flags are the user's own, read as given;
 *  - checkout (audit and versions outside PR events): the checkout is trusted as it is.
 *
 * Trusted content that the loaders read by path (key files, policies, skip files) is written to a
 * private temporary directory, so the lower layers never learn about git.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep, posix } from 'node:path';
import { SigcheckError } from '../model/errors.ts';
import { readRegularFile } from '../fs/regular-file.ts';
import { listTreeAt, readFileAt } from '../graph/git.ts';
import type { Sides } from './select.ts';

export type TrustedSide =
  | { kind: 'checkout' }
  | { kind: 'directories'; baseDir: string; headDir: string }
  | { kind: 'commits'; repoDir: string; repoTop: string; mergeBase: string; head: string };

export interface TrustedFiles {
  readonly side: TrustedSide;
  /** Where trusted configuration comes from, for messages. */
  describe(): string;
  /** The trusted bytes of a file (absolute path); undefined when it does not exist on the trusted side. */
  read(path: string, what: string, maxBytes: number): Promise<Buffer | undefined>;
  /** A path whose bytes a loader may read: the file itself, or a private copy of its trusted version. */
  materialize(path: string, what: string, maxBytes: number): Promise<string>;
  /**
   * A directory a loader may list and read (a registries.d): the directory itself, or a private copy of
   * the regular files directly in it as they are on the trusted side.
   */
  materializeDir(path: string, what: string, maxBytes: number): Promise<string>;
  /** A reader of trusted files for loaders that find paths inside other files (keys a policy.json names). */
  reader(): (path: string, what: string, maxBytes: number) => Promise<Buffer>;
  /** True when the pull request's head holds a file at this path (so its bytes on disk are the PR's). */
  headHolds(path: string): Promise<boolean>;
  /** The pull request's version of a file (PR scope only); undefined when absent or not a PR. */
  readHead(path: string, what: string, maxBytes: number): Promise<Buffer | undefined>;
  /** True when the head's version of this file differs from the trusted one (for "takes effect once merged"). */
  headDiffers(path: string, maxBytes: number): Promise<boolean>;
  /** Removes the private copies. */
  dispose(): Promise<void>;
}

/** The trusted side of resolved sides. */
export function toTrustedSide(sides: Sides): TrustedSide {
  if (sides.kind === 'commits') return { kind: 'commits', repoDir: sides.repoDir, repoTop: sides.repoTop, mergeBase: sides.mergeBase, head: sides.head };
  if (sides.kind === 'directories') return { kind: 'directories', baseDir: sides.baseDir, headDir: sides.headDir };
  return { kind: 'checkout' };
}

function inside(top: string, path: string): string | undefined {
  const rel = relative(top, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join(posix.sep);
}

function isAbsent(err: unknown): boolean {
  return err instanceof SigcheckError && err.code === 'FILE_UNREADABLE' && (err.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export function createTrustedFiles(side: TrustedSide): TrustedFiles {
  let tempDir: Promise<string> | undefined;
  let copies = 0;
  const readDisk = async (path: string, what: string, maxBytes: number): Promise<Buffer | undefined> => {
    try {
      return await readRegularFile(path, { what, maxBytes });
    } catch (err) {
      if (isAbsent(err)) return undefined;
      throw err;
    }
  };
  const readCommit = async (commit: string, rel: string, what: string, maxBytes: number): Promise<Buffer | undefined> => {
    if (side.kind !== 'commits') return undefined;
    const r = await readFileAt(side.repoDir, commit, rel, maxBytes);
    if (r === undefined) return undefined;
    if ('refused' in r) throw new SigcheckError('FILE_NOT_REGULAR', `${what} ${r.refused}`);
    return r.content;
  };
  const files: TrustedFiles = {
    side,
    describe() {
      if (side.kind === 'commits') return `the merge-base ${side.mergeBase.slice(0, 12)}`;
      if (side.kind === 'directories') return `the base directory ${side.baseDir}`;
      return 'the checkout';
    },
    async read(path, what, maxBytes) {
      const abs = resolve(path);
      if (side.kind === 'commits') {
        const rel = inside(side.repoTop, abs);
        if (rel !== undefined) return readCommit(side.mergeBase, rel, what, maxBytes);
      }
      return readDisk(abs, what, maxBytes);
    },
    async materialize(path, what, maxBytes) {
      const abs = resolve(path);
      const rel = side.kind === 'commits' ? inside(side.repoTop, abs) : undefined;
      if (side.kind !== 'commits' || rel === undefined) {
        // Read once here so that a FIFO or an oversized file is refused with its name, before any loader.
        if ((await readDisk(abs, what, maxBytes)) === undefined) throw new SigcheckError('FILE_UNREADABLE', `cannot read ${what} ${path}: it does not exist`);
        return abs;
      }
      const bytes = await readCommit(side.mergeBase, rel, what, maxBytes);
      if (bytes === undefined) {
        throw new SigcheckError('FILE_UNREADABLE', `${what} ${rel} does not exist at the merge-base ${side.mergeBase.slice(0, 12)}; in PR scope files of the repository are read as they are at the merge-base, never from the pull request, so a new file takes effect once merged`);
      }
      tempDir ??= mkdtemp(join(tmpdir(), 'release-sigcheck-trusted-'));
      const copy = join(await tempDir, `${++copies}-${posix.basename(rel)}`);
      await writeFile(copy, bytes, { mode: 0o600 });
      return copy;
    },
    async materializeDir(path, what, maxBytes) {
      const abs = resolve(path);
      const rel = side.kind === 'commits' ? inside(side.repoTop, abs) : undefined;
      if (side.kind !== 'commits' || rel === undefined) return abs;
      const entries = (await listTreeAt(side.repoDir, side.mergeBase, [rel])).filter((e) => e.path.startsWith(`${rel}/`));
      if (entries.length === 0) {
        throw new SigcheckError('FILE_UNREADABLE', `${what} ${rel} does not exist at the merge-base ${side.mergeBase.slice(0, 12)} (or is empty there); in PR scope files of the repository are read as they are at the merge-base, never from the pull request, so a new directory takes effect once merged`);
      }
      tempDir ??= mkdtemp(join(tmpdir(), 'release-sigcheck-trusted-'));
      const copy = join(await tempDir, `${++copies}-${posix.basename(rel)}`);
      await mkdir(copy, { mode: 0o700 });
      for (const e of entries) {
        const name = e.path.slice(rel.length + 1);
        if (name.includes('/')) continue; // only the files directly in the directory are read
        if (e.kind !== 'file') throw new SigcheckError('FILE_NOT_REGULAR', `${what} ${rel} holds ${name}, a ${e.kind} at the merge-base; only regular files are read`);
        const bytes = await readCommit(side.mergeBase, e.path, `${what} file`, maxBytes);
        if (bytes !== undefined) await writeFile(join(copy, name), bytes, { mode: 0o600 });
      }
      return copy;
    },
    reader() {
      return async (path, what, maxBytes) => {
        const bytes = await files.read(path, what, maxBytes);
        if (bytes === undefined) {
          throw new SigcheckError('FILE_UNREADABLE', `cannot read ${what} ${path}: it does not exist${side.kind === 'commits' && inside(side.repoTop, resolve(path)) !== undefined ? ` at the merge-base ${side.mergeBase.slice(0, 12)}` : ''}`);
        }
        return bytes;
      };
    },
    async headHolds(path) {
      const abs = resolve(path);
      if (side.kind === 'commits') {
        const rel = inside(side.repoTop, abs);
        if (rel === undefined) return false;
        return (await listTreeAt(side.repoDir, side.head, [rel])).some((e) => e.path === rel);
      }
      if (side.kind === 'directories') return inside(side.headDir, abs) !== undefined;
      return false;
    },
    async readHead(path, what, maxBytes) {
      const abs = resolve(path);
      if (side.kind === 'commits') {
        const rel = inside(side.repoTop, abs);
        return rel === undefined ? undefined : readCommit(side.head, rel, what, maxBytes);
      }
      if (side.kind === 'directories') {
        const rel = inside(side.baseDir, abs);
        return rel === undefined ? undefined : readDisk(join(side.headDir, rel), what, maxBytes);
      }
      return undefined;
    },
    async headDiffers(path, maxBytes) {
      const abs = resolve(path);
      if (side.kind === 'commits') {
        const rel = inside(side.repoTop, abs);
        if (rel === undefined) return false;
        const [base, head] = await Promise.all([
          listTreeAt(side.repoDir, side.mergeBase, [rel]).then((l) => l.find((e) => e.path === rel)),
          listTreeAt(side.repoDir, side.head, [rel]).then((l) => l.find((e) => e.path === rel)),
        ]);
        return base?.oid !== head?.oid || base?.mode !== head?.mode;
      }
      if (side.kind === 'directories') {
        const rel = inside(side.baseDir, abs);
        if (rel === undefined) return false;
        const headPath = join(side.headDir, rel);
        const [base, head] = await Promise.all([readDisk(abs, 'file', maxBytes).catch(() => undefined), readDisk(headPath, 'file', maxBytes).catch(() => undefined)]);
        return base === undefined ? head !== undefined : head === undefined || !base.equals(head);
      }
      return false;
    },
    async dispose() {
      if (tempDir) await rm(await tempDir, { recursive: true, force: true });
    },
  };
  return files;
}
