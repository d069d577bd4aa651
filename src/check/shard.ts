/**
 * Deterministic sharding for a matrix audit: the K-th of N shards takes every N-th release name of the
 * SemVer-sorted node list, so shards are balanced, disjoint, and together exactly the unsharded run.
 * All architectures of a name stay in one shard (one annotation groups them).
 */
import type { GraphNode } from '../graph/nodes.ts';

export function selectShard<T extends Pick<GraphNode, 'name'>>(nodes: readonly T[], shard: { index: number; count: number }): T[] {
  return nodes.filter((_, i) => i % shard.count === shard.index - 1);
}
