/**
 * The two text encodings Go decodes on the signature path, with Go's rules rather than Node's
 * (Buffer.from(s, 'base64') silently skips invalid characters and accepts missing padding, which would
 * accept annotations containers/image rejects).
 */

const STD_BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * base64.StdEncoding.DecodeString: the standard alphabet, padding required, `\r` and `\n` ignored
 * anywhere, non-zero trailing bits tolerated (StdEncoding is not Strict()). Undefined when invalid.
 */
export function decodeStdBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\r\n]/g, '');
  if (compact.length % 4 !== 0 || !STD_BASE64_RE.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

export interface PemBlock {
  type: string;
  bytes: Buffer;
  /** Whatever follows the block (after its END line), as pem.Decode returns it. */
  rest: string;
}

const PEM_RE = /-----BEGIN ([^\r\n-]*)-----\r?\n([\s\S]*?)-----END \1-----[^\r\n]*(?:\r?\n)?/;

/**
 * The first PEM block, like Go's pem.Decode (used by cryptoutils.UnmarshalPEMToPublicKey, which reads
 * only the first block of a key file). Blocks with headers (`Proc-Type:`) are not public keys and are
 * refused. Undefined when there is no well-formed block.
 */
export function decodeFirstPem(text: string): PemBlock | undefined {
  const m = PEM_RE.exec(text);
  if (!m) return undefined;
  const body = m[2] ?? '';
  if (/^[^\s:]+:/m.test(body)) return undefined;
  const bytes = decodeStdBase64(body.replace(/[ \t]/g, ''));
  if (!bytes) return undefined;
  return { type: m[1] ?? '', bytes, rest: text.slice((m.index ?? 0) + m[0].length) };
}

export function toPem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}
