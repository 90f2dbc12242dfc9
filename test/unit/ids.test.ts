import { describe, expect, it } from "vitest";
import { newId } from "../../src/lib/ids";

describe("newId", () => {
  it("is the kind's prefix and a lowercase ULID", () => {
    expect(newId("payout")).toMatch(/^pay_[0-9a-hjkmnp-tv-z]{26}$/);
  });

  it("sorts in the order ids were made, with no two alike, across more than one fill of its random bytes", () => {
    const ids = Array.from({ length: 3_000 }, () => newId("payoutStatus"));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it("draws fresh random bytes for each millisecond", async () => {
    const a = newId("request");
    await new Promise((resolve) => setTimeout(resolve, 3));
    const b = newId("request");
    // Characters 10-25 of a ULID are its random part (a new draw when the millisecond changes).
    expect(a.slice(14)).not.toBe(b.slice(14));
  });
});
