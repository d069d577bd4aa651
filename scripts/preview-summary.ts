/**
 * `npm run preview-summary`: renders the demo's job summary the way GitHub shows it, so anyone can see
 * what a reviewer sees without pushing a pull request. The demo runs (local registry and store, no
 * network), its summary Markdown is turned into HTML with marked (GitHub-flavoured, raw HTML kept, as
 * GitHub's renderer keeps the summary's tables and <details>), styled with github-markdown-css, and
 * photographed by headless Chromium at 780 px, the width of a PR comment column.
 *
 * Writes docs/summary-preview.png (details folded, as GitHub first shows them), and summary.md,
 * summary.html and summary-preview-details.png (unfolded) under .tmp/preview/. Chromium is Debian's
 * (`apt-get install chromium fonts-noto-color-emoji`), or $CHROMIUM; nothing is downloaded.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { marked } from 'marked';
import { chromium } from 'playwright-core';
import { executeCheck, prepareCheck } from '../src/wiring/execute.ts';
import { withDemoWorld } from '../src/demo/world.ts';
import type { RunSummary } from '../src/model/results.ts';
import { SummaryBuilder, SUMMARY_BUDGET_BYTES } from '../src/report/summary.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WIDTH = 780;

async function demoSummary(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'release-sigcheck-preview-'));
  try {
    return await withDemoWorld(dir, async (world) => {
      const prepared = await prepareCheck(world.flags);
      // The demo's graph-data stands for a graph-data repository: paths from its root, linked as the
      // Action links them (the repository and commit are examples).
      prepared.selected.pathPrefix = '';
      const builder = new SummaryBuilder({ links: { serverUrl: 'https://github.com', repository: 'openshift/cincinnati-graph-data', sha: '0123456789abcdef0123456789abcdef01234567' } });
      let summary: RunSummary | undefined;
      await executeCheck(prepared, {
        reporter: {
          node: (n) => builder.addNode(n),
          finding: (f) => builder.addFinding(f),
          unpublished: (u) => builder.addUnpublished(u),
          end: (s) => void (summary = s),
        },
      });
      return builder.render(summary!, { releaseRepo: 'quay.io/openshift-release-dev/ocp-release', reportPath: '$RUNNER_TEMP/release-sigcheck-report.json' }, SUMMARY_BUDGET_BYTES);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function findChromium(): string {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium found (tried ${candidates.join(', ')}): install Debian's chromium package, or set CHROMIUM to its path`);
  return found;
}

const markdown = await demoSummary();
const body = await marked.parse(markdown, { gfm: true });
const css = await readFile(join(ROOT, 'node_modules', 'github-markdown-css', 'github-markdown-light.css'), 'utf8');
const html = `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; width: ${WIDTH}px; padding: 16px 24px; font-size: 14px; }
</style></head><body><article class="markdown-body">${body}</article></body></html>`;
const out = join(ROOT, '.tmp', 'preview');
await mkdir(out, { recursive: true });
await writeFile(join(out, 'summary.md'), markdown);
await writeFile(join(out, 'summary.html'), html);

const browser = await chromium.launch({
  executablePath: findChromium(),
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: WIDTH, height: 400 }, deviceScaleFactor: 1 });
  // Nothing in the page may be fetched: the summary is self-contained.
  await page.route('**/*', (route) => route.abort());
  await page.setContent(html, { waitUntil: 'load' });
  await mkdir(join(ROOT, 'docs'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'docs', 'summary-preview.png'), fullPage: true });
  // Functions run in the page, written as strings: this project's types have no DOM.
  await page.evaluate("document.querySelectorAll('details').forEach((d) => d.setAttribute('open', ''))");
  // Unfolded, the details name the demo's temporary key files: kept out of docs/.
  await page.screenshot({ path: join(out, 'summary-preview-details.png'), fullPage: true });
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth');
  console.log(`demo summary: ${Buffer.byteLength(markdown)} bytes of Markdown; rendered ${overflow} px wide at a ${WIDTH} px viewport`);
  console.log('wrote docs/summary-preview.png and .tmp/preview/{summary.md,summary.html,summary-preview-details.png}');
} finally {
  await browser.close();
}
