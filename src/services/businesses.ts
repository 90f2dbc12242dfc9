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
 * lost answer replays it instead of crediting twice.
 */
export async function fundBusiness(db: Db, id: string, amount: bigint, idempotencyKey?: string): Promise<Business | undefined> {
  const rows = await db.execute<BusinessRow>(sql`
    WITH funded AS (
      UPDATE businesses SET payout_balance = payout_balance + ${amount.toString()}::bigint, updated_at = now()
      WHERE id = ${id}
      RETURNING id, name, payout_balance, currency, payouts_enabled
    ), answered AS (
      UPDATE idempotency_keys k SET response_status = 200,
        -- The exact text the route answers (JSON.stringify of {data: {balance, currency}}), so a
        -- replay is byte-identical (see services/idempotency-keys.ts).
        response_body = to_jsonb(('{"data":{"balance":' || f.payout_balance || ',"currency":' || to_json(f.currency)::text || '}}')::text)
      FROM funded f
      WHERE ${idempotencyKey ?? null}::text IS NOT NULL AND k.business_id = f.id AND k.key = ${idempotencyKey ?? null}
    )
    SELECT * FROM funded`);
  return rows.rows[0] && toBusiness(rows.rows[0]);
}
