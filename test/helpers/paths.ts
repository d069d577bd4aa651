import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The facts the tests run on (genuine signatures and keys, containers/image cases, the graph-data
 * snapshot, Cincinnati graphs, PR replays): unedited copies of the workplace's shared fixtures, kept in
 * the repository so that a clone tests on its own (test/fixtures/README.md).
 */
export const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures');
export const GRAPH_DATA = join(FIXTURES, 'graph-data');
export const PR_REPLAY = join(FIXTURES, 'pr-replay');
export const CINCINNATI_GRAPH = join(FIXTURES, 'cincinnati-graph');
/**
 * The oracle built from the consumers' own code, where this environment provides it beside the
 * project (../shared/oracle); a clone elsewhere has none, and the suites that need it say so.
 */
export const ORACLE = join(PROJECT_ROOT, '..', 'shared', 'oracle', 'bin', 'oracle');
export const HAVE_ORACLE = existsSync(ORACLE);
