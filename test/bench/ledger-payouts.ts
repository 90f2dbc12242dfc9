// Ledger payouts benchmark: one bulk request of N payouts x 20 payments against N requests of one
// payout each (the baseline a client without the bulk endpoint pays), in the same run: wall time,
// SQL round trips and the peak memory of the Worker's workerd process. Then the time of one chunk
// against its size, which is what picked the default chunk size (2,000 rows, chunks.ts).
// `LEDGER_BENCH_PAYOUTS` (default 1,000) shrinks the first part for a quick run.
import { readdirSync, readFileSync } from "node:fs";
import { type BenchContext, printTable } from "./context";

const paymentsPerPayout = 20;

/** Pids of the processes under whichever process listens for (or was started with) this port. */
function workerdPids(baseUrl: string): number[] {
  const port = new URL(baseUrl).port;
  const procs = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, "utf8");
        const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8").replaceAll("\0", " ");
        return { pid: Number(d), ppid: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]), cmd };
      } catch {
        return undefined;
      }
    })
    .filter((p) => p !== undefined);
  const root = procs.find((p) => p.cmd.includes("wrangler") && p.cmd.includes(`--port ${port}`));
  if (!root) return [];
  const tree = new Set([root.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (tree.has(p.pid) || !tree.has(p.ppid)) continue;
      tree.add(p.pid);
      grew = true;
    }
  }
  return procs.filter((p) => tree.has(p.pid) && p.cmd.includes("workerd")).map((p) => p.pid);
}

function rssBytes(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      total += Number(m?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

/** Samples RSS every 20 ms while `work` runs; answers the peak above the level before it. */
async function withPeakMemory<T>(pids: number[], work: () => Promise<T>): Promise<{ result: T; peakMiB: string }> {
  const before = rssBytes(pids);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pids))), 20);
  try {
    const result = await work();
    peak = Math.max(peak, rssBytes(pids));
    return { result, peakMiB: pids.length ? `${((peak - before) / 2 ** 20).toFixed(1)} (of ${(peak / 2 ** 20).toFixed(0)})` : "n/a" };
  } finally {
    clearInterval(timer);
  }
}

export async function ledgerPayoutsBench(ctx: BenchContext): Promise<void> {
  const payoutsCount = Number(process.env.LEDGER_BENCH_PAYOUTS ?? 1000);
  const run = Date.now().toString(36);
  const payout = (prefix: string, i: number) => ({
    external_id: `${prefix}-${run}-${i}`,
    paid_out_amount: paymentsPerPayout * 1000 - 300,
    fee: 300,
    completed_at: "2024-05-01T00:00:00Z",
    processor: "STRIPE",
    payments: Array.from({ length: paymentsPerPayout }, (_, j) => ({
      invoice_payment_external_id: `${prefix}-${run}-${i}-${j}`,
      amount: 1000,
    })),
    metadata: { batch: prefix },
  });

  async function client(baseUrl: string) {
    const { businessId, authHeader } = await ctx.newBusiness();
    const post = async (body: unknown) => {
      const res = await fetch(`${baseUrl}/v1/businesses/${businessId}/payouts/bulk`, {
        method: "POST",
        headers: { Authorization: authHeader, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const bytes = (await res.arrayBuffer()).byteLength;
      return { status: res.status, bytes };
    };
    // Caches the key and creates the chart, so neither is in what is measured.
    await (await fetch(`${baseUrl}/v1/businesses/${businessId}/ledger/accounts`, { headers: { Authorization: authHeader } })).arrayBuffer();
    return post;
  }

  async function timed<T>(work: () => Promise<T>) {
    const before = await ctx.sqlStats();
    const started = performance.now();
    const result = await work();
    const ms = performance.now() - started;
    const after = await ctx.sqlStats();
    return { result, ms, roundTrips: after.requests - before.requests, statements: after.statements - before.statements };
  }

  const pids = workerdPids(ctx.baseUrl);
  const bulkPost = await client(ctx.baseUrl);
  const bulk = await withPeakMemory(pids, () => timed(() => bulkPost(Array.from({ length: payoutsCount }, (_, i) => payout("bulk", i)))));
  const singlePost = await client(ctx.baseUrl);
  const single = await withPeakMemory(pids, () =>
    timed(async () => {
      let failures = 0;
      let bytes = 0;
      for (let i = 0; i < payoutsCount; i++) {
        const r = await singlePost([payout("single", i)]);
        bytes += r.bytes;
        if (r.status !== 200) failures++;
      }
      return { status: failures ? 500 : 200, bytes, failures };
    }),
  );
  const row = (label: string, t: typeof bulk) => ({
    database: ctx.database,
    method: label,
    payouts: payoutsCount,
    "wall ms": Math.round(t.result.ms),
    "SQL round trips": t.result.roundTrips,
    statements: t.result.statements,
    "peak workerd RSS MiB (+delta)": t.peakMiB,
    "response MiB": (t.result.result.bytes / 2 ** 20).toFixed(1),
    status: t.result.result.status,
  });
  printTable(
    `Ledger payouts: ${payoutsCount} payouts x ${paymentsPerPayout} payments, one bulk request vs one request each (${ctx.database})`,
    [row("1 bulk request (chunks of 2,000 rows, 6 in flight)", bulk), row(`${payoutsCount} requests of 1 payout (baseline)`, single)],
  );

  // Chunk time against chunk size: a Worker whose chunk limit is out of reach, so each request
  // below is exactly one chunk of the given number of rows (payouts x 21).
  const oneChunkUrl = await ctx.workerWith({ LEDGER_CHUNK_ROWS: "1000000" });
  const chunkPost = await client(oneChunkUrl);
  const rows: Record<string, string | number>[] = [];
  for (const payouts of [5, 12, 24, 48, 95, 190]) {
    const samples: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const body = Array.from({ length: payouts }, (_, i) => payout(`chunk${payouts}r${rep}`, i));
      const t = await timed(() => chunkPost(body));
      if (t.result.status !== 200) throw new Error(`chunk bench request failed with ${t.result.status}`);
      samples.push(t.ms);
    }
    samples.sort((a, b) => a - b);
    const ms = samples[1]!;
    const chunkRows = payouts * (paymentsPerPayout + 1);
    rows.push({
      database: ctx.database,
      "chunk rows": chunkRows,
      "request bytes": JSON.stringify(Array.from({ length: payouts }, (_, i) => payout("size", i))).length,
      "median ms": Math.round(ms),
      "ms per 1,000 rows": ((ms / chunkRows) * 1000).toFixed(1),
    });
  }
  printTable(`Ledger payouts: time of one chunk against its size (median of 3, one chunk per request) (${ctx.database})`, rows);
}
