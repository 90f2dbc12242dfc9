import { randomBytes } from "node:crypto";
import pg from "pg";
import type { SqlBackend } from "../../src/local/backend";
import { createPgliteBackend } from "../../src/local/backends/pglite";
import { createPostgresBackend } from "../../src/local/backends/postgres";

export interface OpenedBackend {
  backend: SqlBackend;
  /** Another handle on the SAME database, as a second process would have (PGlite: the same one). */
  openSibling(): Promise<SqlBackend>;
  cleanup(): Promise<void>;
}

export interface BackendCase {
  name: "pglite" | "postgres";
  open(): Promise<OpenedBackend>;
}

const pglite: BackendCase = {
  name: "pglite",
  async open() {
    const backend = await createPgliteBackend();
    // In-memory PGlite cannot be shared between processes; the sibling is the same instance
    // and must not close it.
    const sibling: SqlBackend = { ...backend, close: async () => undefined };
    return { backend, openSibling: async () => sibling, cleanup: () => backend.close() };
  },
};

/** Each open() gets a fresh database on TEST_POSTGRES_URL's server, dropped by cleanup(). */
function postgres(adminUrl: string): BackendCase {
  return {
    name: "postgres",
    async open() {
      const dbName = `disburse_test_${randomBytes(6).toString("hex")}`;
      await admin(adminUrl, `CREATE DATABASE ${dbName}`);
      const url = new URL(adminUrl);
      url.pathname = `/${dbName}`;
      const opened: SqlBackend[] = [];
      const openOne = async () => {
        const b = await createPostgresBackend(url.toString());
        opened.push(b);
        return b;
      };
      const backend = await openOne();
      return {
        backend,
        openSibling: openOne,
        async cleanup() {
          for (const b of opened) await b.close();
          await admin(adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        },
      };
    },
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** PGlite always; Postgres too when TEST_POSTGRES_URL is set (never silently skipped: simply absent). */
export const backendCases: BackendCase[] = process.env.TEST_POSTGRES_URL ? [pglite, postgres(process.env.TEST_POSTGRES_URL)] : [pglite];
