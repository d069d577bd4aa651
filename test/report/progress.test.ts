import { describe, expect, it } from 'vitest';
import { describeProgress, formatDuration, ProgressReporter } from '../../src/report/progress.ts';
import type { RunInfo } from '../../src/model/reporter.ts';
import { Capture } from '../helpers/fakes.ts';

const info: RunInfo = { mode: 'audit', pathPrefix: '', releaseRepo: 'r', require: ['openpgp'], arches: ['amd64'], total: 355 };
const node = { version: '4.1.0', arch: 'amd64', digest: null, places: [], openpgp: { outcome: 'verified', reason: '' }, sigstore: { outcome: 'verified', reason: '' } } as const;

describe('describeProgress', () => {
  it('gives count, percentage, rate, ETA and elapsed time', () => {
    expect(describeProgress(120, 355, 12_000)).toBe('120/355 nodes (33%) · 10/s · ETA 24s · 12s elapsed');
    expect(describeProgress(3, 355, 2_000)).toBe('3/355 nodes (0%) · 1.5/s · ETA 3m55s · 2s elapsed');
    expect(describeProgress(0, 10, 200)).toBe('0/10 nodes (0%) · 0s elapsed');
    expect(formatDuration(3_725_000)).toBe('1h02m');
  });
});

describe('ProgressReporter', () => {
  it('draws on a terminal and clears its line before another reporter writes a node', () => {
    const err = new Capture();
    err.isTTY = true;
    let now = 1_000;
    const p = new ProgressReporter(err as never, { now: () => now });
    p.begin(info);
    now += 12_000;
    p.progress(120, 355);
    expect(err.text).toBe('\r\u001b[2K[#######.............] 120/355 nodes (33%) · 10/s · ETA 24s · 12s elapsed');
    p.node(node as never);
    expect(err.text.endsWith('\r\u001b[2K')).toBe(true);
    // drawn again at once after a clear, then at most every 100 ms
    p.progress(121, 355);
    const drawn = err.chunks.length;
    p.progress(122, 355);
    expect(err.chunks.length).toBe(drawn);
    p.end({ status: 'passed', exitCode: 0, counts: {} as never, durationMs: 1 });
    expect(err.text.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const err = new Capture();
    const p = new ProgressReporter(err as never);
    p.begin(info);
    p.progress(1, 355);
    p.node(node as never);
    p.end({ status: 'passed', exitCode: 0, counts: {} as never, durationMs: 1 });
    expect(err.text).toBe('');
  });
});
