/** Entry point of the `release-sigcheck` command (dist/cli.js). */
import { processIO } from './io.ts';
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2), processIO());
