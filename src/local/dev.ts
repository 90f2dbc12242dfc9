// `npm run dev`: the local SQL server on the embedded database (or LOCAL_POSTGRES_URL),
// migrations, the demo business and key, then `wrangler dev` pointed at that server.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createDb } from "../db/client";
import { defaultDataDir, defaultSqlPort, localDatabaseUrl } from "./connect";
import { ensureDemo } from "./demo-business";
import { applyMigrations, openBackend } from "./open-backend";
import { startSqlServer } from "./sql-server";

const apiPort = Number(process.env.PORT ?? 8787);
const sqlPort = Number(process.env.SQL_PORT ?? defaultSqlPort);

const backend = await openBackend({ postgresUrl: process.env.LOCAL_POSTGRES_URL, dataDir: defaultDataDir });
await applyMigrations(backend);
const server = await startSqlServer({ backend, port: sqlPort, latencyMs: Number(process.env.SQL_LATENCY_MS ?? 0) });
const db = createDb({ DATABASE_URL: localDatabaseUrl, SQL_ENDPOINT: server.url });
const demo = await ensureDemo(db);

// Payout user hashes are HMACs under this secret: it must outlive restarts, so it lives in .data/.
const secretFile = ".data/payout-hash-secret";
if (!existsSync(secretFile)) {
  mkdirSync(".data", { recursive: true });
  writeFileSync(secretFile, randomBytes(32).toString("hex"), { mode: 0o600 });
}
const hashSecret = readFileSync(secretFile, "utf8").trim();

const base = `http://localhost:${apiPort}`;
console.log(`
Disburse is starting on ${base}  (database: ${process.env.LOCAL_POSTGRES_URL ? "Postgres at LOCAL_POSTGRES_URL" : `PGlite in ${defaultDataDir}`})
  API docs:     ${base}/docs
  Demo key:     ${demo.secret}   (business ${demo.businessId}, every scope)
  Try:          curl -H "Authorization: Bearer ${demo.secret}" ${base}/api/v1/balance
`);

// Its own process group, so that stopping it stops wrangler's children (workerd) too.
const wrangler = spawn(
  "node_modules/.bin/wrangler",
  [
    "dev", "--port", String(apiPort), "--ip", "127.0.0.1",
    "--var", `SQL_ENDPOINT:${server.url}`,
    "--var", `DATABASE_URL:${localDatabaseUrl}`,
    "--var", `PAYOUT_HASH_SECRET:${hashSecret}`,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit", detached: true },
);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  try {
    process.kill(-wrangler.pid!, "SIGTERM");
  } catch {
    // already gone
  }
  await server.close();
  await backend.close();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
wrangler.on("exit", (code) => void stop(code ?? 0));
