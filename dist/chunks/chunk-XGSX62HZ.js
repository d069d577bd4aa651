import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  VerifiedCache,
  cacheStats,
  createNetworkDeps,
  require_dist,
  withCache
} from "./chunk-7Q3P3A2K.js";
import {
  loadPreviousReport
} from "./chunk-2Z4BBMFC.js";
import {
  CHECK_FLAG_NAMES,
  PATH_OPTIONS,
  camelCase,
  compareReleaseNames,
  isArch,
  parseReleaseName,
  readRegularFile,
  toCheckConfig
} from "./chunk-FCPXWA33.js";
import {
  SigcheckError,
  describeError,
  isSigcheckError
} from "./chunk-CJDR7VYC.js";
import {
  ChangeTracker,
  emptyPrevious,
  exitCodeWithChanges
} from "./chunk-2Z6Q3QDC.js";
import {
  RunTally
} from "./chunk-ZFG3A5T2.js";
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
import { stat } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";

// src/graph/git.ts
import { execFile, spawn } from "node:child_process";
var gitEnv = () => ({ ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_NO_REPLACE_OBJECTS: "1", GIT_LITERAL_PATHSPECS: "1", GIT_PAGER: "cat" });
var GIT_STDOUT_MAX_BYTES = 64 * 1024 * 1024;
function runGit(cwd, args, options = {}) {
  return new Promise((resolve5, reject) => {
    execFile(
      "git",
      args,
      { cwd, encoding: "buffer", maxBuffer: GIT_STDOUT_MAX_BYTES, env: gitEnv() },
      (err, stdout, stderr) => {
        const code = err ? typeof err.code === "number" ? err.code : -1 : 0;
        const result = { stdout, stderr: stderr.toString("utf8"), code };
        if (err && err.code === "ENOENT") {
          reject(new SigcheckError("GIT", "git is not installed or not on PATH; PR scope with git refs needs it", { cause: err }));
          return;
        }
        if (err && err.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER") {
          reject(new SigcheckError("GIT", `git ${args[0]} printed more than ${GIT_STDOUT_MAX_BYTES} bytes in ${cwd}; refusing to read further`, { cause: err }));
          return;
        }
        if (code !== 0 && !options.allowFailure) {
          reject(new SigcheckError("GIT", `git ${args.join(" ")} failed in ${cwd}: ${result.stderr.trim().slice(0, 500) || `exit code ${code}`}`));
          return;
        }
        resolve5(result);
      }
    );
  });
}
async function isGitCheckout(dir) {
  const r = await runGit(dir, ["rev-parse", "--is-inside-work-tree"], { allowFailure: true }).catch(() => void 0);
  return r !== void 0 && r.code === 0 && r.stdout.toString().trim() === "true";
}
async function repoPrefix(dir) {
  return (await runGit(dir, ["rev-parse", "--show-prefix"])).stdout.toString("utf8").trim();
}
async function repoTop(dir) {
  return (await runGit(dir, ["rev-parse", "--show-toplevel"])).stdout.toString("utf8").trim();
}
async function resolveCommit(dir, ref) {
  const r = await runGit(dir, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { allowFailure: true });
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
var OID_RE = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
function kindOf(mode, type) {
  if (type === "blob" && (mode === "100644" || mode === "100755")) return "file";
  if (type === "blob" && mode === "120000") return "symlink";
  if (type === "commit") return "submodule";
  if (type === "tree") return "tree";
  return "other";
}
async function listTreeAt(dir, commit, paths) {
  const r = await runGit(dir, ["ls-tree", "-r", "-z", "--long", "--full-tree", "--end-of-options", commit, "--", ...paths]);
  const out = [];
  let pos = 0;
  const buf = r.stdout;
  while (pos < buf.length) {
    const end = buf.indexOf(0, pos);
    const record = buf.subarray(pos, end === -1 ? buf.length : end);
    pos = end === -1 ? buf.length : end + 1;
    if (record.length === 0) continue;
    const tab = record.indexOf(9);
    if (tab === -1) throw new SigcheckError("GIT", `git ls-tree printed a record without a path in ${dir}`);
    const meta = record.subarray(0, tab).toString("latin1").trim().split(/ +/);
    const [mode, type, oid, sizeText] = meta;
    if (mode === void 0 || type === void 0 || oid === void 0 || !OID_RE.test(oid)) {
      throw new SigcheckError("GIT", `git ls-tree printed an unreadable record in ${dir}`);
    }
    const rawPath = Buffer.from(record.subarray(tab + 1));
    const entry = { path: rawPath.toString("utf8"), rawPath, mode, kind: kindOf(mode, type), oid };
    if (sizeText !== void 0 && /^\d+$/.test(sizeText)) entry.size = Number(sizeText);
    out.push(entry);
  }
  return out;
}
function readBlobs(dir, oids, maxBytes) {
  for (const oid of oids) if (!OID_RE.test(oid)) return Promise.reject(new SigcheckError("INTERNAL", `not a git object id: ${JSON.stringify(oid.slice(0, 80))}`));
  const unique = [...new Set(oids)];
  if (unique.length === 0) return Promise.resolve(/* @__PURE__ */ new Map());
  return new Promise((resolve5, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"], env: gitEnv() });
    const chunks = [];
    let received = 0;
    const limit = unique.length * (maxBytes + 128);
    let stderr = "";
    let failed = false;
    const fail = (err) => {
      if (failed) return;
      failed = true;
      child.kill();
      reject(err);
    };
    child.stdout.on("data", (c) => {
      received += c.length;
      if (received > limit) fail(new SigcheckError("GIT", `git cat-file printed more than the ${unique.length} blob(s) asked for in ${dir}`));
      else chunks.push(c);
    });
    child.stderr.on("data", (c) => {
      if (stderr.length < 4096) stderr += c.toString();
    });
    child.stdin.on("error", () => void 0);
    child.on("error", (err) => fail(new SigcheckError("GIT", `git cat-file failed: ${err.message}`, { cause: err })));
    child.on("close", (code) => {
      if (failed) return;
      if (code !== 0) {
        fail(new SigcheckError("GIT", `git cat-file failed in ${dir}: ${stderr.trim().slice(0, 500)}`));
        return;
      }
      const out = Buffer.concat(chunks);
      const result = /* @__PURE__ */ new Map();
      let pos = 0;
      for (const oid of unique) {
        const nl = out.indexOf(10, pos);
        if (nl === -1) return fail(new SigcheckError("GIT", `git cat-file ended early in ${dir}`));
        const header = out.subarray(pos, nl).toString("latin1").split(" ");
        pos = nl + 1;
        if (header[0] !== oid || header[1] !== "blob" || !/^\d+$/.test(header[2] ?? "")) {
          return fail(new SigcheckError("GIT", `git object ${oid} is not a readable blob in ${dir} (${header.slice(1).join(" ").slice(0, 80)})`));
        }
        const size = Number(header[2]);
        if (size > maxBytes) return fail(new SigcheckError("GIT", `git blob ${oid} has ${size} bytes, over the ${maxBytes}-byte cap`));
        result.set(oid, out.subarray(pos, pos + size));
        pos += size + 1;
      }
      resolve5(result);
    });
    child.stdin.end(unique.map((o) => `${o}
`).join(""));
  });
}
async function readFileAt(dir, commit, path, maxBytes) {
  const entries = (await listTreeAt(dir, commit, [path])).filter((e) => e.path === path);
  const entry = entries[0];
  if (!entry) return void 0;
  if (entry.kind !== "file") return { refused: `${path} at ${commit.slice(0, 12)} is a ${entry.kind}, not a regular file` };
  if (entry.size !== void 0 && entry.size > maxBytes) return { refused: `${path} at ${commit.slice(0, 12)} has ${entry.size} bytes, over the ${maxBytes}-byte cap` };
  const blobs = await readBlobs(dir, [entry.oid], maxBytes);
  return { content: blobs.get(entry.oid), oid: entry.oid };
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
        throw new SigcheckError("USAGE", `--channel ${JSON.stringify(glob.slice(0, 100))} matches no channel in ${head.source}; channels are named like stable-4.18 or candidate-4.*`);
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
import { lstat, readdir } from "node:fs/promises";
import { join, posix as posix2 } from "node:path";

// src/model/text.ts
var CONTROL_CHARACTER_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
function hasControlCharacters(text) {
  return CONTROL_CHARACTER_RE.test(text);
}

// src/graph/channels.ts
var import_yaml = __toESM(require_dist(), 1);
import { createHash } from "node:crypto";
import { basename, extname } from "node:path";
function finding(file, line, code, message, severity = "error", subject) {
  const f = { severity, code, message, file };
  if (line !== void 0) f.line = line;
  if (subject !== void 0) f.subject = subject.length <= 128 ? subject : `sha256:${createHash("sha256").update(subject).digest("hex")}`;
  return f;
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
  const nameValue = (0, import_yaml.isScalar)(nameNode) ? nameNode.value : void 0;
  if (!(0, import_yaml.isScalar)(nameNode) || typeof nameValue !== "string" || nameValue === "") {
    findings.push(finding(file, lineOf(nameNode) ?? 1, "CHANNEL_NAME", `"name" must be a non-empty string (expected ${JSON.stringify(expectedName)})`));
  } else if (nameValue.length > 200 || hasControlCharacters(nameValue)) {
    findings.push(finding(file, lineOf(nameNode), "CHANNEL_NAME", `"name" has ${nameValue.length > 200 ? `${nameValue.length} characters` : "a control character"}; a channel name is a short plain word matching the file name ${JSON.stringify(expectedName)}`));
  } else if (nameValue !== expectedName) {
    findings.push(
      finding(file, lineOf(nameNode), "CHANNEL_NAME", `channel name ${JSON.stringify(nameValue)} differs from the file name ${JSON.stringify(basename(file))}; Cincinnati needs them to match: fix "name" or rename the file`)
    );
    channel = nameValue;
  } else {
    channel = nameValue;
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
        findings.push(finding(file, line, "VERSION_NOT_STRING", `${JSON.stringify(src.length > 60 ? `${src.slice(0, 60)}\u2026` : src)} is read by YAML as a ${item.value === null ? "null" : typeof item.value}, not a version string; write a full x.y.z version`, "error", src));
        continue;
      }
      const parsed = parseReleaseName(item.value);
      if (!parsed.ok) {
        findings.push(finding(file, line, "VERSION_NOT_SEMVER", parsed.reason, "error", item.value));
        continue;
      }
      const first = seen.get(item.value);
      if (first !== void 0) {
        findings.push(finding(file, line, "VERSION_DUPLICATE", `${item.value} is listed again (first at line ${first})`, "warning", item.value));
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
var CHANNEL_FILE_MAX_BYTES = 1024 * 1024;
var CHANNEL_FILES_MAX = 1e4;
var GRAPH_DATA_MAX_BYTES = 64 * 1024 * 1024;
function showName(name) {
  const shown = JSON.stringify(name.length > 120 ? `${name.slice(0, 120)}\u2026` : name);
  return shown.replace(/[\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
function refusedEntry(dir, name, why, code = "CHANNEL_FILE_REFUSED") {
  return { severity: "error", code, message: `${dir}/${showName(name)} ${why}; it is not read. Channel files are regular files with plain names (Cincinnati's graph-data layout)` };
}
function classify(dir, name, kind, validUtf8) {
  if (!validUtf8 || hasControlCharacters(name)) return { finding: refusedEntry(dir, name, "has a name with a control character or bytes that are not UTF-8", "CHANNEL_FILE_NAME") };
  const looksLikeChannel = name.endsWith(".yaml") || name.endsWith(".yml");
  if (kind === "symlink") return looksLikeChannel ? { finding: refusedEntry(dir, name, "is a symbolic link") } : void 0;
  if (kind === "other") return looksLikeChannel ? { finding: refusedEntry(dir, name, "is not a regular file") } : void 0;
  return { ref: true };
}
var utf8Strict = new TextDecoder("utf-8", { fatal: true });
function isValidUtf8(bytes) {
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
function directorySource(root) {
  return {
    describe: () => root,
    async listChannelFiles() {
      const st = await lstat(root).catch(() => void 0);
      if (!st?.isDirectory() && !st?.isSymbolicLink()) throw new SigcheckError("CONFIG", `graph-data directory ${root} does not exist; pass --graph-data DIR (a checkout of openshift/cincinnati-graph-data)`);
      const files = [];
      const findings = [];
      let found = 0;
      for (const dir of CHANNEL_DIRS) {
        const dst = await lstat(join(root, dir)).catch(() => void 0);
        if (dst === void 0) continue;
        found++;
        if (!dst.isDirectory()) {
          findings.push({ severity: "error", code: "CHANNEL_FILE_REFUSED", message: `${dir}/ is ${dst.isSymbolicLink() ? "a symbolic link" : "not a directory"}; it is not followed, so none of its channel files are read` });
          continue;
        }
        const entries = await readdir(join(root, dir), { withFileTypes: true, encoding: "buffer" });
        for (const e of entries) {
          const raw = e.name;
          const name = raw.toString("utf8");
          const kind = e.isFile() ? "file" : e.isSymbolicLink() ? "symlink" : e.isDirectory() ? void 0 : "other";
          if (kind === void 0) continue;
          const c = classify(dir, name, kind, isValidUtf8(raw));
          if (c === void 0) continue;
          if ("finding" in c) findings.push(c.finding);
          else files.push({ file: `${dir}/${name}` });
        }
      }
      if (found === 0) throw new SigcheckError("CONFIG", `${root} does not look like graph-data: it has neither channels/ nor internal-channels/; pass --graph-data DIR`);
      return { files: files.sort((a, b) => a.file < b.file ? -1 : 1), findings };
    },
    async readFiles(refs) {
      const out = /* @__PURE__ */ new Map();
      for (const ref of refs) {
        out.set(ref.file, await readRegularFile(join(root, ref.file), { what: "channel file", maxBytes: CHANNEL_FILE_MAX_BYTES, noFollow: true }));
      }
      return out;
    }
  };
}
function commitSource(repoDir, commit, prefix) {
  const full = (rel) => posix2.join(prefix, rel);
  return {
    describe: () => `${repoDir}@${commit.slice(0, 12)}`,
    async listChannelFiles() {
      const entries = await listTreeAt(repoDir, commit, CHANNEL_DIRS.map((d) => full(d)));
      const files = [];
      const findings = [];
      let found = 0;
      for (const dir of CHANNEL_DIRS) {
        const dirPath = full(dir);
        const self = entries.find((e) => e.path === dirPath);
        if (self) {
          found++;
          findings.push({ severity: "error", code: "CHANNEL_FILE_REFUSED", message: `${dir}/ is a ${self.kind === "symlink" ? "symbolic link" : self.kind} in commit ${commit.slice(0, 12)}; it is not followed, so none of its channel files are read` });
          continue;
        }
        const under = entries.filter((e) => e.rawPath.length > dirPath.length + 1 && e.rawPath.subarray(0, dirPath.length + 1).equals(Buffer.from(`${dirPath}/`)));
        if (under.length > 0) found++;
        for (const e of under) {
          const rel = e.rawPath.subarray(dirPath.length + 1);
          if (rel.includes(47)) continue;
          const name = rel.toString("utf8");
          const c = classify(dir, name, e.kind === "file" ? "file" : e.kind === "symlink" ? "symlink" : "other", isValidUtf8(rel));
          if (c === void 0) continue;
          if ("finding" in c) findings.push(c.finding);
          else files.push({ file: `${dir}/${name}`, oid: e.oid, ...e.size !== void 0 ? { size: e.size } : {} });
        }
      }
      if (found === 0) {
        throw new SigcheckError("CONFIG", `commit ${commit.slice(0, 12)} has no ${full("channels")}/ or ${full("internal-channels")}/ files; is --graph-data the graph-data root?`);
      }
      return { files: files.sort((a, b) => a.file < b.file ? -1 : 1), findings };
    },
    async readFiles(refs) {
      const blobs = await readBlobs(repoDir, refs.map((r) => r.oid), CHANNEL_FILE_MAX_BYTES);
      return new Map(refs.map((r) => [r.file, blobs.get(r.oid)]));
    }
  };
}
function sizeCapFinding(file, size) {
  return {
    severity: "error",
    code: "CHANNEL_FILE_TOO_LARGE",
    file,
    line: 1,
    message: `${file} has ${size} bytes, over the ${CHANNEL_FILE_MAX_BYTES}-byte cap for a channel file (real ones are a few KiB); it is not read`
  };
}
async function readGraphData(source) {
  const channels = [];
  const listing = await source.listChannelFiles();
  const perFile = /* @__PURE__ */ new Map();
  const note = (file, f) => perFile.set(file, [...perFile.get(file) ?? [], f]);
  const tooMuch = (file) => ({ severity: "error", code: "GRAPH_DATA_TOO_LARGE", file, line: 1, message: `the channel files exceed ${GRAPH_DATA_MAX_BYTES} bytes together; ${file} and the rest are not read` });
  const wanted = [];
  let budget = GRAPH_DATA_MAX_BYTES;
  let stopped = false;
  for (const ref of listing.files) {
    if (!ref.file.endsWith(".yaml")) {
      if (ref.file.endsWith(".yml")) {
        note(ref.file, { severity: "warning", code: "CHANNEL_EXTENSION", file: ref.file, line: 1, message: `${ref.file} is ignored: Cincinnati reads only *.yaml channel files; rename it to .yaml` });
      }
      continue;
    }
    if (wanted.length >= CHANNEL_FILES_MAX) {
      note(ref.file, { severity: "error", code: "GRAPH_DATA_TOO_LARGE", file: ref.file, line: 1, message: `more than ${CHANNEL_FILES_MAX} channel files; ${ref.file} and the rest are not read` });
      break;
    }
    if (ref.size !== void 0) {
      if (ref.size > CHANNEL_FILE_MAX_BYTES) {
        note(ref.file, sizeCapFinding(ref.file, ref.size));
        continue;
      }
      if (ref.size > budget) {
        note(ref.file, tooMuch(ref.file));
        break;
      }
      budget -= ref.size;
    }
    wanted.push(ref);
  }
  const contents = /* @__PURE__ */ new Map();
  if (wanted.every((r) => r.size !== void 0)) {
    for (const [k, v] of await source.readFiles(wanted)) contents.set(k, v);
  } else {
    for (const ref of wanted) {
      if (stopped) break;
      try {
        const buf = (await source.readFiles([ref])).get(ref.file);
        if (buf.length > budget) {
          note(ref.file, tooMuch(ref.file));
          stopped = true;
          continue;
        }
        budget -= buf.length;
        contents.set(ref.file, buf);
      } catch (err) {
        if (!isSigcheckError(err) || !["FILE_TOO_LARGE", "FILE_NOT_REGULAR", "FILE_UNREADABLE"].includes(err.code)) throw err;
        note(ref.file, { severity: "error", code: err.code === "FILE_TOO_LARGE" ? "CHANNEL_FILE_TOO_LARGE" : "CHANNEL_FILE_REFUSED", file: ref.file, line: 1, message: `${err.message}; it is not read` });
      }
    }
  }
  const findings = [...listing.findings];
  for (const ref of listing.files) {
    findings.push(...perFile.get(ref.file) ?? []);
    const bytes = contents.get(ref.file);
    if (bytes === void 0) continue;
    let text;
    try {
      text = utf8Strict.decode(bytes);
    } catch {
      findings.push({ severity: "error", code: "YAML_SYNTAX", file: ref.file, line: 1, message: `${ref.file} is not UTF-8 text` });
      continue;
    }
    const parsed = parseChannelFile(ref.file, text);
    findings.push(...parsed.findings);
    if (parsed.channel) channels.push(parsed.channel);
  }
  return { source: source.describe(), channels, findings };
}

// src/check/select.ts
async function isDirectory(path) {
  return (await stat(path).catch(() => void 0))?.isDirectory() ?? false;
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
async function resolveSides(options) {
  const graphDir = resolve(options.graphData);
  if (options.head !== void 0 && options.base === void 0) {
    throw new SigcheckError("USAGE", "--head needs --base: PR scope compares a base with a head (git refs or two directories)");
  }
  const inGit = await isGitCheckout(graphDir).catch(() => false);
  const gitPrefix = inGit ? toPrefix(await repoPrefix(graphDir)) : prefixFor(graphDir);
  if (options.base === void 0) return { kind: "checkout", graphDir, inGit, pathPrefix: gitPrefix };
  const baseIsDir = await isDirectory(options.base);
  const headArg = options.head ?? (baseIsDir ? graphDir : "HEAD");
  if (baseIsDir) {
    if (!await isDirectory(headArg)) throw new SigcheckError("USAGE", `--base ${options.base} is a directory, so --head must be one too (got ${headArg})`);
    return {
      kind: "directories",
      baseDir: resolve(options.base),
      headDir: resolve(headArg),
      pathPrefix: options.head !== void 0 ? prefixFor(resolve(headArg)) : gitPrefix,
      baseLabel: options.base,
      headLabel: headArg
    };
  }
  if (!inGit) throw new SigcheckError("CONFIG", `--base ${options.base} is not a directory, and ${graphDir} is not a git checkout in which it could be a ref`);
  const prefix = await repoPrefix(graphDir);
  const refs = await resolveRefs(graphDir, options.base, headArg, options);
  return {
    kind: "commits",
    repoDir: graphDir,
    repoTop: await repoTop(graphDir),
    prefix,
    mergeBase: refs.mergeBase,
    head: refs.head,
    pathPrefix: gitPrefix,
    baseLabel: `${options.base} (merge-base ${refs.mergeBase.slice(0, 12)})`,
    headLabel: `${headArg} (${refs.head.slice(0, 12)})`
  };
}
async function selectNodes(options, resolved) {
  const sides = resolved ?? await resolveSides(options);
  let graph;
  let base;
  let mode = "audit";
  if (sides.kind === "directories") {
    mode = "pr";
    base = await readGraphData(directorySource(sides.baseDir));
    graph = await readGraphData(directorySource(sides.headDir));
  } else if (sides.kind === "commits") {
    mode = "pr";
    base = await readGraphData(commitSource(sides.repoDir, sides.mergeBase, sides.prefix));
    graph = await readGraphData(commitSource(sides.repoDir, sides.head, sides.prefix));
  } else {
    graph = await readGraphData(directorySource(sides.graphDir));
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
    const key = (f) => `${f.file ?? ""}\0${f.code}\0${f.subject ?? ""}`;
    const baseFindings = new Set(base.findings.map(key));
    graphFindings = graph.findings.filter((f) => !baseFindings.has(key(f)));
  }
  findings.unshift(...graphFindings);
  return {
    mode,
    graph,
    nodes,
    findings,
    sides,
    pathPrefix: sides.pathPrefix,
    ...sides.kind !== "checkout" ? { baseLabel: sides.baseLabel, headLabel: sides.headLabel } : {}
  };
}

// src/wiring/execute.ts
var import_yaml4 = __toESM(require_dist(), 1);
import { basename as basename2, join as join4, relative as relative3, resolve as resolve4, sep as sep3 } from "node:path";

// src/check/config-file.ts
var import_yaml3 = __toESM(require_dist(), 1);
import { dirname, isAbsolute, join as join2, resolve as resolve2 } from "node:path";

// src/check/skip.ts
var import_yaml2 = __toESM(require_dist(), 1);
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
var SKIP_FILE_MAX_BYTES = 1024 * 1024;
async function readSkipFile(path) {
  const bytes = await readRegularFile(path, { what: "skip file", maxBytes: SKIP_FILE_MAX_BYTES });
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new SigcheckError("CONFIG", `skip file ${path} is not UTF-8 text`);
  }
  let raw;
  try {
    raw = (0, import_yaml2.parse)(text, { maxAliasCount: 50 });
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
var CONFIG_FILE_MAX_BYTES = 1024 * 1024;
var KEYS = new Map(
  Object.entries(CHECK_FLAG_NAMES).filter(([, spec]) => spec.config !== void 0).map(([key, spec]) => [spec.name, [key, spec.config]])
);
var WORKFLOW_ONLY = {
  cache: "the verified-result cache is chosen by the workflow only (--cache, Action input cache): a file in the repository must not point the check at results it did not verify"
};
function parseConfigFile(path, text) {
  let raw;
  try {
    raw = (0, import_yaml3.parse)(text, { uniqueKeys: true, maxAliasCount: 50 });
  } catch (err) {
    throw new SigcheckError("CONFIG", `config file ${path} is not valid YAML: ${err.message.split("\n")[0]}`);
  }
  if (raw === null || raw === void 0) return { path, flags: {}, skip: [] };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new SigcheckError("CONFIG", `config file ${path} must be a YAML mapping of option names to values`);
  const base = dirname(resolve2(path));
  const flags = {};
  let skip = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === "skip") {
      skip = toSkipEntries(value, path);
      continue;
    }
    if (WORKFLOW_ONLY[key]) throw new SigcheckError("CONFIG", `config file ${path}: ${key} cannot be set here: ${WORKFLOW_ONLY[key]}`);
    const spec = KEYS.get(key);
    if (!spec) throw new SigcheckError("CONFIG", `config file ${path}: unknown option ${JSON.stringify(key.slice(0, 80))} (allowed: ${[...KEYS.keys(), "skip"].join(", ")})`);
    const [flag, kind] = spec;
    const values = Array.isArray(value) ? value.map(String) : value === null || value === void 0 ? [] : [String(value)];
    if ((kind === "string" || kind === "path") && values.length !== 1) throw new SigcheckError("CONFIG", `config file ${path}: ${key} takes one value`);
    if ((kind === "list" || kind === "paths") && values.length === 0) throw new SigcheckError("CONFIG", `config file ${path}: ${key} is empty; give at least one value or remove the key`);
    const abs = (p) => isAbsolute(p) ? p : join2(base, p);
    const set = flags;
    if (kind === "string") set[flag] = values[0];
    else if (kind === "path") set[flag] = abs(values[0]);
    else if (kind === "paths") set[flag] = values.map(abs);
    else set[flag] = flag === "arch" || flag === "require" ? values.join(",") : values;
  }
  return { path, flags, skip };
}
async function readConfigFile(trusted, path, options) {
  const bytes = await trusted.read(path, "config file", CONFIG_FILE_MAX_BYTES);
  if (bytes === void 0) {
    if (!options.required) return void 0;
    throw new SigcheckError("FILE_UNREADABLE", `cannot read config file ${path}: it does not exist${trusted.side.kind === "checkout" ? "" : ` in ${trusted.describe()}`}`);
  }
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new SigcheckError("CONFIG", `config file ${path} is not UTF-8 text`);
  }
  return parseConfigFile(path, text);
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
    ...input.cacheStats ? { cache: input.cacheStats() } : {},
    durationMs: Date.now() - started
  };
  await reporter.end(summary);
  return summary;
}

// src/check/trusted.ts
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute as isAbsolute2, join as join3, relative as relative2, resolve as resolve3, sep as sep2, posix as posix3 } from "node:path";
function toTrustedSide(sides) {
  if (sides.kind === "commits") return { kind: "commits", repoDir: sides.repoDir, repoTop: sides.repoTop, mergeBase: sides.mergeBase, head: sides.head };
  if (sides.kind === "directories") return { kind: "directories", baseDir: sides.baseDir, headDir: sides.headDir };
  return { kind: "checkout" };
}
function inside(top, path) {
  const rel = relative2(top, path);
  if (rel === "" || rel.startsWith("..") || isAbsolute2(rel)) return void 0;
  return rel.split(sep2).join(posix3.sep);
}
function isAbsent(err) {
  return err instanceof SigcheckError && err.code === "FILE_UNREADABLE" && err.cause?.code === "ENOENT";
}
function createTrustedFiles(side) {
  let tempDir;
  let copies = 0;
  const readDisk = async (path, what, maxBytes) => {
    try {
      return await readRegularFile(path, { what, maxBytes });
    } catch (err) {
      if (isAbsent(err)) return void 0;
      throw err;
    }
  };
  const readCommit = async (commit, rel, what, maxBytes) => {
    if (side.kind !== "commits") return void 0;
    const r = await readFileAt(side.repoDir, commit, rel, maxBytes);
    if (r === void 0) return void 0;
    if ("refused" in r) throw new SigcheckError("FILE_NOT_REGULAR", `${what} ${r.refused}`);
    return r.content;
  };
  const files = {
    side,
    describe() {
      if (side.kind === "commits") return `the merge-base ${side.mergeBase.slice(0, 12)}`;
      if (side.kind === "directories") return `the base directory ${side.baseDir}`;
      return "the checkout";
    },
    async read(path, what, maxBytes) {
      const abs = resolve3(path);
      if (side.kind === "commits") {
        const rel = inside(side.repoTop, abs);
        if (rel !== void 0) return readCommit(side.mergeBase, rel, what, maxBytes);
      }
      return readDisk(abs, what, maxBytes);
    },
    async materialize(path, what, maxBytes) {
      const abs = resolve3(path);
      const rel = side.kind === "commits" ? inside(side.repoTop, abs) : void 0;
      if (side.kind !== "commits" || rel === void 0) {
        if (await readDisk(abs, what, maxBytes) === void 0) throw new SigcheckError("FILE_UNREADABLE", `cannot read ${what} ${path}: it does not exist`);
        return abs;
      }
      const bytes = await readCommit(side.mergeBase, rel, what, maxBytes);
      if (bytes === void 0) {
        throw new SigcheckError("FILE_UNREADABLE", `${what} ${rel} does not exist at the merge-base ${side.mergeBase.slice(0, 12)}; in PR scope files of the repository are read as they are at the merge-base, never from the pull request, so a new file takes effect once merged`);
      }
      tempDir ??= mkdtemp(join3(tmpdir(), "release-sigcheck-trusted-"));
      const copy = join3(await tempDir, `${++copies}-${posix3.basename(rel)}`);
      await writeFile(copy, bytes, { mode: 384 });
      return copy;
    },
    async headHolds(path) {
      const abs = resolve3(path);
      if (side.kind === "commits") {
        const rel = inside(side.repoTop, abs);
        if (rel === void 0) return false;
        return (await listTreeAt(side.repoDir, side.head, [rel])).some((e) => e.path === rel);
      }
      if (side.kind === "directories") return inside(side.headDir, abs) !== void 0;
      return false;
    },
    async readHead(path, what, maxBytes) {
      const abs = resolve3(path);
      if (side.kind === "commits") {
        const rel = inside(side.repoTop, abs);
        return rel === void 0 ? void 0 : readCommit(side.head, rel, what, maxBytes);
      }
      if (side.kind === "directories") {
        const rel = inside(side.baseDir, abs);
        return rel === void 0 ? void 0 : readDisk(join3(side.headDir, rel), what, maxBytes);
      }
      return void 0;
    },
    async headDiffers(path, maxBytes) {
      const abs = resolve3(path);
      if (side.kind === "commits") {
        const rel = inside(side.repoTop, abs);
        if (rel === void 0) return false;
        const [base, head] = await Promise.all([
          listTreeAt(side.repoDir, side.mergeBase, [rel]).then((l) => l.find((e) => e.path === rel)),
          listTreeAt(side.repoDir, side.head, [rel]).then((l) => l.find((e) => e.path === rel))
        ]);
        return base?.oid !== head?.oid || base?.mode !== head?.mode;
      }
      if (side.kind === "directories") {
        const rel = inside(side.baseDir, abs);
        if (rel === void 0) return false;
        const headPath = join3(side.headDir, rel);
        const [base, head] = await Promise.all([readDisk(abs, "file", maxBytes).catch(() => void 0), readDisk(headPath, "file", maxBytes).catch(() => void 0)]);
        return base === void 0 ? head !== void 0 : head === void 0 || !base.equals(head);
      }
      return false;
    },
    async dispose() {
      if (tempDir) await rm(await tempDir, { recursive: true, force: true });
    }
  };
  return files;
}

// src/check/shard.ts
function selectShard(nodes, shard) {
  return nodes.filter((_, i) => i % shard.count === shard.index - 1);
}

// src/report/compare.ts
var ComparingReporter = class {
  inner;
  tracker;
  /** The summary the reporters received (with changes and the exit code of `--fail-on`). */
  summary;
  constructor(inner, previous, failOn) {
    this.inner = inner;
    this.tracker = new ChangeTracker(previous, failOn);
  }
  begin(info) {
    return this.inner.begin?.(info);
  }
  node(result) {
    this.tracker.node(result);
    return this.inner.node(result);
  }
  unpublished(node) {
    return this.inner.unpublished?.(node);
  }
  finding(finding2) {
    this.tracker.finding(finding2);
    return this.inner.finding(finding2);
  }
  progress(done, total) {
    this.inner.progress?.(done, total);
  }
  end(summary) {
    const changes = this.tracker.result();
    this.summary = { ...summary, exitCode: exitCodeWithChanges(summary.exitCode, changes), changes };
    return this.inner.end(this.summary);
  }
};

// src/wiring/execute.ts
var WHAT = {
  openpgpKey: "OpenPGP key file",
  sigstoreKey: "Sigstore key file",
  imagePolicy: "image policy file",
  skip: "skip file"
};
var TRUSTED_FILE_MAX_BYTES = 1024 * 1024;
function changedKeys(baseText, headText) {
  const read = (t) => {
    if (t === void 0) return {};
    try {
      const v = (0, import_yaml4.parse)(t, { maxAliasCount: 50 });
      return v !== null && typeof v === "object" && !Array.isArray(v) ? v : v === null || v === void 0 ? {} : void 0;
    } catch {
      return void 0;
    }
  };
  const a = read(baseText);
  const b = read(headText);
  if (!a || !b) return void 0;
  const keys = [.../* @__PURE__ */ new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
async function headChangeFindings(trusted, configPath, flags) {
  if (trusted.side.kind === "checkout") return [];
  const out = [];
  const from = trusted.describe();
  if (await trusted.headDiffers(configPath, CONFIG_FILE_MAX_BYTES)) {
    const decode = (b) => b === void 0 ? void 0 : b.toString("utf8");
    const [baseText, headText] = await Promise.all([
      trusted.read(configPath, "config file", CONFIG_FILE_MAX_BYTES).then(decode).catch(() => void 0),
      trusted.readHead(configPath, "config file", CONFIG_FILE_MAX_BYTES).then(decode).catch(() => void 0)
    ]);
    const keys = changedKeys(baseText, headText);
    const what = keys === void 0 ? "changes it (its new text is not a readable YAML mapping)" : keys.length > 0 ? `changes ${keys.map((k) => JSON.stringify(k.slice(0, 40))).slice(0, 10).join(", ")}` : "changes its text";
    out.push({
      severity: "warning",
      code: "CONFIG_CHANGED_BY_PR",
      message: `this pull request ${what} in ${basename2(configPath)}; the check runs with the configuration of ${from}, so the change takes effect once merged`,
      file: relativeToTop(configPath, trusted)
    });
  }
  for (const key of PATH_OPTIONS) {
    const value = flags[key];
    for (const path of value === void 0 ? [] : Array.isArray(value) ? value : [value]) {
      if (await trusted.headDiffers(path, TRUSTED_FILE_MAX_BYTES)) {
        out.push({
          severity: "warning",
          code: "TRUSTED_FILE_CHANGED_BY_PR",
          message: `this pull request changes the ${WHAT[key]} ${basename2(path)}; the check uses it as it is in ${from}, so the change takes effect once merged`
        });
      }
    }
  }
  return out;
}
function relativeToTop(path, trusted) {
  const side = trusted.side;
  const top = side.kind === "commits" ? side.repoTop : side.kind === "directories" ? side.baseDir : process.cwd();
  return relative3(top, resolve4(path)).split(sep3).join("/");
}
async function pullRequestSide(graphData, pr, options) {
  const dir = resolve4(graphData);
  if (!await isGitCheckout(dir)) {
    throw new SigcheckError("CONFIG", `on a pull_request event the configuration is read as it is at the pull request's merge-base, but ${dir} is not a git checkout; check out the repository with actions/checkout (fetch-depth: 0)`);
  }
  const refs = await resolveRefs(dir, pr.base, pr.head, { deepen: options.deepen ?? false, ...options.log ? { log: options.log } : {} });
  return { kind: "commits", repoDir: dir, repoTop: await repoTop(dir), mergeBase: refs.mergeBase, head: refs.head };
}
async function prepareCheck(flags, options = {}) {
  const graphData = flags.graphData || ".";
  const deepen2 = options.deepen ?? flags.deepen ?? false;
  const sides = await resolveSides({
    graphData,
    ...flags.base ? { base: flags.base } : {},
    ...flags.head ? { head: flags.head } : {},
    deepen: deepen2,
    ...options.log ? { log: options.log } : {}
  });
  let side = toTrustedSide(sides);
  if (side.kind === "checkout" && options.pullRequest) side = await pullRequestSide(graphData, options.pullRequest, { ...options, deepen: deepen2 });
  const trusted = createTrustedFiles(side);
  try {
    const configPath = options.configPath ?? join4(side.kind === "directories" ? side.baseDir : graphData, CONFIG_FILE_NAME);
    const file = await readConfigFile(trusted, configPath, { required: options.configPath !== void 0 });
    const merged = mergeFlags(file?.flags ?? {}, flags);
    const materialized = { ...merged };
    for (const key of PATH_OPTIONS) {
      const value = merged[key];
      if (value === void 0) continue;
      if (Array.isArray(value)) materialized[key] = await Promise.all(value.map((p) => trusted.materialize(p, WHAT[key], TRUSTED_FILE_MAX_BYTES)));
      else materialized[key] = await trusted.materialize(value, WHAT[key], TRUSTED_FILE_MAX_BYTES);
    }
    let config;
    try {
      config = toCheckConfig(materialized);
    } catch (err) {
      const key = err instanceof SigcheckError && err.option !== void 0 ? camelCase(err.option) : void 0;
      if (file && key !== void 0 && key in file.flags && !(key in flags && flags[key] !== void 0)) {
        throw new SigcheckError("CONFIG", `config file ${file.path}: ${describeError(err, (option) => option)}`, { cause: err });
      }
      throw err;
    }
    const skip = [...file?.skip ?? [], ...config.skip ? await readSkipFile(config.skip) : []];
    const selected = await selectNodes(
      {
        graphData: config.graphData,
        ...config.versions ? { versions: config.versions } : {},
        ...config.channels ? { channels: config.channels } : {}
      },
      sides
    );
    selected.findings.push(...await headChangeFindings(trusted, configPath, merged));
    let cacheReadable = true;
    if (config.cache && await trusted.headHolds(config.cache)) {
      cacheReadable = false;
      selected.findings.push({
        severity: "warning",
        code: "CACHE_IN_PULL_REQUEST",
        message: `the cache file ${basename2(config.cache)} is part of the pull request's tree, so it is not read: every signature is checked afresh. Keep the cache outside the repository (e.g. in $RUNNER_TEMP)`
      });
    }
    let previous;
    if (config.previous && !config.dryRun) {
      if (await trusted.headHolds(config.previous)) {
        previous = emptyPrevious(config.previous);
        selected.findings.push({
          severity: "warning",
          code: "PREVIOUS_IN_PULL_REQUEST",
          message: `the previous report ${basename2(config.previous)} is part of the pull request's tree, so it is not read: every failure counts as new. Restore it outside the repository (e.g. in $RUNNER_TEMP)`
        });
      } else {
        previous = await loadPreviousReport(config.previous, options.log ? { log: options.log } : {});
      }
    }
    if (config.shard) selected.nodes = selectShard(selected.nodes, config.shard);
    return {
      config,
      selected,
      skip,
      trustedFrom: trusted.describe(),
      cacheReadable,
      dispose: () => trusted.dispose(),
      ...file ? { configFile: file.path } : {},
      ...previous ? { previous } : {}
    };
  } catch (err) {
    await trusted.dispose();
    throw err;
  }
}
async function executeCheck(prepared, options) {
  const { config, selected } = prepared;
  const { matcher, findings: skipFindings } = toSkipMatcher(prepared.skip);
  let deps;
  try {
    deps = options.deps ?? await createNetworkDeps(config);
  } catch (err) {
    await prepared.dispose?.();
    throw err;
  }
  for (const w of deps.warnings) options.log?.(`warning: ${w}`);
  try {
    const cache = config.cache ? prepared.cacheReadable === false ? VerifiedCache.empty(config.cache, deps.trust) : await VerifiedCache.load(config.cache, deps.trust) : void 0;
    const checker = cache ? withCache(deps.checker, cache, { mode: config.cacheMode, ...deps.recorder ? { recorder: deps.recorder } : {}, ...deps.sources ? { sources: deps.sources } : {} }) : deps.checker;
    const comparing = prepared.previous ? new ComparingReporter(options.reporter, prepared.previous, config.failOn) : void 0;
    const ran = await runCheck(
      {
        nodes: selected.nodes,
        findings: [...selected.findings, ...skipFindings],
        arches: config.arches,
        info: {
          mode: selected.mode,
          graphData: selected.graph.source,
          pathPrefix: selected.pathPrefix,
          releaseRepo: config.network.releaseRepo,
          ...config.network.mirror ? { mirror: config.network.mirror } : {},
          ...config.shard ? { shard: config.shard } : {},
          ...prepared.trustedFrom ? { trustedFrom: prepared.trustedFrom } : {},
          ...options.reportPath ? { reportPath: options.reportPath } : {}
        },
        retries: () => deps.retries(),
        ...cache ? { cacheStats: () => cacheStats(cache, config.cacheMode) } : {}
      },
      { resolver: deps.resolver, checker },
      {
        // Each node waits on a few requests in turn; twice the per-host limit keeps every host busy.
        concurrency: config.network.concurrency * 2,
        require: config.require,
        skip: matcher,
        ...config.sigstoreFrom ? { sigstoreFrom: config.sigstoreFrom } : {}
      },
      comparing ?? options.reporter
    );
    const summary = comparing?.summary ?? ran;
    if (cache) {
      await cache.save();
      const st = cache.stats;
      options.log?.(
        config.cacheMode === "trust" ? `cache ${cache.path} (trusted as it is, not revalidated): ${st.hits} hit(s), ${st.stored} new verified result(s), ${cache.size} entries` : `cache ${cache.path}: ${st.hits} hit(s), ${st.confirmed} confirmed with ${st.requests} request(s), ${st.changed} changed and ${st.unconfirmed} unconfirmed (checked again), ${st.stored} new verified result(s), ${cache.size} entries`
      );
    }
    return summary;
  } finally {
    if (!options.deps) await deps.close();
    await prepared.dispose?.();
  }
}

// src/report/progress.ts
function formatDuration(ms) {
  const s = Math.round(ms / 1e3);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
function describeProgress(done, total, elapsedMs) {
  const pct = total === 0 ? 100 : Math.floor(done / total * 100);
  const rate = elapsedMs > 0 ? done * 1e3 / elapsedMs : 0;
  const parts = [`${done}/${total} nodes (${pct}%)`];
  if (done > 0 && elapsedMs >= 1e3) {
    parts.push(`${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)}/s`);
    if (done < total) parts.push(`ETA ${formatDuration((total - done) / rate * 1e3)}`);
  }
  parts.push(`${formatDuration(elapsedMs)} elapsed`);
  return parts.join(" \xB7 ");
}
var ProgressReporter = class {
  out;
  enabled;
  sharesTerminal;
  now;
  intervalMs;
  started = 0;
  lastDraw = -Infinity;
  shown = false;
  done = 0;
  total = 0;
  constructor(out, options = {}) {
    this.out = out;
    this.enabled = options.enabled ?? out.isTTY === true;
    this.sharesTerminal = options.sharesTerminal ?? true;
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs ?? 100;
  }
  /** Removes the line, so that other text can be written where it was. */
  clear() {
    if (!this.shown) return;
    this.out.write("\r\x1B[2K");
    this.shown = false;
  }
  draw() {
    const width = 20;
    const filled = this.total === 0 ? width : Math.round(this.done / this.total * width);
    let line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${describeProgress(this.done, this.total, this.now() - this.started)}`;
    const columns = this.out.columns ?? 80;
    if (line.length > columns - 1) line = line.slice(0, columns - 1);
    this.out.write(`\r\x1B[2K${line}`);
    this.shown = true;
    this.lastDraw = this.now();
  }
  begin(info) {
    this.started = this.now();
    this.total = info.total;
  }
  node(_result) {
    if (this.sharesTerminal) this.clear();
  }
  finding() {
    if (this.sharesTerminal) this.clear();
  }
  progress(done, total) {
    if (!this.enabled) return;
    this.done = done;
    this.total = total;
    if (this.shown && this.now() - this.lastDraw < this.intervalMs && done !== total) return;
    this.draw();
  }
  end(_summary) {
    this.clear();
  }
};

export {
  orderedPool,
  toNodeTargets,
  selectNodes,
  prepareCheck,
  executeCheck,
  describeProgress,
  ProgressReporter
};
