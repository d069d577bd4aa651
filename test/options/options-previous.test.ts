import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHECK_FLAG_NAMES, toCheckConfig } from '../../src/options/registry.ts';
import { CHECK_OPTIONS } from '../../src/commands/check.ts';

describe('--previous and --fail-on', () => {
  it('default to no comparison and --fail-on any', () => {
    const config = toCheckConfig({});
    expect(config.failOn).toBe('any');
    expect(config.previous).toBeUndefined();
    expect(toCheckConfig({ previous: 'last.json', failOn: 'new' })).toMatchObject({ previous: 'last.json', failOn: 'new' });
  });

  it('refuse an unknown --fail-on, and --fail-on new without a report to compare with', () => {
    expect(() => toCheckConfig({ failOn: 'sometimes' })).toThrow(/--fail-on must be new or any \(got "sometimes"\)/);
    expect(() => toCheckConfig({ failOn: 'new' })).toThrow(/--fail-on new needs --previous REPORT\.json/);
  });

  it('are the workflow\'s alone: release-sigcheck.yaml cannot set them', () => {
    expect(CHECK_FLAG_NAMES.previous).toMatchObject({ name: 'previous', type: 'string' });
    expect(CHECK_FLAG_NAMES.failOn).toMatchObject({ name: 'fail-on', type: 'string' });
    // no config kind: the repository's file cannot set them
    expect(CHECK_FLAG_NAMES.previous.config).toBeUndefined();
    expect(CHECK_FLAG_NAMES.failOn.config).toBeUndefined();
  });
});

describe('the option table', () => {
  it('has a CLI flag and an Action input for every check option', async () => {
    const action = parse(await readFile(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, unknown> };
    const names = Object.values(CHECK_FLAG_NAMES).map((o) => o.name);
    expect(names.filter((n) => !(n in CHECK_OPTIONS))).toEqual([]);
    // The Action always deepens a shallow clone itself, so `deepen` has no input.
    expect(names.filter((n) => !(n in action.inputs))).toEqual(['deepen']);
  });
});
