import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";

export type Row = Record<string, unknown>;

/** ISO 8601 UTC with milliseconds, formatted in SQL so the session time zone cannot change it. */
export const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const iso = (column: string) => sql.raw(isoText(column));

/**
 * Several statements in one round trip and one transaction (Neon runs a batch as one
 * transaction). Rows come back as objects whichever mode the driver answered in.
 */
export async function batchRows(db: Db, statements: SQL[]): Promise<Row[][]> {
  if (statements.length === 0) return [];
  const [first, ...rest] = statements.map((s) => db.execute(s));
  const results = (await db.batch([first!, ...rest])) as unknown[];
  return results.map(toObjects);
}

function toObjects(result: unknown): Row[] {
  const r = result as { rows?: unknown[]; fields?: { name: string }[] };
  const rows = r.rows ?? (Array.isArray(result) ? result : []);
  if (!rows.length || !Array.isArray(rows[0])) return rows as Row[];
  const names = (r.fields ?? []).map((f) => f.name);
  return (rows as unknown[][]).map((values) => Object.fromEntries(names.map((n, i) => [n, values[i]])));
}

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const jsonValue = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));

/** The distinct values as a JSON array, for `jsonb_array_elements_text(...::jsonb)`. */
export const jsonList = (values: Iterable<string>) => JSON.stringify([...new Set(values)]);
