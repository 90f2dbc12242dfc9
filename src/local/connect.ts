import { createDb, type Db } from "../db/client";
import type { SqlBackend } from "./backend";
import { readDevServerFile } from "./dev-server-file";
import { applyMigrations, openBackend } from "./open-backend";
import { dataPaths } from "./paths";
import { type SqlServer, startSqlServer } from "./sql-server";

export const defaultSqlPort = 8788;
/** The local server ignores the connection string, but the driver wants a well-formed one. */
export const localDatabaseUrl = "postgres://disburse:local@localhost/disburse";

export interface Connection {
  db: Db;
  /** Where the database is, for messages. */
  describe: string;
  close(): Promise<void>;
}

/**
 * Reaches a database from Node (admin CLI, dev runner, benchmarks) through the same drizzle
 * + neon-http code the Worker runs:
 * - SQL_ENDPOINT: a local SQL server that is already running;
 * - DATABASE_URL on Neon (*.neon.tech): Neon's own HTTP endpoint;
 * - any other DATABASE_URL: a real Postgres, behind an in-process local SQL server;
 * - nothing: the running `npm run dev` (found through .data/dev-server.json, whatever its ports),
 *   else the embedded PGlite in .data/, which is refused (DataDirLocked) while another process
 *   has it open, so a write can never land in a database the API does not see.
 */
export async function connect(env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  if (env.SQL_ENDPOINT) return viaEndpoint(env.SQL_ENDPOINT, env.DATABASE_URL ?? localDatabaseUrl);
  if (env.DATABASE_URL && new URL(env.DATABASE_URL).hostname.endsWith(".neon.tech")) {
    const db = createDb({ DATABASE_URL: env.DATABASE_URL });
    return { db, describe: "Neon", close: async () => {} };
  }
  if (env.DATABASE_URL) {
    return inProcess(await openBackend({ postgresUrl: env.DATABASE_URL }), "Postgres at DATABASE_URL");
  }
  const paths = dataPaths(env);
  const dev = readDevServerFile(paths.devServer);
  if (dev) {
    if (await isUp(dev.sqlUrl)) return viaEndpoint(dev.sqlUrl, localDatabaseUrl);
    throw new Error(
      `npm run dev (pid ${dev.pid}) is running on ${paths.root} but its SQL server at ${dev.sqlUrl} does not answer; ` +
        "wait for it to finish starting, or stop it.",
    );
  }
  return inProcess(
    await openBackend({ postgresUrl: env.LOCAL_POSTGRES_URL, dataDir: paths.pglite }),
    env.LOCAL_POSTGRES_URL ? "Postgres at LOCAL_POSTGRES_URL" : `PGlite in ${paths.pglite}`,
  );
}

function viaEndpoint(endpoint: string, url: string): Connection {
  const db = createDb({ DATABASE_URL: url, SQL_ENDPOINT: endpoint });
  return { db, describe: endpoint, close: async () => {} };
}

async function inProcess(backend: SqlBackend, describe: string): Promise<Connection> {
  let server: SqlServer | undefined;
  try {
    await applyMigrations(backend);
    server = await startSqlServer({ backend, port: 0 });
  } catch (err) {
    await backend.close();
    throw err;
  }
  const { db } = viaEndpoint(server.url, localDatabaseUrl);
  return {
    db,
    describe,
    close: async () => {
      await server.close();
      await backend.close();
    },
  };
}

async function isUp(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(new URL("/health", endpoint), { signal: AbortSignal.timeout(500) });
    return res.ok;
  } catch {
    return false;
  }
}
