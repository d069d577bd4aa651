/**
 * The picture of the HTML report in the README: runs the built-in demo through the bundle
 * (`npm run bundle` first) with `--output report.html`, opens the page in Debian's Chromium, opens
 * the details of one failing node, and saves a screenshot to docs/report.png.
 *
 *   npm run bundle && npm run preview-report            (-- --out FILE to write elsewhere)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM, haveChromium, launchChromium } from '../test/helpers/browser.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'docs', 'report.png') } } });
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run bundle` first');
if (!haveChromium()) throw new Error(`${CHROMIUM} is missing: install Debian's chromium`);

const dir = await mkdtemp(join(tmpdir(), 'sigcheck-preview-'));
try {
  const page = join(dir, 'report.html');
  const run = spawnSync(process.execPath, [cli, 'demo', '--output', page], { cwd: dir, encoding: 'utf8' });
  // The demo exits 1: it finds the broken releases it was built with.
  if (run.status !== 1 || !existsSync(page)) throw new Error(`the demo did not write its page (exit ${run.status}):\n${run.stderr}`);
  const browser = await launchChromium({ width: 1600, height: 780 });
  try {
    const tab = await browser.context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector('html[data-ready]');
    // A manifest list with one unsigned instance: the details show what clusters would do with it.
    await tab.click('#grid .row[data-channel="candidate-4.99"] .v[data-version="4.99.4"] .c[data-arch="multi"]');
    await tab.waitForSelector('#details:not([hidden])');
    if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    await mkdir(dirname(values.out), { recursive: true });
    await tab.screenshot({ path: values.out });
    console.log(`wrote ${values.out}`);
  } finally {
    await browser.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
