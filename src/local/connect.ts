import { createDb, type Db } from "../db/client";
import type { SqlBackend } from "./backend";
import { applyMigrations, openBackend } from "./open-backend";
import { startSqlServer, type SqlServer } from "./sql-server";

export const defaultDataDir = ".data/pglite";
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
 * - nothing: the `npm run dev` server if it is up, else the embedded PGlite in .data/.
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
  const devEndpoint = `http://127.0.0.1:${env.SQL_PORT ?? defaultSqlPort}/sql`;
  if (await isUp(devEndpoint)) return viaEndpoint(devEndpoint, localDatabaseUrl);
  return inProcess(
    await openBackend({ postgresUrl: env.LOCAL_POSTGRES_URL, dataDir: defaultDataDir }),
    env.LOCAL_POSTGRES_URL ? "Postgres at LOCAL_POSTGRES_URL" : `PGlite in ${defaultDataDir}`,
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
