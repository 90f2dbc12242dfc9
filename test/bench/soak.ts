// `npm run bench -- soak`: 64 clients for 60 s over a mixed workload: error rate, p99 latency per
// 10 s window, and the Worker's memory at the start and the end (the issue asks for no growth beyond
// 10%; the start is taken after SOAK_WARMUP_SECONDS, 10, of the same load). The Worker's memory is
// its isolate's JavaScript heap after a full garbage collection, read through the runtime's inspector
// (so this soak runs the Worker through Miniflare: inspectable-worker.ts); the runtime's resident
// memory is printed beside it, with the same soak of a minimal Worker as the runtime's own baseline.
// SOAK_SECONDS / SOAK_CLIENTS override.
import { readFileSync } from "node:fs";
import { type BenchContext, percentile, printTable } from "./context";
import { type InspectableWorker, startInspectableWorker } from "./inspectable-worker";
import { descendants } from "./ratio";

const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const clients = Number(process.env.SOAK_CLIENTS ?? 64);
const windowMs = 10_000;
/** Seconds of the same load before the start is measured (SOAK_WARMUP_SECONDS). */
const warmupSeconds = Number(process.env.SOAK_WARMUP_SECONDS ?? 10);
/**
 * Seconds of quiet before the Worker's memory is read, at the start and at the end alike
 * (SOAK_SETTLE_SECONDS): under load the isolate holds the requests in flight and the Durable
 * Objects they woke (the sandbox rail's, one per payout, until the runtime evicts them, within
 * 15 s here), a megabyte or two that comes and goes. Read at the same quiet moment twice, what is
 * left is what the Worker kept.
 */
const settleSeconds = Number(process.env.SOAK_SETTLE_SECONDS ?? 15);

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

interface Soaked {
  /** Before the warm-up, after the Worker's first request. */
  memCold?: number;
  windows: { latencies: number[]; errors: number }[];
  memStart?: number;
  /** The memory at the end of each window: growth that levels off is the heap settling, growth that keeps on is a leak. */
  memAt: (number | undefined)[];
  memEnd?: number;
  /** The Worker's memory after a full collection, settled after the warm-up and after the soak (bytes). */
  heapStart?: number;
  heapEnd?: number;
  /** The same, read the moment the soak's load stopped (requests and objects in flight included). */
  heapLoaded?: number;
  /** The runtime's resident memory after that quiet. */
  memSettled?: number;
  /** The heap in use (garbage included) at the end of each window. */
  heapAt: (number | undefined)[];
}

/** `clients` clients sending the requests of `mix` in turn for `seconds`, the workerd of `pids` sampled. */
async function soak(
  mix: (() => Promise<number>)[],
  workerd: () => number[],
  heap?: Pick<InspectableWorker, "heapAfterGc" | "heapUsed">,
): Promise<Soaked> {
  // The same load for a while first: a runtime that has served one request of each kind has not yet
  // compiled its hot code or grown its heap to what the load needs, and that growth is not a leak.
  const memCold = memoryMiB(workerd());
  const warmUntil = performance.now() + warmupSeconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < warmUntil; i++) await mix[i % mix.length]!().catch(() => 0);
    }),
  );
  const memStart = memoryMiB(workerd());
  // Between the two loads, so that the snapshot's pause (a few hundred ms) falls in no window.
  const settled = async () => {
    if (!heap) return undefined;
    await new Promise((resolve) => setTimeout(resolve, settleSeconds * 1000));
    return heap.heapAfterGc();
  };
  const heapStart = await settled();
  const memAt: (number | undefined)[] = [];
  const heapAt: (number | undefined)[] = [];
  const sampler = setInterval(() => {
    memAt.push(memoryMiB(workerd()));
    const i = heapAt.push(undefined) - 1;
    // A failed reading leaves the window's figure unknown ("?"); the settled readings decide.
    heap
      ?.heapUsed()
      .then((used) => {
        heapAt[i] = used;
      })
      .catch(() => {});
  }, windowMs);
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
  const heapLoaded = await heap?.heapAfterGc();
  const heapEnd = await settled();
  const memSettled = heap ? memoryMiB(workerd()) : undefined;
  return { memCold, windows, memStart, memAt, memEnd, heapStart, heapEnd, heapLoaded, heapAt, memSettled };
}

/** Memory growth in per cent, or undefined when the processes were not found. */
const growthOf = (r: Soaked) => (r.memStart && r.memEnd ? (r.memEnd / r.memStart - 1) * 100 : undefined);
const mib = (v: number | undefined) => v?.toFixed(0) ?? "?";

/**
 * The same soak of a Worker that only answers 404 (test/bench/soak-baseline), started the same way
 * in the same runtime: the memory workerd itself keeps per request under a local run, beside Disburse's.
 */
async function baselineSoak(): Promise<Soaked> {
  const worker = await startInspectableWorker("test/bench/soak-baseline/wrangler.toml", {}, () =>
    descendants(process.pid).map((p) => p.pid),
  );
  try {
    const url = `${worker.url}/api/v1/payouts/not-a-payout-id`;
    return await soak(
      [
        async () => {
          const res = await fetch(url);
          await res.arrayBuffer();
          return res.status;
        },
      ],
      () => worker.pids,
    );
  } finally {
    await worker.dispose();
  }
}

export async function soakBench(ctx: BenchContext): Promise<void> {
  const worker = await ctx.inspectableWorker();
  const { authHeader } = await ctx.newBusiness({ balance: 10n ** 15n, rateLimit: { rate: 1_000_000, burst: 1_000_000 } });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${worker.url}${path}`, {
      method,
      headers: { Authorization: authHeader, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    await res.arrayBuffer();
    return res.status;
  };
  let payouts = 0;
  const run = Date.now().toString(36).slice(-6);
  const payout = () => ({
    initiation: {
      refId: `s${run}-${payouts++}`,
      remittanceInformationPrimary: "Soak",
      amount: { value: "0.01", currency: "USD" },
      localInstrument: "SEPA",
      creditor: { name: "Soak Payee", iban: "DE89370400440532013000" },
    },
  });
  // The mixed workload: reads, payee writes, allocations, payouts (which the queue hands to the
  // sandbox rail, whose events come back as webhooks). SOAK_ONLY=<regex> keeps the matching
  // requests, and SOAK_ONLY=no-database soaks the 404 route alone (to tell the runtime's memory
  // from ours).
  const all: [string, () => Promise<number>][] = [
    ["balance", () => call("GET", "/api/v1/balance")],
    ["payees list", () => call("GET", "/api/v1/payees?limit=20")],
    ["payees create", () => call("POST", "/api/v1/payees", { name: "Soak", type: "affiliate" })],
    ["allocation", () => call("POST", "/api/v1/payout-users", { email: `soak${Math.floor(Math.random() * 200)}@example.com`, amount: 1 })],
    ["payout-users list", () => call("GET", "/api/v1/payout-users?limit=20")],
    ["payout", () => call("POST", "/api/v1/payouts", payout())],
    ["payouts list", () => call("GET", "/api/v1/payouts?limit=20&statuses=INITIATION_COMPLETED")],
  ];
  const only = process.env.SOAK_ONLY ? new RegExp(process.env.SOAK_ONLY) : undefined;
  const mix =
    only?.test("no-database") === true
      ? [() => call("GET", "/api/v1/payouts/not-a-payout-id")]
      : all.filter(([name]) => !only || only.test(name)).map(([, f]) => f);
  const soaked = await soak(mix, () => worker.pids, worker);
  const { memCold, windows, memStart, memAt, memEnd, heapStart, heapEnd, heapLoaded, heapAt, memSettled } = soaked;
  const rows = windows.map((w, i) => {
    w.latencies.sort((a, b) => a - b);
    return {
      window: `${(i * windowMs) / 1000}-${((i + 1) * windowMs) / 1000} s`,
      requests: w.latencies.length,
      "error %": +((100 * w.errors) / Math.max(1, w.latencies.length)).toFixed(2),
      "p99 ms": +percentile(w.latencies, 99).toFixed(1),
      "heap in use MiB": heapAt[i] === undefined ? "?" : (heapAt[i] / 2 ** 20).toFixed(1),
      "workerd MiB": memAt[i]?.toFixed(0) ?? "?",
    };
  });
  printTable(`Soak: ${clients} clients for ${seconds} s, mixed workload on ${ctx.database} (noisy: shared machine)`, rows);
  const total = windows.reduce((n, w) => n + w.latencies.length, 0);
  const errors = windows.reduce((n, w) => n + w.errors, 0);
  const growth = growthOf(soaked);
  console.log(`error rate ${((100 * errors) / Math.max(1, total)).toFixed(2)}%; ${payouts} payouts initiated`);
  if (heapStart && heapEnd) {
    const heapGrowth = (heapEnd / heapStart - 1) * 100;
    const m = (bytes: number | undefined) => (bytes === undefined ? "?" : (bytes / 2 ** 20).toFixed(2));
    console.log(
      `the Worker's memory (its isolate: JavaScript heap, runtime objects and ArrayBuffers, after a full collection, ${settleSeconds} s after the load): ` +
        `${m(heapStart)} MiB after ${warmupSeconds} s of warm-up -> ${m(heapEnd)} MiB after the soak (${heapGrowth.toFixed(1)}%, want <= 10%: ${heapGrowth <= 10 ? "MET" : "NOT MET"}); ` +
        `${m(heapLoaded)} MiB the moment the soak's load stopped (requests and objects in flight)`,
    );
  }
  console.log(
    `the runtime's resident memory (workerd, every isolate, the allocator's caches): ${mib(memCold)} MiB cold, ${mib(memStart)} MiB after the warm-up -> ${mib(memEnd)} MiB` +
      (growth === undefined ? " (not found)" : ` (${growth.toFixed(1)}%)`) +
      `, ${mib(memSettled)} MiB ${settleSeconds} s later`,
  );
  const base = await baselineSoak();
  const baseGrowth = growthOf(base);
  const baseRequests = base.windows.reduce((n, w) => n + w.latencies.length, 0);
  console.log(
    `baseline, a Worker that only answers 404, same clients and time: ${baseRequests} requests, workerd memory ${mib(base.memCold)} MiB cold, ${mib(base.memStart)} MiB warm -> ` +
      `${mib(base.memEnd)} MiB (${baseGrowth?.toFixed(1) ?? "?"}%; per window: ${base.memAt.map(mib).join(", ")})`,
  );
  if (memStart && memEnd && base.memStart && base.memEnd) {
    const ours = ((memEnd - memStart) * 1024) / Math.max(1, total);
    const theirs = ((base.memEnd - base.memStart) * 1024) / Math.max(1, baseRequests);
    console.log(`growth per request: Disburse ${ours.toFixed(1)} KiB, the minimal Worker ${theirs.toFixed(1)} KiB`);
  }
}
