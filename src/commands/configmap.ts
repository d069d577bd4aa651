/**
 * `release-sigcheck configmap FILE|DIR...`: verifies the OpenPGP signatures in signature ConfigMaps,
 * the way a disconnected cluster's cluster-version operator will read them. Every signature is
 * verified against the digest its key files it under; a digest passes when at least one of its
 * signatures verifies.
 *
 * `release-sigcheck configmap --write DIR (--release V [--arch LIST] | --digest D)`: the other way
 * round, fetches the signatures from the signature stores, verifies them, and writes the ConfigMap the
 * operator reads (src/mirror/collect.ts, src/mirror/write.ts). Only verified signatures are written.
 */
import { readSignatureConfigMaps, SIGNATURE_CONFIGMAP_LABEL, SIGNATURE_CONFIGMAP_NAMESPACE, type ConfigMapSignature } from '../openpgp/configmap.ts';
import { judgeConfigMapSignatures, type JudgedConfigMapSignature } from '../openpgp/configmap-judge.ts';
import { SigcheckError, describeError } from '../model/errors.ts';
import { toCheckConfig, type CheckFlags } from '../options/registry.ts';
import { toDigest, type Digest } from '../model/digest.ts';
import type { Arch } from '../model/arch.ts';
import { collectStoreSignatures, type CollectedSignatures } from '../mirror/collect.ts';
import { toRemedy } from '../mirror/remedy.ts';
import { writeSignatureConfigMap } from '../mirror/write.ts';
import { loadOpenPGPTrust, openNetwork } from '../wiring/deps.ts';
import type { SignatureAttempt } from '../model/results.ts';
import { ExitCode, decideExitCode } from '../model/results.ts';
import { TOOL } from '../model/tool.ts';
import { optionsHelp, parseArgsSpec } from '../options/table.ts';
import { list, parseCommandArgs, str, type OptionSpec } from './args.ts';
import type { CliIO } from './io.ts';
import { toCheckFlags } from './check.ts';
import { safeJsonStringify, safeLogText } from '../report/safe-text.ts';

export const CONFIGMAP_OPTIONS: OptionSpec = parseArgsSpec('configmap');

export const CONFIGMAP_HELP = `Usage: release-sigcheck configmap [options] FILE|DIR...
       release-sigcheck configmap --write DIR (--release V [--arch LIST] | --digest D) [options]

Verifies the OpenPGP release signatures in signature ConfigMaps, as the cluster-version operator of a
disconnected cluster reads them before it starts an update. Reads the ConfigMaps written by
\`oc adm release mirror\` (sha256-<hex>, keys sha256-<hex>-1..), oc-mirror (mirrored-release-signatures)
and the operator itself (signatures-managed): YAML or JSON, one or many documents, kind: List too.
Directories are searched for *.yaml, *.yml and *.json files.

Every binaryData key that starts with sha256-<hex> is one signature of that digest; data entries are
ignored, as the operator ignores them. A digest passes when at least one of its signatures verifies.

With --write, fetches the OpenPGP signatures of a release from the signature stores (signature-1..9,
as the operator reads them), verifies each, and writes the signature ConfigMap the operator reads:
DIR/signature-sha256-<16 hex>.yaml, ConfigMap sha256-<hex> in openshift-config-managed with the
release.openshift.io/verification-signatures label and binaryData keys sha256-<hex>-1, -2, ...
Only verified signatures are written; with none, no file is written and the reason is printed.

Examples:
  release-sigcheck configmap --write mirror/config --release 4.21.3 --arch amd64
  oc apply -f mirror/config/signature-sha256-<16 hex>.yaml
      write the ConfigMap a disconnected cluster needs to update to 4.21.3, then apply it
  release-sigcheck configmap --write cms/ --digest sha256:0da6316466d60a3a4535d5fed3589feb0391989982fba59d47d4c729912d6363
      by payload digest (for multi releases, the manifest-list digest)
  release-sigcheck configmap mirror/config/
      check what \`oc adm release mirror --to-dir mirror\` wrote before applying it
  release-sigcheck configmap signatures.yaml --format json
      one file, a JSON report on stdout
  oc get configmap -n openshift-config-managed -l release.openshift.io/verification-signatures -o yaml > cms.yaml
  release-sigcheck configmap cms.yaml
      check the signatures a cluster already holds
  release-sigcheck configmap --openpgp-key my-ci-key.asc signatures.yaml
      also trust another public key (armored or binary; repeatable)

${optionsHelp('configmap', ['Trust', 'Output', 'Writing ConfigMaps', 'Scope', 'Registry and signature stores'])}
Exit codes: 0 every digest has a verified signature (with --write: every ConfigMap was written); 1 a
digest has no valid signature (or no signature was found; with --write, nothing written for it);
2 usage or configuration error (unreadable file, bad key); 3 (--write) the stores could not be read.
`;

interface SignatureReport {
  source: string;
  file: string;
  configMap: string;
  key: string;
  outcome: 'verified' | 'invalid';
  code?: string;
  reason: string;
  /** The cluster would accept this signature; the tool refuses it (docs/verdicts.md, "Deliberately stricter"). */
  deliberate?: true;
  /** Why the cluster-version operator never reads this ConfigMap. */
  unread?: string;
  signer?: string;
  fingerprint?: string;
  identity?: string;
  signatureVersion?: number;
  created?: string;
}

interface DigestReport {
  digest: string;
  outcome: 'verified' | 'invalid';
  reason: string;
  signatures: SignatureReport[];
}

/** The report of one signature, from the shared judgement (the same one `mirror --configmaps` uses). */
function toReport(judged: JudgedConfigMapSignature): SignatureReport {
  const { entry, attempt, verdict } = judged;
  const base = { source: entry.source, file: entry.file, configMap: entry.configMap, key: entry.key };
  const report: SignatureReport = { ...base, outcome: attempt.outcome === 'verified' ? 'verified' : 'invalid', reason: attempt.reason };
  if (attempt.code) report.code = attempt.code;
  if (attempt.deliberate) report.deliberate = true;
  if (judged.unread) report.unread = judged.unread;
  if (verdict?.signer) {
    report.signer = verdict.signer.keyName;
    report.fingerprint = verdict.signer.fingerprint;
  }
  if (attempt.identity !== undefined) report.identity = attempt.identity;
  if (verdict?.signatureVersion !== undefined) report.signatureVersion = verdict.signatureVersion;
  if (verdict?.ok) report.created = verdict.created.toISOString();
  return report;
}

export async function runConfigMapCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals, notes } = parseCommandArgs('configmap', args, CONFIGMAP_OPTIONS, true);
  for (const n of notes) io.stderr.write(`release-sigcheck: note: ${n}\n`);
  if (values.help) {
    io.stdout.write(CONFIGMAP_HELP);
    return ExitCode.Passed;
  }
  const format = str(values, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new SigcheckError('USAGE', `--format must be text or json (got ${JSON.stringify(format)}).\nRun \`release-sigcheck configmap --help\` for the options and examples.`);
  }
  const writeDir = str(values, 'write');
  if (writeDir !== undefined) return runConfigMapWrite(writeDir, values, positionals, format, io);
  for (const option of ['release', 'arch', 'digest', 'signature-store', 'release-repo', 'retries', 'timeout', 'ca-file', 'tls-verify', 'insecure-registry', 'authfile', 'deadline']) {
    if (values[option] !== undefined) throw usageError(`--${option} belongs to --write mode; to write ConfigMaps, add --write DIR`);
  }
  if (positionals.length === 0) {
    throw new SigcheckError('USAGE', 'configmap needs at least one ConfigMap file or directory, e.g. `release-sigcheck configmap mirror/config/`.\nRun `release-sigcheck configmap --help` for the options and examples.');
  }
  const keyring = await loadOpenPGPTrust(toCheckConfig(toCheckFlags(values)));
  const read = await readSignatureConfigMaps(positionals);

  const byDigest = new Map<Digest, ConfigMapSignature[]>();
  for (const entry of read.signatures) {
    const entries = byDigest.get(entry.digest) ?? [];
    entries.push(entry);
    byDigest.set(entry.digest, entries);
  }
  const digests: DigestReport[] = [];
  for (const [digest, entries] of byDigest) {
    const judged = await judgeConfigMapSignatures(digest, entries, keyring);
    digests.push({ digest, outcome: judged.result.outcome === 'verified' ? 'verified' : 'invalid', reason: judged.result.reason, signatures: judged.signatures.map(toReport) });
  }
  const failed = digests.filter((d) => d.outcome !== 'verified').length;
  const exitCode = decideExitCode({ failed, errored: 0, checked: digests.length, emptyIsFailure: true });

  if (format === 'json') {
    const doc = {
      tool: TOOL,
      trustedKeys: keyring.keys.map((k) => ({ name: k.name, fingerprint: k.fingerprint, origin: k.origin })),
      files: read.files,
      digests,
      notes: read.notes,
      summary: { digests: digests.length, verified: digests.length - failed, failed, signatures: read.signatures.length },
      exitCode,
    };
    io.stdout.write(`${safeJsonStringify(doc, 2)}\n`);
    return exitCode;
  }

  for (const note of read.notes) io.stderr.write(safeLogText(`note: ${note}\n`));
  for (const d of digests) {
    io.stdout.write(safeLogText(`${d.digest} ${d.outcome === 'verified' ? 'verified' : 'NO VALID SIGNATURE'}\n`));
    for (const s of d.signatures) {
      const detail = s.outcome === 'verified' ? `${s.reason}, identity ${s.identity}` : s.reason;
      io.stdout.write(safeLogText(`  ${s.outcome === 'verified' ? 'ok     ' : 'invalid'} ${s.source}: ${detail}\n`));
    }
  }
  if (digests.length === 0) {
    io.stdout.write(safeLogText(`no signatures found in ${read.files.length} file(s): a signature ConfigMap holds binaryData keys sha256-<hex>-N\n`));
  } else {
    io.stdout.write(
      `${digests.length} digest(s), ${read.signatures.length} signature(s): ${digests.length - failed} verified, ${failed} without a valid signature` +
        `${failed > 0 ? ' (the cluster-version operator will refuse to update to these)' : ''}\n`,
    );
  }
  return exitCode;
}

function usageError(message: string): SigcheckError {
  return new SigcheckError('USAGE', `${message}.\nRun \`release-sigcheck configmap --help\` for the options and examples.`);
}

interface WriteTarget {
  digest: Digest;
  /** `4.21.3 amd64` when the digest came from --release. */
  release?: { version: string; arch: Arch; tag: string };
}

interface WriteItem {
  /** null when the release could not be resolved to a digest. */
  digest: Digest | null;
  release?: WriteTarget['release'];
  outcome: CollectedSignatures['outcome'];
  reason: string;
  file?: string;
  configMap?: string;
  keys?: string[];
  signatures?: { source: string; signer: string; fingerprint: string; identity: string; signatureVersion: number; created: string }[];
  attempts?: SignatureAttempt[];
  apply?: string;
}

function describeTarget(t: WriteItem): string {
  const digest = t.digest ?? '(unresolved)';
  return t.release ? `${digest} (${t.release.version} ${t.release.arch})` : digest;
}

/**
 * `configmap --write DIR`: fetch the OpenPGP signatures of each digest from the signature stores,
 * verify them, and write the ConfigMap the cluster-version operator reads. An unverified signature is
 * never written; a digest without any verified signature gets no file.
 */
async function runConfigMapWrite(dir: string, values: Parameters<typeof str>[0], positionals: string[], format: 'text' | 'json', io: CliIO): Promise<number> {
  if (dir.trim() === '') throw usageError('--write needs a directory, e.g. --write mirror/config');
  if (positionals.length > 0) throw usageError(`--write takes no ConfigMap files (got ${positionals.join(' ')}); it writes them`);
  const versions = list(values, 'release') ?? [];
  const digestValues = list(values, 'digest') ?? [];
  if (versions.length === 0 && digestValues.length === 0) throw usageError('--write needs the release: --release V [--arch LIST], or --digest D');
  if (str(values, 'arch') !== undefined && versions.length === 0) throw usageError('--arch selects architectures of --release; with --digest the digest names the image');

  const flags: CheckFlags = toCheckFlags(values);
  const config = toCheckConfig(flags);
  const targets: WriteTarget[] = digestValues.map((d) => ({ digest: toDigest(d, '--digest') }));
  const keyring = await loadOpenPGPTrust(config);
  const network = await openNetwork(config);

  const notes: string[] = [];
  const items: WriteItem[] = [];
  try {
    for (const version of versions) {
      const resolutions = await Promise.all(config.arches.map(async (arch) => ({ arch, resolution: await network.resolver.resolve(version, arch) })));
      for (const { arch, resolution } of resolutions) {
        if (resolution.kind === 'absent') notes.push(`${version} ${arch}: tag ${resolution.tag} does not exist in ${network.releaseRepository.display}; skipped`);
        else if (resolution.kind === 'error') {
          items.push({
            digest: null,
            release: { version, arch, tag: resolution.tag },
            outcome: 'error',
            reason: `could not resolve ${version} ${arch} (tag ${resolution.tag}) in ${network.releaseRepository.display}: ${resolution.reason}`,
          });
        } else targets.push({ digest: resolution.digest, release: { version, arch, tag: resolution.tag } });
      }
    }
    const seen = new Set<string>();
    for (const target of targets) {
      if (seen.has(target.digest)) continue;
      seen.add(target.digest);
      const collected = await collectStoreSignatures(target.digest, { stores: config.network.signatureStores, fetch: network.fetchStoreSignature, keyring });
      const item: WriteItem = { ...target, outcome: collected.outcome, reason: collected.reason };
      if (collected.outcome !== 'verified') {
        if (collected.attempts.length > 0) item.attempts = collected.attempts;
        items.push(item);
        continue;
      }
      try {
        const written = await writeSignatureConfigMap(dir, target.digest, collected.signatures);
        item.file = written.file;
        item.configMap = `${SIGNATURE_CONFIGMAP_NAMESPACE}/${written.configMap.metadata.name}`;
        item.keys = Object.keys(written.configMap.binaryData);
        item.apply = toRemedy('oc', ['oc', 'apply', '-f', written.file]).command;
      } catch (err) {
        throw new SigcheckError('CONFIG', `--write ${dir}: cannot write the ConfigMap of ${target.digest} (${describeError(err)}). Pass a writable directory.`);
      }
      // Signatures that did not verify (or could not be read) stay out of the file; say which.
      const left = collected.attempts.filter((a) => a.outcome !== 'verified');
      if (left.length > 0) item.attempts = left;
      item.signatures = collected.signatures.map((s) => ({
        source: s.source,
        signer: s.verdict.signer.keyName,
        fingerprint: s.verdict.signer.fingerprint,
        identity: s.verdict.identity,
        signatureVersion: s.verdict.signatureVersion,
        created: s.verdict.created.toISOString(),
      }));
      items.push(item);
    }
  } finally {
    await network.close();
  }

  const failed = items.filter((i) => i.outcome === 'missing' || i.outcome === 'invalid').length;
  const errored = items.filter((i) => i.outcome === 'error').length;
  const written = items.filter((i) => i.file !== undefined);
  const exitCode = decideExitCode({ failed, errored, checked: written.length, emptyIsFailure: true });
  if (items.length === 0) notes.push(`none of ${versions.join(', ')} exists for ${config.arches.join(', ')} in ${network.releaseRepository.display}: nothing to write`);

  if (format === 'json') {
    const doc = {
      tool: TOOL,
      dir,
      label: SIGNATURE_CONFIGMAP_LABEL,
      namespace: SIGNATURE_CONFIGMAP_NAMESPACE,
      stores: config.network.signatureStores,
      trustedKeys: keyring.keys.map((k) => ({ name: k.name, fingerprint: k.fingerprint, origin: k.origin })),
      items,
      notes,
      summary: { digests: items.length, written: written.length, failed, errored },
      exitCode,
    };
    io.stdout.write(`${safeJsonStringify(doc, 2)}\n`);
    return exitCode;
  }
  for (const note of notes) io.stderr.write(safeLogText(`note: ${note}\n`));
  for (const item of items) {
    if (item.file) {
      io.stdout.write(safeLogText(`wrote ${item.file}: ConfigMap ${item.configMap} with ${item.keys!.length} verified signature(s) of ${describeTarget(item)} (${item.reason.replace(/^.*?, signed by /, 'signed by ')})\n`));
      io.stdout.write(safeLogText(`  apply: ${item.apply}\n`));
      for (const a of item.attempts ?? []) io.stdout.write(safeLogText(`  not written (${a.outcome}) ${a.source}: ${a.reason}\n`));
    } else {
      io.stdout.write(safeLogText(`NOT WRITTEN ${describeTarget(item)}: ${item.reason}\n`));
      for (const a of item.attempts ?? []) io.stdout.write(safeLogText(`  ${a.outcome.padEnd(8)} ${a.source}: ${a.reason}\n`));
    }
  }
  io.stdout.write(safeLogText(`${written.length} ConfigMap(s) written to ${dir}${failed + errored > 0 ? `, ${failed + errored} not written` : ''}\n`));
  return exitCode;
}
