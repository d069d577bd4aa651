import { createRequire as __sigcheckCreateRequire } from 'node:module';
const require = __sigcheckCreateRequire(import.meta.url);
import {
  removeOnExit
} from "./chunk-A5JPGACY.js";
import {
  bool,
  list,
  parseCommandArgs,
  str
} from "./chunk-ZSOYOW2A.js";
import {
  ProgressReporter,
  createMessage,
  executeCheck,
  generateKey,
  prepareCheck,
  require_tar_stream,
  sign
} from "./chunk-EMWE3HHO.js";
import "./chunk-POKWITQM.js";
import {
  MultiReporter,
  createReporter,
  openFileReporter,
  parseFormat,
  parseOutputSpec
} from "./chunk-NBE2HKWK.js";
import "./chunk-S5K3IP7C.js";
import "./chunk-F5KIXSS4.js";
import {
  optionsHelp,
  parseArgsSpec
} from "./chunk-SJK7R5BZ.js";
import "./chunk-ZYBZPEKE.js";
import "./chunk-VJFIUDJR.js";
import "./chunk-GOJHGAW3.js";
import {
  __toESM
} from "./chunk-YOB2P7JE.js";

// src/commands/demo.ts
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";

// src/demo/world.ts
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

// src/demo/content.ts
import { createHash, generateKeyPairSync, sign as sign2 } from "node:crypto";
import { gzipSync } from "node:zlib";
var tar = __toESM(require_tar_stream(), 1);
var OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
var OCI_INDEX = "application/vnd.oci.image.index.v1+json";
var LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
var SIMPLESIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
var BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";
var sha256 = (b) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
async function generateDemoKeys() {
  const { privateKey, publicKey } = await generateKey({ type: "ecc", curve: "nistP256", userIDs: [{ name: "release-sigcheck demo signer", email: "demo@example.invalid" }], format: "object" });
  const sig = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const wrong = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    openpgp: { privateKey, publicArmored: publicKey.armor() },
    sigstore: { privateKey: sig.privateKey, publicPem: sig.publicKey.export({ type: "spki", format: "pem" }).toString() },
    wrongSigstore: wrong.privateKey
  };
}
async function tarGz(files) {
  const pack2 = tar.pack();
  const parts = [];
  const done = new Promise((resolve, reject) => {
    pack2.on("data", (c) => {
      parts.push(c);
    });
    pack2.on("end", () => resolve());
    pack2.on("error", reject);
  });
  for (const f of files) {
    const content = Buffer.from(f.content);
    pack2.entry({ name: f.name, size: content.length, mtime: /* @__PURE__ */ new Date(0) }, content);
  }
  pack2.finalize();
  await done;
  return gzipSync(Buffer.concat(parts));
}
function putImage(reg, repo, arch, layers, labels) {
  const config = Buffer.from(JSON.stringify({ architecture: arch, os: "linux", config: { Labels: labels }, rootfs: { type: "layers", diff_ids: layers.map((l) => sha256(l)) } }));
  for (const l of layers) reg.putBlob(repo, sha256(l), l);
  reg.putBlob(repo, sha256(config), config);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: LAYER_GZIP, digest: sha256(l), size: l.length }))
    })
  );
  const image = { digest: sha256(bytes), bytes };
  reg.putManifest(repo, [], { mediaType: OCI_MANIFEST, bytes, digest: image.digest });
  return image;
}
function putList(reg, repo, instances) {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: instances.map(({ arch, img }) => ({ mediaType: OCI_MANIFEST, digest: img.digest, size: img.bytes.length, platform: { architecture: arch, os: "linux" } }))
    })
  );
  const list2 = { digest: sha256(bytes), bytes };
  reg.putManifest(repo, [], { mediaType: OCI_INDEX, bytes, digest: list2.digest });
  return list2;
}
async function pushPayload(reg, repo, version, arch, options) {
  const base = await tarGz([{ name: "usr/bin/cluster-version-operator", content: `release-sigcheck demo ${version} ${arch}
` }]);
  const metadata = { kind: "cincinnati-metadata-v0", version, previous: [], metadata: options.multi ? { "release.openshift.io/architecture": "multi" } : {} };
  const references = {
    kind: "ImageStream",
    apiVersion: "image.openshift.io/v1",
    metadata: { name: version },
    spec: { tags: options.components.map((c) => ({ name: c.name, from: { kind: "DockerImage", name: c.reference } })) }
  };
  const manifests = await tarGz([
    { name: "release-manifests/image-references", content: JSON.stringify(references, null, 2) },
    { name: "release-manifests/release-metadata", content: JSON.stringify(metadata) }
  ]);
  return putImage(reg, repo, arch, [base, manifests], { "io.openshift.release": version });
}
var TAG_SUFFIX = { amd64: "x86_64", arm64: "aarch64", s390x: "s390x", ppc64le: "ppc64le" };
async function buildDemoContent(reg, store, repo, identityRepo, keys) {
  const openpgpSign = async (digest, reference) => {
    const payload = `{"critical": {"image": {"docker-manifest-digest": "${digest}"}, "type": "atomic container signature", "identity": {"docker-reference": "${reference}"}}, "optional": {"creator": "release-sigcheck demo"}}`;
    const message = await createMessage({ binary: Buffer.from(payload) });
    return Buffer.from(await sign({ message, signingKeys: keys.openpgp.privateKey, format: "binary" }));
  };
  const fileSignature = (digest, n, blob) => store.files.set(`sha256=${digest.slice(7)}/signature-${n}`, blob);
  const cosignSign = (digest, key, where = { repo, identity: identityRepo }) => {
    const layers = [`${where.identity}@${digest}`].map((reference) => {
      const payload = Buffer.from(`{"critical":{"identity":{"docker-reference":"${reference}"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`);
      reg.putBlob(where.repo, sha256(payload), payload);
      return { payload, signature: sign2("sha256", payload, key).toString("base64") };
    });
    const config = Buffer.from(
      JSON.stringify({ architecture: "", created: "0001-01-01T00:00:00Z", history: [{ created: "0001-01-01T00:00:00Z" }], os: "", rootfs: { type: "layers", diff_ids: layers.map((l) => sha256(l.payload)) }, config: {} })
    );
    reg.putBlob(where.repo, sha256(config), config);
    const bytes = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: "application/vnd.oci.image.config.v1+json", size: config.length, digest: sha256(config) },
        layers: layers.map((l) => ({ mediaType: SIMPLESIGNING, size: l.payload.length, digest: sha256(l.payload), annotations: { "dev.cosignproject.cosign/signature": l.signature } }))
      })
    );
    reg.putManifest(where.repo, [`sha256-${digest.slice(7)}.sig`], { mediaType: OCI_MANIFEST, bytes, digest: sha256(bytes) });
  };
  const host = identityRepo.split("/")[0];
  const namespace = repo.split("/").slice(0, -1).join("/");
  const COMPONENTS = [
    { name: "cluster-version-operator", repository: `${namespace}/ocp-v4.0-art-dev` },
    { name: "machine-config-operator", repository: `${namespace}/ocp-v4.0-art-dev` },
    { name: "cluster-ingress-operator", repository: `${namespace}/ocp-v4.0-art-dev` },
    { name: "installer", repository: `${namespace}/ocp-v5.0-art-dev` }
  ];
  const componentImages = /* @__PURE__ */ new Map();
  for (const c of COMPONENTS) {
    const images = /* @__PURE__ */ new Map();
    for (const arch of ["amd64", "arm64"]) {
      const layer = await tarGz([{ name: `usr/bin/${c.name}`, content: `${c.name} ${arch}
` }]);
      const img = putImage(reg, c.repository, arch, [layer], { "io.openshift.build.name": c.name });
      images.set(arch, img);
      cosignSign(img.digest, keys.sigstore.privateKey, { repo: c.repository, identity: `${host}/${c.repository}` });
    }
    componentImages.set(c.name, { images, list: putList(reg, c.repository, [...images].map(([arch, img]) => ({ arch, img }))), repository: c.repository });
  }
  const unsignedLayer = await tarGz([{ name: "usr/bin/machine-config-operator", content: "machine-config-operator amd64, rebuilt and not signed\n" }]);
  const unsignedComponent = putImage(reg, `${namespace}/ocp-v4.0-art-dev`, "amd64", [unsignedLayer], { "io.openshift.build.name": "machine-config-operator" });
  const componentRefs = (arch, unsigned) => COMPONENTS.map((c) => {
    const entry = componentImages.get(c.name);
    const digest = c.name === unsigned ? unsignedComponent.digest : arch === "multi" ? entry.list.digest : entry.images.get(arch).digest;
    return { name: c.name, reference: `${host}/${c.repository}@${digest}` };
  });
  const plans = [
    { version: "4.99.0", arches: ["amd64", "arm64"], multi: {}, openpgp: "good", sigstore: "good", story: "signed both ways, every architecture and the manifest list: passes" },
    { version: "4.99.1", arches: ["amd64"], openpgp: "none", sigstore: "good", story: "no OpenPGP signature in the store: the cluster-version operator would refuse the update" },
    { version: "4.99.2", arches: ["amd64"], openpgp: "misfiled", sigstore: "good", story: "the store holds 4.99.0's signature under this digest (misfiled): invalid, digest mismatch" },
    { version: "4.99.3", arches: ["amd64"], openpgp: "good", sigstore: "wrong-key", story: "the .sig tag is signed by a key nobody trusts: CRI-O would refuse to run it" },
    { version: "4.99.4", arches: ["amd64"], multi: { unsignedInstance: "arm64" }, openpgp: "good", sigstore: "good", story: "the manifest list has an arm64 instance without a .sig tag: arm64 nodes would fail to pull" },
    { version: "4.99.5", arches: ["amd64"], openpgp: "good", sigstore: "bundle-only", story: "only a cosign v3 Sigstore bundle (OCI referrer), no .sig tag: CRI-O does not read bundles" },
    { version: "4.99.6", arches: ["amd64"], openpgp: "good", sigstore: "good", unsignedComponent: "machine-config-operator", story: "the release image is signed, but its machine-config-operator component image is not: its pods would fail with SignatureValidationFailed on every cluster" },
    { version: "4.99.7", arches: ["amd64"], openpgp: "good", sigstore: "good", tagOf: "4.99.0", story: "the tag 4.99.7-x86_64 holds 4.99.0's payload (signed, but for 4.99.0): its release metadata says 4.99.0" }
  ];
  let misfiledSource;
  const payloads = /* @__PURE__ */ new Map();
  for (const plan of plans) {
    const images = /* @__PURE__ */ new Map();
    for (const arch of plan.arches) {
      const tag = `${plan.version}-${TAG_SUFFIX[arch]}`;
      const borrowed = plan.tagOf ? payloads.get(`${plan.tagOf}/${arch}`) : void 0;
      if (borrowed) {
        reg.putManifest(repo, [tag], { mediaType: OCI_MANIFEST, bytes: borrowed.bytes, digest: borrowed.digest });
        continue;
      }
      const img = await pushPayload(reg, repo, plan.version, arch, { components: componentRefs(arch, plan.unsignedComponent) });
      reg.putManifest(repo, [tag], { mediaType: OCI_MANIFEST, bytes: img.bytes, digest: img.digest });
      images.set(arch, img);
      payloads.set(`${plan.version}/${arch}`, img);
    }
    if (plan.multi) {
      const instances = [];
      for (const arch of ["amd64", "arm64"]) instances.push({ arch, img: await pushPayload(reg, repo, plan.version, arch, { multi: true, components: componentRefs("multi") }) });
      const list3 = putList(reg, repo, instances);
      const listDigest = list3.digest;
      reg.putManifest(repo, [`${plan.version}-multi`], { mediaType: OCI_INDEX, bytes: list3.bytes, digest: listDigest });
      images.set("multi", list3);
      for (const { arch, img } of instances) if (arch !== plan.multi.unsignedInstance) cosignSign(img.digest, keys.sigstore.privateKey);
    }
    for (const [arch, img] of images) {
      const reference = `${identityRepo}:${plan.version}-${arch === "multi" ? "multi" : TAG_SUFFIX[arch]}`;
      if (plan.openpgp === "good") {
        const blob = await openpgpSign(img.digest, reference);
        fileSignature(img.digest, 1, blob);
        misfiledSource ??= blob;
      } else if (plan.openpgp === "misfiled") {
        fileSignature(img.digest, 1, misfiledSource);
      }
      if (arch === "multi") continue;
      if (plan.sigstore === "good") cosignSign(img.digest, keys.sigstore.privateKey);
      else if (plan.sigstore === "wrong-key") cosignSign(img.digest, keys.wrongSigstore);
      else {
        const bundle = Buffer.from(JSON.stringify({ mediaType: BUNDLE, note: "demo bundle" }));
        reg.putBlob(repo, sha256(bundle), bundle);
        const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: BUNDLE, config: { mediaType: "application/vnd.oci.empty.v1+json", digest: sha256("{}"), size: 2 }, layers: [{ mediaType: BUNDLE, digest: sha256(bundle), size: bundle.length }], subject: { mediaType: OCI_MANIFEST, digest: img.digest, size: img.bytes.length } }));
        reg.putManifest(repo, [], { mediaType: OCI_MANIFEST, bytes: manifest, digest: sha256(manifest) });
        reg.addReferrer(repo, img.digest, { mediaType: OCI_MANIFEST, artifactType: BUNDLE, digest: sha256(manifest), size: manifest.length });
      }
    }
  }
  const names = plans.map((p) => p.version);
  const list2 = (versions) => versions.map((v) => `- ${v}`).join("\n");
  const keyData = Buffer.from(keys.sigstore.publicPem.trim()).toString("base64");
  const imagePolicy = [
    "apiVersion: config.openshift.io/v1",
    "kind: ClusterImagePolicy",
    "metadata:",
    "  name: openshift",
    "spec:",
    "  scopes:",
    `  - ${host}/${namespace}/ocp-release`,
    `  - ${host}/${namespace}/ocp-v4.0-art-dev`,
    `  - ${host}/${namespace}/ocp-v5.0-art-dev`,
    "  policy:",
    "    rootOfTrust:",
    "      policyType: PublicKey",
    "      publicKey:",
    `        keyData: ${keyData}`,
    ""
  ].join("\n");
  return {
    imagePolicy,
    releases: plans.map((p) => ({ version: p.version, story: p.story })),
    channels: {
      "channels/candidate-4.99.yaml": `name: candidate-4.99
versions:
${list2(names)}
`,
      "channels/fast-4.99.yaml": `name: fast-4.99
versions:
${list2(["4.99.0", "4.99.1"])}
`,
      "channels/stable-4.99.yaml": `name: stable-4.99
versions:
${list2(["4.99.0"])}
`
    }
  };
}

// src/demo/servers.ts
import { createServer } from "node:http";
var MemoryRegistry = class {
  /** repository -> reference (tag or digest) -> manifest */
  manifests = /* @__PURE__ */ new Map();
  /** repository -> digest -> bytes */
  blobs = /* @__PURE__ */ new Map();
  /** repository -> subject digest -> referrer descriptors */
  referrers = /* @__PURE__ */ new Map();
  requests = 0;
  putManifest(repo, refs, manifest) {
    let m = this.manifests.get(repo);
    if (!m) this.manifests.set(repo, m = /* @__PURE__ */ new Map());
    for (const r of [...refs, manifest.digest]) m.set(r, manifest);
  }
  putBlob(repo, digest, bytes) {
    let m = this.blobs.get(repo);
    if (!m) this.blobs.set(repo, m = /* @__PURE__ */ new Map());
    m.set(digest, bytes);
  }
  addReferrer(repo, subject, descriptor) {
    let m = this.referrers.get(repo);
    if (!m) this.referrers.set(repo, m = /* @__PURE__ */ new Map());
    m.set(subject, [...m.get(subject) ?? [], descriptor]);
  }
  handle(req, res) {
    this.requests++;
    const url = new URL(req.url ?? "/", "http://localhost");
    const notFound = (code) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code, message: `${code.toLowerCase().replace("_", " ")}` }] }));
    };
    if (url.pathname === "/v2/" || url.pathname === "/v2") {
      res.writeHead(200, { "content-type": "application/json", "docker-distribution-api-version": "registry/2.0" });
      res.end("{}");
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs|referrers)\/([^/]+)$/.exec(url.pathname);
    if (!m || req.method !== "GET" && req.method !== "HEAD") return notFound("UNSUPPORTED");
    const [, repo, kind, ref] = m;
    if (kind === "manifests") {
      const manifest = this.manifests.get(repo)?.get(decodeURIComponent(ref));
      if (!manifest) return notFound("MANIFEST_UNKNOWN");
      res.writeHead(200, { "content-type": manifest.mediaType, "docker-content-digest": manifest.digest, "content-length": manifest.bytes.length });
      res.end(req.method === "HEAD" ? void 0 : manifest.bytes);
      return;
    }
    if (kind === "blobs") {
      const blob = this.blobs.get(repo)?.get(ref);
      if (!blob) return notFound("BLOB_UNKNOWN");
      res.writeHead(200, { "content-type": "application/octet-stream", "docker-content-digest": ref, "content-length": blob.length });
      res.end(req.method === "HEAD" ? void 0 : blob);
      return;
    }
    const index = { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: this.referrers.get(repo)?.get(ref) ?? [] };
    res.writeHead(200, { "content-type": "application/vnd.oci.image.index.v1+json" });
    res.end(JSON.stringify(index));
  }
};
var MemoryStore = class {
  /** path below the store root (`sha256=<hex>/signature-N`) -> blob */
  files = /* @__PURE__ */ new Map();
  requests = 0;
  handle(req, res) {
    this.requests++;
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname).replace(/^\/+/, "");
    const body = this.files.get(path);
    if (!body) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
    res.end(body);
  }
};
async function listenOnLoopback(handler) {
  const server = createServer((req, res) => handler.handle(req, res));
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address();
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })
  };
}

// src/demo/world.ts
async function withDemoWorld(dir, use) {
  const registry = new MemoryRegistry();
  const store = new MemoryStore();
  let reg;
  let sto;
  try {
    reg = await listenOnLoopback(registry);
    sto = await listenOnLoopback(store);
    const repoPath = "openshift-release-dev/ocp-release";
    const identityRepo = `${reg.url.replace(/^http:\/\//, "")}/${repoPath}`;
    const keys = await generateDemoKeys();
    const content = await buildDemoContent(registry, store, repoPath, identityRepo, keys);
    const graphData = join(dir, "graph-data");
    for (const [file, text] of Object.entries(content.channels)) {
      await mkdir(dirname(join(graphData, file)), { recursive: true });
      await writeFile(join(graphData, file), text);
    }
    const openpgpKey = join(dir, "demo-openpgp.asc");
    const sigstoreKey = join(dir, "demo-sigstore.pub");
    const imagePolicy = join(dir, "demo-cluster-image-policy.yaml");
    await writeFile(openpgpKey, keys.openpgp.publicArmored);
    await writeFile(sigstoreKey, keys.sigstore.publicPem);
    await writeFile(imagePolicy, content.imagePolicy);
    const flags = {
      graphData,
      releaseRepo: `${reg.url}/${repoPath}`,
      signatureStore: [sto.url],
      openpgpKey: [openpgpKey],
      sigstoreKey: [sigstoreKey],
      imagePolicy,
      arch: "amd64,arm64,multi",
      retries: "1",
      timeout: "10s",
      concurrency: "8"
    };
    return await use({ graphData, releases: content.releases, flags });
  } finally {
    await reg?.close();
    await sto?.close();
  }
}

// src/commands/demo.ts
var DEMO_HELP = `Usage: release-sigcheck demo [options]

Runs the real check against a small, built-in set of releases served on 127.0.0.1: a release signed
both ways, and releases that are unsigned, misfiled, signed by the wrong key, partially signed across
a manifest list, signed only with a Sigstore bundle, signed but with an unsigned component image, or
tagged with another release's payload. Needs no network and no setup. It exits 1, because the broken
releases are found.

${optionsHelp("demo", ["Output"])}`;
async function runDemoCommand(args, io) {
  const { values } = parseCommandArgs("demo", args, parseArgsSpec("demo"));
  if (values.help) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  const format = parseFormat(str(values, "format"));
  const outputs = (list(values, "output") ?? []).map(parseOutputSpec);
  const say = (text) => {
    (format === "text" ? io.stdout : io.stderr).write(`${text}
`);
  };
  const keep = bool(values, "keep");
  const dir = await mkdtemp(join2(tmpdir(), "release-sigcheck-demo-"));
  const removeDir = keep ? () => void 0 : removeOnExit(dir);
  try {
    return await withDemoWorld(dir, async (world) => {
      say("release-sigcheck demo: a local registry and signature store on 127.0.0.1 with these releases:");
      for (const r of world.releases) say(`  ${r.version}  ${r.story}`);
      say(`Signatures were made just now with throwaway keys; the check trusts them in addition to the Red Hat keys,`);
      say(`under a ClusterImagePolicy like OpenShift's (release image and component repositories) with the demo key.
`);
      const prepared = await prepareCheck(world.flags);
      const reporters = [new ProgressReporter(io.stderr, { sharesTerminal: io.stdout.isTTY === true }), await createReporter(format, io.stdout)];
      for (const spec of outputs) reporters.push(await openFileReporter(spec));
      const summary = await executeCheck(prepared, { reporter: new MultiReporter(reporters) });
      say(`
The same check against your graph-data checkout and the real registry:
  release-sigcheck --graph-data /path/to/cincinnati-graph-data`);
      if (keep) say(`Kept the demo's graph-data and keys in ${dir} (the servers are gone).`);
      return summary.exitCode;
    });
  } finally {
    removeDir();
  }
}
export {
  DEMO_HELP,
  runDemoCommand
};
