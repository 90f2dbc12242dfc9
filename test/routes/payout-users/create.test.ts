import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { PayoutUserSchema } from "../../../src/routes/payout-users/schemas";
import { setPayoutsEnabled } from "../../../src/services/businesses";
import { call, expectError, seedBusiness, sqlStats, testDb } from "../../harness";

type User = z.infer<typeof PayoutUserSchema>;
const post = (s: { call: (m: string, p: string, i?: object) => Promise<Response> }, json: unknown, headers?: Record<string, string>) =>
  s.call("POST", "/api/v1/payout-users", { json, headers });

async function balanceOf(s: { call: (m: string, p: string) => Promise<Response> }) {
  const res = await s.call("GET", "/api/v1/balance");
  return ((await res.json()) as { data: { balance: number; allocated_total: number } }).data;
}

describe("POST /api/v1/payout-users", () => {
  it("creates a user with the amount, debits the business, and answers 201", async () => {
    const s = await seedBusiness({ balance: 50_000n });
    const res = await post(s, { email: "Ann@Example.com", amount: 10_000 });
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: User };
    expect(data).toMatchObject({ email: "ann@example.com", balance: 10_000, currency: "USD" });
    expect(data.id).toMatch(/^pou_/);
    expect(data.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(data.created_at).toISOString()).toBe(data.created_at);
    expect(await balanceOf(s)).toEqual(expect.objectContaining({ balance: 40_000, allocated_total: 10_000 }));
  });

  it("tops up an existing user (emails are case-insensitive) and answers 200", async () => {
    const s = await seedBusiness({ balance: 50_000n });
    const first = (await (await post(s, { email: "bob@example.com", amount: 1_000 })).json()) as { data: User };
    const res = await post(s, { email: "BOB@example.COM", amount: 2_500 });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: User };
    expect(data).toMatchObject({ id: first.data.id, hash: first.data.hash, balance: 3_500 });
    expect(await balanceOf(s)).toEqual(expect.objectContaining({ balance: 46_500, allocated_total: 3_500 }));
  });

  it("answers 400 insufficient_balance and changes nothing", async () => {
    const s = await seedBusiness({ balance: 999n });
    await expectError(await post(s, { email: "c@example.com", amount: 1_000 }), 400, "insufficient_balance");
    expect(await balanceOf(s)).toEqual(expect.objectContaining({ balance: 999, allocated_total: 0 }));
    const list = (await (await s.call("GET", "/api/v1/payout-users")).json()) as { data: User[] };
    expect(list.data).toEqual([]);
  });

  it("accepts an amount that uses the balance exactly", async () => {
    const s = await seedBusiness({ balance: 1_000n });
    expect((await post(s, { email: "d@example.com", amount: 1_000 })).status).toBe(201);
    expect((await balanceOf(s)).balance).toBe(0);
  });

  it("answers 403 payouts_disabled when payouts are off, even if switched off after the ledger loaded", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    expect((await post(s, { email: "e@example.com", amount: 100 })).status).toBe(201);
    await setPayoutsEnabled(testDb(), s.business.id, false);
    const err = await expectError(await post(s, { email: "e@example.com", amount: 100 }), 403, "payouts_disabled");
    expect(err.type).toBe("permission_error");
    expect((await balanceOf(s)).balance).toBe(9_900);
    const off = await seedBusiness({ balance: 10_000n, payoutsEnabled: false });
    await expectError(await post(off, { email: "e@example.com", amount: 100 }), 403, "payouts_disabled");
  });

  it.each([
    [{ amount: 100 }, "email", "Required"],
    [{ email: "not-an-email", amount: 100 }, "email", "Must be a valid email address"],
    [{ email: `${"a".repeat(250)}@x.com`, amount: 100 }, "email", "Must be at most 255 characters"],
    [{ email: "f@example.com" }, "amount", "Required"],
    [{ email: "f@example.com", amount: "100" }, "amount", "Must be an integer number of cents"],
    [{ email: "f@example.com", amount: 10.5 }, "amount", "Must be an integer number of cents"],
    [{ email: "f@example.com", amount: 0 }, "amount", "Must be at least 1 cent"],
    [{ email: "f@example.com", amount: 100_000_001 }, "amount", "Must be at most 100000000 cents"],
  ])("answers 400 validation_error for %j", async (body, field, message) => {
    const s = await seedBusiness({ balance: 1_000_000_000n });
    const err = await expectError(await post(s, body), 400, "validation_error");
    expect(err.fields?.[field]).toContain(message);
  });

  it("lists every bad field at once, and refuses unknown fields", async () => {
    const s = await seedBusiness({ balance: 1_000n });
    const err = await expectError(await post(s, { email: "x", amount: -1, balance: 5 }), 400, "validation_error");
    expect(Object.keys(err.fields!).sort()).toEqual(["amount", "balance", "email"]);
  });

  it("answers 401 without a key and 403 without write:payout_users", async () => {
    await expectError(await call("POST", "/api/v1/payout-users", { json: { email: "g@example.com", amount: 1 } }), 401, "unauthorized");
    const s = await seedBusiness({ balance: 1_000n, scopes: ["read:payout_users"] });
    await expectError(await post(s, { email: "g@example.com", amount: 1 }), 403, "insufficient_scope");
  });

  it("costs one SQL round trip, made by the ledger, once the key and the balance are cached", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    await post(s, { email: "h@example.com", amount: 1 }); // caches the key; the ledger loads the balance
    const before = await sqlStats(`ledger:${s.business.id}`);
    const res = await post(s, { email: "h@example.com", amount: 1 });
    expect(res.status).toBe(200);
    expect(await sqlStats(res)).toEqual({ requests: 0, statements: 0 }); // the Worker itself sent nothing
    const after = await sqlStats(`ledger:${s.business.id}`);
    expect(after.requests - before.requests).toBe(1);
  });
});
