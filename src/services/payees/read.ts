import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { payeeColumns, toPayee } from "./sql";
import type { PayeeRow } from "./types";

export interface ListOptions {
  limit: number;
  /** Rows strictly after this id. */
  after?: string;
  status?: string;
  type?: string;
  hold_status?: string;
  external_id?: string;
  /** Case-insensitive substring of the name. */
  q?: string;
}

/** `%`, `_` and the escape character itself match literally in a name search. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * One page plus one row (the extra row only tells whether another page exists). Ordering and
 * the cursor comparison use the "C" collation so that the order is byte order, the order
 * ULIDs sort in, whatever the database's locale.
 */
export async function listPayees(db: Db, businessId: string, opts: ListOptions): Promise<PayeeRow[]> {
  const where: SQL[] = [sql`p.business_id = ${businessId}`];
  if (opts.after !== undefined) where.push(sql`p.id COLLATE "C" > ${opts.after}`);
  if (opts.status !== undefined) where.push(sql`p.status = ${opts.status}`);
  if (opts.type !== undefined) where.push(sql`p.type = ${opts.type}`);
  if (opts.hold_status !== undefined) where.push(sql`p.hold_status = ${opts.hold_status}`);
  if (opts.external_id !== undefined) where.push(sql`p.external_id = ${opts.external_id}`);
  if (opts.q !== undefined) where.push(sql`p.name ILIKE ${likePattern(opts.q)} ESCAPE '\\'`);
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    SELECT ${payeeColumns("p")} FROM payees p
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY p.id COLLATE "C"
    LIMIT ${opts.limit + 1}`);
  return rows.map(toPayee);
}

export async function getPayee(db: Db, businessId: string, id: string): Promise<PayeeRow | undefined> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    SELECT ${payeeColumns("p")} FROM payees p WHERE p.business_id = ${businessId} AND p.id = ${id}`);
  return rows[0] && toPayee(rows[0]);
}
