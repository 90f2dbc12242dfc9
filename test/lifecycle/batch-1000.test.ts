// The 1,000-payout batch end to end: one group commit, the queue fan-out within Workers' limits, the
// sandbox rail reached exactly once per payout, every payout final and the books balanced. Its own
// file because it runs for minutes on a loaded machine (every step shares one workerd thread).
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invocationLog } from "../../src/services/payout-lifecycle/limits";
import { seedBusiness, sqlStats, testDb } from "../harness";
import { books, sepaInitiation } from "../routes/payouts/helpers";
import { eventually, workerEnv } from "./helpers";

type BatchBody = { data: { payout?: { id: string } }[]; meta: { succeeded: number } };

async function railSubmissions(payoutId: string): Promise<number> {
  const stub = workerEnv.SANDBOX_RAIL!.get(workerEnv.SANDBOX_RAIL!.idFromName(payoutId));
  const res = await stub.fetch(`http://sandbox-rail.internal/v1/payments/${payoutId}`);
  return res.status === 404 ? 0 : ((await res.json()) as { submissions: number }).submissions;
}

async function statusCounts(businessId: string): Promise<Record<string, number>> {
  const { rows } = await testDb().execute<{ status: string; n: number }>(
    sql`SELECT status, count(*)::int AS n FROM payouts WHERE business_id = ${businessId} GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

const batch = (s: { call: (m: string, p: string, i?: { json?: unknown }) => Promise<Response> }, initiations: unknown[]) =>
  s.call("POST", "/api/v1/payouts/batch", { json: { initiations } });

describe("a 1,000-payout batch through the queue and the sandbox rail", () => {
  it("1,000 payouts: one group commit, each reaches the rail exactly once, all settle, the books balance", {
    timeout: 1_800_000,
  }, async () => {
    const n = 1000;
    const s = await seedBusiness({ balance: 10_000_000n });
    const names = ["Ada Lovelace", "Sandbox Reject", "Sandbox Fail", "Sandbox Duplicate", "Sandbox Reorder"];
    const initiations = Array.from({ length: n }, (_, i) =>
      sepaInitiation({
        amount: { value: `${(i % 7) + 1}.00`, currency: "USD" },
        creditor: { name: names[i % 10 < 6 ? 0 : (i % 10) - 5]!, iban: "DE89370400440532013000" },
      }),
    );
    const logStart = invocationLog.length;
    const started = Date.now();
    const res = await batch(s, initiations);
    expect(res.status).toBe(200);
    const body = (await res.json()) as BatchBody;
    expect(body.meta.succeeded).toBe(n);
    // The request: auth, and the ledger's group commit: one read of what it checks, then ONE write statement.
    expect((await sqlStats(res)).requests).toBeLessThanOrEqual(1);
    expect(await sqlStats(`ledger:${s.business.id}`)).toEqual({ requests: 2, statements: 2 });

    const ids = body.data.map((i) => i.payout!.id);
    const counts = await eventually(
      () => statusCounts(s.business.id),
      (c) => (c.INITIATION_PENDING ?? 0) + (c.INITIATION_PROCESSING ?? 0) === 0,
      1_750_000,
    );
    const elapsed = Date.now() - started;
    // 60% plain, 10% each magic name; Duplicate and Reorder complete too.
    expect(counts).toEqual({ INITIATION_COMPLETED: 800, INITIATION_REJECTED: 100, INITIATION_FAILED: 100 });

    const submissions = await Promise.all(ids.map(railSubmissions));
    expect(submissions.every((k) => k === 1)).toBe(true);

    const total = initiations.reduce((sum, x) => sum + Number((x.amount as { value: string }).value) * 100, 0);
    const b = await books(s.business.id);
    expect(b.balance + b.held).toBe(10_000_000);
    expect(b.held).toBeLessThan(total);

    // The consumer's invocations (this isolate's share), each within the limits.
    const runs = invocationLog.slice(logStart).filter((r) => r.kind === "submit");
    const perInvocation = runs.map((r) => r.subrequests);
    console.log(
      `1,000-payout batch: final in ${elapsed} ms; ${runs.length} consumer invocations, subrequests per invocation max ${Math.max(...perInvocation)}, ` +
        `mean ${(perInvocation.reduce((a, x) => a + x, 0) / Math.max(1, runs.length)).toFixed(1)}; max in flight ${Math.max(...runs.map((r) => r.maxInFlight))}`,
    );
    expect(runs.length).toBeGreaterThan(0);
    expect(Math.max(...perInvocation)).toBeLessThanOrEqual(50);
    expect(Math.max(...runs.map((r) => r.maxInFlight))).toBeLessThanOrEqual(6);
  });
});
