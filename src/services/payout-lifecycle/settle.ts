import { sql } from "drizzle-orm";
import type { PayoutStatus } from "../../../schema/payouts";
import type { Db } from "../../db/client";
import { newId } from "../../lib/ids";
import { isReversal, movesInto } from "./status-machine";

/** One status event for one payout, as the webhook (or the submitter giving up) reports it. */
export interface StatusEvent {
  rail: string;
  /** The rail's `webhook-id`: the same id twice is one event. */
  webhookId: string;
  payoutId: string;
  railStatus: string;
  /** Undefined: a rail status that moves nothing (recorded only). */
  status: PayoutStatus | undefined;
  reason: string | null;
}

export interface SettleResult {
  /** False when this webhook-id was seen before: nothing was done. */
  fresh: boolean;
  /** The payout changed status (and has a new history row). */
  moved: boolean;
  /** The held amount went back to its source with this change. */
  reversed: boolean;
  /** The payout's status before this event, or null when this business has no such payout. */
  previous: PayoutStatus | null;
}

/**
 * Applies one event in ONE statement: the event's record (its webhook-id unique per rail, so a replay
 * inserts nothing and the rest is skipped), the status change guarded by the current status (only
 * forward moves), its history row, and for REJECTED/FAILED the give-back to the business balance or
 * the payout user's balance (with that user's history row). Concurrent deliveries of the same or
 * different events serialise on the payout's row; the one that moves it is the only one that
 * refunds, so a reversal happens exactly once.
 */
export async function applyStatusEvent(db: Db, businessId: string, e: StatusEvent): Promise<SettleResult> {
  const to = e.status ?? null;
  const from = to ? movesInto(to) : [];
  const reversal = to !== null && isReversal(to);
  const { rows } = await db.execute<{ fresh: number; moved: number; reversed: number; previous: PayoutStatus | null }>(sql`
    WITH ev AS (
      INSERT INTO rail_webhook_events (rail, webhook_id, business_id, payout_id, rail_status, status, reason)
      VALUES (${e.rail}, ${e.webhookId}, ${businessId}, ${e.payoutId}, ${e.railStatus}, ${to}, ${e.reason})
      ON CONFLICT (rail, webhook_id) DO NOTHING
      RETURNING webhook_id
    ), moved AS (
      UPDATE payouts SET status = ${to}, status_reason_information = ${e.reason}, updated_at = now()
      WHERE id = ${e.payoutId} AND business_id = ${businessId} AND rail = ${e.rail}
        AND status IN (SELECT jsonb_array_elements_text(${JSON.stringify(from)}::jsonb))
        AND EXISTS (SELECT 1 FROM ev)
      RETURNING id, amount, payout_user_id
    ), history AS (
      INSERT INTO payout_status_history (id, business_id, payout_id, status, reason, webhook_id)
      SELECT ${newId("payoutStatus")}, ${businessId}, id, ${to}, ${e.reason}, ${e.webhookId} FROM moved
      RETURNING id
    ), business_refund AS (
      UPDATE businesses b SET payout_balance = b.payout_balance + m.amount, updated_at = now()
      FROM moved m
      WHERE ${reversal} AND m.payout_user_id IS NULL AND b.id = ${businessId}
      RETURNING b.id
    ), user_refund AS (
      UPDATE payout_users u SET balance = u.balance + m.amount, updated_at = now()
      FROM moved m
      WHERE ${reversal} AND u.id = m.payout_user_id AND u.business_id = ${businessId}
      RETURNING u.id, u.balance, u.currency, m.amount, m.id AS payout_id
    ), user_tx AS (
      INSERT INTO payout_user_transactions (id, business_id, payout_user_id, type, amount, balance_after, currency, payout_id)
      SELECT ${newId("payoutUserTransaction")}, ${businessId}, id, 'payout_reversal', amount, balance, currency, payout_id
      FROM user_refund
      RETURNING id
    )
    SELECT (SELECT count(*) FROM ev)::int AS fresh,
           (SELECT count(*) FROM moved)::int AS moved,
           ((SELECT count(*) FROM business_refund) + (SELECT count(*) FROM user_refund))::int AS reversed,
           (SELECT status FROM payouts WHERE id = ${e.payoutId} AND business_id = ${businessId}) AS previous`);
  const r = rows[0]!;
  return { fresh: r.fresh > 0, moved: r.moved > 0, reversed: r.reversed > 0, previous: r.previous };
}
