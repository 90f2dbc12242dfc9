import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { rowColumns, toRow } from "./columns";
import type { PayoutRequestRow } from "./types";

export async function getPayoutRequest(db: Db, businessId: string, id: string): Promise<PayoutRequestRow | undefined> {
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    SELECT ${rowColumns("r")} FROM payout_requests r WHERE r.business_id = ${businessId} AND r.id = ${id}`);
  return rows[0] && toRow(rows[0]);
}

export interface ListOptions {
  limit: number;
  /** Rows created after the row with this sequence number. */
  afterSeq?: string;
  status?: string;
  customerId?: string;
  websiteId?: string;
  batchId?: string;
}

/** Oldest first; one row more than the page tells whether another page exists. */
export async function listPayoutRequests(db: Db, businessId: string, opts: ListOptions): Promise<PayoutRequestRow[]> {
  const where: SQL[] = [sql`r.business_id = ${businessId}`];
  if (opts.afterSeq !== undefined) where.push(sql`r.seq > ${opts.afterSeq}::bigint`);
  if (opts.status !== undefined) where.push(sql`r.status = ${opts.status}`);
  if (opts.customerId !== undefined) where.push(sql`r.customer_id = ${opts.customerId}`);
  if (opts.websiteId !== undefined) where.push(sql`r.website_id = ${opts.websiteId}`);
  if (opts.batchId !== undefined) where.push(sql`r.batch_id = ${opts.batchId}`);
  const { rows } = await db.execute<Record<string, unknown>>(sql`
    SELECT ${rowColumns("r")} FROM payout_requests r
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY r.seq
    LIMIT ${opts.limit + 1}`);
  return rows.map(toRow);
}
