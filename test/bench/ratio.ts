// Side-by-side ratio bench: every route beside the route that touches no database, in the same
// run, so that what a request costs is read against what the tooling alone costs. Each row: req/s,
// p50/p99, share of the no-database route's req/s, SQL round trips per request (the local SQL
// server's stats), and CPU per request of each local process (sampled from /proc).
//
// To add a route, append a row to `routes` (nothing else changes). RATIO_ONLY=<regex> picks
// routes, RATIO_CLIENTS=10,128 the client counts, RATIO_RUN_MS the time per run, RATIO_ROUNDS the
// rounds (each route alternates with the no-database route; the table shows medians).
import { readdirSync, readFileSync } from "node:fs";
import { type BenchContext, median, medianPerRound, percentile, printTable, rotated } from "./context";
import { drive } from "./load";

/** What the routes below can use: one business, its key, and objects created before timing. */
interface Fixture {
  auth: string;
  payeeId: string;
  payoutUserId: string;
  /** 51 payout users' hashes (the first is payoutUserId's). */
  payoutUserHashes: string[];
  /** Unique per bench run, for bodies that must not collide with an earlier run's. */
  run: string;
}

interface RouteCase {
  /** Endpoint group, for the table. */
  group: string;
  name: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path(fx: Fixture): string;
  /** JSON body of the i-th request. */
  body?(fx: Fixture, i: number): unknown;
  /** Authorization header; the business's API key unless given. */
  auth?(fx: Fixture, i: number): string | undefined;
  /** Statuses that count as success. */
  ok: number[];
  /** Targets this route is held to (see the issue): a share of the no-database route's req/s. */
  target?: { minRatio: number; maxP99Ratio?: number; clients?: number[] };
}

/** The one-query reads: keyed reads and pages of a list alike (its own table lists the payees page). */
const oneQueryRead = { minRatio: 0.6 };

/** The baseline, always first: a 404 that passes auth-free through the whole middleware stack. */
const noDatabase: RouteCase = {
  group: "-",
  name: "no database (404)",
  method: "GET",
  path: () => "/api/v1/nothing",
  auth: () => undefined,
  ok: [404],
};

export const routes: RouteCase[] = [
  { group: "balance", name: "get", method: "GET", path: () => "/api/v1/balance", ok: [200], target: oneQueryRead },
  { group: "payees", name: "list (limit 50)", method: "GET", path: () => "/api/v1/payees?limit=50", ok: [200], target: oneQueryRead },
  { group: "payees", name: "get", method: "GET", path: (fx) => `/api/v1/payees/${fx.payeeId}`, ok: [200], target: oneQueryRead },
  {
    group: "payees",
    name: "create",
    method: "POST",
    path: () => "/api/v1/payees",
    body: (fx, i) => ({ external_id: `ratio_${fx.run}_${i}`, name: `Ratio payee ${i}`, type: "affiliate" }),
    ok: [201],
  },
  { group: "payout-users", name: "list", method: "GET", path: () => "/api/v1/payout-users?limit=50", ok: [200], target: oneQueryRead },
  {
    group: "payout-users",
    name: "get",
    method: "GET",
    path: (fx) => `/api/v1/payout-users/${fx.payoutUserId}`,
    ok: [200],
    target: oneQueryRead,
  },
  {
    group: "payout-users",
    name: "create (allocation)",
    method: "POST",
    path: () => "/api/v1/payout-users",
    body: (fx, i) => ({ email: `ratio${i % 500}_${fx.run}@example.com`, amount: 1 }),
    ok: [200, 201],
    target: { minRatio: 0.8, maxP99Ratio: 1.5, clients: [128] },
  },
  {
    group: "payout-user",
    name: "get by hash",
    method: "GET",
    path: () => "/api/v1/payout-user",
    // One hash per request in turn: each hash has its own limit (100/s), which one hash alone would hit.
    auth: (fx, i) => `Bearer ${fx.payoutUserHashes[i % fx.payoutUserHashes.length]}`,
    ok: [200],
  },
];

const clientCounts = (process.env.RATIO_CLIENTS ?? "10,128").split(",").map(Number);
/** RATIO_ONLY=<regex> runs only the matching routes (by "group name"), e.g. RATIO_ONLY=balance. */
const only = process.env.RATIO_ONLY ? new RegExp(process.env.RATIO_ONLY) : undefined;
const sqlLatencyMs = 10;
const runMs = Number(process.env.RATIO_RUN_MS ?? 2_000);
const rounds = Number(process.env.RATIO_ROUNDS ?? 3);
const maxPerRun = 6_000;

/** Request number across every row, so that bodies with unique fields never repeat an earlier row's. */
let sequence = 0;

interface Measured {
  requests: number;
  errors: number;
  seconds: number;
  latencies: number[];
  roundTrips: number;
  cpuMs: Record<string, number>;
}

async function measure(ctx: BenchContext, fx: Fixture, route: RouteCase, clients: number, cpu: CpuSampler): Promise<Measured> {
  const url = (fx2: Fixture) => `${ctx.baseUrl}${route.path(fx2)}`;
  const send = async () => {
    const i = sequence++;
    const auth = route.auth ? route.auth(fx, i) : fx.auth;
    const headers: Record<string, string> = {};
    if (auth) headers.Authorization = auth;
    let body: string | undefined;
    if (route.body) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(route.body(fx, i));
    }
    const res = await fetch(url(fx), { method: route.method, headers, body });
    await res.arrayBuffer();
    return route.ok.includes(res.status);
  };
  // Warm-up, untimed: every client has its connection, the key is cached, the ledger loaded.
  await Promise.all(Array.from({ length: clients }, send));

  const before = await ctx.sqlStats();
  const cpuBefore = cpu.read();
  const { errors, seconds, latencies } = await drive(clients, { runMs, maxRequests: maxPerRun }, send);
  const cpuAfter = cpu.read();
  const after = await ctx.sqlStats();
  const cpuMs = Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, (cpuAfter[k]! - (cpuBefore[k] ?? 0)) / latencies.length]));
  return { requests: latencies.length, errors, seconds, latencies, roundTrips: after.requests - before.requests, cpuMs };
}

async function fixture(ctx: BenchContext): Promise<Fixture> {
  const { authHeader } = await ctx.newBusiness({ balance: 10n ** 15n });
  const run = Date.now().toString(36);
  const post = async (path: string, json: unknown) => {
    const res = await fetch(`${ctx.baseUrl}${path}`, {
      method: "POST",
      headers: { Authorization: authHeader, "Content-Type": "application/json" },
      body: JSON.stringify(json),
    });
    const body = (await res.json()) as { data: { id: string; hash?: string } };
    if (res.status !== 201) throw new Error(`fixture: ${path} answered ${res.status} ${JSON.stringify(body)}`);
    return body.data;
  };
  // A full page (51 rows read) for every list from the first run on: with one payee the payees page
  // read one row at 10 clients and 51 at 128 (after the creations), 1.1 against 4.7 ms of SQL CPU.
  const payee = await post("/api/v1/payees", { external_id: `ratio_fixture_${run}`, name: "Ratio fixture", type: "affiliate" });
  for (let p = 1; p <= 50; p++)
    await post("/api/v1/payees", { external_id: `ratio_fixture_${run}_${p}`, name: `Ratio fixture ${p}`, type: "affiliate" });
  const users = [];
  for (let u = 0; u < 51; u++)
    users.push(await post("/api/v1/payout-users", { email: `ratio_fixture_${u}_${run}@example.com`, amount: 100 }));
  return { auth: authHeader, payeeId: payee.id, payoutUserId: users[0]!.id, payoutUserHashes: users.map((u) => u.hash!), run };
}

/** A route's measurements, one per round, each beside the no-database route's of the same round. */
interface Rounds {
  route: RouteCase;
  m: Measured[];
  base: Measured[];
}

const rate = (m: Measured) => m.requests / m.seconds;
const p99 = (m: Measured) => percentile(m.latencies, 99);

export async function ratioBench(ctx: BenchContext): Promise<void> {
  const fx = await fixture(ctx);
  const cpu = new CpuSampler(ctx.processes());
  console.log(`(waited ${(await untilQuiet(cpu)).toFixed(0)} s for the fixture's work to finish)`);
  await ctx.setSqlLatency(sqlLatencyMs);
  const rows: Record<string, string | number>[] = [];
  const verdicts: string[] = [];
  try {
    for (const clients of clientCounts) {
      // Each route alternates with the no-database route over `rounds` rounds (the order swapped every
      // round) and is compared with the baseline of its own round: one run of each swung by 0.1 and
      // more between runs minutes apart, as the machine's other load came and went.
      const measured: Rounds[] = [];
      for (const route of routes) {
        if (only && !only.test(`${route.group} ${route.name}`)) continue;
        const r: Rounds = { route, m: [], base: [] };
        for (let round = 0; round < rounds; round++) {
          for (const side of rotated([noDatabase, route], round)) {
            (side === noDatabase ? r.base : r.m).push(await measure(ctx, fx, side, clients, cpu));
          }
        }
        measured.push(r);
      }
      const baseline = measured.flatMap((r) => r.base);
      rows.push(row(noDatabase, clients, baseline));
      for (const r of measured) {
        rows.push(row(r.route, clients, r.m, r.base));
        const t = r.route.target;
        if (t && (!t.clients || t.clients.includes(clients))) {
          const ratio = medianPerRound(r.m, r.base, (m, b) => rate(m) / rate(b));
          const p99Ratio = medianPerRound(r.m, r.base, (m, b) => p99(m) / p99(b));
          const errors = r.m.reduce((a, m) => a + m.errors, 0);
          const met = ratio >= t.minRatio && (t.maxP99Ratio === undefined || p99Ratio <= t.maxP99Ratio) && errors === 0;
          verdicts.push(
            `${r.route.group} ${r.route.name} at ${clients} clients: ${ratio.toFixed(2)} of the no-database req/s (want >= ${t.minRatio})` +
              (t.maxP99Ratio === undefined ? "" : `, p99 ${p99Ratio.toFixed(2)}x (want <= ${t.maxP99Ratio}x)`) +
              `, ${errors} errors: ${met ? "MET" : "NOT MET"}`,
          );
        }
      }
    }
  } finally {
    await ctx.setSqlLatency(0);
  }
  printTable(
    `Every route beside the no-database route, ${sqlLatencyMs} ms SQL latency, medians of ${rounds} alternated rounds of ${runMs / 1000} s ` +
      `(or ${maxPerRun} requests), ${ctx.database}. CPU is ms per request of each local process (${cpu.describe()}), ` +
      "and in brackets the median over rounds of its difference from the same round's no-database route",
    rows,
  );
  for (const v of verdicts) console.log(`Target: ${v}`);
}

/** One table row: medians over rounds; against `base` (the same rounds' no-database route) unless it is the baseline. */
function row(route: RouteCase, clients: number, ms: Measured[], base?: Measured[]) {
  const requests = ms.reduce((a, m) => a + m.requests, 0);
  const againstBase = (f: (m: Measured, b: Measured) => number) => medianPerRound(ms, base ?? ms, f);
  const r: Record<string, string | number> = {
    route: route === noDatabase ? route.name : `${route.group} ${route.name}`,
    clients,
    "req/s": Math.round(median(ms.map(rate))),
    "x no-db": +againstBase((m, b) => rate(m) / rate(b)).toFixed(2),
    "p50 ms": +median(ms.map((m) => percentile(m.latencies, 50))).toFixed(1),
    "p99 ms": +median(ms.map(p99)).toFixed(1),
    "p99 x no-db": +againstBase((m, b) => p99(m) / p99(b)).toFixed(2),
    "SQL trips/req": +(ms.reduce((a, m) => a + m.roundTrips, 0) / Math.max(1, requests)).toFixed(3),
    errors: ms.reduce((a, m) => a + m.errors, 0),
  };
  for (const k of Object.keys(ms[0]?.cpuMs ?? {})) {
    const own = median(ms.map((m) => m.cpuMs[k] ?? 0));
    r[`${k} CPU ms`] = base
      ? `${own.toFixed(2)} (+${againstBase((m, b) => (m.cpuMs[k] ?? 0) - (b.cpuMs[k] ?? 0)).toFixed(2)})`
      : +own.toFixed(2);
  }
  return r;
}

/**
 * CPU time (user + system) of the local processes, from /proc, in ms. Linux only; elsewhere
 * the CPU columns are left out.
 */
export class CpuSampler {
  private readonly tick = 100; // USER_HZ, 100 on every Linux this runs on
  constructor(private readonly groups: Record<string, () => number[]>) {}

  describe(): string {
    return Object.entries(this.groups)
      .map(([k, pids]) => `${k}: ${pids().length} process${pids().length === 1 ? "" : "es"}`)
      .join(", ");
  }

  read(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, pids] of Object.entries(this.groups)) {
      let ticks = 0;
      let seen = 0;
      for (const pid of pids()) {
        try {
          // Fields after the command (which may hold spaces) start at ")": utime and stime are 14 and 15.
          const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
          const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
          ticks += Number(fields[11]) + Number(fields[12]);
          seen++;
        } catch {
          // gone, or not Linux
        }
      }
      if (seen) out[name] = (ticks * 1000) / this.tick;
    }
    return out;
  }
}

/**
 * Waits until the sampled processes are idle (together under 5% of a core over a second; at most a
 * minute), so that work left over from setup (the ledger's writes, queue consumers) is not measured
 * as the next route's CPU. Returns the seconds waited.
 */
export async function untilQuiet(cpu: CpuSampler): Promise<number> {
  const started = Date.now();
  let last = cpu.read();
  while (Date.now() - started < 60_000) {
    await new Promise((r) => setTimeout(r, 1_000));
    const now = cpu.read();
    const busyMs = Object.keys(now).reduce((sum, k) => sum + (now[k] ?? 0) - (last[k] ?? 0), 0);
    last = now;
    if (busyMs < 50) break;
  }
  return (Date.now() - started) / 1000;
}

/** Every descendant of `root` (Linux /proc), with its command line. */
export function descendants(root: number): { pid: number; cmd: string }[] {
  const parents = new Map<number, number>();
  const cmds = new Map<number, string>();
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(e), ppid);
      cmds.set(Number(e), readFileSync(`/proc/${e}/cmdline`, "utf8").replaceAll("\0", " "));
    } catch {
      // exited meanwhile
    }
  }
  const out: { pid: number; cmd: string }[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        out.push({ pid: child, cmd: cmds.get(child) ?? "" });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}
