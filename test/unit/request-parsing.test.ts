import { describe, expect, it } from "vitest";
import { isJsonMediaType, parseMediaType } from "../../src/http/json-body";
import { decodeCursor, encodeCursor } from "../../src/http/pagination";
import { isStorable } from "../../src/http/validation";
import { canonicalJson } from "../../src/lib/fingerprint";

describe("media types (RFC 9110)", () => {
  it("parses parameters, empty ones and spaces included", () => {
    expect(parseMediaType('Application/JSON ; charset="utf-8";; q=1')).toEqual({
      type: "application",
      subtype: "json",
      params: new Map([
        ["charset", "utf-8"],
        ["q", "1"],
      ]),
    });
    for (const bad of ["", "json", "application/", "/json", "application/json; charset", "application/json; =x", 'a/b; c="open']) {
      expect(parseMediaType(bad), bad).toBeUndefined();
    }
  });

  it("takes application/json and application/*+json in UTF-8 as JSON", () => {
    for (const ok of ["application/json", "application/json;", "application/problem+json; charset=UTF-8"])
      expect(isJsonMediaType(ok), ok).toBe(true);
    for (const no of [undefined, "text/plain+json", "text/json", "application/jsonx", "application/json; charset=utf-16"]) {
      expect(isJsonMediaType(no), String(no)).toBe(false);
    }
  });
});

describe("canonical JSON", () => {
  it("ignores key order and spacing, keeps every value", () => {
    expect(canonicalJson(JSON.parse('{ "b": [2, {"y":1,"x":2}], "a": "A" }'))).toBe('{"a":"A","b":[2,{"x":2,"y":1}]}');
    expect(canonicalJson({ a: "A" })).not.toBe(canonicalJson({ a: "a" }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: "1" }));
    expect(canonicalJson(JSON.parse('{"__proto__":1}'))).toBe('{"__proto__":1}');
  });
});

describe("storable strings", () => {
  it("refuse NUL and unpaired surrogates only", () => {
    expect(isStorable("plain \ud83d\ude00")).toBe(true);
    for (const bad of ["\u0000", "a\ud800", "\udc00b", "\ude00\ud83d"]) expect(isStorable(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe("cursors", () => {
  it("belong to one list", () => {
    const cursor = encodeCursor("payees", "pye_01jz8k6q4m0x3v7e2c5n9r1t8w");
    expect(decodeCursor("payees", cursor)).toBe("pye_01jz8k6q4m0x3v7e2c5n9r1t8w");
    expect(() => decodeCursor("payout_users", cursor)).toThrow(/another list/);
    expect(() => decodeCursor("payees", btoa('{"v":2,"l":"payees","id":"\\ud800"}'))).toThrow(/not one this API returned/);
  });
});
