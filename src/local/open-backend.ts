import { readFileSync } from "node:fs";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { type SqlBackend, SqlError } from "./backend";
import { createPgliteBackend } from "./backends/pglite";
import { createPostgresBackend } from "./backends/postgres";

/** A real Postgres when `postgresUrl` is set, else PGlite (in-memory without `dataDir`). */
export async function openBackend(opts: { postgresUrl?: string; dataDir?: string }): Promise<SqlBackend> {
  return opts.postgresUrl ? createPostgresBackend(opts.postgresUrl) : createPgliteBackend(opts.dataDir);
}

/** drizzle-kit's own bookkeeping table, so `drizzle-kit migrate` and this agree on what ran. */
const MIGRATIONS_TABLE = "drizzle.__drizzle_migrations";

/** Serializes migrators across processes; xact-scoped, so it is released with each transaction. */
const LOCK = "SELECT pg_advisory_xact_lock(hashtext('disburse:drizzle-migrations'))";

/** Raised by the in-transaction guard when another process applied the migration first. */
const ALREADY_APPLIED = "DZ001";

/**
 * Applies drizzle-kit migrations in journal order with drizzle's semantics: a migration runs
 * when its journal `when` is newer than the newest `created_at` recorded (so it is matched by
 * timestamp, not hash). Unlike drizzle's migrator, each file gets its own transaction, and the
 * check is repeated under an advisory lock inside it, so concurrent starts apply each file once.
 * Returns the tags of the migrations this call applied.
 */
export async function applyMigrations(backend: SqlBackend, migrationsFolder = "schema/migrations"): Promise<string[]> {
  // drizzle's reader: journal order, breakpoint splitting and the sha256 hash drizzle-kit records.
  const migrations = readMigrationFiles({ migrationsFolder });
  const tags = readJournalTags(migrationsFolder);

  await backend.exec(
    `${LOCK};
     CREATE SCHEMA IF NOT EXISTS drizzle;
     CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
  );
  const last = await backend.query({ query: `SELECT max(created_at)::text FROM ${MIGRATIONS_TABLE}`, params: [] });
  const lastMillis = Number(last.rows[0]?.[0] ?? -Infinity);

  const applied: string[] = [];
  for (const [i, m] of migrations.entries()) {
    if (m.folderMillis <= lastMillis) continue;
    const tag = tags[i] ?? String(m.folderMillis);
    if (!Number.isSafeInteger(m.folderMillis) || !/^[0-9a-f]+$/.test(m.hash)) throw new Error(`migration ${tag}: unexpected journal entry`);
    // One simple-protocol script = one implicit transaction: lock, re-check, statements, record.
    // "\n;\n" separates chunks so a trailing "-- comment" cannot swallow the separator.
    const script = [
      LOCK,
      `DO $$ BEGIN
         IF EXISTS (SELECT 1 FROM ${MIGRATIONS_TABLE} WHERE created_at >= ${m.folderMillis}) THEN
           RAISE EXCEPTION 'already applied' USING ERRCODE = '${ALREADY_APPLIED}';
         END IF;
       END $$`,
      ...m.sql.filter((stmt) => stmt.trim() !== ""),
      `INSERT INTO ${MIGRATIONS_TABLE} (hash, created_at) VALUES ('${m.hash}', ${m.folderMillis})`,
    ].join("\n;\n");
    try {
      await backend.exec(script);
      applied.push(tag);
    } catch (err) {
      if (err instanceof SqlError && err.code === ALREADY_APPLIED) continue;
      const message = err instanceof Error ? err.message : String(err);
      throw Object.assign(new Error(`migration ${tag} failed (rolled back): ${message}`), { cause: err });
    }
  }
  return applied;
}

/** readMigrationFiles drops the tags; they only serve error messages and the return value. */
function readJournalTags(migrationsFolder: string): string[] {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: { tag: string }[] };
  return journal.entries.map((e) => e.tag);
}
