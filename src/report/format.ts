/** Short human descriptions of results, shared by the text, GitHub and JUnit reporters. */
import type { CheckName, CheckResult, NodeResult, Place } from '../model/results.ts';

export const CHECK_LABEL: Record<CheckName, string> = { openpgp: 'OpenPGP', sigstore: 'Sigstore' };

/** `sha256:0123456789ab` (12 hex characters are enough to tell releases apart in a report). */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return '-';
  return digest.length > 19 ? digest.slice(0, 19) : digest;
}

export function describeCheck(check: CheckName, r: CheckResult): string {
  return `${CHECK_LABEL[check]} ${r.outcome}: ${r.reason}`;
}

export function formatPlace(p: Place, prefix = ''): string {
  return `${prefix}${p.file}:${p.line} (${p.channel})`;
}

/** What the failure means for a cluster, so a reader knows why it matters. */
export function consequence(check: CheckName): string {
  return check === 'openpgp'
    ? 'the cluster-version operator will refuse to start an update to this release'
    : 'CRI-O will refuse to run the release image under the openshift ClusterImagePolicy (SignatureValidationFailed)';
}

export function failedChecks(node: NodeResult): CheckName[] {
  return (['openpgp', 'sigstore'] as const).filter((c) => node[c].outcome === 'missing' || node[c].outcome === 'invalid');
}

export function erroredChecks(node: NodeResult): CheckName[] {
  return (['openpgp', 'sigstore'] as const).filter((c) => node[c].outcome === 'error');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
