/** Entry point of the `release-sigcheck` command (dist/cli.js). */
import { spawn } from 'node:child_process';
import { processIO } from '../commands/io.ts';
import { main } from './main.ts';

/**
 * V8 sizes the young generation by allocation rate: a long audit allocates fast and V8 then reserves
 * about 100 MB of young generation that is mostly empty. A smaller cap keeps an audit of 6,000 nodes
 * under 200 MB for no measurable CPU (bench/). The flag only takes effect at start-up, so the command
 * starts itself again with it, unless the user chose a value or this is already the restarted process.
 */
const HEAP_FLAG = '--max-semi-space-size=8';

function shouldRestart(argv: string[]): boolean {
  if (process.env.RELEASE_SIGCHECK_CHILD === '1') return false;
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--max-semi-space-size'))) return false;
  // Help, version and listings finish before memory matters; start them at once.
  if (argv.length === 0 || argv.some((a) => a === '--help' || a === '-h' || a === '--dry-run') || (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V'))) return false;
  return process.argv[1] !== undefined;
}

const argv = process.argv.slice(2);
if (shouldRestart(argv)) {
  const child = spawn(process.execPath, [HEAP_FLAG, ...process.execArgv, process.argv[1]!, ...argv], {
    stdio: 'inherit',
    env: { ...process.env, RELEASE_SIGCHECK_CHILD: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`release-sigcheck: could not start: ${err.message}\n`);
    process.exitCode = 3;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 3 : 0);
  });
} else {
  process.exitCode = await main(argv, processIO());
}
