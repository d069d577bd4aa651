/**
 * The trusted OpenPGP keys: the baked-in Red Hat keys (release key 2 and beta key 2, the keyring the
 * cluster-version operator loads from the release payload) plus any key files the user adds.
 *
 * The openpgp.js configuration lives here too, because key loading and key selection must agree on
 * it. Each key also says whether the cluster-version operator can read it at all (`unusable`).
 */
import { readRegularFile } from '../fs/regular-file.ts';
import { config as defaultConfig, enums, readKeys, type Config, type PublicKey } from 'openpgp';
import { SigcheckError } from '../model/errors.ts';
import { REDHAT_BETA_2_ASC, REDHAT_RELEASE_2_ASC } from '../trust/baked-keys.ts';

/**
 * The configuration of every openpgp.js call of this tool. openpgp.js only reads keys and chooses the
 * signing key among them (revocation, key flags, binding and cross-signatures); the policy that
 * openpgp.js would add on top is switched off, because the verdict is the cluster-version operator's
 * (x/crypto accepts any RSA size, DSA, SHA-1 and MD5), and the contract's own stricter rules (weak
 * hashes, small keys) are applied by the verifier after the operator's decision, with `deliberate`.
 */
export const OPENPGP_CONFIG: Config = Object.freeze({
  ...defaultConfig,
  minRSABits: 0,
  // x/crypto cannot compute RIPEMD-160 (not linked into the operator); everything else it accepts.
  rejectHashAlgorithms: new Set([enums.hash.ripemd]),
  rejectMessageHashAlgorithms: new Set([enums.hash.ripemd]),
  rejectPublicKeyAlgorithms: new Set<number>(),
  rejectCurves: new Set<never>(),
  ignoreUnsupportedPackets: false,
  ignoreMalformedPackets: false,
  allowInsecureVerificationWithReformattedKeys: false,
});

/** Key files may carry packets openpgp.js does not model (trust packets, photo IDs): skip those. */
const KEY_READ_CONFIG: Config = Object.freeze({ ...OPENPGP_CONFIG, ignoreUnsupportedPackets: true });

/** Human names of the keys OpenShift users meet, by primary key fingerprint. */
const KNOWN_KEY_NAMES: Record<string, string> = {
  '567E347AD0044ADE55BA8A5F199E2F91FD431D51': 'Red Hat release key 2',
  B08B659EE86AF623BC90E8DB938A80CAF21541EB: 'Red Hat beta key 2',
  '6A6AA7C97C8890AEC6AEBFE2F76F66C3D4082792': 'Red Hat auxiliary key',
  D04761B116203B0C0859B61628B76E05B923888E: 'OpenShift CI key 1',
  '20CCC7AD272DCD3AA169F12A65C28371F55D29A9': 'OpenShift CI key 2',
  FE526D8F6FEDC123BE219E45CF4B45E2071F0337: 'OpenShift CI key 3',
  '6A9588F07F2D3AE7973AD2A9193E53CCD2E2F7A4': 'OpenShift CI key 4',
};

/** Largest key file read (a keyring of a few keys is a few KiB). */
export const MAX_KEY_FILE_BYTES = 1024 * 1024;

const BEGIN_PUBLIC = '-----BEGIN PGP PUBLIC KEY BLOCK-----';
const END_PUBLIC = '-----END PGP PUBLIC KEY BLOCK-----';

export interface TrustedKey {
  /** Primary key fingerprint, uppercase hex. */
  fingerprint: string;
  /** Key IDs (uppercase, 16 hex) of the primary key and every subkey. */
  keyIds: string[];
  /** e.g. `Red Hat release key 2 (567E347A...FD431D51)`. */
  name: string;
  /** `baked-in` or the file the key was read from. */
  origin: string;
  key: PublicKey;
  /**
   * Why the cluster-version operator cannot use this key at all, or undefined when it can: x/crypto
   * v0.4.0 skips a whole key (primary and subkeys) when any of its key packets has a version or an
   * algorithm it does not parse: EdDSA, Curve25519 ECDH, brainpool or secp256k1 curves, v5/v6 keys.
   */
  unusable?: string;
}

/** `567E347A...FD431D51`: enough of a fingerprint to recognise, short enough for a report line. */
export function shortFingerprint(fingerprint: string): string {
  const fp = fingerprint.toUpperCase();
  return fp.length > 16 ? `${fp.slice(0, 8)}...${fp.slice(-8)}` : fp;
}

function nameKey(key: PublicKey): string {
  const fingerprint = key.getFingerprint().toUpperCase();
  let label = KNOWN_KEY_NAMES[fingerprint];
  if (!label) {
    // A user ID is attacker-chosen text in a key the user decided to trust; keep it printable and short.
    const userId = key.getUserIDs()[0]?.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
    label = userId && userId.trim() !== '' ? userId : 'OpenPGP key';
  }
  return `${label} (${shortFingerprint(fingerprint)})`;
}

const NIST_CURVES = new Set(['nistP256', 'nistP384', 'nistP521', 'p256', 'p384', 'p521']);

/** x/crypto PublicKey.parse: RSA, DSA, ElGamal, and ECDSA/ECDH on the NIST curves, version 4 only. */
function unreadableByOperator(key: PublicKey): string | undefined {
  const packets = [{ what: 'the primary key', packet: key.keyPacket }, ...key.subkeys.map((s) => ({ what: `subkey ${s.getKeyID().toHex().toUpperCase()}`, packet: s.keyPacket }))];
  for (const { what, packet } of packets) {
    const algorithm = packet.algorithm as number;
    const name = (enums.read(enums.publicKey, algorithm) as string | undefined) ?? `algorithm ${algorithm}`;
    if (packet.version !== 4) return `${what} is a version ${packet.version} key`;
    if (![1, 2, 3, 16, 17, 18, 19].includes(algorithm)) return `${what} is an ${name} key`;
    if (algorithm === 18 || algorithm === 19) {
      const curve = (packet.publicParams as { oid?: { getName(): string } }).oid?.getName() ?? 'unknown';
      if (!NIST_CURVES.has(curve)) return `${what} uses the ${curve} curve`;
    }
  }
  if (![1, 3, 17, 19].includes(key.keyPacket.algorithm as number)) return 'the primary key cannot sign';
  return undefined;
}

function toTrustedKey(key: PublicKey, origin: string): TrustedKey {
  const trusted: TrustedKey = {
    fingerprint: key.getFingerprint().toUpperCase(),
    keyIds: key.getKeyIDs().map((id) => id.toHex().toUpperCase()),
    name: nameKey(key),
    origin,
    key,
  };
  const unreadable = unreadableByOperator(key);
  if (unreadable) trusted.unusable = `${unreadable}, which the cluster-version operator (x/crypto/openpgp) cannot read, so it cannot use this key at all`;
  return trusted;
}

export class OpenPGPKeyring {
  readonly keys: readonly TrustedKey[];
  readonly config: Config;

  constructor(keys: readonly TrustedKey[], config: Config = OPENPGP_CONFIG) {
    this.keys = keys;
    this.config = config;
  }

  /** Primary key fingerprints, sorted and unique (a stable identity of the trust, e.g. for caches). */
  fingerprints(): string[] {
    return [...new Set(this.keys.map((k) => k.fingerprint))].sort();
  }

  /** Every trusted key that has a primary key or subkey with this key ID (16 hex, any case). */
  findByKeyId(keyId: string): TrustedKey[] {
    const id = keyId.toUpperCase();
    return this.keys.filter((k) => k.keyIds.includes(id));
  }

  /** The human name of a key by key ID or fingerprint, or undefined when it is not trusted. */
  nameOf(keyIdOrFingerprint: string): string | undefined {
    const id = keyIdOrFingerprint.toUpperCase();
    return this.keys.find((k) => k.fingerprint === id || k.keyIds.includes(id) || (id.length === 40 && k.keyIds.includes(id.slice(-16))))?.name;
  }

  /** `Red Hat release key 2 (567E347A...FD431D51), Red Hat beta key 2 (B08B659E...F21541EB)`. */
  describe(): string {
    const seen = new Set<string>();
    const names: string[] = [];
    for (const k of this.keys) {
      if (seen.has(k.fingerprint)) continue;
      seen.add(k.fingerprint);
      names.push(k.name);
    }
    return names.join(', ');
  }
}

/**
 * Makes an armored public key block readable by openpgp.js: drops any text before the BEGIN line
 * (cluster-update-keys files start with a `pub 4096R/...` listing), inserts the blank line that must
 * follow the armor headers when it is missing (graph-data's copy of release key 2 has none), and drops
 * anything after the END line. Only the first block is returned; see splitArmoredKeyBlocks.
 */
export function normaliseArmor(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const begin = lines.findIndex((l) => l.trim() === BEGIN_PUBLIC);
  if (begin < 0) return text;
  const out = [BEGIN_PUBLIC];
  let i = begin + 1;
  while (i < lines.length && /^[A-Za-z][A-Za-z0-9-]*: /.test(lines[i]!)) out.push(lines[i++]!.trimEnd());
  out.push('');
  if (i < lines.length && lines[i]!.trim() === '') i++;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    out.push(line);
    if (line === END_PUBLIC) break;
  }
  return `${out.join('\n')}\n`;
}

/** Every armored public key block of a text, each normalised. */
export function splitArmoredKeyBlocks(text: string): string[] {
  const blocks: string[] = [];
  let from = 0;
  while (true) {
    const start = text.indexOf(BEGIN_PUBLIC, from);
    if (start < 0) break;
    const end = text.indexOf(END_PUBLIC, start);
    const stop = end < 0 ? text.length : end + END_PUBLIC.length;
    blocks.push(normaliseArmor(text.slice(start, stop)));
    from = stop;
  }
  return blocks;
}

function configError(origin: string, problem: string, fix: string): SigcheckError {
  return new SigcheckError('CONFIG', `OpenPGP key ${origin}: ${problem}. ${fix}`);
}

/**
 * Reads every public key of an armored or binary key file's contents (several keys per file are
 * allowed, armored or not). No I/O. Throws SigcheckError('CONFIG') naming `origin` when the data is
 * not a public key.
 */
export async function readOpenPGPKeys(data: Uint8Array | string, origin: string): Promise<TrustedKey[]> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const text = typeof data === 'string' ? data : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const exportHint = 'Export the public key with `gpg --export --armor KEYID > key.asc` and pass that file.';
  if (text.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')) {
    throw configError(origin, 'is a private key; only public keys are needed to verify', exportHint);
  }
  if (/-----BEGIN (RSA |EC )?PUBLIC KEY-----/.test(text)) {
    throw configError(origin, 'is a PEM public key, not an OpenPGP key', 'PEM keys are Sigstore keys: pass them with --sigstore-key.');
  }
  let keys: PublicKey[] = [];
  if (text.includes(BEGIN_PUBLIC)) {
    for (const block of splitArmoredKeyBlocks(text)) {
      try {
        keys.push(...(await readKeys({ armoredKeys: block, config: KEY_READ_CONFIG })));
      } catch (err) {
        throw configError(origin, `cannot be read as an armored OpenPGP public key (${(err as Error).message})`, exportHint);
      }
    }
  } else if (/-----BEGIN PGP [A-Z ]+-----/.test(text)) {
    const kind = /-----BEGIN PGP ([A-Z ]+)-----/.exec(text)![1]!.toLowerCase();
    throw configError(origin, `holds an armored ${kind}, not a public key block`, exportHint);
  } else {
    if (bytes.length === 0 || (bytes[0]! & 0x80) === 0) {
      throw configError(origin, bytes.length === 0 ? 'is empty' : 'is neither an armored nor a binary OpenPGP public key', exportHint);
    }
    try {
      keys = await readKeys({ binaryKeys: bytes, config: KEY_READ_CONFIG });
    } catch (err) {
      throw configError(origin, `cannot be read as a binary OpenPGP public key (${(err as Error).message})`, exportHint);
    }
  }
  if (keys.length === 0) throw configError(origin, 'holds no public key', exportHint);
  if (keys.some((k) => k.isPrivate())) {
    throw configError(origin, 'holds a private key; only public keys are needed to verify', exportHint);
  }
  return keys.map((k) => toTrustedKey(k, origin));
}

/** Red Hat release key 2 and beta key 2, as the cluster-update-keys ConfigMap ships them. */
export async function readBakedOpenPGPKeys(): Promise<TrustedKey[]> {
  return [...(await readOpenPGPKeys(REDHAT_RELEASE_2_ASC, 'baked-in')), ...(await readOpenPGPKeys(REDHAT_BETA_2_ASC, 'baked-in'))];
}

export interface LoadKeyringOptions {
  /** Key files to trust in addition (or, with `baked: false`, instead). */
  keyFiles?: string[];
  /** Trust the baked-in Red Hat keys (default true). */
  baked?: boolean;
}

/** Builds the trusted keyring from the baked-in keys and key files. Throws SigcheckError('CONFIG'). */
export async function loadOpenPGPKeyring(options: LoadKeyringOptions = {}): Promise<OpenPGPKeyring> {
  const keys: TrustedKey[] = options.baked === false ? [] : await readBakedOpenPGPKeys();
  for (const file of options.keyFiles ?? []) {
    const data = await readRegularFile(file, { maxBytes: MAX_KEY_FILE_BYTES, what: 'OpenPGP key', hint: 'Pass the path of an armored (.asc) or binary (.gpg) public key file given to --openpgp-key.' });
    keys.push(...(await readOpenPGPKeys(data, file)));
  }
  if (keys.length === 0) {
    throw new SigcheckError('CONFIG', 'no OpenPGP keys to trust: the baked-in Red Hat keys are disabled and no --openpgp-key file was given.');
  }
  return new OpenPGPKeyring(keys);
}
