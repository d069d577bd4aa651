/**
 * Runs the CLI in this process and, when it is done, prints the process's own resource usage as one
 * JSON line on stderr (`RUSAGE {...}`): CPU time and peak RSS of the tool alone, without the servers,
 * how late the event loop ran (a busy loop reads answers late, which costs throughput), and how the
 * memory splits at the highest RSS sampled (every 100 ms).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { main } from '../src/cli/main.ts';
import { processIO } from '../src/commands/io.ts';

const RESOLUTION_MS = 10;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
loop.enable();
// Where the memory is at its peak: V8's heap, or outside it (buffers, code, threads).
const peak = { heapTotalMiB: 0, heapUsedMiB: 0, externalMiB: 0, rssMiB: 0 };
const sample = () => {
  const m = process.memoryUsage();
  if (m.rss / 2 ** 20 > peak.rssMiB) {
    peak.rssMiB = Math.round(m.rss / 2 ** 20);
    peak.heapTotalMiB = Math.round(m.heapTotal / 2 ** 20);
    peak.heapUsedMiB = Math.round(m.heapUsed / 2 ** 20);
    peak.externalMiB = Math.round(m.external / 2 ** 20);
  }
};
const sampler = setInterval(sample, 100);
sampler.unref();
const code = await main(process.argv.slice(2), processIO());
clearInterval(sampler);
sample();
loop.disable();
const usage = process.resourceUsage();
// The histogram holds the time between ticks of a RESOLUTION_MS timer; the lateness is what exceeds it.
const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4) / 100 - RESOLUTION_MS);
process.stderr.write(
  `RUSAGE ${JSON.stringify({
    code,
    userMs: usage.userCPUTime / 1000,
    systemMs: usage.systemCPUTime / 1000,
    maxRssKiB: usage.maxRSS,
    atPeakRss: peak,
    ...(loop.count > 0 ? { loopDelayMs: { mean: ms(loop.mean), p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) } } : {}),
  })}\n`,
);
process.exitCode = code;
