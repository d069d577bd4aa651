/**
 * Rekor "signed entry timestamps" (SETs), checked only when a PublicKey policy carries `rekorKeyData`.
 * Then containers/image (signature/policy_eval_sigstore.go, signature/internal/rekor_set.go VerifyRekorSET)
 * requires the `dev.sigstore.cosign/bundle` annotation, verifies the SET with a Rekor key over the RFC 8785
 * canonical form of its payload, and requires the hashedrekord body in it to name the trusted key, the
 * signature and the sha256 of the payload. The first trusted key the SET names is the only key the
 * payload signature is then verified with. The `openshift` ClusterImagePolicy has no Rekor key.
 */
import { createHash, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { JsonNumber, isJsonObject, parseStrictJson, type JsonValue } from '../json/strict.ts';
import { describeError } from '../model/errors.ts';
import { decodeFirstPem, decodeStdBase64 } from './encoding.ts';

export const REKOR_BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
const HASHEDREKORD_V001 = '0.0.1';

export type RekorCheck = { ok: true; integratedTime: number } | { ok: false; reason: string };

class RekorError extends Error {}
function fail(message: string): never {
  throw new RekorError(message);
}

/** RFC 8785 (JSON Canonicalization Scheme) serialisation of a parsed value. */
export function canonicalJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof JsonNumber) {
    const n = value.value;
    if (!Number.isFinite(n)) fail(`number ${value.text} cannot be canonicalized`);
    return JSON.stringify(n);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // Keys sorted by UTF-16 code units, which is what Array.prototype.sort compares.
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(',')}}`;
}

/** Go's encoding/json decoding of a []byte field: a base64 (StdEncoding) string, or null. */
function goBytes(value: JsonValue | undefined, where: string): Buffer | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') fail(`${where} is not a base64 string`);
  const bytes = decodeStdBase64(value);
  if (!bytes) fail(`${where} is not valid base64`);
  return bytes;
}

function exactKeys(value: JsonValue | undefined, where: string, keys: readonly string[]): Record<string, JsonValue> {
  if (!isJsonObject(value)) fail(`${where} is not a JSON object`);
  for (const k of Object.keys(value)) if (!keys.includes(k)) fail(`${where} has unexpected key ${JSON.stringify(k)}`);
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(value, k)) fail(`${where} is missing key ${JSON.stringify(k)}`);
  return value;
}

function goInt64(value: JsonValue | undefined, where: string): number {
  if (value === null || value === undefined) return 0;
  if (!(value instanceof JsonNumber) || !value.isIntegerLiteral()) fail(`${where} is not an integer`);
  return value.value;
}

/** Go struct decoding matches keys case-insensitively when there is no exact match; unknown keys are ignored. */
function goField(obj: unknown, name: string): unknown {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const record = obj as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, name)) return record[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(record)) if (key.toLowerCase() === lower) return record[key];
  return undefined;
}

function goObject(value: unknown, where: string): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(`${where} is not a JSON object`);
  return value;
}

function goStringPtr(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`${where} is not a string`);
  return value;
}

function goBytesLoose(value: unknown, where: string): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`${where} is not a base64 string`);
  const bytes = decodeStdBase64(value);
  if (!bytes) fail(`${where} is not valid base64`);
  return bytes;
}

/**
 * VerifyRekorSET. `candidateKeySpki` is the DER SubjectPublicKeyInfo of the trusted key being tried;
 * `base64Signature` is the layer's signature annotation and `payload` the layer blob.
 */
export function verifyRekorSet(
  rekorKeys: readonly KeyObject[],
  setText: string,
  candidateKeySpki: Uint8Array,
  base64Signature: string,
  payload: Uint8Array,
): RekorCheck {
  try {
    return { ok: true, integratedTime: check(rekorKeys, setText, candidateKeySpki, base64Signature, payload) };
  } catch (err) {
    return { ok: false, reason: describeError(err) };
  }
}

function check(rekorKeys: readonly KeyObject[], setText: string, candidateKeySpki: Uint8Array, base64Signature: string, payload: Uint8Array): number {
  let set: JsonValue;
  try {
    set = parseStrictJson(setText, { maxBytes: 4 * 1024 * 1024, maxDepth: 64 });
  } catch (err) {
    fail(`the Rekor bundle is not valid JSON: ${describeError(err)}`);
  }
  const top = exactKeys(set, 'the Rekor bundle', ['SignedEntryTimestamp', 'Payload']);
  const signedEntryTimestamp = goBytes(top.SignedEntryTimestamp, 'SignedEntryTimestamp') ?? Buffer.alloc(0);
  const canonical = Buffer.from(canonicalJson(top.Payload as JsonValue), 'utf8');
  if (!rekorKeys.some((key) => safeVerify(key, canonical, signedEntryTimestamp))) fail('cryptographic signature verification of Rekor SET failed');

  // Parse the verified canonical form, not the delivered text (as containers/image does).
  const rekorPayload = exactKeys(parseStrictJson(canonical), 'the Rekor SET payload', ['body', 'integratedTime', 'logIndex', 'logID']);
  const body = goBytes(rekorPayload.body, 'Payload.body') ?? Buffer.alloc(0);
  const integratedTime = goInt64(rekorPayload.integratedTime, 'Payload.integratedTime');
  goInt64(rekorPayload.logIndex, 'Payload.logIndex');
  if (rekorPayload.logID !== null && typeof rekorPayload.logID !== 'string') fail('Payload.logID is not a string');

  let entry: unknown;
  try {
    entry = JSON.parse(body.toString('utf8'));
  } catch (err) {
    fail(`decoding the body of a Rekor SET payload: ${describeError(err)}`);
  }
  goObject(entry, 'the hashedrekord entry');
  const kind = goField(entry, 'kind');
  if (kind !== 'hashedrekord') fail(`invalid kind value: ${JSON.stringify(kind ?? '')}`);
  const apiVersion = goStringPtr(goField(entry, 'apiVersion'), 'apiVersion');
  if (apiVersion === undefined) fail('missing Rekor SET Payload API version');
  if (apiVersion !== HASHEDREKORD_V001) fail(`unsupported Rekor SET Payload hashedrekord version ${JSON.stringify(apiVersion)}`);
  const spec = goObject(goField(entry, 'spec'), 'spec');
  const signature = goObject(goField(spec, 'signature'), 'spec.signature');
  if (signature === undefined) fail('missing "signature" field in hashedrekord');
  const publicKey = goObject(goField(signature, 'publicKey'), 'spec.signature.publicKey');
  if (publicKey === undefined) fail('missing "signature.publicKey" field in hashedrekord');
  const keyPem = (goBytesLoose(goField(publicKey, 'content'), 'spec.signature.publicKey.content') ?? Buffer.alloc(0)).toString('latin1');
  const block = decodeFirstPem(keyPem);
  if (!block) fail('publicKey in Rekor SET is not in PEM format');
  if (block.rest.length !== 0) fail('publicKey in Rekor SET has trailing data');
  if (!block.bytes.equals(Buffer.from(candidateKeySpki))) fail('publicKey in Rekor SET does not match');

  const signatureBytes = decodeStdBase64(base64Signature);
  if (!signatureBytes) fail('decoding signature base64 failed');
  const content = goBytesLoose(goField(signature, 'content'), 'spec.signature.content') ?? Buffer.alloc(0);
  if (!content.equals(signatureBytes)) fail('signature in Rekor SET does not match');

  const data = goObject(goField(spec, 'data'), 'spec.data');
  if (data === undefined) fail('missing "data" field in hashedrekord');
  const hash = goObject(goField(data, 'hash'), 'spec.data.hash');
  if (hash === undefined) fail('missing "data.hash" field in hashedrekord');
  const algorithm = goStringPtr(goField(hash, 'algorithm'), 'spec.data.hash.algorithm');
  if (algorithm === undefined) fail('missing "data.hash.algorithm" field in hashedrekord');
  if (algorithm !== 'sha256') fail(`unexpected "data.hash.algorithm" value ${JSON.stringify(algorithm)}`);
  const value = goStringPtr(goField(hash, 'value'), 'spec.data.hash.value');
  if (value === undefined) fail('missing "data.hash.value" field in hashedrekord');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(value)) fail('invalid "data.hash.value" field in hashedrekord');
  if (value.toLowerCase() !== createHash('sha256').update(payload).digest('hex')) fail('payload in Rekor SET does not match');
  return integratedTime;
}

function safeVerify(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return cryptoVerify('sha256', data, key, signature);
  } catch {
    return false;
  }
}

/**
 * The public key a Rekor bundle annotation names, without verifying anything: used only to explain a
 * rejection ("signed by key X, which is not trusted"). Undefined when the annotation holds none.
 */
export function publicKeyPemFromRekorBundle(setText: string): string | undefined {
  try {
    const set = JSON.parse(setText) as unknown;
    const body = goField(goField(set, 'Payload'), 'body');
    if (typeof body !== 'string') return undefined;
    const entry = JSON.parse(Buffer.from(body, 'base64').toString('utf8')) as unknown;
    const content = goField(goField(goField(goField(entry, 'spec'), 'signature'), 'publicKey'), 'content');
    if (typeof content !== 'string') return undefined;
    return Buffer.from(content, 'base64').toString('latin1');
  } catch {
    return undefined;
  }
}
