/**
 * JSON read the way Go's encoding/json reads it, for the payloads whose verdict must equal a Go
 * consumer's: the cluster-version operator decodes an atomic container signature with a
 * json.Decoder into structs (library-go pkg/verify verifyAtomicContainerSignature), CRI-O decodes a
 * cosign payload with json.Unmarshal and json.Decoder tokens (containers/image
 * signature/internal/sigstore_payload.go, json.go ParanoidUnmarshalJSONObject).
 *
 * What Go does, and so this module:
 *  - the grammar of Go's scanner (encoding/json scanner.go), which is RFC 8259's: no trailing commas,
 *    no leading zeros, no NaN, control characters refused inside strings, nesting at most 10000 deep;
 *  - invalid UTF-8 inside a string is not an error: each bad sequence becomes U+FFFD (decode.go unquote);
 *    outside a string it is an invalid character;
 *  - a json.Decoder reads one value and leaves what follows unread (`rest: 'ignore'`); json.Unmarshal
 *    insists that only whitespace follows (`rest: 'whitespace'`).
 * Objects keep every member in order, duplicates included, so each caller decides as its consumer does
 * (Go's struct decoding keeps the last; the paranoid decoder refuses a duplicate) and can still see the
 * duplicate the contract deliberately refuses. Iterative: no input, however deep, grows the JS stack.
 */
import { SigcheckError } from '../model/errors.ts';
import { JSON_SIMPLE_ESCAPES } from './strict.ts';

/** A number as written (Go decodes the literal text into the field's type). */
export class GoNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  /** Go's strconv.ParseInt(text, 10, 64) succeeds: an integer literal within int64. */
  toInt64(): bigint | undefined {
    if (!/^-?(0|[1-9][0-9]*)$/.test(this.text)) return undefined;
    const n = BigInt(this.text);
    return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
  }
  /** Go's strconv.ParseFloat(text, 64): undefined when out of range (Go reports a range error). */
  toFloat64(): number | undefined {
    const n = Number(this.text);
    return Number.isFinite(n) ? n : undefined;
  }
}

export interface GoObject {
  readonly kind: 'object';
  /** Every member in document order, duplicates included. */
  readonly entries: [string, GoValue][];
}

export type GoValue = null | boolean | string | GoNumber | GoValue[] | GoObject;

export function isGoObject(value: GoValue | undefined): value is GoObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof GoNumber);
}

export interface GoJsonOptions {
  /** `ignore`: json.Decoder.Decode; `whitespace`: json.Unmarshal. */
  rest: 'ignore' | 'whitespace';
  /** Refuse inputs larger than this many bytes (a resource bound; callers pick their consumer's cap). */
  maxBytes: number;
}

/** Go's scanner refuses nesting deeper than this (encoding/json scanner.go maxNestingDepth). */
export const GO_MAX_NESTING_DEPTH = 10000;

function fail(message: string): never {
  throw new SigcheckError('INVALID_JSON', message);
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

type Frame = { kind: 'object'; value: GoObject; key: string | undefined } | { kind: 'array'; value: GoValue[] };

/**
 * Parses `input` as Go would decode it. Throws SigcheckError('INVALID_JSON') on a syntax error (Go's
 * decoder fails the whole call then too).
 */
export function parseGoJson(input: Uint8Array, options: GoJsonOptions): GoValue {
  if (input.byteLength > options.maxBytes) fail(`the JSON is ${input.byteLength} bytes, over the ${options.maxBytes}-byte limit`);
  // U+FFFD replaces each invalid sequence; in a string that is what Go does, elsewhere it is an invalid character either way.
  const text = decoder.decode(input);
  let pos = 0;
  const ws = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else break;
    }
  };
  const stack: Frame[] = [];
  let result: GoValue | undefined;
  let done = false;

  const emit = (value: GoValue): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      result = value;
      done = true;
    } else if (top.kind === 'array') {
      top.value.push(value);
    } else {
      top.value.entries.push([top.key!, value]);
      top.key = undefined;
    }
  };

  ws();
  if (pos >= text.length) fail('unexpected end of JSON input');
  // Each turn reads one value start, or closes containers; `afterValue` handles separators.
  let expectValue = true;
  while (!done) {
    if (expectValue) {
      ws();
      const c = text[pos];
      if (c === '{' || c === '[') {
        if (stack.length >= GO_MAX_NESTING_DEPTH) fail(`exceeded max depth of ${GO_MAX_NESTING_DEPTH}`);
        pos++;
        ws();
        if (c === '{') {
          const frame: Frame = { kind: 'object', value: { kind: 'object', entries: [] }, key: undefined };
          stack.push(frame);
          if (text[pos] === '}') {
            pos++;
            stack.pop();
            emit(frame.value);
            expectValue = false;
            continue;
          }
          frame.key = readKey();
          continue;
        }
        const frame: Frame = { kind: 'array', value: [] };
        stack.push(frame);
        if (text[pos] === ']') {
          pos++;
          stack.pop();
          emit(frame.value);
          expectValue = false;
        }
        continue;
      }
      emit(readScalar());
      expectValue = false;
      continue;
    }
    // after a value inside a container
    ws();
    const top = stack[stack.length - 1]!;
    const c = text[pos];
    if (c === ',') {
      pos++;
      if (top.kind === 'object') {
        ws();
        top.key = readKey();
      }
      expectValue = true;
      continue;
    }
    if ((top.kind === 'object' && c === '}') || (top.kind === 'array' && c === ']')) {
      pos++;
      stack.pop();
      emit(top.value);
      continue;
    }
    if (c === undefined) fail('unexpected end of JSON input');
    fail(`invalid character ${JSON.stringify(c)} after ${top.kind === 'object' ? 'object key:value pair' : 'array element'}`);
  }
  if (options.rest === 'whitespace') {
    ws();
    if (pos < text.length) fail(`invalid character ${JSON.stringify(text[pos])} after top-level value`);
  }
  return result as GoValue;

  function readKey(): string {
    if (text[pos] !== '"') {
      if (pos >= text.length) fail('unexpected end of JSON input');
      fail(`invalid character ${JSON.stringify(text[pos])} looking for beginning of object key string`);
    }
    const key = readString();
    ws();
    if (text[pos] !== ':') {
      if (pos >= text.length) fail('unexpected end of JSON input');
      fail(`invalid character ${JSON.stringify(text[pos])} after object key`);
    }
    pos++;
    return key;
  }

  function readScalar(): GoValue {
    const c = text[pos];
    if (c === '"') return readString();
    if (c === 't') return word('true', true);
    if (c === 'f') return word('false', false);
    if (c === 'n') return word('null', null);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const re = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
      re.lastIndex = pos;
      const m = re.exec(text);
      if (!m) fail(`invalid character in numeric literal at offset ${pos}`);
      pos += m[0].length;
      // Go's scanner refuses a digit (or '.') straight after a complete number such as `01` or `1.`.
      const next = text[pos];
      if (next !== undefined && /[0-9.eE+-]/.test(next)) fail(`invalid character ${JSON.stringify(next)} in numeric literal`);
      return new GoNumber(m[0]);
    }
    if (c === undefined) fail('unexpected end of JSON input');
    fail(`invalid character ${JSON.stringify(c)} looking for beginning of value`);
  }

  function word<T>(w: string, value: T): T {
    if (!text.startsWith(w, pos)) fail(`invalid literal at offset ${pos}`);
    pos += w.length;
    return value;
  }

  function readString(): string {
    pos++;
    let out = '';
    let start = pos;
    for (;;) {
      if (pos >= text.length) fail('unexpected end of JSON input');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c < 0x20) fail(`invalid character in string literal at offset ${pos}`);
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      out += text.slice(start, pos);
      const e = text[pos + 1];
      pos += 2;
      switch (e) {
        case 'u': {
          const hex = text.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`invalid character in \\u escape at offset ${pos}`);
          pos += 4;
          let unit = parseInt(hex, 16);
          // Go pairs surrogates and turns a lone one into U+FFFD (decode.go unquoteBytes).
          if (unit >= 0xd800 && unit < 0xdc00) {
            const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(text.slice(pos, pos + 6));
            if (low) {
              pos += 6;
              out += String.fromCharCode(unit, parseInt(low[1]!, 16));
              break;
            }
            unit = 0xfffd;
          } else if (unit >= 0xdc00 && unit < 0xe000) {
            unit = 0xfffd;
          }
          out += String.fromCharCode(unit);
          break;
        }
        default: {
          const simple = e === undefined ? undefined : JSON_SIMPLE_ESCAPES.get(e);
          if (simple === undefined) fail(`invalid escape at offset ${pos - 2}`);
          out += simple;
        }
      }
      start = pos;
    }
  }
}

/**
 * Go's case folding of a JSON key against a struct field name (encoding/json fold.go, the
 * bytes.EqualFold rule): ASCII letters fold, and so do the Kelvin sign (U+212A, as K) and the long s
 * (U+017F, as S). The field names matched here are ASCII.
 */
export function goFoldKey(key: string): string {
  return key.replace(/\u212a/g, 'k').replace(/\u017f/g, 's').replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The members whose keys fold to the same name as another member's (the first of each pair is named). */
export function duplicateKeys(object: GoObject, fold: boolean): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const [key] of object.entries) {
    const k = fold ? goFoldKey(key) : key;
    if (seen.has(k)) out.push(key);
    seen.add(k);
  }
  return out;
}

/** Every duplicate key anywhere in `value`, with its path, for the contract's deliberate refusal. Iterative. */
export function findDuplicateKey(value: GoValue, fold: boolean): { path: string; key: string } | undefined {
  const work: { value: GoValue; path: string }[] = [{ value, path: '' }];
  while (work.length > 0) {
    const { value: v, path } = work.pop()!;
    if (Array.isArray(v)) {
      v.forEach((item, i) => work.push({ value: item, path: `${path}[${i}]` }));
    } else if (isGoObject(v)) {
      const dup = duplicateKeys(v, fold)[0];
      if (dup !== undefined) return { path: path || '(top level)', key: dup };
      for (const [key, item] of v.entries) work.push({ value: item, path: path ? `${path}.${key}` : key });
    }
  }
  return undefined;
}
