import { rmSync } from 'node:fs';
import { Writable } from 'node:stream';

/** What a command may touch, injected so tests can run commands in-process. */
export interface CliIO {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /**
   * Settles when nobody reads stdout any more (`release-sigcheck ... | head` after head exits). Only the
   * real process has it; a command that has nothing else to write then ends at once (see `endRun`).
   */
  stdoutClosed?: Promise<void>;
}

/**
 * The exit status of a run whose reader went away, as the shell reports git or grep killed by SIGPIPE
 * (128 + 13). Node ignores SIGPIPE and sees EPIPE instead; this keeps `set -o pipefail` scripts seeing
 * what they see for any other tool.
 */
export const EXIT_PIPE_CLOSED = 141;

/**
 * A standard stream that a closed pipe cannot crash: EPIPE (the reader went away) makes it silent and
 * settles `readerGone`, and later writes are dropped instead of throwing or waiting forever for 'drain'.
 * Any other write error (a full disk behind `> file`) is said once on stderr, then treated the same.
 */
class GuardedOutput extends Writable {
  private readonly target: NodeJS.WriteStream;
  private shut = false;
  private readonly waiters = new Set<() => void>();
  readonly readerGone: Promise<void>;
  private markClosed!: () => void;

  constructor(target: NodeJS.WriteStream, onOtherError: (err: NodeJS.ErrnoException) => void) {
    super({ decodeStrings: false });
    this.target = target;
    this.readerGone = new Promise((resolve) => (this.markClosed = resolve));
    target.on('error', (err: NodeJS.ErrnoException) => {
      if (this.shut) return;
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') onOtherError(err);
      this.shut = true;
      for (const w of this.waiters) w();
      this.waiters.clear();
      this.markClosed();
    });
  }

  get isTTY(): boolean {
    return this.target.isTTY === true;
  }

  get columns(): number | undefined {
    return this.target.columns;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.shut) return callback();
    if (this.target.write(chunk)) return callback();
    const done = () => {
      this.waiters.delete(done);
      this.target.off('drain', done);
      callback();
    };
    this.waiters.add(done);
    this.target.once('drain', done);
  }
}

export function processIO(): CliIO {
  const stderr = new GuardedOutput(process.stderr, () => undefined);
  const stdout = new GuardedOutput(process.stdout, (err) => stderr.write(`release-sigcheck: cannot write to standard output: ${err.message}\n`));
  return { stdout, stderr, env: process.env, stdoutClosed: stdout.readerGone };
}

/*
 * Temporary files that must not outlive the process, whatever ends it: a normal return, an error, an
 * early end (`endRun`), or Ctrl-C. 'exit' handlers run synchronously, so removal is synchronous too.
 */
const cleanups = new Set<() => void>();
const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

function runCleanups(): void {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // Best effort: a directory already gone is fine.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runCleanups();
  // The status a shell shows for a process killed by the signal.
  process.exit(128 + SIGNALS[signal as keyof typeof SIGNALS]);
}

/** Removes `dir` when the process ends in any way, until the returned function is called (which removes it now). */
export function removeOnExit(dir: string): () => void {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (cleanups.size === 0) {
    process.on('exit', runCleanups);
    for (const s of Object.keys(SIGNALS) as NodeJS.Signals[]) process.on(s, onSignal);
  }
  cleanups.add(remove);
  return () => {
    if (cleanups.delete(remove)) remove();
    if (cleanups.size === 0) {
      process.off('exit', runCleanups);
      for (const s of Object.keys(SIGNALS) as NodeJS.Signals[]) process.off(s, onSignal);
    }
  };
}

/**
 * Ends the process now, quietly: for a run whose stdout reader went away and that writes nothing else.
 * Temporary files are removed first.
 */
export function endRun(code: number): never {
  runCleanups();
  process.exit(code);
}
