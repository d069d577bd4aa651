/**
 * `release-sigcheck configmap FILE|DIR...`: verifies the OpenPGP signatures in signature ConfigMaps,
 * the way a disconnected cluster's cluster-version operator will read them. Every signature is
 * verified against the digest its key files it under; a digest passes when at least one of its
 * signatures verifies.
 */
import { readSignatureConfigMaps, type ConfigMapSignature } from '../../openpgp/configmap.ts';
import { loadOpenPGPKeyring, type OpenPGPKeyring } from '../../openpgp/keys.ts';
import { describeVerified } from '../../openpgp/check.ts';
import { verifyOpenPGPSignature, type OpenPGPVerdict } from '../../openpgp/verify.ts';
import { SigcheckError } from '../../errors.ts';
import { ExitCode } from '../../report/model.ts';
import { TOOL } from '../../report/json.ts';
import { list, parseCommandArgs, str, type OptionSpec } from '../args.ts';
import type { CliIO } from '../io.ts';

export const CONFIGMAP_OPTIONS: OptionSpec = {
  'openpgp-key': { type: 'string', multiple: true },
  format: { type: 'string' },
};

export const CONFIGMAP_HELP = `Usage: release-sigcheck configmap [options] FILE|DIR...

Verifies the OpenPGP release signatures in signature ConfigMaps, as the cluster-version operator of a
disconnected cluster reads them before it starts an update. Reads the ConfigMaps written by
\`oc adm release mirror\` (sha256-<hex>, keys sha256-<hex>-1..), oc-mirror (mirrored-release-signatures)
and the operator itself (signatures-managed): YAML or JSON, one or many documents, kind: List too.
Directories are searched for *.yaml, *.yml and *.json files.

Every binaryData key that starts with sha256-<hex> is one signature of that digest; data entries are
ignored, as the operator ignores them. A digest passes when at least one of its signatures verifies.

Examples:
  release-sigcheck configmap mirror/config/
      check what \`oc adm release mirror --to-dir mirror\` wrote before applying it
  release-sigcheck configmap signatures.yaml --format json
      one file, a JSON report on stdout
  oc get configmap -n openshift-config-managed -l release.openshift.io/verification-signatures -o yaml > cms.yaml
  release-sigcheck configmap cms.yaml
      check the signatures a cluster already holds
  release-sigcheck configmap --openpgp-key my-ci-key.asc signatures.yaml
      also trust another public key (armored or binary; repeatable)

Options:
  --openpgp-key FILE   also trust this OpenPGP public key (the Red Hat release key 2 and beta key 2
                       are always trusted; repeatable)
  --format FORMAT      text (default) or json

Exit codes: 0 every digest has a verified signature; 1 a digest has no valid signature (or no
signature was found); 2 usage or configuration error (unreadable file, bad key).
`;

interface SignatureReport {
  source: string;
  file: string;
  configMap: string;
  key: string;
  outcome: 'verified' | 'invalid';
  code?: string;
  reason: string;
  signer?: string;
  fingerprint?: string;
  identity?: string;
  signatureVersion?: number;
  created?: string;
}

interface DigestReport {
  digest: string;
  outcome: 'verified' | 'invalid';
  signatures: SignatureReport[];
}

async function verifyEntry(entry: ConfigMapSignature, keyring: OpenPGPKeyring): Promise<SignatureReport> {
  const base = { source: entry.source, file: entry.file, configMap: entry.configMap, key: entry.key };
  if (!entry.bytes) return { ...base, outcome: 'invalid', code: 'MALFORMED', reason: entry.problem ?? 'no signature bytes' };
  const verdict: OpenPGPVerdict = await verifyOpenPGPSignature(entry.bytes, entry.digest, keyring);
  if (verdict.ok) {
    return {
      ...base,
      outcome: 'verified',
      reason: describeVerified(verdict),
      signer: verdict.signer.keyName,
      fingerprint: verdict.signer.fingerprint,
      identity: verdict.identity,
      signatureVersion: verdict.signatureVersion,
      created: verdict.created.toISOString(),
    };
  }
  const report: SignatureReport = { ...base, outcome: 'invalid', code: verdict.code, reason: verdict.reason };
  if (verdict.signer) {
    report.signer = verdict.signer.keyName;
    report.fingerprint = verdict.signer.fingerprint;
  }
  if (verdict.identity !== undefined) report.identity = verdict.identity;
  if (verdict.signatureVersion !== undefined) report.signatureVersion = verdict.signatureVersion;
  return report;
}

export async function runConfigMapCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs('configmap', args, CONFIGMAP_OPTIONS, true);
  if (values.help) {
    io.stdout.write(CONFIGMAP_HELP);
    return ExitCode.Passed;
  }
  const format = str(values, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new SigcheckError('USAGE', `--format must be text or json (got ${JSON.stringify(format)}).\nRun \`release-sigcheck configmap --help\` for the options and examples.`);
  }
  if (positionals.length === 0) {
    throw new SigcheckError('USAGE', 'configmap needs at least one ConfigMap file or directory, e.g. `release-sigcheck configmap mirror/config/`.\nRun `release-sigcheck configmap --help` for the options and examples.');
  }
  const keyring = await loadOpenPGPKeyring({ keyFiles: list(values, 'openpgp-key') ?? [] });
  const read = await readSignatureConfigMaps(positionals);

  const byDigest = new Map<string, SignatureReport[]>();
  for (const entry of read.signatures) {
    const report = await verifyEntry(entry, keyring);
    const reports = byDigest.get(entry.digest) ?? [];
    reports.push(report);
    byDigest.set(entry.digest, reports);
  }
  const digests: DigestReport[] = [...byDigest].map(([digest, signatures]) => ({
    digest,
    outcome: signatures.some((s) => s.outcome === 'verified') ? 'verified' : 'invalid',
    signatures,
  }));
  const failed = digests.filter((d) => d.outcome !== 'verified').length;
  const exitCode = digests.length > 0 && failed === 0 ? ExitCode.Passed : ExitCode.Failed;

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
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return exitCode;
  }

  for (const note of read.notes) io.stderr.write(`note: ${note}\n`);
  for (const d of digests) {
    io.stdout.write(`${d.digest} ${d.outcome === 'verified' ? 'verified' : 'NO VALID SIGNATURE'}\n`);
    for (const s of d.signatures) {
      const detail = s.outcome === 'verified' ? `${s.reason}, identity ${s.identity}` : `${s.code}: ${s.reason}`;
      io.stdout.write(`  ${s.outcome === 'verified' ? 'ok     ' : 'invalid'} ${s.source}: ${detail}\n`);
    }
  }
  if (digests.length === 0) {
    io.stdout.write(`no signatures found in ${read.files.length} file(s): a signature ConfigMap holds binaryData keys sha256-<hex>-N\n`);
  } else {
    io.stdout.write(
      `${digests.length} digest(s), ${read.signatures.length} signature(s): ${digests.length - failed} verified, ${failed} without a valid signature` +
        `${failed > 0 ? ' (the cluster-version operator will refuse to update to these)' : ''}\n`,
    );
  }
  return exitCode;
}
