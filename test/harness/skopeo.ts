/**
 * Pushes OCI layouts into a harness registry with the real `skopeo copy`, and reads back the digest
 * skopeo reports (`--digestfile`), the reference the resolver's answers are compared with.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from './registry.ts';
import { writeOciLayout, type BuiltImage, type BuiltIndex, type Digest } from './images.ts';

const run = promisify(execFile);

export const SKOPEO_BIN = '/usr/bin/skopeo';

export interface SkopeoCopyOptions {
  /** Copy every image of a list (`--all`). */
  all?: boolean;
  /** `user:password` for the destination registry. */
  destCreds?: string;
  /** Destination manifest format (`oci`, `v2s2`); default: as the source. */
  format?: 'oci' | 'v2s2';
}

/**
 * `skopeo copy oci:<layout>:latest docker://<host>/<repo>:<tag>` over plain HTTP; returns the digest
 * skopeo wrote to its digest file. Runs with an accept-anything policy and no host credentials.
 */
export async function skopeoPush(built: BuiltImage | BuiltIndex, host: string, repo: string, tag: string, options: SkopeoCopyOptions = {}): Promise<Digest> {
  const dir = await makeTempDir('skopeo');
  try {
    const layout = join(dir, 'layout');
    await writeOciLayout(layout, built, 'latest');
    const policy = join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    const authFile = join(dir, 'auth.json');
    await writeFile(authFile, JSON.stringify({ auths: {} }));
    const digestFile = join(dir, 'digest');
    const args = ['--policy', policy, 'copy', '--quiet', '--dest-tls-verify=false', '--digestfile', digestFile];
    if (options.all) args.push('--all');
    if (options.format) args.push('--format', options.format);
    if (options.destCreds) args.push('--dest-creds', options.destCreds);
    else args.push('--dest-no-creds');
    args.push(`oci:${layout}:latest`, `docker://${host}/${repo}:${tag}`);
    try {
      await run(SKOPEO_BIN, args, { env: { ...process.env, REGISTRY_AUTH_FILE: authFile, XDG_RUNTIME_DIR: dir }, timeout: 60_000 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`skopeo copy to ${host}/${repo}:${tag} failed: ${e.stderr ?? e.message}`, { cause: err });
    }
    const digest = (await readFile(digestFile, 'utf8')).trim();
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`skopeo wrote no digest (${JSON.stringify(digest)})`);
    return digest as Digest;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
