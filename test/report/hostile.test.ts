/**
 * Every reporter against the text a fork PR controls: no output may carry a raw control character,
 * a line that the runner reads as a workflow command, or an unbounded string.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GithubReporter } from '../../src/report/github.ts';
import { JsonReporter, type JsonReport } from '../../src/report/json.ts';
import { JunitReporter } from '../../src/report/junit.ts';
import { RunTally, type Finding, type NodeResult } from '../../src/model/results.ts';
import type { Reporter, RunInfo } from '../../src/model/reporter.ts';
import { SarifReporter } from '../../src/report/sarif.ts';
import { TextReporter } from '../../src/report/text.ts';
import { Capture } from '../helpers/fakes.ts';
import { commandLines, hostileNode, HOSTILE_STRINGS, HUGE, OWN_COMMAND } from '../helpers/hostile.ts';

const info: RunInfo = { mode: 'pr', pathPrefix: '', releaseRepo: 'quay.io/openshift-release-dev/ocp-release', require: ['openpgp', 'sigstore'], arches: ['amd64'], total: 12 };
const texts = [...Object.values(HOSTILE_STRINGS), HUGE];
const nodes: NodeResult[] = texts.map((t, i) => hostileNode(t, i));
const findings: Finding[] = texts.map((t, i) => ({ severity: 'error', code: 'NOT_SEMVER', message: `${t} is not SemVer`, file: `channels/${t}.yaml`, line: 2 + i }));

// Raw characters that must never reach an output: every control except the line feeds the formats use.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

async function feed(reporter: Reporter): Promise<void> {
  const tally = new RunTally();
  await reporter.begin?.(info);
  for (const f of findings) {
    tally.addFinding(f);
    await reporter.finding(f);
  }
  for (const n of nodes) {
    tally.addNode(n);
    await reporter.node(n);
  }
  await reporter.end({ status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, durationMs: 3 });
}

describe('reporters given PR-controlled names and values', () => {
  it('text: controls shown escaped, no line a workflow command, bounded', async () => {
    const out = new Capture();
    await feed(new TextReporter(out as never, { tty: false, color: false }));
    expect(out.text).not.toMatch(RAW_CONTROL);
    expect(commandLines(out.text)).toEqual([]);
    expect(out.text).toContain('4.99.3\\n::warning file=x::pwned');
    expect(out.text).toContain('4.99.3\\e[2J\\e[31mred');
    expect(out.text).toContain('4.99.3\\u2028::warning::ls-pwned');
    expect(out.text).toContain('4.99.3\\u202e4.99.4');
    expect(out.text).toContain(`…(truncated, ${HUGE.length} bytes)`);
    expect(out.text.length).toBeLessThan(100_000);
  });

  it('JUnit: controls shown escaped, bounded', async () => {
    const out = new Capture();
    await feed(new JunitReporter(out as never));
    expect(out.text).not.toMatch(RAW_CONTROL);
    expect(out.text).toContain('name="4.99.3\\n::warning file=x::pwned amd64"');
    expect(out.text.length).toBeLessThan(200_000);
  });

  it('SARIF: valid JSON whose texts show controls escaped; locations percent-encoded; bounded', async () => {
    const out = new Capture();
    await feed(new SarifReporter(out as never));
    expect(out.text).not.toMatch(RAW_CONTROL);
    const doc = JSON.parse(out.text) as { runs: { results: { message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const results = doc.runs[0]!.results;
    for (const r of results) {
      expect(r.message.text).not.toMatch(RAW_CONTROL);
      for (const l of r.locations ?? []) expect(l.physicalLocation.artifactLocation.uri).toMatch(/^[A-Za-z0-9\-._~%!$&'()*+,;=:@/]+$/);
    }
    expect(results.some((r) => r.locations?.[0]?.physicalLocation.artifactLocation.uri === 'channels/4.99.3%0A%3A%3Awarning%20file%3Dx%3A%3Apwned.yaml')).toBe(true);
    expect(out.text.length).toBeLessThan(300_000);
  });

  it('JSON: the exact strings survive a round trip, and the text shows no invisible character', async () => {
    const out = new Capture();
    await feed(new JsonReporter(out as never));
    expect(out.text).not.toMatch(RAW_CONTROL);
    const report = JSON.parse(out.text) as JsonReport;
    expect(report.nodes.map((n) => n.version)).toEqual(texts);
  });

  describe('GitHub', () => {
    let dir: string;
    const stdout: string[] = [];
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'sigcheck-hostile-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    afterEach(() => {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    });

    it('annotations: only the tool\'s own commands reach stdout, each bounded; the summary is escaped and under 1 MiB', async () => {
      await writeFile(join(dir, 'summary.md'), '');
      vi.stubEnv('GITHUB_STEP_SUMMARY', join(dir, 'summary.md'));
      vi.stubEnv('GITHUB_OUTPUT', '');
      vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
        stdout.push(String(c));
        return true;
      });
      const reporter = new GithubReporter({ links: { serverUrl: 'https://github.com', repository: 'openshift/cincinnati-graph-data', sha: 'a'.repeat(40) } });
      await feed(reporter);
      vi.restoreAllMocks();
      const text = stdout.join('');
      const commands = commandLines(text);
      expect(commands.length).toBe(reporter.emitted.errors + reporter.emitted.warnings + reporter.emitted.notices);
      for (const line of commands) expect(line).toMatch(OWN_COMMAND);
      expect(text).not.toMatch(/^\s*::stop-commands/m);
      expect(text).not.toMatch(RAW_CONTROL);
      for (const line of text.split('\n')) expect(line.length).toBeLessThan(20_000);
      expect(text).toContain('%0A::warning file=x::pwned'.replace('%0A', '\\n'));

      const summary = await readFile(join(dir, 'summary.md'), 'utf8');
      expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024);
      expect(summary).not.toMatch(RAW_CONTROL);
      expect(summary).toContain('<code>4.99.3\\n::warning file=x::pwned</code>');
      expect(summary).toContain('4.99.3 <span>@</span>octocat <span>#</span>1');
      expect(summary).not.toContain('<script');
      expect(summary).toContain(`…(truncated, ${HUGE.length} bytes)`);
      // links are percent-encoded paths at the commit
      expect(summary).toContain('href="https://github.com/openshift/cincinnati-graph-data/blob/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/channels/4.99.3%0A%3A%3Awarning%20file%3Dx%3A%3Apwned.yaml#L3"');
      expect(Buffer.byteLength(reporter.commentMarkdown({ status: 'failed', exitCode: 1, counts: new RunTally().counts, durationMs: 1 }))).toBeLessThan(65_536);
    });
  });
});
