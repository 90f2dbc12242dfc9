import { describe, expect, it } from "vitest";
import { RoundTripStats } from "../../src/local/round-trip-stats";

describe("RoundTripStats", () => {
  it("forgets the oldest tag beyond its bound but keeps global counts", () => {
    const stats = new RoundTripStats(2);
    stats.record(1, "a");
    stats.record(2, "b");
    stats.record(3, "a");
    stats.record(4, "c");
    expect(stats.get("a")).toEqual({ requests: 0, statements: 0 });
    expect(stats.get("b")).toEqual({ requests: 1, statements: 2 });
    expect(stats.get("c")).toEqual({ requests: 1, statements: 4 });
    expect(stats.get()).toEqual({ requests: 4, statements: 10 });
  });

  it("hands out copies, not live counters", () => {
    const stats = new RoundTripStats();
    const before = stats.get();
    stats.record(1);
    expect(before).toEqual({ requests: 0, statements: 0 });
  });
});
