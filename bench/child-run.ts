/**
 * Running the tool as a child process (child.ts, or its bundle) and reading what it left: the
 * `RUSAGE` line on stderr and the JSON report. The child is timed from spawn to exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface Rusage {
  code: number;
  userMs: number;
  systemMs: number;
  maxRssKiB: number;
  /** How late the child's timers ran, beyond their 10 ms period. */
  loopDelayMs?: { mean: number; p50: number; p99: number; max: number };
  /** The memory split at the highest RSS sampled. */
  atPeakRss?: { heapTotalMiB: number; heapUsedMiB: number; externalMiB: number; rssMiB: number };
}

export interface ChildRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  rusage?: Rusage;
  stdout: string;
  /** stderr without the RUSAGE line. */
  stderr: string;
}

export interface ChildOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Node options before the entry, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

/** The child running now, so that a signal can stop it. */
let running: ChildProcess | undefined;

export function killRunningChild(): void {
  if (running?.pid !== undefined && running.exitCode === null) running.kill('SIGKILL');
}

/** Runs `node [nodeArgs] <entry> args` in `cwd`, timed from spawn to exit. */
export function runChild(entry: string, args: string[], options: ChildOptions): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-200_000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-200_000)));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      const wallMs = performance.now() - started;
      running = undefined;
      const line = /^RUSAGE (\{.*\})$/m.exec(stderr);
      const run: ChildRun = { exitCode, signal, wallMs, stdout, stderr: stderr.replace(/^RUSAGE .*\n?/m, '') };
      if (line) run.rusage = JSON.parse(line[1] as string) as Rusage;
      resolve(run);
    });
  });
}

export interface ReportSummary {
  nodes: number;
  passed: number;
  openpgpVerified: number;
  sigstoreVerified: number;
  /** Nodes whose components check verified, and the component images those checks counted. */
  componentsVerified: number;
  componentChecks: number;
  durationMs: number;
  exitCode: number;
  /** A few reasons of nodes that did not pass, to show. */
  problems: string[];
  findings: string[];
}

interface JsonReportDoc {
  nodes: {
    version: string;
    arch: string;
    status: string;
    openpgp: { outcome: string; reason?: string };
    sigstore: { outcome: string; reason?: string };
    components?: { outcome: string; reason?: string; total?: number };
    metadata?: { outcome: string; reason?: string };
  }[];
  findings: { severity: string; code: string; message: string }[];
  durationMs: number;
  exitCode: number;
}

/** Reads the tool's JSON report (README.md, "JSON report"): how many nodes passed, and why others did not. */
export async function readReport(path: string): Promise<ReportSummary> {
  const doc = JSON.parse(await readFile(path, 'utf8')) as JsonReportDoc;
  const problems: string[] = [];
  for (const n of doc.nodes) {
    if (n.status === 'passed' || problems.length >= 5) continue;
    for (const check of ['openpgp', 'sigstore', 'components', 'metadata'] as const) {
      const c = n[check];
      if (c && c.outcome !== 'verified' && c.outcome !== 'skipped') problems.push(`${n.version} ${n.arch} ${check} ${c.outcome}: ${c.reason ?? ''}`.slice(0, 400));
    }
  }
  return {
    nodes: doc.nodes.length,
    passed: doc.nodes.filter((n) => n.status === 'passed').length,
    openpgpVerified: doc.nodes.filter((n) => n.openpgp.outcome === 'verified').length,
    sigstoreVerified: doc.nodes.filter((n) => n.sigstore.outcome === 'verified').length,
    componentsVerified: doc.nodes.filter((n) => n.components?.outcome === 'verified').length,
    componentChecks: doc.nodes.reduce((k, n) => k + (n.components?.total ?? 0), 0),
    durationMs: doc.durationMs,
    exitCode: doc.exitCode,
    problems,
    findings: doc.findings.map((f) => `${f.severity} ${f.code}: ${f.message}`),
  };
}
