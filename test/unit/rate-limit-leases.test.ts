import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Leases, leaseSize } from "../../src/ratelimit/leases";
import {
  type BucketState,
  type Decision,
  defaultLimit,
  type Lease,
  type Limit,
  leaseMs,
  newBucket,
  take,
} from "../../src/ratelimit/token-bucket";

/**
 * The RateLimiter object as the leases see it: one bucket, deciding on a clock the test moves,
 * with the limit each request brings; its answers arrive asynchronously (as an RPC's do), or,
 * while `hold()` is on, only when the test calls `deliver()`. `calls` counts the hops the leases
 * did not save.
 */
function world(limit: Limit) {
  let now = 0;
  let leaseNo = 0;
  let held: (() => void)[] | undefined;
  const bucket: BucketState = newBucket(limit, now);
  const object = {
    calls: 0,
    ask: async (asked: Limit, want: number, giveBack: Lease[]): Promise<Decision> => {
      object.calls++;
      await Promise.resolve();
      const decision = take(bucket, asked, now, { want, giveBack, id: `lease-${++leaseNo}` });
      if (held) await new Promise<void>((resolve) => held?.push(resolve));
      return decision;
    },
  };
  return {
    object,
    isolate: () => new Leases(() => now),
    bucket,
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
    hold: () => {
      held = [];
    },
    deliver: () => {
      for (const resolve of held ?? []) resolve();
      held = undefined;
    },
  };
}

const request = (isolate: Leases, w: ReturnType<typeof world>, limit: Limit) =>
  isolate.take("key:k", limit, (want, giveBack) => w.object.ask(limit, want, giveBack));

/** Requests from `isolates` in turn, all at once: how many were allowed. */
const burstFrom = async (w: ReturnType<typeof world>, isolates: Leases[], count: number, limit = defaultLimit) =>
  (await Promise.all(Array.from({ length: count }, (_, i) => request(isolates[i % isolates.length] as Leases, w, limit)))).filter(
    (d) => d?.allowed,
  ).length;

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

  it("once a lease has ended and the bucket refilled, the whole burst passes again", async () => {
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

  it("a call that never settles (its request cancelled) stops blocking leases after a lease's life", async () => {
    let now = 0;
    const isolate = new Leases(() => now);
    const bucket = newBucket(defaultLimit, 0);
    const wants: number[] = [];
    const never = isolate.take("key:k", defaultLimit, (want) => {
      wants.push(want);
      return new Promise<Decision>(() => {});
    });
    const ask = async (want: number, giveBack: Lease[]) => {
      wants.push(want);
      return take(bucket, defaultLimit, now, { want, giveBack, id: `lease-${wants.length}` });
    };
    await isolate.take("key:k", defaultLimit, ask); // asks without a lease while the first call is out
    now += leaseMs;
    await isolate.take("key:k", defaultLimit, ask);
    expect(wants).toEqual([leaseSize(defaultLimit), 0, leaseSize(defaultLimit)]);
    void never;
  });

  it("a slow key (under 10 a second) gets no lease: every request asks the object", async () => {
    const w = world({ rate: 5, burst: 20 });
    const isolate = w.isolate();
    for (let i = 0; i < 5; i++) await request(isolate, w, { rate: 5, burst: 20 });
    expect(w.object.calls).toBe(5);
  });

  it("an isolate's give-back comes off its own lease, not another isolate's (two isolates leasing half a second apart)", async () => {
    const w = world(defaultLimit);
    const [a, b] = [w.isolate(), w.isolate()] as [Leases, Leases];
    await request(a, w, defaultLimit);
    w.advance(leaseMs / 2);
    await request(b, w, defaultLimit);
    w.advance(leaseMs / 2); // a's lease has expired and goes back with its next call; b's is live
    expect(await burstFrom(w, [a, b], 400)).toBeLessThanOrEqual(defaultLimit.burst);
    const ten = world(defaultLimit);
    const isolates = Array.from({ length: 10 }, () => ten.isolate());
    for (const i of isolates.slice(0, 5)) await request(i, ten, defaultLimit);
    ten.advance(leaseMs / 2);
    for (const i of isolates.slice(5)) await request(i, ten, defaultLimit);
    ten.advance(leaseMs / 2);
    expect(await burstFrom(ten, isolates, 400)).toBeLessThanOrEqual(defaultLimit.burst);
  });

  it("a renewed lease does not stretch the old one's expiry", async () => {
    const w = world(defaultLimit);
    const isolate = w.isolate();
    await request(isolate, w, defaultLimit);
    w.advance(900);
    for (let i = 0; i < leaseSize(defaultLimit); i++) await request(isolate, w, defaultLimit); // spends, then renews
    w.advance(100);
    expect(await burstFrom(w, [isolate], 400)).toBeLessThanOrEqual(defaultLimit.burst);
  });

  it("a lease expires counted from when it was asked for, even when the answer arrives late", async () => {
    const w = world(defaultLimit);
    const isolate = w.isolate();
    w.hold();
    const first = request(isolate, w, defaultLimit);
    await Promise.resolve();
    w.advance(leaseMs / 2);
    w.deliver();
    expect(await first).toMatchObject({ allowed: true });
    w.advance(leaseMs / 2); // the object stopped counting the lease now: so must the isolate
    const calls = w.object.calls;
    await request(isolate, w, defaultLimit);
    expect(w.object.calls).toBe(calls + 1);
    expect(await burstFrom(w, [isolate], 400)).toBeLessThanOrEqual(defaultLimit.burst);
  });

  it("refill earned while leases could be spent does not land on top of their spent tokens", async () => {
    for (const [limit, count] of [
      [defaultLimit, 1],
      [defaultLimit, 10],
      [{ rate: 320, burst: 1000 }, 16],
    ] as const) {
      const w = world(limit);
      const isolates = Array.from({ length: count }, () => w.isolate());
      for (const i of isolates) await request(i, w, limit); // leases until the bucket is half full
      w.advance(leaseMs - 2); // no call reaches the object meanwhile
      let allowed = 0;
      for (const i of isolates) for (let k = 0; k < (leaseSize(limit) * 3) / 4; k++) if ((await request(i, w, limit))?.allowed) allowed++;
      w.advance(2); // the leases end; the object has not been called since they were given
      allowed += await burstFrom(w, isolates, limit.burst + 50, limit);
      expect(allowed).toBeLessThanOrEqual(limit.burst + limit.rate * 0.002);
    }
  });

  it("never lets through more than the burst plus the rate over any stretch of time (property)", async () => {
    const limits = [defaultLimit, { rate: 50, burst: 60 }, { rate: 1000, burst: 100 }, { rate: 320, burst: 1000 }];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...limits),
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.record({
            // Mostly short gaps, sometimes almost a lease's life, so leases end between calls.
            gap: fc.oneof(fc.nat({ max: 600 }), fc.integer({ min: leaseMs - 10, max: leaseMs + 10 })),
            count: fc.integer({ min: 1, max: 80 }),
            // Which isolate serves each request of the step, in turn.
            pattern: fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 8 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (limit, isolates, steps) => {
          const w = world(limit);
          const all = Array.from({ length: isolates }, () => w.isolate());
          const allowedAt: number[] = [];
          for (const step of steps) {
            w.advance(step.gap);
            const answers = await Promise.all(
              Array.from({ length: step.count }, (_, k) =>
                request(all[(step.pattern[k % step.pattern.length] ?? 0) % isolates] as Leases, w, limit),
              ),
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
