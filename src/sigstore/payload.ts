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
 * What Go's decoding implies, and so here (../json/go.ts): json.Unmarshal first checks that the whole
 * payload is one JSON value (only whitespace after it, nesting at most 10000 deep); keys match exactly
 * (the paranoid decoder compares strings); invalid UTF-8 inside a string is read as U+FFFD, so a
 * payload with such bytes in `optional` is accepted as CRI-O accepts it.
 *
 * Deliberately stricter (docs/verdicts.md): a key repeated inside an ignored `optional` value, which
 * CRI-O's std-library decoding accepts, is refused with `deliberate`. A repeated key where the paranoid
 * decoder looks (top level, `critical`, `image`, `identity`, `optional`) CRI-O refuses itself.
 */
import { describeError, isSigcheckError } from '../model/errors.ts';
import { duplicateKeys, findDuplicateKey, GoNumber, isGoObject, parseGoJson, type GoObject, type GoValue } from '../json/go.ts';
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

export type PayloadParseResult =
  /** `duplicate`: CRI-O accepts the payload, but it repeats a key inside an ignored value (the caller refuses it once the rest passed). */
  | { ok: true; payload: SimpleSigningPayload; duplicate?: string }
  | { ok: false; reason: string };

class PayloadError extends Error {}

function fail(message: string): never {
  throw new PayloadError(message);
}

/** ParanoidUnmarshalJSONObject: an object, no repeated key (exact comparison), only the known keys when `keys` is given. */
function paranoidObject(value: GoValue, where: string, keys?: readonly string[]): Map<string, GoValue> {
  if (!isGoObject(value)) fail(`${where} is not a JSON object`);
  const dup = duplicateKeys(value, false)[0];
  if (dup !== undefined) fail(`${where} has the key ${JSON.stringify(dup)} twice`);
  const members = new Map((value as GoObject).entries);
  if (keys) {
    for (const key of members.keys()) if (!keys.includes(key)) fail(`${where} has unexpected key ${JSON.stringify(key)}`);
    for (const key of keys) if (!members.has(key)) fail(`${where} is missing key ${JSON.stringify(key)}`);
  }
  return members;
}

/** Go's decoding into a `string`: a string, or null (which leaves the zero value ""). */
function goString(value: GoValue | undefined, where: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  fail(`${where} is not a string`);
}

const INT64_LIMIT = 2 ** 63;

export function parseSimpleSigningPayload(bytes: Uint8Array): PayloadParseResult {
  try {
    const root = parseGoJson(bytes, { rest: 'whitespace', maxBytes: MAX_PAYLOAD_BYTES });
    const payload = parse(root);
    // CRI-O accepts this payload; a key repeated inside an ignored value is the contract's refusal.
    const dup = findDuplicateKey(root, false);
    if (dup) return { ok: true, payload, duplicate: `the payload repeats the key ${JSON.stringify(dup.key)} in ${dup.path}: CRI-O would accept it (it ignores that value), but a signed payload with a repeated key is refused` };
    return { ok: true, payload };
  } catch (err) {
    const detail = isSigcheckError(err, 'INVALID_JSON') ? `not valid JSON: ${err.message}` : describeError(err);
    return { ok: false, reason: `payload is not a valid cosign simple-signing payload: ${detail}` };
  }
}

function parse(root: GoValue): SimpleSigningPayload {
  const top = paranoidObject(root, 'the payload', ['critical', 'optional']);

  const result: Partial<SimpleSigningPayload> = {};
  const optional = top.get('optional')!;
  if (optional !== null) {
    const members = paranoidObject(optional, 'optional');
    if (members.has('creator')) result.creator = goString(members.get('creator'), 'optional.creator');
    if (members.has('timestamp')) {
      const ts = members.get('timestamp')!;
      if (ts === null) {
        result.timestamp = 0;
      } else if (ts instanceof GoNumber) {
        // Decoded into a float64, then required to be an integral int64, as containers/image checks it.
        const n = ts.toFloat64();
        if (n === undefined) fail('optional.timestamp is out of range');
        if (!Number.isInteger(n) || n < -INT64_LIMIT || n >= INT64_LIMIT) fail('field optional.timestamp is not an integer');
        result.timestamp = n;
      } else {
        fail('optional.timestamp is not a number');
      }
    }
  }

  const critical = paranoidObject(top.get('critical')!, 'critical', ['type', 'image', 'identity']);
  const type = goString(critical.get('type'), 'critical.type');
  if (type !== COSIGN_SIGNATURE_TYPE) fail(`critical.type is ${JSON.stringify(type)}, not ${JSON.stringify(COSIGN_SIGNATURE_TYPE)}`);

  const image = paranoidObject(critical.get('image')!, 'critical.image', ['docker-manifest-digest']);
  const digest = goString(image.get('docker-manifest-digest'), 'critical.image.docker-manifest-digest');
  const badDigest = validateGoDigest(digest);
  if (badDigest) fail(`invalid docker-manifest-digest: ${badDigest}`);

  const identity = paranoidObject(critical.get('identity')!, 'critical.identity', ['docker-reference']);
  const reference = goString(identity.get('docker-reference'), 'critical.identity.docker-reference');

  return { ...result, dockerReference: reference, dockerManifestDigest: digest };
}
