/**
 * The periodic audit notices when something that was fine stops being fine. Over the real registry
 * and store: an audit fills the cache; then one store signature is deleted and one `.sig` tag is
 * overwritten (re-signed by a key nobody trusts); the next audit with the same cache finds both,
 * at one request per cached signature, and says what it spent.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { JsonReport } from '../../src/report/json.ts';
import { buildSigArtifact, generateRsaKey, pushSig, signLayer } from '../harness/cosign.ts';
import { Capture } from '../helpers/fakes.ts';
import { REPO, startWorld, type World } from './world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

async function audit(cache: string, ...extra: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const storeBefore = world.store.requests.length;
  const code = await main(['--graph-data', world.graphData, ...world.args(), '--arch', 'amd64,arm64', '--cache', cache, '--format', 'json', ...extra], { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, report: JSON.parse(stdout.text) as JsonReport, storeRequests: world.store.requests.length - storeBefore, stderr: stderr.text };
}

const outcomes = (r: JsonReport, version: string, arch: string) => {
  const n = r.nodes.find((x) => x.version === version && x.arch === arch)!;
  return [n.openpgp.outcome, n.sigstore.outcome];
};

describe('revalidation of cached verdicts', () => {
  it('a deleted store signature and an overwritten .sig tag are found on the next cached audit', async () => {
    const cache = join(world.dir, 'revalidate-cache.json');
    const first = await audit(cache);
    expect(outcomes(first.report, '4.50.0', 'amd64')).toEqual(['verified', 'verified']);
    expect(outcomes(first.report, '4.50.0', 'arm64')).toEqual(['verified', 'verified']);

    // The store loses 4.50.0 amd64's signature; 4.50.0 arm64's .sig tag is replaced by another key's.
    const amd64 = world.digests.get('4.50.0/amd64')!;
    const arm64 = world.digests.get('4.50.0/arm64')!;
    await rm(join(world.store.dir, `sha256=${amd64.slice(7)}`), { recursive: true });
    const stranger = generateRsaKey('not trusted');
    await pushSig(world.registry.url, REPO, arm64, buildSigArtifact([signLayer({ digest: arm64, identity: `${world.identityRepo}@${arm64}`, key: stranger })]));

    const trusted = await audit(cache, '--cache-mode', 'trust');
    // Trusting the cache does not notice, and says it trusted it.
    expect(outcomes(trusted.report, '4.50.0', 'amd64')).toEqual(['verified', 'verified']);
    expect(outcomes(trusted.report, '4.50.0', 'arm64')).toEqual(['verified', 'verified']);
    expect(trusted.report.cache).toMatchObject({ mode: 'trust', requests: 0 });

    const second = await audit(cache);
    expect(outcomes(second.report, '4.50.0', 'amd64')).toEqual(['missing', 'verified']);
    expect(outcomes(second.report, '4.50.0', 'arm64')).toEqual(['verified', 'invalid']);
    expect(second.code).toBe(1);
    expect(second.report.cache).toMatchObject({ mode: 'revalidate', changed: 2 });
    console.log(
      `requests to the store: first audit ${first.storeRequests}, trusted cache ${trusted.storeRequests}, revalidating audit ${second.storeRequests}; ` +
        `cache figures of the revalidating audit: ${JSON.stringify(second.report.cache)}`,
    );
    // A third audit has nothing cached for the two broken ones: they stay found.
    const third = await audit(cache);
    expect(outcomes(third.report, '4.50.0', 'amd64')).toEqual(['missing', 'verified']);
    expect(outcomes(third.report, '4.50.0', 'arm64')).toEqual(['verified', 'invalid']);
  });
});
