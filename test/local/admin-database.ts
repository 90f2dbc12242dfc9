// The admin commands' test setup, shared by the admin test files: a fresh migrated database behind
// a local SQL server for the file, a Connection on it, and `admin`, which runs a command.
import { afterAll, beforeAll } from "vitest";
import { createDb } from "../../src/db/client";
import { parseCommand, runCommand } from "../../src/local/admin-commands";
import type { SqlBackend } from "../../src/local/backend";
import type { Connection } from "../../src/local/connect";
import { applyMigrations, openBackend } from "../../src/local/open-backend";
import { type SqlServer, startSqlServer } from "../../src/local/sql-server";

export interface AdminDatabase {
  /** The local SQL server in front of the database (its url is the CLI's SQL_ENDPOINT); set in beforeAll. */
  server: SqlServer;
  /** The connection the commands run on; set in beforeAll. */
  conn: Connection;
  /** Parses and runs one admin command, as `npm run admin -- ...argv` would, and returns its result. */
  admin(...argv: string[]): Promise<Record<string, unknown>>;
}

/** Call at the top of a test file: registers the file's beforeAll and afterAll. */
export function adminDatabase(): AdminDatabase {
  let backend: SqlBackend;
  const local = {
    admin: async (...argv: string[]) => {
      const { command, values } = parseCommand(argv);
      return (await runCommand(command, values, local.conn)) as Record<string, unknown>;
    },
  } as AdminDatabase;

  beforeAll(async () => {
    backend = await openBackend({});
    await applyMigrations(backend);
    local.server = await startSqlServer({ backend, port: 0 });
    local.conn = {
      db: createDb({ DATABASE_URL: "postgres://u:p@localhost/db", SQL_ENDPOINT: local.server.url }),
      describe: "test",
      close: async () => {},
    };
  });

  afterAll(async () => {
    await local.server.close();
    await backend.close();
  });

  return local;
}
