// `npm run bench`: starts the local SQL server (PGlite, and Postgres when TEST_POSTGRES_URL is
// set) and the Worker against it (wrangler's unstable_startWorker, inspector off), then runs
// every benchmark. Nothing here runs in `npm test`.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_startWorker } from "wrangler";
import { createDb } from "../../src/db/client";
import { useRamTmpdir } from "../../src/local/ram-tmpdir";
import { type SqlServerProcess, spawnSqlServer } from "../../src/local/sql-server-process";
import { setKeyRateLimit } from "../../src/services/api-key-rate-limits";
import { allScopes, createApiKey } from "../../src/services/api-keys";
import { createBusiness } from "../../src/services/businesses";
import { allocationsBench } from "./allocations";
import { bankCheck } from "./bank";
import type { BenchContext, WorkerBindings } from "./context";
import { type InspectableWorker, startInspectableWorker } from "./inspectable-worker";
import { ledgerPayoutsBench } from "./ledger-payouts";
import { lifecycleBench } from "./lifecycle";
import { payeesBench } from "./payees";
import { payoutsBench } from "./payouts";
import { profileBench } from "./profile";
import { rateLimitBench } from "./rate-limit";
import { descendants, ratioBench } from "./ratio";
import { soakBench } from "./soak";

const benches: Record<string, (ctx: BenchContext) => Promise<void>> = {
  ratio: ratioBench,
  payees: payeesBench,
  allocations: allocationsBench,
};
benches.payouts = payoutsBench;
benches.lifecycle = lifecycleBench;
benches["payout-requests"] = (ctx) => import("./payout-requests").then((m) => m.payoutRequestsBench(ctx));
benches["ledger-payouts"] = ledgerPayoutsBench;
benches["rate-limit"] = rateLimitBench;
benches.bank = bankCheck;
benches.soak = soakBench;
benches.profile = profileBench;
benches["queue-vs-workflows"] = (ctx) => import("./queue-vs-workflows").then((m) => m.queueVsWorkflowsBench(ctx));
const only = process.argv.slice(2);
const workerHandles: Awaited<ReturnType<typeof unstable_startWorker>>[] = [];
const inspectables: InspectableWorker[] = [];
/** The workerd processes of each started Worker, by its URL: wrangler's proxy in front, the runtime behind. */
const workerProcesses = new Map<string, { proxy: number[]; runtime: number[] }>();
const workerdPids = () => descendants(process.pid).filter((p) => /workerd/.test(p.cmd));
// The Workers' Durable Object storage in RAM, as in the tests: on disk, the sandbox rail's objects
// (one per payout) wait for the file system on the runtime's thread, and the group commit at 128
// clients measured 177 payouts/s instead of 265.
useRamTmpdir();
const persistDir = mkdtempSync(join(tmpdir(), "disburse-bench-"));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * The Worker runs through wrangler's programmatic API with the DevTools inspector off. `wrangler
 * dev` always starts the inspector, and wrangler's inspector proxy then enables `Network` on the
 * runtime and posts a debug-log request to wrangler's Node process for every inspector message
 * (several per subrequest), whatever the log level: about 2 ms of Node CPU per SQL round trip,
 * which the bench would otherwise measure as Disburse's. BENCH_INSPECTOR=1 turns it back on
 * (to attach DevTools, or to measure that toll).
 */
async function startWorker(sqlUrl: string, vars: Record<string, string>, bindings: WorkerBindings = {}): Promise<string> {
  const port = await freePort();
  const allVars = workerVars(sqlUrl, vars);
  const inspector = process.env.BENCH_INSPECTOR === "1" ? { hostname: "127.0.0.1", port: await freePort() } : false;
  const before = new Set(workerdPids().map((p) => p.pid));
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    bindings: {
      ...Object.fromEntries(Object.entries(allVars).map(([k, v]) => [k, { type: "plain_text" as const, value: v }])),
      ...bindings,
    },
    dev: {
      inspector,
      server: { hostname: "127.0.0.1", port },
      persist: join(persistDir, String(port)),
      logLevel: "error",
      watch: false,
    },
  });
  workerHandles.push(worker);
  await worker.ready;
  if (inspector) console.log(`Worker ${JSON.stringify(vars)}: DevTools inspector on ${(await worker.inspectorUrl)?.href}`);
  const url = await waitFor(`http://127.0.0.1:${port}`);
  if (process.env.BENCH_SOURCE_MAPS !== "1") dropSourceMaps();
  // The proxy's workerd listens on the port asked for; the runtime's on one of its own.
  const mine = workerdPids().filter((p) => !before.has(p.pid));
  const isProxy = (p: { cmd: string }) => p.cmd.includes(`:${port} `) || p.cmd.endsWith(`:${port}`);
  workerProcesses.set(url, { proxy: mine.filter(isProxy).map((p) => p.pid), runtime: mine.filter((p) => !isProxy(p)).map((p) => p.pid) });
  return url;
}

/** The vars of every bench Worker, on the local SQL server at `sqlUrl`. */
function workerVars(sqlUrl: string, vars: Record<string, string>): Record<string, string> {
  return {
    SQL_ENDPOINT: sqlUrl,
    DATABASE_URL: "postgres://disburse:local@localhost/disburse",
    PAYOUT_HASH_SECRET: "bench-secret-bench-secret-bench-secret",
    AUTH_CACHE_TTL_SECONDS: "60",
    ...vars,
  };
}

/**
 * wrangler source-maps every stack trace the Worker logs, in this Node process, reading and parsing
 * the bundle's source map (megabytes) afresh for each one: tens of milliseconds of CPU per logged
 * error, which the bank check (thousands of injected failures, each logged by the Worker) measured
 * as Disburse's: 27 operations per second with the map, 65 without. Without the map a logged stack
 * names lines of the bundle (.wrangler/tmp/dev-*) instead of the sources. BENCH_SOURCE_MAPS=1 keeps it.
 */
function dropSourceMaps(): void {
  const tmp = join(".wrangler", "tmp");
  for (const dir of readdirSync(tmp).filter((d) => d.startsWith("dev-")))
    for (const file of readdirSync(join(tmp, dir)).filter((f) => f.endsWith(".map"))) rmSync(join(tmp, dir, file), { force: true });
}

/** The SQL servers started (src/local/sql-server-process.ts: a process of its own, off the load generator's thread). */
const sqlServers: SqlServerProcess[] = [];

async function waitFor(url: string): Promise<string> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return url;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not come up`);
}

async function onDatabase(database: string, postgresUrl?: string): Promise<void> {
  const sqlServer = await spawnSqlServer({ postgresUrl });
  sqlServers.push(sqlServer);
  const sqlUrl = sqlServer.url;
  const origin = sqlUrl.replace(/\/sql$/, "");
  const db = createDb({ DATABASE_URL: "postgres://disburse:local@localhost/disburse", SQL_ENDPOINT: sqlUrl });
  const workers = new Map<string, Promise<string>>();
  const workerWith = (vars: Record<string, string>, bindings?: WorkerBindings) => {
    const id = JSON.stringify([vars, bindings]);
    if (!workers.has(id)) workers.set(id, startWorker(sqlUrl, vars, bindings));
    return workers.get(id)!;
  };
  const baseUrl = await workerWith({});
  const ctx: BenchContext = {
    database,
    sqlUrl,
    baseUrl,
    processes: (url = baseUrl) => ({
      "workerd (Worker)": () => workerProcesses.get(url)?.runtime ?? [],
      "workerd (wrangler proxy)": () => workerProcesses.get(url)?.proxy ?? [],
      "SQL server": () => [sqlServer.pid],
      "Node (load + wrangler)": () => [process.pid],
    }),
    db,
    sqlOrigin: origin,
    workerWith,
    inspectableWorker: async () => {
      const worker = await startInspectableWorker("wrangler.toml", workerVars(sqlUrl, {}), () =>
        descendants(process.pid).map((p) => p.pid),
      );
      inspectables.push(worker);
      return worker;
    },
    newBusiness: async (opts = {}) => {
      const business = await createBusiness(db, { name: "Bench", payoutBalance: opts.balance ?? 10n ** 12n, payoutsEnabled: true });
      const key = await createApiKey(db, business.id, [...allScopes]);
      // Benches measure throughput, not the limiter: a key gets a limit far above any load here
      // unless the bench asks for its own (the rate-limit bench does).
      await setKeyRateLimit(db, key.id, opts.rateLimit ?? { rate: 1_000_000, burst: 1_000_000 });
      return { businessId: business.id, authHeader: `Bearer ${key.secret}` };
    },
    sqlStats: async () => (await fetch(`${origin}/__stats`)).json(),
    setSqlLatency: async (ms) => {
      await fetch(`${origin}/__latency`, { method: "POST", body: JSON.stringify({ ms }) });
    },
  };
  try {
    for (const [name, bench] of Object.entries(benches)) {
      if (only.length && !only.includes(name)) continue;
      // Long, or a diagnosis rather than a figure: only when asked for (`npm run bench -- bank`).
      if (!only.length && (name === "bank" || name === "soak" || name === "profile")) continue;
      await bench(ctx);
    }
  } finally {
    await stopChildren();
  }
}

async function stopChildren() {
  await Promise.allSettled([...workerHandles.splice(0), ...inspectables.splice(0)].map((w) => w.dispose()));
  await Promise.allSettled(sqlServers.splice(0).map((server) => server.stop()));
}

try {
  console.log(
    `Benchmarks on ${process.version}, ${(await import("node:os")).cpus().length} cores; the Worker in workerd through wrangler's unstable_startWorker (inspector ${process.env.BENCH_INSPECTOR === "1" ? "on" : "off"}) against the local SQL server.`,
  );
  await onDatabase("pglite");
  if (process.env.TEST_POSTGRES_URL) await onDatabase("postgres", process.env.TEST_POSTGRES_URL);
  else console.log("\nTEST_POSTGRES_URL is not set: the Postgres half of the benchmarks was not run.");
} finally {
  await stopChildren();
  rmSync(persistDir, { recursive: true, force: true });
}
