// Payees benchmark: one 100-record batch upsert against 100 single upserts (the baseline a
// client without batching pays), and list throughput at 10 concurrent clients.
import { type BenchContext, printTable } from "./context";

const batchSize = 100;
const listClients = 10;
const listSeconds = 3;
// Bounds the list phase even if the Worker answers much faster than expected.
const maxListRequests = 20_000;

interface Timed {
  ms: number;
  roundTrips: number;
  statements: number;
  failures: number;
}

export async function payeesBench(ctx: BenchContext): Promise<void> {
  const { authHeader } = await ctx.newBusiness();
  const run = Date.now().toString(36);
  const request = (method: string, path: string, json?: unknown) =>
    fetch(`${ctx.baseUrl}${path}`, {
      method,
      headers: { Authorization: authHeader, ...(json === undefined ? {} : { "Content-Type": "application/json" }) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  const record = (prefix: string, i: number) => ({
    external_id: `${prefix}_${run}_${i}`,
    operation: "create_or_update",
    name: `Bench payee ${i}`,
    type: "affiliate",
    minimum_payout_threshold: "25.00",
  });

  // Caches the API key in the Worker so that auth adds no round trip to what is measured.
  await (await request("GET", "/api/v1/payees?limit=1")).arrayBuffer();

  async function timed(work: () => Promise<number>): Promise<Timed> {
    const before = await ctx.sqlStats();
    const started = performance.now();
    const failures = await work();
    const ms = performance.now() - started;
    const after = await ctx.sqlStats();
    return { ms, roundTrips: after.requests - before.requests, statements: after.statements - before.statements, failures };
  }

  const batched = await timed(async () => {
    const res = await request("POST", "/api/v1/payees/batch/upsert", {
      records: Array.from({ length: batchSize }, (_, i) => record("batch", i)),
    });
    const body = (await res.json()) as { meta?: { failed: number } };
    return res.status === 200 ? (body.meta?.failed ?? batchSize) : batchSize;
  });

  const single = await timed(async () => {
    let failures = 0;
    for (let i = 0; i < batchSize; i++) {
      const res = await request("POST", "/api/v1/payees/upsert", record("single", i));
      await res.arrayBuffer();
      if (res.status !== 201) failures++;
    }
    return failures;
  });

  const row = (label: string, t: Timed) => ({
    database: ctx.database,
    method: label,
    records: batchSize,
    "wall ms": Math.round(t.ms),
    "SQL round trips": t.roundTrips,
    statements: t.statements,
    failed: t.failures,
  });
  printTable(`Payees: ${batchSize} upserts, batched vs one request each (${ctx.database})`, [
    row("1 batch upsert request", batched),
    row(`${batchSize} single upsert requests (baseline)`, single),
    {
      database: ctx.database,
      method: "batch speed-up",
      records: batchSize,
      "wall ms": `${(single.ms / Math.max(batched.ms, 0.001)).toFixed(1)}x`,
      "SQL round trips": `${(single.roundTrips / Math.max(batched.roundTrips, 1)).toFixed(0)}x fewer`,
      statements: "",
      failed: "",
    },
  ]);

  // List throughput: each client pages the first 50 of the 200 payees above, back to back.
  const latencies: number[] = [];
  let errors = 0;
  const before = await ctx.sqlStats();
  const started = performance.now();
  const deadline = started + listSeconds * 1000;
  await Promise.all(
    Array.from({ length: listClients }, async () => {
      while (performance.now() < deadline && latencies.length + errors < maxListRequests) {
        const t0 = performance.now();
        const res = await request("GET", "/api/v1/payees?limit=50");
        await res.arrayBuffer();
        if (res.status === 200) latencies.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = await ctx.sqlStats();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1) : "-";
  const total = latencies.length + errors;
  printTable(`Payees: list throughput, ${listClients} concurrent clients for ${listSeconds} s (${ctx.database})`, [
    {
      database: ctx.database,
      requests: total,
      "req/s": Math.round(latencies.length / seconds),
      "p50 ms": pct(50),
      "p95 ms": pct(95),
      errors,
      "round trips/request": total ? ((after.requests - before.requests) / total).toFixed(2) : "-",
    },
  ]);
}
