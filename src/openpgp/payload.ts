/**
 * The signed payload of a simple-signing signature ("atomic container signature",
 * containers-signature(5)), parsed as strictly as the cluster-version operator parses it
 * (library-go pkg/verify verifyAtomicContainerSignature, which decodes with DisallowUnknownFields):
 *
 *   {"critical": {"type": "atomic container signature",
 *                 "image": {"docker-manifest-digest": "sha256:..."},
 *                 "identity": {"docker-reference": "..."}},
 *    "optional": {"creator": "...", "timestamp": 1234}}
 *
 * Exact key sets at every level, duplicate keys rejected, `type` exact, the digest compared as an exact
 * string with the digest being checked, the identity a non-empty string that is NOT compared with
 * anything (genuine Red Hat signatures exist whose identity names another version than the digest
 * they sign). Only ever called on bytes whose signature has already been verified.
 */
import type { Digest } from '../model/digest.ts';
import { isSigcheckError } from '../model/errors.ts';
import { expectExactKeys, isJsonObject, JsonNumber, parseStrictJson, type JsonObject, type JsonValue } from '../json/strict.ts';

export const ATOMIC_SIGNATURE_TYPE = 'atomic container signature';

/** A payload is the literal data of a signature blob, itself capped by the decompression limit. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export interface AtomicSignaturePayload {
  /** `critical.image.docker-manifest-digest`, equal to the digest checked. */
  digest: Digest;
  /** `critical.identity.docker-reference`. */
  identity: string;
  creator?: string;
  /** `optional.timestamp`, Unix seconds. */
  timestamp?: number;
}

export type PayloadResult =
  | { ok: true; payload: AtomicSignaturePayload }
  | { ok: false; code: 'PAYLOAD_INVALID'; reason: string }
  /** A well-formed payload that signs another digest; `signedDigest` is what it signs, shortened if absurd. */
  | { ok: false; code: 'DIGEST_MISMATCH'; reason: string; signedDigest: string; identity: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class PayloadError extends Error {}

function invalid(message: string): never {
  throw new PayloadError(message);
}

function object(value: JsonValue | undefined, where: string): JsonObject {
  if (!isJsonObject(value)) invalid(`${where} is ${describeType(value)}, not an object`);
  return value;
}

function string(value: JsonValue | undefined, where: string): string {
  if (typeof value !== 'string') invalid(`${where} is ${describeType(value)}, not a string`);
  return value;
}

function describeType(value: JsonValue | undefined): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof JsonNumber) return 'a number';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A value from a signed payload, quoted and cut short for a one-line message. */
export function quote(value: string, max = 100): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}...` : value);
}

/**
 * Parses a verified payload and checks it against the expected digest. Never throws.
 */
export function parseAtomicSignaturePayload(bytes: Uint8Array, expected: Digest): PayloadResult {
  try {
    let root: JsonValue;
    try {
      root = parseStrictJson(bytes, { maxBytes: MAX_PAYLOAD_BYTES, maxDepth: 8 });
    } catch (err) {
      if (isSigcheckError(err, 'INVALID_JSON')) invalid(`the signed payload is not valid JSON: ${err.message}`);
      throw err;
    }
    const top = object(root, 'the signed payload');
    expectKeys(top, 'the signed payload', ['critical', 'optional']);

    const critical = object(top.critical, 'critical');
    expectKeys(critical, 'critical', ['type', 'image', 'identity']);
    const type = string(critical.type, 'critical.type');
    if (type !== ATOMIC_SIGNATURE_TYPE) invalid(`critical.type is ${quote(type)}, not ${JSON.stringify(ATOMIC_SIGNATURE_TYPE)}`);
    const image = object(critical.image, 'critical.image');
    expectKeys(image, 'critical.image', ['docker-manifest-digest']);
    const signedDigest = string(image['docker-manifest-digest'], 'critical.image.docker-manifest-digest');
    const identityObject = object(critical.identity, 'critical.identity');
    expectKeys(identityObject, 'critical.identity', ['docker-reference']);
    const identity = string(identityObject['docker-reference'], 'critical.identity.docker-reference');
    if (identity === '') invalid('critical.identity.docker-reference is empty');

    const optional = object(top.optional, 'optional');
    expectKeys(optional, 'optional', [], ['creator', 'timestamp']);
    let creator: string | undefined;
    if (Object.hasOwn(optional, 'creator')) creator = string(optional.creator, 'optional.creator');
    let timestamp: number | undefined;
    if (Object.hasOwn(optional, 'timestamp')) {
      const t = optional.timestamp;
      if (!(t instanceof JsonNumber)) invalid(`optional.timestamp is ${describeType(t)}, not an integer`);
      if (!t.isIntegerLiteral()) invalid(`optional.timestamp ${quote(t.text, 40)} is not an integer`);
      const big = BigInt(t.text);
      if (big < INT64_MIN || big > INT64_MAX) invalid(`optional.timestamp ${quote(t.text, 40)} does not fit a 64-bit integer`);
      timestamp = Number(big);
    }

    // Exact string equality, as the operator compares: no case folding, no parsing.
    if (signedDigest !== expected) {
      return {
        ok: false,
        code: 'DIGEST_MISMATCH',
        signedDigest: signedDigest.length > 100 ? `${signedDigest.slice(0, 100)}...` : signedDigest,
        identity,
        reason: `the signature signs ${quote(signedDigest)}, not ${expected}: it was filed under the wrong digest`,
      };
    }
    const payload: AtomicSignaturePayload = { digest: expected, identity };
    if (creator !== undefined) payload.creator = creator;
    if (timestamp !== undefined) payload.timestamp = timestamp;
    return { ok: true, payload };
  } catch (err) {
    if (err instanceof PayloadError) return { ok: false, code: 'PAYLOAD_INVALID', reason: err.message };
    return { ok: false, code: 'PAYLOAD_INVALID', reason: `the signed payload cannot be read: ${(err as Error).message}` };
  }
}

function expectKeys(obj: JsonObject, where: string, required: readonly string[], optional: readonly string[] = []): void {
  try {
    expectExactKeys(obj, where, required, optional);
  } catch (err) {
    invalid((err as Error).message);
  }
}
