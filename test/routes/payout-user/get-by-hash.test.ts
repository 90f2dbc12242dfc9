import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { PayoutUserSchema } from "../../../src/routes/payout-users/schemas";
import { call, expectError, seedBusiness } from "../../harness";

type User = z.infer<typeof PayoutUserSchema>;

describe("GET /api/v1/payout-user (hash-based access)", () => {
  it("returns that user's balance and history, and nothing of anyone else", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const ann = (
      (await (await s.call("POST", "/api/v1/payout-users", { json: { email: "ann@example.com", amount: 300 } })).json()) as { data: User }
    ).data;
    await s.call("POST", "/api/v1/payout-users", { json: { email: "ann@example.com", amount: 200 } });
    await s.call("POST", "/api/v1/payout-users", { json: { email: "bob@example.com", amount: 999 } });

    const res = await call("GET", "/api/v1/payout-user", { headers: { Authorization: `Bearer ${ann.hash}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: string; email: string; balance: number; transactions: { amount: number }[] } };
    expect(body.data).toMatchObject({ id: ann.id, email: "ann@example.com", balance: 500, currency: "USD" });
    expect(body.data.transactions.map((t) => t.amount)).toEqual([200, 300]);
  });

  it("answers 401 for a wrong, malformed or missing hash", async () => {
    await expectError(
      await call("GET", "/api/v1/payout-user", { headers: { Authorization: `Bearer ${"0".repeat(64)}` } }),
      401,
      "unauthorized",
    );
    await expectError(await call("GET", "/api/v1/payout-user", { headers: { Authorization: "Bearer short" } }), 401, "unauthorized");
    await expectError(await call("GET", "/api/v1/payout-user"), 401, "unauthorized");
  });

  it("opens no other route: a hash is not an API key", async () => {
    const s = await seedBusiness({ balance: 1_000n });
    const user = (
      (await (await s.call("POST", "/api/v1/payout-users", { json: { email: "c@example.com", amount: 1 } })).json()) as { data: User }
    ).data;
    const headers = { Authorization: `Bearer ${user.hash}` };
    await expectError(await call("GET", `/api/v1/payout-users/${user.id}`, { headers }), 401, "unauthorized");
    await expectError(await call("GET", "/api/v1/balance", { headers }), 401, "unauthorized");
  });

  it("does not accept an API key in place of a hash", async () => {
    const s = await seedBusiness();
    await expectError(await call("GET", "/api/v1/payout-user", { headers: { Authorization: s.auth } }), 401, "unauthorized");
  });
});
