/**
 * The HTML report in a real headless Chromium: it loads with no console error and no request but its
 * own file, the counts it shows are the JSON report's, each filter hides what it should, a cell opens
 * its node's details, the changes lead, and hostile report text stays text.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexReport } from '../../src/report/changes.ts';
import { ComparingReporter } from '../../src/report/compare.ts';
import { HtmlReporter } from '../../src/report/html.ts';
import { JsonReporter, type JsonReport } from '../../src/report/json.ts';
import { isFailure, RunTally, type NodeResult, type Outcome, type UnpublishedNode } from '../../src/model/results.ts';
import { MultiReporter, type Reporter, type RunInfo } from '../../src/model/reporter.ts';
import { haveChromium, launchChromium, type Browser, CHROMIUM } from '../helpers/browser.ts';
import { Capture, fakeDigest } from '../helpers/fakes.ts';
import { PAYLOAD_OK } from '../helpers/fakes.ts';

const HOSTILE_CHANNEL = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_REASON = 'no signature </script><script>window.__pwned=2</script> <img src=x onerror="window.__pwned=3"> & "quotes"';

const info: RunInfo = { mode: 'audit', graphData: 'graph-data', pathPrefix: 'gd/', releaseRepo: 'quay.io/openshift-release-dev/ocp-release', require: ['openpgp', 'sigstore'], arches: ['amd64', 'arm64', 'multi'], total: 0 };

/** A slice of two minors with every outcome, a few unpublished pairs and one hostile channel. */
function world(round: 1 | 2): { nodes: NodeResult[]; unpublished: UnpublishedNode[] } {
  const nodes: NodeResult[] = [];
  const unpublished: UnpublishedNode[] = [];
  const OUT: Outcome[] = ['verified', 'verified', 'verified', 'missing', 'verified', 'invalid', 'verified', 'error', 'verified', 'skipped'];
  let k = 0;
  for (const minor of [15, 16]) {
    for (let patch = 0; patch < 10; patch++) {
      const version = `4.${minor}.${patch}`;
      const places = [
        { file: `channels/fast-4.${minor}.yaml`, line: 3 + patch, channel: `fast-4.${minor}` },
        ...(patch % 2 === 0 ? [{ file: `channels/stable-4.${minor}.yaml`, line: 3 + patch, channel: `stable-4.${minor}` }] : []),
        ...(minor === 16 && patch === 3 ? [{ file: 'channels/odd.yaml', line: 2, channel: HOSTILE_CHANNEL }] : []),
      ];
      for (const arch of info.arches) {
        if (arch === 'multi' && patch % 3 === 0) {
          unpublished.push({ version, arch, tag: `${version}-multi` });
          continue;
        }
        k++;
        let openpgp = OUT[k % OUT.length]!;
        let sigstore = OUT[(k * 7 + 3) % OUT.length]!;
        // round 2: 4.15.1 amd64 loses its signatures, 4.16.1 arm64 gets them
        const key = `${version}/${arch}`;
        if (round === 2 && key === '4.15.1/amd64') [openpgp, sigstore] = ['missing', 'verified'];
        if (round === 1 && key === '4.16.1/arm64') [openpgp, sigstore] = ['invalid', 'verified'];
        if (round === 2 && key === '4.16.1/arm64') [openpgp, sigstore] = ['verified', 'verified'];
        if (round === 1 && key === '4.15.1/amd64') [openpgp, sigstore] = ['verified', 'verified'];
        if (key === '4.16.3/amd64') openpgp = 'missing';
        const reason = (o: Outcome) => (o === 'missing' && minor === 16 && patch === 3 ? HOSTILE_REASON : `${o}: reason for ${key}`);
        nodes.push({
          version,
          arch,
          digest: round === 2 && key === '4.15.2/arm64' ? fakeDigest('moved') : fakeDigest(key),
          tag: `${version}-${arch}`,
          ...PAYLOAD_OK,
          places,
          openpgp: { outcome: openpgp, reason: reason(openpgp), ...(openpgp === 'verified' ? { signer: 'Red Hat, Inc. (release key 2)' } : {}) },
          sigstore: { outcome: sigstore, reason: reason(sigstore) },
        });
      }
    }
  }
  return { nodes, unpublished };
}

async function feed(reporter: Reporter, round: 1 | 2): Promise<void> {
  const { nodes, unpublished } = world(round);
  const tally = new RunTally();
  await reporter.begin?.({ ...info, total: nodes.length + unpublished.length });
  const finding = { severity: 'error' as const, code: 'VERSION_NOT_SEMVER', message: `bad entry ${HOSTILE_REASON}`, file: 'channels/fast-4.15.yaml', line: 2 };
  tally.addFinding(finding);
  await reporter.finding(finding);
  for (const n of nodes) {
    tally.addNode(n);
    await reporter.node(n);
  }
  for (const u of unpublished) {
    tally.addUnpublished();
    await reporter.unpublished?.(u);
  }
  await reporter.end({ status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, durationMs: 1200 });
}

if (!haveChromium()) console.log(`html-browser: ${CHROMIUM} not found, so the HTML report's browser tests are skipped (install Debian's chromium)`);

let dir: string;
let browser: Browser | undefined;
let report: JsonReport;
let pageUrl: string;

describe.skipIf(!haveChromium())('the HTML report in Chromium', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sigcheck-html-'));
    const first = new Capture();
    await feed(new JsonReporter(first as never), 1);
    const json = new Capture();
    const html = new Capture();
    const previous = indexReport(JSON.parse(first.text) as JsonReport, 'previous/report.json');
    await feed(new ComparingReporter(new MultiReporter([new JsonReporter(json as never), new HtmlReporter(html as never)]), previous, 'new'), 2);
    report = JSON.parse(json.text) as JsonReport;
    await writeFile(join(dir, 'report.html'), html.text);
    pageUrl = pathToFileURL(join(dir, 'report.html')).href;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const problems: string[] = [];
  const requests: string[] = [];
  async function open(): Promise<Page> {
    const page = await browser!.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pageUrl);
    await page.waitForSelector('html[data-ready]');
    return page;
  }
  const select = async (page: Page, name: string, value: string) => {
    await page.selectOption(`#filter-${name}`, value);
  };
  const visibleCells = (page: Page) =>
    page.$$eval('#grid .c', (cells) =>
      cells.filter((c) => !c.closest('[hidden]')).map((c) => ({ outcome: c.getAttribute('data-outcome'), channel: c.closest('.row')!.getAttribute('data-channel'), version: c.closest('.v')!.getAttribute('data-version')! })),
    );

  /** The cells the grid should show for the nodes that match: one per distinct channel of each node. */
  const cellsOf = (match: (n: JsonReport['nodes'][number]) => boolean, channel?: string) =>
    report.nodes.filter(match).reduce((n, node) => n + new Set(node.places.map((p) => p.channel).filter((c) => !channel || c === channel)).size, 0);
  /** An unpublished pair is drawn in the channels of its version's other architectures. */
  const unpublishedCells = () => report.unpublished.reduce((n, u) => n + new Set(report.nodes.find((x) => x.version === u.version)!.places.map((p) => p.channel)).size, 0);

  it('loads with no console error, no page error and no request but its own file', async () => {
    const page = await open();
    await page.close();
    expect(problems).toEqual([]);
    expect([...new Set(requests)]).toEqual([pageUrl]);
  });

  it('shows the JSON report\'s counts', async () => {
    const page = await open();
    const shown = Object.fromEntries(await page.$$eval('[data-count]', (els) => els.map((e) => [e.getAttribute('data-count'), Number(e.textContent)])));
    await page.close();
    const c = report.counts;
    expect(shown).toEqual({
      nodes: c.nodes,
      passed: c.passed,
      failed: c.failed,
      errored: c.errored,
      unpublished: c.unpublished,
      findings: c.findings,
      ...Object.fromEntries((['openpgp', 'sigstore'] as const).flatMap((check) => Object.entries(c[check]).map(([o, n]) => [`${check}.${o}`, n]))),
    });
    expect(c.failed).toBeGreaterThan(0);
    expect(c.errored).toBeGreaterThan(0);
  });

  it('filters: outcome=failed leaves exactly the failed cells, and check, channel and minor narrow it', async () => {
    const page = await open();
    const all = await visibleCells(page);
    expect(all).toHaveLength(cellsOf(() => true) + unpublishedCells());

    await select(page, 'outcome', 'failed');
    const failed = await visibleCells(page);
    expect(failed.length).toBe(cellsOf((n) => n.status === 'failed'));
    expect(failed.every((c) => c.outcome === 'failed')).toBe(true);
    expect(await page.getAttribute('#shown', 'data-visible')).toBe(String(failed.length));

    await select(page, 'check', 'sigstore');
    const sigstoreFailed = await visibleCells(page);
    expect(sigstoreFailed.length).toBe(cellsOf((n) => isFailure(n.sigstore.outcome)));
    expect(sigstoreFailed.length).toBeLessThan(failed.length);

    await select(page, 'channel', 'stable-4.16');
    const inChannel = await visibleCells(page);
    expect(inChannel.length).toBe(cellsOf((n) => isFailure(n.sigstore.outcome), 'stable-4.16'));
    expect(new Set(inChannel.map((c) => c.channel))).toEqual(new Set(['stable-4.16']));
    expect(await page.$$eval('#grid .row:not([hidden])', (rows) => rows.map((r) => r.getAttribute('data-channel')))).toEqual(['stable-4.16']);

    await select(page, 'channel', '');
    await select(page, 'check', 'all');
    await select(page, 'outcome', '');
    await select(page, 'minor', '4.15');
    const minor = await visibleCells(page);
    const versions = await page.$$eval('#grid .v:not([hidden])', (vs) => vs.map((v) => v.getAttribute('data-version')));
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.every((v) => v!.startsWith('4.15.'))).toBe(true);
    expect(minor.length).toBe(all.filter((c) => c.version.startsWith('4.15.')).length);

    await select(page, 'minor', '');
    await select(page, 'outcome', 'unpublished');
    const unpublished = await visibleCells(page);
    expect(unpublished.length).toBe(unpublishedCells());
    expect(unpublished.every((c) => c.outcome === 'unpublished')).toBe(true);
    await page.close();
  });

  it('a cell opens its node\'s details: digest, each check\'s outcome and reason, places', async () => {
    const page = await open();
    const node = report.nodes.find((n) => n.version === '4.15.4' && n.arch === 'arm64')!;
    await page.click(`#grid .row[data-channel="stable-4.15"] .v[data-version="4.15.4"] .c[data-arch="arm64"]`);
    await page.waitForSelector('#details:not([hidden])');
    expect(await page.textContent('#details h2')).toBe('4.15.4 arm64');
    expect(await page.textContent('#details [data-field="digest"]')).toBe(node.digest);
    expect(await page.textContent('#details [data-field="status"]')).toBe(node.status);
    expect(await page.textContent('#details [data-check="openpgp"]')).toBe(`OpenPGP: ${node.openpgp.outcome}`);
    expect(await page.textContent('#details [data-reason="sigstore"]')).toBe(node.sigstore.reason);
    expect(await page.$$eval('#details [data-field="places"] li', (lis) => lis.map((l) => l.textContent))).toEqual(node.places.map((p) => `gd/${p.file}:${p.line} (${p.channel})`));
    await page.keyboard.press('Escape');
    expect(await page.isHidden('#details')).toBe(true);
    await page.close();
  });

  it('leads with the changes, and an entry opens its node', async () => {
    const page = await open();
    const changes = report.changes!;
    expect(changes.newlyFailing.map((c) => `${c.version}/${c.arch}`)).toEqual(['4.15.1/amd64']);
    const firstSection = await page.$eval('body > section, body > form', (e) => e.id);
    expect(firstSection).toBe('changes');
    for (const kind of ['newlyFailing', 'newlyPassing', 'digestChanged', 'signaturesDisappeared'] as const) {
      expect(await page.$$eval(`#changes ul[data-change="${kind}"] li`, (lis) => lis.length)).toBe(changes[kind].length);
    }
    await page.click('#changes ul[data-change="newlyFailing"] button');
    expect(await page.textContent('#details h2')).toBe('4.15.1 amd64');
    expect(await page.textContent('#details dl')).toContain('newly failing');
    await page.close();
  });

  it('renders hostile report text as text', async () => {
    const page = await open();
    const row = page.locator('#grid .row').filter({ has: page.locator('.name', { hasText: HOSTILE_CHANNEL }) });
    expect(await row.count()).toBe(1);
    await row.locator('.c[data-arch="amd64"]').click();
    const reasons = await page.$$eval('#details .reason', (els) => els.map((e) => e.textContent));
    expect(reasons).toContain(HOSTILE_REASON);
    expect(await page.textContent('#findings')).toContain(HOSTILE_REASON);
    expect(await page.$$eval('img', (imgs) => imgs.length)).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('script', (s) => s.length)).toBe(2);
    await page.close();
    expect(problems).toEqual([]);
  });
});

