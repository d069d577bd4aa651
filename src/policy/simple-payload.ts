/**
 * The payload of an OpenPGP simple-signing signature as containers/image reads it under a `signedBy`
 * requirement (signature/simple.go untrustedSignature.strictUnmarshalJSON), which is not how the
 * cluster-version operator reads it (src/openpgp/payload.ts, library-go pkg/verify):
 *
 *   {"critical": {"type": "atomic container signature",
 *                 "image": {"docker-manifest-digest": D}, "identity": {"docker-reference": R}},
 *    "optional": {...}}
 *
 *  - the top level has exactly `critical` and `optional`; `critical` exactly `type`, `image`,
 *    `identity`; `image` exactly `docker-manifest-digest`; `identity` exactly `docker-reference`
 *    (ParanoidUnmarshalJSONObjectExactFields: keys are case-sensitive, duplicates refused);
 *  - `optional` must be an object (null is not: ParanoidUnmarshalJSONObject wants `{`); `creator` a
 *    string, `timestamp` a number with an integral value (decoded as float64, then int64); any other
 *    key of `optional` is ignored, whatever its value (the operator refuses unknown keys);
 *  - `type` exactly "atomic container signature"; the digest must parse (go-digest: a known algorithm,
 *    lowercase hex of its length);
 *  - the identity is NOT checked here: the requirement's signedIdentity rule does that (the operator
 *    never compares it), and the digest is compared by the caller with the image's.
 *
 * Deliberately stricter, only for payloads a trusted key signed: invalid UTF-8, and duplicate keys
 * inside ignored `optional` values, are refused where Go would accept them.
 */
import { JsonNumber, isJsonObject, parseStrictJson, type JsonObject, type JsonValue } from '../json/strict.ts';
import { describeError } from '../model/errors.ts';
import { validateGoDigest } from '../sigstore/reference.ts';

export const ATOMIC_SIGNATURE_TYPE = 'atomic container signature';

export interface SimpleSigningClaims {
  dockerManifestDigest: string;
  dockerReference: string;
  creator?: string;
  timestamp?: number;
}

export type SimplePayloadResult = { ok: true; claims: SimpleSigningClaims } | { ok: false; reason: string };

class PayloadError extends Error {}

function fail(message: string): never {
  throw new PayloadError(message);
}

function exact(value: JsonValue | undefined, where: string, keys: readonly string[]): JsonObject {
  if (!isJsonObject(value)) fail(`${where} is not a JSON object`);
  for (const k of Object.keys(value)) if (!keys.includes(k)) fail(`${where} has unknown key ${JSON.stringify(k)}`);
  for (const k of keys) if (!Object.hasOwn(value, k)) fail(`${where} is missing key ${JSON.stringify(k)}`);
  return value;
}

/** Go decoding into a string: a string, or null (the zero value ""). */
function goString(value: JsonValue | undefined, where: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') fail(`${where} is not a string`);
  return value;
}

export function parseSimpleSigningClaims(bytes: Uint8Array): SimplePayloadResult {
  try {
    return { ok: true, claims: parse(bytes) };
  } catch (err) {
    return { ok: false, reason: `the signed payload is not a valid simple-signing payload: ${err instanceof PayloadError ? err.message : describeError(err)}` };
  }
}

function parse(bytes: Uint8Array): SimpleSigningClaims {
  const root = parseStrictJson(bytes, { maxBytes: 4 * 1024 * 1024, maxDepth: 64 });
  const top = exact(root, 'the payload', ['critical', 'optional']);
  const claims: Partial<SimpleSigningClaims> = {};
  const optional = top.optional;
  if (!isJsonObject(optional)) fail('optional is not a JSON object');
  if (Object.hasOwn(optional, 'creator')) claims.creator = goString(optional.creator, 'optional.creator');
  if (Object.hasOwn(optional, 'timestamp')) {
    const t = optional.timestamp;
    if (t === null) claims.timestamp = 0;
    else if (t instanceof JsonNumber) {
      const n = t.value;
      // int64(float64) must give the float back: an integral value within int64's range.
      if (!Number.isFinite(n) || !Number.isInteger(n) || n < -(2 ** 63) || n >= 2 ** 63) fail('field optional.timestamp is not an integer');
      claims.timestamp = n;
    } else fail('optional.timestamp is not a number');
  }
  const critical = exact(top.critical, 'critical', ['type', 'image', 'identity']);
  const type = goString(critical.type, 'critical.type');
  if (type !== ATOMIC_SIGNATURE_TYPE) fail(`unrecognized signature type ${JSON.stringify(type.slice(0, 80))}`);
  const image = exact(critical.image, 'critical.image', ['docker-manifest-digest']);
  const digest = goString(image['docker-manifest-digest'], 'critical.image.docker-manifest-digest');
  const bad = validateGoDigest(digest);
  if (bad) fail(`invalid docker-manifest-digest value: ${bad}`);
  const identity = exact(critical.identity, 'critical.identity', ['docker-reference']);
  return { ...claims, dockerManifestDigest: digest, dockerReference: goString(identity['docker-reference'], 'critical.identity.docker-reference') };
}
