/**
 * Persists the verified-result cache (--cache FILE) between workflow runs with the Actions cache
 * service, so a periodic audit only checks what is new. Caches are immutable, so each run saves under
 * a new key and restores the newest one by prefix. Any failure is a warning: the cache only saves time.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';

function prefix(path: string): string {
  return `release-sigcheck-v1-${createHash('sha256').update(path).digest('hex').slice(0, 12)}-`;
}

export async function restoreVerifiedCache(path: string): Promise<void> {
  try {
    const cache = await import('@actions/cache');
    if (!cache.isFeatureAvailable()) {
      core.info('cache: the Actions cache service is not available here; starting with the file as it is');
      return;
    }
    const hit = await cache.restoreCache([path], `${prefix(path)}${process.env.GITHUB_RUN_ID ?? 'local'}`, [prefix(path)]);
    core.info(hit ? `cache: restored ${path} from ${hit}` : `cache: no saved cache for ${path} yet`);
  } catch (err) {
    core.warning(`cache: could not restore ${path}: ${(err as Error).message}`);
  }
}

export async function saveVerifiedCache(path: string): Promise<void> {
  try {
    const cache = await import('@actions/cache');
    if (!cache.isFeatureAvailable()) return;
    const key = `${prefix(path)}${process.env.GITHUB_RUN_ID ?? 'local'}-${process.env.GITHUB_RUN_ATTEMPT ?? '1'}`;
    await cache.saveCache([path], key);
    core.info(`cache: saved ${path} as ${key}`);
  } catch (err) {
    core.warning(`cache: could not save ${path}: ${(err as Error).message}`);
  }
}
