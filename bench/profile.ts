/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time by function and by area (a src/ folder,
 * a package in node_modules, Node internals, GC), so a missed CPU target can be pinned on the code
 * that spends it. Usable alone: `node bench/profile.ts FILE.cpuprofile [TOP]`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: ProfileEntry[];
  areas: ProfileEntry[];
}

/** `src/sigstore`, `node_modules/openpgp`, `node:internal`, `(garbage collector)`, ... */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (nm) return `node_modules/${nm[1]}`;
  const src = /\/(src|bench|test)\/([^/]+)/.exec(path);
  if (src) return `${src[1]}/${src[2]}`;
  if (path.startsWith('node:')) return path.split('/').slice(0, 2).join('/');
  return path;
}

function where(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return frame.functionName || '(anonymous)';
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const short = path.replace(/^.*?\/(src|bench|test|node_modules)\//, '$1/');
  return `${frame.functionName || '(anonymous)'} ${short}:${frame.lineNumber + 1}`;
}

export function summariseProfile(profile: CpuProfile, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') continue;
    total += us;
    const fn = where(node.callFrame);
    functions.set(fn, (functions.get(fn) ?? 0) + us);
    const area = areaOf(node.callFrame.url, node.callFrame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const rank = (m: Map<string, number>): ProfileEntry[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: total > 0 ? us / total : 0 }));
  return { totalMs: total / 1000, functions: rank(functions), areas: rank(areas) };
}

export function formatProfile(summary: ProfileSummary, indent = '  '): string {
  const line = (e: ProfileEntry) => `${indent}${e.ms.toFixed(0).padStart(7)} ms ${(e.share * 100).toFixed(1).padStart(5)}%  ${e.name}`;
  return [
    `${indent}busy (non-idle) CPU in the profile: ${summary.totalMs.toFixed(0)} ms`,
    `${indent}self time by area:`,
    ...summary.areas.map(line),
    `${indent}self time by function:`,
    ...summary.functions.map(line),
  ].join('\n');
}

export async function readProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/profile.ts FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfile(summariseProfile(await readProfile(file), Number(top ?? 25)))}\n`);
}
