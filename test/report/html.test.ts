/**
 * The HTML report as bytes: the data is embedded so that no report string can end the script element
 * or become markup, the page allows only its own style and script, and the page data round-trips.
 * (test/report/html-browser.test.ts drives the page itself in Chromium.)
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { embedJson, HtmlReporter, type PageData } from '../../src/report/html.ts';
import { PAGE_CSS, PAGE_SCRIPT } from '../../src/report/html-page.ts';
import { RunTally, type NodeResult } from '../../src/model/results.ts';
import { Capture, fakeDigest } from '../helpers/fakes.ts';
import { PAYLOAD_OK } from '../helpers/fakes.ts';

const hostile = '</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> & \u2028';

function node(version: string, arch: 'amd64' | 'arm64', reason = 'ok'): NodeResult {
  return {
    version,
    arch,
    digest: fakeDigest(`${version}/${arch}`),
    tag: `${version}-${arch}`,
    places: [{ file: 'channels/stable-4.18.yaml', line: 3, channel: 'stable-4.18' }],
    openpgp: { outcome: 'verified', reason: 'signed by Red Hat release key 2', signer: 'Red Hat' },
    sigstore: { outcome: reason === 'ok' ? 'verified' : 'missing', reason },
    ...PAYLOAD_OK,
  };
}

async function page(nodes: NodeResult[]): Promise<{ html: string; data: PageData }> {
  const out = new Capture();
  const reporter = new HtmlReporter(out as never);
  const tally = new RunTally();
  reporter.begin({ mode: 'audit', pathPrefix: '', releaseRepo: 'quay.io/x/y', require: ['openpgp', 'sigstore'], arches: ['amd64', 'arm64'], total: nodes.length });
  for (const n of nodes) {
    tally.addNode(n);
    reporter.node(n);
  }
  await reporter.end({ status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, durationMs: 5 });
  const m = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(out.text);
  return { html: out.text, data: JSON.parse(m![1]!) as PageData };
}

describe('the HTML report', () => {
  it('embeds the data with no character that could end the script element or start markup', async () => {
    expect(embedJson({ s: hostile })).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(embedJson({ s: hostile }))).toEqual({ s: hostile });
    const { html, data } = await page([node('4.18.1', 'amd64', hostile)]);
    expect(html.split('</script>')).toHaveLength(3); // the data element's end and the script's end, nothing else
    expect(html).not.toContain('<img');
    expect(data.strings).toContain(hostile);
  });

  it('allows only its own style and script, by hash, and no request', async () => {
    const { html } = await page([node('4.18.1', 'amd64')]);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const hash = (t: string) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
    expect(csp).toContain(`default-src 'none'`);
    expect(csp).toContain(`script-src ${hash(PAGE_SCRIPT)}`);
    expect(csp).toContain(`style-src ${hash(PAGE_CSS)}`);
    expect(html).toContain(`<script>${PAGE_SCRIPT}</script>`);
    expect(html).not.toMatch(/\b(src|href)=/);
    // The script is valid JavaScript (the browser test runs it).
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
  });

  it('keeps one copy of each repeated string and of each version\'s places, in graph order', async () => {
    const nodes = [node('4.18.10', 'arm64'), node('4.18.10', 'amd64'), node('4.18.2', 'amd64', 'no .sig tag'), node('4.18.2', 'arm64', 'no .sig tag')];
    const { data } = await page(nodes);
    const s = (i: number) => data.strings[i];
    expect(data.nodes.map((n) => `${s(n[0])}/${s(n[1])}`)).toEqual(['4.18.2/amd64', '4.18.2/arm64', '4.18.10/amd64', '4.18.10/arm64']);
    expect(data.strings.filter((x) => x === 'signed by Red Hat release key 2')).toHaveLength(1);
    expect(data.places).toHaveLength(1);
    expect(data.strings.filter((x) => x === 'channels/stable-4.18.yaml')).toHaveLength(1);
  });

  it('cuts a string longer than 2,000 characters, with a marker', async () => {
    const { data } = await page([node('4.18.1', 'amd64', 'x'.repeat(50_000))]);
    const long = data.strings.find((x) => x.startsWith('xxx'))!;
    expect(long.length).toBeLessThan(2100);
    expect(long).toMatch(/… \(cut: 50000 characters\)$/);
  });
});
