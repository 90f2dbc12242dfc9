import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setPayoutsEnabled } from "../../src/services/businesses";
import { injectFault, manyAtOnce, type Seeded, seedBusiness, sqlOrigin, testDb } from "../harness";

type Answer = { status: number; body: { data?: { id: string; email: string; balance: number }; error?: { code: string } } };

async function allocate(s: Seeded, email: string, amount: number, key?: string): Promise<Answer> {
  const res = await s.call("POST", "/api/v1/payout-users", {
    json: { email, amount },
    headers: key ? { "Idempotency-Key": key } : {},
  });
  return { status: res.status, body: await res.json() };
}

/** The database's view of one business: balance, users' balances, history rows. */
async function books(businessId: string) {
  const { rows } = await testDb().execute<{ balance: string; users_total: string; users: string; txs: string; tx_total: string }>(sql`
    SELECT (SELECT payout_balance FROM businesses WHERE id = ${businessId}) AS balance,
           (SELECT coalesce(sum(balance), 0) FROM payout_users WHERE business_id = ${businessId}) AS users_total,
           (SELECT count(*) FROM payout_users WHERE business_id = ${businessId}) AS users,
           (SELECT count(*) FROM payout_user_transactions WHERE business_id = ${businessId}) AS txs,
           (SELECT coalesce(sum(amount), 0) FROM payout_user_transactions WHERE business_id = ${businessId}) AS tx_total`);
  const r = rows[0]!;
  return {
    balance: Number(r.balance),
    usersTotal: Number(r.users_total),
    users: Number(r.users),
    txs: Number(r.txs),
    txTotal: Number(r.tx_total),
  };
}

/** Faults still waiting to strike with this tag (files running beside this one inject their own). */
async function pendingFaults(tag: string): Promise<unknown[]> {
  const { faults } = (await (await fetch(`${sqlOrigin()}/__faults`)).json()) as { faults: { tag: string | null }[] };
  return faults.filter((f) => f.tag === tag);
}

describe("BalanceLedger under concurrency", () => {
  it("500 concurrent allocations against a balance that covers exactly N: N succeed, the rest are refused", async () => {
    const n = 137;
    const s = await seedBusiness({ balance: BigInt(n * 100), rateLimit: manyAtOnce });
    const answers = await Promise.all(Array.from({ length: 500 }, (_, i) => allocate(s, `user${i % 40}@example.com`, 100)));
    const ok = answers.filter((a) => a.status === 200 || a.status === 201);
    const refused = answers.filter((a) => a.status === 400 && a.body.error?.code === "insufficient_balance");
    expect(ok.length).toBe(n);
    expect(refused.length).toBe(500 - n);
    expect(await books(s.business.id)).toEqual({ balance: 0, usersTotal: n * 100, users: Math.min(40, n), txs: n, txTotal: n * 100 });
  });

  it("200 concurrent top-ups of one email leave one user holding the sum", async () => {
    const s = await seedBusiness({ balance: 1_000_000n, rateLimit: manyAtOnce });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => allocate(s, i % 2 ? "Same@Example.com" : "same@example.com", i + 1)),
    );
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    expect(answers.filter((a) => a.status === 201).length).toBe(1);
    expect(new Set(answers.map((a) => a.body.data!.id)).size).toBe(1);
    const sum = (200 * 201) / 2;
    // Each answer is the balance right after that allocation: all distinct, the largest is the sum.
    expect(new Set(answers.map((a) => a.body.data!.balance)).size).toBe(200);
    expect(Math.max(...answers.map((a) => a.body.data!.balance))).toBe(sum);
    expect(await books(s.business.id)).toEqual({ balance: 1_000_000 - sum, usersTotal: sum, users: 1, txs: 200, txTotal: sum });
  });

  it("50 concurrent requests with one Idempotency-Key debit once and all get the first answer", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const answers = await Promise.all(Array.from({ length: 50 }, () => allocate(s, "idem@example.com", 700, "key-1")));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await books(s.business.id)).toEqual({ balance: 9_300, usersTotal: 700, users: 1, txs: 1, txTotal: 700 });
    // Later, from the database rather than the ledger's memory: still a replay.
    const later = await allocate(s, "idem@example.com", 700, "key-1");
    expect(later.body).toEqual(answers[0]!.body);
    const reused = await allocate(s, "idem@example.com", 701, "key-1");
    expect(reused.status).toBe(422);
    expect(reused.body.error?.code).toBe("idempotency_key_reused");
  });

  it("loses nothing and counts nothing twice when a write fails before it reaches the database", async () => {
    const s = await seedBusiness({ balance: 100_000n });
    await allocate(s, "warm@example.com", 1, "warm"); // the ledger has loaded its balance
    await injectFault({ count: 1, tag: `ledger:${s.business.id}`, match: "INSERT INTO payout_users", phase: "before" });
    const keys = Array.from({ length: 60 }, (_, i) => `k${i}`);
    let answers = await Promise.all(keys.map((k, i) => allocate(s, `f${i % 7}@example.com`, 10 + i, k)));
    const failed = answers.filter((a) => a.status === 503);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((a) => a.body.error?.code === "service_unavailable")).toBe(true);
    // Clients retry what failed, with the same keys, until everything has an answer.
    for (let round = 0; round < 5 && answers.some((a) => a.status === 503); round++) {
      answers = await Promise.all(
        keys.map((k, i) => (answers[i]!.status === 503 ? allocate(s, `f${i % 7}@example.com`, 10 + i, k) : answers[i]!)),
      );
    }
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    const total = 1 + keys.reduce((sum, _, i) => sum + 10 + i, 0);
    expect(await books(s.business.id)).toEqual({ balance: 100_000 - total, usersTotal: total, users: 8, txs: 61, txTotal: total });
  });

  it("answers success, not 'retry', when a write committed but its answer was lost", async () => {
    const s = await seedBusiness({ balance: 100_000n });
    await allocate(s, "warm@example.com", 1); // the ledger has loaded its balance
    const tag = `ledger:${s.business.id}`;
    await injectFault({ count: 1, tag, match: "INSERT INTO payout_users", phase: "after" });
    // No Idempotency-Key: were the lost group answered "retry", a client's retry would pay twice.
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => allocate(s, `g${i % 7}@example.com`, 10 + i)));
    expect(await pendingFaults(tag)).toEqual([]); // the fault did strike a group commit
    expect(answers.map((a) => a.status).filter((st) => st !== 200 && st !== 201)).toEqual([]);
    const total = 1 + answers.reduce((sum, _, i) => sum + 10 + i, 0);
    expect(await books(s.business.id)).toEqual({ balance: 100_000 - total, usersTotal: total, users: 8, txs: 61, txTotal: total });
    // Each answer is that allocation's own result, recovered from the history rows.
    for (const [i, a] of answers.entries()) expect(a.body.data?.email).toBe(`g${i % 7}@example.com`);
  });

  it("notices payouts switched back on in the database", async () => {
    const s = await seedBusiness({ balance: 1_000n, payoutsEnabled: false });
    expect((await allocate(s, "p@example.com", 10)).status).toBe(403);
    await setPayoutsEnabled(testDb(), s.business.id, true);
    expect((await allocate(s, "p@example.com", 10)).status).toBe(201);
  });

  it("keeps allocating after a fund lands while a group is being written", async () => {
    const s = await seedBusiness({ balance: 10_000n });
    const work = Array.from({ length: 40 }, (_, i) => allocate(s, `h${i % 5}@example.com`, 10));
    const fund = s.call("POST", "/api/v1/balance/fund", { json: { amount: 500 } });
    const answers = await Promise.all(work);
    expect((await fund).status).toBe(200);
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    // The next allocations still see payouts enabled and the funded balance.
    expect((await allocate(s, "h0@example.com", 10)).status).toBe(200);
    expect(await books(s.business.id)).toEqual({ balance: 10_500 - 410, usersTotal: 410, users: 5, txs: 41, txTotal: 410 });
  });
});
