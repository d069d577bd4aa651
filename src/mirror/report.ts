/**
 * The mirror report, as text (a line per release, then each finding with its commands) and as JSON
 * (everything, remedies as argv and as a shell line). Pure: results in, text out.
 */
import { TOOL } from '../model/tool.ts';
import type { MirrorReleaseResult } from './check.ts';
import type { ConfigMapIndex } from './configmaps.ts';
import type { MirrorRunResult } from './run.ts';

export interface MirrorDescription {
  /** `host/path`. */
  repository: string;
  /** `--mirror`, or the IDMS/ICSP documents that map the source to it. */
  origins: string[];
}

export interface MirrorReportInput {
  source: string;
  identityRepo: string;
  mirrors: MirrorDescription[];
  configMaps?: ConfigMapIndex;
  notes: string[];
  run: MirrorRunResult;
}

const STATUS_WORD: Record<MirrorReleaseResult['status'], string> = { passed: 'PASS', failed: 'FAIL', error: 'ERROR', unpublished: '-' };

function passedLine(r: MirrorReleaseResult): string {
  const parts = r.mirrors.map((m) => {
    const signer = m.sigstore.signer ? ` (${m.sigstore.signer})` : '';
    return `${m.mirror}: ${m.image.reason}, .sig verified${signer}`;
  });
  if (r.components) parts.push(`components: ${r.components.complete} of ${r.components.total} present with their signatures`);
  if (r.openpgp) parts.push(`ConfigMap: ${r.openpgp.reason}`);
  return parts.join('; ');
}

/** The text report; `quiet` leaves out releases that passed. */
export function formatMirrorText(input: MirrorReportInput, options: { quiet?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`source:  ${input.source} (signature identities must name ${input.identityRepo})`);
  for (const m of input.mirrors) lines.push(`mirror:  ${m.repository}${m.origins.length > 0 ? ` (${m.origins.join(', ')})` : ''}`);
  if (input.configMaps) {
    lines.push(`configmaps: ${input.configMaps.signatures} signature(s) of ${input.configMaps.byDigest.size} digest(s) in ${input.configMaps.files.length} file(s) under ${input.configMaps.paths.join(', ')}`);
  }
  for (const note of [...input.notes, ...(input.configMaps?.notes ?? [])]) lines.push(`note: ${note}`);
  lines.push('');
  for (const r of input.run.releases) {
    if (options.quiet && (r.status === 'passed' || r.status === 'unpublished')) continue;
    if (r.status === 'unpublished' || r.digest === null) {
      lines.push(`${STATUS_WORD[r.status].padEnd(5)} ${r.version} ${r.arch}: ${r.reason ?? 'not published'}`);
      continue;
    }
    const head = `${STATUS_WORD[r.status].padEnd(5)} ${r.version} ${r.arch} ${r.digest} (${r.tag})`;
    if (r.status === 'passed') {
      lines.push(`${head}: ${passedLine(r)}`);
      continue;
    }
    lines.push(head);
    for (const f of r.findings) {
      lines.push(`  ${f.outcome.padEnd(8)} ${f.message}`);
      f.remedies.forEach((remedy, i) => {
        const label = i === 0 ? 'fix: ' : remedy.then ? 'then:' : 'or:  ';
        lines.push(`    ${label} ${remedy.command}${remedy.note ? `    # ${remedy.note}` : ''}`);
      });
    }
  }
  const s = input.run.summary;
  const mirrors = input.mirrors.length;
  lines.push('');
  lines.push(
    `${s.releases} release(s) on ${mirrors} mirror(s)${input.configMaps ? ' and the signature ConfigMaps' : ''}: ${s.passed} complete, ${s.failed} with gaps, ${s.errored} could not be checked, ${s.unpublished} not published` +
      (s.findings.missing + s.findings.invalid > 0 ? ` (${s.findings.missing} missing, ${s.findings.invalid} invalid)` : ''),
  );
  if (s.failed > 0) lines.push('A cluster pulling from these mirrors will refuse the releases marked FAIL; run the commands above, then run this check again.');
  else if (s.passed === 0 && s.errored === 0) lines.push(`None of the selected releases exists in ${input.source}: check --release, --arch and --release-repo.`);
  return `${lines.join('\n')}\n`;
}

/** The JSON report. */
export function toMirrorJson(input: MirrorReportInput): unknown {
  return {
    tool: TOOL,
    source: input.source,
    identityRepository: input.identityRepo,
    mirrors: input.mirrors,
    configMaps: input.configMaps
      ? { paths: input.configMaps.paths, files: input.configMaps.files, signatures: input.configMaps.signatures, digests: input.configMaps.byDigest.size, notes: input.configMaps.notes }
      : null,
    notes: input.notes,
    releases: input.run.releases,
    summary: input.run.summary,
    exitCode: input.run.exitCode,
  };
}
