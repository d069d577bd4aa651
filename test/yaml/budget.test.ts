import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { YAML_MAX_NODES, yamlNodeBound, yamlOverBudget } from '../../src/yaml/budget.ts';
import { FIXTURES } from '../helpers/paths.ts';

/** The values the yaml library builds for a text: scalars (keys included), maps and sequences. */
function countNodes(text: string): number {
  let n = 0;
  const visit = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    const node = v as { items?: unknown[]; key?: unknown; value?: unknown };
    if (!('key' in node)) n++; // a pair is its key and its value
    if (Array.isArray(node.items)) node.items.forEach(visit);
    if ('key' in node) visit(node.key);
    if ('value' in node && typeof node.value === 'object') visit(node.value);
  };
  for (const doc of parseAllDocuments(text)) visit((doc as unknown as { contents: unknown }).contents);
  return n;
}

describe('the YAML budget', () => {
  it('bounds from above the nodes the parser builds, in block and flow style', () => {
    for (const text of ['a: 1\nb: [1, 2, {c: 3}]\n', '- 4.1.0\n- 4.1.1\n- {x: [1,2,3]}\n', 'name: x\nversions:\n  - 4.2.0\n  - 4.2.1\n', 'k: |\n  line\n  line\n']) {
      expect(yamlNodeBound(text)).toBeGreaterThanOrEqual(countNodes(text));
    }
  });

  it('lets every real channel file and trust manifest through at a small share of the cap', () => {
    const dirs = [join(FIXTURES, 'graph-data', 'channels'), join(FIXTURES, 'graph-data', 'internal-channels')];
    let largest = 0;
    for (const dir of dirs) for (const f of readdirSync(dir)) largest = Math.max(largest, yamlNodeBound(readFileSync(join(dir, f), 'utf8')));
    for (const f of readdirSync(join(FIXTURES, 'openpgp')).filter((n) => n.endsWith('.yaml'))) largest = Math.max(largest, yamlNodeBound(readFileSync(join(FIXTURES, 'openpgp', f), 'utf8')));
    expect(largest).toBeGreaterThan(100);
    expect(largest).toBeLessThan(YAML_MAX_NODES / 20);
  });

  it('refuses 1 MiB of flow values (some 600 MB and 2 s once parsed) before parsing, saying why', () => {
    const bomb = `a: [${'0,'.repeat(512 * 1024 - 4)}0]\n`;
    expect(yamlOverBudget(bomb)).toMatch(/^it may hold up to \d+ YAML values .* more than the 100000 this tool parses/);
    expect(yamlOverBudget('a: [1, 2, 3]\n')).toBeUndefined();
    expect(yamlOverBudget('a: [1, 2, 3]\n', 3)).toBeDefined();
  });
});
