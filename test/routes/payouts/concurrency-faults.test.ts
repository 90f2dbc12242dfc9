// A group commit with payouts that fails: before writing (503, retried) or after (answer lost, recovered).
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

describe("payout group commits that fail", () => {
  it("a group commit that fails before writing answers 503 and writes nothing; the retry pays once", async () => {
    const s = await seedBusiness({ balance: 100_000n, rateLimit: manyAtOnce });
    await injectFaults({ count: 1, tag: `ledger:${s.business.id}`, match: "INSERT INTO payouts", phase: "before" });
    const initiations = Array.from({ length: 20 }, () => sepaInitiation({ amount: dollar }));
    let answers = await Promise.all(initiations.map((i) => pay(s, i)));
    expect(answers.some((a) => a.status === 503 && a.body.error?.code === "service_unavailable")).toBe(true);
    for (let round = 0; round < 5 && answers.some((a) => a.status === 503); round++) {
      answers = await Promise.all(initiations.map((init, i) => (answers[i]!.status === 503 ? pay(s, init) : answers[i]!)));
    }
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const b = await books(s.business.id);
    expect(b).toMatchObject({ balance: 100_000 - b.held, payouts: 20 });
    expect(b.held + b.reversed).toBe(2_000);
  }, 180_000);

  it("answers success, not 'retry', when the write committed but its answer was lost", async () => {
    const s = await seedBusiness({ balance: 100_000n, rateLimit: manyAtOnce });
    await injectFaults({ count: 1, tag: `ledger:${s.business.id}`, match: "INSERT INTO payouts", phase: "after" });
    const initiations = Array.from({ length: 20 }, () => sepaInitiation({ refId: uniqueRefId("l"), amount: dollar }));
    const answers = await Promise.all(initiations.map((i) => pay(s, i)));
    expect(answers.map((a) => a.status)).toEqual(initiations.map(() => 200));
    for (const [i, a] of answers.entries()) expect(a.body.payout!.initiation.refId).toBe(initiations[i]!.refId);
    const b = await books(s.business.id);
    expect(b).toMatchObject({ balance: 100_000 - b.held, payouts: 20 });
    expect(b.held + b.reversed).toBe(2_000);
  }, 180_000);
});
