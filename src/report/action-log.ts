/**
 * The Action's log: one foldable group for the check, one line per node that failed, one line per
 * distinct network failure per host (not one per check: a registry outage during a 7,000-node audit is
 * a handful of lines, with counts at the end), and a progress line now and then for long runs.
 *
 * The runner reads any stdout line that starts with `::` as a workflow command, so every line written
 * here passes through `safeLogLine`, and only @actions/core's own commands (group, annotations) reach
 * stdout unescaped.
 */
import * as core from '@actions/core';
import type { CheckName } from '../model/results.ts';
import { edgeSubject, failedChecks, failingEdges, erroredChecks, hostOf, metadataFailed, networkFailureKind, nodeTitle, CHECK_LABEL, METADATA_LABEL } from './format.ts';
import { nodeStatus, type CheckResult, type Finding, type NodeResult, type RunSummary } from '../model/results.ts';
import { describeProgress } from './progress.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';
import { MAX_REASON_CHARS, safeLogLine, untrusted } from './safe-text.ts';

/** Failing nodes listed one line each, up to this many; the summary and report have them all. */
const MAX_NODE_LINES = 1000;
/** Distinct (host, failure) pairs kept; more is a sign of one broad outage, counted as "other". */
const MAX_FAILURE_KINDS = 100;
/** Failing update edges named on a node's FAIL line; the summary and report have them all. */
const MAX_EDGES_PER_LINE = 5;

export interface ActionLogOptions {
  /** Writes one line (default: core.info). */
  write?: (line: string) => void;
  now?: () => number;
  /** Time between progress lines. */
  progressEveryMs?: number;
}

interface FailureKind {
  host: string;
  kind: string;
  count: number;
}

function failureHost(r: CheckResult): string {
  const fromSource = hostOf(r.source);
  if (fromSource) return fromSource;
  return /\bhttps?:\/\/([^/\s]+)/.exec(r.reason)?.[1] ?? 'an unknown host';
}

export class ActionLogReporter implements Reporter {
  private readonly writeLine: (line: string) => void;
  private readonly now: () => number;
  private readonly progressEveryMs: number;
  private info?: RunInfo;
  private started = 0;
  private lastProgress = 0;
  private nodeLines = 0;
  private moreNodes = 0;
  private readonly failures = new Map<string, FailureKind>();
  private otherFailures = 0;
  private grouped = false;

  constructor(options: ActionLogOptions = {}) {
    this.writeLine = options.write ?? ((line) => core.info(line));
    this.now = options.now ?? Date.now;
    this.progressEveryMs = options.progressEveryMs ?? 30_000;
  }

  private say(line: string): void {
    this.writeLine(safeLogLine(line));
  }

  begin(info: RunInfo): void {
    this.info = info;
    this.started = this.now();
    this.lastProgress = this.started;
    const what = info.mode === 'pr' ? 'added by the pull request' : info.mode === 'audit' ? 'promoted by graph-data' : 'requested';
    core.startGroup(safeLogLine(`release-sigcheck: checking ${info.total} (version, architecture) pair(s) ${what}`));
    this.grouped = true;
    this.say(`release repository ${untrusted(info.releaseRepo)}; required: ${info.require.join(', ') || 'none'}; architectures: ${info.arches.join(', ')}`);
  }

  private noteFailure(check: CheckName, node: NodeResult): void {
    const r = node[check];
    const host = untrusted(failureHost(r), 100);
    const kind = networkFailureKind(r.reason);
    const key = `${host}\0${kind}`;
    const known = this.failures.get(key);
    if (known) {
      known.count++;
      return;
    }
    if (this.failures.size >= MAX_FAILURE_KINDS) {
      this.otherFailures++;
      return;
    }
    this.failures.set(key, { host, kind, count: 1 });
    this.say(`network: ${host}: ${kind} (first seen on ${untrusted(node.version)} ${node.arch} ${CHECK_LABEL[check]}: ${untrusted(r.reason, MAX_REASON_CHARS)}); later failures like it are only counted`);
  }

  node(result: NodeResult): void {
    const status = nodeStatus(result);
    for (const check of erroredChecks(result)) this.noteFailure(check, result);
    if (status !== 'failed') return;
    if (this.nodeLines >= MAX_NODE_LINES) {
      this.moreNodes++;
      return;
    }
    this.nodeLines++;
    const place = result.places[0];
    const where = place ? ` at ${untrusted(`${this.info?.pathPrefix ?? ''}${place.file}`, 300)}:${place.line}${result.places.length > 1 ? ` and ${result.places.length - 1} more place(s)` : ''}` : '';
    const reasons = failedChecks(result).map((c) => `${CHECK_LABEL[c]}: ${untrusted(result[c].reason, 300)}`);
    if (metadataFailed(result)) reasons.push(`${METADATA_LABEL}: ${untrusted(result.metadata.reason, 300)}`);
    // A node failed only by an update edge must say which source release refuses it, and why.
    const edges = failingEdges(result);
    for (const e of edges.slice(0, MAX_EDGES_PER_LINE)) reasons.push(`${edgeSubject(e)} ${e.outcome}: ${untrusted(e.reason, 300)}`);
    if (edges.length > MAX_EDGES_PER_LINE) reasons.push(`and ${edges.length - MAX_EDGES_PER_LINE} more failing update edge(s)`);
    this.say(`FAIL ${nodeTitle(result)}${where} (${reasons.join('; ')})`);
  }

  finding(f: Finding): void {
    const where = f.file ? `${untrusted(`${this.info?.pathPrefix ?? ''}${f.file}`, 300)}${f.line ? `:${f.line}` : ''}: ` : '';
    this.say(`${f.severity} ${where}${untrusted(f.message, MAX_REASON_CHARS)} [${untrusted(f.code, 60)}]`);
  }

  progress(done: number, total: number): void {
    const now = this.now();
    if (done === total || now - this.lastProgress < this.progressEveryMs) return;
    this.lastProgress = now;
    this.say(`progress: ${describeProgress(done, total, now - this.started)}`);
  }

  end(summary: RunSummary): void {
    if (this.moreNodes > 0) this.say(`… and ${this.moreNodes} more failing node(s); the job summary and the JSON report list them`);
    if (this.failures.size > 0) {
      const total = [...this.failures.values()].reduce((n, f) => n + f.count, 0) + this.otherFailures;
      this.say(`network failures after retries: ${total} check(s), by host:`);
      for (const f of this.failures.values()) this.say(`  ${f.host}: ${f.kind}: ${f.count} check(s)`);
      if (this.otherFailures > 0) this.say(`  other failures: ${this.otherFailures} check(s)`);
    }
    if (this.grouped) core.endGroup();
    this.grouped = false;
    const c = summary.counts;
    this.say(
      `release-sigcheck: ${c.nodes} node(s): ${c.passed} passed, ${c.failed} failed, ${c.errored} could not be checked, ${c.unpublished} not published, ${c.findings} finding(s) in ${(summary.durationMs / 1000).toFixed(1)} s${summary.retries !== undefined ? `, ${summary.retries} network retries` : ''}`,
    );
  }
}
