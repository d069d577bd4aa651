import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VerifiedCache, withCache } from '../../src/check/cache.ts';
import { mergeFlags, readConfigFile } from '../../src/check/config-file.ts';
import { createTrustedFiles } from '../../src/check/trusted.ts';
import { selectShard } from '../../src/check/shard.ts';
import { readSkipFile, toSkipEntries, toSkipMatcher } from '../../src/check/skip.ts';
import { toGraphNodes } from '../../src/graph/nodes.ts';
import { directorySource, readGraphData } from '../../src/graph/walk.ts';
import { FakeChecker, fakeDigest } from '../helpers/fakes.ts';
import { GRAPH_DATA, PROJECT_ROOT } from '../helpers/paths.ts';

const temps: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(join(tmpdir(), 'sigcheck-audit-'));
  temps.push(d);
  return d;
};
afterAll(async () => {
  for (const t of temps) await rm(t, { recursive: true, force: true });
});

describe('selectShard', () => {
  it('splits the real graph into disjoint, balanced shards that cover every node', async () => {
    const graph = await readGraphData(directorySource(GRAPH_DATA));
    const nodes = toGraphNodes(graph.channels.flatMap((c) => c.entries));
    const shards = [1, 2, 3, 4].map((index) => selectShard(nodes, { index, count: 4 }));
    const names = shards.flatMap((s) => s.map((n) => n.name));
    expect(names).toHaveLength(nodes.length);
    expect(new Set(names).size).toBe(nodes.length);
    expect(Math.max(...shards.map((s) => s.length)) - Math.min(...shards.map((s) => s.length))).toBeLessThanOrEqual(1);
    // deterministic
    expect(selectShard(nodes, { index: 2, count: 4 })).toEqual(shards[1]);
  });
});

describe('skip entries', () => {
  it('reads the seeded graph-data skip list and matches version, arch and check', async () => {
    const entries = await readSkipFile(join(PROJECT_ROOT, 'examples', 'graph-data-skip-list.yaml'));
    expect(entries).toHaveLength(11);
    const { matcher, findings } = toSkipMatcher(entries);
    expect(findings).toEqual([]);
    expect(matcher('4.1.0', 'amd64', 'openpgp')?.reason).toBe('signed with the CI key (ART-2397)');
    expect(matcher('4.1.0+amd64', 'amd64', 'openpgp')).toBeDefined();
    expect(matcher('4.1.0', 'arm64', 'openpgp')).toBeUndefined();
    expect(matcher('4.1.0', 'amd64', 'sigstore')).toBeUndefined();
    expect(matcher('4.6.0-fc.3', 's390x', 'openpgp')).toBeDefined();
  });

  it('requires a reason, validates fields, and stops applying expired entries with a warning', () => {
    expect(() => toSkipEntries([{ version: '4.1.0' }], 'skip.yaml')).toThrow(/"reason" is required/);
    expect(() => toSkipEntries([{ version: '4.1', reason: 'x' }], 'skip.yaml')).toThrow(/not a valid SemVer/);
    expect(() => toSkipEntries([{ version: '4.1.0', reason: 'x', check: 'gpg' }], 'skip.yaml')).toThrow(/check must be openpgp, sigstore or components/);
    expect(() => toSkipEntries([{ version: '4.1.0', reason: 'x', until: '2020-01-01' }], 'skip.yaml')).toThrow(/unknown key "until"/);
    expect(() => toSkipEntries([{ version: '4.1.0+amd64', arch: 's390x', reason: 'x' }], 'skip.yaml')).toThrow(/names amd64 but arch says s390x/);
    const entries = toSkipEntries({ skip: [{ version: '4.9.1', reason: 'rebuilt', expires: '2026-11-20' }, { version: '4.9.2', reason: 'later', expires: '2026-11-21' }] }, 'skip.yaml');
    const { matcher, findings } = toSkipMatcher(entries, new Date('2026-11-21T12:00:00Z'));
    expect(matcher('4.9.1', 'amd64', 'openpgp')).toBeUndefined();
    expect(matcher('4.9.2', 'amd64', 'openpgp')?.reason).toBe('later (until 2026-11-21)');
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'SKIP_EXPIRED', message: expect.stringContaining('4.9.1 in skip.yaml expired on 2026-11-20') })]);
  });
});

describe('VerifiedCache', () => {
  it('reuses only verified results, keyed by the trusted keys, across runs', async () => {
    const path = join(await tmp(), 'cache', 'verified.json');
    const trust = { openpgp: 'k1', sigstore: 's1', components: 'c1' };
    const good = fakeDigest('good');
    const bad = fakeDigest('bad');
    const inner = new FakeChecker({ [bad]: { outcome: 'missing', reason: 'none' } });
    const first = await VerifiedCache.load(path, trust);
    const c1 = withCache(inner, first);
    await c1.openpgp(good);
    await c1.openpgp(bad);
    await c1.sigstore({ digest: good });
    await first.save();
    expect(inner.openpgpCalls).toEqual([good, bad]);

    const second = await VerifiedCache.load(path, trust);
    const c2 = withCache(inner, second);
    expect(await c2.openpgp(good)).toMatchObject({ outcome: 'verified', cached: true });
    expect(await c2.sigstore({ digest: good })).toMatchObject({ outcome: 'verified', cached: true });
    expect(await c2.openpgp(bad)).toMatchObject({ outcome: 'missing' });
    expect(inner.openpgpCalls).toEqual([good, bad, bad]);
    expect(inner.sigstoreCalls).toEqual([good]);
    expect(second.stats).toMatchObject({ hits: 2, loaded: 2 });

    // another trusted key set: nothing is reused
    const third = await VerifiedCache.load(path, { openpgp: 'k2', sigstore: 's1', components: 'c1' });
    expect(third.stats).toMatchObject({ loaded: 1, dropped: 1 });
    expect(third.get('openpgp', good)).toBeUndefined();
    expect(JSON.parse(await readFile(path, 'utf8')).schemaVersion).toBe(1);
  });

  it('refuses a corrupt cache with what to do', async () => {
    const path = join(await tmp(), 'c.json');
    await writeFile(path, '{not json');
    await expect(VerifiedCache.load(path, { openpgp: 'a', sigstore: 'b', components: 'c' })).rejects.toThrow(/not valid JSON; delete it/);
  });
});

describe('release-sigcheck.yaml', () => {
  it('maps option names to flags, resolves paths beside the file, and lets given flags win', async () => {
    const dir = await tmp();
    const path = join(dir, 'release-sigcheck.yaml');
    await writeFile(path, ['require: [openpgp]', 'sigstore-from: 4.16.0', 'arch: [amd64, multi]', 'openpgp-key: keys/extra.asc', 'concurrency: 8', 'skip:', '  - { version: 4.1.0, reason: "CI key" }'].join('\n'));
    const checkout = createTrustedFiles({ kind: 'checkout' });
    const config = await readConfigFile(checkout, path, { required: true });
    expect(config?.flags).toEqual({ require: 'openpgp', sigstoreFrom: '4.16.0', arch: 'amd64,multi', openpgpKey: [join(dir, 'keys/extra.asc')], concurrency: '8' });
    expect(config?.skip).toHaveLength(1);
    expect(mergeFlags(config!.flags, { concurrency: '64', version: [], dryRun: false })).toMatchObject({ concurrency: '64', require: 'openpgp' });
    expect(await readConfigFile(checkout, join(dir, 'missing.yaml'), { required: false })).toBeUndefined();
    await writeFile(path, 'requires: [openpgp]\n');
    await expect(readConfigFile(checkout, path, { required: true })).rejects.toThrow(/unknown option "requires"/);
    // The cache is the workflow's: a file in the repository cannot point the check at one.
    await writeFile(path, 'cache: verified.json\n');
    await expect(readConfigFile(checkout, path, { required: true })).rejects.toThrow(/cache cannot be set here: the verified-result cache is chosen by the workflow only/);
  });
});
