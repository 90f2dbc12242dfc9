import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { BalanceSchema } from "../../../src/routes/balance/schemas";
import { expectError, injectFault, seedBusiness, sqlStats } from "../../harness";

type Balance = z.infer<typeof BalanceSchema>;

describe("GET /api/v1/balance", () => {
  it("returns balance, currency, payouts flag and the allocated total in one round trip", async () => {
    const s = await seedBusiness({ balance: 5_000n, currency: "EUR" });
    await s.call("POST", "/api/v1/payout-users", { json: { email: "a@example.com", amount: 1_200 } });
    const res = await s.call("GET", "/api/v1/balance");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: Balance }).data).toEqual({
      balance: 3_800,
      currency: "EUR",
      payouts_enabled: true,
      allocated_total: 1_200,
    });
    expect((await sqlStats(res)).requests).toBe(1);
  });

  it("answers 401 without a key and 403 without read:balance", async () => {
    const s = await seedBusiness({ scopes: ["read:payout_users"] });
    await expectError(await s.call("GET", "/api/v1/balance"), 403, "insufficient_scope");
    await expectError(await s.call("GET", "/api/v1/balance", { headers: { Authorization: "Bearer nope" } }), 401, "unauthorized");
  });
});

describe("POST /api/v1/balance/fund", () => {
  it("adds funds through the ledger, which then allocates them at once", async () => {
    const s = await seedBusiness({ balance: 100n });
    await expectError(
      await s.call("POST", "/api/v1/payout-users", { json: { email: "a@example.com", amount: 500 } }),
      400,
      "insufficient_balance",
    );
    const res = await s.call("POST", "/api/v1/balance/fund", { json: { amount: 1_000 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { balance: 1_100, currency: "USD" } });
    expect((await s.call("POST", "/api/v1/payout-users", { json: { email: "a@example.com", amount: 500 } })).status).toBe(201);
  });

  it("replays a retry with the same Idempotency-Key instead of funding twice", async () => {
    const s = await seedBusiness({ balance: 0n });
    const headers = { "Idempotency-Key": "fund-1" };
    const first = await s.call("POST", "/api/v1/balance/fund", { json: { amount: 250 }, headers });
    const again = await s.call("POST", "/api/v1/balance/fund", { json: { amount: 250 }, headers });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    const bal = (await (await s.call("GET", "/api/v1/balance")).json()) as { data: Balance };
    expect(bal.data.balance).toBe(250);
    await expectError(await s.call("POST", "/api/v1/balance/fund", { json: { amount: 251 }, headers }), 422, "idempotency_key_reused");
  });

  it("credits once when the credit committed but its answer was lost, and the retry replays", async () => {
    const s = await seedBusiness({ balance: 0n });
    await injectFault({ count: 1, tag: `ledger:${s.business.id}`, match: "payout_balance \\+", phase: "after" });
    const headers = { "Idempotency-Key": "fund-lost" };
    await expectError(await s.call("POST", "/api/v1/balance/fund", { json: { amount: 700 }, headers }), 503, "service_unavailable");
    const retry = await s.call("POST", "/api/v1/balance/fund", { json: { amount: 700 }, headers });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await retry.json()).toEqual({ data: { balance: 700, currency: "USD" } });
    const bal = (await (await s.call("GET", "/api/v1/balance")).json()) as { data: Balance };
    expect(bal.data.balance).toBe(700);
  });

  it("never answers 500 to concurrent requests sharing one key: one runs, the others replay or wait", async () => {
    const s = await seedBusiness({ balance: 0n });
    const headers = { "Idempotency-Key": "fund-race" };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => s.call("POST", "/api/v1/balance/fund", { json: { amount: 5 }, headers })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((st) => st === 200 || st === 409)).toBe(true);
    const bal = (await (await s.call("GET", "/api/v1/balance")).json()) as { data: Balance };
    expect(bal.data.balance).toBe(5);
  });

  it.each([[{}], [{ amount: 0 }], [{ amount: 1.5 }], [{ amount: "5" }], [{ amount: 5, extra: true }]])(
    "answers 400 validation_error for %j",
    async (body) => {
      const s = await seedBusiness();
      await expectError(await s.call("POST", "/api/v1/balance/fund", { json: body }), 400, "validation_error");
    },
  );

  it("is an admin scope: 403 without write:balance", async () => {
    const s = await seedBusiness({ scopes: ["read:balance", "write:payout_users"] });
    await expectError(await s.call("POST", "/api/v1/balance/fund", { json: { amount: 1 } }), 403, "insufficient_scope");
  });
});
