/**
 * The cosign "simple signing" payload, parsed the way containers/image parses it
 * (signature/internal/sigstore_payload.go strictUnmarshalJSON, run after the signature verified):
 *
 *   {"critical":{"identity":{"docker-reference":R},"image":{"docker-manifest-digest":D},
 *                "type":"cosign container image signature"},
 *    "optional":null | {...}}
 *
 * - the top level, `critical`, `critical.image` and `critical.identity` have exactly these keys;
 * - `optional` is `null` or an object: `creator` must be a string, `timestamp` a number with an integer
 *   value (Go decodes it into a float64 and then insists on an integral int64), other keys are ignored;
 *   JSON `null` for either is accepted, as Go's decoder leaves the field at its zero value;
 * - duplicate keys are rejected (ParanoidUnmarshalJSONObject).
 *
 * Deliberately stricter than Go, and only for payloads a trusted key signed (the payload is parsed after
 * the signature verified): invalid UTF-8 anywhere, duplicate keys inside ignored `optional` values, and
 * nesting deeper than 64 levels are rejected, where Go would substitute U+FFFD or accept.
 */
import { JsonNumber, isJsonObject, parseStrictJson, type JsonObject, type JsonValue } from '../json/strict.ts';
import { describeError } from '../model/errors.ts';
import { validateGoDigest } from './reference.ts';

export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

/** Payloads are layer blobs: at most 4 MiB, as containers/image reads them (iolimits.MaxSignatureBodySize). */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

export interface SimpleSigningPayload {
  /** `critical.identity.docker-reference`, unparsed (the identity rule parses it). */
  dockerReference: string;
  /** `critical.image.docker-manifest-digest`, a valid go-digest (sha256, sha384 or sha512). */
  dockerManifestDigest: string;
  creator?: string;
  timestamp?: number;
}

export type PayloadParseResult = { ok: true; payload: SimpleSigningPayload } | { ok: false; reason: string };

class PayloadError extends Error {}

function fail(message: string): never {
  throw new PayloadError(message);
}

/** ParanoidUnmarshalJSONObjectExactFields over an already parsed value. */
function exactObject(value: JsonValue | undefined, where: string, keys: readonly string[]): JsonObject {
  if (!isJsonObject(value)) fail(`${where} is not a JSON object`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) fail(`${where} has unexpected key ${JSON.stringify(key)}`);
  }
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) fail(`${where} is missing key ${JSON.stringify(key)}`);
  }
  return value;
}

/** Go's json decoding into a `string`: a string, or null (which leaves the zero value ""). */
function goString(value: JsonValue | undefined, where: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  fail(`${where} is not a string`);
}

const INT64_LIMIT = 2 ** 63;

export function parseSimpleSigningPayload(bytes: Uint8Array): PayloadParseResult {
  try {
    return { ok: true, payload: parse(bytes) };
  } catch (err) {
    return { ok: false, reason: `payload is not a valid cosign simple-signing payload: ${describeError(err)}` };
  }
}

function parse(bytes: Uint8Array): SimpleSigningPayload {
  const root = parseStrictJson(bytes, { maxBytes: MAX_PAYLOAD_BYTES, maxDepth: 64 });
  const top = exactObject(root, 'the payload', ['critical', 'optional']);

  const result: Partial<SimpleSigningPayload> = {};
  const optional = top.optional;
  if (optional !== null) {
    if (!isJsonObject(optional)) fail('optional is neither null nor a JSON object');
    if (Object.prototype.hasOwnProperty.call(optional, 'creator')) {
      result.creator = goString(optional.creator, 'optional.creator');
    }
    if (Object.prototype.hasOwnProperty.call(optional, 'timestamp')) {
      const ts = optional.timestamp;
      if (ts === null) {
        result.timestamp = 0;
      } else if (ts instanceof JsonNumber) {
        const n = ts.value;
        // int64(float64) round trip, as containers/image checks it.
        if (!Number.isFinite(n)) fail('optional.timestamp is out of range');
        if (!Number.isInteger(n) || n < -INT64_LIMIT || n >= INT64_LIMIT) fail('field optional.timestamp is not an integer');
        result.timestamp = n;
      } else {
        fail('optional.timestamp is not a number');
      }
    }
  }

  const critical = exactObject(top.critical, 'critical', ['type', 'image', 'identity']);
  const type = goString(critical.type, 'critical.type');
  if (type !== COSIGN_SIGNATURE_TYPE) fail(`critical.type is ${JSON.stringify(type)}, not ${JSON.stringify(COSIGN_SIGNATURE_TYPE)}`);

  const image = exactObject(critical.image, 'critical.image', ['docker-manifest-digest']);
  const digest = goString(image['docker-manifest-digest'], 'critical.image.docker-manifest-digest');
  const badDigest = validateGoDigest(digest);
  if (badDigest) fail(`invalid docker-manifest-digest: ${badDigest}`);

  const identity = exactObject(critical.identity, 'critical.identity', ['docker-reference']);
  const reference = goString(identity['docker-reference'], 'critical.identity.docker-reference');

  return { ...result, dockerReference: reference, dockerManifestDigest: digest };
}
