// Payout request PUT upserts at 16 concurrent clients: each on its own request (the baseline:
// no contention) against all on one hot request, whose PUTs queue on its row lock. Reports
// throughput, latency and SQL round trips per request.
import { type BenchContext, percentile, printTable } from "./context";

const clients = 16;
const runMs = Number(process.env.BENCH_PAYOUT_REQUESTS_MS ?? 3_000);
const maxPerRun = 5_000;

interface RunResult {
  requests: number;
  errors: number;
  seconds: number;
  latencies: number[];
  roundTrips: number;
}

function body(client: number, n: number) {
  return JSON.stringify({
    websiteId: "web_bench",
    customerId: `cus_${client}`,
    currency: "USD",
    amount: 150.75,
    description: `client ${client} put ${n}`,
    allocations: [
      { transactionId: "txn_1", amount: 100, transactionResult: "approved", method: "payment-card", gatewayName: "Stripe" },
      { transactionId: `txn_u`, amount: 0.25, transactionResult: n % 2 ? "unknown" : "declined" },
    ],
  });
}

async function put(baseUrl: string, auth: string, id: string, json: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/v1/payout-requests/${id}`, {
    method: "PUT",
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: json,
  });
  await res.arrayBuffer();
  return res.status;
}

async function run(ctx: BenchContext, idOf: (client: number) => string): Promise<RunResult> {
  const { authHeader } = await ctx.newBusiness();
  // Untimed warm-up: the key is cached, every connection open, every request created.
  for (let c = 0; c < clients; c++) await put(ctx.baseUrl, authHeader, idOf(c), body(c, 0));
  const before = await ctx.sqlStats();
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + runMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 1; performance.now() < deadline && sent < maxPerRun; n++) {
        sent++;
        const t = performance.now();
        const status = await put(ctx.baseUrl, authHeader, idOf(c), body(c, n));
        latencies.push(performance.now() - t);
        if (status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = await ctx.sqlStats();
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds, latencies, roundTrips: after.requests - before.requests };
}

export async function payoutRequestsBench(ctx: BenchContext): Promise<void> {
  const tag = Date.now().toString(36);
  const row = (label: string, r: RunResult) => ({
    database: ctx.database,
    ids: label,
    clients,
    requests: r.requests,
    "PUT/s": Math.round((r.requests - r.errors) / r.seconds),
    "p50 ms": percentile(r.latencies, 50).toFixed(1),
    "p95 ms": percentile(r.latencies, 95).toFixed(1),
    errors: r.errors,
    "round trips/request": r.requests ? (r.roundTrips / r.requests).toFixed(2) : "-",
  });
  const distinct = await run(ctx, (c) => `bench-${tag}-${c}`);
  const hot = await run(ctx, () => `bench-${tag}-hot`);
  printTable(`Payout requests: PUT upserts, ${clients} clients for ${runMs / 1000} s (${ctx.database})`, [
    row("distinct (baseline)", distinct),
    row("one hot id", hot),
  ]);
}
