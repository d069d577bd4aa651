import { describe, expect, it } from 'vitest';
import { RunTally, type NodeResult } from '../../src/model/results.ts';
import { COMMENT_BUDGET_BYTES, lineUrl, SummaryBuilder, SUMMARY_BUDGET_BYTES } from '../../src/report/summary.ts';
import { fakeDigest } from '../helpers/fakes.ts';
import { PAYLOAD_OK } from '../helpers/fakes.ts';

const links = { serverUrl: 'https://github.com', repository: 'openshift/cincinnati-graph-data', sha: 'c'.repeat(40) };

/** A failing node with reasons as long as real ones (URLs and digests). */
function failing(i: number, arch: NodeResult['arch'] = 'amd64'): NodeResult {
  const d = fakeDigest(`n${i}/${arch}`);
  return {
    version: `4.18.${i}`,
    arch,
    digest: d,
    tag: `4.18.${i}-x86_64`,
    places: [
      { file: 'channels/candidate-4.18.yaml', line: 10 + i, channel: 'candidate-4.18' },
      { file: 'channels/fast-4.18.yaml', line: 10 + i, channel: 'fast-4.18' },
    ],
    openpgp: { outcome: 'missing', reason: `no signature for ${d} in https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release (https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release/sha256=${d.slice(7)}/signature-1 answered not found). The cluster-version operator will refuse this update; publish the release signature to the store before promoting this release`, source: `https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release/sha256=${d.slice(7)}/signature-1` },
    sigstore: { outcome: 'verified', reason: 'ok', signer: 'Red Hat release key 3' },
    ...PAYLOAD_OK,
  };
}

function summaryOf(nodes: NodeResult[]) {
  const tally = new RunTally();
  const b = new SummaryBuilder({ links });
  for (const n of nodes) {
    tally.addNode(n);
    b.addNode(n);
  }
  return { b, summary: { status: tally.status(), exitCode: tally.exitCode(), counts: tally.counts, durationMs: 1200 } };
}

describe('lineUrl', () => {
  it('links a repository path at the commit, and nothing outside the repository', () => {
    expect(lineUrl(links, 'channels/fast 4.18.yaml', 7)).toBe(`https://github.com/openshift/cincinnati-graph-data/blob/${'c'.repeat(40)}/channels/fast%204.18.yaml#L7`);
    expect(lineUrl(links, '/tmp/x/channels/a.yaml', 1)).toBeUndefined();
    expect(lineUrl(links, '../channels/a.yaml', 1)).toBeUndefined();
    expect(lineUrl({ ...links, sha: 'main' }, 'channels/a.yaml', 1)).toBeUndefined();
    expect(lineUrl(undefined, 'channels/a.yaml', 1)).toBeUndefined();
  });
});

describe('SummaryBuilder', () => {
  it('one row per failing (version, arch): marks, one sentence, a link to the line; details folded; passing nodes a count', () => {
    const pass: NodeResult = { ...failing(0), openpgp: { outcome: 'verified', reason: 'ok' } };
    const { b, summary } = summaryOf([pass, failing(1), failing(1, 'arm64')]);
    const md = b.render(summary, { releaseRepo: 'quay.io/openshift-release-dev/ocp-release' });
    expect(md).toContain('## ❌ release-sigcheck: clusters would reject 2 (version, arch) nodes');
    expect(md).toContain('3 (version, arch) nodes checked in <code>quay.io/openshift-release-dev/ocp-release</code>: ✅ 1 passed · ❌ 2 failed');
    expect(md.match(/<tr><td><code>/g)).toHaveLength(2);
    expect(md).not.toContain('<code>4.18.0</code>');
    expect(md).toContain(
      `<tr><td><code>4.18.1</code> amd64</td><td align="center" title="OpenPGP missing">❌</td><td align="center" title="Sigstore verified">✅</td><td align="center" title="Components verified">✅</td><td>No OpenPGP signature in the signature store.</td><td><a href="https://github.com/openshift/cincinnati-graph-data/blob/${'c'.repeat(40)}/channels/candidate-4.18.yaml#L11">candidate-4.18:11</a> +1</td></tr>`,
    );
    expect(md).toMatch(/<details><summary>Digests, sources and full reasons of the 2 nodes above<\/summary>[\s\S]*sha256=[0-9a-f]{64}\/signature-1 answered not found[\s\S]*<\/details>/);
  });

  it('100 failing nodes: every row fits a job summary, and the comment stays under 65,536 characters', () => {
    const { b, summary } = summaryOf(Array.from({ length: 100 }, (_, i) => failing(i + 1)));
    const md = b.render(summary, { releaseRepo: 'quay.io/openshift-release-dev/ocp-release', reportPath: 'report.json' });
    const comment = b.render(summary, { releaseRepo: 'quay.io/openshift-release-dev/ocp-release', reportPath: 'report.json' }, COMMENT_BUDGET_BYTES);
    console.log(`summary of 100 failing nodes: ${Buffer.byteLength(md)} bytes of Markdown; PR comment ${comment.length} characters`);
    expect(md.match(/<tr><td><code>/g)).toHaveLength(100);
    expect(Buffer.byteLength(md)).toBeLessThan(SUMMARY_BUDGET_BYTES);
    expect(comment.length).toBeLessThan(65_536);
    const shown = comment.match(/<tr><td><code>/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(20);
    if (shown < 100) expect(comment).toContain(`… and ${100 - shown} more nodes that need attention`);
  });

  it('a 7,000-node outage stays within 1 MiB, keeping only what fits', () => {
    const nodes = Array.from({ length: 7000 }, (_, i) => ({ ...failing(i), openpgp: { outcome: 'error' as const, reason: `GET https://mirror.openshift.com/x/sha256=${i}/signature-1: the server answered 503 (gave up after 6 attempts); this is a transient failure`, source: 'https://mirror.openshift.com/x' } }));
    const { b, summary } = summaryOf(nodes);
    const md = b.render(summary, { releaseRepo: 'quay.io/openshift-release-dev/ocp-release' });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES);
    expect(md).toContain('## ⚠️ release-sigcheck: 7000 nodes could not be checked; re-run the job');
    expect(md).toMatch(/… and \d+ more nodes that need attention/);
    expect(md).toContain('OpenPGP could not be checked (mirror.openshift.com answered 503)');
  });
});
