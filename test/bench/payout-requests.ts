// Payout request PUT upserts at 16 concurrent clients: each on its own request (the baseline:
// no contention) against all on one hot request, whose PUTs queue on its row lock. Reports
// throughput, latency and SQL round trips per request.
import { type BenchContext, percentile, printTable } from "./context";
import { drive, type LoadRun, request } from "./load";

const clients = 16;
const runMs = Number(process.env.BENCH_PAYOUT_REQUESTS_MS ?? 3_000);
const maxPerRun = 5_000;

/** A load run (ok: PUTs answered 200) and the SQL round trips it cost. */
interface RunResult extends LoadRun {
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

const put = (baseUrl: string, auth: string, id: string, json: string) =>
  request(`${baseUrl}/api/v1/payout-requests/${id}`, auth, { method: "PUT", body: json });

async function run(ctx: BenchContext, idOf: (client: number) => string): Promise<RunResult> {
  const { authHeader } = await ctx.newBusiness();
  // Untimed warm-up: the key is cached, every connection open, every request created.
  for (let c = 0; c < clients; c++) await put(ctx.baseUrl, authHeader, idOf(c), body(c, 0));
  const before = await ctx.sqlStats();
  const r = await drive(
    clients,
    { runMs, maxRequests: maxPerRun },
    async (_, c, n) => (await put(ctx.baseUrl, authHeader, idOf(c), body(c, n))) === 200,
  );
  const after = await ctx.sqlStats();
  return { ...r, roundTrips: after.requests - before.requests };
}

export async function payoutRequestsBench(ctx: BenchContext): Promise<void> {
  const tag = Date.now().toString(36);
  const row = (label: string, r: RunResult, requests = r.ok + r.errors) => ({
    database: ctx.database,
    ids: label,
    clients,
    requests,
    "PUT/s": Math.round(r.ok / r.seconds),
    "p50 ms": percentile(r.latencies, 50).toFixed(1),
    "p95 ms": percentile(r.latencies, 95).toFixed(1),
    errors: r.errors,
    "round trips/request": requests ? (r.roundTrips / requests).toFixed(2) : "-",
  });
  const distinct = await run(ctx, (c) => `bench-${tag}-${c}`);
  const hot = await run(ctx, () => `bench-${tag}-hot`);
  printTable(`Payout requests: PUT upserts, ${clients} clients for ${runMs / 1000} s (${ctx.database})`, [
    row("distinct (baseline)", distinct),
    row("one hot id", hot),
  ]);
}
