import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  readRegularFile
} from "./chunk-S5K3IP7C.js";
import {
  TOOL
} from "./chunk-F5KIXSS4.js";
import {
  OPTIONS,
  didYouMean
} from "./chunk-SJK7R5BZ.js";
import {
  CHANGE_KINDS,
  CHANGE_LABEL,
  FAIL_ON,
  emptyPrevious,
  hasChanges,
  indexReport,
  newFailureCount
} from "./chunk-ZYBZPEKE.js";
import {
  CHECK_LABEL,
  EDGES_CONSEQUENCE,
  EDGES_LABEL,
  MAX_REASON_CHARS,
  METADATA_LABEL,
  componentDigest,
  componentLines,
  consequence,
  describeEdges,
  edgeLines,
  formatPlace,
  safeJsonStringify,
  shortDigest,
  truncate,
  unsettledEdges,
  untrusted
} from "./chunk-VJFIUDJR.js";
import {
  CHECK_NAMES,
  OUTCOMES,
  SigcheckError,
  edgesOutcome,
  isSigcheckError,
  nodeStatus
} from "./chunk-GOJHGAW3.js";

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
    const n2 = Math.min(a.prerelease.length, b.prerelease.length);
    for (let i = 0; i < n2; i++) {
      const d2 = compareIdentifiers(a.prerelease[i], b.prerelease[i]);
      if (d2 !== 0) return d2;
    }
    const d = a.prerelease.length - b.prerelease.length;
    if (d !== 0) return d;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
function compareVersionStrings(a, b) {
  const pa = parseReleaseName(a);
  const pb = parseReleaseName(b);
  if (!pa.ok || !pb.ok) throw new Error(`cannot compare ${a} and ${b}`);
  return compareReleaseNames(pa.release, pb.release);
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
  "payloadMaxDownload",
  "payloadMaxUnpacked",
  "openpgpKey",
  "sigstoreKey",
  "imagePolicy",
  "policyJson",
  "registriesD",
  "cache",
  "cacheMode",
  "skip",
  "sigstoreFrom",
  "componentsFrom",
  "shard",
  "cincinnati",
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
var PATH_OPTIONS = ["openpgpKey", "sigstoreKey", "imagePolicy", "policyJson", "registriesD", "skip"];
var DIRECTORY_OPTIONS = /* @__PURE__ */ new Set(["registriesD"]);
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
  const n2 = Number(value);
  if (n2 < min || n2 > max) usage(name, `must be between ${min} and ${max} (got ${n2})`);
  return n2;
}
function parseDuration(name, value, fallbackMs, bounds = { minMs: 100, maxMs: 36e5, label: "100ms and 60m" }) {
  if (value === void 0 || value === "") return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!m) usage(name, `must be a duration such as 30s, 500ms or 2m (got ${JSON.stringify(value)})`);
  const n2 = Number(m[1]);
  const ms = m[2] === "ms" ? n2 : m[2] === "m" ? n2 * 6e4 : m[2] === "h" ? n2 * 36e5 : n2 * 1e3;
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
var SIZE_UNITS = { "": 1, b: 1, k: 1e3, kb: 1e3, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3 };
function parseSize(name, value, fallback, min, max) {
  if (value === void 0 || value.trim() === "") return fallback;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : void 0;
  if (!m || unit === void 0) usage(name, `must be a size such as 512MiB, 2GiB or 100MB (got ${JSON.stringify(value)})`);
  const n2 = Math.floor(Number(m[1]) * unit);
  if (n2 < min || n2 > max) usage(name, `must be between ${min} and ${max} bytes (got ${value})`);
  return n2;
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
var DEFAULT_CINCINNATI_URL = "https://api.openshift.com/api/upgrades_info/graph";
function parseCincinnati(value, releaseRepo) {
  const v = value?.trim();
  if (v === void 0 || v === "") return releaseRepo === DEFAULT_RELEASE_REPO ? DEFAULT_CINCINNATI_URL : void 0;
  if (v === "none") return void 0;
  let url;
  try {
    url = new URL(v);
  } catch {
    usage("cincinnati", `must be the graph API's http(s) URL, e.g. ${DEFAULT_CINCINNATI_URL}, or none (got ${JSON.stringify(v.slice(0, 200))})`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") usage("cincinnati", `must be an http(s) URL or none (got ${JSON.stringify(v.slice(0, 200))})`);
  if (url.username !== "" || url.password !== "") usage("cincinnati", "must not carry credentials: the graph API is public, and a URL is printed in reports");
  if (url.search !== "" || url.hash !== "") usage("cincinnati", `takes the graph API without a query (the channel and arch are added per request; got ${JSON.stringify(v.slice(0, 200))})`);
  return url.toString();
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
  if (flags.componentsFrom) {
    const parsed = parseReleaseName(flags.componentsFrom);
    if (!parsed.ok) usage("components-from", `: ${parsed.reason}`);
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
    cacheMode: flags.cacheMode === "trust" ? "trust" : "revalidate",
    payload: {
      maxDownloadBytes: parseSize("payload-max-download", flags.payloadMaxDownload, 512 * 1024 ** 2, 1024, 64 * 1024 ** 3),
      maxUnpackedBytes: parseSize("payload-max-unpacked", flags.payloadMaxUnpacked, 2 * 1024 ** 3, 1024, 256 * 1024 ** 3)
    }
  };
  if (flags.base) config.base = flags.base;
  if (flags.head) config.head = flags.head;
  if (flags.version && flags.version.length > 0) config.versions = flags.version;
  if (flags.channel && flags.channel.length > 0) config.channels = flags.channel;
  if (flags.imagePolicy) config.trust.imagePolicy = flags.imagePolicy;
  if (flags.policyJson) {
    if (flags.imagePolicy) usage("policy-json", "and --image-policy are two answers to one question; render the ClusterImagePolicy into a policy.json with `release-sigcheck policy render`, or give only one");
    if (flags.sigstoreKey && flags.sigstoreKey.length > 0) usage("policy-json", "takes its keys from the policy; add the key to the policy file instead of --sigstore-key");
    config.trust.policyJson = flags.policyJson;
  }
  if (flags.registriesD) {
    if (!flags.policyJson) usage("registries-d", "needs --policy-json (registries.d says where a policy.json's signatures are read from)");
    config.trust.registriesD = flags.registriesD;
  }
  if (flags.cache) config.cache = flags.cache;
  if (flags.cacheMode !== void 0 && flags.cacheMode !== "revalidate" && flags.cacheMode !== "trust") usage("cache-mode", `must be revalidate or trust (got ${JSON.stringify(flags.cacheMode)})`);
  if (flags.skip) config.skip = flags.skip;
  if (flags.sigstoreFrom) config.sigstoreFrom = flags.sigstoreFrom;
  if (flags.componentsFrom) config.componentsFrom = flags.componentsFrom;
  const shard = parseShard(flags.shard);
  if (shard) config.shard = shard;
  const cincinnati = parseCincinnati(flags.cincinnati, config.network.releaseRepo);
  if (cincinnati !== void 0) config.cincinnati = cincinnati;
  if (flags.previous) config.previous = flags.previous;
  return config;
}

// src/report/json.ts
var JSON_SCHEMA_VERSION = 1;
function toJsonNode(r) {
  const node = {
    version: r.version,
    arch: r.arch,
    digest: r.digest,
    status: nodeStatus(r),
    places: r.places.map((p) => ({ file: p.file, line: p.line, channel: p.channel })),
    openpgp: r.openpgp,
    sigstore: r.sigstore,
    components: r.components,
    metadata: r.metadata
  };
  if (r.tag) node.tag = r.tag;
  if (r.edges) node.edges = r.edges;
  return node;
}
function sortFindings(findings) {
  const key = (f) => [f.file ?? "", String(f.line ?? 0).padStart(8, "0"), f.code, f.message].join("\0");
  return [...findings].sort((a, b) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
var JsonReporter = class {
  out;
  closeAtEnd;
  first = true;
  unpublishedNodes = [];
  findings = [];
  constructor(out, options = {}) {
    this.out = out;
    this.closeAtEnd = options.close ?? false;
  }
  write(text) {
    if (!this.out.write(text)) return new Promise((resolve) => this.out.once("drain", resolve));
  }
  begin(info) {
    const head = {
      schemaVersion: JSON_SCHEMA_VERSION,
      tool: TOOL,
      mode: info.mode,
      releaseRepo: info.releaseRepo,
      ...info.mirror ? { mirror: info.mirror } : {},
      ...info.shard ? { shard: info.shard } : {},
      ...info.graphData ? { graphData: info.graphData } : {},
      require: info.require,
      arches: info.arches
    };
    const text = safeJsonStringify(head, 2);
    return this.write(`${text.slice(0, -2)},
  "nodes": [`);
  }
  node(result) {
    const text = safeJsonStringify(toJsonNode(result), 2).replace(/\n/g, "\n    ");
    const sep = this.first ? "\n    " : ",\n    ";
    this.first = false;
    return this.write(sep + text);
  }
  unpublished(node) {
    this.unpublishedNodes.push(node);
  }
  finding(finding) {
    this.findings.push(finding);
  }
  async end(summary) {
    const tail = {
      unpublished: this.unpublishedNodes,
      findings: sortFindings(this.findings),
      status: summary.status,
      exitCode: summary.exitCode,
      counts: summary.counts,
      ...summary.changes ? { changes: summary.changes } : {},
      ...summary.retries !== void 0 ? { retries: summary.retries } : {},
      ...summary.cache !== void 0 ? { cache: summary.cache } : {},
      ...summary.cincinnati !== void 0 ? { cincinnati: summary.cincinnati } : {},
      ...summary.edgeCheck !== void 0 ? { edgeCheck: summary.edgeCheck } : {},
      durationMs: summary.durationMs
    };
    const body = safeJsonStringify(tail, 2);
    await this.write(`${this.first ? "" : "\n  "}],
  ${body.slice(4, -2)}
}
`);
    if (this.closeAtEnd) await new Promise((resolve, reject) => this.out.end((err) => err ? reject(err) : resolve()));
  }
};

// src/report/previous.ts
var REPORT_MAX_BYTES = 256 * 1024 * 1024;
var STATUSES = ["passed", "failed", "error"];
var HINT = "give a JSON report written by release-sigcheck (--output FILE.json, or merge-reports --output)";
function invalid(file, what) {
  throw new SigcheckError("REPORT_INVALID", `${file} is not a release-sigcheck JSON report: ${what}; ${HINT}`);
}
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function validateReport(doc, file) {
  if (!isObject(doc)) invalid(file, "the top level is not a JSON object");
  if (doc.dryRun === true) invalid(file, "it is a --dry-run listing, which checked nothing");
  if (typeof doc.schemaVersion !== "number") invalid(file, "it has no schemaVersion");
  if (doc.schemaVersion !== JSON_SCHEMA_VERSION) {
    throw new SigcheckError("REPORT_INVALID", `${file} has report schemaVersion ${doc.schemaVersion}; this release-sigcheck reads schemaVersion ${JSON_SCHEMA_VERSION}. Write the report again with this version (or compare with a report of the same version)`);
  }
  if (!Array.isArray(doc.nodes)) invalid(file, 'it has no "nodes" array');
  doc.nodes.forEach((n2, i) => {
    const at = `nodes[${i}]`;
    if (!isObject(n2)) invalid(file, `${at} is not an object`);
    if (typeof n2.version !== "string" || n2.version === "") invalid(file, `${at}.version is not a string`);
    if (typeof n2.arch !== "string" || n2.arch === "") invalid(file, `${at}.arch is not a string`);
    if (n2.digest !== null && typeof n2.digest !== "string") invalid(file, `${at}.digest is neither a string nor null`);
    if (n2.status !== void 0 && !STATUSES.includes(n2.status)) invalid(file, `${at}.status is not one of ${STATUSES.join(", ")}`);
    if (!Array.isArray(n2.places) || !n2.places.every((p) => isObject(p) && typeof p.file === "string" && typeof p.line === "number" && typeof p.channel === "string")) {
      invalid(file, `${at}.places is not a list of { file, line, channel }`);
    }
    for (const check of ["openpgp", "sigstore"]) {
      const c = n2[check];
      if (!isObject(c) || !OUTCOMES.includes(c.outcome)) invalid(file, `${at}.${check}.outcome is not one of ${OUTCOMES.join(", ")}`);
      if (typeof c.reason !== "string") invalid(file, `${at}.${check}.reason is not a string`);
    }
    if (n2.edges !== void 0) {
      if (!Array.isArray(n2.edges)) invalid(file, `${at}.edges is not an array`);
      n2.edges.forEach((e, j) => {
        if (!isObject(e) || !OUTCOMES.includes(e.outcome) || typeof e.reason !== "string" || e.from !== null && typeof e.from !== "string") invalid(file, `${at}.edges[${j}] is not a { from, outcome, reason } edge`);
      });
    }
  });
  const findings = doc.findings ?? [];
  if (!Array.isArray(findings)) invalid(file, '"findings" is not an array');
  findings.forEach((f, i) => {
    if (!isObject(f) || f.severity !== "error" && f.severity !== "warning" || typeof f.code !== "string" || typeof f.message !== "string") invalid(file, `findings[${i}] is not a { severity, code, message } finding`);
  });
  if (doc.unpublished !== void 0 && !Array.isArray(doc.unpublished)) invalid(file, '"unpublished" is not an array');
  return { ...doc, findings, unpublished: doc.unpublished ?? [] };
}
async function readReportFile(file, what = "report") {
  const bytes = await readRegularFile(file, { what, maxBytes: REPORT_MAX_BYTES });
  let doc;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new SigcheckError("REPORT_INVALID", `${what} ${file} is not valid JSON (${err.message}); ${HINT}`, { cause: err });
  }
  return validateReport(doc, file);
}
async function loadPreviousReport(file, options = {}) {
  let report;
  try {
    report = await readReportFile(file, "previous report");
  } catch (err) {
    if (isSigcheckError(err, "FILE_UNREADABLE") && err.cause?.code === "ENOENT") {
      options.log?.(`warning: no previous report at ${file} (a first run, or the cache or artifact was not restored): every failure counts as new`);
      return emptyPrevious(file);
    }
    throw err;
  }
  return indexReport(report, file);
}

// src/report/outputs.ts
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";

// src/report/html.ts
import { createHash } from "node:crypto";

// src/report/html-page.ts
var PAGE_CSS = String.raw`
:root { --passed: #2e7d32; --failed: #c62828; --error: #ef8f00; --skipped: #9e9e9e; --unpublished: #e0e0e0; --ink: #1f2328; --muted: #59636e; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header, #changes, #controls, #findings { padding: 12px 20px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 10px 0 4px; }
.muted { color: var(--muted); }
.verdict-passed { color: var(--passed); } .verdict-failed { color: var(--failed); } .verdict-error { color: var(--error); }
#counts { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0 0; }
#counts div { min-width: 90px; }
#counts b { display: block; font-size: 18px; }
table.checks { border-collapse: collapse; margin-top: 8px; }
table.checks th, table.checks td { border: 1px solid var(--line); padding: 2px 8px; text-align: right; }
table.checks th:first-child { text-align: left; }
#changes ul { margin: 2px 0 6px; padding-left: 18px; }
#changes li { margin: 1px 0; }
button.link { background: none; border: 0; padding: 0; color: #0969da; cursor: pointer; font: inherit; text-decoration: underline; }
#controls { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; position: sticky; top: 0; background: #fff; z-index: 2; }
#controls label { display: flex; gap: 6px; align-items: center; }
.legend { display: flex; gap: 10px; flex-wrap: wrap; }
.legend span { display: inline-flex; align-items: center; gap: 4px; }
#grid { padding: 8px 20px 40px; }
.row { display: flex; gap: 10px; padding: 4px 0; border-bottom: 1px solid #eef0f2; content-visibility: auto; contain-intrinsic-size: auto 40px; }
.row > .name { flex: 0 0 150px; font-weight: 600; overflow-wrap: anywhere; }
.row > .versions { display: flex; flex-wrap: wrap; gap: 3px 6px; }
.v { display: inline-flex; flex-direction: column; align-items: flex-start; }
.v > i { font-style: normal; font-size: 10px; color: var(--muted); line-height: 12px; white-space: nowrap; }
.v > span { display: flex; gap: 1px; }
.c, .sw { width: 11px; height: 11px; border-radius: 2px; display: inline-block; }
.c { cursor: pointer; }
.c:hover, .c:focus { outline: 2px solid var(--ink); outline-offset: 0; }
.o-passed { background: var(--passed); } .o-failed { background: var(--failed); } .o-error { background: var(--error); }
.o-skipped { background: var(--skipped); } .o-unpublished { background: var(--unpublished); border: 1px dashed #9e9e9e; }
.c.changed { box-shadow: 0 0 0 2px #0969da; }
[hidden] { display: none !important; }
#details { position: fixed; top: 0; right: 0; width: min(560px, 100%); height: 100%; overflow: auto; background: #fff; border-left: 1px solid var(--line); box-shadow: -4px 0 16px rgba(0,0,0,.12); padding: 16px 20px; z-index: 5; }
#details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
#details dt { color: var(--muted); }
#details dd { margin: 0; overflow-wrap: anywhere; }
#details code, #details .reason, #details div, #details li { overflow-wrap: anywhere; }
#details .reason { white-space: pre-wrap; background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px; padding: 4px 6px; margin: 4px 0; }
#details .close { position: absolute; top: 10px; right: 14px; }
#findings ul { margin: 4px 0; padding-left: 18px; }
.fatal { color: var(--failed); padding: 20px; }
`;
var PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var t0 = performance.now();
  var OUTCOMES = ['verified', 'missing', 'invalid', 'error', 'skipped'];
  var STATUSES = ['passed', 'failed', 'error'];
  var CELL_OUTCOMES = ['passed', 'failed', 'error', 'skipped', 'unpublished'];
  var CHECK_LABEL = { openpgp: 'OpenPGP', sigstore: 'Sigstore', edges: 'Update edges' };
  var CHANGE_KINDS = [
    ['newlyFailing', 'newly failing'],
    ['newlyPassing', 'newly passing'],
    ['newlyErrored', 'newly unchecked (errors)'],
    ['digestChanged', 'digest changed under the same tag'],
    ['signaturesDisappeared', 'signatures disappeared']
  ];
  var CHANGES_SHOWN = 200;
  // version + NUL + arch -> the kinds of change of that node (labels)
  var changedKind = Object.create(null);

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }

  function decode(raw) {
    var S = raw.strings;
    function s(i) { return i >= 0 ? S[i] : null; }
    function check(c) { return { outcome: OUTCOMES[c[0]], reason: s(c[1]), signer: s(c[2]), identity: s(c[3]) }; }
    var places = raw.places.map(function (list) {
      return list.map(function (p) { return { file: s(p[0]), line: p[1], channel: s(p[2]) }; });
    });
    var items = [];
    var placesOfVersion = Object.create(null);
    raw.nodes.forEach(function (n) {
      var item = { version: s(n[0]), arch: s(n[1]), digest: s(n[2]), tag: s(n[3]), status: STATUSES[n[4]], openpgp: check(n[5]), sigstore: check(n[6]), places: places[n[7]] };
      if (n[8]) item.edges = n[8].map(function (e) { return { from: s(e[0]), outcome: OUTCOMES[e[1]], reason: s(e[2]), digest: s(e[3]) }; });
      placesOfVersion[item.version] = item.places;
      items.push(item);
    });
    raw.unpublished.forEach(function (u) {
      var version = s(u[0]);
      items.push({ version: version, arch: s(u[1]), tag: s(u[2]), unpublished: true, places: placesOfVersion[version] || [] });
    });
    var findings = raw.findings.map(function (f) { return { severity: s(f[0]), code: s(f[1]), message: s(f[2]), file: s(f[3]), line: f[4] }; });
    return { meta: raw.meta, items: items, findings: findings, changes: raw.changes };
  }

  // The worst outcome of a node's update edges, as the tool decides it (a failing edge fails the node).
  function edgesOutcome(edges) {
    var worst = ['invalid', 'missing', 'error', 'verified'];
    for (var i = 0; i < worst.length; i++) {
      for (var j = 0; j < edges.length; j++) if (edges[j].outcome === worst[i]) return worst[i];
    }
    return 'skipped';
  }
  var EDGES_SHOWN = 50;

  function cellOutcome(item, check) {
    if (item.unpublished) return 'unpublished';
    if (check === 'all') {
      if (item.status === 'passed' && item.openpgp.outcome === 'skipped' && item.sigstore.outcome === 'skipped') return 'skipped';
      return item.status;
    }
    var o = item[check].outcome;
    return o === 'verified' ? 'passed' : o === 'missing' || o === 'invalid' ? 'failed' : o;
  }

  function minorOf(version) {
    var m = /^(\d+)\.(\d+)/.exec(version);
    return m ? m[1] + '.' + m[2] : '';
  }
  function compareMinor(a, b) {
    var pa = a.split('.').map(Number), pb = b.split('.').map(Number);
    return (pb[0] - pa[0]) || (pb[1] - pa[1]);
  }
  var KIND_ORDER = ['candidate', 'fast', 'stable', 'eus', 'prerelease'];
  function channelOrder(a, b) {
    var ma = /^([a-z]+)-(\d+)\.(\d+)$/.exec(a), mb = /^([a-z]+)-(\d+)\.(\d+)$/.exec(b);
    if (ma && !mb) return -1;
    if (mb && !ma) return 1;
    if (ma && mb) {
      var d = (Number(mb[2]) - Number(ma[2])) || (Number(mb[3]) - Number(ma[3]));
      if (d) return d;
      var ka = KIND_ORDER.indexOf(ma[1]), kb = KIND_ORDER.indexOf(mb[1]);
      if (ka !== kb) return (ka < 0 ? 99 : ka) - (kb < 0 ? 99 : kb);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function render(data) {
    var meta = data.meta;
    var items = data.items;
    var changes = data.changes;
    var body = document.body;
    if (changes) {
      CHANGE_KINDS.forEach(function (k) {
        (changes[k[0]] || []).forEach(function (c) {
          var key = c.version + '\u0000' + c.arch;
          (changedKind[key] = changedKind[key] || []).push(k[1]);
        });
      });
    }
    var itemByKey = Object.create(null);
    items.forEach(function (item, i) { if (!item.unpublished) itemByKey[item.version + '\u0000' + item.arch] = i; });

    // Header: the run and its counts, counted here from the nodes themselves.
    var header = add(body, el('header'));
    add(header, el('h1', null, 'release-sigcheck report'));
    var verdict = meta.status === 'passed' ? 'passed' : meta.status === 'failed' ? 'failed' : 'incomplete (errors)';
    var line = add(header, el('p'));
    add(line, el('b', 'verdict-' + meta.status, verdict));
    line.appendChild(document.createTextNode(' (exit code ' + meta.exitCode + '), ' + meta.mode + ' of ' + (meta.mirror ? meta.mirror + ' (identities of ' + meta.releaseRepo + ')' : meta.releaseRepo) + '; required: ' + (meta.require.join(', ') || 'none') + (meta.graphData ? '; graph-data ' + meta.graphData : '') + '; ' + (meta.durationMs / 1000).toFixed(1) + ' s'));
    var counts = { nodes: 0, passed: 0, failed: 0, errored: 0, unpublished: 0, findings: data.findings.length };
    var byCheck = { openpgp: {}, sigstore: {}, edges: {} };
    OUTCOMES.forEach(function (o) { byCheck.openpgp[o] = 0; byCheck.sigstore[o] = 0; byCheck.edges[o] = 0; });
    var anyEdges = false;
    items.forEach(function (item) {
      if (item.unpublished) { counts.unpublished++; return; }
      counts.nodes++;
      if (item.status === 'passed') counts.passed++; else if (item.status === 'failed') counts.failed++; else counts.errored++;
      byCheck.openpgp[item.openpgp.outcome]++;
      byCheck.sigstore[item.sigstore.outcome]++;
      if (item.edges) {
        anyEdges = true;
        item.edges.forEach(function (e) { byCheck.edges[e.outcome]++; });
      }
    });
    var countsBox = add(header, el('div'));
    countsBox.id = 'counts';
    [['nodes', 'nodes'], ['passed', 'passed'], ['failed', 'failed'], ['errored', 'could not be checked'], ['unpublished', 'not published'], ['findings', 'findings']].forEach(function (c) {
      var d = add(countsBox, el('div'));
      var b = add(d, el('b', null, counts[c[0]]));
      b.setAttribute('data-count', c[0]);
      d.appendChild(document.createTextNode(c[1]));
    });
    var table = add(header, el('table', 'checks'));
    var tr = add(table, el('tr'));
    add(tr, el('th', null, 'check'));
    OUTCOMES.forEach(function (o) { add(tr, el('th', null, o)); });
    (anyEdges ? ['openpgp', 'sigstore', 'edges'] : ['openpgp', 'sigstore']).forEach(function (check) {
      var r = add(table, el('tr'));
      add(r, el('th', null, CHECK_LABEL[check]));
      OUTCOMES.forEach(function (o) {
        var td = add(r, el('td', null, byCheck[check][o]));
        td.setAttribute('data-count', check + '.' + o);
      });
    });

    // What changed: first, because it is what a periodic audit is read for.
    if (changes) renderChanges(body, changes, items, itemByKey, meta);

    // Filters.
    var controls = add(body, el('form'));
    controls.id = 'controls';
    controls.addEventListener('submit', function (e) { e.preventDefault(); });
    function select(name, label, options) {
      var l = add(controls, el('label', null, label + ' '));
      var s = add(l, el('select'));
      s.name = name;
      s.id = 'filter-' + name;
      options.forEach(function (o) {
        var opt = add(s, el('option', null, o[1]));
        opt.value = o[0];
      });
      s.addEventListener('change', applyFilters);
      return s;
    }

    // The grid: one row per channel, in it one group per version, in it one cell per architecture.
    var rows = Object.create(null);
    items.forEach(function (item, i) {
      var seen = Object.create(null);
      var places = item.places.length > 0 ? item.places : [{ channel: '(in no channel)' }];
      places.forEach(function (p) {
        if (seen[p.channel]) return;
        seen[p.channel] = true;
        var row = rows[p.channel] || (rows[p.channel] = { versions: [], byVersion: Object.create(null) });
        var group = row.byVersion[item.version];
        if (!group) { group = row.byVersion[item.version] = { version: item.version, cells: [] }; row.versions.push(group); }
        group.cells.push(i);
      });
    });
    var archRank = function (i) { var r = meta.arches.indexOf(items[i].arch); return r < 0 ? 99 : r; };
    Object.keys(rows).forEach(function (ch) { rows[ch].versions.forEach(function (g) { g.cells.sort(function (a, b) { return archRank(a) - archRank(b); }); }); });
    var channels = Object.keys(rows).sort(channelOrder);
    var minors = Object.keys(items.reduce(function (acc, item) { acc[minorOf(item.version)] = true; return acc; }, Object.create(null))).filter(Boolean).sort(compareMinor);
    var fChannel = select('channel', 'Channel', [['', 'all channels']].concat(channels.map(function (c) { return [c, c]; })));
    var fMinor = select('minor', 'Minor', [['', 'all versions']].concat(minors.map(function (m) { return [m, m]; })));
    var fCheck = select('check', 'Check', [['all', 'all required checks'], ['openpgp', 'OpenPGP'], ['sigstore', 'Sigstore']]);
    var fOutcome = select('outcome', 'Outcome', [['', 'any outcome']].concat(CELL_OUTCOMES.map(function (o) { return [o, o === 'skipped' ? 'skipped / not required' : o === 'unpublished' ? 'not published' : o]; })));
    var legend = add(controls, el('div', 'legend'));
    CELL_OUTCOMES.forEach(function (o) {
      var sp = add(legend, el('span'));
      add(sp, el('span', 'sw o-' + o));
      sp.appendChild(document.createTextNode(o === 'skipped' ? 'skipped / not required' : o === 'unpublished' ? 'not published' : o));
    });
    add(controls, el('span', 'muted', 'cells of a version: ' + meta.arches.join(', ')));
    var shown = add(controls, el('span', 'muted'));
    shown.id = 'shown';

    var grid = add(body, el('main'));
    grid.id = 'grid';
    var cellEls = [];
    var groupEls = [];
    var rowEls = [];
    channels.forEach(function (channel) {
      var row = rows[channel];
      var rowEl = add(grid, el('section', 'row'));
      rowEl.setAttribute('data-channel', channel);
      add(rowEl, el('div', 'name', channel));
      var versions = add(rowEl, el('div', 'versions'));
      var groups = [];
      row.versions.forEach(function (g) {
        var gEl = add(versions, el('span', 'v'));
        gEl.setAttribute('data-version', g.version);
        add(gEl, el('i', null, g.version));
        var cellsEl = add(gEl, el('span'));
        var cells = [];
        g.cells.forEach(function (i) {
          var item = items[i];
          var c = add(cellsEl, el('span', 'c'));
          c.setAttribute('data-i', String(i));
          c.setAttribute('data-arch', item.arch);
          c.tabIndex = 0;
          if (changedKind[item.version + '\u0000' + item.arch]) c.classList.add('changed');
          var rec = { el: c, item: item, outcome: '' };
          cells.push(rec);
          cellEls.push(rec);
        });
        var grec = { el: gEl, minor: minorOf(g.version), cells: cells };
        groups.push(grec);
        groupEls.push(grec);
      });
      rowEls.push({ el: rowEl, channel: channel, groups: groups });
    });

    function applyFilters() {
      var check = fCheck.value, outcome = fOutcome.value, channel = fChannel.value, minor = fMinor.value;
      var visible = 0;
      rowEls.forEach(function (r) {
        var rowVisible = false;
        var channelOk = !channel || r.channel === channel;
        r.groups.forEach(function (g) {
          var groupVisible = false;
          var groupOk = channelOk && (!minor || g.minor === minor);
          g.cells.forEach(function (c) {
            var o = cellOutcome(c.item, check);
            if (o !== c.outcome) {
              if (c.outcome) c.el.classList.remove('o-' + c.outcome);
              c.el.classList.add('o-' + o);
              c.outcome = o;
              c.el.title = c.item.version + ' ' + c.item.arch + ': ' + (o === 'unpublished' ? 'not published' : o);
              c.el.setAttribute('data-outcome', o);
            }
            var show = groupOk && (!outcome || o === outcome);
            c.el.hidden = !show;
            if (show) { groupVisible = true; visible++; }
          });
          g.el.hidden = !groupVisible;
          if (groupVisible) rowVisible = true;
        });
        r.el.hidden = !rowVisible;
      });
      shown.textContent = 'showing ' + visible + ' of ' + cellEls.length + ' cells';
      shown.setAttribute('data-visible', String(visible));
    }
    applyFilters();

    grid.addEventListener('click', function (e) {
      var t = e.target;
      if (t && t.classList && t.classList.contains('c') && t.hasAttribute('data-i')) openDetails(items[Number(t.getAttribute('data-i'))], meta);
    });
    grid.addEventListener('keydown', function (e) {
      var t = e.target;
      if ((e.key === 'Enter' || e.key === ' ') && t && t.hasAttribute && t.hasAttribute('data-i')) { e.preventDefault(); openDetails(items[Number(t.getAttribute('data-i'))], meta); }
    });
    document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeDetails(); });

    if (data.findings.length > 0) {
      var fs = add(body, el('section'));
      fs.id = 'findings';
      add(fs, el('h2', null, 'Findings (' + data.findings.length + ')'));
      var ul = add(fs, el('ul'));
      data.findings.forEach(function (f) {
        add(ul, el('li', null, f.severity + ' ' + (f.file ? meta.pathPrefix + f.file + (f.line ? ':' + f.line : '') + ': ' : '') + f.message + ' [' + f.code + ']'));
      });
    }
  }

  function renderChanges(body, changes, items, itemByKey, meta) {
    var box = add(body, el('section'));
    box.id = 'changes';
    var p = changes.previous;
    add(box, el('h2', null, 'What changed since the previous run'));
    var intro = p.found
      ? 'Compared with ' + p.file + ' (' + p.nodes + ' nodes' + (p.status ? ', ' + p.status : '') + '): ' + changes.compared + ' nodes compared, ' + changes.added + ' not in it, ' + changes.knownFailures + ' failing as before.'
      : 'No previous report at ' + p.file + ': every failure counts as new.';
    add(box, el('p', null, intro));
    if (changes.failOn === 'new') {
      var fresh = changes.newlyFailing.length + changes.newFindings.length;
      add(box, el('p', null, '--fail-on new: ' + (fresh > 0 ? fresh + ' new failure(s) fail this run' : 'no new failure') + '; ' + changes.knownFailures + ' failure(s) known from the previous report do not fail this run.'));
    }
    var any = false;
    CHANGE_KINDS.forEach(function (k) {
      var list = changes[k[0]] || [];
      if (list.length === 0) return;
      any = true;
      var h = add(box, el('h3', null, k[1] + ' (' + list.length + ')'));
      h.setAttribute('data-change', k[0]);
      var ul = add(box, el('ul'));
      ul.setAttribute('data-change', k[0]);
      list.slice(0, CHANGES_SHOWN).forEach(function (c) {
        var li = add(ul, el('li'));
        var i = itemByKey[c.version + '\u0000' + c.arch];
        var b = add(li, el('button', 'link', c.version + ' ' + c.arch));
        b.type = 'button';
        if (i === undefined) b.disabled = true;
        else b.addEventListener('click', function () { openDetails(items[i], meta); });
        var text;
        if (k[0] === 'digestChanged') text = ': ' + (c.previous && c.previous.digest) + ' \u2192 ' + c.current.digest;
        else if (k[0] === 'signaturesDisappeared') text = ': ' + (c.checks || []).map(function (x) { return CHECK_LABEL[x]; }).join(' and ') + ' verified before, missing now';
        else text = ' (' + (c.previous ? 'was ' + c.previous.status : 'not in the previous report') + ')' + (c.reason ? ': ' + c.reason : '');
        li.appendChild(document.createTextNode(text));
      });
      if (list.length > CHANGES_SHOWN) add(ul, el('li', 'muted', '\u2026 and ' + (list.length - CHANGES_SHOWN) + ' more in the JSON report'));
    });
    if (changes.newFindings.length > 0) {
      any = true;
      add(box, el('h3', null, 'new error findings (' + changes.newFindings.length + ')'));
      var ul = add(box, el('ul'));
      changes.newFindings.forEach(function (f) { add(ul, el('li', null, (f.file ? meta.pathPrefix + f.file + (f.line ? ':' + f.line : '') + ': ' : '') + f.message + ' [' + f.code + ']')); });
    }
    if (!any && p.found) add(box, el('p', null, 'Nothing changed.'));
  }

  var panel = null;
  function closeDetails() { if (panel) panel.hidden = true; }
  function openDetails(item, meta) {
    if (!panel) {
      panel = add(document.body, el('aside'));
      panel.id = 'details';
      panel.setAttribute('role', 'dialog');
      panel.setAttribute('aria-label', 'node details');
    }
    panel.textContent = '';
    panel.hidden = false;
    var close = add(panel, el('button', 'close', 'close'));
    close.type = 'button';
    close.addEventListener('click', closeDetails);
    add(panel, el('h2', null, item.version + ' ' + item.arch));
    var dl = add(panel, el('dl'));
    function row(k, v) { add(dl, el('dt', null, k)); var dd = add(dl, el('dd', null, v)); return dd; }
    if (item.unpublished) {
      row('status', 'not published');
      row('tag', item.tag + ' does not exist (not a failure)');
    } else {
      row('status', item.status).setAttribute('data-field', 'status');
      if (item.tag) row('tag', item.tag);
      row('digest', item.digest || '(not resolved)').setAttribute('data-field', 'digest');
    }
    var kinds = changedKind[item.version + '\u0000' + item.arch];
    if (kinds) row('changed', kinds.join(', '));
    if (!item.unpublished) {
      ['openpgp', 'sigstore'].forEach(function (check) {
        var r = item[check];
        var h = add(panel, el('h3', null, CHECK_LABEL[check] + ': ' + r.outcome));
        h.setAttribute('data-check', check);
        var reason = add(panel, el('div', 'reason', r.reason || ''));
        reason.setAttribute('data-reason', check);
        if (r.signer) add(panel, el('div', 'muted', 'signer: ' + r.signer));
        if (r.identity) add(panel, el('div', 'muted', 'identity: ' + r.identity));
      });
      if (item.edges) renderEdges(item.edges);
    }
    // The update edges into the node: those that fail or could not be judged first, each with its reason.
    function renderEdges(edges) {
      var h = add(panel, el('h3', null, 'Update edges: ' + edgesOutcome(edges) + ' (' + edges.length + ')'));
      h.setAttribute('data-check', 'edges');
      if (edges.length === 0) { add(panel, el('div', 'muted', 'no update edge leads into this release in this run')); return; }
      var bad = edges.filter(function (e) { return e.outcome !== 'verified' && e.outcome !== 'skipped'; });
      var rest = edges.filter(function (e) { return e.outcome === 'verified' || e.outcome === 'skipped'; });
      var list = add(panel, el('ul'));
      list.setAttribute('data-field', 'edges');
      bad.concat(rest).slice(0, EDGES_SHOWN).forEach(function (e) {
        var li = add(list, el('li', null, (e.from === null ? '(the edges could not be determined)' : 'from ' + e.from) + ': ' + e.outcome + (e.digest ? ' (' + e.digest + ')' : '')));
        li.setAttribute('data-edge-outcome', e.outcome);
        if (e.outcome !== 'verified') add(li, el('div', 'reason', e.reason || '')).setAttribute('data-reason', 'edge');
      });
      if (edges.length > EDGES_SHOWN) add(list, el('li', 'muted', '\u2026 and ' + (edges.length - EDGES_SHOWN) + ' more in the JSON report'));
    }
    add(panel, el('h3', null, 'Where graph-data promotes it'));
    var ul = add(panel, el('ul'));
    ul.setAttribute('data-field', 'places');
    if (item.places.length === 0) add(ul, el('li', 'muted', 'in no channel file'));
    item.places.forEach(function (p) { add(ul, el('li', null, meta.pathPrefix + p.file + ':' + p.line + ' (' + p.channel + ')')); });
    close.focus();
  }

  try {
    var raw = JSON.parse(document.getElementById('report-data').textContent);
    if (!raw || raw.format !== 1) throw new Error('this page was written by another version of release-sigcheck');
    render(decode(raw));
    document.documentElement.setAttribute('data-render-ms', String(Math.round(performance.now() - t0)));
    document.documentElement.setAttribute('data-ready', 'true');
  } catch (err) {
    var box = document.body.appendChild(el('p', 'fatal', 'The report could not be drawn: ' + (err && err.message ? err.message : String(err))));
    box.id = 'fatal';
    console.error(err);
  }
})();
`;

// src/report/html.ts
var STRING_MAX = 2e3;
var STATUSES2 = ["passed", "failed", "error"];
function embedJson(value) {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
function cspHash(text) {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}
function renderHtmlPage(data) {
  const csp = [`default-src 'none'`, `style-src ${cspHash(PAGE_CSS)}`, `script-src ${cspHash(PAGE_SCRIPT)}`, `img-src 'none'`, `base-uri 'none'`, `form-action 'none'`].join("; ");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    "<title>release-sigcheck report</title>",
    `<style>${PAGE_CSS}</style>`,
    "</head>",
    "<body>",
    "<noscript>This report is drawn by its inline script; the same data is in the JSON report.</noscript>",
    `<script type="application/json" id="report-data">${embedJson(data)}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    "</body>",
    "</html>",
    ""
  ].join("\n");
}
function cut(text) {
  return text.length > STRING_MAX ? `${text.slice(0, STRING_MAX)}\u2026 (cut: ${text.length} characters)` : text;
}
var HtmlReporter = class {
  out;
  closeAtEnd;
  info;
  strings = [];
  stringIndex = /* @__PURE__ */ new Map();
  placeLists = [];
  placeIndex = /* @__PURE__ */ new Map();
  nodes = [];
  unpublishedNodes = [];
  findings = [];
  constructor(out, options = {}) {
    this.out = out;
    this.closeAtEnd = options.close ?? false;
  }
  s(text) {
    if (text === void 0 || text === null) return -1;
    const value = cut(text);
    let i = this.stringIndex.get(value);
    if (i === void 0) {
      i = this.strings.length;
      this.strings.push(value);
      this.stringIndex.set(value, i);
    }
    return i;
  }
  /** The arches of a name share one list of places; keyed by content so equal lists are stored once. */
  places(places) {
    const list = places.map((p) => [this.s(p.file), p.line, this.s(p.channel)]);
    const key = list.map((p) => p.join(",")).join(";");
    let i = this.placeIndex.get(key);
    if (i === void 0) {
      i = this.placeLists.length;
      this.placeLists.push(list);
      this.placeIndex.set(key, i);
    }
    return i;
  }
  check(r) {
    return [OUTCOMES.indexOf(r.outcome), this.s(r.reason), this.s(r.signer), this.s(r.identity)];
  }
  begin(info) {
    this.info = info;
  }
  node(r) {
    const node = [this.s(r.version), this.s(r.arch), this.s(r.digest), this.s(r.tag), STATUSES2.indexOf(nodeStatus(r)), this.check(r.openpgp), this.check(r.sigstore), this.places(r.places)];
    if (r.edges) node.push(r.edges.map((e) => [this.s(e.from), OUTCOMES.indexOf(e.outcome), this.s(e.reason), this.s(e.digest)]));
    this.nodes.push(node);
  }
  unpublished(u) {
    this.unpublishedNodes.push([this.s(u.version), this.s(u.arch), this.s(u.tag)]);
  }
  finding(f) {
    this.findings.push([this.s(f.severity), this.s(f.code), this.s(f.message), this.s(f.file), f.line ?? 0]);
  }
  /** Graph order (SemVer, then the run's architecture order) whatever order results arrived in. */
  sortByNode(list) {
    const arches = this.info?.arches ?? [];
    const parsed = /* @__PURE__ */ new Map();
    const release = (i) => {
      let p = parsed.get(i);
      if (!p) parsed.set(i, p = parseReleaseName(this.strings[i]));
      return p;
    };
    list.sort((a, b) => {
      const pa = release(a[0]);
      const pb = release(b[0]);
      const byName = pa.ok && pb.ok ? compareReleaseNames(pa.release, pb.release) : this.strings[a[0]] < this.strings[b[0]] ? -1 : this.strings[a[0]] > this.strings[b[0]] ? 1 : 0;
      return byName || arches.indexOf(this.strings[a[1]]) - arches.indexOf(this.strings[b[1]]);
    });
  }
  /** The page's data; exported for tests and the size measurement. */
  pageData(summary) {
    this.sortByNode(this.nodes);
    this.sortByNode(this.unpublishedNodes);
    const info = this.info;
    return {
      format: 1,
      meta: {
        tool: `${TOOL.name} ${TOOL.version}`,
        mode: info?.mode ?? "",
        releaseRepo: info?.releaseRepo ?? "",
        ...info?.mirror ? { mirror: info.mirror } : {},
        ...info?.graphData ? { graphData: info.graphData } : {},
        pathPrefix: info?.pathPrefix ?? "",
        require: info?.require ?? [],
        arches: info?.arches ?? [],
        status: summary.status,
        exitCode: summary.exitCode,
        counts: summary.counts,
        durationMs: summary.durationMs,
        ...summary.retries !== void 0 ? { retries: summary.retries } : {}
      },
      strings: this.strings,
      places: this.placeLists,
      nodes: this.nodes,
      unpublished: this.unpublishedNodes,
      findings: this.findings,
      changes: summary.changes ?? null
    };
  }
  async end(summary) {
    const page = renderHtmlPage(this.pageData(summary));
    await new Promise((resolve, reject) => this.out.write(page, (err) => err ? reject(err) : resolve()));
    if (this.closeAtEnd) await new Promise((resolve, reject) => this.out.end((err) => err ? reject(err) : resolve()));
  }
};

// src/report/junit.ts
var SUITES = [...CHECK_NAMES, "metadata"];
function escapeXml(text) {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
var JunitReporter = class {
  out;
  close;
  info;
  suites = {
    openpgp: { cases: [], failures: 0, errors: 0, skipped: 0 },
    sigstore: { cases: [], failures: 0, errors: 0, skipped: 0 },
    components: { cases: [], failures: 0, errors: 0, skipped: 0 },
    metadata: { cases: [], failures: 0, errors: 0, skipped: 0 }
  };
  /** Written only when at least one node carried update edges (the edge check ran). */
  edges = { cases: [], failures: 0, errors: 0, skipped: 0 };
  edgesRan = false;
  findings = [];
  constructor(out, options = {}) {
    this.out = out;
    this.close = options.close ?? false;
  }
  begin(info) {
    this.info = info;
  }
  node(r) {
    for (const check of SUITES) {
      const suite = this.suites[check];
      const c = r[check];
      const prefix = this.info?.pathPrefix ?? "";
      const name = escapeXml(`${untrusted(r.version)} ${r.arch}`);
      const where = r.places.map((p) => `${untrusted(prefix + p.file, 300)}:${p.line} (${untrusted(p.channel)})`).join(", ");
      const attempts = "attempts" in c ? c.attempts ?? [] : [];
      const failingComponents = check === "components" ? componentLines(r, 200).map((l) => untrusted(l, MAX_REASON_CHARS)) : [];
      const detail = escapeXml(
        [
          `digest: ${untrusted(r.digest ?? "-", 80)}`,
          `source: ${untrusted(("source" in c ? c.source : void 0) ?? "-", 300)}`,
          ...where ? [`promoted at: ${where}`] : [],
          ...failingComponents,
          ...attempts.slice(0, 20).map((a) => `${untrusted(a.source, 300)}: ${a.outcome}: ${untrusted(a.reason, MAX_REASON_CHARS)}`)
        ].join("\n")
      );
      const reason = untrusted(c.reason, MAX_REASON_CHARS);
      const label = check === "metadata" ? METADATA_LABEL : CHECK_LABEL[check];
      const open = `    <testcase classname="release-sigcheck.${check}" name="${name}"${r.places[0] ? ` file="${escapeXml(untrusted(prefix + r.places[0].file, 300))}" line="${r.places[0].line}"` : ""}>`;
      let body = "";
      if (c.outcome === "missing" || c.outcome === "invalid") {
        suite.failures++;
        body = `
      <failure type="${c.outcome}" message="${escapeXml(`${label} ${c.outcome}: ${reason}`)}">${detail}</failure>
    `;
      } else if (c.outcome === "error") {
        suite.errors++;
        body = `
      <error type="error" message="${escapeXml(`${label} could not be checked: ${reason}`)}">${detail}</error>
    `;
      } else if (c.outcome === "skipped") {
        suite.skipped++;
        body = `
      <skipped message="${escapeXml(reason)}"/>
    `;
      }
      suite.cases.push(`${open}${body}</testcase>`);
    }
    this.edgeCase(r);
  }
  /** The node's update edges as one test case: failure or error by the worst edge, each failing edge in the detail. */
  edgeCase(r) {
    const suite = this.edges;
    const prefix = this.info?.pathPrefix ?? "";
    const name = escapeXml(`${untrusted(r.version)} ${r.arch}`);
    const open = `    <testcase classname="release-sigcheck.edges" name="${name}"${r.places[0] ? ` file="${escapeXml(untrusted(prefix + r.places[0].file, 300))}" line="${r.places[0].line}"` : ""}>`;
    if (!r.edges) {
      suite.skipped++;
      suite.cases.push(`${open}
      <skipped message="no update-edge check ran for this release"/>
    </testcase>`);
      return;
    }
    this.edgesRan = true;
    const outcome = edgesOutcome(r.edges);
    let body = "";
    if (outcome === "missing" || outcome === "invalid" || outcome === "error") {
      const lines = edgeLines(r, 200);
      const where = r.places.map((p) => `${untrusted(prefix + p.file, 300)}:${p.line} (${untrusted(p.channel)})`).join(", ");
      const detail = escapeXml([`digest: ${untrusted(r.digest ?? "-", 80)}`, ...where ? [`promoted at: ${where}`] : [], ...lines].join("\n"));
      const first = lines[0] ?? "";
      const more = unsettledEdges(r).length - 1;
      const message = escapeXml(`${EDGES_LABEL} ${outcome}: ${first}${more > 0 ? ` (and ${more} more)` : ""}`);
      if (outcome === "error") {
        suite.errors++;
        body = `
      <error type="error" message="${message}">${detail}</error>
    `;
      } else {
        suite.failures++;
        body = `
      <failure type="${outcome}" message="${message}">${detail}</failure>
    `;
      }
    } else if (outcome === "skipped") {
      suite.skipped++;
      const reason = r.edges.length === 0 ? describeEdges(r) ?? "" : untrusted(r.edges[0].reason, MAX_REASON_CHARS);
      body = `
      <skipped message="${escapeXml(reason)}"/>
    `;
    }
    suite.cases.push(`${open}${body}</testcase>`);
  }
  finding(f) {
    this.findings.push(f);
  }
  async end(summary) {
    const seconds = (summary.durationMs / 1e3).toFixed(3);
    const parts = ['<?xml version="1.0" encoding="UTF-8"?>'];
    const suites = SUITES.map((c) => [c, this.suites[c]]);
    if (this.edgesRan) suites.push(["edges", this.edges]);
    const total = suites.reduce((n2, [, s]) => n2 + s.cases.length, 0) + this.findings.length;
    const failures = suites.reduce((n2, [, s]) => n2 + s.failures, 0) + this.findings.filter((f) => f.severity === "error").length;
    const errors = suites.reduce((n2, [, s]) => n2 + s.errors, 0);
    parts.push(`<testsuites name="release-sigcheck" tests="${total}" failures="${failures}" errors="${errors}" time="${seconds}">`);
    for (const [check, s] of suites) {
      parts.push(`  <testsuite name="${check}" tests="${s.cases.length}" failures="${s.failures}" errors="${s.errors}" skipped="${s.skipped}" time="${seconds}">`);
      parts.push(...s.cases);
      parts.push("  </testsuite>");
    }
    const errorsInGraph = this.findings.filter((f) => f.severity === "error").length;
    parts.push(`  <testsuite name="graph-data" tests="${this.findings.length}" failures="${errorsInGraph}" errors="0" skipped="0" time="0">`);
    for (const f of this.findings) {
      const file = f.file ? untrusted((this.info?.pathPrefix ?? "") + f.file, 300) : "";
      const where = f.file ? `${file}${f.line ? `:${f.line}` : ""}` : "";
      const attrs = f.file ? ` file="${escapeXml(file)}"${f.line ? ` line="${f.line}"` : ""}` : "";
      const code = untrusted(f.code, 60);
      const message = untrusted(f.message, MAX_REASON_CHARS);
      const body = f.severity === "error" ? `
      <failure type="${escapeXml(code)}" message="${escapeXml(message)}">${escapeXml(where)}</failure>
    ` : `
      <system-out>${escapeXml(`warning: ${message}`)}</system-out>
    `;
      parts.push(`    <testcase classname="release-sigcheck.graph-data" name="${escapeXml(`${code} ${where}`.trim())}"${attrs}>${body}</testcase>`);
    }
    parts.push("  </testsuite>", "</testsuites>", "");
    this.out.write(parts.join("\n"));
    if (this.close) await new Promise((resolve) => this.out.end(resolve));
  }
};

// src/report/sarif.ts
var SIGNATURE_CHECKS = ["openpgp", "sigstore"];
function toUri(path) {
  return truncate(path, 1e3).split("/").map(encodeURIComponent).join("/");
}
var RULES = {
  "openpgp-missing": "No OpenPGP signature: the cluster-version operator refuses the update",
  "openpgp-invalid": "No valid OpenPGP signature: the cluster-version operator refuses the update",
  "openpgp-error": "The OpenPGP signature could not be checked",
  "sigstore-missing": "No Sigstore signature: CRI-O refuses to run the release image",
  "sigstore-invalid": "No valid Sigstore signature: CRI-O refuses to run the release image",
  "sigstore-error": "The Sigstore signature could not be checked",
  "components-missing": "A component image has no Sigstore signature: CRI-O refuses to run it",
  "components-invalid": "A component image has no valid Sigstore signature: CRI-O refuses to run it",
  "components-error": "The Sigstore signatures of the component images could not be checked",
  "metadata-invalid": "The payload's release metadata names another release than graph-data promotes",
  "metadata-error": "The payload's release metadata could not be read",
  "edge-missing": "An update edge into the release has no signature the source release's keys and policy accept: clusters on that release cannot take the update",
  "edge-invalid": "An update edge into the release is signed, but not acceptably under the source release's keys and policy: clusters on that release cannot take the update",
  "edge-error": "An update edge into the release could not be judged (the source release or its trust could not be read)"
};
var MAX_EDGE_RESULTS = 20;
var SarifReporter = class {
  out;
  close;
  info;
  results = [];
  findingRules = /* @__PURE__ */ new Map();
  constructor(out, options = {}) {
    this.out = out;
    this.close = options.close ?? false;
  }
  begin(info) {
    this.info = info;
  }
  locations(file, line) {
    if (!file) return void 0;
    return [{ physicalLocation: { artifactLocation: { uri: toUri(`${this.info?.pathPrefix ?? ""}${file}`) }, region: { startLine: line ?? 1 } } }];
  }
  node(r) {
    this.payloadResults(r);
    for (const check of SIGNATURE_CHECKS) {
      const c = r[check];
      if (c.outcome !== "missing" && c.outcome !== "invalid" && c.outcome !== "error") continue;
      const version = untrusted(r.version);
      const reason = untrusted(c.reason, MAX_REASON_CHARS);
      const text = c.outcome === "error" ? `${version} ${r.arch}: the ${CHECK_LABEL[check]} signature could not be checked: ${reason}` : `${version} ${r.arch} (${untrusted(r.digest ?? "unresolved", 80)}): ${CHECK_LABEL[check]} ${c.outcome}: ${reason}. Consequence: ${consequence(check)}.`;
      const places = r.places.length > 0 ? r.places : [void 0];
      for (const p of places) {
        const result = {
          ruleId: `${check}-${c.outcome}`,
          level: c.outcome === "error" ? "warning" : "error",
          message: { text },
          partialFingerprints: { releaseNode: `${version}/${r.arch}/${check}` },
          properties: { version, arch: r.arch, digest: r.digest === null ? null : untrusted(r.digest, 80), source: untrusted(c.source, 300) }
        };
        const loc = this.locations(p?.file, p?.line);
        if (loc) result.locations = loc;
        this.results.push(result);
      }
    }
    this.edgeResults(r);
  }
  /** One result per failing component (named by its image-references tag and digest), and the metadata confirmation. */
  payloadResults(r) {
    const places = r.places.length > 0 ? r.places : [void 0];
    const push = (ruleId, level, text, fingerprint, properties) => {
      for (const p of places) {
        const result = { ruleId, level, message: { text }, partialFingerprints: { releaseNode: fingerprint }, properties: { version: r.version, arch: r.arch, digest: r.digest, ...properties } };
        const loc = this.locations(p?.file, p?.line);
        if (loc) result.locations = loc;
        this.results.push(result);
      }
    };
    for (const f of r.components.failures) {
      const digest = componentDigest(f.reference);
      const text = f.outcome === "error" ? `${r.version} ${r.arch}: component ${f.name} (${digest}) could not be checked: ${f.reason}` : `${r.version} ${r.arch} (${r.digest ?? "unresolved"}): component ${f.name} (${f.reference}) ${f.outcome}: ${f.reason}. Consequence: ${consequence("components")}.`;
      push(`components-${f.outcome}`, f.outcome === "error" ? "warning" : "error", text, `${r.version}/${r.arch}/components/${f.name}`, { component: f.name, reference: f.reference });
    }
    if (r.components.failures.length === 0 && (r.components.outcome === "missing" || r.components.outcome === "invalid" || r.components.outcome === "error")) {
      const o = r.components.outcome;
      push(`components-${o}`, o === "error" ? "warning" : "error", `${r.version} ${r.arch}: ${CHECK_LABEL.components} ${o}: ${r.components.reason}`, `${r.version}/${r.arch}/components`, {});
    }
    const m = r.metadata;
    if (m.outcome === "invalid" || m.outcome === "error") {
      push(`metadata-${m.outcome}`, m.outcome === "error" ? "warning" : "error", `${r.version} ${r.arch}: ${METADATA_LABEL} ${m.outcome}: ${m.reason}`, `${r.version}/${r.arch}/metadata`, { payloadVersion: m.version, payloadArch: m.arch });
    }
  }
  /** One result per update edge that fails (error) or could not be judged (warning), named by its source release. */
  edgeResults(r) {
    const bad = unsettledEdges(r);
    if (bad.length === 0) return;
    const version = untrusted(r.version);
    const digest = r.digest === null ? null : untrusted(r.digest, 80);
    const places = r.places.length > 0 ? r.places : [void 0];
    const push = (ruleId, level, text, fingerprint, properties) => {
      for (const p of places) {
        const result = { ruleId, level, message: { text }, partialFingerprints: { releaseNode: fingerprint }, properties: { version, arch: r.arch, digest, ...properties } };
        const loc = this.locations(p?.file, p?.line);
        if (loc) result.locations = loc;
        this.results.push(result);
      }
    };
    for (const e of bad.slice(0, MAX_EDGE_RESULTS)) {
      const from = e.from === null ? null : untrusted(e.from);
      const reason = untrusted(e.reason, MAX_REASON_CHARS);
      const edge = from === null ? "the update edges" : `the update edge from ${from}`;
      const text = e.outcome === "error" ? `${version} ${r.arch}: ${edge} could not be judged: ${reason}` : `${version} ${r.arch} (${digest ?? "unresolved"}): ${edge} ${e.outcome}: ${reason}. Consequence: ${EDGES_CONSEQUENCE}.`;
      const properties = { from };
      if (e.digest !== void 0) properties.fromDigest = untrusted(e.digest, 80);
      if (e.via !== void 0) properties.via = e.via.slice(0, 20).map((v) => untrusted(v));
      push(`edge-${e.outcome}`, e.outcome === "error" ? "warning" : "error", text, `${version}/${r.arch}/edge/${from ?? "-"}`, properties);
    }
    if (bad.length > MAX_EDGE_RESULTS) {
      const rest = bad.slice(MAX_EDGE_RESULTS);
      const outcome = rest.some((e) => e.outcome === "invalid") ? "invalid" : rest.some((e) => e.outcome === "missing") ? "missing" : "error";
      const from = untrusted(rest.map((e) => e.from ?? "?").join(", "), 300);
      push(`edge-${outcome}`, outcome === "error" ? "warning" : "error", `${version} ${r.arch}: ${rest.length} more update edges fail or could not be judged (from ${from}); the JSON report lists every edge.`, `${version}/${r.arch}/edge/more`, {});
    }
  }
  finding(f) {
    const code = untrusted(f.code, 60);
    const ruleId = `graph-data/${code}`;
    this.findingRules.set(ruleId, code);
    const result = { ruleId, level: f.severity === "error" ? "error" : "warning", message: { text: untrusted(f.message, MAX_REASON_CHARS) } };
    const loc = this.locations(f.file, f.line);
    if (loc) result.locations = loc;
    this.results.push(result);
  }
  async end(summary) {
    const rules = [
      ...Object.entries(RULES).map(([id, text]) => ({ id, shortDescription: { text } })),
      ...[...this.findingRules].map(([id, code]) => ({ id, shortDescription: { text: `graph-data finding ${code}` } }))
    ];
    const doc = {
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: TOOL.name, version: TOOL.version, rules } },
          results: this.results,
          properties: { status: summary.status, exitCode: summary.exitCode, counts: summary.counts, releaseRepo: this.info?.releaseRepo }
        }
      ]
    };
    this.out.write(`${safeJsonStringify(doc, 2)}
`);
    if (this.close) await new Promise((resolve) => this.out.end(resolve));
  }
};

// src/report/text.ts
var STATUS_LABEL = { passed: "ok  ", failed: "FAIL", error: "ERR " };
var CHANGES_LISTED = 20;
function describeChange(kind, c, pathPrefix) {
  const was = c.previous ? `was ${c.previous.status}` : "not in the previous report";
  const head = `${untrusted(c.version)} ${c.arch}`;
  let line;
  if (kind === "digestChanged") line = `${head}: ${shortDigest(c.previous?.digest)} -> ${shortDigest(c.current.digest)} (now ${c.current.status})`;
  else if (kind === "signaturesDisappeared") line = `${head} ${shortDigest(c.current.digest)}: ${(c.checks ?? []).map((k) => CHECK_LABEL[k]).join(" and ")} verified before, missing now`;
  else line = `${head} ${shortDigest(c.current.digest)} (${was})${c.reason ? `: ${untrusted(c.reason, MAX_REASON_CHARS)}` : ""}`;
  const lines = [`    ${line}`];
  if (kind === "newlyFailing" || kind === "newlyErrored") for (const p of c.places.slice(0, 3)) lines.push(`      at ${untrusted(formatPlace(p, pathPrefix), MAX_REASON_CHARS)}`);
  return lines;
}
function changesText(changes, pathPrefix = "") {
  const p = changes.previous;
  const lines = [];
  if (!p.found) lines.push(`No previous report at ${p.file}: every failure counts as new.`);
  else lines.push(`Changes since the previous report (${p.file}: ${p.nodes} node(s)${p.status ? `, ${p.status}` : ""}):`);
  if (p.found && !hasChanges(changes)) lines.push("  nothing changed");
  for (const kind of CHANGE_KINDS) {
    const list = changes[kind];
    if (list.length === 0 || !p.found && kind !== "newlyFailing" && kind !== "newlyErrored") continue;
    lines.push(`  ${CHANGE_LABEL[kind]} (${list.length}):`);
    for (const c of list.slice(0, CHANGES_LISTED)) lines.push(...describeChange(kind, c, pathPrefix));
    if (list.length > CHANGES_LISTED) lines.push(`    \u2026 and ${list.length - CHANGES_LISTED} more (see the JSON report's "changes")`);
  }
  if (changes.newFindings.length > 0) {
    lines.push(`  new error findings (${changes.newFindings.length}):`);
    for (const f of changes.newFindings.slice(0, CHANGES_LISTED)) lines.push(`    ${f.file ? `${pathPrefix}${f.file}${f.line ? `:${f.line}` : ""}: ` : ""}${f.message} [${f.code}]`);
  }
  lines.push(`  ${changes.compared} node(s) compared, ${changes.added} not in the previous report; ${changes.knownFailures} failing as before`);
  return `${lines.join("\n")}
`;
}
function n(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}
function runFigures(summary) {
  const lines = [];
  const k = summary.cincinnati;
  if (k) {
    const graphs = Array.isArray(k.graphs) ? k.graphs : [];
    const unread = graphs.filter((g) => g.outcome === "error").length;
    const conditional = n(k.conditionalEdges);
    const found = [`${n(k.compared)} compared`, `${n(k.drift)} drift`, `${n(k.notServed)} not served`, `${n(k.notPromoted)} not promoted`];
    if (n(k.tagMissing) > 0) found.push(`${n(k.tagMissing)} tag missing`);
    lines.push(
      `Cincinnati: ${plural(graphs.length, "graph")}${unread > 0 ? ` (${unread} could not be read)` : ""}, ${plural(n(k.nodes), "node")}, ${plural(n(k.edges), "edge")}${conditional > 0 ? ` (+${conditional} conditional)` : ""} read; ${found.join(", ")}`
    );
  }
  const e = summary.edgeCheck;
  const o = summary.counts.edges;
  const judged = o ? o.verified + o.missing + o.invalid + o.error + o.skipped : 0;
  if (e || judged > 0) {
    const figures = e ? `${n(e.edges)} into ${plural(n(e.nodes), "node")} from ${plural(n(e.sources), "source release")}, ${plural(n(e.trustSets), "trust set")}, ${plural(n(e.payloadsRead), "payload")} read, ${plural(n(e.signatureFetches), "signature fetch", "signature fetches")}` : `${judged} judged`;
    const outcomes = judged > 0 ? `: ${o.verified} verified, ${o.missing} missing, ${o.invalid} invalid, ${o.error} error, ${o.skipped} skipped` : "";
    lines.push(`${EDGES_LABEL}: ${figures}${outcomes}`);
  }
  return lines;
}
var TextReporter = class {
  out;
  tty;
  color;
  quiet;
  info;
  unpublishedCount = 0;
  constructor(out, options = {}) {
    this.out = out;
    this.tty = options.tty ?? out.isTTY === true;
    const noColor = "NO_COLOR" in process.env && process.env.NO_COLOR !== "";
    this.color = options.color ?? (process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== "0" : this.tty && !noColor);
    this.quiet = options.quiet ?? false;
  }
  paint(code, text) {
    return this.color ? `\x1B[${code}m${text}\x1B[0m` : text;
  }
  write(text) {
    this.out.write(text);
  }
  begin(info) {
    this.info = info;
    const what = info.mode === "pr" ? "added by the change" : info.mode === "audit" ? "promoted by graph-data" : "requested";
    const from = info.mirror ? `from the mirror ${untrusted(info.mirror)} (identities checked against ${untrusted(info.releaseRepo)})` : `from ${untrusted(info.releaseRepo)}`;
    const config = info.mode === "pr" && info.trustedFrom ? `; configuration of ${untrusted(info.trustedFrom)}` : "";
    this.write(`release-sigcheck: checking ${info.total} (version, architecture) pair(s) ${what}, ${from} (required: ${info.require.join(", ") || "none"}${config})
`);
  }
  checkText(check, r) {
    const label = `${CHECK_LABEL[check]} ${r.outcome}${r.cached ? r.revalidated ? " (cached, confirmed)" : " (cached)" : ""}`;
    if (r.outcome === "verified" && r.signer) return `${this.paint(32, label)}: signed by ${untrusted(r.signer)}${r.identity ? ` as ${untrusted(r.identity, 300)}` : ""}`;
    const painted = r.outcome === "verified" ? this.paint(32, label) : r.outcome === "skipped" ? this.paint(90, label) : r.outcome === "error" ? this.paint(33, label) : this.paint(31, label);
    return `${painted}: ${untrusted(r.reason, MAX_REASON_CHARS)}`;
  }
  node(result) {
    const status = nodeStatus(result);
    if (this.quiet && status === "passed") return;
    const label = status === "passed" ? this.paint(32, STATUS_LABEL.passed) : status === "failed" ? this.paint(31, STATUS_LABEL.failed) : this.paint(33, STATUS_LABEL.error);
    const lines = [
      `${label} ${untrusted(result.version)} ${result.arch} ${untrusted(shortDigest(result.digest))}${result.tag ? ` (${untrusted(result.tag)})` : ""}`,
      `     ${this.checkText("openpgp", result.openpgp)}`,
      `     ${this.checkText("sigstore", result.sigstore)}`,
      ...this.payloadLines(result),
      ...this.edgeLines(result)
    ];
    if (status !== "passed") {
      for (const p of result.places) lines.push(`     at ${untrusted(`${this.info?.pathPrefix ?? ""}${p.file}`, 300)}:${p.line} (${untrusted(p.channel)})`);
    }
    this.write(`${lines.join("\n")}
`);
  }
  /** The components check and the release-metadata confirmation: one line each, then each failing component. */
  payloadLines(result) {
    const lines = [];
    const c = result.components;
    if (c.outcome === "verified") {
      lines.push(`     ${this.paint(32, `${CHECK_LABEL.components} verified${c.cached ? " (cached)" : ""}`)}: ${c.verified} of ${c.total} component images signed${c.signer ? ` by ${c.signer}` : ""}${c.unscoped?.length ? `, ${c.unscoped.length} outside the policy's scopes` : ""}`);
    } else {
      lines.push(`     ${this.checkText("components", c)}`);
      for (const line of componentLines(result)) lines.push(`       - ${line}`);
    }
    const m = result.metadata;
    if (m.outcome === "verified") lines.push(`     ${this.paint(32, `${METADATA_LABEL} verified${m.cached ? " (cached)" : ""}`)}: ${m.version} ${m.arch}`);
    else if (m.outcome !== "skipped" || result.digest !== null) {
      const paint = m.outcome === "error" ? 33 : m.outcome === "skipped" ? 90 : 31;
      lines.push(`     ${this.paint(paint, `${METADATA_LABEL} ${m.outcome}`)}: ${m.reason}`);
    }
    return lines;
  }
  /**
   * The update edges into the node, when the edge check ran for it: one line when every edge passed,
   * else the outcome and one line per edge that failed or could not be judged (source release and reason).
   */
  edgeLines(result) {
    const edges = result.edges;
    if (!edges) return [];
    const outcome = edgesOutcome(edges);
    if (edges.length === 0) return [`     ${this.paint(90, `${EDGES_LABEL} skipped`)}: ${describeEdges(result)}`];
    const skipped = edges.filter((e) => e.outcome === "skipped").length;
    if (outcome === "verified") {
      const verified = edges.filter((e) => e.outcome === "verified").length;
      return [`     ${this.paint(32, `${EDGES_LABEL} verified`)}: ${verified} of ${edges.length}${skipped > 0 ? ` (${skipped} skipped)` : ""}`];
    }
    if (outcome === "skipped") return [`     ${this.paint(90, `${EDGES_LABEL} skipped`)}: ${untrusted(edges[0].reason, MAX_REASON_CHARS)}`];
    const lines = [`     ${this.paint(outcome === "error" ? 33 : 31, `${EDGES_LABEL} ${outcome}`)}: ${describeEdges(result)}`];
    for (const line of edgeLines(result)) lines.push(`       - ${line}`);
    return lines;
  }
  unpublished(_node) {
    this.unpublishedCount++;
  }
  finding(f) {
    const where = f.file ? `${untrusted(`${this.info?.pathPrefix ?? ""}${f.file}`, 300)}${f.line ? `:${f.line}` : ""}: ` : "";
    const label = f.severity === "error" ? this.paint(31, "error") : this.paint(33, "warning");
    this.write(`${label} ${where}${untrusted(f.message, MAX_REASON_CHARS)} [${untrusted(f.code, 60)}]
`);
  }
  /** With --fail-on new the verdict is about what is new; the known failures are named, not hidden. */
  newOnlyVerdict(changes, summary) {
    const known = `${changes.knownFailures} failure(s) known from the previous report do not fail this run (--fail-on new)`;
    const fresh = newFailureCount(changes);
    if (fresh > 0) return this.paint(31, `FAILED: ${fresh} new failure(s) since the previous report (see "newly failing" above); ${known}`);
    if (summary.exitCode === 3) return this.paint(33, `INCOMPLETE: ${changes.newlyErrored.length} node(s) newly could not be checked; re-run. ${known}`);
    return this.paint(32, `PASSED: no new failure since the previous report; ${known}`);
  }
  end(summary) {
    const c = summary.counts;
    const parts = [`${c.nodes} node(s): ${c.passed} passed, ${c.failed} failed, ${c.errored} could not be checked`];
    if (c.unpublished > 0 || this.unpublishedCount > 0) parts.push(`${c.unpublished} (version, arch) pair(s) not published (tag not found; not a failure)`);
    if (c.findings > 0) parts.push(`${c.findings} finding(s)`);
    for (const check of CHECK_NAMES) {
      const o = c[check];
      parts.push(`${CHECK_LABEL[check]}: ${o.verified} verified, ${o.missing} missing, ${o.invalid} invalid, ${o.error} error, ${o.skipped} skipped`);
    }
    if (summary.cache) {
      const k = summary.cache;
      parts.push(
        k.mode === "trust" ? `cache trusted as it is (--cache-mode trust): ${k.hits} cached verdict(s) reused without a request` : `cache: ${k.hits} cached verdict(s), ${k.confirmed} confirmed with ${k.requests} request(s), ${k.changed + k.unconfirmed} checked again (${k.changed} changed, ${k.unconfirmed} unconfirmed)`
      );
    }
    const m = c.metadata;
    parts.push(`${METADATA_LABEL}: ${m.verified} confirmed, ${m.invalid} mismatched or unreadable, ${m.error} error, ${m.skipped} not read`);
    parts.push(...runFigures(summary));
    if (summary.retries !== void 0) parts.push(`${summary.retries} network retr${summary.retries === 1 ? "y" : "ies"} spent`);
    const changes = summary.changes;
    const lead = changes ? `
${changesText(changes, this.info?.pathPrefix ?? "")}` : "";
    const verdict = changes?.failOn === "new" && summary.status !== "passed" ? this.newOnlyVerdict(changes, summary) : summary.status === "passed" ? this.paint(32, "PASSED: every required signature is present and valid") : summary.status === "failed" ? this.paint(31, "FAILED: clusters would reject at least one release (see FAIL lines above)") : this.paint(33, "INCOMPLETE: nothing is known to be unsigned, but some checks could not be completed; re-run, or raise --retries/--timeout");
    this.write(`${lead}
${parts.join("\n")}
${verdict} (exit code ${summary.exitCode}, ${(summary.durationMs / 1e3).toFixed(1)} s)
`);
  }
};

// src/report/outputs.ts
var FORMATS = ["text", "json", "github", "junit", "sarif", "html"];
function parseFormat(value, flag = "--format") {
  const v = (value ?? "text").trim();
  if (!FORMATS.includes(v)) {
    const guess = didYouMean(v.toLowerCase(), FORMATS);
    throw new SigcheckError("USAGE", `${flag} must be one of ${FORMATS.join(", ")} (got ${JSON.stringify(v.slice(0, 40))})${guess ? `; did you mean ${guess}?` : ""}`);
  }
  return v;
}
var BY_EXTENSION = [
  [".sarif.json", "sarif"],
  [".sarif", "sarif"],
  [".xml", "junit"],
  [".json", "json"],
  [".html", "html"],
  [".htm", "html"],
  [".txt", "text"],
  [".log", "text"]
];
function parseOutputSpec(spec) {
  const m = /^([a-zA-Z][a-zA-Z0-9-]*):(.+)$/.exec(spec);
  if (m && FORMATS.includes(m[1])) return { format: m[1], path: m[2] };
  if (m) {
    const guess = didYouMean(m[1].toLowerCase(), FORMATS);
    throw new SigcheckError("USAGE", `--output ${spec}: ${JSON.stringify(m[1])} is not a report format${guess ? `; did you mean ${guess}?` : ""} (formats: ${FORMATS.join(", ")}; write FORMAT:FILE, e.g. json:report.json)`);
  }
  const byExt = BY_EXTENSION.find(([ext]) => spec.toLowerCase().endsWith(ext));
  if (!byExt) {
    throw new SigcheckError("USAGE", `--output ${spec}: cannot tell the format from the file name; write it as FORMAT:FILE with FORMAT one of ${FORMATS.join(", ")} (e.g. json:report.json)`);
  }
  return { format: byExt[1], path: spec };
}
async function createReporter(format, out, options = {}) {
  switch (format) {
    case "text":
      return new TextReporter(out, { quiet: options.quiet ?? false });
    case "json":
      return new JsonReporter(out, { close: options.closeAtEnd ?? false });
    case "github": {
      const [{ GithubReporter }, { linksFromEnv }] = await Promise.all([import("./github-XQTNO5KU.js"), import("./summary-5Z7TQ3OU.js")]);
      const links = linksFromEnv(process.env);
      return new GithubReporter(links ? { links } : {});
    }
    case "junit":
      return new JunitReporter(out, { close: options.closeAtEnd ?? false });
    case "sarif":
      return new SarifReporter(out, { close: options.closeAtEnd ?? false });
    case "html":
      return new HtmlReporter(out, { close: options.closeAtEnd ?? false });
  }
}
async function openFileReporter(spec) {
  await mkdir(dirname(spec.path), { recursive: true });
  const stream = createWriteStream(spec.path);
  await new Promise((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (err) => reject(new SigcheckError("CONFIG", `cannot write ${spec.path}: ${err.message}`, { cause: err })));
  });
  if (spec.format === "text") {
    const text = new TextReporter(stream, { tty: false, color: false });
    return {
      begin: (info) => text.begin(info),
      node: (r) => text.node(r),
      unpublished: (u) => text.unpublished(u),
      finding: (f) => text.finding(f),
      end: async (summary) => {
        text.end(summary);
        await new Promise((resolve) => stream.end(resolve));
      }
    };
  }
  return createReporter(spec.format, stream, { closeAtEnd: true });
}

// src/model/reporter.ts
var MultiReporter = class {
  reporters;
  constructor(reporters) {
    this.reporters = reporters;
  }
  async begin(info) {
    for (const r of this.reporters) await r.begin?.(info);
  }
  async node(result) {
    for (const r of this.reporters) await r.node(result);
  }
  async unpublished(node) {
    for (const r of this.reporters) await r.unpublished?.(node);
  }
  async finding(finding) {
    for (const r of this.reporters) await r.finding(finding);
  }
  progress(done, total) {
    for (const r of this.reporters) r.progress?.(done, total);
  }
  async end(summary) {
    for (const r of this.reporters) await r.end(summary);
  }
};

export {
  ARCHES,
  isArch,
  toTagSuffix,
  fromPlatformArchitecture,
  parseReleaseName,
  compareReleaseNames,
  compareVersionStrings,
  camelCase,
  CHECK_FLAG_NAMES,
  PATH_OPTIONS,
  DIRECTORY_OPTIONS,
  readCheckFlags,
  parseFailOn,
  toCheckConfig,
  sortFindings,
  readReportFile,
  loadPreviousReport,
  parseFormat,
  parseOutputSpec,
  createReporter,
  openFileReporter,
  MultiReporter
};
