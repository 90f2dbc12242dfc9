// Payouts share the BalanceLedger's queue and group commit with allocations: under any interleaving
// nothing is overdrawn, the books balance, and exactly the accepted payouts exist.
import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../src/env";
import { type Seeded, seedBusiness, testDb } from "../../harness";
import { allocate, books, initiate, sepaInitiation, uniqueRefId } from "./helpers";

// Hundreds of requests at once on one key: above the default rate limit, which is not what this tests.
const manyAtOnce = { rate: 10_000, burst: 10_000 };

type Answer = {
  status: number;
  body: { payout?: { id: string; initiation: { refId: string } }; data?: { id: string }; error?: { code: string } };
};

async function pay(s: Seeded, initiation: Record<string, unknown>, headers?: Record<string, string>): Promise<Answer> {
  const res = await initiate(s, initiation, headers);
  return { status: res.status, body: await res.json() };
}

async function topUp(s: Seeded, email: string, amount: number): Promise<Answer> {
  const res = await s.call("POST", "/api/v1/payout-users", { json: { email, amount } });
  return { status: res.status, body: await res.json() };
}

async function payoutIds(businessId: string): Promise<string[]> {
  const { rows } = await testDb().execute<{ id: string }>(sql`SELECT id FROM payouts WHERE business_id = ${businessId} ORDER BY id`);
  return rows.map((r) => r.id);
}

async function injectFaults(fault: { count: number; tag: string; match: string; phase?: "before" | "after" }) {
  const origin = new URL((env as unknown as Env).SQL_ENDPOINT!).origin;
  const res = await fetch(`${origin}/__faults`, { method: "POST", body: JSON.stringify(fault) });
  expect(res.status).toBe(200);
}

const dollar = { value: "1.00", currency: "USD" };

describe("payouts under concurrency", () => {
  it("500 concurrent payouts mixed with 100 allocations against a balance covering exactly N: no overdraw, the books balance", async () => {
    const n = 211;
    const s = await seedBusiness({ balance: BigInt(n * 100), rateLimit: manyAtOnce });
    const work: Promise<[string, Answer]>[] = [];
    for (let i = 0; i < 600; i++) {
      work.push(
        i % 6 === 5
          ? topUp(s, `u${i % 13}@example.com`, 100).then((a) => ["allocation", a])
          : pay(s, sepaInitiation({ refId: `c${i}`, amount: dollar })).then((a) => ["payout", a]),
      );
    }
    const answers = await Promise.all(work);
    const ok = answers.filter(([, a]) => a.status === 200 || a.status === 201);
    const refused = answers.filter(([, a]) => a.status === 400 && a.body.error?.code === "insufficient_balance");
    expect(ok.length).toBe(n);
    expect(refused.length).toBe(600 - n);
    const paid = ok.filter(([kind]) => kind === "payout").map(([, a]) => a.body.payout!.id);
    const allocated = ok.length - paid.length;
    expect(paid.length).toBeGreaterThan(0);
    expect(allocated).toBeGreaterThan(0);
    const b = await books(s.business.id);
    expect(b).toMatchObject({ balance: b.reversed, users: allocated * 100, payouts: paid.length });
    expect(b.held + b.reversed).toBe(paid.length * 100);
    expect(b.balance + b.users + b.held).toBe(n * 100);
    expect(await payoutIds(s.business.id)).toEqual(paid.sort());
  }, 480_000);
});
