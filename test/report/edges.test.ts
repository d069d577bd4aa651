/**
 * Every reporter shows the update edges of a node: a node failed (or left undetermined) only by an
 * edge A -> B is never shown as failed without naming the source release A and the reason, and the
 * source release and reason (network- and graph-derived text) are neutralised like any other reason.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActionLogReporter } from '../../src/report/action-log.ts';
import { GithubReporter } from '../../src/report/github.ts';
import { HtmlReporter, type PageData } from '../../src/report/html.ts';
import { JunitReporter } from '../../src/report/junit.ts';
import { SarifReporter } from '../../src/report/sarif.ts';
import { SummaryBuilder } from '../../src/report/summary.ts';
import { nodeTitle } from '../../src/report/format.ts';
import { runFigures, TextReporter } from '../../src/report/text.ts';
import { RunTally, type EdgeResult, type NodeResult, type RunSummary } from '../../src/model/results.ts';
import type { CincinnatiStats, EdgeCheckStats } from '../../src/model/edges.ts';
import type { Reporter, RunInfo } from '../../src/model/reporter.ts';
import { haveChromium, launchChromium } from '../helpers/browser.ts';
import { Capture, fakeDigest, PAYLOAD_OK } from '../helpers/fakes.ts';
import { commandLines, OWN_COMMAND } from '../helpers/hostile.ts';

const info: RunInfo = { mode: 'audit', pathPrefix: 'gd/', releaseRepo: 'quay.io/openshift-release-dev/ocp-release', require: ['openpgp', 'sigstore'], arches: ['amd64'], total: 4 };

const REASON = "UNTRUSTED_KEY: 4.71.0's OpenPGP signature is made with key 0123456789ABCDEF, which 4.70.0 does not trust (its keyring: 199E2F91FD431D51, 5A7BF0D4)";
const ERROR_REASON = "the payload of 4.69.0 could not be read: quay.io answered 503 (gave up after 6 attempts)";
const HOSTILE_FROM = '4.70.0\n::error::x';
const HOSTILE_REASON = 'bad \u001b[2J\u001b[31mred\n::error::x ##[error]legacy';

// Raw characters that must never reach an output: every control except the line feeds the formats use.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function edge(from: string | null, outcome: EdgeResult['outcome'], reason = outcome === 'verified' ? `verified under the keys of ${from}` : REASON): EdgeResult {
  return { from, outcome, reason, digest: fakeDigest(`src-${from}`), via: ['stable-4.71'] };
}

/** A node whose own checks all pass: only its edges can fail it. */
function node(version: string, edges: EdgeResult[] | undefined, line = 7): NodeResult {
  return {
    version,
    arch: 'amd64',
    digest: fakeDigest(version),
    tag: `${version}-x86_64`,
    places: [{ file: 'channels/stable-4.71.yaml', line, channel: 'stable-4.71' }],
    openpgp: { outcome: 'verified', reason: 'ok', signer: 'Red Hat, Inc. (release key 3)' },
    sigstore: { outcome: 'verified', reason: 'ok' },
    ...PAYLOAD_OK,
    ...(edges ? { edges } : {}),
  };
}

const passing = node('4.71.1', [edge('4.70.0', 'verified'), edge('4.70.1', 'verified'), edge('4.70.2', 'verified')], 8);
const failedByEdge = node('4.71.0', [edge('4.70.0', 'invalid'), edge('4.70.1', 'verified'), edge('4.70.2', 'verified')], 7);
const erroredByEdge = node('4.71.2', [edge('4.69.0', 'error', ERROR_REASON), edge('4.70.0', 'verified')], 9);
const noEdges = node('4.71.3', undefined, 10);
const hostile = node('4.71.4', [edge(HOSTILE_FROM, 'invalid', HOSTILE_REASON), edge(HOSTILE_FROM, 'error', HOSTILE_REASON)], 11);

const cincinnati: CincinnatiStats = {
  url: 'https://api.openshift.com/api/upgrades_info/v1/graph',
  graphs: [
    { channel: 'stable-4.71', arch: 'amd64', outcome: 'read', nodes: 6, edges: 5, conditionalEdges: 1 },
    { channel: 'fast-4.71', arch: 'amd64', outcome: 'read', nodes: 5, edges: 3, conditionalEdges: 0 },
  ],
  nodes: 11,
  edges: 8,
  conditionalEdges: 1,
  compared: 10,
  drift: 1,
  notServed: 1,
  notPromoted: 1,
  tagMissing: 0,
};
const edgeCheck: EdgeCheckStats = { nodes: 9, edges: 8, sources: 5, payloadsRead: 1, trustSets: 3, evaluations: 4, signatureFetches: 1 };

async function feed(reporter: Reporter, nodes: NodeResult[], extra: Partial<RunSummary> = {}): Promise<RunSummary> {
  const tally = new RunTally();
  await reporter.begin?.(info);
  for (const n of nodes) {
    tally.addNode(n);
    await reporter.node(n);
  }
  const summary: RunSummary = { status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, durationMs: 3, ...extra };
  await reporter.end(summary);
  return summary;
}

describe('text reporter', () => {
  it('shows an "Update edges" line under the checks, and each failing edge with its source release and reason', async () => {
    const out = new Capture();
    await feed(new TextReporter(out as never, { tty: false, color: false }), [passing, failedByEdge, erroredByEdge, noEdges]);
    const blocks = out.text.split('\n');
    expect(blocks).toContain('     Update edges verified: 3 of 3');
    const fail = out.text.slice(out.text.indexOf('FAIL 4.71.0'));
    expect(fail).toMatch(/^FAIL 4\.71\.0 amd64 /);
    expect(fail).toContain('     Update edges invalid: 1 of 3 update edges invalid\n');
    expect(fail).toContain(`       - from 4.70.0: invalid: ${REASON}\n`);
    expect(fail).toContain('     at gd/channels/stable-4.71.yaml:7 (stable-4.71)');
    // verified edges get no line of their own
    expect(fail.slice(0, fail.indexOf('ERR '))).not.toContain('from 4.70.1');
    const err = out.text.slice(out.text.indexOf('ERR  4.71.2'));
    expect(err).toContain('     Update edges error: 1 of 2 update edges error\n');
    expect(err).toContain(`       - from 4.69.0: error: ${ERROR_REASON}\n`);
    // a node the edge check did not judge has no edge line
    const none = out.text.slice(out.text.indexOf('ok   4.71.3'), out.text.indexOf('\n\n'));
    expect(none).not.toContain('Update edges');
  });

  it('prints the Cincinnati and edge-check figures with the run figures', async () => {
    const out = new Capture();
    await feed(new TextReporter(out as never, { tty: false, color: false }), [failedByEdge], { cincinnati, edgeCheck });
    expect(out.text).toContain('\nCincinnati: 2 graphs, 11 nodes, 8 edges (+1 conditional) read; 10 compared, 1 drift, 1 not served, 1 not promoted\n');
    expect(out.text).toContain('\nUpdate edges: 8 into 9 nodes from 5 source releases, 3 trust sets, 1 payload read, 1 signature fetch: 2 verified, 0 missing, 1 invalid, 0 error, 0 skipped\n');
  });

  it('prints no such figures when neither check ran, and survives odd figures from a merged report', () => {
    const counts = new RunTally().counts;
    expect(runFigures({ counts })).toEqual([]);
    const odd = { ...cincinnati, graphs: [{ ...cincinnati.graphs[0]!, outcome: 'error' as const, reason: 'x' }], drift: '\n::error::x' as unknown as number, tagMissing: 2 };
    expect(runFigures({ counts, cincinnati: odd })).toEqual(['Cincinnati: 1 graph (1 could not be read), 11 nodes, 8 edges (+1 conditional) read; 10 compared, 0 drift, 1 not served, 1 not promoted, 2 tag missing']);
  });

  it('neutralises hostile text in the source release and the reason', async () => {
    const out = new Capture();
    await feed(new TextReporter(out as never, { tty: false, color: false }), [hostile]);
    expect(out.text).not.toMatch(RAW_CONTROL);
    expect(commandLines(out.text)).toEqual([]);
    expect(out.text).toContain('- from 4.70.0\\n::error::x: invalid: bad \\e[2J\\e[31mred\\n::error::x #\\u0023[error]legacy');
    expect(out.text).toContain('- from 4.70.0\\n::error::x: error: bad ');
  });
});

describe('GitHub annotations', () => {
  let stdout: string[];
  beforeEach(() => {
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());
  const commands = () => stdout.join('').split('\n').filter((l) => l.startsWith('::'));

  it('annotate a node failed only by an edge with the source release and reason, and an errored edge as a warning', async () => {
    await feed(new GithubReporter({ summary: false, outputs: false }), [passing, failedByEdge, erroredByEdge, noEdges]);
    const errors = commands().filter((l) => l.startsWith('::error'));
    const warnings = commands().filter((l) => l.startsWith('::warning'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('title=4.71.0 amd64%3A Update edges invalid,file=gd/channels/stable-4.71.yaml,line=7::');
    expect(errors[0]).toContain(`%0A- amd64 (${fakeDigest('4.71.0').slice(0, 19)}): Update edge from 4.70.0 invalid: ${REASON}`);
    expect(errors[0]).not.toContain('4.70.1');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('title=4.71.2 amd64%3A Update edges error,file=gd/channels/stable-4.71.yaml,line=9::');
    expect(warnings[0]).toContain(`%0A- amd64: Update edge from 4.69.0: ${ERROR_REASON}`);
  });

  it('keep an annotation within its line cap however many edges fail, and say how many more', async () => {
    const many = node('4.71.0', Array.from({ length: 30 }, (_, i) => edge(`4.70.${i}`, 'invalid')));
    await feed(new GithubReporter({ summary: false, outputs: false }), [many]);
    const [error] = commands().filter((l) => l.startsWith('::error'));
    const lines = error!.slice(error!.indexOf('::', 2) + 2).split('%0A');
    expect(lines[0]).toBe('4.71.0 is not signed the way clusters require:');
    expect(lines.length - 1).toBe(12);
    expect(lines[1]).toContain('Update edge from 4.70.0 invalid: UNTRUSTED_KEY');
    expect(lines[12]).toBe('- amd64: … and 19 more failing update edge(s) (job summary, JSON report)');
  });

  it('neutralise hostile text in the source release and the reason', async () => {
    await feed(new GithubReporter({ summary: false, outputs: false }), [hostile, node('4.71.5', [edge(HOSTILE_FROM, 'error', HOSTILE_REASON)])]);
    const text = stdout.join('');
    for (const l of commandLines(text)) expect(l).toMatch(OWN_COMMAND);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain('Update edge from 4.70.0\\n::error::x invalid: bad \\e[2J\\e[31mred\\n::error::x #\\u0023[error]legacy');
    expect(text).toContain('- amd64: Update edge from 4.70.0\\n::error::x: bad \\e[2J');
  });
});

describe('the job summary', () => {
  it('lists the failing edges in the details of the node, HTML-escaped', () => {
    const b = new SummaryBuilder({ pathPrefix: 'gd/' });
    const tally = new RunTally();
    for (const n of [passing, failedByEdge, hostile]) {
      tally.addNode(n);
      b.addNode(n);
    }
    const md = b.render({ status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, durationMs: 1 }, info);
    // the brief reason names the source release in the table
    expect(md).toContain('Clusters on 4.70.0 cannot update to it (signed by a key clusters do not trust).');
    const details = md.slice(md.indexOf('<details>'));
    expect(details).toContain(`<li>❌ <b>Update edges invalid</b>: 1 of 3 update edges invalid<ul><li>from 4.70.0: invalid: ${REASON.replace(/'/g, '&#39;')}</li></ul></li>`);
    expect(details).toContain('<li>from 4.70.0\\n::error::x: invalid: bad \\e[2J\\e[31mred\\n::error::x <span>#</span>\\u0023[error]legacy</li>');
    expect(md).not.toMatch(RAW_CONTROL);
    // a passing node is only counted
    expect(md).not.toContain('4.71.1');
  });
});

describe('Action log', () => {
  it('FAIL lines name the failing edges; hostile text stays on the line, escaped', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const r = new ActionLogReporter({ write: (l) => lines.push(l) });
    r.begin(info);
    for (const n of [passing, failedByEdge, hostile]) r.node(n);
    r.end({ status: 'failed', exitCode: 1, counts: new RunTally().counts, durationMs: 1 });
    vi.restoreAllMocks();
    const fails = lines.filter((l) => l.startsWith('FAIL'));
    expect(fails).toHaveLength(2);
    expect(fails[0]).toBe(`FAIL 4.71.0 amd64: Update edges invalid at gd/channels/stable-4.71.yaml:7 (Update edge from 4.70.0 invalid: ${REASON})`);
    expect(fails[1]).toContain('(Update edge from 4.70.0\\n::error::x invalid: bad \\e[2J\\e[31mred\\n::error::x #\\u0023[error]legacy)');
    const out = lines.join('\n');
    expect(out).not.toMatch(RAW_CONTROL);
    expect(commandLines(out)).toEqual([]);
  });
});

describe('JUnit', () => {
  it('has an edges suite: a failure or an error per node by its worst edge, skipped where no edge check ran', async () => {
    const out = new Capture();
    await feed(new JunitReporter(out as never), [passing, failedByEdge, erroredByEdge, noEdges, hostile]);
    const xml = out.text;
    expect(xml).toMatch(/<testsuites name="release-sigcheck" tests="25" failures="2" errors="1"/);
    expect(xml).toContain('<testsuite name="edges" tests="5" failures="2" errors="1" skipped="1"');
    const suite = xml.slice(xml.indexOf('<testsuite name="edges"'), xml.indexOf('<testsuite name="graph-data"'));
    expect(suite).toContain(`<testcase classname="release-sigcheck.edges" name="4.71.0 amd64" file="gd/channels/stable-4.71.yaml" line="7">\n      <failure type="invalid" message="Update edges invalid: from 4.70.0: invalid: ${REASON}">`);
    expect(suite).toContain(`<error type="error" message="Update edges error: from 4.69.0: error: ${ERROR_REASON}">`);
    expect(suite).toContain('name="4.71.3 amd64" file="gd/channels/stable-4.71.yaml" line="10">\n      <skipped message="no update-edge check ran for this release"/>');
    expect(suite).toContain('message="Update edges invalid: from 4.70.0\\n::error::x: invalid: bad \\e[2J\\e[31mred\\n::error::x #\\u0023[error]legacy (and 1 more)"');
    expect(xml).not.toMatch(RAW_CONTROL);
  });

  it('writes no edges suite when the edge check did not run', async () => {
    const out = new Capture();
    await feed(new JunitReporter(out as never), [noEdges]);
    expect(out.text).not.toContain('name="edges"');
    expect(out.text).toMatch(/<testsuites name="release-sigcheck" tests="4" /);
  });
});

describe('SARIF', () => {
  interface Sarif {
    runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; level: string; message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; properties?: Record<string, unknown> }[] }[];
  }

  it('gives one result per failing or undetermined edge, on the promoting line, with rules for them', async () => {
    const out = new Capture();
    await feed(new SarifReporter(out as never), [passing, failedByEdge, erroredByEdge, noEdges]);
    const doc = JSON.parse(out.text) as Sarif;
    const run = doc.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['edge-missing', 'edge-invalid', 'edge-error']));
    expect(run.results.map((r) => r.ruleId)).toEqual(['edge-invalid', 'edge-error']);
    const [invalid, error] = run.results;
    expect(invalid!.level).toBe('error');
    expect(invalid!.message.text).toContain(`4.71.0 amd64 (${fakeDigest('4.71.0')}): the update edge from 4.70.0 invalid: ${REASON}. Consequence: clusters on the failing source releases cannot take this update`);
    expect(invalid!.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'gd/channels/stable-4.71.yaml' }, region: { startLine: 7 } } }]);
    expect(invalid!.properties).toMatchObject({ version: '4.71.0', from: '4.70.0', fromDigest: fakeDigest('src-4.70.0'), via: ['stable-4.71'] });
    expect(error!.level).toBe('warning');
    expect(error!.message.text).toBe(`4.71.2 amd64: the update edge from 4.69.0 could not be judged: ${ERROR_REASON}`);
  });

  it('caps the results of one node, and shows hostile text escaped', async () => {
    const many = node('4.71.0', Array.from({ length: 25 }, (_, i) => edge(`4.70.${i}`, 'missing')));
    const out = new Capture();
    await feed(new SarifReporter(out as never), [many, hostile]);
    expect(out.text).not.toMatch(RAW_CONTROL);
    const results = (JSON.parse(out.text) as Sarif).runs[0]!.results;
    expect(results.filter((r) => r.properties?.version === '4.71.0')).toHaveLength(21);
    expect(results.find((r) => r.message.text.includes('5 more update edges'))!.message.text).toContain('(from 4.70.20, 4.70.21, 4.70.22, 4.70.23, 4.70.24)');
    const h = results.filter((r) => r.properties?.version === '4.71.4');
    expect(h.map((r) => r.ruleId)).toEqual(['edge-invalid', 'edge-error']);
    expect(h[0]!.message.text).toContain('the update edge from 4.70.0\\n::error::x invalid: bad \\e[2J\\e[31mred\\n::error::x #\\u0023[error]legacy');
  });
});

describe('HTML report', () => {
  it('carries the edges of a node that has them, and none for one that has not', async () => {
    const out = new Capture();
    const reporter = new HtmlReporter(out as never);
    const summary = await feed(reporter, [failedByEdge, noEdges]);
    const data: PageData = reporter.pageData(summary);
    const s = (i: number) => (i >= 0 ? data.strings[i] : null);
    const [withEdges, without] = data.nodes;
    expect(s(withEdges![0])).toBe('4.71.0');
    expect(withEdges![8]!.map((e) => [s(e[0]), e[1], s(e[2]), s(e[3])])).toEqual(failedByEdge.edges!.map((e) => [e.from, ['verified', 'missing', 'invalid', 'error', 'skipped'].indexOf(e.outcome), e.reason, e.digest]));
    expect(without).toHaveLength(8);
  });
});

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe.skipIf(!haveChromium())('HTML report in Chromium', () => {
  it('shows the edges in the details of a node, failing ones first with their reason, as text', async () => {
    const out = new Capture();
    await feed(new HtmlReporter(out as never), [failedByEdge, passing, noEdges, hostile]);
    const dir = await mkdtemp(join(tmpdir(), 'sigcheck-edges-html-'));
    dirs.push(dir);
    await writeFile(join(dir, 'report.html'), out.text);
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      await page.goto(pathToFileURL(join(dir, 'report.html')).href);
      await page.waitForSelector('html[data-ready]');
      expect(await page.textContent('[data-count="edges.invalid"]')).toBe('2');
      expect(await page.textContent('[data-count="edges.verified"]')).toBe('5');

      await page.click('#grid .v[data-version="4.71.0"] .c[data-arch="amd64"]');
      await page.waitForSelector('#details:not([hidden])');
      expect(await page.textContent('#details [data-check="edges"]')).toBe('Update edges: invalid (3)');
      const items = await page.$$eval('#details [data-field="edges"] > li', (lis) => lis.map((l) => ({ outcome: l.getAttribute('data-edge-outcome'), reason: l.querySelector('.reason')?.textContent ?? null })));
      expect(items.map((i) => i.outcome)).toEqual(['invalid', 'verified', 'verified']);
      expect(items[0]!.reason).toBe(REASON);
      expect(await page.textContent('#details [data-field="edges"] > li')).toContain(`from 4.70.0: invalid (${fakeDigest('src-4.70.0')})`);

      await page.click('#details .close');
      await page.click('#grid .v[data-version="4.71.3"] .c[data-arch="amd64"]');
      expect(await page.$('#details [data-check="edges"]')).toBeNull();

      await page.click('#details .close');
      await page.click('#grid .v[data-version="4.71.4"] .c[data-arch="amd64"]');
      expect(await page.textContent('#details [data-field="edges"] > li .reason')).toBe(HOSTILE_REASON);
      // the hostile text stayed text: no element but the list's own
      expect(await page.$$eval('#details [data-field="edges"] *:not(li):not(div)', (els) => els.length)).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('the title of a node failed with every signature verified', () => {
  it('names the failing release metadata or update edges, never "passed"', () => {
    const metadataOnly: NodeResult = { ...node('4.71.5', undefined), metadata: { outcome: 'invalid', reason: 'the payload names 4.71.4' } };
    expect(nodeTitle(metadataOnly)).toBe('4.71.5 amd64: Release metadata invalid');
    expect(nodeTitle(failedByEdge)).toBe('4.71.0 amd64: Update edges invalid');
    expect(nodeTitle(passing)).toBe('4.71.1 amd64: passed');
  });
});
