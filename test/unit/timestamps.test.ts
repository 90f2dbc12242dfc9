// toIso's text path for Postgres's UTC output must give exactly what the Date path gives.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toIso } from "../../src/db/values";

/** Postgres's text for a timestamptz in a UTC session: fractional digits trimmed of trailing zeros, none when whole. */
function postgresText(ms: number, micros: number): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, "0")}`.replace(/0+$/, "");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ""}+00`;
}

describe("toIso", () => {
  it("rewrites Postgres's UTC text exactly as the Date parser reads it", () => {
    const years = { min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) };
    fc.assert(
      fc.property(fc.integer(years), fc.integer({ min: 0, max: 999 }), (ms, micros) => {
        const text = postgresText(ms, micros);
        expect(toIso(text)).toBe(new Date(text).toISOString());
      }),
      { numRuns: 2_000 },
    );
    expect(toIso("2026-01-20 00:07:00+00")).toBe("2026-01-20T00:07:00.000Z");
    expect(toIso("2026-01-20 00:07:00.5+00")).toBe("2026-01-20T00:07:00.500Z");
    expect(toIso("2026-12-31 23:59:59.999999+00")).toBe("2026-12-31T23:59:59.999Z");
  });

  it("reads anything else through Date: other offsets, ISO text, Date objects", () => {
    expect(toIso("2026-01-20 02:07:00+02")).toBe("2026-01-20T00:07:00.000Z");
    expect(toIso("2026-01-20 05:37:00.25+05:30")).toBe("2026-01-20T00:07:00.250Z");
    expect(toIso("2026-01-20T00:07:00+00:00")).toBe("2026-01-20T00:07:00.000Z");
    expect(toIso(new Date(Date.UTC(2026, 0, 20, 0, 7)))).toBe("2026-01-20T00:07:00.000Z");
  });
});
