/**
 * Local Neon SQL-over-HTTP endpoint: `tsx src/local/sql-server-main.ts`.
 * Env: LOCAL_POSTGRES_URL (else PGlite persisted in SQL_DATA_DIR, default .data/pglite, or in
 * memory when SQL_DATA_DIR=memory), SQL_PORT (8788),
 * SQL_HOST (127.0.0.1), SQL_LATENCY_MS (0), SQL_LOG=1 to log every request.
 */
import { existsSync } from "node:fs";
import { applyMigrations, openBackend } from "./open-backend";
import { dataPaths } from "./paths";
import { startSqlServer } from "./sql-server";

const MIGRATIONS = "schema/migrations";

const postgresUrl = process.env.LOCAL_POSTGRES_URL || undefined;
const dataDir = process.env.SQL_DATA_DIR || dataPaths().pglite;
const backend = await openBackend(postgresUrl ? { postgresUrl } : dataDir === "memory" ? {} : { dataDir });

if (existsSync(`${MIGRATIONS}/meta/_journal.json`)) {
  const applied = await applyMigrations(backend, MIGRATIONS);
  console.log(`[local-sql] migrations: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
}

const server = await startSqlServer({
  backend,
  port: intEnv("SQL_PORT", 8788),
  host: process.env.SQL_HOST || "127.0.0.1",
  latencyMs: intEnv("SQL_LATENCY_MS", 0),
  log: process.env.SQL_LOG === "1",
});
console.log(`[local-sql] ${backend.kind} backend, listening on ${server.url}`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[local-sql] ${signal}: shutting down`);
  // Close PGlite properly: killing it mid-write can leave .data/pglite needing recovery.
  await server.close();
  await backend.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
// Started by a Node parent with an IPC channel (the test setup): exit with the parent, however it
// ended, instead of listening on as an orphan.
if (process.send) {
  // Its end of our stdout may be closed already: the goodbye line must not crash the shutdown.
  process.stdout.on("error", () => {});
  process.on("disconnect", () => void stop("parent gone"));
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  return value;
}
