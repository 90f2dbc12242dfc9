import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { type PayoutRecord, type PayoutRow, type PayoutView, type PayoutViewRow, toPayoutRecord, toPayoutView } from "./initiate";

export interface PayoutFilters {
  limit: number;
  /** Rows after this payout in the list's order (older, or as old with a smaller id): the keyset cursor. */
  before?: string;
  /** UTC dates, YYYY-MM-DD, both inclusive. */
  startDate?: string;
  endDate?: string;
  ids?: string[];
  invertIds?: boolean;
  statuses?: string[];
  invertStatuses?: boolean;
  refIds?: string[];
  onBehalfOfId?: string;
}

/** A list reads only what it shows: each column of 51 rows is a value to send, parse and convert. */
const viewColumns = sql`p.id, p.status, p.status_reason_information, p.initiation, p.created_at, p.updated_at`;
const columns = sql`${viewColumns}, p.ref_id, p.amount, p.currency, p.payout_user_id`;

/** `column = ANY(list)` (or `<> ALL`), the list travelling as one JSON parameter whatever its length. */
function inList(column: SQL, values: string[], invert = false): SQL {
  const list = sql`ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
  return invert ? sql`${column} <> ALL(${list})` : sql`${column} = ANY(${list})`;
}

/** The SQL conditions of a list request, shared by the list and by its EXPLAIN in the tests and bench. */
export function listConditions(businessId: string, f: Omit<PayoutFilters, "limit">): SQL {
  const where: SQL[] = [sql`p.business_id = ${businessId}`];
  // The cursor is the last payout's id; its position is its (created_at, id), read in the same statement.
  // Not this business's payout (or none): no position, so an empty page, never another business's rows.
  if (f.before !== undefined) {
    where.push(sql`(p.created_at, p.id COLLATE "C") <
      (SELECT c.created_at, c.id COLLATE "C" FROM payouts c WHERE c.business_id = ${businessId} AND c.id = ${f.before})`);
  }
  if (f.startDate !== undefined) where.push(sql`p.created_at >= ${`${f.startDate}T00:00:00Z`}::timestamptz`);
  if (f.endDate !== undefined) where.push(sql`p.created_at < ${`${f.endDate}T00:00:00Z`}::timestamptz + interval '1 day'`);
  if (f.ids !== undefined) where.push(inList(sql`p.id`, f.ids, f.invertIds));
  if (f.statuses !== undefined) where.push(inList(sql`p.status`, f.statuses, f.invertStatuses));
  if (f.refIds !== undefined) where.push(inList(sql`p.ref_id`, f.refIds));
  if (f.onBehalfOfId !== undefined) where.push(sql`p.on_behalf_of_id = ${f.onBehalfOfId}`);
  return sql.join(where, sql` AND `);
}

/**
 * One page (newest first) plus one row that only tells whether another page exists, in ONE
 * statement whatever the filters. The order is the creation time, then the id in the "C" collation
 * (payouts written in one group commit share a time): an index range for every date filter, where
 * paging by id alone read and discarded every newer payout before the range began.
 */
export function listStatement(businessId: string, f: PayoutFilters): SQL {
  return sql`
    SELECT ${viewColumns} FROM payouts p
    WHERE ${listConditions(businessId, f)}
    ORDER BY p.created_at DESC, p.id COLLATE "C" DESC
    LIMIT ${f.limit + 1}`;
}

export async function listPayouts(db: Db, businessId: string, f: PayoutFilters): Promise<PayoutView[]> {
  const { rows } = await db.execute<PayoutViewRow>(listStatement(businessId, f));
  return rows.map(toPayoutView);
}

export async function getPayout(db: Db, businessId: string, id: string): Promise<PayoutRecord | undefined> {
  const { rows } = await db.execute<PayoutRow>(sql`SELECT ${columns} FROM payouts p WHERE p.business_id = ${businessId} AND p.id = ${id}`);
  return rows[0] && toPayoutRecord(rows[0]);
}

/**
 * The payouts that already exist exactly as asked: same refId, same `initiation` (jsonb equality, so
 * key order does not matter). A keyed request refused `duplicate_ref_id` looks here: a payout written
 * although its request was answered 503 (the BalanceLedger restarted mid-write) is that request's
 * own, and its retry must get it, not a refusal for money that is held. By refId.
 */
export async function findIdenticalPayouts(db: Db, businessId: string, initiations: unknown[]): Promise<Map<string, PayoutRecord>> {
  const { rows } = await db.execute<PayoutRow>(sql`
    SELECT ${columns} FROM payouts p
    JOIN jsonb_array_elements(${JSON.stringify(initiations)}::jsonb) AS asked(initiation)
      ON p.ref_id = asked.initiation->>'refId' AND p.initiation = asked.initiation
    WHERE p.business_id = ${businessId}`);
  return new Map(rows.map((r) => [r.ref_id, toPayoutRecord(r)]));
}
