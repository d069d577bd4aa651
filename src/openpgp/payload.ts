/**
 * The signed payload of a simple-signing signature ("atomic container signature",
 * containers-signature(5)), decided as the cluster-version operator decides it: library-go
 * pkg/verify verifyAtomicContainerSignature decodes it with a json.Decoder (DisallowUnknownFields) into
 *
 *   {critical: {type, image: {docker-manifest-digest}, identity: {docker-reference}},
 *    optional: {creator string, timestamp int64}}
 *
 * and then requires `type` = `atomic container signature`, a non-empty `docker-reference` and
 * `docker-manifest-digest` equal to the digest checked (exact string). What follows from Go's decoder
 * (../json/go.ts): keys match case-insensitively, a member missing or `null` leaves the zero value (so
 * `optional` may be absent or null), an unknown key anywhere is refused, a wrong type is refused,
 * invalid UTF-8 inside a string becomes U+FFFD, and whatever follows the first JSON value is not read.
 * The identity is NOT compared with anything (genuine Red Hat signatures name another version than the
 * digest they sign).
 *
 * Deliberately stricter (docs/verdicts.md): a payload the operator would accept but that repeats a key
 * (also one that differs only in case: Go folds them and keeps the last, so one signature could be read
 * as two payloads) is refused, with `deliberate: true`. Only ever called on bytes whose signature has
 * already been verified.
 */
import type { Digest } from '../model/digest.ts';
import { describeError, isSigcheckError } from '../model/errors.ts';
import { duplicateKeys, goFoldKey, GoNumber, isGoObject, parseGoJson, type GoObject, type GoValue } from '../json/go.ts';

export const ATOMIC_SIGNATURE_TYPE = 'atomic container signature';

/** A payload is the literal data of a signature blob, itself capped by the decompression limit. */
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

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
  /** The operator would accept it; the contract refuses it (duplicate keys). */
  | { ok: false; code: 'DUPLICATE_KEY'; reason: string; deliberate: true; identity: string }
  /** A well-formed payload that signs another digest; `signedDigest` is what it signs, shortened if absurd. */
  | { ok: false; code: 'DIGEST_MISMATCH'; reason: string; signedDigest: string; identity: string };

class PayloadError extends Error {}

function invalid(message: string): never {
  throw new PayloadError(message);
}

/** A value from a signed payload, quoted and cut short for a one-line message. */
export function quote(value: string, max = 100): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}...` : value);
}

function describeType(value: GoValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof GoNumber) return 'a number';
  if (isGoObject(value)) return 'an object';
  return `a ${typeof value}`;
}

type Field = 'string' | 'int64' | { [name: string]: Field };

/** The struct the operator decodes into (library-go pkg/verify signature, criticalSignature, optionalSignature). */
const SIGNATURE_STRUCT: Field = {
  critical: { type: 'string', image: { 'docker-manifest-digest': 'string' }, identity: { 'docker-reference': 'string' } },
  optional: { creator: 'string', timestamp: 'int64' },
};

type Decoded = { [name: string]: Decoded | string | bigint };

/**
 * Go's decoding of `value` into a struct of `shape`, into `into` (which it merges into, as Go decodes
 * into an existing struct: a repeated key overwrites field by field). A JSON null leaves the target as
 * it is. Throws PayloadError for an unknown key or a wrong type (Go saves the first such error and
 * fails the call).
 */
function decodeStruct(value: GoValue, shape: { [name: string]: Field }, into: Decoded, where: string): void {
  if (value === null) return;
  if (!isGoObject(value)) invalid(`${where} is ${describeType(value)}, not an object`);
  const byFold = new Map(Object.keys(shape).map((name) => [goFoldKey(name), name]));
  for (const [key, member] of value.entries) {
    const name = Object.hasOwn(shape, key) ? key : byFold.get(goFoldKey(key));
    const path = where === 'the signed payload' ? key : `${where}.${key}`;
    if (name === undefined) invalid(`${where} has unknown key ${quote(key, 60)}; the cluster-version operator refuses unknown keys`);
    const field = shape[name]!;
    if (member === null) continue;
    if (field === 'string') {
      if (typeof member !== 'string') invalid(`${path} is ${describeType(member)}, not a string`);
      into[name] = member;
    } else if (field === 'int64') {
      if (!(member instanceof GoNumber)) invalid(`${path} is ${describeType(member)}, not an integer`);
      const n = member.toInt64();
      if (n === undefined) invalid(`${path} ${quote(member.text, 40)} is not a 64-bit integer`);
      into[name] = n;
    } else {
      const nested = (typeof into[name] === 'object' ? into[name] : {}) as Decoded;
      into[name] = nested;
      decodeStruct(member, field, nested, path);
    }
  }
}

function text(value: Decoded | string | bigint | undefined): string {
  return typeof value === 'string' ? value : '';
}

function firstDuplicate(value: GoValue, where: string): string | undefined {
  if (!isGoObject(value)) return undefined;
  const dup = duplicateKeys(value, true)[0];
  if (dup !== undefined) return `${where} repeats the key ${quote(dup, 60)}`;
  for (const [key, member] of (value as GoObject).entries) {
    const found = firstDuplicate(member, where === 'the signed payload' ? key : `${where}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Decides a verified payload against the expected digest. Never throws.
 */
export function parseAtomicSignaturePayload(bytes: Uint8Array, expected: Digest): PayloadResult {
  try {
    let root: GoValue;
    try {
      root = parseGoJson(bytes, { rest: 'ignore', maxBytes: MAX_PAYLOAD_BYTES });
    } catch (err) {
      if (isSigcheckError(err, 'INVALID_JSON')) invalid(`the signed payload is not valid JSON: ${err.message}`);
      throw err;
    }
    const decoded: Decoded = {};
    decodeStruct(root, SIGNATURE_STRUCT as { [name: string]: Field }, decoded, 'the signed payload');
    const critical = (decoded.critical ?? {}) as Decoded;
    const type = text(critical.type);
    if (type !== ATOMIC_SIGNATURE_TYPE) invalid(`critical.type is ${quote(type)}, not ${JSON.stringify(ATOMIC_SIGNATURE_TYPE)}`);
    const identity = text(((critical.identity ?? {}) as Decoded)['docker-reference']);
    if (identity === '') invalid('critical.identity.docker-reference is missing or empty');
    const signedDigest = text(((critical.image ?? {}) as Decoded)['docker-manifest-digest']);
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
    // The operator accepts this payload; the contract refuses a repeated key all the same.
    const duplicate = firstDuplicate(root, 'the signed payload');
    if (duplicate) {
      return {
        ok: false,
        code: 'DUPLICATE_KEY',
        deliberate: true,
        identity,
        reason: `${duplicate} (keys compared case-insensitively, as Go's decoder matches them): the cluster-version operator would accept this payload, reading the last value, but a payload that can be read two ways is refused`,
      };
    }
    const optional = (decoded.optional ?? {}) as Decoded;
    const payload: AtomicSignaturePayload = { digest: expected, identity };
    if (typeof optional.creator === 'string') payload.creator = optional.creator;
    if (typeof optional.timestamp === 'bigint') payload.timestamp = Number(optional.timestamp);
    return { ok: true, payload };
  } catch (err) {
    if (err instanceof PayloadError) return { ok: false, code: 'PAYLOAD_INVALID', reason: err.message };
    return { ok: false, code: 'PAYLOAD_INVALID', reason: `the signed payload cannot be read: ${describeError(err)}` };
  }
}
