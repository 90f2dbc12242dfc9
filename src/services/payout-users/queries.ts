import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { toIso } from "../../db/values";

export interface PayoutUserRow {
  id: string;
  email: string;
  balance: bigint;
  currency: string;
  createdAt: string;
  updatedAt: string;
}

export interface TransactionRow {
  id: string;
  type: string;
  amount: bigint;
  balanceAfter: bigint;
  currency: string;
  createdAt: string;
}

type UserSqlRow = { id: string; email: string; balance: string; currency: string; created_at: unknown; updated_at: unknown };
type TxSqlRow = { id: string; type: string; amount: string; balance_after: string; currency: string; created_at: unknown };

const toUser = (r: UserSqlRow): PayoutUserRow => ({
  id: r.id,
  email: r.email,
  balance: BigInt(r.balance),
  currency: r.currency,
  createdAt: toIso(r.created_at),
  updatedAt: toIso(r.updated_at),
});

const toTx = (r: TxSqlRow): TransactionRow => ({
  id: r.id,
  type: r.type,
  amount: BigInt(r.amount),
  balanceAfter: BigInt(r.balance_after),
  currency: r.currency,
  createdAt: toIso(r.created_at),
});

/** Oldest first by id; `limit + 1` rows so the caller can tell whether there is a next page. */
export async function listPayoutUsers(
  db: Db,
  businessId: string,
  opts: { limit: number; after?: string; email?: string },
): Promise<PayoutUserRow[]> {
  const { rows } = await db.execute<UserSqlRow>(sql`
    SELECT id, email, balance, currency, created_at, updated_at FROM payout_users
    WHERE business_id = ${businessId}
      ${opts.email === undefined ? sql`` : sql`AND email = lower(${opts.email})`}
      ${opts.after === undefined ? sql`` : sql`AND id COLLATE "C" > ${opts.after}`}
    ORDER BY id COLLATE "C"
    LIMIT ${opts.limit + 1}`);
  return rows.map(toUser);
}

export async function getPayoutUser(db: Db, businessId: string, id: string): Promise<PayoutUserRow | undefined> {
  const { rows } = await db.execute<UserSqlRow>(sql`
    SELECT id, email, balance, currency, created_at, updated_at FROM payout_users
    WHERE business_id = ${businessId} AND id = ${id}`);
  return rows[0] && toUser(rows[0]);
}

/**
 * Newest first. One statement answers both "does the user exist here" and the page, so a
 * missing (or another business's) user is told apart from an empty history in one round trip.
 */
export async function listTransactions(
  db: Db,
  businessId: string,
  userId: string,
  opts: { limit: number; before?: string },
): Promise<TransactionRow[] | undefined> {
  const { rows } = await db.execute<TxSqlRow & { found: boolean }>(sql`
    WITH owner AS (SELECT id FROM payout_users WHERE business_id = ${businessId} AND id = ${userId})
    SELECT * FROM (
      SELECT true AS found, t.id, t.type, t.amount, t.balance_after, t.currency, t.created_at
      FROM owner JOIN payout_user_transactions t ON t.payout_user_id = owner.id
      WHERE true ${opts.before === undefined ? sql`` : sql`AND t.id COLLATE "C" < ${opts.before}`}
      UNION ALL
      SELECT false, NULL, NULL, NULL, NULL, NULL, NULL FROM owner
    ) page
    ORDER BY found DESC, id COLLATE "C" DESC
    LIMIT ${opts.limit + 2}`);
  if (!rows.length) return undefined;
  return rows
    .filter((r) => r.found)
    .slice(0, opts.limit + 1)
    .map(toTx);
}

export async function findPayoutUserByHashDigest(db: Db, digest: string): Promise<(PayoutUserRow & { businessId: string }) | undefined> {
  const { rows } = await db.execute<UserSqlRow & { business_id: string }>(sql`
    SELECT id, business_id, email, balance, currency, created_at, updated_at FROM payout_users WHERE hash_digest = ${digest}`);
  return rows[0] && { ...toUser(rows[0]), businessId: rows[0].business_id };
}

export interface BalanceRow {
  balance: bigint;
  currency: string;
  payoutsEnabled: boolean;
  allocatedTotal: bigint;
}

export async function getBalance(db: Db, businessId: string): Promise<BalanceRow | undefined> {
  const { rows } = await db.execute<{ payout_balance: string; currency: string; payouts_enabled: boolean; allocated_total: string }>(sql`
    SELECT b.payout_balance, b.currency, b.payouts_enabled,
           (SELECT coalesce(sum(balance), 0) FROM payout_users WHERE business_id = b.id) AS allocated_total
    FROM businesses b WHERE b.id = ${businessId}`);
  const r = rows[0];
  return (
    r && {
      balance: BigInt(r.payout_balance),
      currency: r.currency,
      payoutsEnabled: r.payouts_enabled,
      allocatedTotal: BigInt(r.allocated_total),
    }
  );
}
