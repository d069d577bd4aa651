/**
 * Release names in graph-data are SemVer 2.0.0 strings. Build metadata selects one architecture:
 * `4.2.14+amd64` applies to the amd64 release only, a plain `4.2.14` to every architecture
 * (graph-data README, "Release Names"; Cincinnati compares build metadata only when the channel
 * entry has some).
 */
import { isArch, type Arch } from './arch.ts';

// The regular expression recommended by semver.org.
const SEMVER_RE =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export interface ReleaseName {
  /** The name exactly as written in graph-data, e.g. `4.2.14+amd64`. */
  name: string;
  /** The version without build metadata, e.g. `4.2.14`; this is what release tags are named after. */
  version: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  /** The architecture the build metadata restricts the name to; undefined means every architecture. */
  arch?: Arch;
}

export type ParsedName = { ok: true; release: ReleaseName } | { ok: false; reason: string };

/** OpenShift release names are under 40 characters; a longer one is refused before any matching. */
export const RELEASE_NAME_MAX_LENGTH = 128;

export function parseReleaseName(name: string): ParsedName {
  if (name.length > RELEASE_NAME_MAX_LENGTH) {
    return { ok: false, reason: `${JSON.stringify(name.slice(0, 40))}… (${name.length} characters) is longer than the ${RELEASE_NAME_MAX_LENGTH} characters a release name may have` };
  }
  const m = SEMVER_RE.exec(name);
  if (!m) return { ok: false, reason: `${JSON.stringify(name)} is not a valid SemVer version` };
  const [, major, minor, patch, pre, build] = m;
  const release: ReleaseName = {
    name,
    version: build === undefined ? name : name.slice(0, name.length - build.length - 1),
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: pre === undefined ? [] : pre.split('.'),
  };
  if (build !== undefined) {
    if (!isArch(build)) {
      return {
        ok: false,
        reason: `${JSON.stringify(name)} has build metadata ${JSON.stringify(build)}, which is not an architecture (amd64, arm64, s390x, ppc64le, multi)`,
      };
    }
    release.arch = build;
  }
  return { ok: true, release };
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SemVer precedence, then build metadata so that the order is total and stable. */
export function compareReleaseNames(a: ReleaseName, b: ReleaseName): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    const d = (a.prerelease.length === 0 ? 1 : 0) - (b.prerelease.length === 0 ? 1 : 0);
    if (d !== 0) return d;
  } else {
    const n = Math.min(a.prerelease.length, b.prerelease.length);
    for (let i = 0; i < n; i++) {
      const d = compareIdentifiers(a.prerelease[i]!, b.prerelease[i]!);
      if (d !== 0) return d;
    }
    const d = a.prerelease.length - b.prerelease.length;
    if (d !== 0) return d;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Parses `4.18` or `4.18.3` style thresholds (as used by --sigstore-from) into a comparable name. */
export function compareVersionStrings(a: string, b: string): number {
  const pa = parseReleaseName(a);
  const pb = parseReleaseName(b);
  if (!pa.ok || !pb.ok) throw new Error(`cannot compare ${a} and ${b}`);
  return compareReleaseNames(pa.release, pb.release);
}
