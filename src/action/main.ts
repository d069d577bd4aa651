/**
 * The GitHub Action: reads inputs (kebab-case, mirroring the CLI flags), picks PR scope on
 * `pull_request` events and audit scope otherwise, and reports through annotations, the job summary
 * and step outputs. All decisions are the core's; this file only adapts GitHub's world to it.
 */
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { executeCheck, prepareCheck, type PreparedCheck } from '../wiring/execute.ts';
import { readCheckFlags, type CheckFlags } from '../options/registry.ts';
import { ACTION_WORDING, SigcheckError, describeError } from '../model/errors.ts';
import { toNodeTargets } from '../graph/nodes.ts';
import { COMMANDS } from '../commands/index.ts';
import { processIO } from '../commands/io.ts';
import { newFailureCount } from '../report/changes.ts';
import { ActionLogReporter } from '../report/action-log.ts';
import { GithubReporter } from '../report/github.ts';
import { ExitCode, exitCodeForError, type RunSummary } from '../model/results.ts';
import { openFileReporter, parseOutputSpec } from '../report/outputs.ts';
import { MultiReporter, type Reporter } from '../model/reporter.ts';
import { safeLogLine, safeLogText, truncate, untrusted } from '../report/safe-text.ts';
import { linksFromEnv, type LineLinks } from '../report/summary.ts';
import { restoreVerifiedCache, saveVerifiedCache } from './cache.ts';
import { toCommentBody, upsertComment } from './comment.ts';

function input(name: string): string | undefined {
  const v = core.getInput(name);
  return v === '' ? undefined : v;
}

function multiline(name: string): string[] | undefined {
  const v = core.getMultilineInput(name);
  return v.length > 0 ? v : undefined;
}

function booleanInput(name: string): boolean {
  return input(name) === undefined ? false : core.getBooleanInput(name);
}

/** The Action's inputs as check flags; names match the CLI's long options. */
export function readFlags(): CheckFlags {
  const flags = readCheckFlags((name, kind) => (kind === 'list' ? multiline(name) : kind === 'boolean' ? booleanInput(name) : input(name)));
  // The input `version` is the old name of `release`.
  const old = multiline('version');
  if (old && !flags.version) {
    core.warning('the input version is now named release (the old name still works)');
    flags.version = old;
  }
  return flags;
}

export interface EventContext {
  eventName: string;
  payload: Record<string, unknown>;
}

/** The event that started the workflow, read when needed (not at import time) from the runner's files. */
export function readEventContext(env: NodeJS.ProcessEnv = process.env): EventContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      core.warning(`could not read the event payload ${env.GITHUB_EVENT_PATH}: ${describeError(err)}`);
    }
  }
  return { eventName, payload };
}

/** PR scope on pull_request events unless the workflow set base/versions itself, or mode says otherwise. */
export function applyEventScope(flags: CheckFlags, mode: string, context: EventContext): CheckFlags {
  if (mode !== 'auto' && mode !== 'pr' && mode !== 'audit') {
    throw new SigcheckError('USAGE', `input mode must be auto, pr or audit (got ${JSON.stringify(mode)})`);
  }
  const pr = context.payload.pull_request as { base?: { sha?: string }; head?: { sha?: string } } | undefined;
  const isPrEvent = context.eventName === 'pull_request' || context.eventName === 'pull_request_target';
  if (mode === 'audit' || flags.base || (flags.version && flags.version.length > 0)) return flags;
  if (mode === 'pr' || isPrEvent) {
    if (!pr?.base?.sha || !pr.head?.sha) {
      if (mode === 'pr') throw new SigcheckError('USAGE', 'mode: pr needs a pull_request event, or base and head inputs');
      return flags;
    }
    return { ...flags, base: pr.base.sha, head: flags.head ?? pr.head.sha };
  }
  return flags;
}

/**
 * The log of the Action. The runner takes any stdout line that starts with `::` for a workflow command,
 * and core.info writes its text as it is: every line the Action logs passes through here.
 */
function log(message: string): void {
  core.info(safeLogText(message));
}

/** Where the summary links each promoting line: the commit that was read (the PR head in PR scope). */
export function lineLinks(flags: CheckFlags, env: NodeJS.ProcessEnv = process.env): LineLinks | undefined {
  return linksFromEnv(env, flags.head);
}

/** Upserts the PR comment; never fails the step (a fork PR's token cannot write). */
export async function commentOnPullRequest(body: string, context: EventContext): Promise<void> {
  const number = (context.payload.pull_request as { number?: number } | undefined)?.number;
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  const token = input('github-token');
  if (!number || !owner || !repo) {
    core.info('comment: not a pull request event; no comment written');
    return;
  }
  if (!token) {
    core.warning('comment: no github-token input; no comment written');
    return;
  }
  try {
    const outcome = await upsertComment({ token, owner, repo, issueNumber: number }, body);
    if (outcome === 'forbidden') {
      core.warning('comment: the token may not write to this pull request (a fork PR\'s GITHUB_TOKEN is read-only); the annotations and the job summary carry the result');
    } else {
      core.info(`comment: ${outcome} the release-sigcheck comment on #${number}`);
    }
  } catch (err) {
    core.warning(`comment: could not write the pull-request comment: ${describeError(err)}`);
  }
}

/** The commands the Action runs besides check, with `args` (one argument per line) as their command line. */
const OTHER_COMMANDS = ['image', 'mirror', 'configmap', 'signature', 'merge-reports', 'policy'] as const;
/** The commands whose results the GitHub reporter can show (annotations and the job summary). */
const GITHUB_FORMAT = new Set<string>(['image', 'mirror', 'merge-reports']);

/**
 * Runs another command in a workflow step: `command: mirror` with `args` as its command line (the
 * same options as the CLI, from the one option table), reporting through annotations and the job
 * summary where the command can (`--format github` unless args choose a format).
 */
export async function runOtherCommand(command: string, args: readonly string[]): Promise<number> {
  if (!(OTHER_COMMANDS as readonly string[]).includes(command)) {
    throw new SigcheckError('USAGE', `input command must be check or one of ${OTHER_COMMANDS.join(', ')} (got ${JSON.stringify(command.slice(0, 40))})`);
  }
  const argv = [...args];
  if (GITHUB_FORMAT.has(command) && !argv.some((a) => a === '--format' || a.startsWith('--format='))) argv.push('--format', 'github');
  const entry = COMMANDS[command]!;
  const run = await entry.load();
  const code = await run(argv, processIO());
  core.setOutput('exit-code', code);
  core.setOutput('status', code === 0 ? 'passed' : code === 1 ? 'failed' : code === 2 ? 'usage' : 'error');
  if (code !== 0) core.setFailed(`release-sigcheck ${command}: exit code ${code} (see the log${GITHUB_FORMAT.has(command) ? ', the annotations and the job summary' : ''})`);
  return code;
}

export async function run(): Promise<RunSummary | undefined> {
  try {
    const command = input('command') ?? 'check';
    if (command !== 'check') {
      await runOtherCommand(command, core.getMultilineInput('args'));
      return undefined;
    }
    const context = readEventContext();
    const flags = applyEventScope(readFlags(), input('mode') ?? 'auto', context);
    const configPath = input('config');
    const pr = pullRequestCommits(context);
    core.startGroup('release-sigcheck: reading graph-data and selecting releases');
    let prepared: PreparedCheck;
    try {
      prepared = await prepareCheck(flags, { deepen: true, log, ...(configPath ? { configPath } : {}), ...(pr ? { pullRequest: pr } : {}) });
    } finally {
      core.endGroup();
    }
    try {
      return await runPrepared(prepared, context, lineLinks(flags));
    } finally {
      await prepared.dispose?.();
    }
  } catch (err) {
    const usage = exitCodeForError(err) === ExitCode.Usage;
    // core escapes the message for the runner; the cap keeps a message that quotes hostile input bounded.
    core.setFailed(`release-sigcheck: ${usage ? '' : 'unexpected error: '}${truncate(describeError(err, ACTION_WORDING), 4000)}`);
    return undefined;
  }
}

/** The base and head commits of a pull_request (or pull_request_target) event, when this is one. */
export function pullRequestCommits(context: EventContext): { base: string; head: string } | undefined {
  if (context.eventName !== 'pull_request' && context.eventName !== 'pull_request_target') return undefined;
  const pr = context.payload.pull_request as { base?: { sha?: unknown }; head?: { sha?: unknown } } | undefined;
  const base = pr?.base?.sha;
  const head = pr?.head?.sha;
  if (typeof base !== 'string' || typeof head !== 'string' || !/^[0-9a-f]{40}$/.test(base) || !/^[0-9a-f]{40}$/.test(head)) {
    throw new SigcheckError('CONFIG', `the ${context.eventName} event payload has no base and head commit; the configuration must come from the pull request's merge-base, so the check cannot run`);
  }
  return { base, head };
}

/**
 * A path the Action writes (a report, the cache) must stay inside the workspace or the runner's temp
 * folder, also through symlinks a pull request may have committed: the nearest existing ancestor is
 * resolved and must lie inside one of them.
 */
export async function confineWritePath(path: string, what: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const abs = resolve(path);
  const roots = [env.GITHUB_WORKSPACE ?? process.cwd(), env.RUNNER_TEMP].filter((r): r is string => typeof r === 'string' && r !== '');
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => resolve(r))));
  let probe = abs;
  let rest = '';
  for (;;) {
    const real = await realpath(probe).catch(() => undefined);
    if (real !== undefined) {
      const target = rest === '' ? real : join(real, rest);
      if (realRoots.some((root) => target === root || target.startsWith(`${root}${sep}`))) return abs;
      break;
    }
    const parent = dirname(probe);
    if (parent === probe) break;
    rest = rest === '' ? basename(probe) : join(basename(probe), rest);
    probe = parent;
  }
  throw new SigcheckError('USAGE', `input ${what}: ${path} is outside the workspace and the runner's temp folder (or leads out of them through a symbolic link); write reports and the cache under $GITHUB_WORKSPACE or $RUNNER_TEMP`);
}

async function runPrepared(prepared: PreparedCheck, context: EventContext, links: LineLinks | undefined): Promise<RunSummary | undefined> {
  const { config, selected } = prepared;
  log(`release-sigcheck: ${selected.mode} scope, ${selected.nodes.length} version(s) selected${selected.baseLabel ? ` (base ${untrusted(selected.baseLabel)}, head ${untrusted(selected.headLabel)})` : ''}`);
  if (config.dryRun) {
    for (const t of toNodeTargets(selected.nodes, config.arches)) core.info(safeLogLine(`${untrusted(t.name)} ${t.arch}: ${t.places.map((p) => `${untrusted(selected.pathPrefix + p.file, 300)}:${p.line}`).join(', ')}`));
    return undefined;
  }
  const reportPath = await confineWritePath(input('report') ?? join(process.env.RUNNER_TEMP ?? '.', 'release-sigcheck-report.json'), 'report');
  const outputSpecs = (multiline('output') ?? []).map(parseOutputSpec);
  for (const spec of outputSpecs) spec.path = await confineWritePath(spec.path, 'output');
  if (config.cache) config.cache = await confineWritePath(config.cache, 'cache');
  const githubReporter = new GithubReporter(links ? { links } : {});
  const reporters: Reporter[] = [new ActionLogReporter(), githubReporter];
  reporters.push(await openFileReporter({ format: 'json', path: reportPath }));
  for (const spec of outputSpecs) reporters.push(await openFileReporter(spec));
  if (config.cache) await restoreVerifiedCache(config.cache);
  const summary = await executeCheck(prepared, { reporter: new MultiReporter(reporters), reportPath, log });
  if (config.cache) await saveVerifiedCache(config.cache);
  if (booleanInput('comment')) await commentOnPullRequest(toCommentBody(githubReporter.commentMarkdown(summary)), context);
  if (summary.changes) core.setOutput('new-failures', newFailureCount(summary.changes));
  if (summary.exitCode === ExitCode.Failed && summary.changes?.failOn === 'new') {
    core.setFailed(`release-sigcheck: ${newFailureCount(summary.changes)} new failure(s) since the previous report (fail-on: new; see the job summary)`);
  } else if (summary.exitCode === ExitCode.Failed) core.setFailed(`release-sigcheck: ${summary.counts.failed} node(s) are not signed the way clusters require (see the annotations and the job summary)`);
  else if (summary.exitCode === ExitCode.Error) core.setFailed(`release-sigcheck: ${summary.counts.errored} node(s) could not be checked (network errors after retries); re-run the job`);
  return summary;
}
