import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type AccountRow, Chart, ensuredAccountsQuery } from "./accounts";
import { payoutLoadStatements } from "./payout-load-statements";
import { type Payout, renderPayouts } from "./payout-render";
import { batchRows } from "./sql";

export interface PayoutFilters {
  limit: number;
  after?: string;
  reference_number?: string;
  external_id?: string;
  processor?: string;
  completed_after?: string;
  completed_before?: string;
  matched?: boolean;
}

/** One page of payouts (limit + 1, see toPage), in one round trip with the chart. */
export async function listPayouts(db: Db, businessId: string, f: PayoutFilters): Promise<Payout[]> {
  const where: SQL[] = [sql`q.business_id = ${businessId}`];
  if (f.after !== undefined) where.push(sql`q.id COLLATE "C" > ${f.after}`);
  if (f.reference_number !== undefined) where.push(sql`q.reference_number = ${f.reference_number}`);
  if (f.external_id !== undefined) where.push(sql`q.external_id = ${f.external_id}`);
  if (f.processor !== undefined) where.push(sql`q.processor = ${f.processor}`);
  if (f.completed_after !== undefined) where.push(sql`q.completed_at >= ${f.completed_after}::timestamptz`);
  if (f.completed_before !== undefined) where.push(sql`q.completed_at < ${f.completed_before}::timestamptz`);
  if (f.matched !== undefined) {
    where.push(
      f.matched
        ? sql`EXISTS (SELECT 1 FROM payout_matches x WHERE x.payout_id = q.id)`
        : sql`NOT EXISTS (SELECT 1 FROM payout_matches x WHERE x.payout_id = q.id)`,
    );
  }
  const set = sql`SELECT q.id FROM ledger_payouts q WHERE ${sql.join(where, sql` AND `)} ORDER BY q.id COLLATE "C" LIMIT ${f.limit + 1}`;
  return loadPayouts(db, businessId, set);
}

export async function getPayout(db: Db, businessId: string, id: string): Promise<Payout | undefined> {
  const [payout] = await loadPayouts(db, businessId, sql`SELECT ${id}::text`);
  return payout;
}

async function loadPayouts(db: Db, businessId: string, set: SQL): Promise<Payout[]> {
  const [accounts, ...rows] = await batchRows(db, [ensuredAccountsQuery(businessId), ...payoutLoadStatements(businessId, set)]);
  return renderPayouts(new Chart(accounts as unknown as AccountRow[]), rows);
}
