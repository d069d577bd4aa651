/**
 * The comparison as the reporters carry it: a run through the ComparingReporter gives every reporter
 * the changes (JSON `changes`, the text block, the job summary's first section) and the exit code
 * of --fail-on; merge-reports compares after merging and writes the same.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { runCheck } from '../../src/check/run.ts';
import { selectNodes } from '../../src/check/select.ts';
import { selectShard } from '../../src/check/shard.ts';
import { main } from '../../src/cli/main.ts';
import { indexReport } from '../../src/report/changes.ts';
import { ComparingReporter } from '../../src/report/compare.ts';
import { GithubReporter } from '../../src/report/github.ts';
import { JsonReporter, type JsonReport } from '../../src/report/json.ts';
import { MultiReporter, type Reporter } from '../../src/model/reporter.ts';
import { TextReporter } from '../../src/report/text.ts';
import { Capture, FakeChecker, FakeResolver, fakeDigest } from '../helpers/fakes.ts';
import { GRAPH_DATA } from '../helpers/paths.ts';

const selected = await selectNodes({ graphData: GRAPH_DATA, channels: ['stable-4.15'] });
const arches = ['amd64', 'multi'] as const;
const info = { mode: 'audit' as const, graphData: GRAPH_DATA, pathPrefix: '', releaseRepo: 'quay.io/openshift-release-dev/ocp-release' };

/** Runs the slice with the given broken signatures; returns the JSON report. */
async function run(broken: Record<string, 'missing' | 'invalid'>, reporters: (json: Capture) => Reporter[] = (j) => [new JsonReporter(j as never)], previous?: JsonReport, nodes = selected.nodes) {
  const checker = new FakeChecker(Object.fromEntries(Object.entries(broken).map(([key, outcome]) => [fakeDigest(key), { outcome, reason: `${outcome}: <img src=x onerror=alert(1)>` }])));
  const json = new Capture();
  const inner = new MultiReporter(reporters(json));
  const comparing = previous ? new ComparingReporter(inner, indexReport(previous, 'prev.json'), 'new') : undefined;
  const summary = await runCheck({ nodes, findings: [], arches: [...arches], info }, { resolver: new FakeResolver(), checker }, { concurrency: 8, require: ['openpgp', 'sigstore'] }, comparing ?? inner);
  return { report: JSON.parse(json.text) as JsonReport, summary: comparing?.summary ?? summary };
}

const [a, b, c] = ['4.15.2/amd64', '4.15.3/amd64', '4.15.5/multi'];

describe('a run with a previous report', () => {
  it('gives the JSON report a changes object and the exit code of --fail-on new', async () => {
    const { report: first } = await run({ [a]: 'missing', [b]: 'missing' });
    expect(first.changes).toBeUndefined();
    const { report, summary } = await run({ [b]: 'missing', [c]: 'invalid' }, undefined, first);
    expect(report.changes!.newlyFailing.map((n) => `${n.version}/${n.arch}`)).toEqual([c]);
    expect(report.changes!.newlyPassing.map((n) => `${n.version}/${n.arch}`)).toEqual([a]);
    expect(report.changes!.knownFailures).toBe(1);
    expect(report.status).toBe('failed');
    expect(report.exitCode).toBe(1);
    expect(summary.exitCode).toBe(1);
    // Only the known failure left: the run passes with --fail-on new, and says why.
    const text = new Capture();
    const again = await run({ [b]: 'missing' }, (j) => [new JsonReporter(j as never), new TextReporter(text as never, { tty: false, color: false, quiet: true })], first);
    expect(again.report.status).toBe('failed');
    expect(again.report.exitCode).toBe(0);
    expect(again.summary.exitCode).toBe(0);
    expect(text.text).toMatch(/PASSED: no new failure since the previous report; 1 failure\(s\) known from the previous report do not fail this run \(--fail-on new\) \(exit code 0/);
    expect(text.text).toMatch(/newly passing \(1\):\n {4}4\.15\.2 amd64 sha256:\w+ \(was failed\)\n/);
  });

  it('leads the job summary with the changes, escaped', async () => {
    const { report: first } = await run({});
    const github = new GithubReporter({ summary: false, outputs: false });
    // its annotations go to stdout as workflow commands; keep them out of the test log
    const annotations = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const { summary } = await run({ [c]: 'invalid' }, (j) => [new JsonReporter(j as never), github], first).finally(() => annotations.mockRestore());
    const html = github.summaryMarkdown(summary);
    const changesAt = html.indexOf('What changed since the previous run');
    expect(changesAt).toBeGreaterThan(-1);
    expect(changesAt).toBeLessThan(html.indexOf('Nodes that need attention'));
    expect(html).toContain('<h4>newly failing (1)</h4>');
    expect(html).toContain('<b>1 new failure(s)</b> fail this run');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });
});

describe('merge-reports --previous', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sigcheck-merge-prev-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('compares after merging the shards, and fails only on what is new with --fail-on new', async () => {
    const { report: previous } = await run({ [a]: 'missing' });
    await writeFile(join(dir, 'prev.json'), JSON.stringify(previous));
    const shards: string[] = [];
    for (const k of [1, 2]) {
      const { report } = await run({ [a]: 'missing', [c]: 'invalid' }, undefined, undefined, selectShard(selected.nodes, { index: k, count: 2 }));
      shards.push(join(dir, `shard-${k}.json`));
      await writeFile(shards.at(-1)!, JSON.stringify(report));
    }
    const io = { stdout: new Capture(), stderr: new Capture(), env: {} };
    const code = await main(['merge-reports', ...shards, '--previous', join(dir, 'prev.json'), '--fail-on', 'new', '--output', join(dir, 'merged.json'), '--output', join(dir, 'merged.txt')], io as never);
    const merged = JSON.parse(await readFile(join(dir, 'merged.json'), 'utf8')) as JsonReport;
    expect(merged.changes!.newlyFailing.map((n) => `${n.version}/${n.arch}`)).toEqual([c]);
    expect(merged.changes).toMatchObject({ knownFailures: 1, compared: previous.nodes.length, added: 0 });
    expect(code).toBe(1);
    expect(await readFile(join(dir, 'merged.txt'), 'utf8')).toMatch(/newly failing \(1\):\n {4}4\.15\.5 multi /);

    // The same shards compared with a report that already had both failures: nothing new, exit 0.
    const { report: both } = await run({ [a]: 'missing', [c]: 'invalid' });
    await writeFile(join(dir, 'both.json'), JSON.stringify(both));
    const io2 = { stdout: new Capture(), stderr: new Capture(), env: {} };
    expect(await main(['merge-reports', ...shards, '--previous', join(dir, 'both.json'), '--fail-on', 'new', '--format', 'text'], io2 as never)).toBe(0);
    expect(io2.stdout.text).toContain('nothing changed');

    // Shards that compared on their own join their changes as they join their nodes.
    const compared: string[] = [];
    for (const k of [1, 2]) {
      const { report } = await run({ [a]: 'missing', [c]: 'invalid' }, undefined, previous, selectShard(selected.nodes, { index: k, count: 2 }));
      compared.push(join(dir, `compared-${k}.json`));
      await writeFile(compared.at(-1)!, JSON.stringify(report));
    }
    const io3 = { stdout: new Capture(), stderr: new Capture(), env: {} };
    await main(['merge-reports', ...compared], io3 as never);
    const joined = JSON.parse(io3.stdout.text) as JsonReport;
    expect(joined.changes!.newlyFailing).toEqual(merged.changes!.newlyFailing);
    expect(joined.changes!.knownFailures).toBe(1);
  });

  it('runs the merge step of examples/audit-workflow.yaml as written', async () => {
    const workflow = parse(await readFile(new URL('../../examples/audit-workflow.yaml', import.meta.url), 'utf8')) as { env: Record<string, string>; jobs: { merge: { steps: { run?: string }[] } } };
    const script = workflow.jobs.merge.steps.find((s) => s.run?.includes('merge-reports'))!.run!;
    // `npx --yes release-sigcheck@V merge-reports shards/shard-*.json --previous "$BASELINE" ...` with the glob and variable as the shell expands them
    const argv = script.replace(/\\\n/g, ' ').trim().split(/\s+/).slice(3);
    const work = await mkdtemp(join(dir, 'workflow-'));
    const shardFiles: string[] = [];
    for (const k of [1, 2, 3, 4]) {
      const { report } = await run({ [c]: 'invalid' }, undefined, undefined, selectShard(selected.nodes, { index: k, count: 4 }));
      shardFiles.push(join(work, 'shards', `shard-${k}.json`));
      await mkdir(join(work, 'shards'), { recursive: true });
      await writeFile(shardFiles.at(-1)!, JSON.stringify(report));
    }
    const baseline = join(work, workflow.env.BASELINE!);
    const expanded = argv.flatMap((a) => (a === 'shards/shard-*.json' ? shardFiles : a === '"$BASELINE"' ? [baseline] : a.endsWith('.json') || a.endsWith('.html') ? [join(work, a)] : [a]));
    expect(expanded.slice(0, 1)).toEqual(['merge-reports']);
    const github = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      // The first run: no baseline yet, so the failure is new.
      code = await main(expanded, { stdout: new Capture(), stderr: new Capture(), env: {} } as never);
    } finally {
      github.mockRestore();
    }
    expect(code).toBe(1);
    const merged = JSON.parse(await readFile(join(work, 'merged.json'), 'utf8')) as JsonReport;
    expect(merged.changes).toMatchObject({ previous: { found: false }, failOn: 'new' });
    expect(await readFile(join(work, 'report.html'), 'utf8')).toContain('<script type="application/json" id="report-data">');
    // The next run compares with that report as its baseline: nothing new, so it passes.
    await mkdir(dirname(baseline), { recursive: true });
    await writeFile(baseline, JSON.stringify(merged));
    const again = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      code = await main(expanded, { stdout: new Capture(), stderr: new Capture(), env: {} } as never);
    } finally {
      again.mockRestore();
    }
    expect(code).toBe(0);
  });

  it('refuses a previous report that is not one, naming the file', async () => {
    await writeFile(join(dir, 'junk.json'), JSON.stringify({ schemaVersion: 1, nodes: 'all of them' }));
    const { report } = await run({});
    await writeFile(join(dir, 'one.json'), JSON.stringify(report));
    const io = { stdout: new Capture(), stderr: new Capture(), env: {} };
    expect(await main(['merge-reports', join(dir, 'one.json'), '--previous', join(dir, 'junk.json')], io as never)).toBe(2);
    expect(io.stderr.text).toContain(`${join(dir, 'junk.json')} is not a release-sigcheck JSON report: it has no "nodes" array`);
    const io2 = { stdout: new Capture(), stderr: new Capture(), env: {} };
    expect(await main(['merge-reports', join(dir, 'one.json'), '--fail-on', 'new'], io2 as never)).toBe(2);
    expect(io2.stderr.text).toContain('--fail-on new needs --previous');
  });
});
