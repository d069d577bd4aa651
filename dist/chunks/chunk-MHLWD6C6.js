import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-PWC3SGM5.js";
import {
  compareReleaseNames,
  parseReleaseName
} from "./chunk-6F6SVYAF.js";
import {
  SigcheckError
} from "./chunk-PS4FLMW7.js";
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
  return new Promise((resolve2, reject) => {
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
      resolve2(result);
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
  return new Promise((resolve2, reject) => {
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
      resolve2(result);
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

export {
  orderedPool,
  toNodeTargets,
  selectNodes
};
