/**
 * The real Cincinnati answers and graph-data channel files the tests of src/cincinnati run on
 * (test/fixtures/cincinnati-graph/README.md), read from disk, and small builders for the results the
 * cross-check observes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Arch } from '../../src/model/arch.ts';
import { toTagSuffix } from '../../src/model/arch.ts';
import type { NodeResult, Place } from '../../src/model/results.ts';
import { parseChannelFile, type ChannelFile } from '../../src/graph/channels.ts';
import { CINCINNATI_GRAPH } from '../helpers/paths.ts';
import { PAYLOAD_OK } from '../helpers/fakes.ts';

export const E2E = join(CINCINNATI_GRAPH, 'cincinnati-e2e');
export const GRAPH_DATA_DIR = join(E2E, 'graph-data-134475077ed4');
export const REVISION = '134475077ed4eeaedf3c339f12915b9cdaf7d194';
export const RELEASE_REPO = 'quay.io/openshift-release-dev/ocp-release';

/** The graph answers recorded, as `<channel>_<arch>` found in the directory (never a hard-coded list). */
export const GRAPH_FILES: { file: string; channel: string; arch: string }[] = readdirSync(E2E)
  .filter((f) => f.endsWith('_v1.json'))
  .sort()
  .map((file) => {
    const m = /^([0-9a-f]{40})_(.+)_([a-z0-9]+)_v1\.json$/.exec(file);
    if (!m) throw new Error(`unexpected fixture name ${file}`);
    return { file, channel: m[2]!, arch: m[3]! };
  });

export interface RawGraph {
  version: number;
  nodes: { version: string; payload: string; metadata?: Record<string, string> }[];
  edges: [number, number][];
  conditionalEdges?: { edges: { from: string; to: string }[]; risks: unknown[] }[];
}

export function graphBytes(channel: string, arch: string): Uint8Array {
  return readFileSync(join(E2E, `${REVISION}_${channel}_${arch}_v1.json`));
}

/** The answer as JSON.parse reads it: the independent view the parsed graph is compared with. */
export function rawGraph(channel: string, arch: string): RawGraph {
  return JSON.parse(readFileSync(join(E2E, `${REVISION}_${channel}_${arch}_v1.json`), 'utf8')) as RawGraph;
}

/** The channel file at that graph-data revision, parsed the way the project parses channel files. */
export function channelFile(channel: string): ChannelFile {
  const file = `channels/${channel}.yaml`;
  const parsed = parseChannelFile(file, readFileSync(join(GRAPH_DATA_DIR, file), 'utf8'));
  if (!parsed.channel) throw new Error(`${file}: ${JSON.stringify(parsed.findings)}`);
  return parsed.channel;
}

/** Edges into each version, computed from the raw JSON: plain edges by index, conditional edges by name. */
export function rawInto(raw: RawGraph): Map<string, Set<string>> {
  const into = new Map<string, Set<string>>();
  const add = (from: string, to: string) => {
    if (!into.has(to)) into.set(to, new Set());
    into.get(to)!.add(from);
  };
  for (const [f, t] of raw.edges) add(raw.nodes[f]!.version, raw.nodes[t]!.version);
  for (const c of raw.conditionalEdges ?? []) for (const e of c.edges) add(e.from, e.to);
  return into;
}

const ok = { outcome: 'verified' as const, reason: 'verified', signer: 'fake key' };

/** A node result as the pipeline hands it to a RunObserver. */
export function nodeResult(o: { version: string; arch: Arch; digest: string | null; places: Place[]; tag?: string }): NodeResult {
  return {
    version: o.version,
    arch: o.arch,
    digest: o.digest,
    tag: o.tag ?? `${o.version.replace(/\+.*$/, '')}-${toTagSuffix(o.arch)}`,
    places: o.places,
    openpgp: ok,
    sigstore: ok,
    components: PAYLOAD_OK.components,
    metadata: PAYLOAD_OK.metadata,
  };
}
