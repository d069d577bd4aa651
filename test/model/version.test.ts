import { describe, expect, it } from 'vitest';
import { compareReleaseNames, parseReleaseName, type ReleaseName } from '../../src/model/version.ts';
import { parseArchList, toTagSuffix } from '../../src/model/arch.ts';

const parse = (name: string): ReleaseName => {
  const p = parseReleaseName(name);
  if (!p.ok) throw new Error(p.reason);
  return p.release;
};

describe('parseReleaseName', () => {
  it('reads the release names graph-data uses', () => {
    expect(parse('4.18.3')).toMatchObject({ version: '4.18.3', major: 4, minor: 18, patch: 3, prerelease: [] });
    expect(parse('4.18.3').arch).toBeUndefined();
    expect(parse('4.10.0-rc.8')).toMatchObject({ version: '4.10.0-rc.8', prerelease: ['rc', '8'] });
    expect(parse('4.5.0-0.hotfix-2020-11-28-021842').prerelease).toEqual(['0', 'hotfix-2020-11-28-021842']);
    // early s390x builds carried the architecture as a pre-release: a distinct version, every architecture
    expect(parse('4.2.10-s390x')).toMatchObject({ version: '4.2.10-s390x', prerelease: ['s390x'] });
  });

  it('turns build metadata into a single architecture', () => {
    expect(parse('4.2.14+amd64')).toMatchObject({ name: '4.2.14+amd64', version: '4.2.14', arch: 'amd64' });
    expect(parse('4.3.29+ppc64le').arch).toBe('ppc64le');
  });

  it('refuses what is not SemVer, or build metadata that is not an architecture', () => {
    for (const bad of ['4.2', '4.02.1', 'v4.2.1', '4.2.1-', '4.2.1+', ' 4.2.1', '4.2.1 ']) {
      const p = parseReleaseName(bad);
      expect(p.ok, bad).toBe(false);
    }
    const p = parseReleaseName('4.2.14+sparc');
    expect(p.ok).toBe(false);
    expect(!p.ok && p.reason).toMatch(/not an architecture/);
  });

  it('orders by SemVer precedence, pre-releases before the release', () => {
    const names = ['4.20.0', '4.20.0-ec.0', '4.3.0', '4.20.0-rc.1', '4.20.0-rc.10', '4.20.0-rc.2', '4.2.14+amd64', '4.2.14'];
    const sorted = names.map(parse).sort(compareReleaseNames).map((r) => r.name);
    expect(sorted).toEqual(['4.2.14', '4.2.14+amd64', '4.3.0', '4.20.0-ec.0', '4.20.0-rc.1', '4.20.0-rc.2', '4.20.0-rc.10', '4.20.0']);
  });
});

describe('architectures', () => {
  it('maps graph-data names to tag suffixes and parses lists', () => {
    expect(['amd64', 'arm64', 's390x', 'ppc64le', 'multi'].map((a) => toTagSuffix(a as never))).toEqual(['x86_64', 'aarch64', 's390x', 'ppc64le', 'multi']);
    expect(parseArchList('amd64, x86_64,aarch64,multi')).toEqual(['amd64', 'arm64', 'multi']);
    expect(() => parseArchList('amd64,sparc')).toThrow(/unknown architecture "sparc"/);
  });
});
