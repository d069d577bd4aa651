/**
 * SARIF 2.1.0, for code-scanning views: one result per failed check (level error) or undetermined
 * check (level warning), one per failing component image (named by its image-references tag and
 * digest), one for a payload whose release metadata names another release, each located on the
 * channel-file line that promotes the release, one per update edge that fails or could not be judged
 * (named by its source release), and one per graph-data finding. Message texts are
 * bounded and show controls escaped (safe-text.ts); locations are URI references, so file names are
 * percent-encoded.
 */
import type { Writable } from 'node:stream';
import { CHECK_LABEL, EDGES_CONSEQUENCE, METADATA_LABEL, componentDigest, consequence, unsettledEdges } from './format.ts';
import { TOOL } from '../model/tool.ts';
import type { CheckName, Finding, NodeResult, RunSummary } from '../model/results.ts';

/** The release image's checks: one result each; components get one result per failing component (payloadResults). */
const SIGNATURE_CHECKS: readonly CheckName[] = ['openpgp', 'sigstore'];
import type { Reporter, RunInfo } from '../model/reporter.ts';
import { MAX_REASON_CHARS, safeJsonStringify, truncate, untrusted } from './safe-text.ts';

/** A repository path as a SARIF `uri` (a relative URI reference): each segment percent-encoded, bounded. */
export function toUri(path: string): string {
  return truncate(path, 1000).split('/').map(encodeURIComponent).join('/');
}

interface SarifResult {
  ruleId: string;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints?: Record<string, string>;
  properties?: Record<string, unknown>;
}

const RULES: Record<string, string> = {
  'openpgp-missing': 'No OpenPGP signature: the cluster-version operator refuses the update',
  'openpgp-invalid': 'No valid OpenPGP signature: the cluster-version operator refuses the update',
  'openpgp-error': 'The OpenPGP signature could not be checked',
  'sigstore-missing': 'No Sigstore signature: CRI-O refuses to run the release image',
  'sigstore-invalid': 'No valid Sigstore signature: CRI-O refuses to run the release image',
  'sigstore-error': 'The Sigstore signature could not be checked',
  'components-missing': 'A component image has no Sigstore signature: CRI-O refuses to run it',
  'components-invalid': 'A component image has no valid Sigstore signature: CRI-O refuses to run it',
  'components-error': 'The Sigstore signatures of the component images could not be checked',
  'metadata-invalid': "The payload's release metadata names another release than graph-data promotes",
  'metadata-error': "The payload's release metadata could not be read",
  'edge-missing': "An update edge into the release has no signature the source release's keys and policy accept: clusters on that release cannot take the update",
  'edge-invalid': "An update edge into the release is signed, but not acceptably under the source release's keys and policy: clusters on that release cannot take the update",
  'edge-error': 'An update edge into the release could not be judged (the source release or its trust could not be read)',
};

/** Update edges of one node given a result each; the rest are counted in one more result (the JSON report lists every edge). */
const MAX_EDGE_RESULTS = 20;

export class SarifReporter implements Reporter {
  private readonly out: Writable;
  private readonly close: boolean;
  private info?: RunInfo;
  private readonly results: SarifResult[] = [];
  private readonly findingRules = new Map<string, string>();

  constructor(out: Writable, options: { close?: boolean } = {}) {
    this.out = out;
    this.close = options.close ?? false;
  }

  begin(info: RunInfo): void {
    this.info = info;
  }

  private locations(file: string | undefined, line: number | undefined): SarifResult['locations'] {
    if (!file) return undefined;
    return [{ physicalLocation: { artifactLocation: { uri: toUri(`${this.info?.pathPrefix ?? ''}${file}`) }, region: { startLine: line ?? 1 } } }];
  }

  node(r: NodeResult): void {
    this.payloadResults(r);
    for (const check of SIGNATURE_CHECKS) {
      const c = r[check];
      if (c.outcome !== 'missing' && c.outcome !== 'invalid' && c.outcome !== 'error') continue;
      const version = untrusted(r.version);
      const reason = untrusted(c.reason, MAX_REASON_CHARS);
      const text = c.outcome === 'error'
        ? `${version} ${r.arch}: the ${CHECK_LABEL[check]} signature could not be checked: ${reason}`
        : `${version} ${r.arch} (${untrusted(r.digest ?? 'unresolved', 80)}): ${CHECK_LABEL[check]} ${c.outcome}: ${reason}. Consequence: ${consequence(check)}.`;
      const places = r.places.length > 0 ? r.places : [undefined];
      for (const p of places) {
        const result: SarifResult = {
          ruleId: `${check}-${c.outcome}`,
          level: c.outcome === 'error' ? 'warning' : 'error',
          message: { text },
          partialFingerprints: { releaseNode: `${version}/${r.arch}/${check}` },
          properties: { version, arch: r.arch, digest: r.digest === null ? null : untrusted(r.digest, 80), source: untrusted(c.source, 300) },
        };
        const loc = this.locations(p?.file, p?.line);
        if (loc) result.locations = loc;
        this.results.push(result);
      }
    }
    this.edgeResults(r);
  }

  /** One result per failing component (named by its image-references tag and digest), and the metadata confirmation. */
  private payloadResults(r: NodeResult): void {
    const places = r.places.length > 0 ? r.places : [undefined];
    const push = (ruleId: string, level: SarifResult['level'], text: string, fingerprint: string, properties: Record<string, unknown>) => {
      for (const p of places) {
        const result: SarifResult = { ruleId, level, message: { text }, partialFingerprints: { releaseNode: fingerprint }, properties: { version: r.version, arch: r.arch, digest: r.digest, ...properties } };
        const loc = this.locations(p?.file, p?.line);
        if (loc) result.locations = loc;
        this.results.push(result);
      }
    };
    for (const f of r.components.failures) {
      const digest = componentDigest(f.reference);
      const text =
        f.outcome === 'error'
          ? `${r.version} ${r.arch}: component ${f.name} (${digest}) could not be checked: ${f.reason}`
          : `${r.version} ${r.arch} (${r.digest ?? 'unresolved'}): component ${f.name} (${f.reference}) ${f.outcome}: ${f.reason}. Consequence: ${consequence('components')}.`;
      push(`components-${f.outcome}`, f.outcome === 'error' ? 'warning' : 'error', text, `${r.version}/${r.arch}/components/${f.name}`, { component: f.name, reference: f.reference });
    }
    if (r.components.failures.length === 0 && (r.components.outcome === 'missing' || r.components.outcome === 'invalid' || r.components.outcome === 'error')) {
      const o = r.components.outcome;
      push(`components-${o}`, o === 'error' ? 'warning' : 'error', `${r.version} ${r.arch}: ${CHECK_LABEL.components} ${o}: ${r.components.reason}`, `${r.version}/${r.arch}/components`, {});
    }
    const m = r.metadata;
    if (m.outcome === 'invalid' || m.outcome === 'error') {
      push(`metadata-${m.outcome}`, m.outcome === 'error' ? 'warning' : 'error', `${r.version} ${r.arch}: ${METADATA_LABEL} ${m.outcome}: ${m.reason}`, `${r.version}/${r.arch}/metadata`, { payloadVersion: m.version, payloadArch: m.arch });
    }
  }

  /** One result per update edge that fails (error) or could not be judged (warning), named by its source release. */
  private edgeResults(r: NodeResult): void {
    const bad = unsettledEdges(r);
    if (bad.length === 0) return;
    const version = untrusted(r.version);
    const digest = r.digest === null ? null : untrusted(r.digest, 80);
    const places = r.places.length > 0 ? r.places : [undefined];
    const push = (ruleId: string, level: SarifResult['level'], text: string, fingerprint: string, properties: Record<string, unknown>) => {
      for (const p of places) {
        const result: SarifResult = { ruleId, level, message: { text }, partialFingerprints: { releaseNode: fingerprint }, properties: { version, arch: r.arch, digest, ...properties } };
        const loc = this.locations(p?.file, p?.line);
        if (loc) result.locations = loc;
        this.results.push(result);
      }
    };
    for (const e of bad.slice(0, MAX_EDGE_RESULTS)) {
      const from = e.from === null ? null : untrusted(e.from);
      const reason = untrusted(e.reason, MAX_REASON_CHARS);
      const edge = from === null ? 'the update edges' : `the update edge from ${from}`;
      const text =
        e.outcome === 'error'
          ? `${version} ${r.arch}: ${edge} could not be judged: ${reason}`
          : `${version} ${r.arch} (${digest ?? 'unresolved'}): ${edge} ${e.outcome}: ${reason}. Consequence: ${EDGES_CONSEQUENCE}.`;
      const properties: Record<string, unknown> = { from };
      if (e.digest !== undefined) properties.fromDigest = untrusted(e.digest, 80);
      if (e.via !== undefined) properties.via = e.via.slice(0, 20).map((v) => untrusted(v));
      push(`edge-${e.outcome}`, e.outcome === 'error' ? 'warning' : 'error', text, `${version}/${r.arch}/edge/${from ?? '-'}`, properties);
    }
    if (bad.length > MAX_EDGE_RESULTS) {
      const rest = bad.slice(MAX_EDGE_RESULTS);
      const outcome = rest.some((e) => e.outcome === 'invalid') ? 'invalid' : rest.some((e) => e.outcome === 'missing') ? 'missing' : 'error';
      const from = untrusted(rest.map((e) => e.from ?? '?').join(', '), 300);
      push(`edge-${outcome}`, outcome === 'error' ? 'warning' : 'error', `${version} ${r.arch}: ${rest.length} more update edges fail or could not be judged (from ${from}); the JSON report lists every edge.`, `${version}/${r.arch}/edge/more`, {});
    }
  }

  finding(f: Finding): void {
    const code = untrusted(f.code, 60);
    const ruleId = `graph-data/${code}`;
    this.findingRules.set(ruleId, code);
    const result: SarifResult = { ruleId, level: f.severity === 'error' ? 'error' : 'warning', message: { text: untrusted(f.message, MAX_REASON_CHARS) } };
    const loc = this.locations(f.file, f.line);
    if (loc) result.locations = loc;
    this.results.push(result);
  }

  async end(summary: RunSummary): Promise<void> {
    const rules = [
      ...Object.entries(RULES).map(([id, text]) => ({ id, shortDescription: { text } })),
      ...[...this.findingRules].map(([id, code]) => ({ id, shortDescription: { text: `graph-data finding ${code}` } })),
    ];
    const doc = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: TOOL.name, version: TOOL.version, rules } },
          results: this.results,
          properties: { status: summary.status, exitCode: summary.exitCode, counts: summary.counts, releaseRepo: this.info?.releaseRepo },
        },
      ],
    };
    this.out.write(`${safeJsonStringify(doc, 2)}\n`);
    if (this.close) await new Promise<void>((resolve) => this.out.end(resolve));
  }
}
