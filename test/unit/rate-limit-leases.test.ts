import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Leases, leaseSize } from "../../src/ratelimit/leases";
import { type BucketState, type Decision, defaultLimit, type Limit, leaseMs, newBucket, take } from "../../src/ratelimit/token-bucket";

/**
 * The RateLimiter object as the leases see it: one bucket, answered asynchronously (as an RPC
 * is), on a clock the test moves, with the limit each request brings. `calls` counts the hops the leases did not save.
 */
function world(limit: Limit) {
  let now = 0;
  const bucket: BucketState = newBucket(limit, now);
  const object = {
    calls: 0,
    ask: async (asked: Limit, want: number, giveBack: number): Promise<Decision> => {
      object.calls++;
      await Promise.resolve();
      return take(bucket, asked, now, { want, giveBack });
    },
  };
  const isolate = () => new Leases(() => now);
  return {
    object,
    isolate,
    bucket,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}

const request = (isolate: Leases, w: ReturnType<typeof world>, limit: Limit) =>
  isolate.take("key:k", limit, (want, giveBack) => w.object.ask(limit, want, giveBack));

describe("leased rate-limit tokens", () => {
  it("one request at a time: the same decisions and headers as asking the bucket every time, in far fewer hops", async () => {
    const w = world(defaultLimit);
    const leased = w.isolate();
    const plain = newBucket(defaultLimit, 0);
    for (let i = 0; i < 260; i++) {
      const expected = take(plain, defaultLimit, 0);
      const got = await request(leased, w, defaultLimit);
      expect({ ...got, leased: undefined }).toEqual({ ...expected, leased: undefined });
    }
    // Leases while the bucket is at least half full (about 1 hop in 11), then a hop per request.
    expect(w.object.calls).toBeLessThan(200);
  });

  it("300 requests at once from one isolate, or from two: exactly the burst passes", async () => {
    for (const isolates of [1, 2]) {
      const w = world(defaultLimit);
      const all = Array.from({ length: isolates }, () => w.isolate());
      const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => request(all[i % isolates] as Leases, w, defaultLimit)));
      expect(answers.filter((d) => d?.allowed).length).toBe(200);
      // The tokens leased while the requests were on their way went to requests the object refused.
      expect(answers.filter((d) => d && !d.allowed).every((d) => (d?.retryAfter ?? 0) >= 1)).toBe(true);
    }
  });

  it("loses nothing: an expired lease's tokens go back, and a full bucket passes the whole burst again", async () => {
    const w = world(defaultLimit);
    const isolate = w.isolate();
    expect(await request(isolate, w, defaultLimit)).toMatchObject({ allowed: true, remaining: 199 });
    expect(w.bucket.tokens).toBe(199 - leaseSize(defaultLimit));
    w.advance(leaseMs * 3);
    const burst = await Promise.all(Array.from({ length: 250 }, () => request(isolate, w, defaultLimit)));
    expect(burst.filter((d) => d?.allowed).length).toBe(200);
  });

  it("gives back a lease when the key's limit changes, and then decides by the new limit alone", async () => {
    const w = world(defaultLimit);
    const isolate = w.isolate();
    await request(isolate, w, defaultLimit);
    const lowered = { rate: 1, burst: 3 };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await request(isolate, w, lowered));
    expect(answers.map((d) => [d?.allowed, d?.limit, d?.remaining])).toEqual([
      [true, 3, 2],
      [true, 3, 1],
      [true, 3, 0],
      [false, 3, 0],
    ]);
    expect(leaseSize(lowered)).toBe(0);
  });

  it("a slow key (under 10 a second) gets no lease: every request asks the object", async () => {
    const w = world({ rate: 5, burst: 20 });
    const isolate = w.isolate();
    for (let i = 0; i < 5; i++) await request(isolate, w, { rate: 5, burst: 20 });
    expect(w.object.calls).toBe(5);
  });

  it("never lets through more than the burst plus the rate over any stretch of time (property)", async () => {
    const limits = [defaultLimit, { rate: 50, burst: 60 }, { rate: 1000, burst: 100 }, { rate: 320, burst: 1000 }];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...limits),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.record({ gap: fc.nat({ max: 400 }), count: fc.integer({ min: 1, max: 80 }), isolate: fc.nat() }), {
          minLength: 1,
          maxLength: 40,
        }),
        async (limit, isolates, steps) => {
          const w = world(limit);
          const all = Array.from({ length: isolates }, () => w.isolate());
          const allowedAt: number[] = [];
          for (const step of steps) {
            w.advance(step.gap);
            const answers = await Promise.all(
              Array.from({ length: step.count }, () => request(all[step.isolate % isolates] as Leases, w, limit)),
            );
            for (const d of answers) {
              if (d?.allowed) {
                allowedAt.push(w.now());
                expect(d.remaining).toBeGreaterThanOrEqual(0);
                expect(d.remaining).toBeLessThan(limit.burst);
              }
            }
          }
          // Every stretch from allowed request i to a later one j: j - i + 1 <= burst + rate x (t_j - t_i),
          // that is (j + 1 - rate t_j) + max over i <= j of (rate t_i - i) <= burst, in one pass.
          let best = Number.NEGATIVE_INFINITY;
          allowedAt.forEach((t, j) => {
            best = Math.max(best, (limit.rate * t) / 1000 - j);
            expect(j + 1 - (limit.rate * t) / 1000 + best).toBeLessThanOrEqual(limit.burst + 1e-6);
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
