import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  orderedPool,
  selectNodes
} from "./chunk-MHLWD6C6.js";
import {
  createNetworkDeps
} from "./chunk-QDTT5UQJ.js";
import {
  isDigest,
  require_dist,
  toCheckConfig
} from "./chunk-PWC3SGM5.js";
import {
  compareReleaseNames,
  isArch,
  parseReleaseName
} from "./chunk-6F6SVYAF.js";
import {
  SigcheckError,
  describeError
} from "./chunk-PS4FLMW7.js";
import {
  RunTally
} from "./chunk-P2HCLQWR.js";
import {
  __toESM
} from "./chunk-YOB2P7JE.js";

// src/check/execute.ts
import { join as join2 } from "node:path";

// src/check/cache.ts
import { readFile, rename, writeFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
var SCHEMA_VERSION = 1;
var VerifiedCache = class _VerifiedCache {
  path;
  trust;
  entries;
  stats = { hits: 0, misses: 0, stored: 0, loaded: 0, dropped: 0 };
  constructor(path, trust, entries) {
    this.path = path;
    this.trust = trust;
    this.entries = entries;
  }
  /** Loads the cache; a missing file is an empty cache, a corrupt one is a configuration error. */
  static async load(path, trust) {
    let text;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if (err.code !== "ENOENT") throw new SigcheckError("CONFIG", `cannot read cache ${path}: ${err.message}`);
    }
    const entries = /* @__PURE__ */ new Map();
    const cache = new _VerifiedCache(path, trust, entries);
    if (text === void 0) return cache;
    let doc;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new SigcheckError("CONFIG", `cache ${path} is not valid JSON; delete it to start a new cache`);
    }
    if (doc.schemaVersion !== SCHEMA_VERSION || typeof doc.entries !== "object" || doc.entries === null) {
      throw new SigcheckError("CONFIG", `cache ${path} has an unknown format; delete it to start a new cache`);
    }
    const prefixes = Object.keys(trust).map((c) => `${c}:${trust[c]}:`);
    for (const [key, entry] of Object.entries(doc.entries)) {
      const digest = key.slice(-"sha256:".length - 64);
      if (!prefixes.some((p) => key.startsWith(p)) || !isDigest(digest) || entry?.result?.outcome !== "verified") {
        cache.stats.dropped++;
        continue;
      }
      entries.set(key, entry);
      cache.stats.loaded++;
    }
    return cache;
  }
  key(check, digest) {
    return `${check}:${this.trust[check]}:${digest}`;
  }
  get(check, digest) {
    const entry = this.entries.get(this.key(check, digest));
    if (entry) {
      this.stats.hits++;
      return { ...entry.result, cached: true };
    }
    this.stats.misses++;
    return void 0;
  }
  put(check, digest, result) {
    if (result.outcome !== "verified") return;
    const { cached: _cached, ...stored } = result;
    this.entries.set(this.key(check, digest), { result: stored, verifiedAt: (/* @__PURE__ */ new Date()).toISOString() });
    this.stats.stored++;
  }
  get size() {
    return this.entries.size;
  }
  /** Writes atomically (temporary file, then rename) so an interrupted run never leaves a corrupt cache. */
  async save() {
    const doc = { schemaVersion: SCHEMA_VERSION, entries: Object.fromEntries([...this.entries].sort(([a], [b]) => a < b ? -1 : 1)) };
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(doc)}
`);
    await rename(tmp, this.path);
  }
};
function withCache(checker, cache) {
  return {
    async openpgp(digest) {
      const hit = cache.get("openpgp", digest);
      if (hit) return hit;
      const result = await checker.openpgp(digest);
      cache.put("openpgp", digest, result);
      return result;
    },
    async sigstore(image) {
      const hit = cache.get("sigstore", image.digest);
      if (hit) return hit;
      const result = await checker.sigstore(image);
      cache.put("sigstore", image.digest, result);
      return result;
    }
  };
}

// src/check/config-file.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { readFile as readFile3 } from "node:fs/promises";
import { dirname as dirname2, isAbsolute, join, resolve } from "node:path";

// src/check/skip.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile as readFile2 } from "node:fs/promises";
function bad(source, message) {
  throw new SigcheckError("CONFIG", `${source}: ${message}`);
}
function toSkipEntries(raw, source) {
  if (raw === null || raw === void 0) return [];
  const list = Array.isArray(raw) ? raw : typeof raw === "object" && Array.isArray(raw.skip) ? raw.skip : void 0;
  if (!list) bad(source, 'a skip file is a YAML list of entries, or a mapping with a "skip:" list');
  return list.map((item, i) => {
    const where = `${source}: skip entry ${i + 1}`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) bad(source, `skip entry ${i + 1} must be a mapping with version and reason`);
    const e = item;
    for (const key of Object.keys(e)) {
      if (!["version", "arch", "check", "reason", "expires"].includes(key)) throw new SigcheckError("CONFIG", `${where}: unknown key ${JSON.stringify(key)} (allowed: version, arch, check, reason, expires)`);
    }
    const version = typeof e.version === "string" ? e.version : typeof e.version === "number" ? String(e.version) : void 0;
    if (!version) throw new SigcheckError("CONFIG", `${where}: "version" is required`);
    const parsed = parseReleaseName(version);
    if (!parsed.ok) throw new SigcheckError("CONFIG", `${where}: ${parsed.reason}`);
    if (typeof e.reason !== "string" || e.reason.trim() === "") throw new SigcheckError("CONFIG", `${where} (${version}): "reason" is required: say why this release may go unsigned`);
    const entry = { version: parsed.release.version, reason: e.reason.trim(), source };
    const arch = e.arch ?? parsed.release.arch;
    if (arch !== void 0) {
      if (typeof arch !== "string" || !isArch(arch)) throw new SigcheckError("CONFIG", `${where} (${version}): arch must be one of amd64, arm64, s390x, ppc64le, multi`);
      if (parsed.release.arch && parsed.release.arch !== arch) throw new SigcheckError("CONFIG", `${where}: ${version} names ${parsed.release.arch} but arch says ${arch}`);
      entry.arch = arch;
    }
    if (e.check !== void 0) {
      if (e.check !== "openpgp" && e.check !== "sigstore") throw new SigcheckError("CONFIG", `${where} (${version}): check must be openpgp or sigstore`);
      entry.check = e.check;
    }
    if (e.expires !== void 0) {
      const text = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : String(e.expires);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw new SigcheckError("CONFIG", `${where} (${version}): expires must be a date YYYY-MM-DD`);
      entry.expires = text;
    }
    return entry;
  });
}
async function readSkipFile(path) {
  let text;
  try {
    text = await readFile2(path, "utf8");
  } catch (err) {
    throw new SigcheckError("CONFIG", `cannot read skip file ${path}: ${err.message}`);
  }
  let raw;
  try {
    raw = (0, import_yaml.parse)(text);
  } catch (err) {
    throw new SigcheckError("CONFIG", `skip file ${path} is not valid YAML: ${err.message.split("\n")[0]}`);
  }
  return toSkipEntries(raw, path);
}
function toSkipMatcher(entries, today = /* @__PURE__ */ new Date()) {
  const day = today.toISOString().slice(0, 10);
  const active = [];
  const findings = [];
  for (const e of entries) {
    if (e.expires !== void 0 && e.expires < day) {
      findings.push({ severity: "warning", code: "SKIP_EXPIRED", message: `skip entry for ${e.version}${e.arch ? ` ${e.arch}` : ""}${e.check ? ` (${e.check})` : ""} in ${e.source} expired on ${e.expires} and no longer applies; remove it or extend it` });
      continue;
    }
    active.push(e);
  }
  const matcher = (name, arch, check) => {
    const parsed = parseReleaseName(name);
    const version = parsed.ok ? parsed.release.version : name;
    const hit = active.find((e) => e.version === version && (e.arch === void 0 || e.arch === arch) && (e.check === void 0 || e.check === check));
    return hit ? { reason: hit.expires ? `${hit.reason} (until ${hit.expires})` : hit.reason } : void 0;
  };
  return { matcher, findings };
}

// src/check/config-file.ts
var CONFIG_FILE_NAME = "release-sigcheck.yaml";
var KEYS = {
  arch: ["arch", "list"],
  require: ["require", "list"],
  channel: ["channel", "list"],
  "release-repo": ["releaseRepo", "string"],
  mirror: ["mirror", "string"],
  "signature-store": ["signatureStore", "list"],
  concurrency: ["concurrency", "string"],
  retries: ["retries", "string"],
  timeout: ["timeout", "string"],
  rate: ["rate", "string"],
  "openpgp-key": ["openpgpKey", "paths"],
  "sigstore-key": ["sigstoreKey", "paths"],
  "image-policy": ["imagePolicy", "path"],
  cache: ["cache", "path"],
  "sigstore-from": ["sigstoreFrom", "string"]
};
async function readConfigFile(path, options) {
  let text;
  try {
    text = await readFile3(path, "utf8");
  } catch (err) {
    if (err.code === "ENOENT" && !options.required) return void 0;
    throw new SigcheckError("CONFIG", `cannot read config file ${path}: ${err.message}`);
  }
  let raw;
  try {
    raw = (0, import_yaml2.parse)(text);
  } catch (err) {
    throw new SigcheckError("CONFIG", `config file ${path} is not valid YAML: ${err.message.split("\n")[0]}`);
  }
  if (raw === null || raw === void 0) return { path, flags: {}, skip: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new SigcheckError("CONFIG", `config file ${path} must be a YAML mapping of option names to values`);
  const base = dirname2(resolve(path));
  const flags = {};
  let skip = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === "skip") {
      skip = toSkipEntries(value, path);
      continue;
    }
    const spec = KEYS[key];
    if (!spec) throw new SigcheckError("CONFIG", `config file ${path}: unknown option ${JSON.stringify(key)} (allowed: ${[...Object.keys(KEYS), "skip"].join(", ")})`);
    const [flag, kind] = spec;
    const values = Array.isArray(value) ? value.map(String) : value === null || value === void 0 ? [] : [String(value)];
    if ((kind === "string" || kind === "path") && values.length !== 1) throw new SigcheckError("CONFIG", `config file ${path}: ${key} takes one value`);
    const abs = (p) => isAbsolute(p) ? p : join(base, p);
    const set = flags;
    if (kind === "string") set[flag] = values[0];
    else if (kind === "path") set[flag] = abs(values[0]);
    else if (kind === "paths") set[flag] = values.map(abs);
    else set[flag] = flag === "arch" || flag === "require" ? values.join(",") : values;
  }
  return { path, flags, skip };
}
function mergeFlags(fromFile, given) {
  const out = { ...fromFile };
  for (const [k, v] of Object.entries(given)) {
    if (v === void 0 || v === false || Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

// src/check/pipeline.ts
async function runPipeline(nodes, arches, deps, options, events) {
  const openpgpMemo = /* @__PURE__ */ new Map();
  const sigstoreMemo = /* @__PURE__ */ new Map();
  const sigstoreFrom = options.sigstoreFrom ? parseReleaseName(options.sigstoreFrom) : void 0;
  if (sigstoreFrom && !sigstoreFrom.ok) throw new Error(`--sigstore-from: ${sigstoreFrom.reason}`);
  const total = nodes.reduce((n, node) => n + archesOf(node, arches).length, 0);
  let done = 0;
  const memoLimit = Math.max(256, options.concurrency * 4);
  const memo = (map, digest, run) => {
    let p = map.get(digest);
    if (!p) {
      p = run();
      map.set(digest, p);
      if (map.size > memoLimit) map.delete(map.keys().next().value);
    }
    return p;
  };
  const decideCheck = (node, arch, check) => {
    if (!options.require.includes(check)) {
      return { outcome: "skipped", reason: `not required in this run (--require ${options.require.join(",") || "none"})` };
    }
    const skip = options.skip?.(node.name, arch, check);
    if (skip) return { outcome: "skipped", reason: `skip entry: ${skip.reason}` };
    if (check === "sigstore" && sigstoreFrom?.ok && compareReleaseNames(node.release, sigstoreFrom.release) < 0) {
      return { outcome: "skipped", reason: `Sigstore is not required before ${options.sigstoreFrom} (--sigstore-from)` };
    }
    return void 0;
  };
  const checkArch = async (node, arch) => {
    const preOpenpgp = decideCheck(node, arch, "openpgp");
    const preSigstore = decideCheck(node, arch, "sigstore");
    if (preOpenpgp && preSigstore) {
      return { result: { version: node.name, arch, digest: null, places: node.places, openpgp: preOpenpgp, sigstore: preSigstore } };
    }
    const resolution = await deps.resolver.resolve(node.release.version, arch);
    if (resolution.kind === "absent") return { resolution };
    if (resolution.kind === "error") {
      const failed = (pre) => pre ?? { outcome: "error", reason: `could not resolve ${resolution.tag}: ${resolution.reason}` };
      return {
        resolution,
        result: { version: node.name, arch, digest: null, tag: resolution.tag, places: node.places, openpgp: failed(preOpenpgp), sigstore: failed(preSigstore) }
      };
    }
    const image = resolution.instances ? { digest: resolution.digest, instances: resolution.instances } : { digest: resolution.digest };
    const [openpgp, sigstore] = await Promise.all([
      preOpenpgp ?? memo(openpgpMemo, resolution.digest, () => deps.checker.openpgp(resolution.digest)),
      preSigstore ?? memo(sigstoreMemo, resolution.digest, () => deps.checker.sigstore(image))
    ]);
    return {
      resolution,
      result: { version: node.name, arch, digest: resolution.digest, tag: resolution.tag, places: node.places, openpgp, sigstore }
    };
  };
  const checkNode = async (node) => {
    const nodeArches = archesOf(node, arches);
    const settled = await Promise.all(
      nodeArches.map(async (arch) => {
        const r = await checkArch(node, arch);
        done++;
        events.progress?.(done, total);
        return { arch, ...r };
      })
    );
    const outcome = { results: [], unpublished: [] };
    for (const s of settled) {
      if (s.result) outcome.results.push(s.result);
      else if (s.resolution?.kind === "absent") outcome.unpublished.push({ version: node.name, arch: s.arch, tag: s.resolution.tag });
    }
    if (nodeArches.length > 0 && outcome.unpublished.length === nodeArches.length) {
      const first = node.places[0];
      const tags = outcome.unpublished.map((u) => u.tag).join(", ");
      outcome.finding = {
        severity: "error",
        code: "NOT_PUBLISHED",
        message: `${node.name} is promoted but no release image exists for ${nodeArches.length === 1 ? "its architecture" : `any of ${nodeArches.join(", ")}`} (tags ${tags} not found); clusters cannot update to it`,
        ...first ? { file: first.file, line: first.line } : {}
      };
    }
    return outcome;
  };
  await orderedPool(nodes, Math.max(1, options.concurrency), checkNode, async (outcome) => {
    for (const r of outcome.results) await events.node(r);
    for (const u of outcome.unpublished) await events.unpublished(u);
    if (outcome.finding) await events.finding(outcome.finding);
  });
}
function archesOf(node, arches) {
  return node.release.arch ? arches.filter((a) => a === node.release.arch) : [...arches];
}

// src/check/memory.ts
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
var gc;
function collector() {
  if (gc === void 0) {
    try {
      setFlagsFromString("--expose-gc");
      gc = runInNewContext("gc");
    } catch {
      gc = null;
    }
  }
  return gc;
}
function periodicCollector(every) {
  let count = 0;
  return () => {
    if (++count % every === 0) collector()?.();
  };
}

// src/check/run.ts
function guard(deps) {
  const asError = (err) => ({ outcome: "error", reason: `internal error: ${describeError(err)}` });
  return {
    resolver: {
      resolve: (version, arch) => deps.resolver.resolve(version, arch).catch((err) => ({ kind: "error", tag: `${version} (${arch})`, reason: `internal error: ${describeError(err)}` }))
    },
    checker: {
      openpgp: (digest) => deps.checker.openpgp(digest).catch(asError),
      sigstore: (image) => deps.checker.sigstore(image).catch(asError)
    }
  };
}
async function runCheck(input, deps, options, reporter) {
  const started = Date.now();
  const tally = new RunTally();
  const total = input.nodes.reduce((n, node) => n + archesOf(node, input.arches).length, 0);
  await reporter.begin?.({ ...input.info, total, arches: input.arches, require: options.require });
  for (const f of input.findings) {
    tally.addFinding(f);
    await reporter.finding(f);
  }
  const collect = periodicCollector(500);
  await runPipeline(input.nodes, input.arches, guard(deps), options, {
    node: async (r) => {
      collect();
      tally.addNode(r);
      await reporter.node(r);
    },
    unpublished: async (u) => {
      tally.addUnpublished();
      await reporter.unpublished?.(u);
    },
    finding: async (f) => {
      tally.addFinding(f);
      await reporter.finding(f);
    },
    progress: (done, all) => reporter.progress?.(done, all)
  });
  const summary = {
    status: tally.status(),
    exitCode: tally.exitCode(),
    counts: tally.counts,
    ...input.retries ? { retries: input.retries() } : {},
    durationMs: Date.now() - started
  };
  await reporter.end(summary);
  return summary;
}

// src/check/shard.ts
function selectShard(nodes, shard) {
  return nodes.filter((_, i) => i % shard.count === shard.index - 1);
}

// src/check/execute.ts
async function prepareCheck(flags, options = {}) {
  const graphData = flags.graphData || ".";
  const file = await readConfigFile(options.configPath ?? join2(graphData, CONFIG_FILE_NAME), { required: options.configPath !== void 0 });
  const config = toCheckConfig(mergeFlags(file?.flags ?? {}, flags));
  const skip = [...file?.skip ?? [], ...config.skip ? await readSkipFile(config.skip) : []];
  const selected = await selectNodes({
    graphData: config.graphData,
    ...config.base ? { base: config.base } : {},
    ...config.head ? { head: config.head } : {},
    ...config.versions ? { versions: config.versions } : {},
    ...config.channels ? { channels: config.channels } : {},
    deepen: options.deepen ?? config.deepen,
    ...options.log ? { log: options.log } : {}
  });
  if (config.shard) selected.nodes = selectShard(selected.nodes, config.shard);
  return { config, selected, skip, ...file ? { configFile: file.path } : {} };
}
async function executeCheck(prepared, options) {
  const { config, selected } = prepared;
  const { matcher, findings: skipFindings } = toSkipMatcher(prepared.skip);
  const deps = options.deps ?? await createNetworkDeps(config);
  for (const w of deps.warnings) options.log?.(`warning: ${w}`);
  try {
    const cache = config.cache ? await VerifiedCache.load(config.cache, deps.trust) : void 0;
    const checker = cache ? withCache(deps.checker, cache) : deps.checker;
    const summary = await runCheck(
      {
        nodes: selected.nodes,
        findings: [...selected.findings, ...skipFindings],
        arches: config.arches,
        info: {
          mode: selected.mode,
          graphData: selected.graph.source,
          pathPrefix: selected.pathPrefix,
          releaseRepo: config.network.releaseRepo,
          ...options.reportPath ? { reportPath: options.reportPath } : {}
        },
        retries: () => deps.retries()
      },
      { resolver: deps.resolver, checker },
      {
        // Each node waits on a few requests in turn; twice the per-host limit keeps every host busy.
        concurrency: config.network.concurrency * 2,
        require: config.require,
        skip: matcher,
        ...config.sigstoreFrom ? { sigstoreFrom: config.sigstoreFrom } : {}
      },
      options.reporter
    );
    if (cache) {
      await cache.save();
      options.log?.(`cache ${cache.path}: ${cache.stats.hits} hit(s), ${cache.stats.stored} new verified result(s), ${cache.size} entries`);
    }
    return summary;
  } finally {
    if (!options.deps) await deps.close();
  }
}

export {
  prepareCheck,
  executeCheck
};
