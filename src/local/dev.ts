// `npm run dev`: the local SQL server on the embedded database (or LOCAL_POSTGRES_URL),
// migrations, the demo business and key, then the Worker (workerd, through wrangler's API)
// pointed at that server. It refuses to start next to another `npm run dev` on the same data
// directory, and leaves its URLs in .data/dev-server.json for the admin CLI while it runs.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { createDb } from "../db/client";
import { defaultSqlPort, localDatabaseUrl } from "./connect";
import { scheduleCrons } from "./cron";
import { DataDirLocked } from "./data-lock";
import { ensureDemo } from "./demo-business";
import { readDevServerFile, removeDevServerFile, writeDevServerFile } from "./dev-server-file";
import { applyMigrations, openBackend } from "./open-backend";
import { dataPaths } from "./paths";
import { startSqlServer } from "./sql-server";
import type { LocalWorker } from "./worker";

/** One line on stderr and exit 1: the message is the whole story, no stack trace. */
function fail(message: string): never {
  console.error(`npm run dev: ${message}`);
  process.exit(1);
}

function portEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${name} must be a port number, not ${JSON.stringify(raw)}.`);
  return port;
}

/** workerd's own EADDRINUSE arrives as a stack trace from another process: check first. */
async function ensurePortFree(port: number, name: string): Promise<void> {
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const probe = createServer()
      .once("error", resolve)
      .listen(port, "127.0.0.1", () => probe.close(() => resolve(undefined)));
  });
  if (error?.code === "EADDRINUSE") fail(`port ${port} is in use by another program; set ${name} to a free port.`);
  if (error) fail(`cannot listen on port ${port} (${name}): ${error.message}`);
}

const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
type SignalListener = (signal: NodeJS.Signals) => void;
const deferred: [NodeJS.Signals, SignalListener][] = [];

/**
 * wrangler (on import) and Miniflare (on start) install signal listeners that call process.exit
 * at once, before the embedded database could close. They are taken off and run after our own
 * shutdown instead (wrangler's still deletes its temporary files).
 */
function deferOtherSignalListeners(ours: SignalListener) {
  for (const signal of signals) {
    for (const listener of process.listeners(signal) as SignalListener[]) {
      if (listener === ours) continue;
      process.removeListener(signal, listener);
      deferred.push([signal, listener]);
    }
  }
}

async function main() {
  const paths = dataPaths();
  const apiPort = portEnv("PORT", 8787);
  const sqlPort = portEnv("SQL_PORT", defaultSqlPort);
  // Both checks below would pass one at a time, and the Worker would then fail to bind with a runtime stack.
  if (apiPort === sqlPort) fail(`PORT and SQL_PORT are both ${apiPort}; the API and its SQL server need a port each.`);
  const running = readDevServerFile(paths.devServer);
  if (running)
    fail(
      `already running (pid ${running.pid}) on ${running.apiUrl} with ${paths.root}; stop it first (Ctrl-C there, or kill ${running.pid}).`,
    );
  await ensurePortFree(apiPort, "PORT");
  await ensurePortFree(sqlPort, "SQL_PORT");

  // wrangler is imported only now: loading it takes about 2 s of CPU, which a refusal above need not wait for.
  const { inspectorFromEnv, passThroughVars, startLocalWorker } = await import("./worker");
  let inspector: boolean | number = false;
  try {
    inspector = inspectorFromEnv(process.env.DEV_INSPECTOR);
  } catch (err) {
    fail((err as Error).message);
  }

  const postgresUrl = process.env.LOCAL_POSTGRES_URL || undefined;
  const backend = await openBackend({ postgresUrl, dataDir: paths.pglite }).catch((err: unknown) => {
    if (err instanceof DataDirLocked) fail(err.message);
    throw err;
  });
  let stopping = false;
  let stopWorker = async () => {};
  let stopCrons = () => {};
  let server: Awaited<ReturnType<typeof startSqlServer>> | undefined;
  async function stop(code: number) {
    if (stopping) return;
    stopping = true;
    removeDevServerFile(paths.devServer);
    stopCrons();
    await stopWorker().catch(() => {});
    await server?.close();
    await backend.close();
    process.exitCode = code;
    for (const [signal, listener] of deferred) listener(signal);
    process.exit(code);
  }
  const onSignal: SignalListener = () => void stop(0);
  deferOtherSignalListeners(onSignal);
  for (const signal of signals) process.on(signal, onSignal);

  await applyMigrations(backend);
  server = await startSqlServer({ backend, port: sqlPort, latencyMs: Number(process.env.SQL_LATENCY_MS ?? 0) }).catch(
    (err: NodeJS.ErrnoException) => {
      // Taken since the check above (another dev runner on the same Postgres, started at the same moment).
      if (err.code === "EADDRINUSE") fail(`port ${sqlPort} is in use by another program; set SQL_PORT to a free port.`);
      throw err;
    },
  );
  const db = createDb({ DATABASE_URL: localDatabaseUrl, SQL_ENDPOINT: server.url });
  const demo = await ensureDemo(db, paths.demo);

  // Payout user hashes are HMACs under this secret: it must outlive restarts, so it lives in .data/.
  if (!existsSync(paths.hashSecret)) {
    mkdirSync(paths.root, { recursive: true });
    writeFileSync(paths.hashSecret, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  const hashSecret = readFileSync(paths.hashSecret, "utf8").trim();

  const owned = { SQL_ENDPOINT: server.url, DATABASE_URL: localDatabaseUrl, PAYOUT_HASH_SECRET: hashSecret };
  let worker: LocalWorker;
  try {
    worker = await startLocalWorker({
      port: apiPort,
      vars: { ...passThroughVars(process.env, Object.keys(owned)), ...owned },
      inspector,
      logLevel: "log",
    });
  } catch (err) {
    console.error(`npm run dev: the Worker did not start: ${err instanceof Error ? err.message : String(err)}`);
    return stop(1);
  }
  stopWorker = worker.stop;
  deferOtherSignalListeners(onSignal);
  writeDevServerFile(paths.devServer, { apiUrl: worker.url, sqlUrl: server.url });
  // wrangler.toml's crons fire on schedule, as on Cloudflare (`worker.scheduled(cron)` fires one by hand).
  const run = worker.scheduled;
  stopCrons = scheduleCrons(worker.crons, (cron) => {
    run(cron).then(
      () => console.log(`[cron] ${cron}: done`),
      (err: Error) => console.error(`[cron] ${err.message}`),
    );
  });

  const base = worker.url;
  console.log(`
Disburse is running on ${base}  (database: ${postgresUrl ? "Postgres at LOCAL_POSTGRES_URL" : `PGlite in ${paths.pglite}`})
  API docs:     ${base}/docs
  Demo key:     ${demo.secret}   (business ${demo.businessId}, every scope)
  Try:          curl -H "Authorization: Bearer ${demo.secret}" ${base}/api/v1/balance
  Inspector:    ${worker.inspectorUrl ?? "off (DEV_INSPECTOR=1 turns it on)"}
  Crons:        ${worker.crons.length ? worker.crons.join(", ") : "none in wrangler.toml"}
`);
}

await main();
