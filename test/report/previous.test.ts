import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreviousReport, readReportFile, REPORT_MAX_BYTES } from '../../src/report/previous.ts';
import { fakeDigest } from '../helpers/fakes.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-previous-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const goodNode = { version: '4.18.1', arch: 'amd64', digest: fakeDigest('a'), status: 'passed', places: [{ file: 'channels/a.yaml', line: 2, channel: 'a' }], openpgp: { outcome: 'verified', reason: 'ok' }, sigstore: { outcome: 'verified', reason: 'ok' } };
const goodReport = { schemaVersion: 1, releaseRepo: 'quay.io/x/y', status: 'passed', nodes: [goodNode], findings: [{ severity: 'error', code: 'X', message: 'x', file: 'channels/a.yaml' }] };

async function write(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('the previous report', () => {
  it('is indexed by (version, arch) with status, digest and each outcome, and its error findings', async () => {
    const index = await loadPreviousReport(await write('good.json', goodReport));
    expect(index.found).toBe(true);
    expect([...index.nodes.entries()]).toEqual([['4.18.1\0amd64', { status: 'passed', digest: fakeDigest('a'), openpgp: 'verified', sigstore: 'verified', components: 'skipped' }]]);
    expect(index.errorFindings.size).toBe(1);
    expect(index).toMatchObject({ status: 'passed', releaseRepo: 'quay.io/x/y' });
  });

  it('that does not exist is an empty baseline, said out loud', async () => {
    const said: string[] = [];
    const index = await loadPreviousReport(join(dir, 'absent.json'), { log: (m) => said.push(m) });
    expect(index).toMatchObject({ found: false, nodes: new Map() });
    expect(said.join('\n')).toMatch(/no previous report at .*absent\.json.*every failure counts as new/);
  });

  it.each([
    ['not JSON', '{"schemaVersion": 1, "nodes": [', /not valid JSON/],
    ['not an object', '[1, 2]', /top level is not a JSON object/],
    ['a dry run', { dryRun: true, nodes: [] }, /--dry-run listing/],
    ['another schema', { ...goodReport, schemaVersion: 2 }, /schemaVersion 2; this release-sigcheck reads schemaVersion 1/],
    ['no nodes', { schemaVersion: 1 }, /no "nodes" array/],
    ['a bad status', { ...goodReport, nodes: [goodNode, { ...goodNode, status: 'great' }] }, /nodes\[1\]\.status is not one of passed, failed, error/],
    ['a bad outcome', { ...goodReport, nodes: [{ ...goodNode, sigstore: { outcome: 'fine', reason: '' } }] }, /nodes\[0\]\.sigstore\.outcome/],
    ['bad places', { ...goodReport, nodes: [{ ...goodNode, places: [{ file: 1 }] }] }, /nodes\[0\]\.places/],
    ['bad findings', { ...goodReport, findings: [{ severity: 'fatal' }] }, /findings\[0\]/],
  ])('that is %s is refused with a message naming the file', async (_what, content, message) => {
    const path = await write('bad.json', content);
    const err = await rejection(loadPreviousReport(path));
    expect(err.code).toBe('REPORT_INVALID');
    expect(err.message).toContain(path);
    expect(err.message).toMatch(message);
  });

  it('is read only as a regular file, within its cap', async () => {
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect((await rejection(loadPreviousReport(fifo))).code).toBe('FILE_NOT_REGULAR');
    expect((await rejection(loadPreviousReport(dir))).code).toBe('FILE_NOT_REGULAR');
    const big = join(dir, 'big.json');
    await writeFile(big, '');
    await truncate(big, REPORT_MAX_BYTES + 1); // sparse: refused from its size, not read
    const err = await rejection(readReportFile(big));
    expect(err.code).toBe('FILE_TOO_LARGE');
    expect(err.message).toContain('256 MiB');
  });
});
