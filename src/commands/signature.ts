/**
 * `release-sigcheck signature`: verifies one signature offline, with the same verifiers the checks
 * use: an OpenPGP signature file, or the `.sig` tag stored in an OCI image layout (as oc-mirror and
 * `skopeo copy ... oci:DIR` store it).
 */
import { readRegularFile } from '../fs/regular-file.ts';
import { identityRepository, loadOpenPGPTrust, loadSigstoreTrustOf } from '../wiring/deps.ts';
import { toCheckConfig } from '../options/registry.ts';
import { toDigest } from '../model/digest.ts';
import { SigcheckError } from '../model/errors.ts';
import { toSignatureAttempt } from '../openpgp/check.ts';
import { MAX_SIGNATURE_BYTES, verifyOpenPGPSignature } from '../openpgp/verify.ts';
import { verifySigstoreLayout } from '../sigstore/layout.ts';
import { ExitCode, exitCodeForOutcome, type CheckResult } from '../model/results.ts';
import { parseCommandArgs, str } from './args.ts';
import { optionsHelp, parseArgsSpec } from '../options/table.ts';
import type { CliIO } from './io.ts';
import { toCheckFlags } from './check.ts';
import { safeJsonStringify, safeLogText } from '../report/safe-text.ts';

export const SIGNATURE_HELP = `Usage: release-sigcheck signature --digest DIGEST (--openpgp FILE | --sigstore-layout DIR) [options]

Verifies one signature offline, exactly as the checks do, and prints one verdict.

Examples:
  release-sigcheck signature --digest sha256:0da63164... --openpgp signature-1
      an OpenPGP signature file (from a store, a ConfigMap, removable media) against the Red Hat keys
  release-sigcheck signature --digest sha256:0da63164... --openpgp sig --openpgp-key ci.asc --format json
  release-sigcheck signature --digest sha256:0da63164... --sigstore-layout ./ocp-release-sig
      the .sig tag stored in an OCI layout (skopeo copy docker://...:sha256-<hex>.sig oci:DIR)

${optionsHelp('signature', ['Signatures', 'Trust', 'Registry and signature stores', 'Output'])}
Exit codes: 0 verified, 1 missing or invalid, 2 usage or configuration error, 3 could not be read.
`;

const exitCodeOf = exitCodeForOutcome;

export async function runSignatureCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs('signature', args, parseArgsSpec('signature'));
  if (values.help) {
    io.stdout.write(SIGNATURE_HELP);
    return ExitCode.Passed;
  }
  const format = str(values, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new SigcheckError('USAGE', `--format must be text or json (got ${JSON.stringify(format)})`);
  const digestArg = str(values, 'digest');
  if (!digestArg) throw new SigcheckError('USAGE', 'signature needs --digest sha256:<hex>, the digest the signature must sign; see `release-sigcheck signature --help`');
  const digest = toDigest(digestArg, '--digest');
  const openpgpFile = str(values, 'openpgp');
  const layout = str(values, 'sigstore-layout');
  if ((openpgpFile === undefined) === (layout === undefined)) throw new SigcheckError('USAGE', 'give exactly one of --openpgp FILE or --sigstore-layout DIR');

  let result: CheckResult;
  if (openpgpFile !== undefined) {
    const keyring = await loadOpenPGPTrust(toCheckConfig(toCheckFlags(values)));
    // The operator reads the first 50 KiB of a signature (the verifier does the same); the file cap only bounds memory.
    const bytes = await readRegularFile(openpgpFile, { maxBytes: 16 * MAX_SIGNATURE_BYTES, what: '--openpgp', hint: 'Pass an OpenPGP signature file (signature-N from a store).' });
    const attempt = toSignatureAttempt(openpgpFile, await verifyOpenPGPSignature(bytes, digest, keyring));
    result = { outcome: attempt.outcome, reason: attempt.reason, source: openpgpFile, attempts: [attempt], ...(attempt.signer ? { signer: attempt.signer } : {}), ...(attempt.identity ? { identity: attempt.identity } : {}) };
  } else {
    const config = toCheckConfig(toCheckFlags(values));
    const trust = await loadSigstoreTrustOf(config);
    result = await verifySigstoreLayout(layout!, digest, { trust, identityRepo: identityRepository(config.network.releaseRepo) });
  }

  if (format === 'json') {
    const doc: Record<string, unknown> = { outcome: result.outcome, reason: result.reason, signer: result.signer ?? null, identity: result.identity ?? null };
    if (result.attempts) doc.attempts = result.attempts;
    io.stdout.write(`${safeJsonStringify(doc, 2)}\n`);
  } else {
    io.stdout.write(safeLogText(`${result.outcome}: ${result.reason}\n`));
    if (result.signer) io.stdout.write(safeLogText(`signer: ${result.signer}\n`));
    if (result.identity) io.stdout.write(safeLogText(`identity: ${result.identity}\n`));
    if (result.attempts?.length === 1 && result.attempts[0]!.deliberate) io.stdout.write('deliberate: the cluster would accept this signature; the tool refuses it (docs/verdicts.md, "Deliberately stricter")\n');
    if ((result.attempts?.length ?? 0) > 1) for (const a of result.attempts ?? []) if (a.outcome !== 'verified') io.stdout.write(safeLogText(`  ${a.source}: ${a.outcome}: ${a.reason}\n`));
  }
  return exitCodeOf(result.outcome);
}
