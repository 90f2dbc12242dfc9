// Batches through the queue and the sandbox rail. A 1,000-payout batch: one group commit, the fan-out
// within Workers' limits, the rail reached exactly once per payout (its creditors are `Sandbox Hold`,
// so the rail takes them and stays silent: the proof is the submission path alone). A 200-payout batch
// of every outcome end to end: every payout final and the books balanced. Its own file because it runs
// for minutes on a loaded machine (every step shares one workerd thread).
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invocationLog, withConcurrency } from "../../src/services/payout-lifecycle/limits";
import { seedBusiness, sqlStats, testDb } from "../harness";
import { books, sepaInitiation } from "../routes/payouts/helpers";
import { eventually, workerEnv } from "./helpers";

type BatchBody = { data: { payout?: { id: string } }[]; meta: { succeeded: number } };

async function railSubmissions(payoutId: string): Promise<number> {
  const stub = workerEnv.SANDBOX_RAIL!.get(workerEnv.SANDBOX_RAIL!.idFromName(payoutId));
  const res = await stub.fetch(`http://sandbox-rail.internal/v1/payments/${payoutId}`);
  return res.status === 404 ? 0 : ((await res.json()) as { submissions: number }).submissions;
}

async function counts(businessId: string): Promise<{ byStatus: Record<string, number>; submitted: number }> {
  const { rows } = await testDb().execute<{ status: string; n: number; submitted: number }>(
    sql`SELECT status, count(*)::int AS n, count(submitted_at)::int AS submitted FROM payouts WHERE business_id = ${businessId} GROUP BY status`,
  );
  return { byStatus: Object.fromEntries(rows.map((r) => [r.status, r.n])), submitted: rows.reduce((a, r) => a + r.submitted, 0) };
}

const batch = (s: { call: (m: string, p: string, i?: { json?: unknown }) => Promise<Response> }, initiations: unknown[]) =>
  s.call("POST", "/api/v1/payouts/batch", { json: { initiations } });

describe("batches through the queue and the sandbox rail", () => {
  it("1,000 payouts: one group commit, each reaches the rail exactly once, every invocation within 50 subrequests and 6 connections", {
    timeout: 1_200_000,
  }, async () => {
    const n = 1000;
    const s = await seedBusiness({ balance: 10_000_000n });
    const initiations = Array.from({ length: n }, (_, i) =>
      sepaInitiation({
        amount: { value: `${(i % 7) + 1}.00`, currency: "USD" },
        creditor: { name: "Sandbox Hold", iban: "DE89370400440532013000" },
      }),
    );
    const logStart = invocationLog.length;
    const started = Date.now();
    const res = await batch(s, initiations);
    expect(res.status).toBe(200);
    const body = (await res.json()) as BatchBody;
    expect(body.meta.succeeded).toBe(n);
    // The request: auth at most, and the ledger's group commit: one read of what it checks, then ONE write.
    expect((await sqlStats(res)).requests).toBeLessThanOrEqual(1);
    expect(await sqlStats(`ledger:${s.business.id}`)).toEqual({ requests: 2, statements: 2 });

    await eventually(
      () => counts(s.business.id),
      (c) => c.submitted === n,
      1_100_000,
    );
    const elapsed = Date.now() - started;
    const ids = body.data.map((i) => i.payout!.id);
    // Asked a few at a time: 1,000 Durable Objects woken at once overflow workerd's stack in the test pool.
    const submissions: number[] = [];
    await withConcurrency(ids, 6, async (id) => void submissions.push(await railSubmissions(id)));
    expect(submissions.filter((k) => k !== 1)).toEqual([]);

    const runs = invocationLog.slice(logStart).filter((r) => r.kind === "submit");
    const per = runs.map((r) => r.subrequests);
    console.log(
      `1,000-payout batch: all submitted in ${elapsed} ms; ${runs.length} consumer invocations, subrequests per invocation: ` +
        `max ${Math.max(...per)}, mean ${(per.reduce((a, x) => a + x, 0) / Math.max(1, runs.length)).toFixed(1)} [${per.join(",")}]; ` +
        `max connections in flight ${Math.max(...runs.map((r) => r.maxInFlight))}`,
    );
    expect(runs.reduce((a, r) => a + r.messages, 0)).toBeGreaterThanOrEqual(n);
    expect(Math.max(...per)).toBeLessThanOrEqual(50);
    expect(Math.max(...runs.map((r) => r.maxInFlight))).toBeLessThanOrEqual(6);
    // Every payout is held (the rail has not answered), and nothing was held twice.
    const total = initiations.reduce((sum, x) => sum + Number((x.amount as { value: string }).value) * 100, 0);
    expect(await books(s.business.id)).toMatchObject({ balance: 10_000_000 - total, held: total, payouts: n });
  });

  it("1,000 payouts of every outcome end to end: all final, give-backs once, the books balance", { timeout: 1_200_000 }, async () => {
    const n = 1_000;
    const s = await seedBusiness({ balance: 10_000_000n });
    const names = ["Ada Lovelace", "Sandbox Reject", "Sandbox Fail", "Sandbox Duplicate", "Sandbox Reorder"];
    const initiations = Array.from({ length: n }, (_, i) =>
      sepaInitiation({
        amount: { value: `${(i % 7) + 1}.00`, currency: "USD" },
        creditor: { name: names[i % 10 < 6 ? 0 : (i % 10) - 5]!, iban: "DE89370400440532013000" },
      }),
    );
    const res = await batch(s, initiations);
    expect(((await res.json()) as BatchBody).meta.succeeded).toBe(n);
    const c = await eventually(
      () => counts(s.business.id),
      (x) => (x.byStatus.INITIATION_PENDING ?? 0) + (x.byStatus.INITIATION_PROCESSING ?? 0) === 0,
      1_100_000,
    );
    expect(c.byStatus).toEqual({ INITIATION_COMPLETED: 800, INITIATION_REJECTED: 100, INITIATION_FAILED: 100 });
    const b = await books(s.business.id);
    const completed = initiations.reduce(
      (sum, x, i) => sum + (i % 10 === 6 || i % 10 === 7 ? 0 : Number((x.amount as { value: string }).value) * 100),
      0,
    );
    expect(b.held).toBe(completed);
    expect(b.balance + b.held).toBe(10_000_000);
  });
});
