/**
 * The update-edge trust check: for a checked node B and every edge A -> B into it, B's OpenPGP
 * signature under the keyrings A's payload ships and B's release-image Sigstore signature under A's
 * ClusterImagePolicy, as a cluster running A decides them (docs/verdicts.md, "Update edges";
 * trust.ts says how A's trust is read, as the cluster-version operator and the machine-config
 * operator read it). The verifiers are the node checks' own (src/openpgp/check.ts over
 * src/openpgp/verify.ts, src/sigstore/check.ts over src/sigstore/verify.ts), fed A's trust.
 *
 * Cost: A is resolved as a node is (its tag; the pipeline's one resolution when A is a node of the run) and its payload read once per digest (shared with the
 * read of A's own node when it is checked in this run, or taken from the cache); B is judged once per
 * distinct trust set among its sources (most releases ship the same keys and policy), not once per
 * edge; and B's signatures come from the memo its own check filled (memo.ts), so a trust set costs no
 * request of its own.
 *
 * Outcomes (the five of every check):
 *  - verified: both parts verified, or one verified and the other not applicable;
 *  - missing / invalid: B has no signature / none that A's trust accepts: the edge fails the node,
 *    naming A, the key B is signed with and the keys A trusts;
 *  - error: A could not be resolved or its payload read, or a signature not fetched: never verified;
 *  - skipped: neither part applies (B's own checks are not required in this run, A was not published
 *    for the architecture in PR scope, A's clusters verify nothing of the kind).
 */
import pLimit from 'p-limit';
import type { Arch } from '../model/arch.ts';
import type { ResolvedImage } from '../model/checkers.ts';
import type { Digest } from '../model/digest.ts';
import type { EdgeCheckStats, EdgeChecker, EdgeIO, EdgeTarget } from '../model/edges.ts';
import { describeError } from '../model/errors.ts';
import type { PayloadManifestFile, PayloadRead } from '../model/payload.ts';
import { OUTCOME_SEVERITY, worseOutcome, type CheckResult, type EdgeResult, type Outcome } from '../model/results.ts';
import type { FetchStoreSignature, SigstoreSource } from '../model/sources.ts';
import { compareVersionStrings } from '../model/version.ts';
import { checkOpenPGP } from '../openpgp/check.ts';
import { checkSigstore } from '../sigstore/check.ts';
import { BoundedMemo } from '../payload/memo.ts';
import type { EdgeSource, EdgeSourcesOf } from './sources.ts';
import { combineTrust, parseSourceKeyrings, parseSourcePolicy, type SourceOpenPGP, type SourceSigstore, type SourceTrust } from './trust.ts';

export interface EdgeCheckDeps {
  sourcesOf: EdgeSourcesOf;
  /** The OpenPGP signature stores the run reads (the workflow's, not those A names). */
  stores: string[];
  /** B's signatures, through the memo B's own check filled (memo.ts). */
  fetch: FetchStoreSignature;
  sigstoreSource: SigstoreSource;
  /** The repository signature identities must name, and A's policy scopes are matched against. */
  identityRepo: string;
  /** Source releases resolved and read at once. */
  concurrency: number;
  /** Signature fetches the edge check sent to the network so far (the memo's count). */
  signatureFetches?: () => number;
  now?: Date;
}

type Resolved = { kind: 'found'; image: ResolvedImage; tag: string } | { kind: 'absent'; tag: string } | { kind: 'error'; tag: string; reason: string };
type Trusted = { kind: 'trust'; trust: SourceTrust } | { kind: 'error'; reason: string };
/** What the edge check keeps of a payload: its trust manifests, or why it could not be read. */
type Noted = { kind: 'read'; updateKeys?: PayloadManifestFile; imagePolicies: PayloadManifestFile[] } | { kind: 'error'; reason: string };

interface Part {
  outcome: Outcome;
  reason: string;
}

/** Distinct source releases and payloads kept: more than every release of every architecture. */
const MEMO_LIMIT = 65_536;
const REASON_MAX = 600;

const cut = (text: string, max = REASON_MAX) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const short = (digest: string) => digest.slice(0, 19);


function setLimited<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.set(key, value);
  if (map.size > MEMO_LIMIT) map.delete(map.keys().next().value as K);
}

/** The key B is signed with, as the node's own check (under the run's trust) found it. */
function signedWith(own: CheckResult, what: string): string {
  if (own.outcome === 'verified' && own.signer) return own.signer;
  return `no key this run trusts (its own ${what} check: ${own.outcome})`;
}

function noted(read: PayloadRead): Noted {
  if (read.kind === 'read') return { kind: 'read', ...(read.contents.updateKeys ? { updateKeys: read.contents.updateKeys } : {}), imagePolicies: read.contents.imagePolicies };
  if (read.kind === 'invalid') return { kind: 'error', reason: `${read.code}: ${read.reason}` };
  return { kind: 'error', reason: read.reason };
}

export function createEdgeChecker(deps: EdgeCheckDeps): EdgeChecker {
  const resolutions = new Map<string, Promise<Resolved>>();
  const trusts = new Map<Digest, Promise<Trusted>>();
  const payloads = new Map<Digest, Noted>();
  const keyrings = new Map<string, Promise<SourceOpenPGP>>();
  const policies = new Map<string, SourceSigstore>();
  const verdicts = new BoundedMemo<Part>(4096);
  const limit = pLimit(Math.max(1, deps.concurrency));
  const trustSets = new Set<string>();
  const counts = { nodes: 0, edges: 0, payloadsRead: 0, evaluations: 0 };

  const resolve = (version: string, arch: Arch, io: EdgeIO): Promise<Resolved> => {
    const key = `${version}\0${arch}`;
    let p = resolutions.get(key);
    if (!p) {
      p = limit(() => io.resolve(version, arch)).then(
        (r): Resolved => {
          if (r.kind === 'found') {
            const image: ResolvedImage = { digest: r.digest, ...(r.instances ? { instances: r.instances } : {}), ...(r.manifest ? { manifest: r.manifest } : {}) };
            return { kind: 'found', image, tag: r.tag };
          }
          return r.kind === 'absent' ? { kind: 'absent', tag: r.tag } : { kind: 'error', tag: r.tag, reason: r.reason };
        },
        (err: unknown): Resolved => ({ kind: 'error', tag: `${version} (${arch})`, reason: `internal error: ${describeError(err)}` }),
      );
      setLimited(resolutions, key, p);
    }
    return p;
  };

  const keyringsOf = (file: PayloadManifestFile | undefined): Promise<SourceOpenPGP> => {
    const key = file?.sha256 ?? '';
    let p = keyrings.get(key);
    if (!p) setLimited(keyrings, key, (p = parseSourceKeyrings(file)));
    return p;
  };

  const policyOf = (files: readonly PayloadManifestFile[]): SourceSigstore => {
    const key = files.map((f) => f.sha256).sort().join(',');
    let t = policies.get(key);
    if (!t) setLimited(policies, key, (t = parseSourcePolicy(files, deps.identityRepo)));
    return t;
  };

  const trustOf = (image: ResolvedImage, io: EdgeIO): Promise<Trusted> => {
    let p = trusts.get(image.digest);
    if (!p) {
      p = (async (): Promise<Trusted> => {
        let contents = payloads.get(image.digest);
        if (!contents) {
          const got = await limit(() => io.payload(image));
          if (!got.shared && !(got.read.kind === 'read' && got.read.cached)) counts.payloadsRead++;
          contents = noted(got.read);
        }
        if (contents.kind === 'error') return { kind: 'error', reason: contents.reason };
        return { kind: 'trust', trust: combineTrust(await keyringsOf(contents.updateKeys), policyOf(contents.imagePolicies)) };
      })().catch((err: unknown): Trusted => ({ kind: 'error', reason: `internal error: ${describeError(err)}` }));
      setLimited(trusts, image.digest, p);
    }
    return p;
  };

  const judgeOpenPGP = async (target: EdgeTarget, t: SourceOpenPGP): Promise<Part> => {
    if (t.kind === 'none') return { outcome: 'invalid', reason: `${t.reason}: its cluster-version operator refuses this update (ImageVerificationFailed)` };
    counts.evaluations += t.keyrings.length;
    const results = await Promise.all(t.keyrings.map((k) => checkOpenPGP(target.digest, { stores: deps.stores, fetch: deps.fetch, keyring: k.keyring, ...(deps.now ? { now: deps.now } : {}) })));
    const named = t.keyrings.map((k, i) => ({ ...k, result: results[i]! }));
    const failing = named.filter((k) => k.result.outcome !== 'verified');
    if (failing.length === 0) {
      return { outcome: 'verified', reason: `verifies under the source release's keyring${named.length > 1 ? 's' : ''} ${named.map((k) => `${k.name} (signed by ${k.result.signer ?? 'a trusted key'})`).join(', ')}` };
    }
    let outcome: Outcome = 'error';
    for (const k of failing) outcome = worseOutcome(outcome, k.result.outcome);
    if (outcome === 'error') {
      const k = failing.find((f) => f.result.outcome === 'error')!;
      return { outcome, reason: `could not be determined under the source release's keyring ${k.name}: ${cut(k.result.reason, 300)}` };
    }
    const trusted = failing.map((k) => `${k.name} (${k.keyring.describe()})`).join(', ');
    const every = named.length > 1 ? ' (the cluster-version operator needs a valid signature for every verifier-public-key-* keyring)' : '';
    const none = outcome === 'missing' ? `no signature of ${target.version} is in the stores` : `no signature of ${target.version} verifies under the source release's keyring ${trusted}${every}`;
    return { outcome, reason: `${target.version} is signed with ${signedWith(target.openpgp, 'OpenPGP')}, but ${none}: the cluster-version operator of the source release refuses this update (ImageVerificationFailed)` };
  };

  const judgeSigstore = async (target: EdgeTarget, t: SourceSigstore): Promise<Part> => {
    if (t.kind === 'none') return { outcome: 'skipped', reason: t.reason };
    if (t.kind === 'unreadable') return { outcome: 'error', reason: `UNSUPPORTED: ${t.reason}; the policy the source release runs ${target.version}'s release image under cannot be decided` };
    counts.evaluations++;
    const image: ResolvedImage = { digest: target.digest, ...(target.instances ? { instances: target.instances } : {}) };
    const r = await checkSigstore(image, { source: deps.sigstoreSource, trust: t.trust, identityRepo: deps.identityRepo });
    if (r.outcome === 'verified') return { outcome: 'verified', reason: `verifies under the source release's ${t.description}${r.signer ? `: signed by ${r.signer}` : ''}` };
    if (r.outcome === 'error') return { outcome: 'error', reason: `could not be determined under the source release's policy: ${cut(r.reason, 300)}` };
    return {
      outcome: r.outcome,
      reason: `${target.version}'s release image is signed with ${signedWith(target.sigstore, 'Sigstore')}, but the source release runs it under ${t.description}: ${cut(r.reason, 300)}. CRI-O on its clusters refuses to run the release image (SignatureValidationFailed), so the update cannot start`,
    };
  };

  const judge = async (target: EdgeTarget, trust: SourceTrust): Promise<{ openpgp: Part; sigstore: Part }> => {
    trustSets.add(trust.id);
    const [openpgp, sigstore] = await Promise.all([
      target.skip.openpgp !== undefined ? { outcome: 'skipped' as const, reason: target.skip.openpgp } : verdicts.run(`${target.digest}\0openpgp\0${trust.openpgp.id}`, () => judgeOpenPGP(target, trust.openpgp)),
      target.skip.sigstore !== undefined ? { outcome: 'skipped' as const, reason: target.skip.sigstore } : verdicts.run(`${target.digest}\0${target.instances ? 'list' : 'image'}\0sigstore\0${trust.sigstore.id}`, () => judgeSigstore(target, trust.sigstore)),
    ]);
    return { openpgp, sigstore };
  };

  const edge = async (target: EdgeTarget, source: EdgeSource, absentIsUnpublished: boolean, served: ReadonlyMap<string, Digest> | undefined, io: EdgeIO): Promise<EdgeResult> => {
    const from = source.version;
    const base = { from, via: source.via };
    const r = await resolve(from, target.arch, io);
    if (r.kind === 'absent') {
      if (absentIsUnpublished) return { ...base, outcome: 'skipped', reason: `${from} was not published for ${target.arch} (tag ${r.tag} does not exist), so no cluster updates from it` };
      const offered = served?.get(from);
      return {
        ...base,
        outcome: 'error',
        reason: `update from ${from}: Cincinnati serves ${from}${offered ? ` (${offered})` : ''}, but its tag ${r.tag} does not exist in the repository read, so its payload (the keyring and policy clusters on ${from} verify this update with) was not read`,
      };
    }
    if (r.kind === 'error') return { ...base, outcome: 'error', reason: `update from ${from}: could not resolve ${r.tag}: ${cut(r.reason, 300)}; the trust of clusters on ${from} is unknown` };
    const digest = r.image.digest;
    const head = `update from ${from} (${short(digest)})`;
    const trusted = await trustOf(r.image, io);
    if (trusted.kind === 'error') {
      return { ...base, digest, outcome: 'error', reason: `${head}: the payload of ${from} could not be read (${cut(trusted.reason, 300)}), so the keyring and policy clusters on ${from} verify this update with are unknown` };
    }
    const v = await judge(target, trusted.trust);
    const parts = [
      { label: 'OpenPGP', part: v.openpgp },
      { label: 'Sigstore', part: v.sigstore },
    ].sort((a, b) => OUTCOME_SEVERITY[b.part.outcome] - OUTCOME_SEVERITY[a.part.outcome]);
    let outcome: Outcome = worseOutcome(v.openpgp.outcome, v.sigstore.outcome);
    // One part verified and the other not applicable: the edge is as good as the part that applies.
    if (outcome === 'skipped' && (v.openpgp.outcome === 'verified' || v.sigstore.outcome === 'verified')) outcome = 'verified';
    return { ...base, digest, outcome, reason: `${head}: ${parts.map((p) => `${p.label} ${p.part.outcome}: ${p.part.reason}`).join('; ')}` };
  };

  return {
    async check(target: EdgeTarget, io: EdgeIO): Promise<EdgeResult[] | undefined> {
      const list = deps.sourcesOf(target);
      if (!list) return undefined;
      counts.nodes++;
      counts.edges += list.sources.length;
      const unknown: EdgeResult[] = list.unknown.map((reason) => ({ from: null, outcome: 'error', reason }));
      const sources = [...list.sources].sort((a, b) => compareVersionStrings(a.version, b.version));
      if (target.skip.openpgp !== undefined && target.skip.sigstore !== undefined) {
        // Neither consumer's check is required of this node: its edges are not judged either (no request).
        const why = target.skip.openpgp === target.skip.sigstore ? target.skip.openpgp : `${target.skip.openpgp}; ${target.skip.sigstore}`;
        return [...unknown, ...sources.map((s): EdgeResult => ({ from: s.version, via: s.via, outcome: 'skipped', reason: `not judged: ${why}` }))];
      }
      const judged = await Promise.all(sources.map((s) => edge(target, s, list.absentIsUnpublished, list.served, io)));
      return [...unknown, ...judged];
    },
    notePayload(digest: Digest, read: PayloadRead): void {
      if (!payloads.has(digest)) setLimited(payloads, digest, noted(read));
    },
    stats(): EdgeCheckStats {
      return {
        nodes: counts.nodes,
        edges: counts.edges,
        sources: resolutions.size,
        payloadsRead: counts.payloadsRead,
        trustSets: trustSets.size,
        evaluations: counts.evaluations,
        signatureFetches: deps.signatureFetches?.() ?? 0,
      };
    },
  };
}
