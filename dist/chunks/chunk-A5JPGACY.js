import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/commands/io.ts
import { rmSync } from "node:fs";
import { Writable } from "node:stream";
var EXIT_PIPE_CLOSED = 141;
var GuardedOutput = class extends Writable {
  target;
  shut = false;
  waiters = /* @__PURE__ */ new Set();
  readerGone;
  markClosed;
  constructor(target, onOtherError) {
    super({ decodeStrings: false });
    this.target = target;
    this.readerGone = new Promise((resolve) => this.markClosed = resolve);
    target.on("error", (err) => {
      if (this.shut) return;
      if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") onOtherError(err);
      this.shut = true;
      for (const w of this.waiters) w();
      this.waiters.clear();
      this.markClosed();
    });
  }
  get isTTY() {
    return this.target.isTTY === true;
  }
  get columns() {
    return this.target.columns;
  }
  _write(chunk, _encoding, callback) {
    if (this.shut) return callback();
    if (this.target.write(chunk)) return callback();
    const done = () => {
      this.waiters.delete(done);
      this.target.off("drain", done);
      callback();
    };
    this.waiters.add(done);
    this.target.once("drain", done);
  }
};
function processIO() {
  const stderr = new GuardedOutput(process.stderr, () => void 0);
  const stdout = new GuardedOutput(process.stdout, (err) => stderr.write(`release-sigcheck: cannot write to standard output: ${err.message}
`));
  return { stdout, stderr, env: process.env, stdoutClosed: stdout.readerGone };
}
var cleanups = /* @__PURE__ */ new Set();
var SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
function runCleanups() {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
    }
  }
}
function onSignal(signal) {
  runCleanups();
  process.exit(128 + SIGNALS[signal]);
}
function removeOnExit(dir) {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (cleanups.size === 0) {
    process.on("exit", runCleanups);
    for (const s of Object.keys(SIGNALS)) process.on(s, onSignal);
  }
  cleanups.add(remove);
  return () => {
    if (cleanups.delete(remove)) remove();
    if (cleanups.size === 0) {
      process.off("exit", runCleanups);
      for (const s of Object.keys(SIGNALS)) process.off(s, onSignal);
    }
  };
}
function endRun(code) {
  runCleanups();
  process.exit(code);
}

export {
  EXIT_PIPE_CLOSED,
  processIO,
  removeOnExit,
  endRun
};
