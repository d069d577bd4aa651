import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCheck } from '../../src/wiring/execute.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-prev-trust-'));
  for (const side of ['base', 'head']) {
    await mkdir(join(dir, side, 'channels'), { recursive: true });
    await writeFile(join(dir, side, 'channels', 'stable-4.9.yaml'), `name: stable-4.9\nversions:\n- 4.9.1\n${side === 'head' ? '- 4.9.2\n' : ''}`);
  }
  // A "previous report" in the pull request's tree that calls every failure known.
  await writeFile(join(dir, 'head', 'prev.json'), JSON.stringify({ schemaVersion: 1, nodes: [], findings: [] }));
  await writeFile(join(dir, 'outside.json'), JSON.stringify({ schemaVersion: 1, nodes: [], findings: [] }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the previous report in PR scope', () => {
  it('is not read from the pull request\'s tree: every failure counts as new, with a finding', async () => {
    const prepared = await prepareCheck({ base: join(dir, 'base'), head: join(dir, 'head'), graphData: join(dir, 'head'), previous: join(dir, 'head', 'prev.json'), failOn: 'new' });
    await prepared.dispose?.();
    expect(prepared.previous).toMatchObject({ found: false, file: join(dir, 'head', 'prev.json') });
    expect(prepared.selected.findings.map((f) => f.code)).toContain('PREVIOUS_IN_PULL_REQUEST');
  });

  it('is read when it lies outside the pull request\'s tree', async () => {
    const prepared = await prepareCheck({ base: join(dir, 'base'), head: join(dir, 'head'), graphData: join(dir, 'head'), previous: join(dir, 'outside.json'), failOn: 'new' });
    await prepared.dispose?.();
    expect(prepared.previous).toMatchObject({ found: true });
    expect(prepared.selected.findings.map((f) => f.code)).not.toContain('PREVIOUS_IN_PULL_REQUEST');
  });
});
