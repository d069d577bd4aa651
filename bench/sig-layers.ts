/**
 * Peak memory of the Sigstore check of a `.sig` with many large layers (issue 9.8): pushes to a local
 * docker-registry a release image whose `.sig` manifest lists LAYERS distinct, validly signed layers of
 * about 4 MiB each (the cap CRI-O reads), then runs the bundled CLI (`dist/cli.js image ... --require
 * sigstore`) under /usr/bin/time -v and prints its peak RSS, wall time and verdict. CRI-O reads every
 * blob before judging, so the tool must fetch all of them; it must not hold them all.
 *
 *   npm run bundle && node bench/sig-layers.ts            # 600 layers
 *   LAYERS=50 node bench/sig-layers.ts
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosignConfig, cosignPayload, goJson, sigTag, SIGNATURE_ANNOTATION, SIMPLE_SIGNING } from '../test/harness/cosign.ts';
import { buildImage, HttpPusher, sha256 } from '../test/harness/images.ts';
import { startRegistry } from '../test/harness/registry.ts';

const LAYERS = Number(process.env['LAYERS'] ?? 600);
const BLOB = 4 * 1024 * 1024 - 4096;
const REPO = 'openshift-release-dev/ocp-release';
const root = join(import.meta.dirname, '..');

const registry = await startRegistry();
const dir = await mkdtemp(join(tmpdir(), 'sigcheck-bench-layers-'));
try {
  const pusher = new HttpPusher(registry.url, REPO);
  const image = buildImage({ arch: 'amd64', seed: 'sig-layers' });
  const digest = await pusher.image(image, '4.99.9-x86_64');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyFile = join(dir, 'key.pem');
  await writeFile(keyFile, publicKey.export({ type: 'spki', format: 'pem' }));

  // Each layer: a valid payload padded with trailing whitespace (still one JSON value) to a distinct
  // length near 4 MiB, signed, pushed, and dropped before the next one is made.
  const started = performance.now();
  const payload = cosignPayload(`${registry.host}/${REPO}@${digest}`, digest);
  const layers: { mediaType: string; size: number; digest: string; annotations: Record<string, string> }[] = [];
  for (let i = 0; i < LAYERS; i++) {
    const blob = Buffer.alloc(BLOB - i, 0x20);
    blob.set(payload);
    const d = sha256(blob);
    await pusher.blob({ mediaType: SIMPLE_SIGNING, digest: d, bytes: blob });
    layers.push({ mediaType: SIMPLE_SIGNING, size: blob.byteLength, digest: d, annotations: { [SIGNATURE_ANNOTATION]: sign('sha256', blob, privateKey).toString('base64') } });
  }
  const config = cosignConfig(layers.map((l) => l.digest));
  await pusher.blob({ mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), bytes: config });
  const manifest = new TextEncoder().encode(
    `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":${config.byteLength},"digest":"${sha256(config)}"},` +
      `"layers":[${layers.map((l) => `{"mediaType":"${l.mediaType}","size":${l.size},"digest":"${l.digest}","annotations":${goJson(l.annotations)}}`).join(',')}]}`,
  );
  await pusher.manifest(manifest, 'application/vnd.oci.image.manifest.v1+json', sigTag(digest));
  console.log(`pushed ${LAYERS} layers of ~${(BLOB / 2 ** 20).toFixed(1)} MiB (${((LAYERS * BLOB) / 2 ** 30).toFixed(2)} GiB) and a ${manifest.byteLength}-byte .sig manifest in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const args = [join(root, 'dist', 'cli.js'), 'image', `http://${registry.host}/${REPO}:4.99.9-x86_64`, '--require', 'sigstore', '--sigstore-key', keyFile, '--format', 'json'];
  const t0 = performance.now();
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
    execFile('/usr/bin/time', ['-v', process.execPath, ...args], { maxBuffer: 64 * 1024 * 1024 }, (_err, out, err) => resolve({ stdout: out, stderr: err }));
  });
  const wall = (performance.now() - t0) / 1000;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1];
  const report = JSON.parse(stdout) as { nodes?: { sigstore: { outcome: string; reason: string } }[] };
  const sigstore = report.nodes?.[0]?.sigstore;
  console.log(`dist/cli.js image (${LAYERS} layers): peak RSS ${rss ? (Number(rss) / 1024).toFixed(0) : '?'} MiB, ${wall.toFixed(1)} s, sigstore ${sigstore?.outcome}: ${sigstore?.reason.slice(0, 160)}`);
} finally {
  await registry.stop();
  await rm(dir, { recursive: true, force: true });
}
