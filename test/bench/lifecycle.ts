// Payout lifecycle benchmark: end-to-end settled payouts per second through the submission queue and
// the sandbox rail (request → queue → rail → signed webhooks → final status), single payouts at 16
// clients beside one 1,000-payout batch, at 10 ms of SQL latency, in the same run.
import { sql } from "drizzle-orm";
import { createDb } from "../../src/db/client";
import { type BenchContext, printTable } from "./context";

const singles = 300;
const singleClients = 16;
const batchSize = 1000;
const sqlLatencyMs = 10;
const finalTimeoutMs = 600_000;

let refSeq = 0;
const initiation = (i: number) => ({
  refId: `lc-${Date.now().toString(36).slice(-6)}-${refSeq++}`.slice(0, 18),
  amount: { value: `${(i % 9) + 1}.00`, currency: "USD" },
  localInstrument: "SEPA",
  // One in ten is rejected by the rail, so give-backs are part of the load.
  creditor: { name: i % 10 === 9 ? "Sandbox Reject" : "Ada Lovelace", iban: "DE89370400440532013000" },
});

export async function lifecycleBench(ctx: BenchContext): Promise<void> {
  await ctx.setSqlLatency(sqlLatencyMs);
  const db = createDb({ DATABASE_URL: "postgres://disburse:local@localhost/disburse", SQL_ENDPOINT: ctx.sqlUrl });
  const post = (auth: string, path: string, json: unknown) =>
    fetch(`${ctx.baseUrl}${path}`, {
      method: "POST",
      headers: { Authorization: auth, "Content-Type": "application/json" },
      body: JSON.stringify(json),
    });

  /** Waits until every payout of the business is final; returns when that happened (ms since epoch). */
  async function allFinal(businessId: string, expected: number): Promise<{ at: number; counts: Record<string, number> }> {
    const deadline = Date.now() + finalTimeoutMs;
    for (;;) {
      const { rows } = await db.execute<{ status: string; n: number }>(
        sql`SELECT status, count(*)::int AS n FROM payouts WHERE business_id = ${businessId} GROUP BY status`,
      );
      const counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
      const open = (counts.INITIATION_PENDING ?? 0) + (counts.INITIATION_PROCESSING ?? 0);
      const total = rows.reduce((a, r) => a + r.n, 0);
      if (total === expected && open === 0) return { at: Date.now(), counts };
      if (Date.now() > deadline) throw new Error(`payouts not final after ${finalTimeoutMs} ms: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  // Single payouts, 16 clients: each request answers at INITIATION_PENDING; the clock stops at the last final status.
  const one = await ctx.newBusiness({ balance: 100_000_000n });
  await (await post(one.authHeader, "/api/v1/payouts", { initiation: initiation(0) })).arrayBuffer();
  await allFinal(one.businessId, 1);
  const singleStart = Date.now();
  let next = 1;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: singleClients }, async () => {
      while (next <= singles) {
        const i = next++;
        const t = performance.now();
        const res = await post(one.authHeader, "/api/v1/payouts", { initiation: initiation(i) });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`payout ${i}: ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const singleAnswered = Date.now() - singleStart;
  const singleFinal = await allFinal(one.businessId, singles + 1);
  const singleMs = singleFinal.at - singleStart;

  // One batch of 1,000.
  const many = await ctx.newBusiness({ balance: 100_000_000n });
  await (await post(many.authHeader, "/api/v1/payouts", { initiation: initiation(0) })).arrayBuffer();
  await allFinal(many.businessId, 1);
  const batchStart = Date.now();
  const res = await post(many.authHeader, "/api/v1/payouts/batch", {
    initiations: Array.from({ length: batchSize }, (_, i) => initiation(i)),
  });
  const body = (await res.json()) as { meta?: { succeeded: number } };
  if (res.status !== 200 || body.meta?.succeeded !== batchSize)
    throw new Error(`batch: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  const batchAnswered = Date.now() - batchStart;
  const batchFinal = await allFinal(many.businessId, batchSize + 1);
  const batchMs = batchFinal.at - batchStart;

  latencies.sort((a, b) => a - b);
  printTable(`Payout lifecycle (${ctx.database}, ${sqlLatencyMs} ms SQL latency, sandbox rail delay from wrangler.toml)`, [
    {
      path: `single POST /payouts, ${singleClients} clients (baseline)`,
      payouts: singles,
      "answered (ms)": singleAnswered,
      "request p50 (ms)": Math.round(latencies[Math.floor(latencies.length / 2)]!),
      "all final (ms)": singleMs,
      "settled/s": ((singles * 1000) / singleMs).toFixed(1),
      final: JSON.stringify(singleFinal.counts),
    },
    {
      path: "POST /payouts/batch of 1,000",
      payouts: batchSize,
      "answered (ms)": batchAnswered,
      "request p50 (ms)": batchAnswered,
      "all final (ms)": batchMs,
      "settled/s": ((batchSize * 1000) / batchMs).toFixed(1),
      final: JSON.stringify(batchFinal.counts),
    },
  ]);
  await ctx.setSqlLatency(0);
}
