/**
 * Parses one channel file (`channels/*.yaml`, `internal-channels/*.yaml`) into version entries that
 * remember their file and line, so a report can point at the exact line a pull request added.
 *
 * Real graph-data is tolerated as it is: unsorted versions, duplicates, comments, no trailing newline,
 * `feeder` and `tombstones` (which are not promoted and so not checked). What Cincinnati itself would
 * refuse (not YAML, a version that is not SemVer, a `name` that differs from the file name) becomes a
 * finding with file:line instead of a crash.
 */
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node } from 'yaml';
import { yamlOverBudget } from '../yaml/budget.ts';
import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { Finding, Place } from '../model/results.ts';
import { hasControlCharacters } from '../model/text.ts';
import { parseReleaseName, type ReleaseName } from '../model/version.ts';

export interface VersionEntry extends Place {
  release: ReleaseName;
}

/** The channel folders of graph-data; the first holds the public channels. */
export const CHANNEL_DIRS = ['channels', 'internal-channels'] as const;

/** Whether a channel file is a public one (`channels/`): Cincinnati serves those, never `internal-channels/`. */
export function isPublicChannelFile(file: string): boolean {
  return file.startsWith(`${CHANNEL_DIRS[0]}/`);
}

export interface ChannelFile {
  /** Path relative to the graph-data root, with forward slashes. */
  file: string;
  channel: string;
  entries: VersionEntry[];
}

export interface ParsedChannelFile {
  channel?: ChannelFile;
  findings: Finding[];
}

function finding(file: string, line: number | undefined, code: string, message: string, severity: Finding['severity'] = 'error', subject?: string): Finding {
  const f: Finding = { severity, code, message, file };
  if (line !== undefined) f.line = line;
  // A subject only has to tell findings apart: a long one is replaced by its hash, never copied out.
  if (subject !== undefined) f.subject = subject.length <= 128 ? subject : `sha256:${createHash('sha256').update(subject).digest('hex')}`;
  return f;
}

/** Findings one channel file may give; past it, one finding says how many more there were. */
export const MAX_FINDINGS_PER_FILE = 100;

export function parseChannelFile(file: string, text: string): ParsedChannelFile {
  const parsed = parseWithinBudget(file, text);
  if (parsed.findings.length <= MAX_FINDINGS_PER_FILE) return parsed;
  // A hostile file of a hundred thousand bad entries must not become a hundred thousand findings.
  const more = parsed.findings.length - MAX_FINDINGS_PER_FILE;
  const findings = parsed.findings.slice(0, MAX_FINDINGS_PER_FILE);
  findings.push(finding(file, undefined, 'CHANNEL_FINDINGS_CUT', `${more} more finding(s) in this file are not listed; fix the ones above and run again`));
  return { ...parsed, findings };
}

function parseWithinBudget(file: string, text: string): ParsedChannelFile {
  const findings: Finding[] = [];
  const over = yamlOverBudget(text);
  if (over) {
    findings.push(finding(file, 1, 'CHANNEL_FILE_TOO_LARGE', `not read: ${over}; a channel file is a name and a list of versions`));
    return { findings };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;

  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const line = lineCounter.linePos(err.pos[0]).line;
      findings.push(finding(file, line, 'YAML_SYNTAX', `not valid YAML: ${err.message.split('\n')[0]}`));
    }
    return { findings };
  }
  if (!isMap(doc.contents)) {
    findings.push(finding(file, lineOf(doc.contents) ?? 1, 'CHANNEL_SCHEMA', `a channel file must be a YAML mapping with "name" and "versions"`));
    return { findings };
  }

  const expectedName = basename(file, extname(file));
  const nameNode = doc.contents.get('name', true);
  let channel = expectedName;
  const nameValue: unknown = isScalar(nameNode) ? nameNode.value : undefined;
  if (!isScalar(nameNode) || typeof nameValue !== 'string' || nameValue === '') {
    findings.push(finding(file, lineOf(nameNode) ?? 1, 'CHANNEL_NAME', `"name" must be a non-empty string (expected ${JSON.stringify(expectedName)})`));
  } else if (nameValue.length > 200 || hasControlCharacters(nameValue)) {
    // A hostile name never becomes the channel's name in a report; the file's name stands in.
    findings.push(finding(file, lineOf(nameNode), 'CHANNEL_NAME', `"name" has ${nameValue.length > 200 ? `${nameValue.length} characters` : 'a control character'}; a channel name is a short plain word matching the file name ${JSON.stringify(expectedName)}`));
  } else if (nameValue !== expectedName) {
    findings.push(
      finding(file, lineOf(nameNode), 'CHANNEL_NAME', `channel name ${JSON.stringify(nameValue)} differs from the file name ${JSON.stringify(basename(file))}; Cincinnati needs them to match: fix "name" or rename the file`),
    );
    channel = nameValue;
  } else {
    channel = nameValue;
  }

  const versionsNode = doc.contents.get('versions', true);
  const entries: VersionEntry[] = [];
  if (versionsNode === undefined) {
    findings.push(finding(file, 1, 'CHANNEL_SCHEMA', 'no "versions" list'));
  } else if (!isSeq(versionsNode)) {
    findings.push(finding(file, lineOf(versionsNode as Node), 'CHANNEL_SCHEMA', `"versions" must be a list of version strings`));
  } else {
    const seen = new Map<string, number>();
    for (const item of versionsNode.items) {
      const line = lineOf(item as Node) ?? 1;
      if (!isScalar(item)) {
        findings.push(finding(file, line, 'VERSION_NOT_STRING', `a versions entry must be a version string`));
        continue;
      }
      if (typeof item.value !== 'string') {
        const src = item.source ?? String(item.value);
        findings.push(finding(file, line, 'VERSION_NOT_STRING', `${JSON.stringify(src.length > 60 ? `${src.slice(0, 60)}…` : src)} is read by YAML as a ${item.value === null ? 'null' : typeof item.value}, not a version string; write a full x.y.z version`, 'error', src));
        continue;
      }
      const parsed = parseReleaseName(item.value);
      if (!parsed.ok) {
        findings.push(finding(file, line, 'VERSION_NOT_SEMVER', parsed.reason, 'error', item.value));
        continue;
      }
      const first = seen.get(item.value);
      if (first !== undefined) {
        // Real graph-data has such duplicates (internal-channels/candidate.yaml lists 5.0.0-ec.0 twice); harmless.
        findings.push(finding(file, line, 'VERSION_DUPLICATE', `${item.value} is listed again (first at line ${first})`, 'warning', item.value));
      } else {
        seen.set(item.value, line);
      }
      entries.push({ file, line, channel, release: parsed.release });
    }
  }
  return { channel: { file, channel, entries }, findings };
}
