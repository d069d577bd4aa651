/**
 * Files the user names are opened only if they are regular files, read only up to a cap, and parsed
 * only up to a document count (issue 9.8): a FIFO and a symlink to /dev/zero are usage errors (exit 2)
 * naming the file, before any read (the FIFO used to hang, /dev/zero to read until memory ran out); an
 * oversized file and a file of 100,000 tiny documents are refused naming the file, never a crash.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadConfigMapIndex } from '../../src/mirror/configmaps.ts';
import { MAX_CONFIGMAP_DOCUMENTS, MAX_CONFIGMAP_FILE_BYTES } from '../../src/openpgp/configmap.ts';
import { Capture } from '../helpers/fakes.ts';

let dir: string;
let fifo: string;
let zero: string;
let huge: string;
let many: string;
let flow: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sigcheck-cm-files-'));
  fifo = join(dir, 'pipe.yaml');
  execFileSync('mkfifo', [fifo]);
  zero = join(dir, 'zero.yaml');
  await symlink('/dev/zero', zero);
  huge = join(dir, 'huge.yaml');
  const h = await open(huge, 'w');
  await h.truncate(MAX_CONFIGMAP_FILE_BYTES + 1); // sparse: costs no disk
  await h.close();
  many = join(dir, 'many.yaml');
  await writeFile(many, 'a: 1\n---\n'.repeat(100_000));
  // One document of 1 MiB of flow values: within the byte cap, some 600 MB once parsed.
  flow = join(dir, 'flow.yaml');
  await writeFile(flow, `kind: ConfigMap\nbinaryData: [${'0,'.repeat(512 * 1024)}0]\n`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout: stdout as never, stderr: stderr as never, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('configmap FILE refuses what is not a small regular file', () => {
  it.each([
    ['a FIFO', () => fifo, /pipe\.yaml: is a FIFO \(named pipe\), not a regular file/],
    ['a symlink to /dev/zero', () => zero, /zero\.yaml: is a character device, not a regular file/],
    ['a file over the size cap', () => huge, new RegExp(`huge\\.yaml: is ${MAX_CONFIGMAP_FILE_BYTES + 1} bytes, over the ${MAX_CONFIGMAP_FILE_BYTES}-byte limit`)],
    ['a file of 100,000 tiny documents', () => many, new RegExp(`many\\.yaml: more than ${MAX_CONFIGMAP_DOCUMENTS} YAML/JSON documents`)],
    ['one document of 1 MiB of flow values', () => flow, /flow\.yaml: not read: it may hold up to \d+ YAML values/],
  ])('%s: exit 2, naming the file', async (_name, path, message) => {
    const r = await cli('configmap', path());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('mirror --configmaps reads the same way (the same reader): the FIFO is refused naming it', async () => {
    await expect(loadConfigMapIndex([fifo])).rejects.toMatchObject({ code: 'FILE_NOT_REGULAR', message: expect.stringMatching(/pipe\.yaml: is a FIFO/) });
    await expect(loadConfigMapIndex([many])).rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/many\.yaml: more than/) });
  });

  it('in a directory, such files become notes and the rest is read', async () => {
    const r = await cli('configmap', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/zero\.yaml: is a character device.*skipped/);
    expect(r.stderr).toMatch(/many\.yaml: more than .*skipped/);
  });

  it('signature --openpgp and key files: a FIFO and /dev/zero are refused naming the file', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    for (const path of [fifo, zero]) {
      const sig = await cli('signature', '--digest', digest, '--openpgp', path);
      expect([sig.code, sig.stderr]).toEqual([2, expect.stringContaining(`${path}: is a`)]);
      const key = await cli('configmap', '--openpgp-key', path, many);
      expect([key.code, key.stderr]).toEqual([2, expect.stringContaining(`${path}: is a`)]);
      const sigstoreKey = await cli('signature', '--digest', digest, '--sigstore-layout', dir, '--sigstore-key', path);
      expect([sigstoreKey.code, sigstoreKey.stderr]).toEqual([2, expect.stringContaining(`${path}: is a`)]);
    }
  });
});
