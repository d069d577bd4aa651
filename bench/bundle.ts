/**
 * Bundles bench/child.ts (and with it the tool's src/) the way scripts/bundle.mjs builds dist/: esbuild,
 * ESM, code splitting, so commands load on demand. Users run that bundle, not the TypeScript sources;
 * running the sources would add Node's type stripping to every start-up (about 0.3 s of CPU and 30 MB
 * of RSS) and charge it to the tool.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Writes the bundle under `outdir` and returns the path of its entry (`child.js`). */
export async function bundleChild(outdir: string): Promise<string> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { child: 'bench/child.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    chunkNames: 'chunks/[name]-[hash]',
    // As scripts/bundle.mjs: CommonJS dependencies call require() on Node built-ins.
    banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module';\nconst require = __benchCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return join(outdir, 'child.js');
}
