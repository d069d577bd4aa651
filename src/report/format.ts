/** Short human descriptions of results, shared by the text, GitHub and JUnit reporters. */
import { CHECK_NAMES, type CheckName, type CheckResult, type NodeResult, type Place } from '../model/results.ts';

export const CHECK_LABEL: Record<CheckName, string> = { openpgp: 'OpenPGP', sigstore: 'Sigstore', components: 'Components' };

/** The label of the release-metadata confirmation, which is no signature check but fails a node like one. */
export const METADATA_LABEL = 'Release metadata';

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
  if (check === 'openpgp') return 'the cluster-version operator will refuse to start an update to this release';
  if (check === 'components') return 'CRI-O will refuse to run the failing component images under the openshift ClusterImagePolicy (SignatureValidationFailed): the release breaks every cluster that runs it';
  return 'CRI-O will refuse to run the release image under the openshift ClusterImagePolicy (SignatureValidationFailed)';
}

export const METADATA_CONSEQUENCE = 'Cincinnati serves the payload under the name its release-metadata gives, so clusters never get this image as the promoted release';

export function failedChecks(node: NodeResult): CheckName[] {
  return CHECK_NAMES.filter((c) => node[c].outcome === 'missing' || node[c].outcome === 'invalid');
}

export function erroredChecks(node: NodeResult): CheckName[] {
  return CHECK_NAMES.filter((c) => node[c].outcome === 'error');
}

export function metadataFailed(node: NodeResult): boolean {
  return node.metadata.outcome === 'invalid' || node.metadata.outcome === 'missing';
}

/**
 * The failing components of a node, one short line each: the image-references tag name and the
 * digest, then the outcome (`machine-config-operator sha256:0123…: missing`).
 */
export function componentLines(node: NodeResult, max = 20): string[] {
  const failures = node.components.failures;
  const lines = failures.slice(0, max).map((f) => `${f.name} ${componentDigest(f.reference)}: ${f.outcome}: ${f.reason}`);
  if (failures.length > max) lines.push(`… and ${failures.length - max} more (the JSON report lists every one)`);
  return lines;
}

/** The digest of a component reference (`repo@sha256:...`), or the reference itself. */
export function componentDigest(reference: string): string {
  const at = reference.lastIndexOf('@');
  return at >= 0 ? reference.slice(at + 1) : reference;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
