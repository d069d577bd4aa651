/**
 * A strict JSON parser for signed payloads.
 *
 * `JSON.parse` is not enough for signature payloads: it keeps the last of duplicate keys (so two
 * parsers can disagree about what was signed), silently accepts `__proto__` keys, and loses the
 * literal form of numbers (Go rejects `1.0` or `1e3` for an int64 timestamp). This parser follows
 * RFC 8259 exactly and additionally rejects duplicate keys, invalid UTF-8, nesting deeper than a
 * limit and oversized input, like containers/image's ParanoidUnmarshalJSONObject does.
 */
import { SigcheckError } from '../model/errors.ts';

export class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  get value(): number {
    return Number(this.text);
  }
  /** True for an integer literal (no fraction, no exponent), as Go's int64 decoding requires. */
  isIntegerLiteral(): boolean {
    return /^-?(0|[1-9][0-9]*)$/.test(this.text);
  }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface StrictJsonOptions {
  /** Maximum input size in bytes (default 4 MiB). */
  maxBytes?: number;
  /** Maximum nesting depth of arrays and objects (default 32). */
  maxDepth?: number;
  /**
   * Maximum number of values (default 250,000). A parsed value costs far more than its bytes (a number
   * some 300 bytes of heap), so a byte cap alone lets a few MiB of `0,0,0,...` take gigabytes; no
   * document this tool reads (manifests, image-references, release-metadata, graphs) comes near it.
   */
  maxValues?: number;
}

export const DEFAULT_MAX_VALUES = 250_000;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The escapes RFC 8259 section 7 defines besides \\u, and what each stands for. */
export const JSON_SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '"'], ['\\', '\\'], ['/', '/'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t'],
]);

function fail(message: string): never {
  throw new SigcheckError('INVALID_JSON', message);
}

/** Decodes bytes as UTF-8, rejecting invalid sequences and a byte-order mark. */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    fail('payload is not valid UTF-8');
  }
  if (text.charCodeAt(0) === 0xfeff) fail('payload starts with a byte-order mark');
  return text;
}

export function parseStrictJson(input: Uint8Array | string, options: StrictJsonOptions = {}): JsonValue {
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const maxDepth = options.maxDepth ?? 32;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > maxBytes) fail(`payload is ${size} bytes, over the ${maxBytes}-byte limit`);
  const text = typeof input === 'string' ? input : decodeUtf8Strict(input);
  const parser = new Parser(text, maxDepth, options.maxValues ?? DEFAULT_MAX_VALUES);
  parser.skipWhitespace();
  const value = parser.parseValue(0);
  parser.skipWhitespace();
  if (parser.pos !== text.length) fail(`unexpected trailing data at offset ${parser.pos}`);
  return value;
}

class Parser {
  readonly text: string;
  readonly maxDepth: number;
  readonly maxValues: number;
  pos = 0;
  values = 0;

  constructor(text: string, maxDepth: number, maxValues: number) {
    this.text = text;
    this.maxDepth = maxDepth;
    this.maxValues = maxValues;
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  parseValue(depth: number): JsonValue {
    if (++this.values > this.maxValues) fail(`more than ${this.maxValues} values`);
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.parseObject(depth + 1);
      case '[':
        return this.parseArray(depth + 1);
      case '"':
        return this.parseString();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case undefined:
        return fail('unexpected end of input');
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
        return fail(`unexpected character ${JSON.stringify(c)} at offset ${this.pos}`);
    }
  }

  literal<T>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return fail(`invalid literal at offset ${this.pos}`);
  }

  parseNumber(): JsonNumber {
    const re = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (!m) fail(`invalid number at offset ${this.pos}`);
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  parseString(): string {
    const t = this.text;
    this.pos++; // opening quote
    let out = '';
    let start = this.pos;
    while (true) {
      if (this.pos >= t.length) fail('unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) fail(`control character in string at offset ${this.pos}`);
      if (c === 0x5c) {
        out += t.slice(start, this.pos);
        const e = t[this.pos + 1];
        this.pos += 2;
        switch (e) {
          case 'u': {
            const hex = t.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`invalid \\u escape at offset ${this.pos - 2}`);
            out += String.fromCharCode(parseInt(hex, 16));
            this.pos += 4;
            break;
          }
          default: {
            const simple = e === undefined ? undefined : JSON_SIMPLE_ESCAPES.get(e);
            if (simple === undefined) fail(`invalid escape at offset ${this.pos - 2}`);
            out += simple;
          }
        }
        start = this.pos;
        continue;
      }
      this.pos++;
    }
  }

  parseArray(depth: number): JsonValue[] {
    if (depth > this.maxDepth) fail(`nesting deeper than ${this.maxDepth} levels`);
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    while (true) {
      this.skipWhitespace();
      out.push(this.parseValue(depth));
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === ']') { this.pos++; return out; }
      fail(`expected ',' or ']' at offset ${this.pos}`);
    }
  }

  parseObject(depth: number): JsonObject {
    if (depth > this.maxDepth) fail(`nesting deeper than ${this.maxDepth} levels`);
    this.pos++;
    const out: JsonObject = {};
    const seen = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    while (true) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') fail(`expected a string key at offset ${this.pos}`);
      const key = this.parseString();
      if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)}`);
      seen.add(key);
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') fail(`expected ':' at offset ${this.pos}`);
      this.pos++;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      // defineProperty, not assignment: a "__proto__" key must stay data, never a prototype.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === '}') { this.pos++; return out; }
      fail(`expected ',' or '}' at offset ${this.pos}`);
    }
  }
}

/** Type guards for consumers of the parsed tree. */
export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/**
 * Asserts that an object has exactly the given keys (all required unless listed in `optional`),
 * the "exact fields" rule of containers/image and the cluster-version operator.
 */
export function expectExactKeys(
  obj: JsonObject,
  where: string,
  required: readonly string[],
  optional: readonly string[] = [],
): void {
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) fail(`${where} has unexpected key ${JSON.stringify(key)}`);
  }
  for (const key of required) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) fail(`${where} is missing key ${JSON.stringify(key)}`);
  }
}
