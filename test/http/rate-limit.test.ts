import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env";
import { clearAuthCache } from "../../src/http/auth";
import { sha256Hex } from "../../src/lib/digest";
import { leaseSize } from "../../src/ratelimit/leases";
import { defaultLimit } from "../../src/ratelimit/token-bucket";
import { setKeyRateLimit } from "../../src/services/api-key-rate-limits";
import { answeredWithin, call, expectError, injectFault, seedBusiness, sqlStats, testDb } from "../harness";
import { testApp } from "./test-app";

const headersOf = (res: Response) => ({
  limit: res.headers.get("RateLimit-Limit"),
  remaining: res.headers.get("RateLimit-Remaining"),
  reset: res.headers.get("RateLimit-Reset"),
});

/** A fresh documentation address per test, so that tests share no failure window. */
const freshIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${crypto.randomUUID().slice(0, 8)}`;

describe("rate limits per API key", () => {
  it("answers with exact RateLimit headers (default: burst 200) and adds no SQL round trip", async () => {
    const s = await seedBusiness();
    const first = await s.call("GET", "/api/v1/balance");
    expect(first.status).toBe(200);
    expect(headersOf(first)).toEqual({ limit: "200", remaining: "199", reset: "1" });
    const second = await s.call("GET", "/api/v1/balance");
    // 100 tokens a second: the time between the two requests may have refilled the first one.
    expect(["198", "199"]).toContain(headersOf(second).remaining);
    expect(await sqlStats(second)).toMatchObject({ requests: 1 });
  });

  it("refuses over a key's own limit with 429 rate_limited, Retry-After and the headers", async () => {
    const s = await seedBusiness({ rateLimit: { rate: 1, burst: 3 } });
    for (let i = 0; i < 3; i++) {
      const res = await s.call("GET", "/api/v1/balance");
      expect(res.status).toBe(200);
      expect(headersOf(res)).toMatchObject({ limit: "3", remaining: String(2 - i) });
    }
    const refused = await s.call("GET", "/api/v1/balance");
    const err = await expectError(refused, 429, "rate_limited");
    expect(err.type).toBe("rate_limit_error");
    expect(refused.headers.get("Retry-After")).toBe("1");
    expect(headersOf(refused)).toEqual({ limit: "3", remaining: "0", reset: "3" });
    // A refused request reaches no handler and no database.
    expect(await sqlStats(refused)).toMatchObject({ requests: 0 });
  });

  it("limits writes as well, before the body is looked at, and refills at the key's rate", async () => {
    const s = await seedBusiness({ rateLimit: { rate: 1, burst: 1 } });
    // Sent together, so no refill can come between them on a slow machine: exactly one is refused.
    const answers = await Promise.all([
      s.call("POST", "/api/v1/payees", { json: { name: "A", type: "affiliate" } }),
      s.call("POST", "/api/v1/payees", { json: { bogus: true } }),
    ]);
    expect(answers.map((r) => r.status).filter((x) => x === 429)).toEqual([429]);
    expect(answers.map((r) => r.status).filter((x) => x !== 429)[0]).toBeOneOf([201, 400]);
    await new Promise((r) => setTimeout(r, 1_100));
    await expectError(await s.call("POST", "/api/v1/payees", { json: { bogus: true } }), 400, "validation_error");
  });

  it("carries the headers on error answers after the limiter (404, 403)", async () => {
    const s = await seedBusiness({ scopes: ["read:payees"] });
    const missing = await s.call("GET", "/api/v1/payees/pye_01jd5m3k6v2q8r9t0w1x2y3z4a");
    await expectError(missing, 404, "not_found");
    expect(headersOf(missing)).toMatchObject({ limit: "200", remaining: "199" });
    const forbidden = await s.call("GET", "/api/v1/balance");
    await expectError(forbidden, 403, "insufficient_scope");
    expect(Number(headersOf(forbidden).remaining)).toBeLessThan(200);
  });

  it("applies a changed limit once the cached key lookup is refreshed", async () => {
    const s = await seedBusiness();
    expect(headersOf(await s.call("GET", "/api/v1/balance")).limit).toBe("200");
    await setKeyRateLimit(testDb(), s.key.id, { rate: 500, burst: 1000 });
    clearAuthCache();
    expect(headersOf(await s.call("GET", "/api/v1/balance")).limit).toBe("1000");
  });

  it("under 230 concurrent requests, the burst passes and the rest is refused (plus what the rate refilled meanwhile)", async () => {
    const s = await seedBusiness({ rateLimit: { rate: 1, burst: 200 } });
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 230 }, () => s.call("GET", "/api/v1/balance")));
    const refilled = Math.ceil((Date.now() - started) / 1000);
    const ok = answers.filter((r) => r.status === 200).length;
    const refused = answers.filter((r) => r.status === 429).length;
    expect(ok + refused).toBe(230);
    expect(ok).toBeGreaterThanOrEqual(200);
    expect(ok).toBeLessThanOrEqual(200 + refilled);
  });
});

describe("rate limits per payout user hash", () => {
  it("limits the hash route per hash, apart from the business's key", async () => {
    const s = await seedBusiness({ balance: 1_000n });
    const user = (
      (await (await s.call("POST", "/api/v1/payout-users", { json: { email: "h@example.com", amount: 5 } })).json()) as {
        data: { hash: string };
      }
    ).data;
    const headers = { Authorization: `Bearer ${user.hash}` };
    const ok = await call("GET", "/api/v1/payout-user", { headers });
    expect(ok.status).toBe(200);
    expect(headersOf(ok)).toMatchObject({ limit: "200", remaining: "199" });
    // Drain the hash's bucket straight through its object, with far more takes than the refill
    // can cover on a busy machine; the requests queue behind them. This isolate may still hold a
    // lease of the bucket's tokens from the first request (src/ratelimit/leases.ts): those few pass.
    const ns = (env as unknown as Env).RATE_LIMITER!;
    const stub = ns.get(ns.idFromName(`hash:${await sha256Hex(user.hash)}`));
    const drain = Promise.all(Array.from({ length: 1500 }, () => stub.take(defaultLimit)));
    const answers = await Promise.all(
      Array.from({ length: leaseSize(defaultLimit) + 3 }, () => call("GET", "/api/v1/payout-user", { headers })),
    );
    await drain;
    // More requests than a lease holds: at least one reaches the drained object and is refused.
    const refused = answers.find((r) => r.status !== 200);
    expect(refused).toBeDefined();
    if (!refused) return;
    await expectError(refused, 429, "rate_limited");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    // The business's key has its own bucket.
    expect((await s.call("GET", "/api/v1/balance")).status).toBe(200);
  });
});

describe("failed authentications per client IP", () => {
  it("answers 20 failures with 401, then 429 to anything it presents until the window passes", async () => {
    const ip = freshIp();
    const bad = { Authorization: "Bearer dsb_sk_guess", "CF-Connecting-IP": ip };
    for (let i = 0; i < 20; i++) {
      const res = await call("GET", "/api/v1/balance", { headers: bad });
      await expectError(res, 401, "unauthorized");
      expect(headersOf(res)).toMatchObject({ limit: "20", remaining: String(19 - i) });
    }
    const blocked = await call("GET", "/api/v1/balance", { headers: bad });
    await expectError(blocked, 429, "rate_limited");
    expect(blocked.headers.get("WWW-Authenticate")).toBeNull();
    const retryAfter = Number(blocked.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // A real key that this isolate has not cached is refused too: a blocked guesser learns nothing.
    const s = await seedBusiness();
    await expectError(
      await call("GET", "/api/v1/balance", { headers: { Authorization: s.auth, "CF-Connecting-IP": ip } }),
      429,
      "rate_limited",
    );
    // So is a payout user hash, and a revoked-looking Basic credential.
    await expectError(
      await call("GET", "/api/v1/payout-user", { headers: { Authorization: `Bearer ${"a".repeat(64)}`, "CF-Connecting-IP": ip } }),
      429,
      "rate_limited",
    );
    // No credentials guess nothing: still the plain 401. Another address is not affected.
    await expectError(await call("GET", "/api/v1/balance", { headers: { "CF-Connecting-IP": ip } }), 401, "unauthorized");
    await expectError(await call("GET", "/api/v1/balance", { headers: { ...bad, "CF-Connecting-IP": freshIp() } }), 401, "unauthorized");
  });

  it("a lookup still running when its request was refused answers the requests that share it", async () => {
    // A blocked client's request is refused as soon as the limiter says so, while the key lookup it
    // started (and shared with every request presenting the same key) may still be running. That
    // lookup must finish anyway: left to its refused request, it was cancelled, and every later
    // request with that key in this isolate waited on it until the cache entry expired.
    const ip = freshIp();
    for (let i = 0; i < 20; i++) {
      await expectError(
        await call("GET", "/api/v1/balance", { headers: { Authorization: "Bearer dsb_sk_guess", "CF-Connecting-IP": ip } }),
        401,
        "unauthorized",
      );
    }
    const secret = `dsb_sk_slow${crypto.randomUUID().replaceAll("-", "")}`;
    await injectFault({ count: 1, match: await sha256Hex(secret), phase: "slow", delayMs: 3_000 });

    const refused = await call("GET", "/api/v1/balance", { headers: { Authorization: `Bearer ${secret}`, "CF-Connecting-IP": ip } });
    await expectError(refused, 429, "rate_limited");
    const next = call("GET", "/api/v1/balance", { headers: { Authorization: `Bearer ${secret}`, "CF-Connecting-IP": freshIp() } });
    const answer = await answeredWithin(next, 10_000);
    expect(answer, "the second request waited 10 s on a lookup that takes 3 s").not.toBe("still waiting");
    await expectError(answer as Response, 401, "unauthorized");
  });

  it("counts wrong payout user hashes the same way", async () => {
    const ip = freshIp();
    const headers = { Authorization: `Bearer ${"0".repeat(64)}`, "CF-Connecting-IP": ip };
    for (let i = 0; i < 20; i++) await expectError(await call("GET", "/api/v1/payout-user", { headers }), 401, "unauthorized");
    await expectError(await call("GET", "/api/v1/payout-user", { headers }), 429, "rate_limited");
  });
});

describe("a limiter that cannot answer", () => {
  it("lets the request through, without headers, and logs it", async () => {
    const s = await seedBusiness();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const warns = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const broken = {
        ...(env as unknown as Env),
        RATE_LIMITER: {
          idFromName: () => {
            throw new Error("limiter unreachable");
          },
        },
      } as unknown as Env;
      const res = await testApp("GET", "/t/whoami", { headers: { Authorization: s.auth } }, broken);
      expect(res.status).toBe(200);
      expect(res.headers.get("RateLimit-Limit")).toBeNull();
      expect(errors).toHaveBeenCalledWith(expect.stringContaining("did not answer; request let through: Error: limiter unreachable"));

      const unbound = { ...(env as unknown as Env), RATE_LIMITER: undefined } as unknown as Env;
      expect((await testApp("GET", "/t/whoami", { headers: { Authorization: s.auth } }, unbound)).status).toBe(200);
      expect(warns).toHaveBeenCalledWith(expect.stringContaining("no RATE_LIMITER binding"));
    } finally {
      errors.mockRestore();
      warns.mockRestore();
    }
  });
});
