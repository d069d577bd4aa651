#!/usr/bin/env node
// Builds dist/ (the committed bundle): dist/index.js for the GitHub Action and dist/cli.js for the CLI,
// sharing chunks. `--check` builds into a temporary directory and fails when dist/ differs from it,
// so CI catches a stale bundle. `--out DIR` builds into DIR instead (tests run the bundle of the sources
// they test, whatever the committed dist/ holds).
import { build } from 'esbuild';
import { mkdtemp, readdir, readFile, rm, mkdir, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const outIndex = process.argv.indexOf('--out');
const outDir = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;

async function bundle(outdir) {
  await build({
    absWorkingDir: root,
    entryPoints: { index: 'src/action/index.ts', cli: 'src/cli/index.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'eof',
    // Some CommonJS dependencies call require() on Node built-ins; give ESM chunks a real require.
    banner: {
      js: "import { createRequire as __sigcheckCreateRequire } from 'node:module';\nconst require = __sigcheckCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

async function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

async function addShebang(outdir) {
  // esbuild keeps a shebang only from the entry source; write it explicitly so `npx` can run dist/cli.js.
  const { writeFile, chmod } = await import('node:fs/promises');
  const cli = join(outdir, 'cli.js');
  const text = await readFile(cli, 'utf8');
  if (!text.startsWith('#!')) await writeFile(cli, `#!/usr/bin/env node\n${text}`);
  await chmod(cli, 0o755);
}

const fresh = await mkdtemp(join(tmpdir(), 'sigcheck-dist-'));
try {
  await bundle(fresh);
  await addShebang(fresh);
  if (outDir) {
    await mkdir(outDir, { recursive: true });
    await cp(fresh, outDir, { recursive: true });
  } else if (check) {
    const distDir = join(root, 'dist');
    const want = await listFiles(fresh);
    let have = [];
    try { have = await listFiles(distDir); } catch { /* no dist/ yet */ }
    const problems = [];
    for (const f of want) {
      if (!have.includes(f)) { problems.push(`missing: dist/${f}`); continue; }
      const [a, b] = await Promise.all([readFile(join(fresh, f)), readFile(join(distDir, f))]);
      if (!a.equals(b)) problems.push(`differs: dist/${f}`);
    }
    for (const f of have) if (!want.includes(f)) problems.push(`stale file: dist/${f}`);
    if (problems.length > 0) {
      console.error(`dist/ is not current (${problems.length} problem(s)):\n  ${problems.join('\n  ')}\nRun \`npm run bundle\` and commit dist/.`);
      process.exitCode = 1;
    } else {
      console.log(`dist/ is current (${want.length} files).`);
    }
  } else {
    const distDir = join(root, 'dist');
    await rm(distDir, { recursive: true, force: true });
    await mkdir(distDir, { recursive: true });
    await cp(fresh, distDir, { recursive: true });
    console.log(`dist/ rebuilt: ${(await listFiles(distDir)).join(', ')}`);
  }
} finally {
  await rm(fresh, { recursive: true, force: true });
}
