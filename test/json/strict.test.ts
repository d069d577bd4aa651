import { describe, expect, it } from 'vitest';
import { expectExactKeys, isJsonObject, JsonNumber, parseStrictJson } from '../../src/json/strict.ts';

const bad = (input: string | Uint8Array, pattern: RegExp) => {
  expect(() => parseStrictJson(input)).toThrow(pattern);
};

describe('parseStrictJson', () => {
  it('parses RFC 8259 JSON like JSON.parse does, numbers kept literally', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}}';
    const v = parseStrictJson(text);
    expect(isJsonObject(v)).toBe(true);
    const obj = v as Record<string, unknown>;
    const arr = obj.a as unknown[];
    expect(arr[0]).toBeInstanceOf(JsonNumber);
    expect((arr[0] as JsonNumber).isIntegerLiteral()).toBe(true);
    expect((arr[1] as JsonNumber).value).toBe(-2500);
    expect((arr[1] as JsonNumber).isIntegerLiteral()).toBe(false);
    expect(arr.slice(2)).toEqual([true, false, null, 'xé\n']);
    expect(obj.b).toEqual({});
  });

  it('rejects duplicate keys, which JSON.parse silently resolves to the last one', () => {
    expect(JSON.parse('{"a":1,"a":2}')).toEqual({ a: 2 });
    bad('{"a":1,"a":2}', /duplicate key "a"/);
    bad('{"x":{"critical":1,"critical":2}}', /duplicate key "critical"/);
  });

  it('keeps a "__proto__" key as data', () => {
    const v = parseStrictJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects trailing data, invalid UTF-8, a BOM, control characters and bad escapes', () => {
    bad('{"a":1} x', /trailing data/);
    bad('{"a":1}{"a":1}', /trailing data/);
    bad(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), /not valid UTF-8/);
    bad(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), /byte-order mark/);
    bad('{"a":"\u0001"}', /control character/);
    bad('{"a":"\\x41"}', /invalid escape/);
    bad('{"a":01}', /expected ','/);
    bad('{"a":.5}', /unexpected character/);
    bad("{'a':1}", /expected a string key/);
    bad('', /unexpected end/);
    bad('[1,]', /unexpected character/);
  });

  it('limits depth and size', () => {
    bad('['.repeat(40) + ']'.repeat(40), /nesting deeper than 32/);
    expect(() => parseStrictJson('"' + 'a'.repeat(100) + '"', { maxBytes: 50 })).toThrow(/over the 50-byte limit/);
  });
});

describe('expectExactKeys', () => {
  it('names the unexpected or missing key', () => {
    const obj = parseStrictJson('{"critical":{},"optional":{},"extra":1}') as Record<string, never>;
    expect(() => expectExactKeys(obj, 'payload', ['critical', 'optional'])).toThrow(/payload has unexpected key "extra"/);
    expect(() => expectExactKeys(obj, 'payload', ['critical', 'optional', 'extra', 'type'])).toThrow(/payload is missing key "type"/);
    expect(() => expectExactKeys(obj, 'payload', ['critical'], ['optional', 'extra'])).not.toThrow();
  });
});

describe('the number of values', () => {
  it('is capped (250,000 by default): a few MiB of bare values cannot take hundreds of MB once parsed', () => {
    // 4 MiB of `0,` is within the default byte cap; parsed whole it took 217 MiB of RSS, 16 MiB 329 MiB.
    const zeros = `[${'0,'.repeat(2_000_000)}0]`;
    expect(() => parseStrictJson(zeros)).toThrow(/more than 250000 values/);
    expect(() => parseStrictJson(`[${'[],'.repeat(300_000)}[]]`, { maxBytes: 8 * 1024 * 1024 })).toThrow(/more than 250000 values/);
    // At the cap exactly it parses: the array and its 249,999 elements.
    expect((parseStrictJson(`[${'0,'.repeat(249_998)}0]`) as unknown[]).length).toBe(249_999);
    expect(() => parseStrictJson('[1,2,3]', { maxValues: 3 })).toThrow(/more than 3 values/);
    expect(parseStrictJson('[1,2]', { maxValues: 3 })).toHaveLength(2);
  });
});
