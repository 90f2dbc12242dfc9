// Payouts: initiation throughput of one business through its BalanceLedger (group commit versus
// batch size 1, at 10 ms of database latency), round trips per payout, and the filtered list over
// 100,000 payouts beside a route that never touches the database, all in the same run.
// BENCH_QUICK=1 runs every row briefly over 10,000 payouts: a check that the bench works, not figures.
import { sql } from "drizzle-orm";
import { createDb } from "../../src/db/client";
import { type BenchContext, median, medianPerRound, percentile, printTable, rotated } from "./context";
import { drive, type LoadRun, request } from "./load";
import { CpuSampler, descendants, untilQuiet } from "./ratio";

const quick = process.env.BENCH_QUICK === "1";
const clientCounts = [1, 16, 128];
const runMs = quick ? 1_000 : 4_000;
const maxPerRun = quick ? 1_000 : 4_000;
const limits = { runMs, maxRequests: maxPerRun };
const listRows = quick ? 10_000 : 100_000;
const listRounds = quick ? 2 : 5;
const listLimits = { runMs: quick ? 500 : 2_000, maxRequests: quick ? 500 : 2_000 };
// Rail events are held back past the end of the bench, so that the lifecycle's settlements (which
// also pass through the ledger) neither load the machine nor count as the initiations' round trips.
const quiet = { SANDBOX_RAIL_DELAY_MS: "600000" };

let runNo = 0;
const initiation = (run: number, i: number) =>
  JSON.stringify({
    initiation: {
      refId: `b${run}-${i}`,
      amount: { value: "0.01", currency: "USD" },
      localInstrument: "SEPA_INSTANT",
      creditor: { name: "Bench Payee", iban: "DE89370400440532013000" },
    },
  });

async function ledgerRoundTrips(sqlUrl: string, businessId: string): Promise<number> {
  const origin = sqlUrl.replace(/\/sql$/, "");
  return ((await (await fetch(`${origin}/__stats?tag=${encodeURIComponent(`ledger:${businessId}`)}`)).json()) as { requests: number })
    .requests;
}

/**
 * CPU of every workerd of the bench (the Workers with other settings included: the hand-off's queue
 * consumer runs in the same one as the request), the local SQL server, and this Node process (load
 * generator and wrangler). A Postgres server's own CPU is not counted.
 */
function cpuSampler(ctx: BenchContext): CpuSampler {
  return new CpuSampler({
    workerd: () => descendants(process.pid).flatMap((p) => (/workerd/.test(p.cmd) ? [p.pid] : [])),
    "SQL server": ctx.processes()["SQL server"] ?? (() => []),
    node: () => [process.pid],
  });
}

async function throughput(ctx: BenchContext, baseUrl: string, clients: number) {
  const run = ++runNo;
  const { businessId, authHeader } = await ctx.newBusiness({ balance: 10n ** 15n });
  const url = `${baseUrl}/api/v1/payouts`;
  // Warm-up, untimed: connections, the key cache, the ledger object.
  await Promise.all(
    Array.from({ length: clients }, (_, i) => request(url, authHeader, { method: "POST", body: initiation(run, 1_000_000 + i) })),
  );
  const before = await ctx.sqlStats();
  const ledgerBefore = await ledgerRoundTrips(ctx.sqlUrl, businessId);
  const cpu = cpuSampler(ctx);
  const cpuBefore = cpu.read();
  const r = await drive(
    clients,
    limits,
    async (i) => (await request(url, authHeader, { method: "POST", body: initiation(run, i) })) === 200,
  );
  const after = await ctx.sqlStats();
  const cpuAfter = cpu.read();
  const ledger = (await ledgerRoundTrips(ctx.sqlUrl, businessId)) - ledgerBefore;
  const cpuPerPayout = Object.fromEntries(
    Object.keys(cpuAfter).map((k) => [k, (cpuAfter[k]! - (cpuBefore[k] ?? 0)) / Math.max(1, r.ok)] as const),
  );
  return { ...r, ledgerRoundTrips: ledger, allRoundTrips: after.requests - before.requests, cpuPerPayout };
}

/** Payouts of one business written straight into the table, spread over 70 days, five statuses, 50 sub-merchants. */
export async function seedPayouts(ctx: BenchContext, businessId: string, count: number): Promise<void> {
  const db = createDb({ DATABASE_URL: "postgres://disburse:local@localhost/disburse", SQL_ENDPOINT: ctx.sqlUrl });
  for (let from = 1; from <= count; from += 20_000) {
    const to = Math.min(count, from + 19_999);
    await db.execute(sql`
      INSERT INTO payouts (id, business_id, ref_id, status, amount, currency, local_instrument, creditor, initiation,
                           on_behalf_of_id, created_at, updated_at, submitted_at)
      SELECT 'pay_' || ${businessId.slice(-6)} || lpad(to_hex(g), 20, '0'), ${businessId}, 'x' || g,
             (ARRAY['INITIATION_PENDING', 'INITIATION_PROCESSING', 'INITIATION_COMPLETED', 'INITIATION_REJECTED', 'INITIATION_FAILED'])[1 + g % 5],
             100 + g % 1000, 'USD', 'SEPA', '{"name": "A", "iban": "DE89370400440532013000"}'::jsonb,
             jsonb_build_object('refId', 'x' || g, 'amount', jsonb_build_object('value', '1.00', 'currency', 'USD'), 'localInstrument', 'SEPA',
                                'creditor', '{"name": "A", "iban": "DE89370400440532013000"}'::jsonb, 'onBehalfOfId', 'm' || (g % 50)),
             'm' || (g % 50), timestamptz '2026-01-01' + g * interval '1 minute', timestamptz '2026-01-01' + g * interval '1 minute',
             timestamptz '2026-01-01' + g * interval '1 minute'
      FROM generate_series(${from}::int, ${to}::int) AS g`);
  }
  await db.execute(sql`ANALYZE payouts`);
}

export async function payoutsBench(ctx: BenchContext): Promise<void> {
  const modes = [
    { name: "batch size 1 (baseline)", url: await ctx.workerWith({ ...quiet, LEDGER_MAX_BATCH: "1" }) },
    { name: "group commit", url: await ctx.workerWith(quiet) },
  ];
  await ctx.setSqlLatency(10);
  const rows: Record<string, string | number>[] = [];
  const at128: Record<string, Awaited<ReturnType<typeof throughput>>> = {};
  for (const clients of clientCounts) {
    for (const mode of modes) {
      const r = await throughput(ctx, mode.url, clients);
      if (clients === 128) at128[mode.name] = r;
      rows.push({
        clients,
        mode: mode.name,
        "payouts/s": Math.round(r.ok / r.seconds),
        "p50 ms": +percentile(r.latencies, 50).toFixed(1),
        "p99 ms": +percentile(r.latencies, 99).toFixed(1),
        "ledger round trips/payout": +(r.ledgerRoundTrips / Math.max(1, r.ok)).toFixed(3),
        "all round trips/payout": +(r.allRoundTrips / Math.max(1, r.ok)).toFixed(3),
        errors: r.errors,
        ...Object.fromEntries(Object.entries(r.cpuPerPayout).map(([k, v]) => [`${k} CPU ms/payout`, +v.toFixed(2)])),
      });
    }
  }
  printTable(
    `POST /api/v1/payouts for one business on ${ctx.database}, 10 ms database latency (${runMs / 1000} s or ${maxPerRun} requests per row)`,
    rows,
  );
  const group = at128["group commit"]!;
  const single = at128["batch size 1 (baseline)"]!;
  const speedup = group.ok / group.seconds / (single.ok / single.seconds);
  const rt = group.ledgerRoundTrips / Math.max(1, group.ok);
  console.log(
    `Target at 128 clients: group commit ${speedup.toFixed(1)}x the payouts/s of batch size 1 (want >= 10x), ` +
      `${rt.toFixed(3)} round trips per payout (want < 0.2), ${group.errors} errors (want 0): ${speedup >= 10 && rt < 0.2 && !group.errors ? "MET" : "NOT MET"}`,
  );

  // The list: 10 clients, three filters, over `listRows` payouts, beside a route that touches no database
  // (a payout id that cannot exist is a 404 before any query: the same auth, routing and envelope).
  // The two alternate over `listRounds` rounds, the order rotated each round, and each round's list is
  // compared with that round's baseline: one run of each swung the baseline by a quarter between runs.
  const { businessId, authHeader } = await ctx.newBusiness();
  await ctx.setSqlLatency(0);
  await seedPayouts(ctx, businessId, listRows);
  // The payouts of the throughput runs are still being handed to the rail by the queue consumer, in the
  // same runtime, and would take CPU from the list.
  console.log(`(waited ${(await untilQuiet(cpuSampler(ctx))).toFixed(0)} s for the queue consumer to finish the payouts above)`);
  const listUrl = `${ctx.baseUrl}/api/v1/payouts?limit=50&startDate=2026-01-20&endDate=2026-02-10&statuses=INITIATION_COMPLETED&statuses=INITIATION_FAILED&onBehalfOfId=m7`;
  const noDbUrl = `${ctx.baseUrl}/api/v1/payouts/not-a-payout-id`;
  type Round = { rps: number; p50: number; p99: number; errors: number; ok: number; cpu: Record<string, number> };
  const listRowsOut: Record<string, string | number>[] = [];
  const atZero = { base: [] as Round[], list: [] as Round[] };
  for (const latency of [0, 10]) {
    await ctx.setSqlLatency(latency);
    const routes = [
      { name: "no-database route (baseline)", url: noDbUrl, expected: 404, rounds: [] as Round[] },
      { name: "list, three filters", url: listUrl, expected: 200, rounds: [] as Round[] },
    ];
    for (let round = 0; round < listRounds; round++) {
      for (const route of rotated(routes, round)) {
        await Promise.all(Array.from({ length: 10 }, () => request(route.url, authHeader)));
        const cpu = cpuSampler(ctx);
        const cpuBefore = cpu.read();
        const r: LoadRun = await drive(10, listLimits, async () => (await request(route.url, authHeader)) === route.expected);
        route.rounds.push({
          rps: r.ok / r.seconds,
          p50: percentile(r.latencies, 50),
          p99: percentile(r.latencies, 99),
          errors: r.errors,
          ok: r.ok,
          cpu: Object.fromEntries(Object.entries(cpu.read()).map(([n, ms]) => [n, ms - (cpuBefore[n] ?? 0)])),
        });
      }
    }
    if (latency === 0) [atZero.base, atZero.list] = [routes[0]?.rounds ?? [], routes[1]?.rounds ?? []];
    for (const { name, rounds } of routes) {
      const ok = rounds.reduce((a, r) => a + r.ok, 0);
      listRowsOut.push({
        "db latency ms": latency,
        route: name,
        "req/s": Math.round(median(rounds.map((r) => r.rps))),
        "p50 ms": +median(rounds.map((r) => r.p50)).toFixed(1),
        "p99 ms": +median(rounds.map((r) => r.p99)).toFixed(1),
        errors: rounds.reduce((a, r) => a + r.errors, 0),
        // Where each request's time goes: the Worker, the SQL server (PGlite runs inside it), this Node process.
        ...Object.fromEntries(
          Object.keys(rounds[0]?.cpu ?? {}).map((n) => [
            `${n} CPU ms/req`,
            +(rounds.reduce((a, r) => a + (r.cpu[n] ?? 0), 0) / Math.max(1, ok)).toFixed(2),
          ]),
        ),
      });
    }
  }
  await ctx.setSqlLatency(0);
  printTable(
    `GET /api/v1/payouts over ${listRows.toLocaleString("en")} payouts, 10 clients, on ${ctx.database} (medians of ${listRounds} alternated rounds of ${listLimits.runMs / 1000} s)`,
    listRowsOut,
  );
  const { base, list } = atZero;
  const ratios = list.map((r, i) => r.rps / (base[i]?.rps ?? Number.NaN));
  const ratio = median(ratios);
  const p99 = medianPerRound(list, base, (r, b) => r.p99 / b.p99);
  const errors = list.reduce((a, r) => a + r.errors, 0);
  console.log(
    `Target at 0 ms: the filtered list ${ratio.toFixed(2)}x the no-database route's requests/s (median of rounds: ${ratios.map((x) => x.toFixed(2)).join(", ")}; want >= 0.6), ` +
      `p99 ${p99.toFixed(2)}x its p99 (want <= 2), ${errors} errors: ${ratio >= 0.6 && p99 <= 2 && !errors ? "MET" : "NOT MET"}`,
  );
}
