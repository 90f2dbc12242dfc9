import pg from "pg";
import { type RawResult, type SqlBackend, type SqlQuery, toSqlError, transactionModes } from "../backend";

/** Every type id parses to itself: rows stay Postgres text output for the Neon driver to parse. */
const rawText: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/**
 * A real Postgres behind a `pg` pool. Sessions default to TimeZone=UTC (Neon computes run in GMT),
 * so timestamptz text is "+00" like in production; an `options` parameter in the URL still wins.
 */
export async function createPostgresBackend(url: string): Promise<SqlBackend> {
  const pool = new pg.Pool({ connectionString: url, types: rawText, options: "-c TimeZone=UTC" });
  // An idle client dying (server restart) must not crash the process; the pool replaces it.
  pool.on("error", (err) => console.error("[local-sql] idle postgres client error:", err.message));
  // Fail at startup, not on the first request, when the URL is wrong.
  await pool.query("SELECT 1");

  return {
    kind: "postgres",

    async query(q) {
      try {
        return toRaw(await pool.query(extended(q)));
      } catch (err) {
        throw toSqlError(err);
      }
    },

    async batch(qs, opts) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(`BEGIN ${transactionModes(opts)}`);
        try {
          const results: RawResult[] = [];
          for (const q of qs) results.push(toRaw(await client.query(extended(q))));
          await client.query("COMMIT");
          return results;
        } catch (err) {
          await client.query("ROLLBACK").catch((rollbackErr: Error) => {
            // A connection that cannot roll back must not go back to the pool mid-transaction.
            broken = rollbackErr;
          });
          throw err;
        }
      } catch (err) {
        throw toSqlError(err);
      } finally {
        client.release(broken);
      }
    },

    async exec(sql) {
      try {
        // No values: pg uses the simple protocol, which accepts several statements.
        await pool.query(sql);
      } catch (err) {
        throw toSqlError(err);
      }
    },

    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}

/**
 * Neon runs every query through the extended protocol, even without params, so
 * "SELECT 1; SELECT 2" fails there ("cannot insert multiple commands into a prepared
 * statement"). pg only goes extended when told to (`queryMode` is not in @types/pg).
 */
function extended(q: SqlQuery): pg.QueryArrayConfig & { queryMode: "extended" } {
  return { text: q.query, values: q.params, rowMode: "array", queryMode: "extended" };
}

function toRaw(r: pg.QueryArrayResult<(string | null)[]>): RawResult {
  return {
    fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    rows: r.rows,
    command: r.command ?? "",
    rowCount: r.rowCount ?? 0,
  };
}
