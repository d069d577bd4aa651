/**
 * Every command, for both entry points: the CLI dispatches to them by name, and the Action runs them
 * with arguments built from its inputs. Loaded on demand, so that `--help` and small commands start
 * fast and do not load the cryptography.
 */
import type { CliIO } from './io.ts';

export interface CommandEntry {
  summary: string;
  load: () => Promise<(args: string[], io: CliIO) => Promise<number>>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  check: {
    summary: 'check the release nodes graph-data promotes (default command)',
    load: async () => (await import('./check.ts')).runCheckCommand,
  },
  configmap: {
    summary: 'verify the OpenPGP signatures in signature ConfigMaps, or --write one (disconnected clusters)',
    load: async () => (await import('./configmap.ts')).runConfigMapCommand,
  },
  image: {
    summary: 'check one release image by tag or digest (every instance of a manifest list)',
    load: async () => (await import('./image.ts')).runImageCommand,
  },
  mirror: {
    summary: 'check a disconnected mirror: release images, every instance, .sig tags and signature ConfigMaps',
    load: async () => (await import('./mirror.ts')).runMirrorCommand,
  },
  signature: {
    summary: 'verify one signature offline: an OpenPGP file or a .sig tag in an OCI layout',
    load: async () => (await import('./signature.ts')).runSignatureCommand,
  },
  policy: {
    summary: 'policy render: the policy.json and registries.d nodes get from ClusterImagePolicy, ImagePolicy and image config',
    load: async () => (await import('./policy.ts')).runPolicyCommand,
  },
  demo: {
    summary: 'a complete run against built-in releases on a local registry (no network, no setup)',
    load: async () => (await import('./demo.ts')).runDemoCommand,
  },
  'merge-reports': {
    summary: 'join the JSON reports of a sharded audit (--shard K/N) into one',
    load: async () => (await import('./merge-reports.ts')).runMergeReportsCommand,
  },
};

