/**
 * Builds the real network-backed resolver and checkers from a configuration.
 */
import { SigcheckError } from '../errors.ts';
import type { TrustFingerprints } from './cache.ts';
import type { PipelineDeps } from './pipeline.ts';
import type { CheckConfig } from './options.ts';

export interface NetworkDeps extends PipelineDeps {
  /** Hashes of the trusted key material per check, for the verified-result cache. */
  trust: TrustFingerprints;
  /** Retries spent so far. */
  retries(): number;
  /** Requests made so far, by kind, for reports and benchmarks. */
  requests(): Record<string, number>;
  close(): Promise<void>;
}

export async function createNetworkDeps(_config: CheckConfig): Promise<NetworkDeps> {
  throw new SigcheckError('CONFIG', 'network checks are not wired yet');
}
