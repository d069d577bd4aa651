/**
 * The HTML report at the size of a full audit: a synthetic result for every (version, arch) node of
 * the graph-data fixture (6,859 with the five default architectures), with realistic reasons and a
 * mix of outcomes, fed through the HTML and JSON reporters. Prints the page's size, the memory the
 * HTML reporter keeps, and the time Chromium takes to draw it and to apply a filter.
 *
 *   npm run bench:report-page                 (add -- --keep DIR to keep report.html and report.json)
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { selectNodes } from '../src/check/select.ts';
import { ARCHES, toTagSuffix } from '../src/model/arch.ts';
import { toNodeTargets } from '../src/graph/nodes.ts';
import { compareVersionStrings } from '../src/model/version.ts';
import { indexReport } from '../src/report/changes.ts';
import { ComparingReporter } from '../src/report/compare.ts';
import { HtmlReporter } from '../src/report/html.ts';
import { JsonReporter, type JsonReport } from '../src/report/json.ts';
import { RunTally, type CheckResult, type NodeResult } from '../src/model/results.ts';
import { MultiReporter, type Reporter } from '../src/model/reporter.ts';
import { haveChromium, launchChromium, CHROMIUM } from '../test/helpers/browser.ts';
import { GRAPH_DATA } from '../test/helpers/paths.ts';
import { noComponents } from '../src/model/results.ts';

const { values } = parseArgs({ options: { keep: { type: 'string' }, loads: { type: 'string', default: '5' } } });
const REPO = 'quay.io/openshift-release-dev/ocp-release';
const STORE = 'https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release';

/** Resolves after the next frame is drawn (a string: the page's function, not this program's). */
const NEXT_FRAME = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';

const gc = (globalThis as { gc?: () => void }).gc;
function heapMiB(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** A result shaped like the real ones (see the demo's reasons), decided by a hash of the node and the round. */
function result(version: string, arch: (typeof ARCHES)[number], places: NodeResult['places'], round: number): NodeResult {
  const digest = `sha256:${hex(`${version}/${arch}${round === 2 && hex(`${version}/${arch}`).startsWith('ff') ? '/moved' : ''}`)}`;
  const tag = `${version}-${toTagSuffix(arch)}`;
  const roll = parseInt(hex(`${version}/${arch}/${round}`).slice(0, 4), 16) / 0x10000;
  const old = compareVersionStrings(version, '4.16.0') < 0;
  const openpgp: CheckResult =
    roll < 0.02
      ? { outcome: 'missing', reason: `no signature for ${digest} in ${STORE} (${STORE}/sha256=${digest.slice(7)}/signature-1 answered not found). The cluster-version operator will refuse this update; publish the release signature to the store before promoting this release`, source: `${STORE}/sha256=${digest.slice(7)}/signature-1` }
      : roll < 0.025
        ? { outcome: 'error', reason: `${STORE}/sha256=${digest.slice(7)}/signature-1: HTTP 503 after 5 retries`, source: STORE }
        : { outcome: 'verified', reason: `signed by Red Hat, Inc. (release key 2) <security@redhat.com> (199E2F91FD431D51), v4 signature`, signer: '567E347AD0044ADE55BA8A5F199E2F91FD431D51', identity: `${REPO}:${tag}`, source: `${STORE}/sha256=${digest.slice(7)}/signature-1` };
  const sigTag = `${REPO}:sha256-${digest.slice(7)}.sig`;
  const sigstore: CheckResult = old
    ? { outcome: 'skipped', reason: 'not required before 4.16.0 (--sigstore-from)' }
    : roll > 0.97
      ? { outcome: 'missing', reason: `no Sigstore signature: tag sha256-${digest.slice(7)}.sig does not exist in ${REPO}; sign the image with cosign (it writes ${sigTag}), or copy the tag to this repository` }
      : roll > 0.96
        ? { outcome: 'invalid', reason: `${sigTag}: the signature does not verify under the trusted key Red Hat release key 3 (RSA-4096, sha256:5a8f0e8c7b9d6e4f): it was made with another key, or the payload or signature was altered` }
        : {
            outcome: 'verified',
            reason: `${sigTag}: signature layer 1 (sha256:${hex(`${digest}/layer`)}): verified with Red Hat release key 3 (RSA-4096, sha256:5a8f0e8c7b9d6e4f); identity ${REPO}@${digest} is in repository ${REPO}`,
            signer: 'Red Hat release key 3 (RSA-4096, sha256:5a8f0e8c7b9d6e4f)',
            identity: `${REPO}@${digest}`,
          };
  return { version, arch, digest, tag, places, openpgp, sigstore, components: noComponents('skipped', 'not checked in this figure'), metadata: { outcome: 'skipped', reason: 'not read in this figure' } };
}

const selected = await selectNodes({ graphData: GRAPH_DATA });
const targets = toNodeTargets(selected.nodes, ARCHES);

async function feed(reporter: Reporter, round: number): Promise<void> {
  const tally = new RunTally();
  await reporter.begin?.({ mode: 'audit', graphData: 'cincinnati-graph-data', pathPrefix: '', releaseRepo: REPO, require: ['openpgp', 'sigstore'], arches: ARCHES, total: targets.length });
  for (const f of selected.findings) {
    tally.addFinding(f);
    await reporter.finding(f);
  }
  for (const t of targets) {
    const r = result(t.name, t.arch, t.places, round);
    tally.addNode(r);
    await reporter.node(r);
  }
  await reporter.end({ status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, durationMs: 600_000 });
}

const fileStream = (path: string) => createWriteStream(path);

const dir = values.keep ?? (await mkdtemp(join(tmpdir(), 'sigcheck-report-page-')));
await mkdir(dir, { recursive: true });
try {
  // What the HTML reporter keeps: the heap with its records after every node (before `end` writes the
  // page), less the heap before; the results themselves are made one at a time and dropped.
  const before = heapMiB();
  let kept = 0;
  const sink = new HtmlReporter(new Writable({ write: (_c, _e, cb) => cb() }));
  await feed({ begin: (i) => sink.begin(i), node: (r) => sink.node(r), finding: (f) => sink.finding(f), end: () => { kept = heapMiB() - before; } }, 2);

  // Round 1 is the previous audit; round 2 compares with it, as a periodic job does.
  const previousPath = join(dir, 'previous.json');
  await feed(new JsonReporter(fileStream(previousPath), { close: true }), 1);
  const { readReportFile } = await import('../src/report/previous.ts');
  const previous = indexReport((await readReportFile(previousPath)) as JsonReport, 'previous.json');

  const htmlPath = join(dir, 'report.html');
  const jsonPath = join(dir, 'report.json');
  await feed(new ComparingReporter(new MultiReporter([new HtmlReporter(fileStream(htmlPath), { close: true }), new JsonReporter(fileStream(jsonPath), { close: true })]), previous, 'new'), 2);
  const report = (await readReportFile(jsonPath)) as JsonReport;
  const htmlBytes = (await stat(htmlPath)).size;
  const jsonBytes = (await stat(jsonPath)).size;
  console.log(`nodes: ${report.counts.nodes} (${report.counts.passed} passed, ${report.counts.failed} failed, ${report.counts.errored} errors); changes: ${report.changes!.newlyFailing.length} newly failing, ${report.changes!.newlyPassing.length} newly passing, ${report.changes!.digestChanged.length} moved`);
  console.log(`page: ${(htmlBytes / 1024 / 1024).toFixed(2)} MiB (${htmlBytes} bytes); the JSON report: ${(jsonBytes / 1024 / 1024).toFixed(2)} MiB`);
  console.log(`HTML reporter keeps ${kept.toFixed(1)} MiB of heap for ${report.counts.nodes} nodes (${((kept * 1024 * 1024) / report.counts.nodes).toFixed(0)} bytes per node)${gc ? '' : ' (run with --expose-gc for a steady figure)'}`);

  if (!haveChromium()) {
    console.log(`render: skipped (${CHROMIUM} not found)`);
  } else {
    const browser = await launchChromium();
    try {
      const url = pathToFileURL(htmlPath).href;
      const loads: { wall: number; script: number; filter: number; cells: number }[] = [];
      for (let i = 0; i < Number(values.loads); i++) {
        const page = await browser.context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const t0 = Date.now();
        await page.goto(url);
        await page.waitForSelector('html[data-ready]');
        // Wall time to the first frame with the grid drawn.
        await page.evaluate(NEXT_FRAME);
        const wall = Date.now() - t0;
        const script = Number(await page.getAttribute('html', 'data-render-ms'));
        const f0 = Date.now();
        await page.selectOption('#filter-outcome', 'failed');
        await page.evaluate(NEXT_FRAME);
        const filter = Date.now() - f0;
        const cells = await page.$$eval('#grid .c', (c) => c.length);
        if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
        loads.push({ wall, script, filter, cells });
        await page.close();
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      console.log(`render in Chromium (${loads.length} loads, median): ${median(loads.map((l) => l.wall))} ms from navigation to the drawn grid, ${median(loads.map((l) => l.script))} ms in the page's script; ${loads[0]!.cells} cells`);
      console.log(`filter outcome=failed: ${median(loads.map((l) => l.filter))} ms to the next frame`);
    } finally {
      await browser.close();
    }
  }
  if (values.keep) console.log(`kept ${htmlPath} and ${jsonPath}`);
} finally {
  if (!values.keep) await rm(dir, { recursive: true, force: true });
}
