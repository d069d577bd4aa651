import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The shared, read-only fixtures (genuine signatures, graph-data snapshot, PR replays). */
export const SHARED = join(PROJECT_ROOT, '..', 'shared');
export const FIXTURES = join(SHARED, 'fixtures');
export const GRAPH_DATA = join(FIXTURES, 'graph-data');
export const PR_REPLAY = join(FIXTURES, 'pr-replay');
