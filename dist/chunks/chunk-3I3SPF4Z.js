import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  createNetworkDeps,
  isDigest,
  require_dist,
  toCheckConfig
} from "./chunk-23OLOS7L.js";
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

// src/graph/nodes.ts
function comparePlaces(a, b) {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}
function toGraphNodes(entries) {
  const byName = /* @__PURE__ */ new Map();
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
function toNodeTargets(nodes, arches) {
  const out = [];
  for (const n of nodes) {
    const applicable = n.release.arch ? arches.filter((a) => a === n.release.arch) : arches;
    for (const arch of applicable) out.push({ name: n.name, release: n.release, arch, places: n.places });
  }
  return out;
}

// src/check/select.ts
import { stat as stat2 } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";

// src/graph/git.ts
import { execFile, spawn } from "node:child_process";
function runGit(cwd, args, options = {}) {
  return new Promise((resolve3, reject) => {
    execFile("git", args, { cwd, encoding: "buffer", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } }, (err, stdout, stderr) => {
      const code = err ? typeof err.code === "number" ? err.code : -1 : 0;
      const result = { stdout, stderr: stderr.toString("utf8"), code };
      if (err && err.code === "ENOENT") {
        reject(new SigcheckError("GIT", "git is not installed or not on PATH; PR scope with git refs needs it", { cause: err }));
        return;
      }
      if (code !== 0 && !options.allowFailure) {
        reject(new SigcheckError("GIT", `git ${args.join(" ")} failed in ${cwd}: ${result.stderr.trim() || `exit code ${code}`}`));
        return;
      }
      resolve3(result);
    });
  });
}
async function isGitCheckout(dir) {
  const r = await runGit(dir, ["rev-parse", "--is-inside-work-tree"], { allowFailure: true }).catch(() => void 0);
  return r !== void 0 && r.code === 0 && r.stdout.toString().trim() === "true";
}
async function repoPrefix(dir) {
  return (await runGit(dir, ["rev-parse", "--show-prefix"])).stdout.toString("utf8").trim();
}
async function resolveCommit(dir, ref) {
  const r = await runGit(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString("utf8").trim() : void 0;
}
async function mergeBase(dir, a, b) {
  const r = await runGit(dir, ["merge-base", a, b], { allowFailure: true });
  return r.code === 0 ? r.stdout.toString("utf8").trim() : void 0;
}
async function isShallow(dir) {
  const r = await runGit(dir, ["rev-parse", "--is-shallow-repository"], { allowFailure: true });
  return r.stdout.toString("utf8").trim() === "true";
}
async function deepen(dir, remote, commits) {
  const unshallow = await runGit(dir, ["fetch", "--no-tags", "--quiet", "--unshallow", remote], { allowFailure: true });
  if (unshallow.code !== 0) return false;
  if (commits.length > 0) await runGit(dir, ["fetch", "--no-tags", "--quiet", remote, ...commits], { allowFailure: true });
  return true;
}
async function listFilesAt(dir, commit, paths) {
  const r = await runGit(dir, ["ls-tree", "-r", "--name-only", "-z", "--full-tree", commit, "--", ...paths]);
  return r.stdout.toString("utf8").split("\0").filter((p) => p !== "");
}
function readFilesAt(dir, commit, paths) {
  return new Promise((resolve3, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    const chunks = [];
    let stderr = "";
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => stderr += c.toString());
    child.on("error", (err) => reject(new SigcheckError("GIT", `git cat-file failed: ${err.message}`, { cause: err })));
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new SigcheckError("GIT", `git cat-file failed in ${dir}: ${stderr.trim()}`));
        return;
      }
      const out = Buffer.concat(chunks);
      const result = /* @__PURE__ */ new Map();
      let pos = 0;
      for (const path of paths) {
        const nl = out.indexOf(10, pos);
        const header = out.subarray(pos, nl).toString("utf8");
        pos = nl + 1;
        if (header.endsWith(" missing")) {
          result.set(path, void 0);
          continue;
        }
        const size = Number(header.split(" ")[2]);
        result.set(path, out.subarray(pos, pos + size));
        pos += size + 1;
      }
      resolve3(result);
    });
    child.stdin.end(paths.map((p) => `${commit}:${p}
`).join(""));
  });
}

// src/graph/scope.ts
import { posix } from "node:path";
function globToRegExp(glob) {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end === -1) re += "\\[";
      else {
        let cls = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        if (cls.startsWith("!")) cls = `^${cls.slice(1)}`;
        re += `[${cls}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}
function pairKey(e) {
  return `${posix.dirname(e.file)}/${e.channel}\0${e.release.name}`;
}
function addedEntries(base, head) {
  const inBase = /* @__PURE__ */ new Set();
  for (const ch of base.channels) for (const e of ch.entries) inBase.add(pairKey(e));
  const out = [];
  const seen = /* @__PURE__ */ new Set();
  for (const ch of head.channels) {
    for (const e of ch.entries) {
      const key = pairKey(e);
      if (inBase.has(key) || seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}
function selectEntries(head, options = {}) {
  let entries = options.base ? addedEntries(options.base, head) : head.channels.flatMap((c) => c.entries);
  const findings = [];
  if (options.channels && options.channels.length > 0) {
    const res = options.channels.map(globToRegExp);
    entries = entries.filter((e) => res.some((re) => re.test(e.channel)));
    const known = new Set(head.channels.map((c) => c.channel));
    for (const [i, glob] of options.channels.entries()) {
      if (![...known].some((c) => res[i].test(c))) {
        findings.push({ severity: "warning", code: "CHANNEL_NOT_FOUND", message: `--channel ${glob} matches no channel in ${head.source}` });
      }
    }
  }
  const unlisted = [];
  if (options.versions && options.versions.length > 0) {
    const wanted = new Set(options.versions);
    const matches = (e) => wanted.has(e.release.name) || wanted.has(e.release.version);
    const all = head.channels.flatMap((c) => c.entries);
    for (const v of wanted) {
      if (!all.some((e) => e.release.name === v || e.release.version === v)) unlisted.push(v);
    }
    entries = entries.filter(matches);
  }
  return { entries, unlisted, findings };
}

// src/graph/walk.ts
import { readdir, readFile, stat } from "node:fs/promises";
import { join, posix as posix2 } from "node:path";

// src/graph/channels.ts
var import_yaml = __toESM(require_dist(), 1);
import { basename, extname } from "node:path";
function finding(file, line, code, message, severity = "error") {
  return line === void 0 ? { severity, code, message, file } : { severity, code, message, file, line };
}
function parseChannelFile(file, text) {
  const findings = [];
  const lineCounter = new import_yaml.LineCounter();
  const doc = (0, import_yaml.parseDocument)(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node) => node?.range ? lineCounter.linePos(node.range[0]).line : void 0;
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const line = lineCounter.linePos(err.pos[0]).line;
      findings.push(finding(file, line, "YAML_SYNTAX", `not valid YAML: ${err.message.split("\n")[0]}`));
    }
    return { findings };
  }
  if (!(0, import_yaml.isMap)(doc.contents)) {
    findings.push(finding(file, lineOf(doc.contents) ?? 1, "CHANNEL_SCHEMA", `a channel file must be a YAML mapping with "name" and "versions"`));
    return { findings };
  }
  const expectedName = basename(file, extname(file));
  const nameNode = doc.contents.get("name", true);
  let channel = expectedName;
  if (!(0, import_yaml.isScalar)(nameNode) || typeof nameNode.value !== "string" || nameNode.value === "") {
    findings.push(finding(file, lineOf(nameNode) ?? 1, "CHANNEL_NAME", `"name" must be a non-empty string (expected ${JSON.stringify(expectedName)})`));
  } else if (nameNode.value !== expectedName) {
    findings.push(
      finding(file, lineOf(nameNode), "CHANNEL_NAME", `channel name ${JSON.stringify(nameNode.value)} differs from the file name ${JSON.stringify(basename(file))}; Cincinnati needs them to match: fix "name" or rename the file`)
    );
    channel = nameNode.value;
  } else {
    channel = nameNode.value;
  }
  const versionsNode = doc.contents.get("versions", true);
  const entries = [];
  if (versionsNode === void 0) {
    findings.push(finding(file, 1, "CHANNEL_SCHEMA", 'no "versions" list'));
  } else if (!(0, import_yaml.isSeq)(versionsNode)) {
    findings.push(finding(file, lineOf(versionsNode), "CHANNEL_SCHEMA", `"versions" must be a list of version strings`));
  } else {
    const seen = /* @__PURE__ */ new Map();
    for (const item of versionsNode.items) {
      const line = lineOf(item) ?? 1;
      if (!(0, import_yaml.isScalar)(item)) {
        findings.push(finding(file, line, "VERSION_NOT_STRING", `a versions entry must be a version string`));
        continue;
      }
      if (typeof item.value !== "string") {
        const src = item.source ?? String(item.value);
        findings.push(finding(file, line, "VERSION_NOT_STRING", `${JSON.stringify(src)} is read by YAML as a ${item.value === null ? "null" : typeof item.value}, not a version string; write a full x.y.z version`));
        continue;
      }
      const parsed = parseReleaseName(item.value);
      if (!parsed.ok) {
        findings.push(finding(file, line, "VERSION_NOT_SEMVER", parsed.reason));
        continue;
      }
      const first = seen.get(item.value);
      if (first !== void 0) {
        findings.push(finding(file, line, "VERSION_DUPLICATE", `${item.value} is listed again (first at line ${first})`, "warning"));
      } else {
        seen.set(item.value, line);
      }
      entries.push({ file, line, channel, release: parsed.release });
    }
  }
  return { channel: { file, channel, entries }, findings };
}

// src/graph/walk.ts
var CHANNEL_DIRS = ["channels", "internal-channels"];
function directorySource(root) {
  return {
    describe: () => root,
    async listChannelFiles() {
      const st = await stat(root).catch(() => void 0);
      if (!st?.isDirectory()) throw new SigcheckError("CONFIG", `graph-data directory ${root} does not exist; pass --graph-data DIR (a checkout of openshift/cincinnati-graph-data)`);
      const files = [];
      let found = 0;
      for (const dir of CHANNEL_DIRS) {
        const entries = await readdir(join(root, dir), { withFileTypes: true }).catch((err) => {
          if (err.code === "ENOENT") return void 0;
          throw err;
        });
        if (entries === void 0) continue;
        found++;
        for (const e of entries) if (e.isFile()) files.push(`${dir}/${e.name}`);
      }
      if (found === 0) throw new SigcheckError("CONFIG", `${root} does not look like graph-data: it has neither channels/ nor internal-channels/; pass --graph-data DIR`);
      return files.sort();
    },
    readFile: (rel) => readFile(join(root, rel))
  };
}
function commitSource(repoDir, commit, prefix) {
  let cache;
  const full = (rel) => posix2.join(prefix, rel);
  return {
    describe: () => `${repoDir}@${commit.slice(0, 12)}`,
    async listChannelFiles() {
      const paths = await listFilesAt(repoDir, commit, CHANNEL_DIRS.map((d) => full(d)));
      const files = paths.map((p) => prefix ? p.slice(prefix.length) : p).filter((p) => CHANNEL_DIRS.some((d) => p.startsWith(`${d}/`) && !p.slice(d.length + 1).includes("/")));
      if (files.length === 0) {
        throw new SigcheckError("CONFIG", `commit ${commit.slice(0, 12)} has no ${full("channels")}/ or ${full("internal-channels")}/ files; is --graph-data the graph-data root?`);
      }
      cache = await readFilesAt(repoDir, commit, files.map(full));
      return files.sort();
    },
    async readFile(rel) {
      const buf = cache?.get(full(rel));
      if (!buf) throw new SigcheckError("GIT", `${full(rel)} is not in commit ${commit.slice(0, 12)}`);
      return buf;
    }
  };
}
var utf8 = new TextDecoder("utf-8", { fatal: true });
async function readGraphData(source) {
  const channels = [];
  const findings = [];
  for (const file of await source.listChannelFiles()) {
    if (!file.endsWith(".yaml")) {
      if (file.endsWith(".yml")) {
        findings.push({ severity: "warning", code: "CHANNEL_EXTENSION", file, line: 1, message: `${file} is ignored: Cincinnati reads only *.yaml channel files; rename it to .yaml` });
      }
      continue;
    }
    let text;
    try {
      text = utf8.decode(await source.readFile(file));
    } catch (err) {
      if (err instanceof SigcheckError) throw err;
      findings.push({ severity: "error", code: "YAML_SYNTAX", file, line: 1, message: `${file} is not UTF-8 text` });
      continue;
    }
    const parsed = parseChannelFile(file, text);
    findings.push(...parsed.findings);
    if (parsed.channel) channels.push(parsed.channel);
  }
  return { source: source.describe(), channels, findings };
}

// src/check/select.ts
async function isDirectory(path) {
  return (await stat2(path).catch(() => void 0))?.isDirectory() ?? false;
}
function prefixFor(dir) {
  const rel = relative(process.cwd(), dir);
  return toPrefix(rel.startsWith("..") ? dir : rel);
}
function toPrefix(p) {
  const posixPath = p.split(sep).join("/");
  return posixPath === "" || posixPath === "." ? "" : posixPath.endsWith("/") ? posixPath : `${posixPath}/`;
}
var SHALLOW_HINT = "The checkout is shallow and does not contain the merge-base of the pull request. Set `fetch-depth: 0` on actions/checkout (or run `git fetch --unshallow`).";
async function resolveRefs(dir, base, head, options) {
  let baseCommit = await resolveCommit(dir, base);
  let headCommit = await resolveCommit(dir, head);
  let mb = baseCommit && headCommit ? await mergeBase(dir, baseCommit, headCommit) : void 0;
  if (!mb && await isShallow(dir)) {
    if (!options.deepen) throw new SigcheckError("CONFIG", `cannot find the merge-base of ${base} and ${head}. ${SHALLOW_HINT}`);
    options.log?.(`shallow checkout: fetching history from ${options.remote ?? "origin"} to find the merge-base of ${base} and ${head}`);
    const ok = await deepen(dir, options.remote ?? "origin", [base, head].filter((r) => /^[0-9a-f]{7,40}$/.test(r)));
    if (!ok) throw new SigcheckError("CONFIG", `could not fetch more history to find the merge-base of ${base} and ${head}. ${SHALLOW_HINT}`);
    baseCommit = await resolveCommit(dir, base);
    headCommit = await resolveCommit(dir, head);
    mb = baseCommit && headCommit ? await mergeBase(dir, baseCommit, headCommit) : void 0;
  }
  if (!baseCommit) throw new SigcheckError("CONFIG", `--base ${base} is neither a directory nor a commit in ${dir}; fetch it first (git fetch origin ${base})`);
  if (!headCommit) throw new SigcheckError("CONFIG", `--head ${head} is neither a directory nor a commit in ${dir}`);
  if (!mb) throw new SigcheckError("CONFIG", `${base} and ${head} have no common history in ${dir}. ${SHALLOW_HINT}`);
  return { mergeBase: mb, head: headCommit };
}
async function selectNodes(options) {
  const graphDir = resolve(options.graphData);
  if (options.head !== void 0 && options.base === void 0) {
    throw new SigcheckError("USAGE", "--head needs --base: PR scope compares a base with a head (git refs or two directories)");
  }
  let graph;
  let base;
  let mode = "audit";
  let pathPrefix = prefixFor(graphDir);
  let baseLabel;
  let headLabel;
  const inGit = await isGitCheckout(graphDir).catch(() => false);
  if (inGit) pathPrefix = toPrefix(await repoPrefix(graphDir));
  if (options.base !== void 0) {
    mode = "pr";
    const headArg = options.head ?? (await isDirectory(options.base) ? graphDir : "HEAD");
    if (await isDirectory(options.base)) {
      if (!await isDirectory(headArg)) throw new SigcheckError("USAGE", `--base ${options.base} is a directory, so --head must be one too (got ${headArg})`);
      base = await readGraphData(directorySource(resolve(options.base)));
      graph = await readGraphData(directorySource(resolve(headArg)));
      if (options.head !== void 0) pathPrefix = prefixFor(resolve(headArg));
      baseLabel = options.base;
      headLabel = headArg;
    } else {
      if (!inGit) throw new SigcheckError("CONFIG", `--base ${options.base} is not a directory, and ${graphDir} is not a git checkout in which it could be a ref`);
      const prefix = await repoPrefix(graphDir);
      const refs = await resolveRefs(graphDir, options.base, headArg, options);
      base = await readGraphData(commitSource(graphDir, refs.mergeBase, prefix));
      graph = await readGraphData(commitSource(graphDir, refs.head, prefix));
      baseLabel = `${options.base} (merge-base ${refs.mergeBase.slice(0, 12)})`;
      headLabel = `${headArg} (${refs.head.slice(0, 12)})`;
    }
  } else {
    graph = await readGraphData(directorySource(graphDir));
    if (options.versions && options.versions.length > 0) mode = "versions";
  }
  const selection = selectEntries(graph, {
    ...base ? { base } : {},
    ...options.versions ? { versions: options.versions } : {},
    ...options.channels ? { channels: options.channels } : {}
  });
  const nodes = toGraphNodes(selection.entries);
  const findings = [...selection.findings];
  for (const v of selection.unlisted) {
    const parsed = parseReleaseName(v);
    if (!parsed.ok) throw new SigcheckError("USAGE", `--version: ${parsed.reason}`);
    if (mode !== "pr") {
      findings.push({ severity: "warning", code: "VERSION_NOT_IN_GRAPH", message: `${v} is not listed in any channel of ${graph.source}; checking it anyway` });
      nodes.push({ name: v, release: parsed.release, places: [] });
    }
  }
  let graphFindings = graph.findings;
  if (base) {
    const baseFindings = new Set(base.findings.map((f) => `${f.file}\0${f.code}\0${f.message.replace(/:\d+|line \d+/g, "")}`));
    graphFindings = graph.findings.filter((f) => !baseFindings.has(`${f.file}\0${f.code}\0${f.message.replace(/:\d+|line \d+/g, "")}`));
  }
  findings.unshift(...graphFindings);
  return { mode, graph, nodes, findings, pathPrefix, ...baseLabel ? { baseLabel } : {}, ...headLabel ? { headLabel } : {} };
}

// src/check/execute.ts
import { join as join3 } from "node:path";

// src/check/cache.ts
import { readFile as readFile2, rename, writeFile, mkdir } from "node:fs/promises";
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
      text = await readFile2(path, "utf8");
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
var import_yaml3 = __toESM(require_dist(), 1);
import { readFile as readFile4 } from "node:fs/promises";
import { dirname as dirname2, isAbsolute, join as join2, resolve as resolve2 } from "node:path";

// src/check/skip.ts
var import_yaml2 = __toESM(require_dist(), 1);
import { readFile as readFile3 } from "node:fs/promises";
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
    text = await readFile3(path, "utf8");
  } catch (err) {
    throw new SigcheckError("CONFIG", `cannot read skip file ${path}: ${err.message}`);
  }
  let raw;
  try {
    raw = (0, import_yaml2.parse)(text);
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
    text = await readFile4(path, "utf8");
  } catch (err) {
    if (err.code === "ENOENT" && !options.required) return void 0;
    throw new SigcheckError("CONFIG", `cannot read config file ${path}: ${err.message}`);
  }
  let raw;
  try {
    raw = (0, import_yaml3.parse)(text);
  } catch (err) {
    throw new SigcheckError("CONFIG", `config file ${path} is not valid YAML: ${err.message.split("\n")[0]}`);
  }
  if (raw === null || raw === void 0) return { path, flags: {}, skip: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new SigcheckError("CONFIG", `config file ${path} must be a YAML mapping of option names to values`);
  const base = dirname2(resolve2(path));
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
    const abs = (p) => isAbsolute(p) ? p : join2(base, p);
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

// src/check/pool.ts
async function orderedPool(items, limit, worker, emit) {
  const iterator = items[Symbol.iterator]();
  const done = /* @__PURE__ */ new Map();
  let nextIndex = 0;
  let nextToEmit = 0;
  let emitted = 0;
  let exhausted = false;
  let emitting = false;
  let inFlight = 0;
  let failure;
  await new Promise((resolveAll) => {
    const finishIfDone = () => {
      if ((exhausted || failure !== void 0) && inFlight === 0 && !emitting) resolveAll();
    };
    const pump = () => {
      while (!exhausted && failure === void 0 && nextIndex - emitted < limit) {
        const step = iterator.next();
        if (step.done) {
          exhausted = true;
          break;
        }
        const index = nextIndex++;
        inFlight++;
        worker(step.value, index).then(
          (result) => {
            inFlight--;
            done.set(index, result);
            void drain();
          },
          (err) => {
            inFlight--;
            failure ??= err;
            finishIfDone();
          }
        );
      }
      finishIfDone();
    };
    const drain = async () => {
      if (emitting) return;
      emitting = true;
      try {
        while (failure === void 0 && done.has(nextToEmit)) {
          const index = nextToEmit++;
          const result = done.get(index);
          done.delete(index);
          await emit(result, index);
          emitted++;
        }
      } catch (err) {
        failure ??= err;
      } finally {
        emitting = false;
      }
      pump();
    };
    pump();
  });
  if (failure !== void 0) throw failure;
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
  const file = await readConfigFile(options.configPath ?? join3(graphData, CONFIG_FILE_NAME), { required: options.configPath !== void 0 });
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
  orderedPool,
  toNodeTargets,
  selectNodes,
  prepareCheck,
  executeCheck
};
