/**
 * Keeps a long audit's memory flat. V8 sizes its heap by allocation rate, not by what is live: a
 * 6,000-node audit keeps about 50 MB alive but lets the heap grow past 300 MB before it collects.
 * A full collection every 500 nodes holds the peak near the live size for a small CPU cost.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gc === undefined) {
    try {
      // `gc` is only exposed to contexts created after the flag is set.
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  return gc;
}

/** Returns a function to call once per node; it collects every `every` nodes. */
export function periodicCollector(every: number): () => void {
  let count = 0;
  return () => {
    if (++count % every === 0) collector()?.();
  };
}
