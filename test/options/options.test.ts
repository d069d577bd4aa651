import { describe, expect, it } from 'vitest';
import { toNetworkConfig } from '../../src/options/registry.ts';
import { isSigcheckError } from '../../src/model/errors.ts';

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isSigcheckError(err, 'USAGE')) return err.message;
    throw err;
  }
  throw new Error('expected a usage error');
}

describe('network options', () => {
  it('sets the run deadline 30 minutes from when the options are read, or as --deadline says', () => {
    const before = Date.now();
    const config = toNetworkConfig({});
    expect(config.deadline).toBeGreaterThanOrEqual(before + 30 * 60_000);
    expect(config.deadline).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
    const two = toNetworkConfig({ deadline: '2h' }).deadline as number;
    expect(two - Date.now()).toBeGreaterThan(2 * 3_600_000 - 5000);
    expect(usageMessage(() => toNetworkConfig({ deadline: 'soon' }))).toContain('--deadline must be a duration');
    expect(usageMessage(() => toNetworkConfig({ deadline: '500ms' }))).toContain('--deadline must be between 1s and 168h');
  });

  it('reads the TLS and credential options', () => {
    const config = toNetworkConfig({ caFile: ['a.pem', 'b.pem'], tlsVerify: 'false', insecureRegistry: ['Mirror.example.com:5000'], authfile: 'auth.json' });
    expect(config).toMatchObject({ caFiles: ['a.pem', 'b.pem'], tlsVerify: false, insecureRegistries: ['mirror.example.com:5000'], authFile: 'auth.json' });
    expect(toNetworkConfig({ tlsVerify: 'TRUE' }).tlsVerify).toBe(true);
    expect(toNetworkConfig({}).tlsVerify).toBeUndefined();
    expect(usageMessage(() => toNetworkConfig({ tlsVerify: 'no' }))).toContain('--tls-verify must be true or false');
    expect(usageMessage(() => toNetworkConfig({ insecureRegistry: ['https://mirror/x'] }))).toContain('--insecure-registry takes a host or host:port');
  });
});

describe('options a graph-data checkout cannot set', () => {
  it.each(['tls-verify', 'insecure-registry', 'ca-file', 'authfile', 'deadline'])('release-sigcheck.yaml refuses %s: it belongs to the workflow', async (key) => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readConfigFile } = await import('../../src/check/config-file.ts');
    const { createTrustedFiles } = await import('../../src/check/trusted.ts');
    const dir = await mkdtemp(join(tmpdir(), 'sigcheck-options-'));
    try {
      const file = join(dir, 'release-sigcheck.yaml');
      await writeFile(file, `${key}: "false"\n`);
      const err = await readConfigFile(createTrustedFiles({ kind: 'checkout' }), file, { required: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isSigcheckError(err, 'CONFIG')).toBe(true);
      expect((err as Error).message).toContain(`unknown option ${JSON.stringify(key)}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
