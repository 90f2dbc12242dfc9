import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { expectError, injectFault, seedBusiness, sqlStats, testDb } from "../../harness";
import { accounts, entries, type PayoutJson, postBulk } from "./helpers";

// 1,000 new payments make a payout weigh 1,001 rows: with 2,000 rows a chunk, each of these
// payouts is a chunk of its own, so three payouts are three chunks.
function heavyPayout(n: number) {
  const payments = Array.from({ length: 1000 }, (_, i) => ({ invoice_payment_external_id: `heavy-${n}-${i}`, amount: 10 }));
  return { external_id: `heavy-${n}`, paid_out_amount: 10_000, completed_at: "2024-01-01T00:00:00Z", processor: "STRIPE", payments };
}

async function counts(businessId: string) {
  const { rows } = await testDb().execute<{ payouts: string; entries: string; lines: string; payments: string }>(sql`
    SELECT (SELECT count(*) FROM ledger_payouts WHERE business_id = ${businessId}) AS payouts,
           (SELECT count(*) FROM journal_entries WHERE business_id = ${businessId}) AS entries,
           (SELECT count(*) FROM journal_lines WHERE business_id = ${businessId}) AS lines,
           (SELECT count(*) FROM invoice_payments WHERE business_id = ${businessId}) AS payments`);
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)]));
}

describe("bulk payouts in chunks", () => {
  it("writes a big request as several chunks, one round trip each, and answers every payout in request order", async () => {
    const s = await seedBusiness();
    await s.call("GET", `/v1/businesses/${s.business.id}/payouts`);
    const body = [heavyPayout(1), heavyPayout(2), heavyPayout(3)];
    const res = await postBulk(s, body);
    expect(res.status).toBe(200);
    const payouts = (await res.json()) as PayoutJson[];
    expect(payouts.map((p) => p.external_id)).toEqual(["heavy-1", "heavy-2", "heavy-3"]);
    expect(payouts.every((p) => p.payments.length === 1000)).toBe(true);
    // References (1) + 3 chunks + the matching query (1) + 3 pages of the answer.
    expect((await sqlStats(res)).requests).toBe(8);
    expect(await counts(s.business.id)).toEqual({ payouts: 3, entries: 3, lines: 3 * 1001, payments: 3000 });
  });

  it("a failed chunk: 503 naming applied and failed payouts; the others stay applied; the same request again completes it", async () => {
    const s = await seedBusiness();
    const body = [heavyPayout(1), heavyPayout(2), heavyPayout(3)];
    // Aimed at this business (its id is a parameter): other files write chunks at the same time.
    await injectFault({ count: 1, match: `ledger-payouts chunk 1 [\\s\\S]*${s.business.id}`, phase: "before" });
    const failed = await expectError(await postBulk(s, body), 503, "service_unavailable");
    expect(failed.message).toMatch(/2 of 3 chunks were applied.*retrying the same request/);
    expect(failed.fields).toEqual({ "chunks.applied": ["payouts 0-0", "payouts 2-2"], "chunks.failed": ["payouts 1-1"] });
    expect(await counts(s.business.id)).toEqual({ payouts: 2, entries: 2, lines: 2 * 1001, payments: 2000 });

    const retry = await postBulk(s, body);
    expect(retry.status).toBe(200);
    expect(await counts(s.business.id)).toEqual({ payouts: 3, entries: 3, lines: 3 * 1001, payments: 3000 });
    expect((await accounts(s)).UNDEPOSITED_FUNDS!.balance).toBe(30_000);
  });

  it("an answer lost after its chunk committed: the retry replaces, never duplicates", async () => {
    const s = await seedBusiness();
    const body = [heavyPayout(1), heavyPayout(2)];
    await injectFault({ count: 1, match: `ledger-payouts chunk 0 [\\s\\S]*${s.business.id}`, phase: "after" });
    await expectError(await postBulk(s, body), 503, "service_unavailable");
    expect(await counts(s.business.id)).toEqual({ payouts: 2, entries: 2, lines: 2 * 1001, payments: 2000 });
    expect((await postBulk(s, body)).status).toBe(200);
    expect(await counts(s.business.id)).toEqual({ payouts: 2, entries: 2, lines: 2 * 1001, payments: 2000 });
    expect(await entries(s)).toHaveLength(2);
  });
});
