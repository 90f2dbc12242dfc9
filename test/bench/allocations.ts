// Allocation throughput of one business through its BalanceLedger: group commit versus
// batch size 1 (LEDGER_MAX_BATCH=1), at 0 and 10 ms of simulated database latency.
import { type BenchContext, percentile, printTable } from "./context";
import { drive, type LoadRun, request } from "./load";

const clientCounts = [1, 16, 128];
const latencies = [0, 10];
const runMs = 4_000;
const maxPerRun = 4_000;

/** A load run (ok: allocations made) and the SQL round trips it cost. */
interface RunResult extends LoadRun {
  roundTrips: number;
}

async function run(ctx: BenchContext, baseUrl: string, clients: number): Promise<RunResult> {
  const { authHeader } = await ctx.newBusiness({ balance: 10n ** 15n });
  const body = (i: number) => JSON.stringify({ email: `bench${i % 500}@example.com`, amount: 1 });
  // Warm-up, untimed and alike for both modes: every client opens its connection, the key
  // cache and the ledger's balance are loaded, and the first users exist.
  await Promise.all(Array.from({ length: clients }, (_, i) => post(baseUrl, authHeader, body(i))));

  const before = await ctx.sqlStats();
  const r = await drive(clients, { runMs, maxRequests: maxPerRun }, async (i) => {
    const status = await post(baseUrl, authHeader, body(i));
    return status === 200 || status === 201;
  });
  const after = await ctx.sqlStats();
  return { ...r, roundTrips: after.requests - before.requests };
}

const post = (baseUrl: string, auth: string, body: string) => request(`${baseUrl}/api/v1/payout-users`, auth, { method: "POST", body });

export async function allocationsBench(ctx: BenchContext): Promise<void> {
  const modes = [
    { name: "batch size 1 (baseline)", url: await ctx.workerWith({ LEDGER_MAX_BATCH: "1" }) },
    { name: "group commit", url: ctx.baseUrl },
  ];
  const rows: Record<string, string | number>[] = [];
  const at128: Record<string, Record<number, RunResult>> = {};
  for (const latency of latencies) {
    await ctx.setSqlLatency(latency);
    for (const clients of clientCounts) {
      for (const mode of modes) {
        const r = await run(ctx, mode.url, clients);
        if (clients === 128) (at128[mode.name] ??= {})[latency] = r;
        rows.push({
          "db latency ms": latency,
          clients,
          mode: mode.name,
          "alloc/s": Math.round(r.ok / r.seconds),
          "p50 ms": +percentile(r.latencies, 50).toFixed(1),
          "p99 ms": +percentile(r.latencies, 99).toFixed(1),
          "round trips/alloc": +(r.roundTrips / Math.max(1, r.ok)).toFixed(3),
          errors: r.errors,
        });
      }
    }
  }
  await ctx.setSqlLatency(0);
  printTable(`Allocations for one business on ${ctx.database} (${runMs / 1000} s or ${maxPerRun} requests per row)`, rows);

  const group = at128["group commit"]![10]!;
  const single = at128["batch size 1 (baseline)"]![10]!;
  const speedup = group.ok / group.seconds / (single.ok / single.seconds);
  const rtPerAlloc = group.roundTrips / Math.max(1, group.ok);
  const pass = speedup >= 10 && rtPerAlloc < 0.2 && group.errors === 0;
  console.log(
    `Target at 128 clients, 10 ms: group commit ${speedup.toFixed(1)}x the allocations/s of batch size 1 (want >= 10x), ` +
      `${rtPerAlloc.toFixed(3)} round trips per allocation (want < 0.2), ${group.errors} errors (want 0): ${pass ? "MET" : "NOT MET"}`,
  );
}
