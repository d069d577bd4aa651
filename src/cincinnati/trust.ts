/**
 * The trust a source release A ships, read from its payload's manifests as its cluster applies it to
 * the updates it takes (docs/verdicts.md, "Update edges"). Pure: manifest texts in, a trust set out.
 *
 * OpenPGP, as the cluster-version operator loads its verifier (openshift/library-go pkg/verify
 * configmap.go NewFromManifests and newFromConfigMapData; research openpgp.md 2.1, 2.2):
 *  - the ConfigMap annotated `release.openshift.io/verification-config-map` (the payload reader finds
 *    `release-verification` in `openshift-config-managed`, cluster-update-keys' one);
 *  - every `data` key starting `verifier-public-key-` is one keyring (armored or binary); a key the
 *    operator cannot read makes the whole ConfigMap unusable, as does a ConfigMap without a key or
 *    without a `store-` entry ("did not provide any ... and cannot be used");
 *  - verification is an intersection over keyrings: every keyring needs one valid signature
 *    (library-go pkg/verify/verify.go `Verify`), any key of a keyring suffices;
 *  - without a usable ConfigMap the operator verifies nothing and refuses every update
 *    (openshift/cluster-version-operator pkg/cvo/cvo.go: "No release authenticity verification is
 *    configured, all releases are considered unverified", `verify.Reject`).
 * The `store-` URLs A names are not followed: signatures are read from the stores the workflow
 * configured (SECURITY.md: sources are the workflow's; A's payload is network input).
 *
 * Sigstore, as the machine-config operator renders A's ClusterImagePolicies and CRI-O applies them to
 * the release image of B (src/sigstore/policy.ts: the most specific scope covering the release
 * repository, every requirement under it). A payload without a policy covering the release repository
 * leaves CRI-O on A's clusters with nothing to verify the release image against.
 */
import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { yamlOverBudget } from '../yaml/budget.ts';
import { describeError } from '../model/errors.ts';
import type { PayloadManifestFile } from '../model/payload.ts';
import { OpenPGPKeyring, readOpenPGPKeys } from '../openpgp/keys.ts';
import { describeTrust, parseImagePolicies, selectRequirements, type ImagePolicyDocument, type SigstoreTrust } from '../sigstore/policy.ts';
import { toRepositoryReference } from '../sigstore/reference.ts';

export const VERIFICATION_ANNOTATION = 'release.openshift.io/verification-config-map';
export const KEY_PREFIX = 'verifier-public-key-';
export const STORE_PREFIX = 'store-';

export interface NamedKeyring {
  /** The ConfigMap data key, e.g. `verifier-public-key-redhat`. */
  name: string;
  keyring: OpenPGPKeyring;
}

/** What A's cluster-version operator verifies updates with. */
export type SourceOpenPGP =
  | { kind: 'keyrings'; keyrings: NamedKeyring[]; id: string }
  /** No usable verifier: the operator refuses every update (the reason says why). */
  | { kind: 'none'; reason: string; id: string };

/** What CRI-O on A's clusters runs B's release image under. */
export type SourceSigstore =
  | { kind: 'policy'; trust: SigstoreTrust; description: string; id: string }
  /** No policy covers the release repository: the release image is not verified. */
  | { kind: 'none'; reason: string; id: string }
  /** A policy this tool cannot evaluate (a root of trust it does not implement, a malformed one). */
  | { kind: 'unreadable'; reason: string; id: string };

/** A's trust set; `id` is the same for every release that ships the same keys and policy. */
export interface SourceTrust {
  openpgp: SourceOpenPGP;
  sigstore: SourceSigstore;
  id: string;
}

const hash = (parts: readonly string[]): string => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reasons name no release: a verdict under one trust set serves every source that ships it. */
function none(reason: string): SourceOpenPGP {
  return { kind: 'none', reason, id: `none:${hash([reason])}` };
}

/** A's keyrings, from its cluster-update-keys ConfigMap (`file`), or why there are none. */
export async function parseSourceKeyrings(file: PayloadManifestFile | undefined): Promise<SourceOpenPGP> {
  if (!file) return none(`the source release ships no release-verification ConfigMap (cluster-update-keys), so its cluster-version operator has no keyring and considers every release unverified`);
  const over = yamlOverBudget(file.text);
  if (over) return none(`its ${file.path} is not parsed (${over}), so no keyring is read from it`);
  let docs;
  try {
    // The ConfigMap OpenShift ships repeats `namespace:`; the cluster's decoder keeps the last (payload/parse.ts).
    docs = parseAllDocuments(file.text, { prettyErrors: false, uniqueKeys: false });
  } catch (err) {
    return none(`its ${file.path} is not YAML (${describeError(err)}), so its cluster-version operator has no keyring`);
  }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 50 });
    } catch (err) {
      // An alias bomb, or a document the decoder refuses: the operator has no keyring from it either.
      return none(`its ${file.path} cannot be decoded (${describeError(err)}), so its cluster-version operator has no keyring`);
    }
    if (!isRecord(value) || value.kind !== 'ConfigMap') continue;
    const metadata = isRecord(value.metadata) ? value.metadata : {};
    const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
    if (!(VERIFICATION_ANNOTATION in annotations)) {
      return none(`its ConfigMap ${file.path} lacks the ${VERIFICATION_ANNOTATION} annotation, so its cluster-version operator does not load it and has no keyring`);
    }
    const data = isRecord(value.data) ? value.data : {};
    const keyNames = Object.keys(data).filter((k) => k.startsWith(KEY_PREFIX)).sort();
    const stores = Object.keys(data).filter((k) => k.startsWith(STORE_PREFIX));
    if (keyNames.length === 0) return none(`its ConfigMap ${file.path} provides no ${KEY_PREFIX}* keys, so its cluster-version operator cannot use it ("did not provide any GPG public keys")`);
    if (stores.length === 0) return none(`its ConfigMap ${file.path} provides no ${STORE_PREFIX}* signature store, so its cluster-version operator cannot use it ("did not provide any signature stores")`);
    const keyrings: NamedKeyring[] = [];
    for (const name of keyNames) {
      const text = data[name];
      if (typeof text !== 'string') return none(`its ConfigMap entry ${name} is not a string, so its cluster-version operator cannot use the ConfigMap`);
      try {
        const keys = await readOpenPGPKeys(text, `${file.path} ${name}`);
        // x/crypto/openpgp's ReadArmoredKeyRing skips entities it cannot read and fails when none is
        // left: an entry of only such keys (EdDSA, say) makes the operator refuse the whole ConfigMap.
        if (keys.length > 0 && keys.every((k) => k.unusable !== undefined)) {
          return none(`its ConfigMap entry ${name} holds only keys the cluster-version operator cannot read (${keys[0]!.unusable}), so it cannot use the ConfigMap`);
        }
        keyrings.push({ name, keyring: new OpenPGPKeyring(keys) });
      } catch (err) {
        return none(`its ConfigMap entry ${name} is not a key the cluster-version operator can read (${describeError(err)}), so it cannot use the ConfigMap`);
      }
    }
    const id = hash(keyrings.flatMap((k) => [k.name, ...k.keyring.keys.map((key) => `${key.fingerprint}:${Buffer.from(key.key.write()).toString('base64')}`).sort()]));
    return { kind: 'keyrings', keyrings, id: `keys:${id}` };
  }
  return none(`its ${file.path} holds no ConfigMap, so its cluster-version operator has no keyring`);
}

/** The policy CRI-O on A's clusters applies to `identityRepo` (the release repository), from A's ClusterImagePolicies. */
export function parseSourcePolicy(files: readonly PayloadManifestFile[], identityRepo: string): SourceSigstore {
  const docs: ImagePolicyDocument[] = [];
  for (const f of files) {
    try {
      // Only cluster-wide policies: a payload ships no namespaced ImagePolicy for the cluster-version operator's pod.
      docs.push(...parseImagePolicies(f.text, f.path).filter((d) => d.kind === 'ClusterImagePolicy'));
    } catch (err) {
      const reason = `its ${f.path} cannot be evaluated: ${describeError(err)}`;
      return { kind: 'unreadable', reason, id: `unreadable:${hash([reason])}` };
    }
  }
  const repo = toRepositoryReference(identityRepo, 'release repository');
  const requirements = selectRequirements(docs, repo);
  if (!requirements) {
    const reason = `the source release ships no ClusterImagePolicy whose scopes cover ${repo.name}, so CRI-O on its clusters does not verify the release image`;
    return { kind: 'none', reason, id: 'none' };
  }
  const trust: SigstoreTrust = { releaseRepo: repo.name, requirements };
  const id = hash(requirements.map((r) => JSON.stringify({ scope: r.scope, keys: r.keys.map((k) => k.fingerprint).sort(), rekor: r.rekorKeys?.map((k) => k.fingerprint).sort(), identity: r.identity })));
  return { kind: 'policy', trust, description: describeTrust(trust), id: `policy:${id}` };
}

export function combineTrust(openpgp: SourceOpenPGP, sigstore: SourceSigstore): SourceTrust {
  return { openpgp, sigstore, id: `${openpgp.id}|${sigstore.id}` };
}
