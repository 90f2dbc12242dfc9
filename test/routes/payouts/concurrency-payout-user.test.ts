// Payouts out of one payout user's balance racing that user's top-ups (its own file: every payout also
// runs through the lifecycle in the background, and one heavy test per runtime keeps the others fast).
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { seedBusiness, testDb } from "../../harness";
import { type Answer, dollar, manyAtOnce, pay, payoutIds, topUp } from "./concurrency-helpers";
import { allocate, books, sepaInitiation } from "./helpers";

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
