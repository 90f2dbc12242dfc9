// What a refused request must not change: for one business, the row count of every table that
// has a business_id column, and the sum of every numeric column named like a balance or an
// amount. Read from the catalog, so tables added by new groups are covered without a change here.
import { sql } from "drizzle-orm";
import { testDb } from "../harness";

let plan: Promise<string> | undefined;

/**
 * Tables whose rows change without the request that is compared: a stored 4xx answer to replay
 * (idempotency), and the payout lifecycle's records, which the sandbox rail's events add in the
 * background for a payout accepted earlier (a fixture's, or an accepted fuzz input's). That a
 * refused webhook records nothing is tested in test/routes/webhooks.
 */
const ignoredTables = /idempotency|^payout_status_history$|^rail_webhook_events$/;

async function buildQuery(): Promise<string> {
  const { rows } = await testDb().execute<{ table_name: string; column_name: string; data_type: string }>(sql`
    SELECT table_name, column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`);
  const tables = new Map<string, { column: string; type: string }[]>();
  for (const r of rows)
    (tables.get(r.table_name) ?? tables.set(r.table_name, []).get(r.table_name)!).push({ column: r.column_name, type: r.data_type });
  const parts: string[] = [
    `'businesses', (SELECT row_to_json(b)::text FROM (SELECT payout_balance, payouts_enabled, currency FROM businesses WHERE id = $1) b)`,
  ];
  for (const [table, columns] of tables) {
    if (ignoredTables.test(table) || !columns.some((c) => c.column === "business_id")) continue;
    const sums = columns
      .filter((c) => /balance|amount|total/.test(c.column) && /integer|numeric|bigint/.test(c.type))
      .map((c) => `coalesce(sum("${c.column}"), 0)::text`);
    parts.push(
      `'${table}', (SELECT json_build_array(count(*)::text${sums.map((s) => `, ${s}`).join("")})::text FROM "${table}" WHERE business_id = $1)`,
    );
  }
  return `SELECT json_build_object(${parts.join(", ")})::text AS books`;
}

/** A comparable picture of one business's books. */
export async function books(businessId: string): Promise<string> {
  plan ??= buildQuery();
  const text = await plan;
  const { rows } = await testDb().execute<{ books: string }>(sql.raw(text.replaceAll("$1", `'${businessId.replaceAll("'", "''")}'`)));
  return rows[0]!.books;
}
