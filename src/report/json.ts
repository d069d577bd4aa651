/**
 * The JSON report (schema in README.md, "JSON report"). Nodes are written as they arrive, so the
 * report of a large audit is never held in memory; the summary (`status`, `counts`) comes last.
 */
import type { Writable } from 'node:stream';
import type { Changes } from '../model/changes.ts';
import { nodeStatus, type CheckResult, type ComponentsResult, type EdgeResult, type Finding, type MetadataResult, type NodeResult, type RunSummary, type UnpublishedNode } from '../model/results.ts';
import type { Reporter, RunInfo } from '../model/reporter.ts';
import { safeJsonStringify } from './safe-text.ts';

export const JSON_SCHEMA_VERSION = 1;

export type JsonCheck = CheckResult;

export interface JsonNode {
  version: string;
  arch: string;
  digest: string | null;
  tag?: string;
  status: ReturnType<typeof nodeStatus>;
  places: { file: string; line: number; channel: string }[];
  openpgp: JsonCheck;
  sigstore: JsonCheck;
  /** Absent in reports written before payloads were read. */
  components?: JsonComponents;
  metadata?: JsonMetadata;
  /** The update edges into the node (`{from, outcome, reason, digest?, via?}`); absent when no edge check ran. */
  edges?: EdgeResult[];
}

/** `{outcome, reason, total, verified, failures: [{name, reference, outcome, reason}]}` and what else the check keeps. */
export type JsonComponents = ComponentsResult;
/** `{outcome, version, arch, reason}`. */
export type JsonMetadata = MetadataResult;

export interface JsonReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  mode: string;
  releaseRepo: string;
  mirror?: string;
  /** Present in the report of one shard of a sharded audit. */
  shard?: { index: number; count: number };
  graphData?: string;
  require: string[];
  arches: string[];
  nodes: JsonNode[];
  unpublished: UnpublishedNode[];
  findings: Finding[];
  status: RunSummary['status'];
  exitCode: number;
  counts: RunSummary['counts'];
  /** With `--previous`: what changed since that run. */
  changes?: Changes;
  retries?: number;
  cache?: RunSummary['cache'];
  /** What the Cincinnati cross-check read and found (audit with --cincinnati). */
  cincinnati?: RunSummary['cincinnati'];
  /** What the update-edge check did. */
  edgeCheck?: RunSummary['edgeCheck'];
  durationMs: number;
}

export function toJsonNode(r: NodeResult): JsonNode {
  const node: JsonNode = {
    version: r.version,
    arch: r.arch,
    digest: r.digest,
    status: nodeStatus(r),
    places: r.places.map((p) => ({ file: p.file, line: p.line, channel: p.channel })),
    openpgp: r.openpgp,
    sigstore: r.sigstore,
    components: r.components,
    metadata: r.metadata,
  };
  if (r.tag) node.tag = r.tag;
  if (r.edges) node.edges = r.edges;
  return node;
}

import { TOOL } from '../model/tool.ts';

export { TOOL };

/** A stable order (file, line, code, message), so reports of the same run compare equal however it was split. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => [f.file ?? '', String(f.line ?? 0).padStart(8, '0'), f.code, f.message].join('\0');
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export class JsonReporter implements Reporter {
  private readonly out: Writable;
  private readonly closeAtEnd: boolean;
  private first = true;
  private readonly unpublishedNodes: UnpublishedNode[] = [];
  private readonly findings: Finding[] = [];

  constructor(out: Writable, options: { close?: boolean } = {}) {
    this.out = out;
    this.closeAtEnd = options.close ?? false;
  }

  private write(text: string): Promise<void> | void {
    if (!this.out.write(text)) return new Promise((resolve) => this.out.once('drain', resolve));
  }

  begin(info: RunInfo): void | Promise<void> {
    const head: Record<string, unknown> = {
      schemaVersion: JSON_SCHEMA_VERSION,
      tool: TOOL,
      mode: info.mode,
      releaseRepo: info.releaseRepo,
      ...(info.mirror ? { mirror: info.mirror } : {}),
      ...(info.shard ? { shard: info.shard } : {}),
      ...(info.graphData ? { graphData: info.graphData } : {}),
      require: info.require,
      arches: info.arches,
    };
    const text = safeJsonStringify(head, 2);
    return this.write(`${text.slice(0, -2)},\n  "nodes": [`);
  }

  node(result: NodeResult): void | Promise<void> {
    const text = safeJsonStringify(toJsonNode(result), 2).replace(/\n/g, '\n    ');
    const sep = this.first ? '\n    ' : ',\n    ';
    this.first = false;
    return this.write(sep + text);
  }

  unpublished(node: UnpublishedNode): void {
    this.unpublishedNodes.push(node);
  }

  finding(finding: Finding): void {
    this.findings.push(finding);
  }

  async end(summary: RunSummary): Promise<void> {
    const tail: Record<string, unknown> = {
      unpublished: this.unpublishedNodes,
      findings: sortFindings(this.findings),
      status: summary.status,
      exitCode: summary.exitCode,
      counts: summary.counts,
      ...(summary.changes ? { changes: summary.changes } : {}),
      ...(summary.retries !== undefined ? { retries: summary.retries } : {}),
      ...(summary.cache !== undefined ? { cache: summary.cache } : {}),
      ...(summary.cincinnati !== undefined ? { cincinnati: summary.cincinnati } : {}),
      ...(summary.edgeCheck !== undefined ? { edgeCheck: summary.edgeCheck } : {}),
      durationMs: summary.durationMs,
    };
    const body = safeJsonStringify(tail, 2);
    await this.write(`${this.first ? '' : '\n  '}],\n  ${body.slice(4, -2)}\n}\n`);
    if (this.closeAtEnd) await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
