// The limiter's cost and its aim. Throughput of a trivial authenticated route (GET /api/v1/balance)
// with the limiter (the RateLimiter Durable Object, whose leases spare a busy key most hops:
// src/ratelimit/leases.ts) and without it
// (RATE_LIMITS=off), in the same run and alternated, each on a Worker of its own started the same
// way for this bench (the bench's main Worker has served the other benches: not a like-for-like
// baseline); then the 429 share under a 2x overload.
import { type BenchContext, percentile, printTable } from "./context";

const clients = 32;
const runMs = 4_000;
const warmMs = 3_000;
const unlimited = { rate: 1_000_000, burst: 1_000_000 };

async function get(url: string, auth: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/balance`, { headers: { Authorization: auth } });
  await res.arrayBuffer();
  return res.status;
}

async function throughput(url: string, auth: string, ms = runMs) {
  await Promise.all(Array.from({ length: clients }, () => get(url, auth))); // warm: connections, key cache
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        if ((await get(url, auth)) !== 200) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: (latencies.length - errors) / seconds, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Sends at `offered` requests per second (paced, open loop) for `seconds`; counts 200 and 429. */
async function overload(url: string, auth: string, offered: number, seconds: number) {
  const statuses: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < offered * seconds; i++) {
    const due = started + (i * 1000) / offered;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(get(url, auth).then((s) => void statuses.push(s)));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  const ok = statuses.filter((s) => s === 200).length;
  const limited = statuses.filter((s) => s === 429).length;
  return {
    sent: statuses.length,
    okPerSecond: ok / elapsed,
    limitedShare: limited / statuses.length,
    other: statuses.length - ok - limited,
  };
}

export async function rateLimitBench(ctx: BenchContext): Promise<void> {
  const on = await ctx.workerWith({ RATE_LIMITS: "on" });
  const off = await ctx.workerWith({ RATE_LIMITS: "off" });
  const { authHeader } = await ctx.newBusiness({ rateLimit: unlimited });
  // Each Worker first serves the same load unmeasured: a run with both sides off showed the first
  // measured row of a fresh Worker 25% slower (a cold isolate), whichever side it was.
  for (const url of [on, off]) await throughput(url, authHeader, warmMs);
  const rows: Record<string, string | number>[] = [];
  const totals = { on: 0, off: 0 };
  for (const round of [1, 2, 3]) {
    // Alternated, and the order swapped each round: neither side always runs on a warmer machine.
    const modes = [
      ["limiter on (DO + leases)", on],
      ["limiter off (baseline)", off],
    ] as const;
    for (const [mode, url] of round % 2 ? modes : [...modes].reverse()) {
      const r = await throughput(url, authHeader);
      totals[mode.startsWith("limiter on") ? "on" : "off"] += r.rps;
      rows.push({
        round,
        mode,
        clients,
        "req/s": Math.round(r.rps),
        "p50 ms": +r.p50.toFixed(1),
        "p99 ms": +r.p99.toFixed(1),
        errors: r.errors,
      });
    }
  }
  printTable(`GET /api/v1/balance on ${ctx.database}, ${runMs / 1000} s per row (the machine is shared: noisy)`, rows);
  const lost = 1 - totals.on / totals.off;
  console.log(`Throughput lost to the limiter: ${(lost * 100).toFixed(1)}% (target < 5%): ${lost < 0.05 ? "MET" : "NOT MET"}`);

  // 2x overload: a key limited to 50/s with a burst of 50, offered 100/s for 6 s.
  const limited = await ctx.newBusiness({ rateLimit: { rate: 50, burst: 50 } });
  const o = await overload(ctx.baseUrl, limited.authHeader, 100, 6);
  printTable("2x overload: a key limited to 50/s (burst 50), offered 100/s for 6 s", [
    {
      sent: o.sent,
      "allowed/s": +o.okPerSecond.toFixed(1),
      "429 share": `${(o.limitedShare * 100).toFixed(1)}%`,
      "other statuses": o.other,
    },
  ]);
  console.log(`Expected: about 50 allowed/s plus the burst spread over the run (~58/s), about 42% refused with 429.`);
}
