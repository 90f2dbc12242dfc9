import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../lib/ids";

export interface Business {
  id: string;
  name: string;
  payoutBalance: bigint;
  currency: string;
  payoutsEnabled: boolean;
}

type BusinessRow = {
  id: string;
  name: string;
  payout_balance: string;
  currency: string;
  payouts_enabled: boolean;
};

const toBusiness = (r: BusinessRow): Business => ({
  id: r.id,
  name: r.name,
  payoutBalance: BigInt(r.payout_balance),
  currency: r.currency,
  payoutsEnabled: r.payouts_enabled,
});

export async function createBusiness(
  db: Db,
  input: { name: string; currency?: string; payoutBalance?: bigint; payoutsEnabled?: boolean; id?: string },
): Promise<Business> {
  const rows = await db.execute<BusinessRow>(sql`
    INSERT INTO businesses (id, name, currency, payout_balance, payouts_enabled)
    VALUES (${input.id ?? newId("business")}, ${input.name}, ${input.currency ?? "USD"},
            ${(input.payoutBalance ?? 0n).toString()}, ${input.payoutsEnabled ?? false})
    RETURNING id, name, payout_balance, currency, payouts_enabled`);
  return toBusiness(rows.rows[0]!);
}

export async function getBusiness(db: Db, id: string): Promise<Business | undefined> {
  const rows = await db.execute<BusinessRow>(sql`
    SELECT id, name, payout_balance, currency, payouts_enabled FROM businesses WHERE id = ${id}`);
  return rows.rows[0] && toBusiness(rows.rows[0]);
}

export async function setPayoutsEnabled(db: Db, id: string, enabled: boolean): Promise<Business | undefined> {
  const rows = await db.execute<BusinessRow>(sql`
    UPDATE businesses SET payouts_enabled = ${enabled}, updated_at = now() WHERE id = ${id}
    RETURNING id, name, payout_balance, currency, payouts_enabled`);
  return rows.rows[0] && toBusiness(rows.rows[0]);
}

/**
 * Adds funds. Funding only ever raises the balance, so a BalanceLedger object that has not
 * seen it yet is merely conservative until it next reloads the balance. With an idempotency
 * key, the answer is recorded on the key's claim in the same statement, so a retry after a
 * lost answer replays it instead of crediting twice; and the credit happens only while that
 * claim is open (claimed, not yet answered), under its row lock: a statement that lands after
 * its request was answered 503 and the key released (a restarted ledger's, still on its way),
 * or after a retry's statement answered the claim, credits nothing. That case throws (with a
 * key, no row means the claim was not open), so the request is a 503 and its retry replays.
 */
export async function fundBusiness(db: Db, id: string, amount: bigint, idempotencyKey?: string): Promise<Business | undefined> {
  const key = idempotencyKey ?? null;
  const rows = await db.execute<BusinessRow>(sql`
    WITH claim AS (
      SELECT k.key FROM idempotency_keys k
      WHERE k.business_id = ${id} AND k.key = ${key} AND k.response_status IS NULL
      FOR UPDATE
    ), funded AS (
      UPDATE businesses SET payout_balance = payout_balance + ${amount.toString()}::bigint, updated_at = now()
      WHERE id = ${id} AND (${key}::text IS NULL OR EXISTS (SELECT 1 FROM claim))
      RETURNING id, name, payout_balance, currency, payouts_enabled
    ), answered AS (
      UPDATE idempotency_keys k SET response_status = 200,
        -- The exact text the route answers (JSON.stringify of {data: {balance, currency}}), so a
        -- replay is byte-identical (see services/idempotency-keys.ts).
        response_body = to_jsonb(('{"data":{"balance":' || f.payout_balance || ',"currency":' || to_json(f.currency)::text || '}}')::text)
      FROM funded f
      WHERE ${key}::text IS NOT NULL AND k.business_id = f.id AND k.key = ${key}
    )
    SELECT * FROM funded`);
  const row = rows.rows[0];
  if (!row && key !== null) throw new Error(`funding ${id}: the claim of Idempotency-Key ${key} is not open; nothing was credited`);
  return row && toBusiness(row);
}
