import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { toIso } from "../../db/values";
import type { PayoutUserRow } from "./queries";

/** One accepted allocation as the BalanceLedger hands it to the database. */
export interface AllocationInput {
  ord: number;
  email: string;
  amount: bigint;
  txId: string;
  /** Used only when this allocation creates the user. */
  newUserId: string;
  newHashDigest: string;
  idempotencyKey: string | null;
  idempotencyFingerprint: string | null;
}

/** A payout user as it stood right after one allocation. */
export type AllocatedUser = PayoutUserRow;

export interface AllocationResult {
  ord: number;
  created: boolean;
  user: AllocatedUser;
}

export interface GroupCommitResult {
  /** False when the debit did not happen: payouts are disabled (or the business is gone). */
  debited: boolean;
  businessBalance: bigint;
  results: AllocationResult[];
}

/** The columns that describe a user as one allocation left it. */
type UserAfterRow = {
  created: boolean;
  user_id: string;
  email: string;
  balance_after: string;
  currency: string;
  user_created_at: unknown;
  tx_created_at: unknown;
};

type Row = UserAfterRow & { ord: number; business_balance: string };

/** The user as that allocation left it: its balance then, and the allocation's time as updated_at. */
const userAfter = (r: UserAfterRow): AllocatedUser => ({
  id: r.user_id,
  email: r.email,
  balance: BigInt(r.balance_after),
  currency: r.currency,
  createdAt: toIso(r.user_created_at),
  updatedAt: toIso(r.tx_created_at),
});

/**
 * Writes a group of allocations in ONE statement, so it happens whole or not at all:
 * the business debit (guarded by `payouts_enabled` and the balance CHECK), one upsert per
 * email carrying the sum of its allocations, and one history row per allocation with the
 * balance it left. Every insert joins `debit`, so nothing is written unless the debit was.
 */
export async function commitAllocations(db: Db, businessId: string, inputs: AllocationInput[]): Promise<GroupCommitResult> {
  const { rows } = await db.execute<AllocationRow>(allocationsStatement(businessId, inputs));
  return allocationResults(rows, inputs);
}

export type AllocationRow = Row;

/** The group commit's statement, for running it in a `db.batch` beside another (payouts). */
export function allocationsStatement(businessId: string, inputs: AllocationInput[]): SQL {
  const json = JSON.stringify(
    inputs.map((i) => ({
      ord: i.ord,
      email: i.email,
      amount: i.amount.toString(),
      tx_id: i.txId,
      user_id: i.newUserId,
      hash_digest: i.newHashDigest,
      idem_key: i.idempotencyKey,
      idem_fp: i.idempotencyFingerprint,
    })),
  );
  return sql`
    WITH input AS (
      -- lower() here, not only in TypeScript, so one user per email whatever the two think of Unicode case.
      SELECT ord, lower(email) AS email, amount, tx_id, user_id, hash_digest, idem_key, idem_fp
      FROM jsonb_to_recordset(${json}::jsonb)
        AS i(ord int, email text, amount bigint, tx_id text, user_id text, hash_digest text, idem_key text, idem_fp text)
    ), debit AS (
      UPDATE businesses SET payout_balance = payout_balance - (SELECT sum(amount) FROM input), updated_at = now()
      WHERE id = ${businessId} AND payouts_enabled
      RETURNING payout_balance, currency
    ), per_email AS (
      SELECT email, sum(amount) AS total, min(ord) AS first_ord FROM input GROUP BY email
    ), upserted AS (
      INSERT INTO payout_users (id, business_id, email, hash_digest, balance, currency)
      SELECT i.user_id, ${businessId}, pe.email, i.hash_digest, pe.total, d.currency
      FROM per_email pe JOIN input i ON i.ord = pe.first_ord CROSS JOIN debit d
      ON CONFLICT (business_id, email)
        DO UPDATE SET balance = payout_users.balance + excluded.balance, updated_at = now()
      RETURNING id, email, balance, currency, created_at, (xmax = 0) AS inserted
    ), txs AS (
      INSERT INTO payout_user_transactions
        (id, business_id, payout_user_id, type, amount, balance_after, currency, idempotency_key, idempotency_fingerprint)
      SELECT i.tx_id, ${businessId}, u.id, 'allocation', i.amount,
             u.balance - pe.total + sum(i.amount) OVER (PARTITION BY i.email ORDER BY i.ord),
             u.currency, i.idem_key, i.idem_fp
      FROM input i JOIN per_email pe ON pe.email = i.email JOIN upserted u ON u.email = i.email
      RETURNING id, balance_after, created_at
    )
    SELECT i.ord, (u.inserted AND i.ord = pe.first_ord) AS created, u.id AS user_id, u.email,
           t.balance_after, u.currency, u.created_at AS user_created_at, t.created_at AS tx_created_at,
           (SELECT payout_balance FROM debit) AS business_balance
    FROM input i
    JOIN per_email pe ON pe.email = i.email
    JOIN upserted u ON u.email = i.email
    JOIN txs t ON t.id = i.tx_id
    ORDER BY i.ord`;
}

export function allocationResults(rows: Row[], inputs: AllocationInput[]): GroupCommitResult {
  if (!rows.length) return { debited: false, businessBalance: 0n, results: [] };
  if (rows.length !== inputs.length) {
    // Cannot happen while the joins above hold; refuse to report a partial picture if it does.
    throw new Error(`group commit returned ${rows.length} rows for ${inputs.length} allocations`);
  }
  return {
    debited: true,
    businessBalance: BigInt(rows[0]!.business_balance),
    results: rows.map((r) => ({
      ord: r.ord,
      created: r.created,
      user: userAfter(r),
    })),
  };
}

/** An allocation already written, for replaying its answer. */
export interface StoredAllocation extends AllocationResult {
  txId: string;
  amount: bigint;
  /** Null on rows written before fingerprints were kept. */
  fingerprint: string | null;
}

/** Allocations already written, chosen by `filter` on payout_user_transactions `t`. */
async function findStored(db: Db, businessId: string, filter: SQL): Promise<StoredAllocation[]> {
  const { rows } = await db.execute<UserAfterRow & { amount: string; tx_id: string; fingerprint: string | null }>(sql`
    SELECT t.id AS tx_id, t.amount, t.idempotency_fingerprint AS fingerprint, u.id AS user_id, u.email, t.balance_after, t.currency,
           u.created_at AS user_created_at, t.created_at AS tx_created_at,
           NOT EXISTS (SELECT 1 FROM payout_user_transactions e
                       WHERE e.payout_user_id = t.payout_user_id AND e.id COLLATE "C" < t.id COLLATE "C") AS created
    FROM payout_user_transactions t JOIN payout_users u ON u.id = t.payout_user_id
    WHERE t.business_id = ${businessId} AND ${filter}`);
  return rows.map((r) => ({
    ord: 0,
    txId: r.tx_id,
    amount: BigInt(r.amount),
    fingerprint: r.fingerprint,
    created: r.created,
    user: userAfter(r),
  }));
}

export async function findAllocationByKey(db: Db, businessId: string, key: string): Promise<StoredAllocation | undefined> {
  return (await findStored(db, businessId, sql`t.idempotency_key = ${key}`))[0];
}

/**
 * After a write whose answer was lost: the group's history rows, if the statement committed.
 * It is one statement, so either every one of them is there or none is.
 */
export async function findAllocationsByTxIds(db: Db, businessId: string, txIds: string[]): Promise<StoredAllocation[]> {
  return findStored(db, businessId, sql`t.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(txIds)}::jsonb))`);
}

export interface LedgerState {
  balance: bigint;
  currency: string;
  payoutsEnabled: boolean;
}

export async function loadLedgerState(db: Db, businessId: string): Promise<LedgerState | undefined> {
  const { rows } = await db.execute<{ payout_balance: string; currency: string; payouts_enabled: boolean }>(sql`
    SELECT payout_balance, currency, payouts_enabled FROM businesses WHERE id = ${businessId}`);
  const r = rows[0];
  return r && { balance: BigInt(r.payout_balance), currency: r.currency, payoutsEnabled: r.payouts_enabled };
}
