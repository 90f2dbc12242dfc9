// The limiter's cost and its aim. Throughput of a trivial authenticated route (GET /api/v1/balance)
// with the limiter (the RateLimiter Durable Object, whose leases spare a busy key most hops:
// src/ratelimit/leases.ts), with the candidate not chosen (the Workers Rate Limiting binding,
// RATE_LIMITS=binding) and without either (RATE_LIMITS=off, twice: the second is an A/A control),
// in the same run and alternated, each on a Worker of its own started the same way for this bench
// (the bench's main Worker has served the other benches: not a like-for-like baseline); then the
// 429 share under a 2x overload.
import { type BenchContext, median, medianPerRound, percentile, printTable, rotated, type WorkerBindings } from "./context";
import { CpuSampler } from "./ratio";

const clients = 32;
const runMs = 4_000;
const warmMs = 3_000;
const rounds = 5;
const unlimited = { rate: 1_000_000, burst: 1_000_000 };

async function get(url: string, auth: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/balance`, { headers: { Authorization: auth } });
  await res.arrayBuffer();
  return res.status;
}

/** Closed-loop load for `ms`; with `cpu`, the Worker's CPU per request over the measured requests. */
async function throughput(url: string, auth: string, ms = runMs, cpu?: CpuSampler) {
  await Promise.all(Array.from({ length: clients }, () => get(url, auth))); // warm: connections, key cache
  const cpuBefore = cpu?.read().worker;
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
  const cpuAfter = cpu?.read().worker;
  const cpuMs = cpuBefore === undefined || cpuAfter === undefined ? NaN : (cpuAfter - cpuBefore) / latencies.length;
  return { rps: (latencies.length - errors) / seconds, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuMs };
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

interface Mode {
  mode: string;
  url: string;
  /** Requests per second and Worker CPU ms per request, one entry per round. */
  rps: number[];
  cpu: number[];
}

export async function rateLimitBench(ctx: BenchContext): Promise<void> {
  const mode = async (name: string, vars: Record<string, string>, bindings?: WorkerBindings): Promise<Mode> => ({
    mode: name,
    url: await ctx.workerWith(vars, bindings),
    rps: [],
    cpu: [],
  });
  const limiter = await mode("limiter on (DO + leases)", { RATE_LIMITS: "on" });
  // Limited far above the load, as the RateLimiter's keys are: its cost is measured, not its refusals.
  const binding = await mode(
    "Rate Limiting binding",
    { RATE_LIMITS: "binding" },
    { RATE_LIMIT_BINDING: { type: "ratelimit", namespace_id: "1001", simple: { limit: 1_000_000, period: 10 } } },
  );
  const baseline = await mode("limiter off (baseline)", { RATE_LIMITS: "off" });
  // A/A control: a second Worker with the limiter off, so the table shows what two identical
  // Workers differ by on this machine (the noise floor any figure above must be read against).
  const twin = await mode("limiter off (A/A control)", { RATE_LIMITS: "off", BENCH_TWIN: "1" });
  const modes = [limiter, binding, baseline, twin];
  const { authHeader } = await ctx.newBusiness({ rateLimit: unlimited });
  // Each Worker first serves the same load unmeasured: a run with two limiter-off Workers showed
  // the first measured row of a fresh Worker 25% slower (a cold isolate), whichever it was.
  for (const { url } of modes) await throughput(url, authHeader, warmMs);
  const rows: Record<string, string | number>[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternated, the order rotated each round: no side always runs first or on a warmer machine.
    for (const m of rotated(modes, round)) {
      const workerd = ctx.processes(m.url)["workerd (Worker)"] ?? (() => []);
      const r = await throughput(m.url, authHeader, runMs, new CpuSampler({ worker: workerd }));
      m.rps.push(r.rps);
      m.cpu.push(r.cpuMs);
      rows.push({
        round: round + 1,
        mode: m.mode,
        clients,
        "req/s": Math.round(r.rps),
        "p50 ms": +r.p50.toFixed(1),
        "p99 ms": +r.p99.toFixed(1),
        "Worker CPU ms/req": +r.cpuMs.toFixed(2),
        errors: r.errors,
      });
    }
  }
  printTable(`GET /api/v1/balance on ${ctx.database}, ${runMs / 1000} s per row (the machine is shared: noisy)`, rows);
  // Per round, each side against the baseline measured in that round; the median over rounds,
  // so that one row disturbed by the machine does not decide the figure.
  const lost = (m: Mode) => 1 - medianPerRound(m.rps, baseline.rps, (rps, base) => rps / base);
  const cpuExtra = (m: Mode) => medianPerRound(m.cpu, baseline.cpu, (ms, base) => ms - base);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const limiterLost = lost(limiter);
  console.log(
    `Throughput lost to the limiter (median of ${rounds} rounds): ${pct(limiterLost)} (target < 5%): ${limiterLost < 0.05 ? "MET" : "NOT MET"}`,
  );
  console.log(`Lost to the Rate Limiting binding (not chosen: no per-key limits, no RateLimit headers): ${pct(lost(binding))}`);
  console.log(`A/A control, a second limiter-off Worker against the first: ${pct(lost(twin))} (the noise floor)`);
  // CPU per request of each Worker's workerd (the runtime, its Durable Objects included), from
  // /proc: steadier than throughput on a shared machine, since it does not depend on scheduling.
  console.log(
    `Worker CPU per request beyond the baseline's ${median(baseline.cpu).toFixed(2)} ms (median of rounds): ` +
      `limiter ${cpuExtra(limiter).toFixed(2)} ms, binding ${cpuExtra(binding).toFixed(2)} ms, A/A ${cpuExtra(twin).toFixed(2)} ms`,
  );

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
