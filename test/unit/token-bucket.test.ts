import { describe, expect, it } from "vitest";
import { authFailureLimit, defaultLimit, failures, newBucket, take } from "../../src/ratelimit/token-bucket";

describe("token bucket", () => {
  it("allows the burst at once, then refuses with an exact Retry-After and Reset", () => {
    const b = newBucket(defaultLimit, 0);
    for (let i = 0; i < 200; i++) {
      const d = take(b, defaultLimit, 0);
      expect(d).toMatchObject({ allowed: true, limit: 200, remaining: 199 - i });
    }
    const refused = take(b, defaultLimit, 0);
    expect(refused).toEqual({ allowed: false, limit: 200, remaining: 0, reset: 2, retryAfter: 1 });
  });

  it("refills at the sustained rate and never above the burst", () => {
    const limit = { rate: 10, burst: 20 };
    const b = newBucket(limit, 0);
    for (let i = 0; i < 20; i++) take(b, limit, 0);
    expect(take(b, limit, 50).allowed).toBe(false); // half a token
    expect(take(b, limit, 100)).toMatchObject({ allowed: true, remaining: 0 });
    expect(take(b, limit, 60_000)).toMatchObject({ allowed: true, remaining: 19, reset: 1 });
  });

  it("sustains exactly the rate: 10/s over 10 s allows burst + 100", () => {
    const limit = { rate: 10, burst: 5 };
    const b = newBucket(limit, 0);
    let allowed = 0;
    for (let t = 0; t <= 10_000; t += 10) if (take(b, limit, t).allowed) allowed++;
    expect(allowed).toBe(105);
  });

  it("caps a bucket at a lowered burst and ignores a clock that steps back", () => {
    const b = newBucket({ rate: 100, burst: 200 }, 1_000);
    expect(take(b, { rate: 1, burst: 3 }, 1_000)).toMatchObject({ allowed: true, limit: 3, remaining: 2 });
    expect(take(b, { rate: 1, burst: 3 }, 500)).toMatchObject({ allowed: true, remaining: 1 });
  });
});

describe("failed authentications per client", () => {
  it("answers 20 failures, blocks from the 21st until the window passes", () => {
    const w = { start: 0, count: 0 };
    for (let i = 0; i < authFailureLimit.max; i++) {
      expect(failures(w, authFailureLimit, i * 100, true)).toMatchObject({ allowed: true, remaining: 19 - i });
    }
    expect(failures(w, authFailureLimit, 5_000, false)).toEqual({ allowed: false, limit: 20, remaining: 0, reset: 55, retryAfter: 55 });
    expect(failures(w, authFailureLimit, 59_999, true)).toMatchObject({ allowed: false, retryAfter: 1 });
    expect(failures(w, authFailureLimit, 60_000, false)).toMatchObject({ allowed: true, remaining: 20 });
  });
});
