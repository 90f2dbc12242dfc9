import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent } from "../../src/lib/currencies";
import { canonicalDecimal, fromMinorUnits, inexactNumbers, maxMinorUnits, toMinorUnits } from "../../src/lib/decimal";

describe("exact decimal amounts", () => {
  it("reads JSON numbers as minor units without float drift", () => {
    expect(toMinorUnits(0.1, 2)).toBe(10n);
    expect(toMinorUnits(0.3, 2)).toBe(30n);
    expect(toMinorUnits(0.1 + 0.2, 2)).toBeUndefined(); // 0.30000000000000004 has 17 places
    expect(toMinorUnits(1.005, 2)).toBeUndefined();
    expect(toMinorUnits(1e-7, 8)).toBe(10n);
    expect(toMinorUnits(1e21, 0)).toBe(10n ** 21n);
    expect(toMinorUnits(Number.NaN, 2)).toBeUndefined();
    expect(toMinorUnits(-12.5, 2)).toBe(-1250n);
    expect(fromMinorUnits(30n, 2)).toBe(0.3);
    expect(fromMinorUnits(5n, 3)).toBe(0.005);
    expect(fromMinorUnits(1500n, 0)).toBe(1500);
  });

  it("round-trips every amount of at most 15 digits in minor units", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: maxMinorUnits }), fc.constantFrom(0, 2, 3, 4), (units, places) => {
        expect(toMinorUnits(fromMinorUnits(units, places), places)).toBe(units);
      }),
    );
  });

  it("canonicalises decimal text and spots numbers a double cannot hold", () => {
    expect(canonicalDecimal("12.500")).toEqual({ negative: false, digits: "125", exponent: -1 });
    expect(canonicalDecimal("1.25e2")).toEqual({ negative: false, digits: "125", exponent: 0 });
    expect(canonicalDecimal("-0.0")).toEqual({ negative: false, digits: "", exponent: 0 });
    const inexact = inexactNumbers('{"amount":0.1000000000000000001,"ok":0.10,"big":12345678901234567890}');
    // Not every runtime hands revivers the source text (workerd does; the Worker tests cover it there).
    let sourceText = false;
    JSON.parse("1", ((_key: string, value: unknown, context?: { source?: string }) => {
      sourceText = typeof context?.source === "string";
      return value;
    }) as (key: string, value: unknown) => unknown);
    expect(inexact).toEqual(sourceText ? ["amount", "big"] : []);
  });

  it("knows ISO 4217 exponents", () => {
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KWD")).toBe(3);
    expect(currencyExponent("CLF")).toBe(4);
    expect(currencyExponent("XXX")).toBeUndefined();
    expect(currencyExponent("toString")).toBeUndefined();
  });
});
