/**
 * A graph-data for the bench releases, shaped like cincinnati-graph-data: per minor 4.M, channels
 * candidate-4.M, fast-4.M and stable-4.M list the minor's versions, and candidate-4.(M+1) lists them
 * again (upgrade channels carry the previous minor), so a version has three or four places and the walk
 * does the work it does on the real repository. Versions are 4.60.0 upwards, clear of real ones.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const PATCHES_PER_MINOR = 50;
export const FIRST_MINOR = 60;

/** `count` version names: 4.60.0 .. 4.60.49, 4.61.0, ... */
export function benchVersions(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `4.${FIRST_MINOR + Math.floor(i / PATCHES_PER_MINOR)}.${i % PATCHES_PER_MINOR}`);
}

function channelFile(name: string, versions: readonly string[]): string {
  return `name: ${name}\nversions:\n${versions.map((v) => `- ${v}`).join('\n')}\n`;
}

/** Writes `channels/*.yaml` under `dir`; returns the number of channel files. */
export async function writeGraphData(dir: string, versions: readonly string[]): Promise<number> {
  const byMinor = new Map<number, string[]>();
  for (const v of versions) {
    const minor = Number(v.split('.')[1]);
    let list = byMinor.get(minor);
    if (!list) byMinor.set(minor, (list = []));
    list.push(v);
  }
  const files = new Map<string, string[]>();
  const add = (channel: string, vs: readonly string[]) => files.set(channel, [...(files.get(channel) ?? []), ...vs]);
  for (const [minor, vs] of byMinor) {
    add(`candidate-4.${minor}`, vs);
    add(`fast-4.${minor}`, vs);
    add(`stable-4.${minor}`, vs);
    add(`candidate-4.${minor + 1}`, vs);
  }
  await mkdir(join(dir, 'channels'), { recursive: true });
  for (const [channel, vs] of files) await writeFile(join(dir, 'channels', `${channel}.yaml`), channelFile(channel, vs));
  return files.size;
}
