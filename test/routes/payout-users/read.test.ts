import type { z } from "@hono/zod-openapi";
import { describe, expect, it } from "vitest";
import type { PayoutUserSchema, PayoutUserTransactionSchema } from "../../../src/routes/payout-users/schemas";
import { expectError, type Seeded, seedBusiness, sqlStats } from "../../harness";

type User = z.infer<typeof PayoutUserSchema>;
type Tx = z.infer<typeof PayoutUserTransactionSchema>;

async function allocate(s: Seeded, email: string, amount: number): Promise<User> {
  const res = await s.call("POST", "/api/v1/payout-users", { json: { email, amount } });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { data: User }).data;
}

describe("GET /api/v1/payout-users/{id}", () => {
  it("returns the user in one round trip", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const user = await allocate(s, "a@example.com", 500);
    const res = await s.call("GET", `/api/v1/payout-users/${user.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: User }).data).toMatchObject({
      id: user.id,
      email: "a@example.com",
      hash: user.hash,
      balance: 500,
    });
    expect((await sqlStats(res)).requests).toBe(1);
  });

  it("answers 404 for an unknown id and for another business's user", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const other = await seedBusiness({ balance: 10_000n });
    const theirs = await allocate(other, "b@example.com", 100);
    await expectError(await s.call("GET", `/api/v1/payout-users/${theirs.id}`), 404, "not_found");
    await expectError(await s.call("GET", "/api/v1/payout-users/pou_nope"), 404, "not_found");
  });

  it("answers 401 without a key and 403 without read:payout_users", async () => {
    const s = await seedBusiness({ scopes: ["write:payout_users"] });
    await expectError(await s.call("GET", "/api/v1/payout-users/pou_x"), 403, "insufficient_scope");
    await expectError(await s.call("GET", "/api/v1/payout-users/pou_x", { headers: { Authorization: "" } }), 401, "unauthorized");
  });
});

describe("GET /api/v1/payout-users", () => {
  it("pages through every user once, in creation order, and filters by email case-insensitively", async () => {
    const s = await seedBusiness({ balance: 100_000n });
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await allocate(s, `u${i}@example.com`, 10)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await s.call("GET", `/api/v1/payout-users?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      const page = (await res.json()) as { data: User[]; meta: { next_cursor: string | null; limit: number } };
      expect(page.meta.limit).toBe(3);
      seen.push(...page.data.map((u) => u.id));
      cursor = page.meta.next_cursor;
    } while (cursor);
    expect(seen).toEqual(made);
    const filtered = (await (await s.call("GET", "/api/v1/payout-users?email=U3@EXAMPLE.com")).json()) as { data: User[] };
    expect(filtered.data.map((u) => u.id)).toEqual([made[3]]);
  });

  it("never shows another business's users", async () => {
    const s = await seedBusiness({ balance: 1_000n });
    const other = await seedBusiness({ balance: 1_000n });
    await allocate(other, "theirs@example.com", 10);
    const page = (await (await s.call("GET", "/api/v1/payout-users")).json()) as { data: User[] };
    expect(page.data).toEqual([]);
  });

  it.each(["limit=0", "limit=201", "limit=abc", "cursor=garbage"])("answers 400 for %s", async (query) => {
    const s = await seedBusiness();
    const res = await s.call("GET", `/api/v1/payout-users?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: Record<string, string[]> } };
    expect(["validation_error", "invalid_cursor"]).toContain(body.error.code);
    expect(Object.keys(body.error.fields)).toEqual([query.split("=")[0]]);
  });
});

describe("GET /api/v1/payout-users/{id}/transactions", () => {
  it("returns the history newest first, paginated without gaps", async () => {
    const s = await seedBusiness({ balance: 100_000n });
    let user!: User;
    for (let i = 1; i <= 5; i++) user = await allocate(s, "h@example.com", i * 100);
    const seen: Tx[] = [];
    let cursor: string | null = null;
    do {
      const res = await s.call("GET", `/api/v1/payout-users/${user.id}/transactions?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { data: Tx[]; meta: { next_cursor: string | null } };
      seen.push(...page.data);
      cursor = page.meta.next_cursor;
    } while (cursor);
    expect(seen.map((t) => t.amount)).toEqual([500, 400, 300, 200, 100]);
    expect(seen.map((t) => t.balance_after)).toEqual([1500, 1000, 600, 300, 100]);
    expect(seen.every((t) => t.type === "allocation" && t.currency === "USD")).toBe(true);
  });

  it("answers 404 for another business's user", async () => {
    const s = await seedBusiness();
    const other = await seedBusiness({ balance: 1_000n });
    const theirs = await allocate(other, "t@example.com", 10);
    await expectError(await s.call("GET", `/api/v1/payout-users/${theirs.id}/transactions`), 404, "not_found");
  });
});
