/**
 * `engines.node` promises a Node range; every runtime dependency (installed, as npm resolved it) must
 * support all of it, or `npx release-sigcheck` breaks on a Node the package says it supports.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/paths.ts';

const require = createRequire(join(PROJECT_ROOT, 'package.json'));
const semver = require('semver') as { subset(sub: string, dom: string, options?: { includePrerelease?: boolean }): boolean };

interface Lock {
  packages: Record<string, { version?: string; dev?: boolean; engines?: { node?: string } | string[] }>;
}

describe('engines.node', () => {
  it('lies within the engines of every runtime dependency', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as Lock;
    const runtime = Object.entries(lock.packages).filter(([path, p]) => path !== '' && !p.dev);
    expect(runtime.length).toBeGreaterThan(20);
    const outside = runtime
      .map(([path, p]) => ({ name: path.replace(/^.*node_modules\//, ''), node: Array.isArray(p.engines) ? undefined : p.engines?.node }))
      .filter((d) => d.node !== undefined && !semver.subset(pkg.engines.node, d.node));
    expect(outside).toEqual([]);
  });
});
