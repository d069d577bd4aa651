#!/usr/bin/env node
// The layers of src/, declared once, and the folder-level import graph measured from the code.
// `node scripts/layers.mjs` prints each layer with its folders, every folder's imports, the cycles
// (there must be none) and every import that runs upward (there must be none); exit code 1 if either
// is found. eslint.config.mjs enforces the same table file by file (the `layers/downward-only` rule).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bottom to top. A module may import its own unit and any unit of a lower layer, never a unit of the
 * same layer or above. A unit is a folder of src/ (or a single file at the top of src/).
 */
export const LAYERS = [
  { name: 'ground floor: the shared vocabulary (results, findings, places, digests, architectures, errors, seams)', units: ['model'] },
  { name: 'platform: local files, strict JSON, the YAML budget, HTTP', units: ['fs', 'json', 'yaml', 'http'] },
  { name: 'readers: graph-data, registries, baked-in trust', units: ['graph', 'registry', 'trust'] },
  { name: 'verifiers and their fetchers', units: ['openpgp', 'sigstore'] },
  { name: 'payload contents and node policies', units: ['payload', 'policy'] },
  { name: 'the option table', units: ['options'] },
  { name: 'the core: selection, pipeline, cache; reporters', units: ['check', 'report'] },
  { name: 'mirrors and graph cross-checks', units: ['mirror', 'cincinnati'] },
  { name: 'wiring: configuration into trust, network, resolver, checkers, sources', units: ['wiring'] },
  { name: 'the built-in demonstration', units: ['demo'] },
  { name: 'commands: typed results for every entry point', units: ['commands'] },
  { name: 'entry points', units: ['cli', 'action'] },
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/** The unit of a file under src/: its top folder, or the file name without extension. */
export function unitOf(file) {
  const rel = relative(src, file).split(sep);
  if (rel[0] === '..') return undefined;
  return rel.length === 1 ? rel[0].replace(/\.[cm]?[jt]s$/, '') : rel[0];
}

export function rankOf(unit) {
  const i = LAYERS.findIndex((l) => l.units.includes(unit));
  return i === -1 ? undefined : i;
}

/** Static and dynamic relative imports of a source text (type-only ones count: they are structure too). */
export function importsOf(text) {
  const out = [];
  const re = /(?:^|[^\w.])(?:import|export)\s*(?:type\s+)?(?:[\w*{}\s,]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2];
    if (spec && spec.startsWith('.')) out.push(spec);
  }
  return out;
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.ts$/.test(e)) out.push(p);
  }
  return out;
}

export function measure() {
  const edges = new Map(); // unit -> Map(unit -> [file:spec])
  const upward = [];
  const unknown = new Set();
  for (const file of walk(src)) {
    const from = unitOf(file);
    if (rankOf(from) === undefined) unknown.add(from);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const to = unitOf(resolve(dirname(file), spec));
      if (to === undefined || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      const m = edges.get(from);
      if (!m.has(to)) m.set(to, []);
      m.get(to).push(`${relative(root, file)} -> ${spec}`);
      const rf = rankOf(from);
      const rt = rankOf(to);
      if (rf !== undefined && rt !== undefined && rt >= rf) upward.push(`${relative(root, file)} imports ${spec} (${to}, layer ${rt}) from layer ${rf}`);
    }
  }
  // Cycles between units: strongly connected components of more than one unit.
  const units = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])].sort();
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const cycles = [];
  const strong = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) cycles.push(comp.sort());
    }
  };
  for (const u of units) if (!idx.has(u)) strong(u);
  return { edges, upward, cycles, unknown: [...unknown].sort() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { edges, upward, cycles, unknown } = measure();
  const present = new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]);
  for (const f of readdirSync(src)) present.add(f.replace(/\.ts$/, ''));
  console.log('Layers of src/, bottom to top (a unit imports only units of lower layers):');
  LAYERS.forEach((l, i) => {
    const units = l.units.filter((u) => present.has(u));
    console.log(`  ${i}  ${l.name}: ${units.join(', ') || '(none yet)'}`);
  });
  console.log('\nImports between units:');
  for (const [from, m] of [...edges].sort(([a], [b]) => (rankOf(a) ?? 99) - (rankOf(b) ?? 99) || a.localeCompare(b))) {
    console.log(`  ${from} -> ${[...m.keys()].sort((a, b) => (rankOf(a) ?? 99) - (rankOf(b) ?? 99) || a.localeCompare(b)).join(', ')}`);
  }
  console.log(`\nCycles between units: ${cycles.length}${cycles.map((c) => `\n  ${c.join(' <-> ')}`).join('')}`);
  console.log(`Imports that run upward or sideways: ${upward.length}${upward.slice(0, 50).map((u) => `\n  ${u}`).join('')}`);
  if (unknown.length > 0) console.log(`Units in no layer: ${unknown.join(', ')}`);
  process.exitCode = cycles.length > 0 || upward.length > 0 || unknown.length > 0 ? 1 : 0;
}
