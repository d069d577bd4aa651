import { describe, expect, it } from 'vitest';
import { parseChannelFile } from '../../src/graph/channels.ts';

describe('parseChannelFile', () => {
  it('keeps the line of every version and tolerates comments, feeder, tombstones, no trailing newline', () => {
    const text = [
      'name: fast-4.2',
      'feeder:',
      '  name: candidate-4.2',
      '  errata: public',
      'tombstones:',
      '- 4.2.10-s390x',
      'versions:',
      '- 4.2.2',
      '# no 4.2.3 because of a bug',
      '- 4.2.1',
      '- 4.2.14+amd64',
      "- '4.2.16'",
    ].join('\n');
    const parsed = parseChannelFile('channels/fast-4.2.yaml', text);
    expect(parsed.findings).toEqual([]);
    expect(parsed.channel?.channel).toBe('fast-4.2');
    expect(parsed.channel?.entries.map((e) => [e.release.name, e.line])).toEqual([
      ['4.2.2', 8],
      ['4.2.1', 10],
      ['4.2.14+amd64', 11],
      ['4.2.16', 12],
    ]);
    expect(parsed.channel?.entries[2]).toMatchObject({ file: 'channels/fast-4.2.yaml', channel: 'fast-4.2', release: { arch: 'amd64' } });
  });

  it('reports bad YAML with its line, not a crash', () => {
    const parsed = parseChannelFile('channels/stable-4.9.yaml', 'name: stable-4.9\nversions:\n- 4.9.1\n- [4.9.2\n');
    expect(parsed.channel).toBeUndefined();
    expect(parsed.findings.length).toBeGreaterThan(0);
    expect(parsed.findings[0]).toMatchObject({ severity: 'error', code: 'YAML_SYNTAX', file: 'channels/stable-4.9.yaml' });
    expect(parsed.findings[0]!.line).toBeGreaterThanOrEqual(4);
  });

  it('reports a non-SemVer entry, a YAML number and a wrong name at their lines, and keeps the good entries', () => {
    const text = 'name: stable-4.10\nversions:\n- 4.9.1\n- 4.10\n- 4.9.x\n- 4.9.3\n';
    const parsed = parseChannelFile('channels/stable-4.9.yaml', text);
    expect(parsed.findings.map((f) => [f.code, f.line])).toEqual([
      ['CHANNEL_NAME', 1],
      ['VERSION_NOT_STRING', 4],
      ['VERSION_NOT_SEMVER', 5],
    ]);
    expect(parsed.findings[0]!.message).toMatch(/"stable-4.10" differs from the file name "stable-4.9.yaml"/);
    expect(parsed.findings[1]!.message).toMatch(/"4.10" is read by YAML as a number/);
    expect(parsed.findings[2]!.message).toMatch(/"4.9.x" is not a valid SemVer version/);
    expect(parsed.channel?.entries.map((e) => e.release.name)).toEqual(['4.9.1', '4.9.3']);
  });

  it('reports duplicates as warnings and missing or malformed lists as errors', () => {
    const dup = parseChannelFile('internal-channels/candidate.yaml', 'name: candidate\nversions:\n- 5.0.0-ec.0\n- 5.0.0-ec.1\n- 5.0.0-ec.0');
    expect(dup.findings).toEqual([
      { severity: 'warning', code: 'VERSION_DUPLICATE', file: 'internal-channels/candidate.yaml', line: 5, message: '5.0.0-ec.0 is listed again (first at line 3)', subject: '5.0.0-ec.0' },
    ]);
    expect(dup.channel?.entries).toHaveLength(3);
    expect(parseChannelFile('channels/a.yaml', 'name: a\n').findings[0]).toMatchObject({ code: 'CHANNEL_SCHEMA', line: 1 });
    expect(parseChannelFile('channels/a.yaml', 'name: a\nversions: 4.1.0\n').findings[0]).toMatchObject({ code: 'CHANNEL_SCHEMA', line: 2 });
    expect(parseChannelFile('channels/a.yaml', '- 4.1.0\n').findings[0]).toMatchObject({ code: 'CHANNEL_SCHEMA' });
    expect(parseChannelFile('channels/a.yaml', 'name: a\nname: b\nversions: []\n').findings[0]).toMatchObject({ code: 'YAML_SYNTAX', line: 2 });
  });
});

describe('a hostile channel file', () => {
  it('of 1 MiB of flow values is one finding, not parsed', () => {
    const r = parseChannelFile('channels/bomb.yaml', `name: bomb\nversions: [${'0,'.repeat(500_000)}0]\n`);
    expect(r.channel).toBeUndefined();
    expect(r.findings.map((f) => f.code)).toEqual(['CHANNEL_FILE_TOO_LARGE']);
  });

  it('of 5,000 bad entries gives 100 findings and one that counts the rest', () => {
    const r = parseChannelFile('channels/many.yaml', `name: many\nversions:\n${Array.from({ length: 5000 }, (_, i) => `- bad-${i}`).join('\n')}\n`);
    expect(r.findings).toHaveLength(101);
    expect(r.findings[100]).toMatchObject({ code: 'CHANNEL_FINDINGS_CUT', file: 'channels/many.yaml' });
    expect(r.findings[100]!.message).toContain('4900 more finding(s)');
  });
});
