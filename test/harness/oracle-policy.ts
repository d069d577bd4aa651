/**
 * Runs the oracle (../shared/oracle/bin/oracle, containers/image 5.23.1's own code) on node-policy
 * cases: `oracle sigstore` decides a pull under any policy.json and registries.d (IsRunningImageAllowed,
 * as copy.Image calls it), `oracle cimg-simple` decides one OpenPGP simple-signing signature as
 * containers/image checks it. Every call gets an empty HOME, so the built-in default lookaside
 * (`$HOME/.local/share/containers/sigstore` for a non-root user) and user configuration are empty.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ORACLE } from '../helpers/paths.ts';

export interface OracleVerdict {
  accept: boolean;
  reason: string;
}

function runOracle(args: string[], home: string): Promise<OracleVerdict> {
  return new Promise((resolve, reject) => {
    const child = spawn(ORACLE, args, { env: { PATH: '/usr/bin:/bin', HOME: home }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const text = Buffer.concat(out).toString('utf8').trim();
      if (code !== 0) {
        reject(new Error(`oracle ${args[0]} exited ${code}: ${Buffer.concat(err).toString('utf8').trim()} ${text}`));
        return;
      }
      try {
        resolve(JSON.parse(text) as OracleVerdict);
      } catch {
        reject(new Error(`oracle printed no verdict: ${text}`));
      }
    });
  });
}

/** True when the oracle's answer is about its own setup, not about the image. */
export function isSetupProblem(v: OracleVerdict): boolean {
  return v.reason.startsWith('ORACLE-SETUP') || v.reason.startsWith('KEYRING-UNREADABLE');
}

export interface OracleSigstoreCase {
  /** A directory of the case's own (policy.json, registries.d/, registries.conf are written into it). */
  dir: string;
  policy: string;
  /** registries.d files by name. */
  registriesD: Record<string, string>;
  registriesConf: string;
  /** `docker://NAME@sha256:HEX`, NAME the logical (policy-side) name. */
  ref: string;
  /** An empty directory to serve as HOME. */
  home: string;
}

export async function oracleSigstore(c: OracleSigstoreCase): Promise<OracleVerdict> {
  const regd = join(c.dir, 'registries.d');
  await mkdir(regd, { recursive: true });
  for (const [name, text] of Object.entries(c.registriesD)) await writeFile(join(regd, name), text);
  await writeFile(join(c.dir, 'policy.json'), c.policy);
  await writeFile(join(c.dir, 'registries.conf'), c.registriesConf);
  return runOracle(['sigstore', '--policy', join(c.dir, 'policy.json'), '--registries-d', regd, '--registries-conf', join(c.dir, 'registries.conf'), '--ref', c.ref], c.home);
}

export interface OracleSimpleCase {
  keyrings: string[];
  sig: string;
  manifest: string;
  identity: string;
  home: string;
}

export function oracleCimgSimple(c: OracleSimpleCase): Promise<OracleVerdict> {
  return runOracle(['cimg-simple', '--keyring', c.keyrings.join(','), '--sig', c.sig, '--manifest', c.manifest, '--identity', c.identity], c.home);
}
