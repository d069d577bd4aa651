/**
 * Builds the real network-backed resolver and checkers from a configuration.
 */
import { SigcheckError } from '../errors.ts';
import type { PipelineDeps } from './pipeline.ts';
import type { CheckConfig } from './options.ts';

export interface NetworkDeps extends PipelineDeps {
  /** Retries spent so far. */
  retries(): number;
  close(): Promise<void>;
}

export async function createNetworkDeps(_config: CheckConfig): Promise<NetworkDeps> {
  throw new SigcheckError('CONFIG', 'network checks are not wired yet');
}
