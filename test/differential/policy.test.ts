/**
 * Differential suite: the tool's decision under a node policy (src/policy) against the oracle's
 * (containers/image 5.23.1 IsRunningImageAllowed, ../shared/oracle), case by case, on the same bytes:
 * images and `.sig` tags in a real docker-registry, OpenPGP signatures made by gpg in a loopback
 * lookaside, policies of every requirement type, scopes at every level of specificity, several
 * requirements per scope, every identity rule.
 *
 * Where current containers/image decides otherwise than the oracle's 5.23.1 (the contract follows
 * current code), the case is marked with the current answer and not counted as an agreement.
 * Requirements the tool cannot evaluate must come back UNSUPPORTED, never verified.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPolicy } from '../../src/policy/check.ts';
import { createPolicySources } from '../../src/policy/fetch.ts';
import { loadPolicyTrust } from '../../src/policy/trust.ts';
import type { CheckResult } from '../../src/model/results.ts';
import { HAVE_ORACLE, ORACLE, PROJECT_ROOT } from '../helpers/paths.ts';
import { isSetupProblem, oracleSigstore, type OracleVerdict } from '../harness/oracle-policy.ts';
import { type BuiltImage } from '../harness/images.ts';
import { LOGICAL, atomicPayload, startPolicyWorld, type PolicyWorld } from './policy-world.ts';

interface Ctx {
  w: PolicyWorld;
  img: BuiltImage;
  /** The logical repository of the case. */
  repo: string;
  d: BuiltImage['digest'];
}

interface Case {
  name: string;
  repo?: string;
  policy: (c: Ctx) => unknown;
  registriesD?: (c: Ctx) => Record<string, string>;
  setup?: (c: Ctx) => Promise<void>;
  /** Current containers/image decides otherwise than the oracle's 5.23.1: the contract's answer, and why. */
  current?: { accept: boolean; why: string };
  /** The tool must say it cannot evaluate this (never verified). */
  unsupported?: boolean;
}

const REJECT_ALL = [{ type: 'reject' }];
const ANY = [{ type: 'insecureAcceptAnything' }];

function docker(scopes: Record<string, unknown>, def: unknown = REJECT_ALL): unknown {
  return { default: def, transports: { docker: scopes } };
}

/** registries.d with the lookaside and attachments enabled for the whole loopback registry. */
function standardRegistriesD(c: Ctx, options: { attachments?: boolean; lookaside?: boolean } = {}): Record<string, string> {
  const lines = ['docker:', `  "${c.w.registry.host}":`];
  if (options.lookaside !== false) lines.push(`    lookaside: ${c.w.lookaside.base}`);
  if (options.attachments !== false) lines.push('    use-sigstore-attachments: true');
  if (lines.length === 2) lines.push('    {}');
  return { 'loopback.yaml': `${lines.join('\n')}\n` };
}

const signedBy = (keyPath: string, extra: Record<string, unknown> = {}) => ({ type: 'signedBy', keyType: 'GPGKeys', keyPath, ...extra });
const sigstoreSigned = (keyPath: string, extra: Record<string, unknown> = {}) => ({ type: 'sigstoreSigned', keyPath, ...extra });

async function gpgLookaside(c: Ctx, signers: { key: string; identity?: string; digest?: string; payload?: string }[]): Promise<void> {
  const blobs = [];
  for (const s of signers) blobs.push(await c.w.gpgSign(s.payload ?? atomicPayload(s.digest ?? c.d, s.identity ?? `${c.repo}@${c.d}`), s.key));
  c.w.lookasidePut(c.repo, c.d, blobs);
}

function cases(): Case[] {
  const out: Case[] = [];
  const A = (c: Ctx) => c.w.keys.a.fingerprint;
  const B = (c: Ctx) => c.w.keys.b.fingerprint;

  // --- each requirement type --------------------------------------------------------------------
  out.push({ name: 'insecureAcceptAnything, no signature', policy: (c) => docker({ [c.repo]: ANY }) });
  out.push({ name: 'reject, signed', policy: (c) => docker({ [c.repo]: REJECT_ALL }, ANY), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });
  out.push({ name: 'signedBaseLayer', policy: (c) => docker({ [c.repo]: [{ type: 'signedBaseLayer', baseLayerIdentity: { type: 'matchRepository' } }] }, ANY) });
  out.push({ name: 'signedBy: signed by the key', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });
  out.push({ name: 'signedBy: armored keyPath', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.aArmored)] }), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });
  out.push({ name: 'signedBy: no signature', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }) });
  out.push({ name: 'signedBy: signed by another key', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }), setup: (c) => gpgLookaside(c, [{ key: B(c) }]) });
  out.push({ name: 'signedBy: signs another digest', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }), setup: (c) => gpgLookaside(c, [{ key: A(c), digest: `sha256:${'1'.repeat(64)}` }]) });
  out.push({ name: 'signedBy: keyPaths, the second key signs', policy: (c) => docker({ [c.repo]: [{ type: 'signedBy', keyType: 'GPGKeys', keyPaths: [c.w.gpgFiles.b, c.w.gpgFiles.a] }] }), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });
  out.push({ name: 'signedBy: keyring of two keys', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.ab)] }), setup: (c) => gpgLookaside(c, [{ key: B(c) }]) });
  out.push({
    name: 'signedBy: keyData',
    policy: (c) => docker({ [c.repo]: [{ type: 'signedBy', keyType: 'GPGKeys', keyData: 'KEYDATA_A' }] }),
    setup: (c) => gpgLookaside(c, [{ key: A(c) }]),
  });
  out.push({ name: 'signedBy: keyType signedByGPGKeys', policy: (c) => docker({ [c.repo]: [{ ...signedBy(c.w.gpgFiles.a), keyType: 'signedByGPGKeys' }] }), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });
  out.push({ name: 'signedBy: keyType X509Certificates, no signature', policy: (c) => docker({ [c.repo]: [{ ...signedBy(c.w.gpgFiles.a), keyType: 'X509Certificates' }] }) });
  out.push({ name: 'signedBy: first signature bad, second good', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }), setup: (c) => gpgLookaside(c, [{ key: B(c) }, { key: A(c) }]) });
  out.push({ name: 'signedBy: two bad signatures', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }), setup: (c) => gpgLookaside(c, [{ key: B(c) }, { key: A(c), identity: 'registry.example.com/team/other:v1' }]) });
  out.push({
    name: 'signedBy: signed by a subkey of the trusted key',
    policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.c)] }),
    setup: (c) => gpgLookaside(c, [{ key: c.w.keys.c.subkeys[0]!.fingerprint }]),
    current: { accept: true, why: 'containers/image 5.23.1 compares the subkey fingerprint with the primary keys; current code maps a subkey to its primary key (mechanism_openpgp.go Verify returns md.SignedBy.Entity.PrimaryKey)' },
  });
  out.push({
    name: 'signedBy: only a cosign .sig exists',
    policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }),
    setup: (c) => c.w.sigPut(c.repo, c.d, [c.w.cosignLayer(c.w.cosign.p256, `${c.repo}@${c.d}`, c.d)]),
  });
  out.push({ name: 'signedBy: no lookaside configured (node-local default)', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }), registriesD: (c) => standardRegistriesD(c, { lookaside: false }), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });

  // payloads as containers/image parses them
  const payloadCase = (name: string, payload: (c: Ctx) => string) =>
    out.push({ name: `signedBy payload: ${name}`, policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }), setup: (c) => gpgLookaside(c, [{ key: A(c), payload: payload(c) }]) });
  payloadCase('unknown optional key (the operator refuses it)', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`, { creator: 'x', extra: { anything: [1, 2] } }));
  payloadCase('optional is empty', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`, {}));
  payloadCase('optional is null', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`, null));
  payloadCase('no optional', (c) => JSON.stringify({ critical: { identity: { 'docker-reference': `${c.repo}@${c.d}` }, image: { 'docker-manifest-digest': c.d }, type: 'atomic container signature' } }));
  payloadCase('Critical spelled with a capital', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`).replace('"critical"', '"Critical"'));
  payloadCase('unknown critical key', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`).replace('"type":', '"extra":1,"type":'));
  payloadCase('cosign type', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`).replace('atomic container signature', 'cosign container image signature'));
  payloadCase('timestamp 1.5', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`, { timestamp: 1.5 }));
  payloadCase('timestamp 1e3', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`).replace('1700000000', '1e3'));
  payloadCase('creator is a number', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`, { creator: 5 }));
  payloadCase('digest in upper case', (c) => atomicPayload(c.d.toUpperCase().replace('SHA256', 'sha256'), `${c.repo}@${c.d}`));
  payloadCase('duplicate critical', (c) => atomicPayload(c.d, `${c.repo}@${c.d}`).replace('{"critical":', '{"critical":{},"critical":'));
  payloadCase('trailing data after the JSON', (c) => `${atomicPayload(c.d, `${c.repo}@${c.d}`)} x`);

  // --- identity rules -----------------------------------------------------------------------------
  const identityCase = (name: string, rule: unknown, identity: (c: Ctx) => string) => {
    out.push({
      name: `signedBy identity: ${name}`,
      policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a, rule === undefined ? {} : { signedIdentity: rule })] }),
      setup: (c) => gpgLookaside(c, [{ key: A(c), identity: identity(c) }]),
    });
    out.push({
      name: `sigstoreSigned identity: ${name}`,
      policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256, rule === undefined ? {} : { signedIdentity: rule })] }),
      setup: (c) => c.w.sigPut(c.repo, c.d, [c.w.cosignLayer(c.w.cosign.p256, identity(c), c.d)]),
    });
  };
  identityCase('default, repo@digest', undefined, (c) => `${c.repo}@${c.d}`);
  identityCase('default, repo:tag', undefined, (c) => `${c.repo}:v1`);
  identityCase('default, repository only', undefined, (c) => c.repo);
  identityCase('default, another repository', undefined, (c) => `${LOGICAL.other}@${c.d}`);
  identityCase('default, short name', undefined, () => 'app:v1');
  identityCase('matchRepository, repository only', { type: 'matchRepository' }, (c) => c.repo);
  identityCase('matchRepository, another repository', { type: 'matchRepository' }, () => LOGICAL.other);
  identityCase('matchExact, repo@digest', { type: 'matchExact' }, (c) => `${c.repo}@${c.d}`);
  identityCase('matchExact, repo:tag', { type: 'matchExact' }, (c) => `${c.repo}:v1`);
  identityCase('exactReference, equal', { type: 'exactReference', dockerReference: 'quay.io/signed/app:v2' }, () => 'quay.io/signed/app:v2');
  identityCase('exactReference, another tag', { type: 'exactReference', dockerReference: 'quay.io/signed/app:v2' }, () => 'quay.io/signed/app:v3');
  identityCase('exactRepository, in it', { type: 'exactRepository', dockerRepository: 'quay.io/signed/app' }, () => 'quay.io/signed/app:anything');
  identityCase('exactRepository, elsewhere', { type: 'exactRepository', dockerRepository: 'quay.io/signed/app' }, (c) => `${c.repo}@${c.d}`);
  identityCase('remapIdentity, remapped name', { type: 'remapIdentity', prefix: 'registry.example.com/team', signedPrefix: 'quay.io/signed' }, (c) => `quay.io/signed/app@${c.d}`);
  identityCase('remapIdentity, original name', { type: 'remapIdentity', prefix: 'registry.example.com/team', signedPrefix: 'quay.io/signed' }, (c) => `${c.repo}@${c.d}`);
  identityCase('remapIdentity, prefix not matching', { type: 'remapIdentity', prefix: 'registry.example.com/elsewhere', signedPrefix: 'quay.io/signed' }, (c) => `${c.repo}:v1`);

  // --- sigstoreSigned -----------------------------------------------------------------------------
  const sig = (c: Ctx, key = c.w.cosign.p256, options: Parameters<PolicyWorld['cosignLayer']>[3] = {}) => c.w.cosignLayer(key, `${c.repo}@${c.d}`, c.d, options);
  out.push({ name: 'sigstoreSigned: P-256, signed', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]) });
  out.push({ name: 'sigstoreSigned: RSA, signed', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.rsa)] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c, c.w.cosign.rsa)]) });
  out.push({ name: 'sigstoreSigned: signed by another key', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c, c.w.cosign.other)]) });
  out.push({ name: 'sigstoreSigned: no .sig', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }) });
  out.push({ name: 'sigstoreSigned: attachments not enabled', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }), registriesD: (c) => standardRegistriesD(c, { attachments: false }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]) });
  out.push({ name: 'sigstoreSigned: only a GPG lookaside signature', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });
  out.push({ name: 'sigstoreSigned: keyData', policy: (c) => docker({ [c.repo]: [{ type: 'sigstoreSigned', keyData: Buffer.from(c.w.cosign.p256.publicPem).toString('base64') }] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]) });
  out.push({ name: 'sigstoreSigned: second layer good', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c, c.w.cosign.other), sig(c)]) });
  out.push({
    name: 'sigstoreSigned: signs another digest',
    policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }),
    setup: (c) => c.w.sigPut(c.repo, c.d, [c.w.cosignLayer(c.w.cosign.p256, `${c.repo}@${c.d}`, `sha256:${'2'.repeat(64)}`)]),
  });
  out.push({
    name: 'sigstoreSigned: keyPaths (current containers/image)',
    policy: (c) => docker({ [c.repo]: [{ type: 'sigstoreSigned', keyPaths: [c.w.pemFiles.other, c.w.pemFiles.p256] }] }),
    setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]),
    current: { accept: true, why: 'keyPaths for sigstoreSigned came after containers/image 5.23.1, which refuses the policy' },
  });
  out.push({
    name: 'sigstoreSigned: keyDatas (current containers/image)',
    policy: (c) => docker({ [c.repo]: [{ type: 'sigstoreSigned', keyDatas: [Buffer.from(c.w.cosign.other.publicPem).toString('base64'), Buffer.from(c.w.cosign.p256.publicPem).toString('base64')] }] }),
    setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]),
    current: { accept: true, why: 'keyDatas for sigstoreSigned came after containers/image 5.23.1, which refuses the policy' },
  });
  out.push({
    name: 'sigstoreSigned: ECDSA in IEEE P1363 encoding',
    policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }),
    setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c, c.w.cosign.p256, { p1363: true })]),
    current: { accept: true, why: 'sigstore/sigstore 1.4.2 (the oracle) wants ASN.1 DER; current pkg/signature/ecdsa.go also accepts IEEE P1363' },
  });
  out.push({ name: 'sigstoreSigned: Rekor SET required and present', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256, { rekorPublicKeyPath: c.w.pemFiles.rekor })] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c, c.w.cosign.p256, { rekor: true })]), current: { accept: true, why: 'rekorPublicKey* came after containers/image 5.23.1, which refuses the policy (current: policy_eval_sigstore.go checks the SET when a Rekor key is configured)' } });
  out.push({ name: 'sigstoreSigned: Rekor SET required, absent', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256, { rekorPublicKeyPath: c.w.pemFiles.rekor })] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]), current: { accept: false, why: 'rekorPublicKey* came after containers/image 5.23.1, which refuses the policy (current: policy_eval_sigstore.go checks the SET when a Rekor key is configured)' } });
  out.push({ name: 'sigstoreSigned: Rekor SET by another log', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256, { rekorPublicKeyPath: c.w.pemFiles.other })] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c, c.w.cosign.p256, { rekor: true })]), current: { accept: false, why: 'rekorPublicKey* came after containers/image 5.23.1, which refuses the policy (current: policy_eval_sigstore.go checks the SET when a Rekor key is configured)' } });
  out.push({ name: 'sigstoreSigned: Rekor SET present, not required', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c, c.w.cosign.p256, { rekor: true })]) });
  out.push({
    name: 'sigstoreSigned: sigstore-json signature in the lookaside',
    policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }),
    setup: async (c) => {
      const layer = sig(c);
      const json = JSON.stringify({ mimeType: layer.mediaType, payload: Buffer.from(layer.blob).toString('base64'), annotations: layer.annotations });
      c.w.lookasidePut(c.repo, c.d, [Buffer.concat([Buffer.from('\x00sigstore-json\n'), Buffer.from(json)])]);
    },
  });
  out.push({
    name: 'sigstoreSigned: fulcio (keyless)',
    policy: (c) => docker({ [c.repo]: [{ type: 'sigstoreSigned', fulcio: { caPath: c.w.pemFiles.p256, oidcIssuer: 'https://issuer.example.com', subjectEmail: 'a@example.com' }, rekorPublicKeyPath: c.w.pemFiles.rekor }] }),
    setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]),
    unsupported: true,
  });
  out.push({
    name: 'sigstoreSigned: fulcio, no signature',
    policy: (c) => docker({ [c.repo]: [{ type: 'sigstoreSigned', fulcio: { caPath: c.w.pemFiles.p256, oidcIssuer: 'https://issuer.example.com', subjectEmail: 'a@example.com' }, rekorPublicKeyPath: c.w.pemFiles.rekor }] }),
    current: { accept: false, why: 'fulcio came after containers/image 5.23.1; current code refuses an image with no signature whatever the root of trust' },
  });

  // --- several requirements per scope ------------------------------------------------------------
  out.push({ name: 'two: insecureAcceptAnything and signedBy, signed', policy: (c) => docker({ [c.repo]: [...ANY, signedBy(c.w.gpgFiles.a)] }), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });
  out.push({ name: 'two: insecureAcceptAnything and signedBy, unsigned', policy: (c) => docker({ [c.repo]: [...ANY, signedBy(c.w.gpgFiles.a)] }) });
  out.push({ name: 'two: signedBy A and signedBy B, only A signed', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a), signedBy(c.w.gpgFiles.b)] }), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });
  out.push({ name: 'two: signedBy A and signedBy B, both signed', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a), signedBy(c.w.gpgFiles.b)] }), setup: (c) => gpgLookaside(c, [{ key: A(c) }, { key: B(c) }]) });
  out.push({
    name: 'two: signedBy and sigstoreSigned, both signed',
    policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a), sigstoreSigned(c.w.pemFiles.p256)] }),
    setup: async (c) => {
      await gpgLookaside(c, [{ key: A(c) }]);
      await c.w.sigPut(c.repo, c.d, [sig(c)]);
    },
  });
  out.push({ name: 'two: signedBy and sigstoreSigned, only GPG', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a), sigstoreSigned(c.w.pemFiles.p256)] }), setup: (c) => gpgLookaside(c, [{ key: A(c) }]) });
  out.push({ name: 'two: signedBy and sigstoreSigned, only cosign', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a), sigstoreSigned(c.w.pemFiles.p256)] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]) });
  out.push({ name: 'two: reject and insecureAcceptAnything', policy: (c) => docker({ [c.repo]: [...REJECT_ALL, ...ANY] }, ANY) });
  out.push({ name: 'two: sigstoreSigned two keys, one signature', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256), sigstoreSigned(c.w.pemFiles.rsa)] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]) });
  out.push({ name: 'two: sigstoreSigned two keys, both signatures', policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256), sigstoreSigned(c.w.pemFiles.rsa)] }), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c, c.w.cosign.rsa), sig(c)]) });
  out.push({ name: 'three: insecure, sigstoreSigned, reject', policy: (c) => docker({ [c.repo]: [...ANY, sigstoreSigned(c.w.pemFiles.p256), ...REJECT_ALL] }, ANY), setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]) });

  // --- scope specificity --------------------------------------------------------------------------
  const scopeCase = (name: string, scopes: (c: Ctx) => Record<string, unknown>, def: unknown = REJECT_ALL, repo?: string) =>
    out.push({ name: `scope: ${name}`, ...(repo ? { repo } : {}), policy: (c) => docker(scopes(c), def) });
  scopeCase('exact image over repository', (c) => ({ [`${c.repo}@${c.d}`]: ANY, [c.repo]: REJECT_ALL }));
  scopeCase('repository over namespace', (c) => ({ [c.repo]: REJECT_ALL, 'registry.example.com/team': ANY }));
  scopeCase('namespace over host', () => ({ 'registry.example.com/team': ANY, 'registry.example.com': REJECT_ALL }));
  scopeCase('host over transport default', () => ({ 'registry.example.com': ANY, '': REJECT_ALL }));
  scopeCase('host, rejecting', () => ({ 'registry.example.com': REJECT_ALL }), ANY);
  scopeCase('transport default over default', () => ({ '': ANY }));
  scopeCase('default when nothing matches', () => ({ 'registry.example.org': REJECT_ALL }), ANY);
  scopeCase('a tag scope does not match a pull by digest', (c) => ({ [`${c.repo}:latest`]: ANY }));
  scopeCase('another image digest does not match', (c) => ({ [`${c.repo}@sha256:${'3'.repeat(64)}`]: ANY }));
  scopeCase('a sibling repository does not match', () => ({ [LOGICAL.other]: ANY }));
  scopeCase('a name prefix is not a namespace', () => ({ 'registry.example.com/team/ap': ANY }));
  scopeCase('the physical location is not the scope', (c) => ({ [c.w.registry.host]: ANY }));
  scopeCase('wildcard host', () => ({ '*.example.org': ANY }), REJECT_ALL, LOGICAL.sub);
  scopeCase('more specific wildcard first', () => ({ '*.mirror.example.org': REJECT_ALL, '*.example.org': ANY }), ANY, LOGICAL.sub);
  scopeCase('host over wildcard', () => ({ 'sub.mirror.example.org': ANY, '*.mirror.example.org': REJECT_ALL }), REJECT_ALL, LOGICAL.sub);
  scopeCase('wildcard does not match the bare domain', () => ({ '*.sub.mirror.example.org': ANY }), REJECT_ALL, LOGICAL.sub);
  scopeCase('single-component repository', () => ({ 'registry.example.com/solo': ANY }), REJECT_ALL, LOGICAL.solo);
  out.push({ name: 'scope: the atomic transport is not consulted', policy: (c) => ({ default: REJECT_ALL, transports: { atomic: { [c.repo]: ANY } } }) });
  out.push({ name: 'scope: more specific scope needs a signature the less specific does not', policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)], 'registry.example.com': ANY }) });

  // --- registries.d -------------------------------------------------------------------------------
  out.push({
    name: 'registries.d: default-docker lookaside',
    policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }),
    registriesD: (c) => ({ 'default.yaml': `default-docker:\n  lookaside: ${c.w.lookaside.base}\n` }),
    setup: (c) => gpgLookaside(c, [{ key: A(c) }]),
  });
  out.push({
    name: 'registries.d: a more specific section without lookaside falls through',
    policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }),
    registriesD: (c) => ({ 'a.yaml': `docker:\n  "${c.w.registry.host}":\n    lookaside: ${c.w.lookaside.base}\n  "${c.w.registry.host}/rex/team/app":\n    use-sigstore-attachments: true\n` }),
    setup: (c) => gpgLookaside(c, [{ key: A(c) }]),
  });
  out.push({
    name: 'registries.d: attachments disabled for the repository, enabled for the host',
    policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }),
    registriesD: (c) => ({ 'a.yaml': `docker:\n  "${c.w.registry.host}":\n    use-sigstore-attachments: true\n`, 'b.yaml': `docker:\n  "${c.w.registry.host}/rex/team/app":\n    use-sigstore-attachments: false\n` }),
    setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]),
  });
  out.push({
    name: 'registries.d: the logical name configures nothing',
    policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }),
    registriesD: (c) => ({ 'a.yaml': `docker:\n  "${c.repo}":\n    use-sigstore-attachments: true\n` }),
    setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]),
  });
  out.push({
    name: 'registries.d: a .yml file is not read',
    policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }),
    registriesD: (c) => ({ 'a.yml': `docker:\n  "${c.w.registry.host}":\n    use-sigstore-attachments: true\n` }),
    setup: (c) => c.w.sigPut(c.repo, c.d, [sig(c)]),
  });
  out.push({
    name: 'registries.d: lookaside with a trailing slash',
    policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }),
    registriesD: (c) => ({ 'a.yaml': `docker:\n  "${c.w.registry.host}":\n    lookaside: ${c.w.lookaside.base}/\n` }),
    setup: (c) => gpgLookaside(c, [{ key: A(c) }]),
  });
  out.push({
    name: 'lookaside: a blob that is not a signature',
    policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }),
    setup: async (c) => {
      const good = await c.w.gpgSign(atomicPayload(c.d, `${c.repo}@${c.d}`), A(c));
      c.w.lookasidePut(c.repo, c.d, [good, Buffer.from('<html>not a signature</html>')]);
    },
  });
  out.push({
    name: 'lookaside: a broken lookaside fails sigstoreSigned too',
    policy: (c) => docker({ [c.repo]: [sigstoreSigned(c.w.pemFiles.p256)] }),
    setup: async (c) => {
      c.w.lookasidePut(c.repo, c.d, [Buffer.from('garbage')]);
      await c.w.sigPut(c.repo, c.d, [sig(c)]);
    },
  });
  out.push({
    name: 'lookaside: simple-signing format marker',
    policy: (c) => docker({ [c.repo]: [signedBy(c.w.gpgFiles.a)] }),
    setup: async (c) => {
      const good = await c.w.gpgSign(atomicPayload(c.d, `${c.repo}@${c.d}`), A(c));
      c.w.lookasidePut(c.repo, c.d, [Buffer.concat([Buffer.from('\x00simple-signing\n'), good])]);
    },
  });
  return out;
}

interface Row {
  name: string;
  oracle: OracleVerdict;
  tool: CheckResult;
  expected: boolean;
  kind: 'agree' | 'disagree' | 'current' | 'unsupported';
  note?: string;
}

const run = HAVE_ORACLE ? describe : describe.skip;
if (!HAVE_ORACLE) console.log(`node-policy differential suite skipped: no oracle at ${ORACLE}`);

run('node policy: the tool decides as containers/image decides (oracle sigstore)', () => {
  let w: PolicyWorld;
  const rows: Row[] = [];
  beforeAll(async () => {
    w = await startPolicyWorld();
  }, 120_000);
  afterAll(async () => {
    await w?.stop();
  });

  it('agrees on every case', async () => {
    const all = cases();
    for (const [i, k] of all.entries()) {
      const repo = k.repo ?? LOGICAL.app;
      const img = await w.push(repo, `policy-case-${i}-${k.name}`);
      const c: Ctx = { w, img, repo, d: img.digest };
      await k.setup?.(c);
      const dir = join(w.dir, 'cases', String(i));
      const home = join(dir, 'home');
      await mkdir(home, { recursive: true });
      const policyText = JSON.stringify(k.policy(c), null, 2).replace('"KEYDATA_A"', JSON.stringify(Buffer.from(await w.gpg.exportPublicKey(w.keys.a.fingerprint)).toString('base64')));
      const registriesD = (k.registriesD ?? standardRegistriesD)(c);
      const oracle = await oracleSigstore({ dir, policy: policyText, registriesD, registriesConf: w.registriesConf, ref: `docker://${repo}@${c.d}`, home });
      // The tool reads the same files.
      const trust = await loadPolicyTrust({ policyJson: join(dir, 'policy.json'), registriesD: join(dir, 'registries.d') });
      const network = await w.network(repo);
      const tool = await checkPolicy({ digest: c.d }, { trust, sources: createPolicySources(network.http, network.registry, network.repository), identityRepo: repo, physicalRepo: network.repository.display });
      const toolAccepts = tool.outcome === 'verified';
      let row: Row;
      if (k.unsupported) {
        row = { name: k.name, oracle, tool, expected: false, kind: 'unsupported' };
      } else if (k.current) {
        row = { name: k.name, oracle, tool, expected: k.current.accept, kind: 'current', note: k.current.why };
      } else {
        if (isSetupProblem(oracle)) throw new Error(`case ${k.name}: the oracle could not run it: ${oracle.reason}`);
        row = { name: k.name, oracle, tool, expected: oracle.accept, kind: toolAccepts === oracle.accept ? 'agree' : 'disagree' };
      }
      rows.push(row);
    }
    const agree = rows.filter((r) => r.kind === 'agree');
    const disagree = rows.filter((r) => r.kind === 'disagree');
    const current = rows.filter((r) => r.kind === 'current');
    const unsupported = rows.filter((r) => r.kind === 'unsupported');
    const currentOk = current.filter((r) => (r.tool.outcome === 'verified') === r.expected);
    console.log(
      `node-policy differential (oracle sigstore): ${rows.length} cases, ${agree.length} agreements, ${disagree.length} disagreements; ` +
        `${current.length} marked where current containers/image differs from the oracle's 5.23.1 (tool equals the current answer in ${currentOk.length}); ` +
        `${unsupported.length} the tool reports as not evaluated (UNSUPPORTED)`,
    );
    for (const r of [...disagree, ...current.filter((x) => !currentOk.includes(x))]) {
      console.log(`  ${r.kind === 'disagree' ? 'DISAGREE' : 'tool differs from current containers/image'}: ${r.name}: oracle ${r.oracle.accept} (${r.oracle.reason}); tool ${r.tool.outcome} (${r.tool.reason.slice(0, 400)})`);
    }
    // Every row, for whoever wants to read the cases one by one.
    await mkdir(join(PROJECT_ROOT, '.tmp'), { recursive: true });
    await writeFile(
      join(PROJECT_ROOT, '.tmp', 'policy-differential.json'),
      JSON.stringify(rows.map((r) => ({ case: r.name, kind: r.kind, oracle: r.oracle, tool: { outcome: r.tool.outcome, reason: r.tool.reason }, ...(r.note ? { current: { accept: r.expected, why: r.note } } : {}) })), null, 2),
    );
    expect(disagree.map((r) => `${r.name}: oracle ${r.oracle.accept} (${r.oracle.reason}) tool ${r.tool.outcome}: ${r.tool.reason}`)).toEqual([]);
    for (const r of unsupported) {
      expect(r.tool.outcome, r.name).toBe('error');
      expect(r.tool.reason, r.name).toMatch(/^UNSUPPORTED: /);
    }
    expect(agree.length).toBeGreaterThan(100);
  }, 900_000);
});
