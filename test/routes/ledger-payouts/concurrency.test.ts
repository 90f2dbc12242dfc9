import { describe, expect, it } from "vitest";
import { seedBusiness } from "../../harness";
import { accounts, entries, type PayoutJson, postBulk, simplePayout } from "./helpers";

describe("bulk payouts under concurrency", () => {
  it("overlapping requests upserting the same payouts in opposite orders: one payout and one entry each, books balanced", async () => {
    const s = await seedBusiness();
    const forward = Array.from({ length: 20 }, (_, i) => simplePayout(`cc-${i}`, 1000 + i, 10));
    const backward = [...forward].reverse();
    const answers = await Promise.all([postBulk(s, forward), postBulk(s, backward), postBulk(s, forward)]);
    // Each either applied (200) or is a retryable 503; retrying the failed ones completes them.
    for (const [i, res] of answers.entries()) {
      expect([200, 503]).toContain(res.status);
      if (res.status === 503) expect((await postBulk(s, i === 1 ? backward : forward)).status).toBe(200);
    }
    const list = (await (await s.call("GET", `/v1/businesses/${s.business.id}/payouts?limit=200`)).json()) as { data: PayoutJson[] };
    expect(list.data).toHaveLength(20);
    expect(await entries(s)).toHaveLength(20);
    const chart = await accounts(s);
    const total = forward.reduce((a, p) => a + p.paid_out_amount, 0);
    expect(chart.UNDEPOSITED_FUNDS!.balance).toBe(total);
    expect(Object.values(chart).reduce((a, x) => a + x.debits - x.credits, 0)).toBe(0);
  });

  it("the first requests of a business, all at once, never 500: the chart is created once, a request that lost the race is a retryable 503", async () => {
    const s = await seedBusiness();
    const path = `/v1/businesses/${s.business.id}/ledger/accounts`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => s.call("GET", path)));
    for (const res of answers) {
      expect([200, 503]).toContain(res.status);
      if (res.status === 503) expect((await s.call("GET", path)).status).toBe(200);
    }
    const chart = (await (await s.call("GET", path)).json()) as { data: { stable_name: { stable_name: string } | null }[] };
    const names = chart.data.flatMap((a) => (a.stable_name ? [a.stable_name.stable_name] : []));
    expect(new Set(names).size).toBe(names.length);
  });

  it("a payment created in one payout can be referenced by a later one", async () => {
    const s = await seedBusiness();
    const [first] = (await (await postBulk(s, [simplePayout("early", 500, 0)])).json()) as PayoutJson[];
    const res = await postBulk(s, [
      {
        external_id: "later",
        paid_out_amount: 500,
        completed_at: "2024-03-06T00:00:00Z",
        processor: "STRIPE",
        payments: [{ invoice_payment_external_id: "early-pay" }],
      },
    ]);
    expect(res.status).toBe(200);
    const [later] = (await res.json()) as PayoutJson[];
    expect(later!.payments[0]!.id).toBe(first!.payments[0]!.id);
    expect((later!.payments[0]!.payouts as { external_id: string }[]).map((p) => p.external_id).sort()).toEqual(["early", "later"]);
  });
});
