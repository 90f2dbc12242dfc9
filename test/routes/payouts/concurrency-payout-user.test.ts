// Payouts out of one payout user's balance racing that user's top-ups (its own file: every payout also
// runs through the lifecycle in the background, and one heavy test per runtime keeps the others fast).
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

describe("payouts from a payout user under concurrency", () => {
  it("payouts from one payout user's balance racing that user's top-ups: no overdraw, the books balance", async () => {
    const funded = 10_000;
    const s = await seedBusiness({ balance: BigInt(funded), rateLimit: manyAtOnce });
    const userId = await allocate(s, "racer@example.com", 1_000);
    const work: Promise<[string, Answer]>[] = [];
    for (let i = 0; i < 150; i++) {
      work.push(
        i % 3 === 0
          ? topUp(s, "racer@example.com", 100).then((a) => ["allocation", a])
          : pay(s, sepaInitiation({ refId: `r${i}`, payoutUserId: userId, amount: dollar })).then((a) => ["payout", a]),
      );
    }
    const answers = await Promise.all(work);
    expect(
      answers.every(([, a]) => a.status === 200 || a.status === 201 || (a.status === 400 && a.body.error?.code === "insufficient_balance")),
    ).toBe(true);
    const toppedUp = answers.filter(([k, a]) => k === "allocation" && a.status < 300).length;
    const paid = answers.filter(([k, a]) => k === "payout" && a.status === 200).map(([, a]) => a.body.payout!.id);
    expect(toppedUp).toBe(50); // the business balance covers every top-up
    // Whatever the interleaving, at least the first 1,000 cents could be paid out.
    expect(paid.length).toBeGreaterThanOrEqual(10);
    const b = await books(s.business.id);
    expect(b.balance).toBe(funded - 1_000 - toppedUp * 100);
    expect(b.users).toBe(1_000 + toppedUp * 100 - b.held);
    expect(b.users).toBeGreaterThanOrEqual(0);
    expect(b.held + b.reversed).toBe(paid.length * 100);
    expect(b.userDebits).toBe(-paid.length * 100);
    expect(b.balance + b.users + b.held).toBe(funded);
    expect(await payoutIds(s.business.id)).toEqual(paid.sort());
    // The user's history adds up to its balance, each row carrying the balance it left.
    const { rows } = await testDb().execute<{ total: string; last: string; balance: string }>(sql`
      SELECT (SELECT sum(amount) FROM payout_user_transactions WHERE payout_user_id = ${userId}) AS total,
             (SELECT balance FROM payout_users WHERE id = ${userId}) AS balance,
             (SELECT balance_after FROM payout_user_transactions WHERE payout_user_id = ${userId} ORDER BY id COLLATE "C" DESC LIMIT 1) AS last`);
    expect(Number(rows[0]!.total)).toBe(Number(rows[0]!.balance));
  }, 480_000);
});
