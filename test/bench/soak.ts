// `npm run bench -- soak`: 64 clients for 60 s over a mixed workload against `wrangler dev`:
// error rate, p99 latency per 10 s window, and the Worker's (workerd's) memory at the start and
// the end (the issue asks for no growth beyond 10%). SOAK_SECONDS / SOAK_CLIENTS override.
import { readFileSync } from "node:fs";
import { type BenchContext, percentile, printTable } from "./context";

const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const clients = Number(process.env.SOAK_CLIENTS ?? 64);
const windowMs = 10_000;

/** Resident memory (MiB) of these processes (the Worker's workerd), from /proc (Linux only). */
function memoryMiB(pids: number[]): number | undefined {
  let total = 0;
  let found = false;
  for (const pid of pids) {
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (rss) {
        total += Number(rss[1]) / 1024;
        found = true;
      }
    } catch {
      // the process went away, or not Linux
    }
  }
  return found ? total : undefined;
}

export async function soakBench(ctx: BenchContext): Promise<void> {
  // The runtime that serves the Worker (the runner records it when it starts the Worker).
  const workerd = ctx.processes()["workerd (Worker)"] ?? (() => []);
  const { authHeader } = await ctx.newBusiness({ balance: 10n ** 15n, rateLimit: { rate: 1_000_000, burst: 1_000_000 } });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${ctx.baseUrl}${path}`, {
      method,
      headers: { Authorization: authHeader, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    await res.arrayBuffer();
    return res.status;
  };
  // The mixed workload: reads, payee writes, allocations. SOAK_ONLY=<regex> keeps the matching
  // requests, and SOAK_ONLY=no-database soaks the 404 route alone (to tell the runtime's memory
  // from ours).
  const all: [string, () => Promise<number>][] = [
    ["balance", () => call("GET", "/api/v1/balance")],
    ["payees list", () => call("GET", "/api/v1/payees?limit=20")],
    ["payees create", () => call("POST", "/api/v1/payees", { name: "Soak", type: "affiliate" })],
    ["allocation", () => call("POST", "/api/v1/payout-users", { email: `soak${Math.floor(Math.random() * 200)}@example.com`, amount: 1 })],
    ["payout-users list", () => call("GET", "/api/v1/payout-users?limit=20")],
  ];
  const only = process.env.SOAK_ONLY ? new RegExp(process.env.SOAK_ONLY) : undefined;
  const mix =
    only?.test("no-database") === true
      ? [() => call("GET", "/api/v1/payouts/not-a-payout-id")]
      : all.filter(([name]) => !only || only.test(name)).map(([, f]) => f);
  await Promise.all(mix.map((f) => f())); // warm
  const memStart = memoryMiB(workerd());
  // The memory at the end of each window: growth that levels off is the heap settling, growth that
  // keeps on is a leak.
  const memAt: (number | undefined)[] = [];
  const sampler = setInterval(() => memAt.push(memoryMiB(workerd())), windowMs);
  const windows: { latencies: number[]; errors: number }[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < deadline; i++) {
        const t = performance.now();
        const status = await mix[i % mix.length]!().catch(() => 0);
        const w = (windows[Math.floor((t - started) / windowMs)] ??= { latencies: [], errors: 0 });
        w.latencies.push(performance.now() - t);
        if (status >= 500 || status === 0) w.errors++;
      }
    }),
  );
  clearInterval(sampler);
  const memEnd = memoryMiB(workerd());
  const rows = windows.map((w, i) => {
    w.latencies.sort((a, b) => a - b);
    return {
      window: `${(i * windowMs) / 1000}-${((i + 1) * windowMs) / 1000} s`,
      requests: w.latencies.length,
      "error %": +((100 * w.errors) / Math.max(1, w.latencies.length)).toFixed(2),
      "p99 ms": +percentile(w.latencies, 99).toFixed(1),
      "workerd MiB": memAt[i]?.toFixed(0) ?? "?",
    };
  });
  printTable(`Soak: ${clients} clients for ${seconds} s, mixed workload on ${ctx.database} (noisy: shared machine)`, rows);
  const total = windows.reduce((n, w) => n + w.latencies.length, 0);
  const errors = windows.reduce((n, w) => n + w.errors, 0);
  const growth = memStart && memEnd ? (memEnd / memStart - 1) * 100 : undefined;
  console.log(
    `error rate ${((100 * errors) / Math.max(1, total)).toFixed(2)}%; workerd memory ${memStart?.toFixed(0) ?? "?"} MiB -> ${memEnd?.toFixed(0) ?? "?"} MiB` +
      (growth === undefined ? " (not found)" : ` (${growth.toFixed(1)}%, want <= 10%: ${growth <= 10 ? "MET" : "NOT MET"})`),
  );
}
