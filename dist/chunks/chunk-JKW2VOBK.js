import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);

// src/model/arch.ts
var ARCHES = ["amd64", "arm64", "s390x", "ppc64le", "multi"];
var TAG_SUFFIX = {
  amd64: "x86_64",
  arm64: "aarch64",
  s390x: "s390x",
  ppc64le: "ppc64le",
  multi: "multi"
};
function isArch(value) {
  return ARCHES.includes(value);
}
function toTagSuffix(arch) {
  return TAG_SUFFIX[arch];
}
function fromPlatformArchitecture(value) {
  if (value === "x86_64") return "amd64";
  if (value === "aarch64") return "arm64";
  return isArch(value) && value !== "multi" ? value : void 0;
}
function parseArchList(list) {
  const out = [];
  for (const raw of list.split(",")) {
    const name = raw.trim();
    if (name === "") continue;
    const arch = fromPlatformArchitecture(name) ?? (name === "multi" ? "multi" : void 0);
    if (!arch) throw new Error(`unknown architecture ${JSON.stringify(name)} (known: ${ARCHES.join(", ")})`);
    if (!out.includes(arch)) out.push(arch);
  }
  if (out.length === 0) throw new Error("the architecture list is empty");
  return out;
}

// src/model/version.ts
var SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
var RELEASE_NAME_MAX_LENGTH = 128;
function parseReleaseName(name) {
  if (name.length > RELEASE_NAME_MAX_LENGTH) {
    return { ok: false, reason: `${JSON.stringify(name.slice(0, 40))}\u2026 (${name.length} characters) is longer than the ${RELEASE_NAME_MAX_LENGTH} characters a release name may have` };
  }
  const m = SEMVER_RE.exec(name);
  if (!m) return { ok: false, reason: `${JSON.stringify(name)} is not a valid SemVer version` };
  const [, major, minor, patch, pre, build] = m;
  const release = {
    name,
    version: build === void 0 ? name : name.slice(0, name.length - build.length - 1),
    major: Number(major),
    minor: Number(minor),
    patch: Number(patch),
    prerelease: pre === void 0 ? [] : pre.split(".")
  };
  if (build !== void 0) {
    if (!isArch(build)) {
      return {
        ok: false,
        reason: `${JSON.stringify(name)} has build metadata ${JSON.stringify(build)}, which is not an architecture (amd64, arm64, s390x, ppc64le, multi)`
      };
    }
    release.arch = build;
  }
  return { ok: true, release };
}
function compareIdentifiers(a, b) {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
function compareReleaseNames(a, b) {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    const d = (a.prerelease.length === 0 ? 1 : 0) - (b.prerelease.length === 0 ? 1 : 0);
    if (d !== 0) return d;
  } else {
    const n = Math.min(a.prerelease.length, b.prerelease.length);
    for (let i = 0; i < n; i++) {
      const d2 = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
      if (d2 !== 0) return d2;
    }
    const d = a.prerelease.length - b.prerelease.length;
    if (d !== 0) return d;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export {
  ARCHES,
  isArch,
  toTagSuffix,
  fromPlatformArchitecture,
  parseArchList,
  parseReleaseName,
  compareReleaseNames
};
