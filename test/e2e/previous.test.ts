/**
 * `--previous` over real servers: audit, then change the world (a `.sig` tag overwritten with another
 * key's signature, an unsigned release signed, a tag moved to another signed image), audit again
 * against the first report. Exactly those three changes come out, in JSON and in text, and
 * `--fail-on new` fails only for the new failure.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { JsonReport } from '../../src/report/json.ts';
import { Capture } from '../helpers/fakes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 180_000);
afterAll(async () => {
  await world?.stop();
});

async function cli(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const readReport = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as JsonReport;
const keys = (list: { version: string; arch: string }[]) => list.map((c) => `${c.version}/${c.arch}`);

describe('--previous over a real registry and store', () => {
  it('finds exactly one newly failing node, one newly passing node and one moved tag, in JSON and text', async () => {
    const out = join(world.dir, 'previous');
    const first = await cli('--graph-data', world.graphData, ...world.args(), '--quiet', '--output', join(out, 'first.json'));
    expect(first.code).toBe(1);
    const before = await readReport(join(out, 'first.json'));
    const status = (r: JsonReport, key: string) => r.nodes.find((n) => `${n.version}/${n.arch}` === key)?.status;
    expect([status(before, '4.50.0/arm64'), status(before, '4.50.1/amd64'), status(before, '4.50.0/multi')]).toEqual(['passed', 'failed', 'passed']);

    // 1. a .sig tag overwritten with a signature by another key: 4.50.0 arm64 now fails
    await world.overwriteSigWithWrongKey(world.digests.get('4.50.0/arm64')!, '4.50.0-aarch64');
    // 2. the unsigned 4.50.1 amd64 gets both signatures
    await world.signBoth(world.digests.get('4.50.1/amd64')!, '4.50.1-x86_64');
    // 3. the 4.50.0-multi tag moves to another (signed) manifest list
    const moved = await world.publishSigned('4.50.0', 'multi', '4.50.0-multi/moved');
    expect(moved).not.toBe(world.digests.get('4.50.0/multi'));

    const second = await cli('--graph-data', world.graphData, ...world.args(), '--quiet', '--previous', join(out, 'first.json'), '--fail-on', 'new', '--output', join(out, 'second.json'));
    const after = await readReport(join(out, 'second.json'));
    const changes = after.changes!;
    expect(keys(changes.newlyFailing)).toEqual(['4.50.0/arm64']);
    expect(keys(changes.newlyPassing)).toEqual(['4.50.1/amd64']);
    expect(keys(changes.digestChanged)).toEqual(['4.50.0/multi']);
    expect(changes.newlyErrored).toEqual([]);
    expect(changes.signaturesDisappeared).toEqual([]);
    expect(changes.newFindings).toEqual([]);
    expect(changes.newlyFailing[0]).toMatchObject({ previous: { status: 'passed', sigstore: 'verified' }, current: { status: 'failed', sigstore: 'invalid' } });
    expect(changes.newlyFailing[0]!.reason).toMatch(/^Sigstore invalid: /);
    expect(changes.digestChanged[0]).toMatchObject({ previous: { digest: world.digests.get('4.50.0/multi'), status: 'passed' }, current: { digest: moved, status: 'passed' } });
    expect(changes).toMatchObject({ compared: 8, added: 0, failOn: 'new', previous: { found: true, nodes: 8, status: 'failed' } });
    // the four releases broken from the start are known failures; the new one fails the run
    expect(changes.knownFailures).toBe(4);
    expect(second.code).toBe(1);
    expect(after.exitCode).toBe(1);

    // The text report leads its summary with the same three changes, and nothing else.
    const summaryStart = second.stdout.indexOf('Changes since the previous report');
    expect(summaryStart).toBeGreaterThan(-1);
    const block = second.stdout.slice(summaryStart, second.stdout.indexOf('node(s) compared', summaryStart));
    expect(block.match(/^ {2}\S.*\(\d+\):$/gm)).toEqual(['  newly failing (1):', '  newly passing (1):', '  digest changed under the same tag (1):']);
    expect(block).toMatch(/newly failing \(1\):\n {4}4\.50\.0 arm64 sha256:\w+ \(was passed\): Sigstore invalid: /);
    expect(block).toMatch(/newly passing \(1\):\n {4}4\.50\.1 amd64 sha256:\w+ \(was failed\)\n/);
    expect(block).toContain(`4.50.0 multi: ${world.digests.get('4.50.0/multi')!.slice(0, 19)} -> ${moved.slice(0, 19)} (now passed)`);
    expect(second.stdout).toMatch(/FAILED: 1 new failure\(s\) since the previous report .*; 4 failure\(s\) known from the previous report do not fail this run \(--fail-on new\)/);

    // A third audit against the second report: nothing is new, so --fail-on new passes; --fail-on any does not.
    const third = await cli('--graph-data', world.graphData, ...world.args(), '--quiet', '--previous', join(out, 'second.json'), '--fail-on', 'new', '--format', 'json');
    const thirdReport = JSON.parse(third.stdout) as JsonReport;
    expect(thirdReport.status).toBe('failed');
    expect(thirdReport.changes).toMatchObject({ newlyFailing: [], newlyPassing: [], digestChanged: [], knownFailures: 5 });
    expect(third.code).toBe(0);
    const strict = await cli('--graph-data', world.graphData, ...world.args(), '--quiet', '--previous', join(out, 'second.json'));
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('nothing changed');
  });
});
