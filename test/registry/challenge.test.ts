import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../src/registry/challenge.ts';

describe('parseChallenges', () => {
  it('reads a quay.io Bearer challenge', () => {
    expect(parseChallenges('Bearer realm="https://quay.io/v2/auth",service="quay.io",scope="repository:openshift-release-dev/ocp-release:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://quay.io/v2/auth', service: 'quay.io', scope: 'repository:openshift-release-dev/ocp-release:pull' } },
    ]);
  });
  it('reads Basic, unquoted values, odd spacing and case', () => {
    expect(parseChallenges('BASIC  Realm = "Registry Realm" ')).toEqual([{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    expect(parseChallenges('Bearer realm=https://x/token,service=x')).toEqual([{ scheme: 'bearer', params: { realm: 'https://x/token', service: 'x' } }]);
  });
  it('reads several challenges in one header, and escapes in quoted strings', () => {
    expect(parseChallenges('Basic realm="a", Bearer realm="https://t/\\"q\\"",scope="s"')).toEqual([
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { realm: 'https://t/"q"', scope: 's' } },
    ]);
  });
  it('reads a scope with several actions', () => {
    expect(parseChallenges('Bearer realm="r",scope="repository:a/b:pull,push"')[0]!.params['scope']).toBe('repository:a/b:pull,push');
  });
  it('returns nothing for an absent or empty header', () => {
    expect(parseChallenges(undefined)).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
  });
});
