/**
 * The mirror check's results in the shared vocabulary (model/results.ts), so that every reporter
 * (text, JSON, GitHub annotations and job summary, JUnit, SARIF, the HTML page) shows a mirror the way
 * it shows an audit: one node per (release, arch); Sigstore is the `.sig` CRI-O reads from the mirrors
 * (every mirror must hold the image and an accepted `.sig`), OpenPGP is the signature ConfigMap the
 * cluster-version operator reads (skipped without --configmaps), components are the component images
 * in the mirrors; each gap is a finding whose message carries the command that closes it.
 */
import { isFailure, noComponents, type CheckResult, type ComponentsResult, type Finding, type NodeResult, type Outcome, type UnpublishedNode } from '../model/results.ts';
import type { MirrorFinding, MirrorReleaseResult } from './check.ts';

const SEVERITY: Record<MirrorFinding['outcome'], Outcome> = { missing: 'missing', invalid: 'invalid', error: 'error' };

/** The worst of several outcomes: a failure over an error over a pass. */
function worst(outcomes: readonly Outcome[]): Outcome {
  if (outcomes.some(isFailure)) return outcomes.includes('invalid') ? 'invalid' : 'missing';
  if (outcomes.includes('error')) return 'error';
  if (outcomes.length > 0 && outcomes.every((o) => o === 'skipped')) return 'skipped';
  return 'verified';
}

function sigstoreOf(r: MirrorReleaseResult): CheckResult {
  if (r.mirrors.length === 0) return { outcome: r.status === 'error' ? 'error' : 'skipped', reason: r.reason ?? 'no mirror was checked' };
  // A mirror that lacks the image fails the node like a missing `.sig`: the cluster cannot pull it at all.
  const perMirror = r.mirrors.map((m) => (m.image.outcome === 'missing' ? ('missing' as Outcome) : m.image.outcome === 'error' ? ('error' as Outcome) : m.sigstore.outcome));
  const outcome = worst(perMirror);
  const reason = r.mirrors
    .map((m) => `mirror ${m.mirror}: ${m.image.outcome === 'present' ? `${m.sigstore.outcome}: ${m.sigstore.reason}` : `image ${m.image.outcome}: ${m.image.reason}`}`)
    .join('; ');
  return { outcome, reason, source: r.mirrors.map((m) => m.mirror).join(', ') };
}

function componentsOf(r: MirrorReleaseResult): ComponentsResult {
  if (!r.components) return noComponents('skipped', 'component images were not checked in the mirrors');
  const gaps = r.findings.filter((f) => f.kind.startsWith('component-'));
  const outcome = gaps.length === 0 ? (r.components.reason ? 'error' : 'verified') : worst(gaps.map((f) => SEVERITY[f.outcome]));
  const reason = r.components.reason ?? `${r.components.complete} of ${r.components.total} component images are in every mirror with an accepted .sig`;
  return { ...noComponents(outcome, reason), total: r.components.total, verified: r.components.complete };
}

/** The node of one mirrored release; undefined for a release whose tag does not exist (see toUnpublished). */
export function toNodeResult(r: MirrorReleaseResult): NodeResult | undefined {
  if (r.status === 'unpublished') return undefined;
  return {
    version: r.name,
    arch: r.arch,
    digest: r.digest,
    tag: r.tag,
    places: r.places,
    openpgp: r.openpgp ?? { outcome: 'skipped', reason: 'no signature ConfigMaps were given (--configmaps)' },
    sigstore: sigstoreOf(r),
    components: componentsOf(r),
    metadata: { outcome: 'skipped', reason: 'the mirror check does not read release metadata' },
  };
}

export function toUnpublished(r: MirrorReleaseResult): UnpublishedNode | undefined {
  return r.status === 'unpublished' ? { version: r.name, arch: r.arch, tag: r.tag } : undefined;
}

/** Each gap of a release, with the first command that closes it, as a finding on its promoting line. */
export function toFindings(r: MirrorReleaseResult): Finding[] {
  const place = r.places[0];
  return r.findings.map((f) => {
    const remedy = f.remedies[0];
    const finding: Finding = {
      severity: f.outcome === 'error' ? 'warning' : 'error',
      code: `MIRROR_${f.kind.toUpperCase().replace(/-/g, '_')}`,
      message: `${r.name} ${r.arch}${f.mirror ? ` in ${f.mirror}` : ''}: ${f.message}${remedy ? `; to fix: ${remedy.command}` : ''}`,
      subject: `${r.name} ${r.arch} ${f.mirror ?? ''} ${f.digest ?? ''}`,
    };
    if (place) {
      finding.file = place.file;
      finding.line = place.line;
    }
    return finding;
  });
}

/** A run's nodes, findings and unpublished pairs, in release order, for any reporter. */
export function toReport(releases: readonly MirrorReleaseResult[]): { nodes: NodeResult[]; unpublished: UnpublishedNode[]; findings: Finding[] } {
  const nodes: NodeResult[] = [];
  const unpublished: UnpublishedNode[] = [];
  const findings: Finding[] = [];
  for (const r of releases) {
    const node = toNodeResult(r);
    if (node) nodes.push(node);
    const u = toUnpublished(r);
    if (u) unpublished.push(u);
    findings.push(...toFindings(r));
  }
  return { nodes, unpublished, findings };
}
