import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  OPTIONS,
  SigcheckError
} from "./chunk-CJDR7VYC.js";
import {
  FAIL_ON
} from "./chunk-3YBSCIAA.js";
import {
  CHECK_NAMES
} from "./chunk-ZFG3A5T2.js";

// src/fs/regular-file.ts
import { constants } from "node:fs";
import { open } from "node:fs/promises";
function formatSize(n) {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} bytes`;
}
async function readRegularFile(path, options) {
  try {
    return await readOnce(path, options);
  } catch (err) {
    if (options.hint && err instanceof SigcheckError) throw new SigcheckError(err.code, `${err.message}. ${options.hint}`, { cause: err.cause ?? err });
    throw err;
  }
}
async function readOnce(path, options) {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0) | (options.noFollow ? constants.O_NOFOLLOW ?? 0 : 0));
  } catch (err) {
    const code = err.code;
    if (code === "ELOOP" && options.noFollow) throw new SigcheckError("FILE_NOT_REGULAR", `${options.what} ${path}: is a symbolic link, which is not followed; only regular files are read`, { cause: err });
    const why = code === "ENOENT" ? "it does not exist" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a directory" : err.message;
    throw new SigcheckError(code === "EISDIR" ? "FILE_NOT_REGULAR" : "FILE_UNREADABLE", `${options.what} ${path}: cannot be read: ${why}`, { cause: err });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      const kind = st.isFIFO() ? "a FIFO (named pipe)" : st.isCharacterDevice() ? "a character device" : st.isBlockDevice() ? "a block device" : st.isSocket() ? "a socket" : st.isDirectory() ? "a directory" : "something else";
      throw new SigcheckError("FILE_NOT_REGULAR", `${options.what} ${path}: is ${kind}, not a regular file; only regular files are read`);
    }
    if (st.size > options.maxBytes) {
      throw new SigcheckError("FILE_TOO_LARGE", `${options.what} ${path}: is ${st.size} bytes, over the ${options.maxBytes}-byte limit for it (${formatSize(options.maxBytes)})`);
    }
    const chunks = [];
    let total = 0;
    for (; ; ) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, options.maxBytes - total + 1));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes) throw new SigcheckError("FILE_TOO_LARGE", `${options.what} ${path}: grew past the ${options.maxBytes}-byte limit while it was read`);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

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

// src/options/registry.ts
var DEFAULT_RELEASE_REPO = "quay.io/openshift-release-dev/ocp-release";
var DEFAULT_SIGNATURE_STORES = [
  "https://mirror.openshift.com/pub/openshift-v4/signatures/openshift/release",
  "https://storage.googleapis.com/openshift-release/official/signatures/openshift/release"
];
var CHECK_FLAG_KEYS = [
  "graphData",
  "base",
  "head",
  "version",
  "channel",
  "arch",
  "require",
  "dryRun",
  "deepen",
  "releaseRepo",
  "mirror",
  "signatureStore",
  "concurrency",
  "retries",
  "timeout",
  "rate",
  "deadline",
  "caFile",
  "tlsVerify",
  "insecureRegistry",
  "authfile",
  "openpgpKey",
  "sigstoreKey",
  "imagePolicy",
  "cache",
  "cacheMode",
  "skip",
  "sigstoreFrom",
  "shard",
  "previous",
  "failOn"
];
function camelCase(name) {
  return name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}
var CHECK_FLAG_NAMES = Object.fromEntries(
  CHECK_FLAG_KEYS.map((key) => {
    const def = OPTIONS.find((o) => (o.key ?? camelCase(o.name)) === key && o.commands.check !== void 0);
    if (!def) throw new Error(`the option table has no check option for ${key}`);
    return [key, def];
  })
);
var PATH_OPTIONS = ["openpgpKey", "sigstoreKey", "imagePolicy", "skip"];
function readCheckFlags(read) {
  const flags = {};
  for (const [key, { name, type: kind }] of Object.entries(CHECK_FLAG_NAMES)) {
    const value = read(name, kind);
    if (value !== void 0) flags[key] = value;
  }
  return flags;
}
function usage(option, message) {
  throw new SigcheckError("USAGE", message, { option });
}
function parseIntegerFlag(name, value, fallback, min, max) {
  if (value === void 0 || value === "") return fallback;
  if (!/^\d+$/.test(value.trim())) usage(name, `must be a whole number between ${min} and ${max} (got ${JSON.stringify(value)})`);
  const n = Number(value);
  if (n < min || n > max) usage(name, `must be between ${min} and ${max} (got ${n})`);
  return n;
}
function parseDuration(name, value, fallbackMs, bounds = { minMs: 100, maxMs: 36e5, label: "100ms and 60m" }) {
  if (value === void 0 || value === "") return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) usage(name, `must be a duration such as 30s, 500ms or 2m (got ${JSON.stringify(value)})`);
  const n = Number(m[1]);
  const ms = m[2] === "ms" ? n : m[2] === "m" ? n * 6e4 : m[2] === "h" ? n * 36e5 : n * 1e3;
  if (ms < bounds.minMs || ms > bounds.maxMs) usage(name, `must be between ${bounds.label} (got ${value})`);
  return ms;
}
function parseBooleanFlag(name, value) {
  if (value === void 0 || value === "") return void 0;
  const v = value.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  usage(name, `must be true or false, e.g. --${name}=false (got ${JSON.stringify(value)})`);
}
function parseRequire(value) {
  if (value === void 0 || value.trim() === "") return [...CHECK_NAMES];
  const out = [];
  for (const raw of value.split(",")) {
    const name = raw.trim();
    if (name === "") continue;
    if (!CHECK_NAMES.includes(name)) usage("require", `takes a list of ${CHECK_NAMES.join(", ")} (got ${JSON.stringify(name)})`);
    if (!out.includes(name)) out.push(name);
  }
  if (out.length === 0) usage("require", `${JSON.stringify(value)} names no check; give one or more of ${CHECK_NAMES.join(", ")}`);
  return out;
}
function parseShard(value) {
  if (value === void 0 || value === "") return void 0;
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  if (!m) usage("shard", `must be K/N, e.g. 1/4 (got ${JSON.stringify(value)})`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) usage("shard", `${value}: K must be between 1 and N`);
  return { index, count };
}
function parseRepository(name, value) {
  const trimmed = value.trim();
  const plainHttp = /^http:\/\//i.test(trimmed);
  const v = trimmed.replace(/^(docker|https?):\/\//i, "").replace(/\/+$/, "");
  if (!/^[a-zA-Z0-9.-]+(:\d+)?(\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/.test(v)) {
    usage(name, `must be a repository such as quay.io/openshift-release-dev/ocp-release or http://127.0.0.1:5000/ocp/release (got ${JSON.stringify(value)})`);
  }
  return plainHttp ? `http://${v}` : v;
}
function parseFailOn(value, previous) {
  if (value === void 0 || value.trim() === "") return "any";
  const v = value.trim();
  if (!FAIL_ON.includes(v)) usage("fail-on", `must be new or any (got ${JSON.stringify(value)})`);
  if (v === "new" && !previous) usage("fail-on", "new needs --previous REPORT.json, the report of the run to compare with");
  return v;
}
function toNetworkConfig(flags) {
  const config = {
    releaseRepo: parseRepository("release-repo", flags.releaseRepo ?? DEFAULT_RELEASE_REPO),
    signatureStores: flags.signatureStore && flags.signatureStore.length > 0 ? flags.signatureStore : [...DEFAULT_SIGNATURE_STORES],
    // Cincinnati scrapes quay.io with 16 requests in flight; more invites 429s.
    concurrency: parseIntegerFlag("concurrency", flags.concurrency, 16, 1, 512),
    retries: parseIntegerFlag("retries", flags.retries, 5, 0, 20),
    timeoutMs: parseDuration("timeout", flags.timeout, 3e4)
  };
  for (const store of config.signatureStores) {
    if (!/^(https?|file):\/\//.test(store)) usage("signature-store", `must be an http(s):// or file:// URL (got ${JSON.stringify(store)})`);
  }
  if (flags.mirror !== void 0 && flags.mirror !== "") {
    if (!/^https?:\/\/[^/]+\/.+/.test(flags.mirror)) usage("mirror", `must be http(s)://host[:port]/repository/path (got ${JSON.stringify(flags.mirror)})`);
    config.mirror = flags.mirror.replace(/\/+$/, "");
  }
  if (flags.rate !== void 0 && flags.rate !== "") {
    const rate = Number(flags.rate);
    if (!Number.isFinite(rate) || rate <= 0 || rate > 1e4) usage("rate", `must be requests per second per host, a number above 0 (got ${JSON.stringify(flags.rate)})`);
    config.rate = rate;
  }
  config.deadline = Date.now() + parseDuration("deadline", flags.deadline, 30 * 6e4, { minMs: 1e3, maxMs: 7 * 24 * 36e5, label: "1s and 168h" });
  if (flags.caFile && flags.caFile.length > 0) config.caFiles = flags.caFile;
  const tlsVerify = parseBooleanFlag("tls-verify", flags.tlsVerify);
  if (tlsVerify !== void 0) config.tlsVerify = tlsVerify;
  if (flags.insecureRegistry && flags.insecureRegistry.length > 0) {
    for (const host of flags.insecureRegistry) {
      if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host.trim())) usage("insecure-registry", `takes a host or host:port, e.g. mirror.example.com:5000 (got ${JSON.stringify(host)})`);
    }
    config.insecureRegistries = flags.insecureRegistry.map((h) => h.trim().toLowerCase());
  }
  if (flags.authfile) config.authFile = flags.authfile;
  return config;
}
function toCheckConfig(flags) {
  let arches;
  try {
    arches = flags.arch ? parseArchList(flags.arch) : [...ARCHES];
  } catch (err) {
    usage("arch", `: ${err.message}`);
  }
  for (const v of flags.version ?? []) {
    const parsed = parseReleaseName(v);
    if (!parsed.ok) usage("release", `: ${parsed.reason}`);
  }
  if (flags.sigstoreFrom) {
    const parsed = parseReleaseName(flags.sigstoreFrom);
    if (!parsed.ok) usage("sigstore-from", `: ${parsed.reason}`);
  }
  if (flags.head !== void 0 && flags.base === void 0) usage("head", "needs --base");
  const config = {
    graphData: flags.graphData || ".",
    arches,
    require: parseRequire(flags.require),
    dryRun: flags.dryRun ?? false,
    deepen: flags.deepen ?? false,
    network: toNetworkConfig(flags),
    failOn: parseFailOn(flags.failOn, flags.previous),
    trust: { openpgpKeys: flags.openpgpKey ?? [], sigstoreKeys: flags.sigstoreKey ?? [] },
    cacheMode: flags.cacheMode === "trust" ? "trust" : "revalidate"
  };
  if (flags.base) config.base = flags.base;
  if (flags.head) config.head = flags.head;
  if (flags.version && flags.version.length > 0) config.versions = flags.version;
  if (flags.channel && flags.channel.length > 0) config.channels = flags.channel;
  if (flags.imagePolicy) config.trust.imagePolicy = flags.imagePolicy;
  if (flags.cache) config.cache = flags.cache;
  if (flags.cacheMode !== void 0 && flags.cacheMode !== "revalidate" && flags.cacheMode !== "trust") usage("cache-mode", `must be revalidate or trust (got ${JSON.stringify(flags.cacheMode)})`);
  if (flags.skip) config.skip = flags.skip;
  if (flags.sigstoreFrom) config.sigstoreFrom = flags.sigstoreFrom;
  const shard = parseShard(flags.shard);
  if (shard) config.shard = shard;
  if (flags.previous) config.previous = flags.previous;
  return config;
}

export {
  readRegularFile,
  ARCHES,
  isArch,
  toTagSuffix,
  fromPlatformArchitecture,
  parseReleaseName,
  compareReleaseNames,
  DEFAULT_RELEASE_REPO,
  camelCase,
  CHECK_FLAG_NAMES,
  PATH_OPTIONS,
  readCheckFlags,
  parseRepository,
  parseFailOn,
  toCheckConfig
};
