import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/check/run.ts';
import { selectShard } from '../../src/check/shard.ts';
import { selectNodes } from '../../src/check/select.ts';
import { JsonReporter, type JsonReport } from '../../src/report/json.ts';
import { JunitReporter } from '../../src/report/junit.ts';
import { mergeReports } from '../../src/report/merge.ts';
import { SarifReporter } from '../../src/report/sarif.ts';
import { MultiReporter } from '../../src/model/reporter.ts';
import { Capture, FakeChecker, FakeResolver, fakeDigest } from '../helpers/fakes.ts';
import { GRAPH_DATA } from '../helpers/paths.ts';

// A slice of the real graph with failures of every kind sprinkled in.
const selected = await selectNodes({ graphData: GRAPH_DATA, channels: ['stable-4.1[45]'] });
const arches = ['amd64', 'arm64', 'multi'] as const;
const resolver = new FakeResolver({ '4.14.1/multi': 'absent', '4.14.2/arm64': { error: 'connection reset after 5 retries' } });
const checker = new FakeChecker(
  { [fakeDigest('4.14.3/amd64')]: { outcome: 'missing', reason: 'no signature at https://store/sha256=x/signature-1' } },
  { [fakeDigest('4.15.2/arm64')]: { outcome: 'invalid', reason: 'signed by an untrusted key & "friends"' } },
);

async function runTo(nodes: typeof selected.nodes, make: (out: Capture) => ConstructorParameters<typeof MultiReporter>[0]) {
  const out = new Capture();
  const summary = await runCheck(
    { nodes, findings: selected.findings, arches: [...arches], info: { mode: 'audit', graphData: GRAPH_DATA, pathPrefix: 'gd/', releaseRepo: 'quay.io/openshift-release-dev/ocp-release' } },
    { resolver, checker },
    { concurrency: 16, require: ['openpgp', 'sigstore'] },
    new MultiReporter(make(out)),
  );
  return { out: out.text, summary };
}

describe('JUnit and SARIF reports', () => {
  it('JUnit: one case per node and check, failures and errors where they belong', async () => {
    const { out, summary } = await runTo(selected.nodes, (o) => [new JunitReporter(o as never)]);
    expect(summary.exitCode).toBe(1);
    expect(out).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="release-sigcheck" tests="\d+" failures="2" errors="\d+"/);
    // The unresolved node is an error in each check it needs, and its payload (metadata) is unknown too.
    expect(out).toMatch(/<testsuite name="openpgp" tests="\d+" failures="1" errors="1"/);
    expect(out).toMatch(/<testsuite name="metadata" tests="\d+" failures="0" errors="1"/);
    const cases = out.match(/<testcase classname="release-sigcheck\.(openpgp|sigstore)"/g) ?? [];
    expect(cases).toHaveLength(summary.counts.nodes * 2);
    expect(out).toContain('<failure type="missing" message="OpenPGP missing: no signature at https://store/sha256=x/signature-1">');
    expect(out).toContain('<failure type="invalid" message="Sigstore invalid: signed by an untrusted key &amp; &quot;friends&quot;">');
    expect(out).toMatch(/<testcase classname="release-sigcheck\.openpgp" name="4\.14\.2 arm64" file="gd\/channels\/stable-4\.1[45]\.yaml" line="\d+">\n {6}<error type="error"/);
  });

  it('SARIF: results located on the promoting lines', async () => {
    const { out } = await runTo(selected.nodes, (o) => [new SarifReporter(o as never)]);
    const sarif = JSON.parse(out);
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    const missing = results.filter((r) => r.ruleId === 'openpgp-missing');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing[0]!.level).toBe('error');
    expect(missing[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/^gd\/channels\/stable-4\.1[45]\.yaml$/);
    expect(results.filter((r) => r.ruleId === 'sigstore-invalid').length).toBeGreaterThan(0);
    expect(results.filter((r) => r.level === 'warning').every((r) => r.ruleId.endsWith('-error') || r.ruleId.startsWith('graph-data/'))).toBe(true);
    expect(results.some((r) => r.ruleId === 'graph-data/VERSION_DUPLICATE')).toBe(true);
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('sigstore-missing');
  });
});

describe('mergeReports', () => {
  it('shards 1/4..4/4 check exactly the nodes of the unsharded run, and merged equals it', async () => {
    const full = JSON.parse((await runTo(selected.nodes, (o) => [new JsonReporter(o as never)])).out) as JsonReport;
    const shards: JsonReport[] = [];
    for (let k = 1; k <= 4; k++) {
      const nodes = selectShard(selected.nodes, { index: k, count: 4 });
      shards.push(JSON.parse((await runTo(nodes, (o) => [new JsonReporter(o as never)])).out) as JsonReport);
    }
    const keys = (r: JsonReport) => r.nodes.map((n) => `${n.version}/${n.arch}`);
    expect(shards.flatMap(keys).sort()).toEqual(keys(full).sort());
    const merged = mergeReports(shards);
    const strip = (r: JsonReport) => ({ ...r, durationMs: 0, retries: 0 });
    expect(strip(merged)).toEqual(strip(full));
    expect(merged.exitCode).toBe(1);
    expect(() => mergeReports([shards[0]!, shards[0]!], ['a.json', 'b.json'])).toThrow(/is in both a.json and b.json: shards overlap/);
    expect(() => mergeReports([shards[0]!, { ...shards[1]!, releaseRepo: 'x/y' }])).toThrow(/not shards of one run/);
  });
});
