/** Short human descriptions of results, shared by the text, GitHub and JUnit reporters. */
import { untrusted } from './safe-text.ts';
import { CHECK_NAMES, edgesOutcome, isFailure, type CheckName, type CheckResult, type EdgeResult, type NodeResult, type Outcome, type Place } from '../model/results.ts';

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

/** The label of the update-edge check: the node's signatures under each source release's trust. */
export const EDGES_LABEL = 'Update edges';

export const EDGES_CONSEQUENCE = 'clusters on the failing source releases cannot take this update: their cluster-version operator or CRI-O refuses it under the keys and policy they run with';

/** The edges of a node that failed or could not be judged, one short line each: `from 4.70.0: invalid: ...`. */
/** The edges of a node that failed or could not be judged: every one a report names. */
export function unsettledEdges(node: Pick<NodeResult, 'edges'>): EdgeResult[] {
  return (node.edges ?? []).filter((e) => isFailure(e.outcome) || e.outcome === 'error');
}

export function edgeLines(node: Pick<NodeResult, 'edges'>, max = 20): string[] {
  const bad = unsettledEdges(node);
  const lines = bad.slice(0, max).map((e) => `${e.from === null ? 'edges' : `from ${untrusted(e.from)}`}: ${e.outcome}: ${untrusted(e.reason, 1000)}`);
  if (bad.length > max) lines.push(`… and ${bad.length - max} more (the JSON report lists every edge)`);
  return lines;
}

/** The edges of a node that fail it (missing or invalid). */
export function failingEdges(node: Pick<NodeResult, 'edges'>): EdgeResult[] {
  return (node.edges ?? []).filter((e) => isFailure(e.outcome));
}

/** The edges of a node that could not be judged. */
export function erroredEdges(node: Pick<NodeResult, 'edges'>): EdgeResult[] {
  return (node.edges ?? []).filter((e) => e.outcome === 'error');
}

/** `Update edge from 4.70.0` (the source made safe to show), or `Update edges` when the edges themselves could not be determined. */
export function edgeSubject(e: Pick<EdgeResult, 'from'>): string {
  return e.from === null ? EDGES_LABEL : `Update edge from ${untrusted(e.from)}`;
}

/** `3 update edges verified`, or `1 of 3 update edges invalid`: the edges of a node in a few words. */
export function describeEdges(node: Pick<NodeResult, 'edges'>): string | undefined {
  const edges = node.edges;
  if (!edges) return undefined;
  const outcome = edgesOutcome(edges);
  if (edges.length === 0) return 'no update edge leads into this release in this run';
  const n = edges.filter((e) => e.outcome === outcome).length;
  return `${n} of ${edges.length} update edge${edges.length === 1 ? '' : 's'} ${outcome}`;
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


/** The marks a reviewer scans for, one per check. */
export const MARK: Record<Outcome, string> = { verified: '✅', missing: '❌', invalid: '❌', error: '⚠️', skipped: '➖' };

/** Words for the reason codes the verifiers put in front of their messages (`UNTRUSTED_KEY: ...`). */
const CODE_WORDS: Record<string, string> = {
  DIGEST_MISMATCH: 'the signature was filed under the wrong digest (it signs another image)',
  UNTRUSTED_KEY: 'signed by a key clusters do not trust',
  BAD_SIGNATURE: 'the signature does not verify (altered, or made with another key)',
  IDENTITY_MISMATCH: 'signed for another image name',
  EXPIRED: 'the signature has expired',
  KEY_EXPIRED: 'the signing key had expired',
  REVOKED_KEY: 'the signing key is revoked',
  WEAK_HASH: 'the signature uses a refused hash algorithm',
  WEAK_KEY: 'the signing key is too weak',
  PAYLOAD_INVALID: 'the signed payload is malformed',
  WRONG_SIGNATURE_SCHEME: 'the signature uses a scheme clusters do not accept',
  MISSING_ANNOTATION: 'the .sig layer carries no signature',
  REKOR_SET_INVALID: 'the Rekor entry does not verify',
  NOT_SIGNED_MESSAGE: 'the file is not a signed message',
  NOT_A_SIGNATURE: 'the file is not a signature',
  MANIFEST_INVALID: 'the .sig manifest is malformed',
};

function codeWords(text: string): string | undefined {
  for (const m of text.matchAll(/\b([A-Z][A-Z_]{3,})\b/g)) {
    const words = CODE_WORDS[m[1]!];
    if (words) return words;
  }
  return undefined;
}

/** `host[:port]` of a URL or of a `registry/repo...` reference, for grouping network failures. */
export function hostOf(source: string | undefined): string | undefined {
  if (!source) return undefined;
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/\s@]+)/i.exec(source);
  return m?.[1];
}

/** A network failure in a few words (`answered 503`, `timed out`, `ENOTFOUND`), without the URL. */
export function networkFailureKind(reason: string): string {
  const status = /answered (\d{3})/.exec(reason);
  if (status) return `answered ${status[1]}`;
  const code = /\b(E[A-Z]{3,}|UND_ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*)\b/.exec(reason);
  if (code) return code[1]!;
  if (/timed? ?out|timeout/i.test(reason)) return 'timed out';
  if (/reset/i.test(reason)) return 'connection reset';
  if (/truncat/i.test(reason)) return 'truncated response';
  return 'network error';
}

function checkBrief(check: CheckName, r: CheckResult): string {
  const label = CHECK_LABEL[check];
  if (r.outcome === 'error') {
    const host = hostOf(r.source);
    return `${label} could not be checked (${host ? `${untrusted(host, 100)} ` : ''}${networkFailureKind(r.reason)})`;
  }
  if (check === 'sigstore' && r.instances && r.instances.length > 0) {
    const bad = r.instances.filter((i) => i.outcome !== 'verified');
    if (bad.length > 0) {
      const which = untrusted(bad.map((i) => i.arch ?? shortDigest(i.digest)).join(', '), 100);
      const what = bad.every((i) => i.outcome === 'missing') ? 'has no .sig tag' : bad.every((i) => i.outcome === 'error') ? 'could not be checked' : `is not signed acceptably (${codeWords(bad.map((i) => i.reason).join(' ')) ?? bad[0]!.outcome})`;
      return `the ${which} instance${bad.length === 1 ? '' : 's'} of the manifest list ${what}`;
    }
  }
  const detail = [r.reason, ...(r.attempts ?? []).map((a) => a.reason)].join(' ');
  if (r.outcome === 'missing') {
    if (check === 'openpgp') return 'no OpenPGP signature in the signature store';
    if (/bundle/i.test(r.reason)) return 'only a Sigstore bundle, which CRI-O does not read; no .sig tag';
    return 'no Sigstore signature (.sig tag)';
  }
  if (r.outcome === 'invalid') return `${label}: ${codeWords(detail) ?? 'no signature passes the checks'}`;
  return `${label} ${r.outcome}`;
}

function edgesBrief(node: Pick<NodeResult, 'edges'>): string | undefined {
  const outcome = edgesOutcome(node.edges);
  if (outcome === 'verified' || outcome === 'skipped') return undefined;
  const bad = (node.edges ?? []).filter((e) => e.outcome === outcome);
  const from = untrusted(bad.map((e) => e.from ?? '?').slice(0, 5).join(', '), 100);
  if (outcome === 'error') return `the update edges from ${from} could not be judged`;
  return `clusters on ${from} cannot update to it (${codeWords(bad.map((e) => e.reason).join(' ')) ?? `signed by a key ${bad.length === 1 ? 'that release does' : 'those releases do'} not trust`})`;
}

/** One sentence a reviewer can act on: what is wrong with each check that did not pass. */
export function briefReason(node: Pick<NodeResult, 'openpgp' | 'sigstore' | 'components'> & Partial<Pick<NodeResult, 'edges'>>): string {
  const parts = CHECK_NAMES.filter((c) => node[c].outcome !== 'verified' && node[c].outcome !== 'skipped').map((c) => checkBrief(c, node[c]));
  const edges = edgesBrief(node);
  if (edges) parts.push(edges);
  if (parts.length === 0) return 'Every required check passed.';
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** `4.99.3 amd64: Sigstore invalid`, the title of a row or an annotation (the version made safe to show). */
export function nodeTitle(node: Pick<NodeResult, 'version' | 'arch' | 'openpgp' | 'sigstore' | 'components'> & Partial<Pick<NodeResult, 'edges' | 'metadata'>>): string {
  const bad = CHECK_NAMES.filter((c) => node[c].outcome !== 'verified' && node[c].outcome !== 'skipped').map((c) => `${CHECK_LABEL[c]} ${node[c].outcome}`);
  // A payload that names another release (or cannot be read) fails the node with every signature verified.
  const metadata = node.metadata?.outcome;
  if (metadata === 'invalid' || metadata === 'missing' || metadata === 'error') bad.push(`${METADATA_LABEL} ${metadata}`);
  const edges = edgesOutcome(node.edges);
  if (edges !== 'verified' && edges !== 'skipped') bad.push(`${EDGES_LABEL} ${edges}`);
  return `${untrusted(node.version)} ${node.arch}: ${bad.join(', ') || 'passed'}`;
}
