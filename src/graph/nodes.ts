/**
 * The node set: every unique release name with all the places it appears, then expanded to the
 * (name, architecture) pairs that get checked.
 */
import type { Place } from '../model/results.ts';
import type { Arch } from '../model/arch.ts';
import type { VersionEntry } from './channels.ts';
import { compareReleaseNames, type ReleaseName } from '../model/version.ts';

export interface GraphNode {
  name: string;
  release: ReleaseName;
  places: Place[];
}

/** One (release name, architecture) pair to check. */
export interface NodeTarget {
  name: string;
  release: ReleaseName;
  arch: Arch;
  places: Place[];
}

function comparePlaces(a: Place, b: Place): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}

/** Groups entries by release name; nodes come out in SemVer order, places in file:line order. */
export function toGraphNodes(entries: Iterable<VersionEntry>): GraphNode[] {
  const byName = new Map<string, GraphNode>();
  for (const e of entries) {
    let node = byName.get(e.release.name);
    if (!node) {
      node = { name: e.release.name, release: e.release, places: [] };
      byName.set(e.release.name, node);
    }
    node.places.push({ file: e.file, line: e.line, channel: e.channel });
  }
  const nodes = [...byName.values()];
  for (const n of nodes) n.places.sort(comparePlaces);
  return nodes.sort((a, b) => compareReleaseNames(a.release, b.release));
}

/**
 * A name with build metadata (`4.2.14+amd64`) applies to that architecture only; a plain name to every
 * selected architecture. A name restricted to an architecture that is not selected yields nothing.
 */
export function toNodeTargets(nodes: Iterable<GraphNode>, arches: readonly Arch[]): NodeTarget[] {
  const out: NodeTarget[] = [];
  for (const n of nodes) {
    const applicable = n.release.arch ? arches.filter((a) => a === n.release.arch) : arches;
    for (const arch of applicable) out.push({ name: n.name, release: n.release, arch, places: n.places });
  }
  return out;
}
