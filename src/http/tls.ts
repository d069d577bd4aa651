/**
 * Which TLS certificates the tool trusts, as skopeo and podman let users say it:
 *   - the CAs Node trusts by default (its bundled roots, plus NODE_EXTRA_CA_CERTS), and any CA files
 *     the user adds (`ca-file`, repeatable; PEM, one or more certificates each) - added, not instead;
 *   - verification on for every host unless turned off for all (`tls-verify=false`) or for named
 *     hosts (`insecure-registry HOST[:PORT]`; without a port, every port of that host).
 * Turning verification off changes only whom the tool talks to, not what it accepts: every signature
 * is still verified against the trusted keys, and every blob against its digest.
 */
import { readFile } from 'node:fs/promises';
import { getCACertificates } from 'node:tls';
import { SigcheckError, describeError } from '../model/errors.ts';

export interface TlsConfig {
  /** Extra trusted CA certificates (PEM text), on top of Node's defaults. */
  extraCa?: string[];
  /** false: verify no certificate at all. Default true. */
  verify?: boolean;
  /** Hosts (`host` or `host:port`) whose certificates are not verified. */
  insecureHosts?: string[];
}

export class TlsPolicy {
  private readonly ca: string[] | undefined;
  private readonly verifyAll: boolean;
  private readonly insecure: Set<string>;

  constructor(config: TlsConfig = {}) {
    // An explicit `ca` replaces Node's trust store in tls.connect, so the defaults (bundled roots and
    // NODE_EXTRA_CA_CERTS) are put back in front of the extra ones.
    this.ca = config.extraCa && config.extraCa.length > 0 ? [...getCACertificates('default'), ...config.extraCa] : undefined;
    this.verifyAll = config.verify ?? true;
    this.insecure = new Set((config.insecureHosts ?? []).map((h) => h.trim().toLowerCase()).filter((h) => h !== ''));
  }

  /** Whether the certificate of `host` (`host:port`, as URL.host gives it) is verified. */
  verifies(host: string): boolean {
    if (!this.verifyAll) return false;
    const h = host.toLowerCase();
    const name = h.replace(/:\d+$/, '');
    return !this.insecure.has(h) && !this.insecure.has(name);
  }

  /** Options for tls.connect (through undici's `connect`, `requestTls`, `proxyTls`). */
  connectOptions(verify: boolean): { rejectUnauthorized: boolean; ca?: string[] } {
    return this.ca ? { rejectUnauthorized: verify, ca: this.ca } : { rejectUnauthorized: verify };
  }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Reads CA files (PEM); a file that cannot be read or holds no certificate is a CONFIG error. */
export async function readCaFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new SigcheckError('CONFIG', `CA file ${path} cannot be read: ${describeError(err)}`, { hint: { options: ['ca-file'] } });
    }
    const certs = text.match(PEM_CERT);
    if (!certs) {
      throw new SigcheckError('CONFIG', `CA file ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----); convert a DER file with \`openssl x509 -inform der -in FILE -out FILE.pem\``, {
        hint: { options: ['ca-file'] },
      });
    }
    out.push(...certs);
  }
  return out;
}
