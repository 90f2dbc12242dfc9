// `npm run bench`: starts the local SQL server (PGlite, and Postgres when TEST_POSTGRES_URL is
// set) and `wrangler dev` against it, then runs every benchmark. Nothing here runs in `npm test`.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../../src/db/client";
import { allScopes, createApiKey } from "../../src/services/api-keys";
import { setKeyRateLimit } from "../../src/services/api-key-rate-limits";
import { createBusiness } from "../../src/services/businesses";
import { allocationsBench } from "./allocations";
import type { BenchContext } from "./context";
import { payeesBench } from "./payees";
import { rateLimitBench } from "./rate-limit";
import { bankCheck } from "./bank";
import { soakBench } from "./soak";

const benches: Record<string, (ctx: BenchContext) => Promise<void>> = { payees: payeesBench, allocations: allocationsBench };
benches["rate-limit"] = rateLimitBench;
benches.bank = bankCheck;
benches.soak = soakBench;
const only = process.argv.slice(2);
const children: ChildProcess[] = [];
const persistDir = mkdtempSync(join(tmpdir(), "disburse-bench-"));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startWorker(sqlUrl: string, vars: Record<string, string>): Promise<string> {
  const port = await freePort();
  const allVars = {
    SQL_ENDPOINT: sqlUrl,
    DATABASE_URL: "postgres://disburse:local@localhost/disburse",
    PAYOUT_HASH_SECRET: "bench-secret-bench-secret-bench-secret",
    AUTH_CACHE_TTL_SECONDS: "60",
    ...vars,
  };
  const args = ["dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", join(persistDir, String(port)), "--log-level", "error"];
  for (const [k, v] of Object.entries(allVars)) args.push("--var", `${k}:${v}`);
  const child = spawn("node_modules/.bin/wrangler", args, { stdio: ["ignore", "ignore", "inherit"], detached: true });
  children.push(child);
  return waitFor(`http://127.0.0.1:${port}`);
}

/**
 * The database runs in its own process (src/local/sql-server-main.ts), as it would on its own
 * machine, so that it does not share an event loop with the load generator.
 */
async function startSqlServer(postgresUrl?: string): Promise<string> {
  const port = await freePort();
  const env = { ...process.env, SQL_PORT: String(port), SQL_DATA_DIR: "memory", LOCAL_POSTGRES_URL: postgresUrl ?? "" };
  const child = spawn("node_modules/.bin/tsx", ["src/local/sql-server-main.ts"], { stdio: ["ignore", "ignore", "inherit"], env, detached: true });
  children.push(child);
  return waitFor(`http://127.0.0.1:${port}`).then((origin) => `${origin}/sql`);
}

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
  const sqlUrl = await startSqlServer(postgresUrl);
  const origin = sqlUrl.replace(/\/sql$/, "");
  const db = createDb({ DATABASE_URL: "postgres://disburse:local@localhost/disburse", SQL_ENDPOINT: sqlUrl });
  const workers = new Map<string, Promise<string>>();
  const workerWith = (vars: Record<string, string>) => {
    const id = JSON.stringify(vars);
    if (!workers.has(id)) workers.set(id, startWorker(sqlUrl, vars));
    return workers.get(id)!;
  };
  const ctx: BenchContext = {
    database,
    baseUrl: await workerWith({}),
    db,
    sqlOrigin: origin,
    workerWith,
    newBusiness: async (opts = {}) => {
      const business = await createBusiness(db, { name: "Bench", payoutBalance: opts.balance ?? 10n ** 12n, payoutsEnabled: true });
      const key = await createApiKey(db, business.id, [...allScopes]);
      if (opts.rateLimit) await setKeyRateLimit(db, key.id, opts.rateLimit);
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
      if (!only.length && (name === "bank" || name === "soak")) continue; // long: only when asked for (`npm run bench -- bank`)
      await bench(ctx);
    }
  } finally {
    stopChildren();
  }
}

function stopChildren() {
  for (const child of children.splice(0)) {
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

try {
  console.log(`Benchmarks on ${process.version}, ${(await import("node:os")).cpus().length} cores; wrangler dev (workerd) against the local SQL server.`);
  await onDatabase("pglite");
  if (process.env.TEST_POSTGRES_URL) await onDatabase("postgres", process.env.TEST_POSTGRES_URL);
  else console.log("\nTEST_POSTGRES_URL is not set: the Postgres half of the benchmarks was not run.");
} finally {
  stopChildren();
  rmSync(persistDir, { recursive: true, force: true });
}
