/**
 * A throwaway certificate authority for TLS tests, made with the openssl command line: a self-signed
 * CA and leaf certificates it signs, with the subject alternative names a test asks for (IP
 * addresses and DNS names), optionally already expired, plus a self-signed leaf that no CA vouches
 * for. Files live in a temporary directory that stop() removes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from './registry.ts';

export interface LeafCert {
  /** PEM file paths. */
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

export interface TestCA {
  dir: string;
  /** PEM file of the CA certificate (what `--ca-file` takes). */
  caPath: string;
  ca: string;
  /** A leaf for these names: `IP:127.0.0.1`, `DNS:localhost`, ... */
  leaf(name: string, altNames: string[], options?: { expired?: boolean }): LeafCert;
  /** A self-signed leaf (no CA): what `DEPTH_ZERO_SELF_SIGNED_CERT` is about. */
  selfSigned(name: string, altNames: string[]): LeafCert;
  stop(): Promise<void>;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

export async function startTestCA(): Promise<TestCA> {
  const dir = await makeTempDir('ca');
  const caKey = join(dir, 'ca.key');
  const caPath = join(dir, 'ca.pem');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=sigcheck-test-ca', '-days', '2', '-keyout', caKey, '-out', caPath, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  let serial = 1;
  const ext = (name: string, altNames: string[]) => {
    const path = join(dir, `${name}.ext`);
    writeFileSync(path, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${altNames.join(',')}\n`);
    return path;
  };
  const read = (name: string): LeafCert => {
    const certPath = join(dir, `${name}.pem`);
    const keyPath = join(dir, `${name}.key`);
    return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
  };
  return {
    dir,
    caPath,
    ca: readFileSync(caPath, 'utf8'),
    leaf: (name, altNames, options = {}) => {
      const key = join(dir, `${name}.key`);
      const csr = join(dir, `${name}.csr`);
      openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', key, '-out', csr]);
      const args = ['x509', '-req', '-in', csr, '-CA', caPath, '-CAkey', caKey, '-set_serial', String(serial++), '-extfile', ext(name, altNames), '-out', join(dir, `${name}.pem`)];
      // Expired: openssl 3.0 cannot back-date `x509 -req`, but a negative day count puts notAfter a day before
      // notBefore (now), which TLS clients report as CERT_HAS_EXPIRED.
      if (options.expired) args.push('-days', '-1');
      else args.push('-days', '2');
      openssl(args);
      return read(name);
    },
    selfSigned: (name, altNames) => {
      openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-days', '2', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-addext', `subjectAltName=${altNames.join(',')}`]);
      return read(name);
    },
    stop: () => rm(dir, { recursive: true, force: true }),
  };
}
