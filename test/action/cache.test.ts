import { afterEach, describe, expect, it, vi } from 'vitest';
import { restoreVerifiedCache, saveVerifiedCache } from '../../src/action/cache.ts';

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('Actions cache persistence of --cache', () => {
  it('without the cache service, says so and carries on (the cache only saves time)', async () => {
    vi.stubEnv('ACTIONS_CACHE_URL', '');
    vi.stubEnv('ACTIONS_RESULTS_URL', '');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out.push(String(c));
      return true;
    });
    await restoreVerifiedCache('/tmp/cache.json');
    await saveVerifiedCache('/tmp/cache.json');
    expect(out.join('')).toContain('cache: the Actions cache service is not available here; starting with the file as it is');
    expect(out.join('')).not.toContain('::warning');
  });
});
